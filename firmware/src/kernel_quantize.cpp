// QUANTIZE (114, float32 -> int8) and DEQUANTIZE (6, int8 -> float32), bit-exact with TFLite's
// reference_ops::AffineQuantize and reference_ops::Dequantize.
#include "kernel_api.h"
#include "quant_math.h"

namespace tt {

namespace {

constexpr float kFloatMax = 3.40282347e+38f;

// Params of both ops: f32 scale (> 0, finite), i32 zero_point (int8 range).
ModelStatus check_affine(const KernelArgs& a, uint8_t in_type, uint8_t out_type) {
  if (a.input_count != 1 || !is_type(a.in[0], in_type) || !is_type(a.out, out_type) ||
      !same_shape(a.in[0].rec, a.out.rec)) {
    return ModelStatus::kBadOp;
  }
  const float scale = param_f32(a, 0);
  if (a.params_size != 8 || !(scale > 0.0f && scale <= kFloatMax) ||
      !is_int8_zero_point(param_i32(a, 1))) {
    return ModelStatus::kBadParams;
  }
  return ModelStatus::kOk;
}

}  // namespace

ModelStatus check_quantize(const KernelArgs& a) {
  return check_affine(a, fmt::kTypeFloat32, fmt::kTypeInt8);
}
ModelStatus check_dequantize(const KernelArgs& a) {
  return check_affine(a, fmt::kTypeInt8, fmt::kTypeFloat32);
}

// q = clamp(round_half_away(x / scale) + zero_point, -128, 127), the division in binary32 as TFLite
// does it (its double scale is converted back to float first). Values beyond ±512 clamp to the same
// int8 result, so they are cut there before the conversion to an integer. A NaN quotient gives
// zero_point (what an ARM float-to-int conversion yields in TFLite, whose cast is undefined there).
void eval_quantize(const KernelArgs& a) {
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

// y = scale * (q - zero_point). TFLite multiplies in double and rounds to float; |q - zp| <= 255
// has 8 significant bits and scale 24, so the double product is exact and rounding it once equals
// the correctly rounded binary32 product computed here.
void eval_dequantize(const KernelArgs& a) {
  const float scale = rd_f32(a.params);
  const int32_t zero_point = rd_i32(a.params + 4);
  const uint32_t n = tensor_bytes(a.in[0].rec);
  const int8_t* x = reinterpret_cast<const int8_t*>(a.in[0].data);
  uint8_t* y = a.out.data;
  for (uint32_t i = 0; i < n; ++i) wr_f32(y + 4 * i, scale * (float)(x[i] - zero_point));
}

}  // namespace tt
