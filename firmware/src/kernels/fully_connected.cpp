// FULLY_CONNECTED (opcode 9), int8 and float32, bit-exact with TFLite's reference kernels
// (reference_integer_ops::FullyConnected / FullyConnectedPerChannel,
// reference_ops::FullyConnected).
//
// Shapes: weights [units, depth]; output [..., units] with batches = elements / units; the input is
// flattened (TFLite's keep_num_dims = false and true both fit): it holds batches x depth elements.
#include "../kernel_api.h"
#include "../quant_math.h"

#if TT_OP_FULLY_CONNECTED

namespace tt {

namespace {

constexpr uint32_t kInt8FixedParams = 24;  // five i32 + u32 n, then n multipliers and n shifts

#if TT_HAVE_DSP || !defined(__AVR__)
#define TT_FC_LANES 1
#else
#define TT_FC_LANES 0
#endif

inline float clamp_f32(float v, float lo, float hi) {
  // TFLite's ActivationFunctionWithMinMax: std::min(std::max(v, lo), hi); NaN passes through.
  v = v < lo ? lo : v;
  return hi < v ? hi : v;
}

ModelStatus check_int8_params(const KernelArgs& a, uint32_t units) {
  if (a.params_size < kInt8FixedParams) return ModelStatus::kBadParams;
  const uint32_t n = rd_u32(a.params + 20);
  if ((n != 1 && n != units) || a.params_size != kInt8FixedParams + 8 * n)
    return ModelStatus::kBadParams;
  const int32_t filter_offset = param_i32(a, 1);
  static const uint8_t kSpec[] = {0 | kParamOffset, 1 | kParamOffset, 2 | kParamZeroPoint,
                                  3 | kParamRange};
  if (!params_in_range(a, kSpec)) return ModelStatus::kBadParams;
  // TFLite's per-channel kernel assumes symmetric weights and ignores the weights zero point.
  if (n > 1 && filter_offset != 0) return ModelStatus::kBadParams;
  for (uint32_t c = 0; c < n; ++c) {
    if (!is_shift(param_i32(a, 6 + n + c))) return ModelStatus::kBadParams;
  }
  return ModelStatus::kOk;
}

// int8: y = clamp(output_offset + MBQM(bias + sum((w + filter_offset) * (x + input_offset)))).
//
// Loops over the units, each fusing a unit's dot product with its requantization (no accumulator
// array); bind picks one per op when the op is resolved:
//  - the lanes variants (the layers real models have: symmetric weights, depth 1 with a bias or a
//    multiple of 8 up to kWidenMax with a bias or up to kZeroBiasUnits units without, every shift <
//    0 and |bias| <= 2^29): eval_int8_depth1 (a model's first layer on a scalar input: one MLA per
//    unit) and eval_int8_lanes (the input row widened once into 16-bit lanes on the stack, two
//    products per SMLAD). They read the values bind precomputed (KernelArgs::fc: offsets,
//    multiplier step, shapes) instead of the params and shapes, and requantize with
//    requant_int8_proven: bind proved its conditions for every unit, so no per-unit checks and no
//    exact fallback. Built wherever int is 32 bits (TT_FC_LANES): on cores with the DSP extension
//    the lane helpers are single instructions, elsewhere (the host tests, wasm32) their portable C
//    definitions, so the same code runs in the host tests. 8-bit AVR builds only the general loop.
//  - general_int8: every other case (and every case on AVR), reading the params itself, with
//    requant_int8_fast (SMMULR, quant_math.h) where it applies and the exact mbqm elsewhere.
// A fused activation narrower than int8 is applied in a pass over the output afterwards
// (clamp_int8_output), so the usual full range costs nothing per unit.
//
// Requantization params: n multipliers then n shifts after the fixed part; per-tensor (n = 1) every
// unit reads entry 0 (m_step 0), per-channel unit u reads entry u.

// The exact general case of requant_store (rare: shift >= 0 or |acc| >= 2^30), out of line: the
// row loops then keep only offset2 live, not offset2 / 2 as well.
TT_NOINLINE int32_t requant_exact(int32_t acc, int32_t m, int32_t s, int32_t offset2) {
  return saturate_int8(wrap_add(mbqm(acc, m, s), offset2 >> 1));
}

// Requantizes one accumulator into *y and moves mp to the next unit's multiplier. offset2 is
// 2 * output_offset + 1 (requant_int8_fast).
TT_ALWAYS_INLINE void requant_store(int32_t acc, const uint8_t*& mp, uint32_t m_step,
                                    uint32_t s_offset, int32_t offset2, int8_t* y) {
  const int32_t m = rd_i32(mp);
  const int32_t s = rd_i32(mp + s_offset);
  mp += m_step;
  int32_t v;
  if (!requant_int8_fast(acc, m, ~s, offset2, &v)) v = requant_exact(acc, m, s, offset2);
  *y = (int8_t)v;
}

#if TT_FC_LANES
// requant_store for the lanes variants: bind proved requant_int8_fast's conditions
// for every unit of the op (every shift < 0, every accumulator in [-2^30, 2^30)), so no checks and
// no exact fallback per unit.
TT_ALWAYS_INLINE void requant_store_proven(int32_t acc, const uint8_t*& mp, uint32_t m_step,
                                           uint32_t s_offset, int32_t offset2, int8_t* y) {
  const int32_t m = rd_i32(mp);
  const int32_t s = rd_i32(mp + s_offset);
  mp += m_step;
  *y = (int8_t)requant_int8_proven(acc, m, ~s, offset2);
}
#endif

// The fused activation's range: params bytes 12 … 19 (clamp_int8_output).
constexpr uint32_t kActRangeAt = 12;

#if TT_FC_LANES
constexpr uint32_t kWidenMax = 128;
// The bias of a lanes layer without one (up to kZeroBiasUnits units): zeros in RAM (.bss, no
// flash), never written, so the rows read a bias per unit either way.
constexpr uint32_t kZeroBiasUnits = 32;
uint8_t zero_bias[4 * kZeroBiasUnits];  // stack: kWidenMax / 2 words (256 bytes)

// The two lanes variants bind picks: each reads the values it precomputed (a.fc,
// no params or shapes), loops over the batch rows itself, and is compiled at -O2
// (TT_OPTIMIZE_SPEED): at -Os GCC reloads loop values from the stack every unit.

// Depth 1 (a model's first layer on a scalar input): one MLA per unit, no widened row.
TT_OPTIMIZE_SPEED void eval_int8_depth1(const KernelArgs& a) {
  const int8_t* x = reinterpret_cast<const int8_t*>(a.in[0].data);
  int8_t* y = reinterpret_cast<int8_t*>(a.out.data);
  int8_t* const y_end = y + a.fc.out_bytes;
  do {  // one batch row per iteration
    // Locals: the int8 stores below may alias anything, so GCC would reload a.fc's fields per unit.
    const uint32_t m_step = a.fc.m_step, s_offset = a.fc.s_offset;
    const int32_t offset2 = a.fc.offset2;
    const int32_t x0 = *x++ + a.fc.input_offset;
    const int8_t* w = reinterpret_cast<const int8_t*>(a.in[1].data);
    const uint8_t* bias = a.in[2].data;  // a bias: depth1 is bound only with one
    const uint8_t* mp = a.params + kInt8FixedParams;
    int8_t* const end = y + a.fc.units;
    do {
      const int32_t acc = (int32_t)((uint32_t)rd_i32(bias) + (uint32_t)(*w++ * x0));
      bias += 4;
      requant_store_proven(acc, mp, m_step, s_offset, offset2, y);
    } while (++y != end);
  } while (y != y_end);
  if (a.fc.clamp != 0) clamp_int8_output(a, kActRangeAt);
}

// Depth a multiple of 8 up to kWidenMax: the input row widened once into 16-bit lanes on the
// stack, two products per SMLAD.
TT_OPTIMIZE_SPEED void eval_int8_lanes(const KernelArgs& a) {
  const FcBound& f = a.fc;
  const uint32_t depth = f.depth;
  const int8_t* x = reinterpret_cast<const int8_t*>(a.in[0].data);
  int8_t* y = reinterpret_cast<int8_t*>(a.out.data);
  int8_t* const y_end = y + f.out_bytes;
  uint32_t widened[kWidenMax / 2];
  const uint32_t* const x_end = widened + depth / 2;
  do {  // one batch row per iteration
    packed_widen8(x, x_end, f.input_offset, widened);
    x += depth;
    const int8_t* w = reinterpret_cast<const int8_t*>(a.in[1].data);
    const uint8_t* bias = a.in[2].data;
    const uint8_t* mp = a.params + kInt8FixedParams;
    int8_t* const end = y + f.units;
    do {
      int32_t acc = rd_i32(bias);
      bias += 4;
      const uint32_t* xp = widened;
#if TT_HAVE_DSP && defined(__thumb2__)
      // The loop below in 13 instructions per eight products instead of GCC 12's 17: LDRD with
      // post-increment for two weight words and twice two input words (LDRD needs word alignment:
      // weight rows have it, as model_load checks tensor locations and depth % 8 == 0 here, and so
      // has the stack buffer).
      uint32_t v0, v1, x0, x1, t;
      __asm volatile(
          "1:\n\t"
          "ldrd %[v0], %[v1], [%[w]], #8\n\t"
          "ldrd %[x0], %[x1], [%[xp]], #8\n\t"
          "sxtb16 %[t], %[v0]\n\t"
          "smlad %[acc], %[t], %[x0], %[acc]\n\t"
          "sxtb16 %[t], %[v0], ror #8\n\t"
          "smlad %[acc], %[t], %[x1], %[acc]\n\t"
          "ldrd %[x0], %[x1], [%[xp]], #8\n\t"
          "sxtb16 %[t], %[v1]\n\t"
          "smlad %[acc], %[t], %[x0], %[acc]\n\t"
          "sxtb16 %[t], %[v1], ror #8\n\t"
          "smlad %[acc], %[t], %[x1], %[acc]\n\t"
          "cmp %[xp], %[x_end]\n\t"
          "bne 1b"
          : [acc] "+&r"(acc), [w] "+&r"(w), [xp] "+&r"(xp), [v0] "=&r"(v0), [v1] "=&r"(v1),
            [x0] "=&r"(x0), [x1] "=&r"(x1), [t] "=&r"(t)
          : [x_end] "r"(x_end)
          : "cc", "memory");
#else
      do {  // eight products per iteration (depth % 8 == 0)
        const uint32_t v0 = rd_u32(reinterpret_cast<const uint8_t*>(w));
        const uint32_t v1 = rd_u32(reinterpret_cast<const uint8_t*>(w + 4));
        w += 8;
        acc = smlad(sxtb16(v0), xp[0], acc);
        acc = smlad(sxtb16_odd(v0), xp[1], acc);
        acc = smlad(sxtb16(v1), xp[2], acc);
        acc = smlad(sxtb16_odd(v1), xp[3], acc);
        xp += 4;
      } while (xp != x_end);
#endif
      requant_store_proven(acc, mp, f.m_step, f.s_offset, f.offset2, y);
    } while (++y != end);
  } while (y != y_end);
  if (f.clamp != 0) clamp_int8_output(a, kActRangeAt);
}
#endif

// Any case: an absent bias (a zero word read for every unit), filter_offset, any depth.
void general_int8(const KernelArgs& a) {
  const uint8_t* const p = a.params;
  const int32_t input_offset = rd_i32(p);
  const int32_t filter_offset = rd_i32(p + 4);
  const int32_t offset2 = 2 * rd_i32(p + 8) + 1;
  const uint32_t n = rd_u32(p + 20);
  const uint32_t units = tensor_dim(a.in[1].rec, 0);
  const uint32_t depth = tensor_dim(a.in[1].rec, 1);
  static const uint8_t kNoBias[4] = {0, 0, 0, 0};
  const bool has_bias = a.input_count > 2 && a.in[2].data != nullptr;  // may be listed as absent
  const int8_t* x = reinterpret_cast<const int8_t*>(a.in[0].data);
  int8_t* y = reinterpret_cast<int8_t*>(a.out.data);
  int8_t* const y_end = y + tensor_bytes(a.out.rec);
  do {  // one batch per iteration
    // sum((w + filter_offset) * (x + input_offset)) = sum(w * x') + filter_offset * sum(x') with
    // x' = x + input_offset, exactly: every sum wraps modulo 2^32 like TFLite's int32 accumulator
    // on its targets.
    uint32_t sum_x = 0;
    for (uint32_t d = 0; d < depth; ++d) sum_x += (uint32_t)(x[d] + input_offset);
    const uint32_t offset_term = (uint32_t)filter_offset * sum_x;
    const int8_t* w = reinterpret_cast<const int8_t*>(a.in[1].data);
    const uint8_t* bias = has_bias ? a.in[2].data : kNoBias;
    const uint8_t* mp = p + kInt8FixedParams;
    int8_t* const row_end = y + units;
    do {
      int32_t acc = (int32_t)(rd_u32(bias) + offset_term);
#if TT_HAVE_DSP
      acc = packed_dot_raw(x, w, depth, input_offset, acc);  // deep or odd layers: still SMLAD
#else
      acc = plain_dot_raw(x, w, depth, input_offset, acc);
#endif
      requant_store(acc, mp, n == 1 ? 0 : 4, 4 * n, offset2, y);
      w += depth;
      if (has_bias) bias += 4;
    } while (++y != row_end);
    x += depth;
  } while (y != y_end);
  clamp_int8_output(a, kActRangeAt);
}

TT_NOINLINE void eval_f32(const KernelArgs& a) {
  const float act_min = rd_f32(a.params);
  const float act_max = rd_f32(a.params + 4);
  const uint32_t units = tensor_dim(a.in[1].rec, 0);
  const uint32_t depth = tensor_dim(a.in[1].rec, 1);
  const uint32_t batches = (tensor_bytes(a.out.rec) / 4) / units;
  const uint8_t* x = a.in[0].data;
  const uint8_t* bias = a.input_count > 2 ? a.in[2].data : nullptr;
  uint8_t* y = a.out.data;
  for (uint32_t b = 0; b < batches; ++b, x += 4 * depth) {
    const uint8_t* w = a.in[1].data;
    for (uint32_t u = 0; u < units; ++u, w += 4 * depth, y += 4) {
      float total =
          0.0f;  // TFLite's order: sum the products first, then add the bias (0 when absent)
      for (uint32_t d = 0; d < depth; ++d) total += rd_f32(x + 4 * d) * rd_f32(w + 4 * d);
      const float bias_value = bias != nullptr ? rd_f32(bias + 4 * u) : 0.0f;
      wr_f32(y, clamp_f32(total + bias_value, act_min, act_max));
    }
  }
}

ModelStatus check(const KernelArgs& a) {
  const KernelTensor& in = a.in[0];
  const KernelTensor& w = a.in[1];
  const KernelTensor& bias = a.in[2];  // rec == nullptr when absent or input_count == 2
  if (in.rec == nullptr || w.rec == nullptr || tensor_rank(w.rec) != 2) return ModelStatus::kBadOp;
  const uint8_t type = tensor_type(a.out.rec);
  const bool is_int8 = type == fmt::kTypeInt8;
  if (!is_int8 && type != fmt::kTypeFloat32) return ModelStatus::kBadOp;
  if (tensor_type(in.rec) != type || tensor_type(w.rec) != type) return ModelStatus::kBadOp;
  const uint32_t units = tensor_dim(w.rec, 0);
  const uint32_t depth = tensor_dim(w.rec, 1);
  const uint8_t out_rank = tensor_rank(a.out.rec);
  if (out_rank == 0 || tensor_dim(a.out.rec, out_rank - 1u) != units) return ModelStatus::kBadOp;
  const uint32_t esize_log2 = is_int8 ? 0 : 2;  // bytes per element: 1 or 4
  const uint32_t batches = (tensor_bytes(a.out.rec) >> esize_log2) / units;
  const uint32_t in_count = tensor_bytes(in.rec) >> esize_log2;
  if (in_count % depth != 0 || in_count / depth != batches) return ModelStatus::kBadOp;
  if (bias.rec != nullptr) {
    if (tensor_type(bias.rec) != (is_int8 ? fmt::kTypeInt32 : fmt::kTypeFloat32) ||
        tensor_rank(bias.rec) != 1 || tensor_dim(bias.rec, 0) != units) {
      return ModelStatus::kBadOp;
    }
  }
  if (is_int8) return check_int8_params(a, units);
  if (a.params_size != 8 || !is_f32_range(param_f32(a, 0), param_f32(a, 1)))
    return ModelStatus::kBadParams;
  return ModelStatus::kOk;
}

#if TT_FC_LANES

// Whether requant_int8_proven is exact for every unit of this op (symmetric weights, depth <=
// kWidenMax, a bias or none): every shift < 0, and every accumulator bias + sum(w * x') in
// [-2^30, 2^30). |x'| = |x + input_offset| <= 255 and |w| <= 128, so the sum is at most
// 255 * 128 * kWidenMax < 2^23 in magnitude, and |bias| <= 2^29 is enough. The bias must be
// constant data (an arena bias could change after binding). Real layers have biases far smaller;
// an op that fails takes the general loop with its per-unit checks.
bool requant_proven(const KernelArgs& a, bool has_bias) {
  const uint32_t n = rd_u32(a.params + 20);
  const uint8_t* s = a.params + kInt8FixedParams + 4 * n;
  for (uint32_t c = 0; c < n; ++c, s += 4) {
    if (rd_i32(s) >= 0) return false;
  }
  if (!has_bias) return true;
  if (a.in[2].rec[fmt::kTensorStorage] != fmt::kStorageConstant) return false;
  const uint8_t* b = a.in[2].data;
  for (uint32_t u = tensor_dim(a.in[1].rec, 0); u != 0; --u, b += 4) {
    const int32_t v = rd_i32(b);
    if (v > (1 << 29) || v < -(1 << 29)) return false;
  }
  return true;
}

#endif

EvalFn bind(KernelArgs& a) {
  if (tensor_type(a.out.rec) != fmt::kTypeInt8) return eval_f32;
#if TT_FC_LANES
  const uint32_t depth = tensor_dim(a.in[1].rec, 1);
  // (rec, not data: a rebind of these args finds in[2].data = zero_bias)
  const bool has_bias = a.input_count > 2 && a.in[2].rec != nullptr;
  const uint32_t units = tensor_dim(a.in[1].rec, 0);
  // Without a bias the lanes rows read zero_bias (in[2] is then unused); depth 1 needs a bias.
  if (rd_i32(a.params + 4) == 0 && (has_bias || units <= kZeroBiasUnits) &&
      (depth % 8 == 0 ? depth <= kWidenMax : depth == 1 && has_bias) &&
      requant_proven(a, has_bias)) {
    if (!has_bias) a.in[2].data = zero_bias;
    const uint8_t* const p = a.params;
    const uint32_t n = rd_u32(p + 20);
    FcBound& f = a.fc;
    f.input_offset = rd_i32(p);
    f.offset2 = 2 * rd_i32(p + 8) + 1;
    f.m_step = n == 1 ? 0 : 4;
    f.s_offset = 4 * n;
    f.depth = depth;
    f.units = units;
    f.out_bytes = tensor_bytes(a.out.rec);
    f.clamp = rd_i32(p + 12) != -128 || rd_i32(p + 16) != 127;
    return depth == 1 ? eval_int8_depth1 : eval_int8_lanes;
  }
#endif
  return general_int8;
}

}  // namespace

static_assert(kMaxOpInputs >= 3, "FULLY_CONNECTED takes up to 3 inputs (build_config.h)");
extern const OpRegistration kKernel_FULLY_CONNECTED = {
    fmt::kOpFullyConnected, 3, 1, check, nullptr, bind};

}  // namespace tt

#endif  // TT_OP_FULLY_CONNECTED
