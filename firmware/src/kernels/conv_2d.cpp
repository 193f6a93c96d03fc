// CONV_2D (3), int8 and float32, bit-exact with TFLM's reference_integer_ops::ConvPerChannel and
// reference_ops::Conv (docs/model-format.md §5): NHWC input [N, H, W, Cin] (rank 3: H = 1), filter
// [Cout, KH, KW, Cin / groups], bias [Cout] or absent, stride, dilation, the sender's pads; taps
// outside the input are skipped.
//
// int8, per output position: the window's Cin/groups-deep taps (filter volume K = KH·KW·depth) are
// widened once into int16 lanes with the input offset added (packed_widen; taps outside the input
// become 0, i.e. the input zero point before the offset). A 1×k window inside the input with
// groups = 1 and dilation 1 (Conv1D, and every 1×1 convolution) is one contiguous run of the
// input and is widened in place; other windows are first gathered into a stack patch. Then each
// output channel's filter row is one dot product with the lanes (two products per SMLAD on cores
// with the DSP extension); with one group, two rows and two positions per pass, so that each weight
// word is widened once for four sums (dot_rows_x2); then one requantization per output
// (requant_rows). Filters deeper than kPatchMax take taps one by one (packed_dot_raw) instead.
// Integer sums wrap modulo 2^32 like TFLite's int32 accumulator.
#include "../kernel_api.h"
#include "../quant_math.h"
#include "conv_common.h"

#if TT_OP_CONV_2D

#include <string.h>

