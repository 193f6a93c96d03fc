// FULLY_CONNECTED (opcode 9), int8 and float32, bit-exact with TFLite's reference kernels
// (reference_integer_ops::FullyConnected / FullyConnectedPerChannel,
// reference_ops::FullyConnected).
//
// Shapes: weights [units, depth]; output [..., units] with batches = elements / units; the input is
// flattened (TFLite's keep_num_dims = false and true both fit): it holds batches x depth elements.
#include "kernel_api.h"
#include "quant_math.h"

namespace tt {

namespace {

constexpr uint32_t kInt8FixedParams = 24;  // five i32 + u32 n, then n multipliers and n shifts

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
  if (!is_int8_offset(param_i32(a, 0)) || !is_int8_offset(filter_offset) ||
      !is_int8_zero_point(param_i32(a, 2)) || !is_int8_range(param_i32(a, 3), param_i32(a, 4))) {
    return ModelStatus::kBadParams;
  }
  // TFLite's per-channel kernel assumes symmetric weights and ignores the weights zero point.
  if (n > 1 && filter_offset != 0) return ModelStatus::kBadParams;
  for (uint32_t c = 0; c < n; ++c) {
    if (!is_shift(param_i32(a, 6 + n + c))) return ModelStatus::kBadParams;
  }
  return ModelStatus::kOk;
}

// The int8 kernel works on blocks of up to kBlock units: per block, the input is widened chunk by
// chunk (x + input_offset as 16-bit values, kChunk elements at a time, in a stack buffer) and every
// unit's accumulator takes that chunk's dot product; then the block is requantized. Two short
// passes keep few values live (one fused loop spills to the stack on every unit on a Cortex-M4),
// and the widened input is reused by all units of the block. Stack: acc 64 bytes + chunk ≈ 136.
constexpr uint32_t kBlock = 16;
constexpr uint32_t kChunk = 64;

#if TT_HAVE_DSP
// Two products per SMLAD (quant_math.h); the chunk is kChunk / 2 lane pairs.
typedef uint32_t Widened;
constexpr uint32_t kWidenedWords = kChunk / 2 + 2;
inline void widen(const int8_t* x, uint32_t n, int32_t offset, Widened* out) {
  packed_widen(x, n, offset, out);
}
inline int32_t dot(const Widened* x, const int8_t* w, uint32_t n, int32_t acc) {
  return packed_dot(x, w, n, acc);
}
#else
typedef int16_t Widened;
constexpr uint32_t kWidenedWords = kChunk;
inline void widen(const int8_t* x, uint32_t n, int32_t offset, Widened* out) {
  plain_widen(x, n, offset, out);
}
inline int32_t dot(const Widened* x, const int8_t* w, uint32_t n, int32_t acc) {
  return plain_dot(x, w, n, acc);
}
#endif

void eval_int8(const KernelArgs& a) {
  const uint8_t* p = a.params;
  const int32_t input_offset = rd_i32(p);
  const int32_t filter_offset = rd_i32(p + 4);
  const int32_t output_offset = rd_i32(p + 8);
  const int32_t act_min = rd_i32(p + 12);
  const int32_t act_max = rd_i32(p + 16);
  const uint32_t n = rd_u32(p + 20);
  const uint32_t channel_step = n == 1 ? 0 : 4;  // per-tensor: every unit reads entry 0
  // [act_min, act_max] narrower than int8 (e.g. RELU with a zero point above -128) needs a clamp
  // after the saturation to int8.
  const bool narrow = act_min != -128 || act_max != 127;

  const uint32_t units = tensor_dim(a.in[1].rec, 0);
  const uint32_t depth = tensor_dim(a.in[1].rec, 1);
  const uint32_t batches = tensor_bytes(a.out.rec) / units;
  const int8_t* x = reinterpret_cast<const int8_t*>(a.in[0].data);
  // An absent bias reads a zero word for every unit.
  static const uint8_t kNoBias[4] = {0, 0, 0, 0};
  const bool has_bias = a.input_count > 2 && a.in[2].data != nullptr;  // may be listed as absent
  const uint8_t* const bias_start = has_bias ? a.in[2].data : kNoBias;
  const uint32_t bias_step = has_bias ? 4 : 0;
  int8_t* y = reinterpret_cast<int8_t*>(a.out.data);

  for (uint32_t b = 0; b < batches; ++b, x += depth) {
    // sum((w + filter_offset) * (x + input_offset)) = sum(w * x') + filter_offset * sum(x') with
    // x' = x + input_offset, exactly: every sum wraps modulo 2^32 like TFLite's int32 accumulator
    // on its targets. So filter_offset costs one pass over x per batch, and nothing when 0.
    uint32_t offset_term = 0;
    if (filter_offset != 0) {
      uint32_t sum_x = 0;
      for (uint32_t d = 0; d < depth; ++d) sum_x += (uint32_t)(x[d] + input_offset);
      offset_term = (uint32_t)filter_offset * sum_x;
    }
    const uint8_t* bias = bias_start;
    const uint8_t* m = p + kInt8FixedParams;
    const uint8_t* s = m + 4 * n;
    for (uint32_t first = 0; first < units; first += kBlock) {
      const uint32_t count = units - first < kBlock ? units - first : kBlock;
      int32_t acc[kBlock];
      for (uint32_t u = 0; u < count; ++u, bias += bias_step) {
        acc[u] = (int32_t)(rd_u32(bias) + offset_term);
      }
      Widened widened[kWidenedWords];
      for (uint32_t d = 0; d < depth; d += kChunk) {
        const uint32_t len = depth - d < kChunk ? depth - d : kChunk;
        widen(x + d, len, input_offset, widened);
        const int8_t* w = reinterpret_cast<const int8_t*>(a.in[1].data) + first * depth + d;
        int32_t* out = acc;
        int32_t* const end = acc + count;
        do {
          *out = dot(widened, w, len, *out);
          w += depth;
        } while (++out != end);
      }
      // Requantize the block: y = clamp(output_offset + MBQM(acc, multiplier, shift)).
      const int32_t* in = acc;
      const int8_t* const end = y + count;
      do {
        int32_t v =
            saturate_int8(wrap_add(mbqm_inline(*in++, rd_i32(m), rd_i32(s)), output_offset));
        if (narrow) v = clamp_i32(v, act_min, act_max);
        *y++ = (int8_t)v;
        m += channel_step;
        s += channel_step;
      } while (y != end);
    }
  }
}

void eval_f32(const KernelArgs& a) {
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

}  // namespace

ModelStatus check_fully_connected(const KernelArgs& a) {
  if (a.input_count != 2 && a.input_count != 3) return ModelStatus::kBadOp;
  const KernelTensor& in = a.in[0];
  const KernelTensor& w = a.in[1];
  const KernelTensor& bias = a.in[2];  // rec == nullptr when absent or input_count == 2
  if (in.rec == nullptr || w.rec == nullptr || tensor_rank(w.rec) != 2) return ModelStatus::kBadOp;
  const uint8_t type = tensor_type(a.out.rec);
  const bool is_int8 = type == fmt::kTypeInt8;
  if (!is_int8 && type != fmt::kTypeFloat32) return ModelStatus::kBadOp;
  if (!is_type(in, type) || !is_type(w, type)) return ModelStatus::kBadOp;
  const uint32_t units = tensor_dim(w.rec, 0);
  const uint32_t depth = tensor_dim(w.rec, 1);
  const uint8_t out_rank = tensor_rank(a.out.rec);
  if (out_rank == 0 || tensor_dim(a.out.rec, out_rank - 1u) != units) return ModelStatus::kBadOp;
  const uint32_t esize = type_size(type);
  const uint32_t batches = tensor_bytes(a.out.rec) / esize / units;
  const uint32_t in_count = tensor_bytes(in.rec) / esize;
  if (in_count % depth != 0 || in_count / depth != batches) return ModelStatus::kBadOp;
  if (bias.rec != nullptr) {
    if (!is_type(bias, is_int8 ? fmt::kTypeInt32 : fmt::kTypeFloat32) ||
        tensor_rank(bias.rec) != 1 || tensor_dim(bias.rec, 0) != units) {
      return ModelStatus::kBadOp;
    }
  }
  if (is_int8) return check_int8_params(a, units);
  if (a.params_size != 8 || !is_f32_range(param_f32(a, 0), param_f32(a, 1)))
    return ModelStatus::kBadParams;
  return ModelStatus::kOk;
}

void eval_fully_connected(const KernelArgs& a) {
  if (tensor_type(a.out.rec) == fmt::kTypeInt8) {
    eval_int8(a);
  } else {
    eval_f32(a);
  }
}

}  // namespace tt
