// QUANTIZE (114): float32 -> int8, bit-exact with TFLite's reference_ops::AffineQuantize; and
// int8 -> int8 (requantize, e.g. the converter's before a CONCATENATION input quantized unlike the
// output), TFLM's reference_ops::Requantize: y = clamp(MBQM(x - input_zp, m, s) + output_zp).
#include "../kernel_api.h"
#include "../quant_math.h"

#if TT_OP_QUANTIZE

namespace tt {

namespace {

// int8 input (TT_OP_QUANTIZE_INT8 builds): params input_zp, output_zp, multiplier, shift; float32
// input: scale, zero_point.
ModelStatus check(const KernelArgs& a) {
  if (!TT_OP_QUANTIZE_INT8 || !is_type(a.in[0], fmt::kTypeInt8))
    return check_affine(a, fmt::kTypeFloat32, fmt::kTypeInt8);
  if (tensor_type(a.out.rec) != fmt::kTypeInt8 || !same_shape(a.in[0].rec, a.out.rec))
    return ModelStatus::kBadOp;
  static const uint8_t kSpec[] = {0 | kParamZeroPoint, 1 | kParamZeroPoint, 3 | kParamShift};
  return a.params_size == 16 && params_in_range(a, kSpec) ? ModelStatus::kOk
                                                          : ModelStatus::kBadParams;
}

#if TT_OP_QUANTIZE_INT8
void requantize(const KernelArgs& a) {
  const int32_t input_zp = rd_i32(a.params), output_zp = rd_i32(a.params + 4);
  const int32_t multiplier = rd_i32(a.params + 8), shift = rd_i32(a.params + 12);
  const uint32_t n = tensor_bytes(a.out.rec);
  const int8_t* x = reinterpret_cast<const int8_t*>(a.in[0].data);
  int8_t* y = reinterpret_cast<int8_t*>(a.out.data);
  for (uint32_t i = 0; i < n; ++i) {
    const int32_t v = wrap_add(mbqm(x[i] - input_zp, multiplier, shift), output_zp);
    y[i] = (int8_t)saturate_int8(v);
  }
}
#endif

// q = clamp(round_half_away(x / scale) + zero_point, -128, 127), the division in binary32 as TFLite
// does it (its double scale is converted back to float first). Values beyond ±512 clamp to the same
// int8 result, so they are cut there before the conversion to an integer. A NaN quotient gives
// zero_point (what an ARM float-to-int conversion yields in TFLite, whose cast is undefined there).
void eval(const KernelArgs& a) {
#if TT_OP_QUANTIZE_INT8
  if (tensor_type(a.in[0].rec) == fmt::kTypeInt8) {
    requantize(a);
    return;
  }
#endif
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
    y[i] = (int8_t)saturate_int8(q + zero_point);
  }
}

}  // namespace

extern const OpRegistration kKernel_QUANTIZE = {fmt::kOpQuantize, 1, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_QUANTIZE
