// SUB (41), int8 and float32, with NumPy broadcasting up to rank 4.
// int8: TFLM's reference BroadcastQuantSubSlow / SubElementwise, i.e. ADD's arithmetic with the
// second rescaled input subtracted: a'' = MBQM((a + in1_offset) * 2^left_shift, m1, s1), b''
// likewise, y = MBQM(a'' - b'', m_out, s_out) + out_offset, clamped (the shifts are <= 0, where
// MultiplyByQuantizedMultiplierSmallerThanOneExp equals MBQM). The params have ADD's layout; the
// sender derives SUB's multipliers in binary32 as TFLM's sub_common.cc does. float32:
// ActivationFunctionWithMinMax(a - b, min, max).
#include "../kernel_walk.h"
#include "../quant_math.h"

#if TT_OP_SUB

namespace tt {

namespace {

void eval(const KernelArgs& a) {
  if (tensor_type(a.out.rec) == fmt::kTypeInt8) {
    add_sub_int8_eval(a, true);
  } else {
    binary_f32_eval(a, kFloatSub);
  }
}

ModelStatus check(const KernelArgs& a) {
  const uint8_t type = broadcast_binary_type(a);
  if (type == kNoType) return ModelStatus::kBadOp;
  return check_add_sub_params(a, type);
}

}  // namespace

static_assert(kMaxOpInputs >= 2, "SUB takes 2 inputs (build_config.h)");
extern const OpRegistration kKernel_SUB = {fmt::kOpSub, 2, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_SUB
