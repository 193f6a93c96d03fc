// What the spatial operators share (CONV_2D, DEPTHWISE_CONV_2D, MAX_POOL_2D, AVERAGE_POOL_2D): NHWC
// feature-map dims (a rank-3 [N, W, C] tensor is [N, 1, W, C], TensorFlow's Conv1D layout), the
// window geometry read from the params, and the load-time window rule (docs/model-format.md §7),
// which keeps every window over the input: no average divides by zero, and every index the kernels
// form lies within ±2^18, so their int32 arithmetic never overflows.
#pragma once

#include <stdint.h>

#include "../kernel_api.h"

namespace tt {

// A feature map's dims as NHWC; valid for rank 3 or 4 (the checks reject other ranks first).
struct Nhwc {
  uint32_t n, h, w, c;
};

inline Nhwc nhwc(const uint8_t* rec) {
  const bool r3 = tensor_rank(rec) == 3;
  return {tensor_dim(rec, 0), r3 ? 1u : tensor_dim(rec, 1), tensor_dim(rec, r3 ? 1 : 2),
          tensor_dim(rec, r3 ? 2 : 3)};
}

inline bool is_feature_map(const uint8_t* rec) {
  return rec != nullptr && (tensor_rank(rec) == 3 || tensor_rank(rec) == 4);
}

// Window geometry, the first six i32 of every spatial op's params: stride_h, stride_w, then
// dilation_h, dilation_w (convolutions) or filter_h, filter_w (pools), then pad_h, pad_w.
struct Geometry {
  int32_t stride_h, stride_w, dil_or_filter_h, dil_or_filter_w, pad_h, pad_w;
};

inline Geometry read_geometry(const uint8_t* p) {
  return {rd_i32(p), rd_i32(p + 4), rd_i32(p + 8), rd_i32(p + 12), rd_i32(p + 16), rd_i32(p + 20)};
}

// The window rule for one axis (docs/model-format.md §7): stride >= 1, dilation >= 1, 0 <= pad <=
// 65 535, pad <= eff - 1, (out - 1) * stride - pad <= in - 1 and (out - 1) * stride - pad + eff - 1
// <= in + pad, with eff = (filter - 1) * dilation + 1, in 64-bit arithmetic. Out of line: one copy
// for every spatial check.
TT_NOINLINE inline bool window_fits(uint32_t in, uint32_t out, uint32_t filter, int32_t stride,
                                    int32_t dilation, int32_t pad) {
  if (stride < 1 || dilation < 1 || pad < 0 || pad > 65535) return false;
  const int64_t eff = ((int64_t)filter - 1) * dilation + 1;
  const int64_t last = ((int64_t)out - 1) * stride - pad;
  return pad <= eff - 1 && last <= (int64_t)in - 1 && last + eff - 1 <= (int64_t)in + pad;
}

// Both axes of an op whose filter spans kh x kw taps (dilations from the geometry for convolutions,
// 1 for pools).
TT_NOINLINE inline bool windows_fit(const Geometry& g, const Nhwc& x, const Nhwc& y, uint32_t kh,
                                    uint32_t kw, int32_t dil_h, int32_t dil_w) {
  return window_fits(x.h, y.h, kh, g.stride_h, dil_h, g.pad_h) &&
         window_fits(x.w, y.w, kw, g.stride_w, dil_w, g.pad_w);
}

// std::min(std::max(v, lo), hi) on floats (TFLite's ActivationFunctionWithMinMax): NaN passes.
inline float clamp_act_f32(float v, float lo, float hi) {
  v = v < lo ? lo : v;
  return hi < v ? hi : v;
}

}  // namespace tt
