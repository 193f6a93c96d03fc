// SOFTMAX (25) over the last dimension.
// int8 -> int8: bit-exact with TFLite's reference_ops::Softmax<int8_t, int8_t> (gemmlowp fixed
// point, kernel_fixedpoint.h); output scale 1/256, zero point -128. float32: TFLite's
// reference_ops::Softmax(float) order of operations with kernel_expf in place of std::exp, so
// results are within about 1 ulp of TFLite's, not bit-exact.
#include "../kernel_api.h"
#include "../kernel_fixedpoint.h"
#include "../quant_math.h"

#if TT_OP_SOFTMAX

namespace tt {

namespace {

constexpr float kFloatMax = 3.40282347e+38f;
// Longest int8 row: the Q12 sum of exps (each <= 2^19) stays below 2^28, so the reciprocal's
// num_bits_over_unit <= 8 and the final rounding exponent <= 31. TFLite itself aborts
// (TFLITE_CHECK(exponent <= 31)) on rows whose sum reaches 512; shorter rows can never get there.
constexpr uint32_t kMaxInt8Depth = 511;

// Rows and row length of the op's input.
void rows(const KernelArgs& a, uint32_t elem_size, uint32_t* outer, uint32_t* depth) {
  *depth = tensor_dim(a.in[0].rec, tensor_rank(a.in[0].rec) - 1u);
  *outer = tensor_bytes(a.in[0].rec) / elem_size / *depth;
}

// An int8 row's exps depend only on diff = x - max in [-255, 0]: with TT_SOFTMAX_MEMO each distinct
// diff's exp is computed once per op (for the sum and again for the outputs, in every row) and
// kept in a table on the stack (1 KiB + 32 B), a bit per diff saying it is there. Off on AVR
// (8 KiB of RAM): every element's exp is computed in each pass.
#ifndef TT_SOFTMAX_MEMO
#if defined(__AVR__)
#define TT_SOFTMAX_MEMO 0
#else
#define TT_SOFTMAX_MEMO 1
#endif
#endif

struct ExpMemo {
  int32_t multiplier, left_shift;
#if TT_SOFTMAX_MEMO
  uint32_t known[8];  // bit -diff: value[-diff] is set
  int32_t value[256];
#endif
};

// exp(beta * input_scale * diff) in Q0 (TFLite's exp_on_negative_values of the Q5 scaled diff).
TT_OPTIMIZE_SPEED TT_NOINLINE int32_t exp_of(ExpMemo& m, int32_t diff) {
  using namespace fixedpoint;
#if TT_SOFTMAX_MEMO
  const uint32_t i = (uint32_t)-diff;
  uint32_t& word = m.known[i >> 5];
  const uint32_t bit = (uint32_t)1 << (i & 31u);
  if ((word & bit) != 0) return m.value[i];
  word |= bit;
#endif
  // diff >= diff_min keeps diff * 2^left_shift above INT32_MIN, and the multiplier is >= 0 (check).
  const int32_t e =
      exp_on_negative_values_shared(srdhm_nosat(wrap_shl(diff, m.left_shift), m.multiplier), 5);
#if TT_SOFTMAX_MEMO
  m.value[i] = e;
#endif
  return e;
}

void softmax_int8(const KernelArgs& a) {
  using namespace fixedpoint;
  ExpMemo memo;
  memo.multiplier = rd_i32(a.params);
  memo.left_shift = rd_i32(a.params + 4);
#if TT_SOFTMAX_MEMO
  for (uint32_t& w : memo.known) w = 0;
#endif
  const int32_t diff_min = rd_i32(a.params + 8);
  uint32_t outer, depth;
  rows(a, 1, &outer, &depth);
  const int8_t* x = reinterpret_cast<const int8_t*>(a.in[0].data);
  int8_t* y = reinterpret_cast<int8_t*>(a.out.data);
  for (uint32_t r = 0; r < outer; ++r, x += depth, y += depth) {
    int32_t max_in_row = -128;
    for (uint32_t c = 0; c < depth; ++c) max_in_row = x[c] > max_in_row ? x[c] : max_in_row;

    // Sum of exp(beta * scale * (x - max)) in Q12; terms below diff_min are skipped.
    int32_t sum_of_exps = 0;
    for (uint32_t c = 0; c < depth; ++c) {
      const int32_t diff = x[c] - max_in_row;
      // rdbp(exp, 12) of an exp >= 0: (exp + 2^11) >> 12, unsigned as exp(0) is INT32_MAX.
      if (diff >= diff_min)
        sum_of_exps =
            wrap_add(sum_of_exps, (int32_t)(((uint32_t)exp_of(memo, diff) + 2048u) >> 12));
    }

    // sum = 2^num_bits_over_unit * (1 + f): the reciprocal of (1 + f) in Q0. 2^19 <= sum < 2^28
    // (the max element contributes exp(0); depth <= 511), so 0 <= num_bits_over_unit <= 8.
    const int32_t headroom = clz32((uint32_t)sum_of_exps);
    const int32_t num_bits_over_unit = 12 - headroom;
    const int32_t shifted_sum_minus_one =
        (int32_t)(((uint32_t)sum_of_exps << headroom) - 0x80000000u);
    const int32_t shifted_scale = one_over_one_plus_x_for_x_in_0_1(shifted_sum_minus_one);
    // Output = 256 * exp / sum: 23 <= exponent <= 31.
    const int32_t exponent = num_bits_over_unit + 31 - 8;

    for (uint32_t c = 0; c < depth; ++c) {
      const int32_t diff = x[c] - max_in_row;
      int32_t out = -128;
      if (diff >= diff_min) {
#if TT_SOFTMAX_MEMO
        const int32_t e = memo.value[-diff];  // set by the first pass over this row
#else
        const int32_t e = exp_of(memo, diff);
#endif
        // rdbp(srdhm(e, shifted_scale), exponent) - 128, saturated: mbqm with shift -exponent, so
        // requant_int8_fast where e < 2^30 (every exp below one half), mbqm above that.
        if (!requant_int8_fast(e, shifted_scale, exponent - 1, -255, &out))
          out = saturate_int8(mbqm(e, shifted_scale, -exponent) - 128);
      }
      y[c] = (int8_t)out;
    }
  }
}

// Out of line (smaller: eval then only branches to it).
TT_NOINLINE void softmax_f32(const KernelArgs& a) {
  const float beta = rd_f32(a.params);
  uint32_t outer, depth;
  rows(a, 4, &outer, &depth);
  const uint8_t* x = a.in[0].data;
  uint8_t* y = a.out.data;
  for (uint32_t r = 0; r < outer; ++r, x += 4 * depth, y += 4 * depth) {
    float max = -kFloatMax;  // std::numeric_limits<float>::lowest()
    for (uint32_t c = 0; c < depth; ++c) {
      const float v = rd_f32(x + 4 * c);
      max = max < v ? v : max;  // std::max(max, v)
    }
    float sum = 0.0f;
    for (uint32_t c = 0; c < depth; ++c) {
      const float e = kernel_expf((rd_f32(x + 4 * c) - max) * beta);
      wr_f32(y + 4 * c, e);
      sum += e;
    }
    for (uint32_t c = 0; c < depth; ++c) wr_f32(y + 4 * c, rd_f32(y + 4 * c) / sum);
  }
}

ModelStatus check(const KernelArgs& a) {
  const uint8_t type = unary_int8_or_f32(a);
  if (type == kNoType || tensor_rank(a.out.rec) == 0) return ModelStatus::kBadOp;
  if (type == fmt::kTypeFloat32) {
    if (a.params_size != 4) return ModelStatus::kBadParams;
    // beta finite (not NaN): on its bit pattern, the exponent is not all ones.
    return (rd_u32(a.params) & 0x7F800000u) != 0x7F800000u ? ModelStatus::kOk
                                                           : ModelStatus::kBadParams;
  }
  if (tensor_dim(a.out.rec, tensor_rank(a.out.rec) - 1u) > kMaxInt8Depth)
    return ModelStatus::kBadOp;
  if (a.params_size != 12) return ModelStatus::kBadParams;
  const int32_t multiplier = param_i32(a, 0);
  const int32_t left_shift = param_i32(a, 1);
  const int32_t diff_min = param_i32(a, 2);
  // The multiplier must keep scaled differences <= 0, the max element must pass diff_min (so the
  // sum is positive), and diff_min * 2^left_shift must fit in int32 (TFLite's radius guarantees
  // it).
  if (multiplier < 0 || left_shift < 0 || left_shift > 30 || diff_min > 0 ||
      diff_min < -(int32_t)(0x7FFFFFFFu >> left_shift)) {
    return ModelStatus::kBadParams;
  }
  return ModelStatus::kOk;
}

void eval(const KernelArgs& a) {
  if (tensor_type(a.out.rec) == fmt::kTypeInt8) {
    softmax_int8(a);
  } else {
    softmax_f32(a);
  }
}

}  // namespace

extern const OpRegistration kKernel_SOFTMAX = {fmt::kOpSoftmax, 1, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_SOFTMAX
