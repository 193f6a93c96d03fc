// ADD (0), int8 and float32, with numpy broadcasting up to rank 4.
// int8: TFLite's reference_integer_ops AddFunc (inputs shifted left by left_shift, each rescaled
// with MultiplyByQuantizedMultiplierSmallerThanOneExp, summed, rescaled to the output); the three
// shifts are <= 0, where that function equals MBQM. float32: ActivationFunctionWithMinMax(a + b,
// min, max). Broadcasting visits the output in row-major order like TFLite's
// BroadcastBinaryFunction; an input dimension of 1 facing a larger output dimension gets stride 0.
#include "../kernel_walk.h"
#include "../quant_math.h"

#if TT_OP_ADD

namespace tt {

namespace {

void eval(const KernelArgs& a) {
  if (tensor_type(a.out.rec) == fmt::kTypeInt8) {
    add_sub_int8_eval(a, false);
  } else {
    binary_f32_eval(a, kFloatAdd);
  }
}

ModelStatus check(const KernelArgs& a) {
  const uint8_t type = broadcast_binary_type(a);
  if (type == kNoType) return ModelStatus::kBadOp;
  return check_add_sub_params(a, type);
}

}  // namespace

static_assert(kMaxOpInputs >= 2, "ADD takes 2 inputs (build_config.h)");
extern const OpRegistration kKernel_ADD = {fmt::kOpAdd, 2, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_ADD
