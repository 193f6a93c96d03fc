// TRANSPOSE (39), any element type: out[i0, i1, i2, i3] = in[j] with j[perm[k]] = ik, on shapes
// padded to rank 4 and the params' perm padded likewise (leading axes in place); TFLM's reference
// TransposeImpl visits the output in the same row-major order.
#include "../kernel_walk.h"

#if TT_OP_TRANSPOSE

namespace tt {

namespace {

ModelStatus check(const KernelArgs& a) {
  if (a.in[0].rec == nullptr || tensor_type(a.in[0].rec) != tensor_type(a.out.rec) ||
      tensor_rank(a.in[0].rec) != tensor_rank(a.out.rec)) {
    return ModelStatus::kBadOp;
  }
  if (a.params_size != 16) return ModelStatus::kBadParams;
  uint32_t seen = 0;
  const Shape4 in = shape4(a.in[0].rec), out = shape4(a.out.rec);
  for (uint32_t k = 0; k < 4; ++k) {
    const int32_t p = param_i32(a, k);
    if (p < 0 || p > 3 || ((seen >> p) & 1u) != 0 || out.d[k] != in.d[p])
      return ModelStatus::kBadParams;
    seen |= 1u << p;
  }
  return ModelStatus::kOk;
}

void eval(const KernelArgs& a) {
  const uint32_t size = type_size(tensor_type(a.out.rec));
  const Shape4 o = shape4(a.out.rec);
  uint32_t s[4], t[4];
  strides4(shape4(a.in[0].rec), s);
  for (uint32_t k = 0; k < 4; ++k) t[k] = s[rd_i32(a.params + 4 * k)] * size;  // bytes per step
  const uint8_t* x = a.in[0].data;
  uint8_t* y = a.out.data;
  for (uint32_t i = 0; i < o.d[0]; ++i)
    for (uint32_t j = 0; j < o.d[1]; ++j)
      for (uint32_t k = 0; k < o.d[2]; ++k) {
        const uint8_t* e = x + i * t[0] + j * t[1] + k * t[2];
        for (uint32_t l = 0; l < o.d[3]; ++l, e += t[3], y += size) copy_element(y, e, size);
      }
}

}  // namespace

extern const OpRegistration kKernel_TRANSPOSE = {fmt::kOpTranspose, 1, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_TRANSPOSE
