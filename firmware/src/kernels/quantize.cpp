// QUANTIZE (114, float32 -> int8), bit-exact with TFLite's reference_ops::AffineQuantize.
#include "../kernel_api.h"
#include "../quant_math.h"

#if TT_OP_QUANTIZE

namespace tt {

namespace {

ModelStatus check(const KernelArgs& a) {
  return check_affine(a, fmt::kTypeFloat32, fmt::kTypeInt8);
}

// q = clamp(round_half_away(x / scale) + zero_point, -128, 127), the division in binary32 as TFLite
// does it (its double scale is converted back to float first). Values beyond ±512 clamp to the same
// int8 result, so they are cut there before the conversion to an integer. A NaN quotient gives
// zero_point (what an ARM float-to-int conversion yields in TFLite, whose cast is undefined there).
void eval(const KernelArgs& a) {
  const float scale = rd_f32(a.params);
  const int32_t zero_point = rd_i32(a.params + 4);
  const uint32_t n = tensor_bytes(a.out.rec);
  const uint8_t* x = a.in[0].data;
  int8_t* y = reinterpret_cast<int8_t*>(a.out.data);
  for (uint32_t i = 0; i < n; ++i) {
    float v = rd_f32(x + 4 * i) / scale;
    int32_t q = 0;
    if (v == v) {
      v = v > 512.0f ? 512.0f : (v < -512.0f ? -512.0f : v);
      q = round_half_away_f32(v);
    }
    y[i] = (int8_t)clamp_i32(q + zero_point, -128, 127);
  }
}

}  // namespace

extern const OpRegistration kKernel_QUANTIZE = {fmt::kOpQuantize, 1, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_QUANTIZE