namespace tt {

namespace {

// The largest filter volume widened on the stack: kPatchMax bytes of patch and kPatchMax / 2 + 4
// words of lanes (784 bytes).
constexpr uint32_t kPatchMax = 256;

struct ConvShape {
  Nhwc x, y;
  uint32_t kh, kw, depth;  // filter taps and depth (Cin / groups)
  uint32_t per_group;      // output channels per group
};

ConvShape conv_shape(const KernelArgs& a) {
  const uint8_t* w = a.in[1].rec;
  ConvShape s;
  s.x = nhwc(a.in[0].rec);
  s.y = nhwc(a.out.rec);
  s.kh = tensor_dim(w, 1);
  s.kw = tensor_dim(w, 2);
  s.depth = tensor_dim(w, 3);
  s.per_group = s.y.c / (s.x.c / s.depth);
  return s;
}

// The window of one output position: its origin (may be outside the input) and whether every tap
// lies inside.
struct Window {
  int32_t y0, x0;
  bool inside;
};

// Copies the K-element window of group g into `patch` in filter order (fy, fx, channel), with
// `zero_point` for taps outside the input (x + input_offset = 0 there, as TFLite skips them).
void gather(const int8_t* xb, const ConvShape& s, const Geometry& geo, const Window& win,
            uint32_t g, int8_t zero_point, int8_t* patch) {
  for (uint32_t fy = 0; fy < s.kh; ++fy) {
    const int32_t iy = win.y0 + (int32_t)fy * geo.dil_or_filter_h;
    for (uint32_t fx = 0; fx < s.kw; ++fx, patch += s.depth) {
      const int32_t ix = win.x0 + (int32_t)fx * geo.dil_or_filter_w;
      if (iy < 0 || iy >= (int32_t)s.x.h || ix < 0 || ix >= (int32_t)s.x.w) {
        memset(patch, zero_point, s.depth);
      } else {
        memcpy(patch, xb + ((uint32_t)iy * s.x.w + (uint32_t)ix) * s.x.c + g * s.depth, s.depth);
      }
    }
  }
}

// acc + the window's products for one output channel, tap by tap (filters deeper than kPatchMax).
int32_t dot_taps(const int8_t* xb, const int8_t* wrow, const ConvShape& s, const Geometry& geo,
                 const Window& win, uint32_t g, int32_t input_offset, int32_t acc) {
  for (uint32_t fy = 0; fy < s.kh; ++fy) {
    const int32_t iy = win.y0 + (int32_t)fy * geo.dil_or_filter_h;
    if (iy < 0 || iy >= (int32_t)s.x.h) continue;
    for (uint32_t fx = 0; fx < s.kw; ++fx) {
      const int32_t ix = win.x0 + (int32_t)fx * geo.dil_or_filter_w;
      if (ix < 0 || ix >= (int32_t)s.x.w) continue;
      const int8_t* xp = xb + ((uint32_t)iy * s.x.w + (uint32_t)ix) * s.x.c + g * s.depth;
      const int8_t* wp = wrow + (fy * s.kw + fx) * s.depth;
#if TT_HAVE_DSP
      acc = packed_dot_raw(xp, wp, s.depth, input_offset, acc);
#else
      acc = plain_dot_raw(xp, wp, s.depth, input_offset, acc);
#endif
    }
  }
  return acc;
}

// Words of one position's widened lanes (packed_widen of up to kPatchMax elements).
constexpr uint32_t kLanesWords = kPatchMax / 2 + 4;

// For count filter rows of k weights (row j at w + j * k): bias of row j + the row's dot product
// with the lanes of two output positions, A at `lanes` and B at lanes + kLanesWords; A's sums to
// acc[j], B's to acc[kAccChunk + j]. Two rows per pass share each lanes word and each widened
// weight word: per four weights of each row, eight SMLADs for four SXTB16s.
TT_NOINLINE TT_OPTIMIZE_SPEED void dot_rows_x2(const uint32_t* lanes, const int8_t* w, uint32_t k,
                                               BiasWalk bias, uint32_t count, int32_t* acc) {
  const uint32_t quads = (k / 8) * 2;  // groups of four elements in lane pairs
  const uint32_t tail = k % 8;         // then one int32 lane word per element
  uint32_t j = 0;
  for (; j + 2 <= count; j += 2, w += 2 * k) {
    const int32_t b0 = rd_i32(bias.p), b1 = rd_i32(bias.p + bias.step);
    bias.p += 2 * bias.step;
    int32_t a0 = b0, a1 = b1, c0 = b0, c1 = b1;  // a: position A, c: position B; rows j, j + 1
    const int8_t* w0 = w;
    const int8_t* w1 = w + k;
    const uint32_t* xp = lanes;
    for (uint32_t q = quads; q != 0; --q, xp += 2, w0 += 4, w1 += 4) {
      const uint32_t v = rd_u32(reinterpret_cast<const uint8_t*>(w0));
      const uint32_t u = rd_u32(reinterpret_cast<const uint8_t*>(w1));
      const uint32_t ve = sxtb16(v), vo = sxtb16_odd(v), ue = sxtb16(u), uo = sxtb16_odd(u);
      const uint32_t xe = xp[0], xo = xp[1], ye = xp[kLanesWords], yo = xp[kLanesWords + 1];
      a0 = smlad(vo, xo, smlad(ve, xe, a0));
      a1 = smlad(uo, xo, smlad(ue, xe, a1));
      c0 = smlad(vo, yo, smlad(ve, ye, c0));
      c1 = smlad(uo, yo, smlad(ue, ye, c1));
    }
    for (uint32_t t = 0; t < tail; ++t) {
      const int32_t xa = (int32_t)xp[t], xb = (int32_t)xp[kLanesWords + t];
      a0 = (int32_t)((uint32_t)a0 + (uint32_t)(w0[t] * xa));
      a1 = (int32_t)((uint32_t)a1 + (uint32_t)(w1[t] * xa));
      c0 = (int32_t)((uint32_t)c0 + (uint32_t)(w0[t] * xb));
      c1 = (int32_t)((uint32_t)c1 + (uint32_t)(w1[t] * xb));
    }
    acc[j] = a0;
    acc[j + 1] = a1;
    acc[kAccChunk + j] = c0;
    acc[kAccChunk + j + 1] = c1;
  }
  if (j < count) {  // an odd last row
    acc[j] = packed_dot(lanes, w, k, rd_i32(bias.p));
    acc[kAccChunk + j] = packed_dot(lanes + kLanesWords, w, k, rd_i32(bias.p));
  }
}

// What eval_int8 reads once per call, and the window of one output position.
struct ConvRun {
  ConvShape s;
  Geometry geo;
  const int8_t* x;
  uint32_t k, groups, per_image;
  int32_t input_offset, last_dy, last_dx;
  bool runs;  // a window inside the input is one contiguous run (1×k taps, dilation 1, 1 group)

  // The window of output position p (batch-major, then rows, then columns) and its batch's input.
  Window window(uint32_t p, const int8_t** xb) const {
    const uint32_t b = p / per_image, r = p % per_image;
    *xb = x + b * s.x.h * s.x.w * s.x.c;
    Window win;
    win.y0 = (int32_t)(r / s.y.w) * geo.stride_h - geo.pad_h;
    win.x0 = (int32_t)(r % s.y.w) * geo.stride_w - geo.pad_w;
    win.inside = win.y0 >= 0 && win.y0 + last_dy < (int32_t)s.x.h && win.x0 >= 0 &&
                 win.x0 + last_dx < (int32_t)s.x.w;
    return win;
  }

