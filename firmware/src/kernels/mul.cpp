// MUL (18), int8 and float32, with NumPy broadcasting up to rank 4.
// int8: TFLM's reference_integer_ops MulElementwise / BroadcastMul6DSlow: y = out_offset +
// MBQM((a + in1_offset) * (b + in2_offset), m, s), clamped; one multiplier for
// input1_scale * input2_scale / output_scale. float32: ActivationFunctionWithMinMax(a * b, min,
// max).
#include "../kernel_walk.h"
#include "../quant_math.h"

#if TT_OP_MUL

namespace tt {

namespace {

// The int8 params in their byte order (docs/model-format.md §5).
struct MulInt8 {
  int32_t in1_offset, in2_offset, out_offset, mult, shift, act_min, act_max;
};

// With -30 <= shift <= 14 (every converter MUL), MBQM takes ADD's shortcuts (kernel_walk.h): |prod|
// <= 255 * 255 < 2^16, so |prod * 2^max(shift, 0)| < 2^30 and srdhm is srdhm_small, then
// rdbp_small by max(-shift, 0) (2|v| + 2^e < 2^31: v < 2^17 where e > 0, 2^e = 1 where v is
// larger). Other shifts take mbqm.
void mul_int8(const void* ctx, const uint8_t* x, const uint8_t* z, uint8_t* y, uint32_t n,
              uint32_t sx, uint32_t sz) {
  const MulInt8& q = *static_cast<const MulInt8*>(ctx);
  const int32_t off1 = q.in1_offset, off2 = q.in2_offset, out_offset = q.out_offset;
  const int32_t mult = q.mult, shift = q.shift, lo = q.act_min, hi = q.act_max;
  uint8_t* const y_end = y + n;
  if (shift >= -30 && shift <= 14) {
    const int32_t ls = (shift > 0 ? shift : 0) + 1, e = shift < 0 ? -shift : 0;
    const int32_t pow = (int32_t)1 << e, e1 = e + 1;
    for (; y != y_end; x += sx, z += sz) {
      const int32_t prod = ((int8_t)*x + off1) * ((int8_t)*z + off2);
      const int32_t v = rdbp_small(smmulr(wrap_shl(prod, ls), mult), pow, e1);
      *y++ = (uint8_t)clamp_i32(v + out_offset, lo, hi);
    }
    return;
  }
  for (; y != y_end; x += sx, z += sz) {
    // |(a + in1_offset)(b + in2_offset)| <= 256 * 256: no overflow.
    const int32_t prod = ((int8_t)*x + off1) * ((int8_t)*z + off2);
    *y++ = (uint8_t)clamp_i32(wrap_add(mbqm(prod, mult, shift), out_offset), lo, hi);
  }
}

void eval(const KernelArgs& a) {
  if (tensor_type(a.out.rec) == fmt::kTypeInt8) {
    MulInt8 q;
    TT_MEMCPY(&q, a.params, sizeof q);
    broadcast_walk(a, 1, mul_int8, &q);
  } else {
    binary_f32_eval(a, kFloatMul);
  }
}

ModelStatus check(const KernelArgs& a) {
  const uint8_t type = broadcast_binary_type(a);
  if (type == kNoType) return ModelStatus::kBadOp;
  if (type == fmt::kTypeFloat32) {
    return a.params_size == 8 && is_f32_range(param_f32(a, 0), param_f32(a, 1))
               ? ModelStatus::kOk
               : ModelStatus::kBadParams;
  }
  static const uint8_t kSpec[] = {0 | kParamOffset, 1 | kParamOffset, 2 | kParamZeroPoint,
                                  4 | kParamShift, 5 | kParamRange};
  return a.params_size == 28 && params_in_range(a, kSpec) ? ModelStatus::kOk
                                                          : ModelStatus::kBadParams;
}

}  // namespace

static_assert(kMaxOpInputs >= 2, "MUL takes 2 inputs (build_config.h)");
extern const OpRegistration kKernel_MUL = {fmt::kOpMul, 2, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_MUL
