// STRIDED_SLICE (45), any element type: the sender resolves begin/end/strides and the masks as
// TFLM's reference does and sends, per axis of the input padded to rank 4, [begin, stride, count]:
// out walks i_k = 0 … count_k - 1 row-major and reads in[begin_k + i_k * stride_k].
#include "../kernel_walk.h"

#if TT_OP_STRIDED_SLICE

namespace tt {

namespace {

ModelStatus check(const KernelArgs& a) {
  if (a.in[0].rec == nullptr || tensor_type(a.in[0].rec) != tensor_type(a.out.rec))
    return ModelStatus::kBadOp;
  if (a.params_size != 48) return ModelStatus::kBadParams;
  const Shape4 in = shape4(a.in[0].rec);
  uint32_t counts[4], n = 0;  // counts other than 1, in order
  for (uint32_t k = 0; k < 4; ++k) {
    const int64_t begin = param_i32(a, 3 * k), stride = param_i32(a, 3 * k + 1);
    const int64_t count = param_i32(a, 3 * k + 2);
    if (count < 1 || stride == 0 || begin < 0 || begin >= in.d[k]) return ModelStatus::kBadParams;
    const int64_t last = begin + (count - 1) * stride;  // |·| < 2^63
    if (last < 0 || last >= in.d[k]) return ModelStatus::kBadParams;
    if (count != 1) counts[n++] = (uint32_t)count;
  }
  // The output's dims, less those of 1, are the counts, less those of 1 (shrunk axes).
  const uint8_t* out = a.out.rec;
  uint32_t j = 0;
  for (uint32_t i = 0; i < tensor_rank(out); ++i) {
    const uint32_t d = tensor_dim(out, i);
    if (d == 1) continue;
    if (j >= n || counts[j] != d) return ModelStatus::kBadParams;
    ++j;
  }
  return j == n ? ModelStatus::kOk : ModelStatus::kBadParams;
}

// Offsets in unsigned arithmetic modulo 2^32: a product stride * axis stride may wrap (a huge
// stride is valid on an axis with count 1), but every element offset actually used is in range.
void eval(const KernelArgs& a) {
  const uint32_t size = type_size(tensor_type(a.out.rec));
  uint32_t st[4];
  strides4(shape4(a.in[0].rec), st);
  uint32_t begin = 0, step[4], count[4];  // byte offsets (wrapping: a step may be negative)
  for (uint32_t k = 0; k < 4; ++k) {
    begin += (uint32_t)rd_i32(a.params + 12 * k) * st[k] * size;
    step[k] = (uint32_t)rd_i32(a.params + 12 * k + 4) * st[k] * size;
    count[k] = (uint32_t)rd_i32(a.params + 12 * k + 8);
  }
  copy_walk4(a.in[0].data, begin, step, count, size, a.out.data);
}

}  // namespace

extern const OpRegistration kKernel_STRIDED_SLICE = {
    fmt::kOpStridedSlice, 1, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_STRIDED_SLICE
