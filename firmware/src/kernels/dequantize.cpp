// DEQUANTIZE (6, int8 -> float32), bit-exact with TFLite's reference_ops::Dequantize.
#include "../kernel_api.h"

#if TT_OP_DEQUANTIZE

namespace tt {

namespace {

ModelStatus check(const KernelArgs& a) {
  return check_affine(a, fmt::kTypeInt8, fmt::kTypeFloat32);
}

// y = scale * (q - zero_point). TFLite multiplies in double and rounds to float; |q - zp| <= 255
// has 8 significant bits and scale 24, so the double product is exact and rounding it once equals
// the correctly rounded binary32 product computed here.
void eval(const KernelArgs& a) {
  const float scale = rd_f32(a.params);
  const int32_t zero_point = rd_i32(a.params + 4);
  const uint32_t n = tensor_bytes(a.in[0].rec);
  const int8_t* x = reinterpret_cast<const int8_t*>(a.in[0].data);
  uint8_t* y = a.out.data;
  for (uint32_t i = 0; i < n; ++i) wr_f32(y + 4 * i, scale * (float)(x[i] - zero_point));
}

}  // namespace

extern const OpRegistration kKernel_DEQUANTIZE = {fmt::kOpDequantize, 1, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_DEQUANTIZE
