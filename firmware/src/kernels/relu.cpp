// RELU (19) and RELU6 (21), int8 and float32.
// int8: TFLite's ReluQuantized (y = output_zp + MBQM(x - input_zp, m, s), clamped); the sender puts
// RELU's or RELU6's upper bound into act_max, so both share one kernel. With equal input and output
// quantization (m, s) = (2^30, 1) is the identity and this equals TFLM's Relu6 (clamp to zero /
// six). float32: TFLM's ReluFloat (x < 0 ? 0 : x) and Relu6Float (x > 6 ? 6 : x < 0 ? 0 : x).
#include "../kernel_api.h"
#include "../quant_math.h"

#if TT_OP_RELU || TT_OP_RELU6

namespace tt {

namespace {

// RELU and RELU6 share layout and checks.
ModelStatus check(const KernelArgs& a) {
  const uint8_t type = unary_int8_or_f32(a);
  if (type == kNoType) return ModelStatus::kBadOp;
  if (type == fmt::kTypeFloat32)
    return a.params_size == 0 ? ModelStatus::kOk : ModelStatus::kBadParams;
  static const uint8_t kSpec[] = {0 | kParamZeroPoint, 1 | kParamZeroPoint, 3 | kParamShift,
                                  4 | kParamRange};
  return a.params_size == 24 && params_in_range(a, kSpec) ? ModelStatus::kOk
                                                          : ModelStatus::kBadParams;
}

void relu_int8(const KernelArgs& a) {
  const uint8_t* p = a.params;
  const int32_t input_zp = rd_i32(p);
  const int32_t output_zp = rd_i32(p + 4);
  const int32_t multiplier = rd_i32(p + 8);
  const int32_t shift = rd_i32(p + 12);
  const int32_t act_min = rd_i32(p + 16);
  const int32_t act_max = rd_i32(p + 20);
  const uint32_t n = tensor_bytes(a.out.rec);
  const int8_t* x = reinterpret_cast<const int8_t*>(a.in[0].data);
  int8_t* y = reinterpret_cast<int8_t*>(a.out.data);
  for (uint32_t i = 0; i < n; ++i) {
    const int32_t v = wrap_add(output_zp, mbqm(x[i] - input_zp, multiplier, shift));
    y[i] = (int8_t)clamp_i32(v, act_min, act_max);
  }
}

// TFLite's `v < 0 ? 0 : v` keeps -0 and NaN as they are. Compilers may turn that comparison into a
// max instruction that returns +0 for -0 (clang 14 for wasm32, LLVM issue #93414), so the lower
// bound is decided on the bit pattern: only values strictly below zero (sign set, not -0, not NaN)
// become +0.
inline bool below_zero(uint32_t bits) {
  const uint32_t magnitude = bits & 0x7fffffffu;
  return (bits >> 31) != 0 && magnitude != 0 && magnitude <= 0x7f800000u;
}

// `hi`: 6 for RELU6, +infinity for RELU (v > +inf is false for every v, NaN and +inf included).
void relu_f32(const KernelArgs& a, float hi) {
  const uint32_t n = tensor_bytes(a.out.rec) / 4;
  const uint8_t* x = a.in[0].data;
  uint8_t* y = a.out.data;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t bits = rd_u32(x + 4 * i);
    if (below_zero(bits)) {
      wr_f32(y + 4 * i, 0.0f);
    } else {
      const float v = rd_f32(x + 4 * i);
      wr_f32(y + 4 * i, v > hi ? hi : v);
    }
  }
}

void eval_either(const KernelArgs& a, float hi) {
  if (tensor_type(a.out.rec) == fmt::kTypeInt8) {
    relu_int8(a);
  } else {
    relu_f32(a, hi);
  }
}

#if TT_OP_RELU
void eval_relu(const KernelArgs& a) { eval_either(a, __builtin_inff()); }
#endif

#if TT_OP_RELU6
void eval_relu6(const KernelArgs& a) { eval_either(a, 6.0f); }
#endif

}  // namespace

#if TT_OP_RELU
extern const OpRegistration kKernel_RELU = {fmt::kOpRelu, 1, 1, check, eval_relu, nullptr};
#endif
#if TT_OP_RELU6
extern const OpRegistration kKernel_RELU6 = {fmt::kOpRelu6, 1, 1, check, eval_relu6, nullptr};
#endif

}  // namespace tt

#endif  // TT_OP_RELU || TT_OP_RELU6
