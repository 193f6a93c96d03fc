// What CONV_2D and DEPTHWISE_CONV_2D share: the load-time checks (tensors, then params) and the
// int8 requantization. Params (docs/model-format.md §5): the six geometry i32 (stride_h, stride_w,
// dilation_h, dilation_w, pad_h, pad_w), then int8: input_offset, output_offset, act_min, act_max,
// u32 n, n multipliers, n shifts (44 + 8n bytes); float32: f32 act_min, f32 act_max (32 bytes).
#pragma once

#include <stdint.h>

#include "../kernel_api.h"
#include "../quant_math.h"
#include "spatial.h"

namespace tt {

constexpr uint32_t kConvInt8Fixed = 44;  // ten i32 and u32 n
constexpr uint32_t kConvFloatParams = 32;

// BAD_OP checks both convolutions share (the TypeScript checkConvTensors, same order): input,
// filter and output all int8 or all float32; input and output rank 3 or 4, filter rank 4; the
// output's batch and channels (the filter's dim `cout_axis`); the bias (int32 or float32 [Cout]).
TT_NOINLINE inline bool conv_tensors_ok(const KernelArgs& a, uint32_t cout_axis) {
  const uint8_t* x = a.in[0].rec;
  const uint8_t* w = a.in[1].rec;
  const uint8_t* bias = a.in[2].rec;
  const uint8_t type = tensor_type(a.out.rec);
  if (x == nullptr || w == nullptr || (type != fmt::kTypeInt8 && type != fmt::kTypeFloat32) ||
      tensor_type(x) != type || tensor_type(w) != type) {
    return false;
  }
  if (!is_feature_map(x) || tensor_rank(w) != 4 || !is_feature_map(a.out.rec)) return false;
  const uint32_t cout = tensor_dim(w, cout_axis);
  const Nhwc in = nhwc(x), out = nhwc(a.out.rec);
  if (out.n != in.n || out.c != cout) return false;
  if (bias != nullptr) {
    const uint8_t bias_type = type == fmt::kTypeInt8 ? fmt::kTypeInt32 : fmt::kTypeFloat32;
    if (tensor_type(bias) != bias_type || tensor_rank(bias) != 1 || tensor_dim(bias, 0) != cout)
      return false;
  }
  return true;
}

// BAD_PARAMS checks both share (checkConvParams): the size, the window rule on both axes, then
// float32: a non-empty clamp range; int8: n = 1 or Cout, input_offset a negated int8 zero point,
// output_offset an int8 zero point, an int8 clamp range, every shift in [-31, 30].
TT_NOINLINE inline ModelStatus conv_params_ok(const KernelArgs& a, uint32_t kh, uint32_t kw,
                                              uint32_t cout) {
  const bool is_int8 = tensor_type(a.out.rec) == fmt::kTypeInt8;
  const uint8_t* p = a.params;
  if (a.params_size < (is_int8 ? kConvInt8Fixed : kConvFloatParams)) return ModelStatus::kBadParams;
  const uint32_t n = is_int8 ? rd_u32(p + 40) : 0;
  if (is_int8 ? (n != 1 && n != cout) || a.params_size != kConvInt8Fixed + 8 * n
              : a.params_size != kConvFloatParams) {
    return ModelStatus::kBadParams;
  }
  const Geometry g = read_geometry(p);
  if (!windows_fit(g, nhwc(a.in[0].rec), nhwc(a.out.rec), kh, kw, g.dil_or_filter_h,
                   g.dil_or_filter_w)) {
    return ModelStatus::kBadParams;
  }
  if (!is_int8) {
    return is_f32_range(rd_f32(p + 24), rd_f32(p + 28)) ? ModelStatus::kOk
                                                        : ModelStatus::kBadParams;
  }
  static const uint8_t kSpec[] = {6 | kParamOffset, 7 | kParamZeroPoint, 8 | kParamRange};
  if (!params_in_range(a, kSpec)) return ModelStatus::kBadParams;
  for (const uint8_t* s = p + kConvInt8Fixed + 4 * n; s != p + kConvInt8Fixed + 8 * n; s += 4) {
    if (!is_shift(rd_i32(s))) return ModelStatus::kBadParams;
  }
  return ModelStatus::kOk;
}

// Output channels the int8 kernels accumulate per pass into an int32 stack array, then requantize.
constexpr uint32_t kAccChunk = 32;

// The int8 requantization of the op, read once per call: output channel oc's value of acc is
// saturate_int8(output_offset + MBQM(acc, m[oc], s[oc])); the clamp to a narrower activation range
// is one pass over the output afterwards (clamp_output).
struct ConvRequant {
  const uint8_t* mult;  // n multipliers, then n shifts at mult + shifts
  uint32_t step;        // 0 per-tensor, 4 per-channel
  uint32_t shifts;      // bytes from a multiplier to its shift
  int32_t offset2;      // 2 * output_offset + 1 (requant_int8_fast)

