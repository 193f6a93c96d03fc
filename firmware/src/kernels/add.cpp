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

void add_f32(const void* ctx, const uint8_t* x, const uint8_t* z, uint8_t* y, uint32_t n,
             uint32_t sx, uint32_t sz) {
  const FloatRange& r = *static_cast<const FloatRange*>(ctx);
  for (; n != 0; --n, x += sx, z += sz, y += 4) {
    wr_f32(y, clamp_f32(rd_f32(x) + rd_f32(z), r.lo, r.hi));
  }
}

void eval(const KernelArgs& a) {
  if (tensor_type(a.out.rec) == fmt::kTypeInt8) {
    add_sub_int8_eval(a, false);
  } else {
    FloatRange r;
    TT_MEMCPY(&r, a.params, sizeof r);
    broadcast_walk(a, 4, add_f32, &r);
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
