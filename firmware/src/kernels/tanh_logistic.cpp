// TANH (28) and LOGISTIC (14), int8 and float32, elementwise.
// int8: TFLM's reference_integer_ops::Tanh / Logistic, bit-exact. diff = x - input_zero_point
// saturates at +-input_range_radius (tested low side first, so radius 0 sends 0 to -128); inside,
// MBQM(diff, input_multiplier, input_left_shift) is the input in Q4 and gemmlowp's tanh / logistic
// (kernel_fixedpoint.h) give Q0, divided down to the output (TANH scale 1/128 zero point 0,
// LOGISTIC scale 1/256 zero point -128). float32: tanh(x) = e / (e + 2) with e = expm1(2|x|) and
// the sign of x; LOGISTIC as TFLM's reference_ops::Logistic (1 above 16.619047, exp(x) below -9,
// else 1 / (1 + exp(-x))) with kernel_expf: within a few ulp of TFLM's libm, not bit-exact.
#include <string.h>

#include "../kernel_api.h"
#include "../kernel_fixedpoint.h"
#include "../quant_math.h"

#if TT_OP_TANH || TT_OP_LOGISTIC

namespace tt {

namespace {

// TANH and LOGISTIC share layout and checks: int8 params i32 input_zero_point,
// input_range_radius, input_multiplier, input_left_shift; float32 none.
ModelStatus check(const KernelArgs& a) {
  const uint8_t type = unary_int8_or_f32(a);
  if (type == kNoType) return ModelStatus::kBadOp;
  if (type == fmt::kTypeFloat32)
    return a.params_size == 0 ? ModelStatus::kOk : ModelStatus::kBadParams;
  if (a.params_size != 16) return ModelStatus::kBadParams;
  const int32_t radius = param_i32(a, 1);
  const int32_t left_shift = param_i32(a, 3);
  // |diff| < radius must keep diff * 2^left_shift inside int32 (MBQM's left shift): radius <=
  // floor(15 * 2^27 / 2^left_shift), TFLM's CalculateInputRadius(4, left_shift, 31).
  if (!is_int8_zero_point(param_i32(a, 0)) || param_i32(a, 2) < 0 || left_shift < 0 ||
      left_shift > 30 || radius < 0 || (uint32_t)radius > (15u << 27) >> left_shift) {
    return ModelStatus::kBadParams;
  }
  return ModelStatus::kOk;
}

// gemmlowp tanh: Q4 in, Q0 out. tanh(|a|) = (1 - exp(-2|a|)) / (1 + exp(-2|a|)); -|a| in Q4 has
// the raw value of -2|a| in Q5.
int32_t tanh_q4(int32_t a) {
  using namespace fixedpoint;
  if (a == 0) return 0;
  const int32_t t =
      one_minus_x_over_one_plus_x_for_x_in_0_1(exp_on_negative_values_shared(a < 0 ? a : -a, 5));
  return a < 0 ? -t : t;
}

// gemmlowp logistic: Q4 in, Q0 out. 1 / (1 + exp(-|a|)), and One() minus that for a < 0.
int32_t logistic_q4(int32_t a) {
  using namespace fixedpoint;
  if (a == 0) return (int32_t)1 << 30;  // one half
  const int32_t p =
      one_over_one_plus_x_for_x_in_0_1(exp_on_negative_values_shared(a > 0 ? -a : a, 4));
  return a > 0 ? p : INT32_MAX - p;
}

void eval_int8(const KernelArgs& a, bool is_tanh) {
  const int32_t zero_point = rd_i32(a.params);
  const int32_t radius = rd_i32(a.params + 4);
  const int32_t multiplier = rd_i32(a.params + 8);
  const int32_t left_shift = rd_i32(a.params + 12);
  const uint32_t n = tensor_bytes(a.out.rec);
  const int8_t* x = reinterpret_cast<const int8_t*>(a.in[0].data);
  int8_t* y = reinterpret_cast<int8_t*>(a.out.data);
  for (uint32_t i = 0; i < n; ++i) {
    const int32_t diff = x[i] - zero_point;
    int32_t out;
    if (diff <= -radius) {
      out = -128;
    } else if (diff >= radius) {
      out = 127;
    } else {
      const int32_t q4 = mbqm(diff, multiplier, left_shift);
      // TANH: Q0 -> scale 1/128 (divide by 2^24); LOGISTIC: Q0 -> scale 1/256 (2^23), zp -128.
      out = is_tanh ? rdbp(tanh_q4(q4), 24) : rdbp(logistic_q4(q4), 23) - 128;
      out = saturate_int8(out);
    }
    y[i] = (int8_t)out;
  }
}

float tanh_f32(float x) {
  uint32_t bits;
  TT_MEMCPY(&bits, &x, sizeof bits);
  const uint32_t sign = bits & 0x80000000u;
  bits ^= sign;
  float ax;  // |x|, also for -0 and NaN
  TT_MEMCPY(&ax, &bits, sizeof ax);
  // tanh rounds to 1 in binary32 from about 9.01 on; past 44 expm1(2|x|) would overflow.
  float t = 1.0f;
  if (!(ax > 10.0f)) {  // also NaN, which propagates
    const float e = kernel_expm1f(2.0f * ax);
    t = e / (e + 2.0f);
  }
  return sign != 0 ? -t : t;
}

float logistic_f32(float x) {
  if (x > 16.619047164916992188f) return 1.0f;
  if (x < -9.0f) return kernel_expf(x);
  return 1.0f / (1.0f + kernel_expf(-x));
}

void eval_f32(const KernelArgs& a, bool is_tanh) {
  const uint32_t n = tensor_bytes(a.out.rec) / 4;
  const uint8_t* x = a.in[0].data;
  uint8_t* y = a.out.data;
  for (uint32_t i = 0; i < n; ++i) {
    const float v = rd_f32(x + 4 * i);
    wr_f32(y + 4 * i, is_tanh ? tanh_f32(v) : logistic_f32(v));
  }
}

void eval_either(const KernelArgs& a, bool is_tanh) {
  if (tensor_type(a.out.rec) == fmt::kTypeInt8) {
    eval_int8(a, is_tanh);
  } else {
    eval_f32(a, is_tanh);
  }
}

#if TT_OP_TANH
void eval_tanh(const KernelArgs& a) { eval_either(a, true); }
#endif
#if TT_OP_LOGISTIC
void eval_logistic(const KernelArgs& a) { eval_either(a, false); }
#endif

}  // namespace

#if TT_OP_LOGISTIC
extern const OpRegistration kKernel_LOGISTIC = {fmt::kOpLogistic, 1,      1, check,
                                                eval_logistic,    nullptr};
#endif
#if TT_OP_TANH
extern const OpRegistration kKernel_TANH = {fmt::kOpTanh, 1, 1, check, eval_tanh, nullptr};
#endif

}  // namespace tt

#endif  // TT_OP_TANH || TT_OP_LOGISTIC