  void read(const uint8_t* p) {
    const uint32_t n = rd_u32(p + 40);
    mult = p + kConvInt8Fixed;
    step = n == 1 ? 0 : 4;
    shifts = 4 * n;
    offset2 = 2 * rd_i32(p + 28) + 1;
  }
};

// The exact general case of requant_rows (shift >= 0 or |acc| >= 2^30), out of line.
TT_NOINLINE inline int32_t conv_requant_exact(int32_t acc, int32_t m, int32_t s, int32_t offset2) {
  return saturate_int8(wrap_add(mbqm(acc, m, s), offset2 >> 1));
}

// y[j] = the int8 value of acc[j] for output channel oc0 + j, 0 <= j < count (count >= 1).
TT_NOINLINE inline TT_OPTIMIZE_SPEED void requant_rows(const int32_t* acc, uint32_t count,
                                                       uint32_t oc0, const ConvRequant& rq,
                                                       int8_t* y) {
  const uint32_t step = rq.step, shifts = rq.shifts;
  const int32_t offset2 = rq.offset2;
  const uint8_t* mp = rq.mult + step * oc0;
  const int32_t* const end = acc + count;
  do {
    const int32_t m = rd_i32(mp);
    const int32_t s = rd_i32(mp + shifts);
    mp += step;
    int32_t v;
    if (!requant_int8_fast(*acc, m, ~s, offset2, &v)) v = conv_requant_exact(*acc, m, s, offset2);
    *y++ = (int8_t)v;
  } while (++acc != end);
}

// The fused activation's range: params bytes 32 … 39 (clamp_int8_output).
inline void clamp_output(const KernelArgs& a) { clamp_int8_output(a, 32); }

// The op's bias words: channel oc's at p + step * oc; a zero word with step 0 when it has none.
struct BiasWalk {
  const uint8_t* p;
  uint32_t step;
};
inline BiasWalk bias_walk(const KernelArgs& a) {
  static const uint8_t kZero[4] = {0, 0, 0, 0};
  const uint8_t* b = a.input_count > 2 ? a.in[2].data : nullptr;  // null when absent
  return b != nullptr ? BiasWalk{b, 4} : BiasWalk{kZero, 0};
}

// The float32 convolution both share, in TFLite's order (reference_ops::Conv and
// DepthwiseConv): for each output element, for fy, fx (inside the input), for each of `depth`
// channels: total += x * w in binary32; then total + bias (0.0 when absent), clamped. Output
// channel oc reads input channels (oc / per_group) * depth … + depth - 1 and filter elements
// oc * w_oc + (fy * kw + fx) * w_tap + 0 … depth - 1. CONV_2D: depth = the filter's, w_oc = kh *
// kw * depth, w_tap = depth; DEPTHWISE_CONV_2D: depth 1, per_group = the depth multiplier, w_oc =
// 1, w_tap = Cout.
struct ConvF32 {
  Nhwc x, y;
  uint32_t kh, kw, depth, per_group, w_oc, w_tap;
};
TT_NOINLINE inline void conv_f32(const KernelArgs& a, const ConvF32& s) {
  const Geometry geo = read_geometry(a.params);
  const float act_min = rd_f32(a.params + 24), act_max = rd_f32(a.params + 28);
  const uint8_t* bias = a.input_count > 2 ? a.in[2].data : nullptr;
  uint8_t* y = a.out.data;
  for (uint32_t b = 0; b < s.x.n; ++b) {
    for (uint32_t oy = 0; oy < s.y.h; ++oy) {
      const int32_t y0 = (int32_t)oy * geo.stride_h - geo.pad_h;
      for (uint32_t ox = 0; ox < s.y.w; ++ox) {
        const int32_t x0 = (int32_t)ox * geo.stride_w - geo.pad_w;
        for (uint32_t oc = 0; oc < s.y.c; ++oc, y += 4) {
          const uint32_t channel0 = (oc / s.per_group) * s.depth;
          float total = 0.0f;
          for (uint32_t fy = 0; fy < s.kh; ++fy) {
            const int32_t iy = y0 + (int32_t)fy * geo.dil_or_filter_h;
            if (iy < 0 || iy >= (int32_t)s.x.h) continue;
            for (uint32_t fx = 0; fx < s.kw; ++fx) {
              const int32_t ix = x0 + (int32_t)fx * geo.dil_or_filter_w;
              if (ix < 0 || ix >= (int32_t)s.x.w) continue;
              const uint8_t* xp =
                  a.in[0].data +
                  4 * (((b * s.x.h + (uint32_t)iy) * s.x.w + (uint32_t)ix) * s.x.c + channel0);
              const uint8_t* wp = a.in[1].data + 4 * (oc * s.w_oc + (fy * s.kw + fx) * s.w_tap);
              for (uint32_t ic = 0; ic < s.depth; ++ic) {
                total += rd_f32(xp + 4 * ic) * rd_f32(wp + 4 * ic);
              }
            }
          }
          const float bias_value = bias != nullptr ? rd_f32(bias + 4 * oc) : 0.0f;
          wr_f32(y, clamp_act_f32(total + bias_value, act_min, act_max));
        }
      }
    }
  }
}

}  // namespace tt
