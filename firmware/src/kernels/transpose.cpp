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
  copy_walk4(a.in[0].data, 0, t, o.d, size, a.out.data);
}

}  // namespace

extern const OpRegistration kKernel_TRANSPOSE = {fmt::kOpTranspose, 1, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_TRANSPOSE