  // Widens position p's window for group g into `lanes` (through `patch` unless it is one run).
  void widen(uint32_t p, uint32_t g, int8_t* patch, uint32_t* lanes) const {
    const int8_t* xb;
    const Window win = window(p, &xb);
    const int8_t* src = patch;
    if (runs && win.inside) {
      src = xb + ((uint32_t)win.y0 * s.x.w + (uint32_t)win.x0) * s.x.c;
    } else {
      gather(xb, s, geo, win, g, (int8_t)-input_offset, patch);
    }
    packed_widen(src, k, input_offset, lanes);
  }
};

void eval_int8(const KernelArgs& a) {
  ConvRun r;
  r.s = conv_shape(a);
  r.geo = read_geometry(a.params);
  r.x = reinterpret_cast<const int8_t*>(a.in[0].data);
  r.k = r.s.kh * r.s.kw * r.s.depth;
  r.groups = r.s.x.c / r.s.depth;
  r.per_image = r.s.y.h * r.s.y.w;
  r.input_offset = rd_i32(a.params + 24);
  r.last_dy = ((int32_t)r.s.kh - 1) * r.geo.dil_or_filter_h;
  r.last_dx = ((int32_t)r.s.kw - 1) * r.geo.dil_or_filter_w;
  r.runs = r.s.kh == 1 && r.geo.dil_or_filter_w == 1 && r.groups == 1;
  ConvRequant rq;
  rq.read(a.params);
  const BiasWalk bias = bias_walk(a);
  const uint32_t k = r.k, cout = r.s.y.c, positions = r.s.x.n * r.per_image;
  const bool widen = k <= kPatchMax;
  const int8_t* w = reinterpret_cast<const int8_t*>(a.in[1].data);
  int8_t* const y = reinterpret_cast<int8_t*>(a.out.data);
  int8_t patch[kPatchMax];
  uint32_t lanes[2 * kLanesWords];
  int32_t acc[2 * kAccChunk];
  for (uint32_t p = 0; p < positions;) {
    // Two positions at a time where both widen (one group: their lanes hold the same channels).
    const bool pair = widen && r.groups == 1 && p + 1 < positions;
    for (uint32_t g = 0; g < r.groups; ++g) {
      if (widen) r.widen(p, g, patch, lanes);
      if (pair) r.widen(p + 1, g, patch, lanes + kLanesWords);
      const uint32_t oc_end = (g + 1) * r.s.per_group;
      for (uint32_t oc0 = g * r.s.per_group; oc0 < oc_end; oc0 += kAccChunk) {
        const uint32_t n = oc_end - oc0 < kAccChunk ? oc_end - oc0 : kAccChunk;
        const BiasWalk b0 = {bias.p + bias.step * oc0, bias.step};
        int8_t* const yp = y + p * cout + oc0;
        if (pair) {
          dot_rows_x2(lanes, w + oc0 * k, k, b0, n, acc);
          requant_rows(acc + kAccChunk, n, oc0, rq, yp + cout);
        } else if (widen) {  // one position: a row at a time
          for (uint32_t j = 0; j < n; ++j) {
            acc[j] = packed_dot(lanes, w + (oc0 + j) * k, k, rd_i32(b0.p + b0.step * j));
          }
        } else {
          const int8_t* xb;
          const Window win = r.window(p, &xb);
          for (uint32_t j = 0; j < n; ++j) {
            acc[j] = dot_taps(xb, w + (oc0 + j) * k, r.s, r.geo, win, g, r.input_offset,
                              rd_i32(b0.p + b0.step * j));
          }
        }
        requant_rows(acc, n, oc0, rq, yp);
      }
    }
    p += pair ? 2 : 1;
  }
  clamp_output(a);
}

// TFLite's order: for fy, fx (inside the input), for each channel: total += x * w in binary32; then
// total + bias (0.0 when absent), clamped.
void eval_f32(const KernelArgs& a) {
  const Geometry geo = read_geometry(a.params);
  const float act_min = rd_f32(a.params + 24), act_max = rd_f32(a.params + 28);
  const ConvShape s = conv_shape(a);
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
              const uint8_t* wp = a.in[1].data + 4 * (((oc * s.kh + fy) * s.kw + fx) * s.depth);
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

void eval(const KernelArgs& a) {
  if (tensor_type(a.out.rec) == fmt::kTypeInt8) {
    eval_int8(a);
  } else {
    eval_f32(a);
  }
}

// BAD_OP: the shared tensor checks, then Cin a multiple of the filter depth and Cout of the group
// count; BAD_PARAMS: the shared params checks.
ModelStatus check(const KernelArgs& a) {
  if (!conv_tensors_ok(a, 0)) return ModelStatus::kBadOp;
  const uint8_t* w = a.in[1].rec;
  const uint32_t cin = nhwc(a.in[0].rec).c, depth = tensor_dim(w, 3), cout = tensor_dim(w, 0);
  if (cin % depth != 0 || cout % (cin / depth) != 0) return ModelStatus::kBadOp;
  return conv_params_ok(a, tensor_dim(w, 1), tensor_dim(w, 2), cout);
}

}  // namespace

static_assert(kMaxOpInputs >= 3, "CONV_2D takes up to 3 inputs (build_config.h)");
extern const OpRegistration kKernel_CONV_2D = {fmt::kOpConv2D, 3, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_CONV_2D
