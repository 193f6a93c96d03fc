// DEPTHWISE_CONV_2D (4), int8 and float32, bit-exact with TFLM's
// reference_integer_ops::DepthwiseConvPerChannel and reference_ops::DepthwiseConv
// (docs/model-format.md §5): NHWC input [N, H, W, Cin] (rank 3: H = 1), filter [1, KH, KW, Cout]
// with Cout = Cin * M, output channel oc = ic * M + m reading input channel ic; stride, dilation,
// the sender's pads; taps outside the input are skipped.
//
// int8, per output position: the taps inside the input are listed once (pointers to their input
// pixel and filter row, at most kMaxTaps; larger windows are walked with bounds checks), then the
// output channels sum over the list without bounds checks — with multiplier 1, four channels per
// step in 16-bit lanes (one input word and one filter word per tap, SMLABB/SMLATT into four
// sums: dw_acc4) — and are requantized (requant_rows). Integer sums wrap modulo 2^32 like TFLite's
// int32 accumulator.
#include "../kernel_api.h"
#include "../quant_math.h"
#include "conv_common.h"

#if TT_OP_DEPTHWISE_CONV_2D

namespace tt {

namespace {

constexpr uint32_t kMaxTaps = 64;  // listed taps per window (two pointers each on the stack)

struct DwShape {
  Nhwc x, y;
  uint32_t kh, kw, mult;
};

DwShape dw_shape(const KernelArgs& a) {
  DwShape s;
  s.x = nhwc(a.in[0].rec);
  s.y = nhwc(a.out.rec);
  s.kh = tensor_dim(a.in[1].rec, 1);
  s.kw = tensor_dim(a.in[1].rec, 2);
  s.mult = s.y.c / s.x.c;
  return s;
}

// Lists the taps of the window at (y0, x0) that lie inside the input: xp = the input pixel's
// channel 0, wp = the filter tap's channel 0. Returns their count.
uint32_t list_taps(const DwShape& s, const Geometry& geo, const int8_t* xb, const int8_t* w,
                   int32_t y0, int32_t x0, const int8_t** xp, const int8_t** wp) {
  uint32_t t = 0;
  for (uint32_t fy = 0; fy < s.kh; ++fy) {
    const int32_t iy = y0 + (int32_t)fy * geo.dil_or_filter_h;
    if (iy < 0 || iy >= (int32_t)s.x.h) continue;
    for (uint32_t fx = 0; fx < s.kw; ++fx) {
      const int32_t ix = x0 + (int32_t)fx * geo.dil_or_filter_w;
      if (ix < 0 || ix >= (int32_t)s.x.w) continue;
      xp[t] = xb + ((uint32_t)iy * s.x.w + (uint32_t)ix) * s.x.c;
      wp[t] = w + (fy * s.kw + fx) * s.y.c;
      ++t;
    }
  }
  return t;
}

// Two int16 lanes times two int16 lanes into separate sums: acc + lo(a) * lo(b) (SMLABB) and
// acc + hi(a) * hi(b) (SMLATT), wrapping mod 2^32.
TT_ALWAYS_INLINE int32_t smlabb(uint32_t a, uint32_t b, int32_t acc) {
#if TT_HAVE_DSP
  return __smlabb((int32_t)a, (int32_t)b, acc);
#else
  return (int32_t)((uint32_t)acc + (uint32_t)(lo16(a) * lo16(b)));
#endif
}
TT_ALWAYS_INLINE int32_t smlatt(uint32_t a, uint32_t b, int32_t acc) {
#if TT_HAVE_DSP
  return __smlatt((int32_t)a, (int32_t)b, acc);
#else
  return (int32_t)((uint32_t)acc + (uint32_t)(hi16(a) * hi16(b)));
#endif
}

// Multiplier 1, channels c0 … c0 + count - 1 with count % 4 == 0: acc[j] = bias + the sum over
// the listed taps of w[c] * (x[c] + input_offset), four channels per step in 16-bit lanes (one
// word of input and one of filter per tap), the four sums in registers.
TT_NOINLINE TT_OPTIMIZE_SPEED void dw_acc4(const int8_t* const* xp, const int8_t* const* wp,
                                           uint32_t taps, uint32_t c0, uint32_t count,
                                           int32_t input_offset, BiasWalk bias, int32_t* acc) {
  const uint32_t offsets = lane16(input_offset) | lane16(input_offset) << 16;
  for (uint32_t c = c0; c != c0 + count; c += 4, acc += 4) {
    const uint8_t* bp = bias.p + bias.step * c;
    int32_t a0 = rd_i32(bp), a1 = rd_i32(bp + bias.step), a2 = rd_i32(bp + 2 * bias.step),
            a3 = rd_i32(bp + 3 * bias.step);
    for (uint32_t t = 0; t < taps; ++t) {
      const uint32_t xv = rd_u32(reinterpret_cast<const uint8_t*>(xp[t] + c));
      const uint32_t wv = rd_u32(reinterpret_cast<const uint8_t*>(wp[t] + c));
      const uint32_t xe = sadd16(sxtb16(xv), offsets), xo = sadd16(sxtb16_odd(xv), offsets);
      const uint32_t we = sxtb16(wv), wo = sxtb16_odd(wv);
      a0 = smlabb(we, xe, a0);  // channel c
      a2 = smlatt(we, xe, a2);  // c + 2
      a1 = smlabb(wo, xo, a1);  // c + 1
      a3 = smlatt(wo, xo, a3);  // c + 3
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
  }
}

// Any multiplier: output channels oc0 … oc0 + count - 1, oc reading input channel oc / mult.
TT_NOINLINE void dw_acc(const int8_t* const* xp, const int8_t* const* wp, uint32_t taps,
                        uint32_t oc0, uint32_t count, uint32_t mult, int32_t input_offset,
                        BiasWalk bias, int32_t* acc) {
  for (uint32_t oc = oc0; oc != oc0 + count; ++oc) {
    const uint32_t ic = oc / mult;
    uint32_t sum = rd_u32(bias.p + bias.step * oc);
    for (uint32_t t = 0; t < taps; ++t) sum += (uint32_t)(wp[t][oc] * (xp[t][ic] + input_offset));
    *acc++ = (int32_t)sum;
  }
}

// Windows of more than kMaxTaps taps: the same sums with bounds checks per tap.
TT_NOINLINE void dw_acc_unlisted(const DwShape& s, const Geometry& geo, const int8_t* xb,
                                 const int8_t* w, int32_t y0, int32_t x0, uint32_t oc0,
                                 uint32_t count, int32_t input_offset, BiasWalk bias,
                                 int32_t* acc) {
  for (uint32_t oc = oc0; oc != oc0 + count; ++oc) {
    const uint32_t ic = oc / s.mult;
    uint32_t sum = rd_u32(bias.p + bias.step * oc);
    for (uint32_t fy = 0; fy < s.kh; ++fy) {
      const int32_t iy = y0 + (int32_t)fy * geo.dil_or_filter_h;
      if (iy < 0 || iy >= (int32_t)s.x.h) continue;
      for (uint32_t fx = 0; fx < s.kw; ++fx) {
        const int32_t ix = x0 + (int32_t)fx * geo.dil_or_filter_w;
        if (ix < 0 || ix >= (int32_t)s.x.w) continue;
        const uint32_t xi = ((uint32_t)iy * s.x.w + (uint32_t)ix) * s.x.c + ic;
        sum += (uint32_t)(w[(fy * s.kw + fx) * s.y.c + oc] * (xb[xi] + input_offset));
      }
    }
    *acc++ = (int32_t)sum;
  }
}

void eval_int8(const KernelArgs& a) {
  const Geometry geo = read_geometry(a.params);
  const int32_t input_offset = rd_i32(a.params + 24);
  ConvRequant rq;
  rq.read(a.params);
  const BiasWalk bias = bias_walk(a);
  const DwShape s = dw_shape(a);
  const bool listed = s.kh * s.kw <= kMaxTaps;
  const int8_t* w = reinterpret_cast<const int8_t*>(a.in[1].data);
  int8_t* y = reinterpret_cast<int8_t*>(a.out.data);
  const int8_t* xp[kMaxTaps];
  const int8_t* wp[kMaxTaps];
  int32_t acc[kAccChunk];
  for (uint32_t b = 0; b < s.x.n; ++b) {
    const int8_t* xb = reinterpret_cast<const int8_t*>(a.in[0].data) + b * s.x.h * s.x.w * s.x.c;
    for (uint32_t oy = 0; oy < s.y.h; ++oy) {
      const int32_t y0 = (int32_t)oy * geo.stride_h - geo.pad_h;
      for (uint32_t ox = 0; ox < s.y.w; ++ox) {
        const int32_t x0 = (int32_t)ox * geo.stride_w - geo.pad_w;
        const uint32_t taps = listed ? list_taps(s, geo, xb, w, y0, x0, xp, wp) : 0;
        for (uint32_t oc0 = 0; oc0 < s.y.c; oc0 += kAccChunk) {
          const uint32_t n = s.y.c - oc0 < kAccChunk ? s.y.c - oc0 : kAccChunk;
          if (!listed) {
            dw_acc_unlisted(s, geo, xb, w, y0, x0, oc0, n, input_offset, bias, acc);
          } else if (s.mult == 1 && n % 4 == 0) {
            dw_acc4(xp, wp, taps, oc0, n, input_offset, bias, acc);
          } else {
            dw_acc(xp, wp, taps, oc0, n, s.mult, input_offset, bias, acc);
          }
          requant_rows(acc, n, oc0, rq, y);
          y += n;
        }
      }
    }
  }
  clamp_output(a);
}

// conv_common.h's conv_f32, one channel per product (TFLite's order: for fy, fx inside the input,
// total += x * w in binary32; then total + bias, 0.0 when absent, clamped).
void eval_f32(const KernelArgs& a) {
  const DwShape s = dw_shape(a);
  const ConvF32 f = {s.x, s.y, s.kh, s.kw, 1, s.mult, 1, s.y.c};
  conv_f32(a, f);
}

void eval(const KernelArgs& a) {
  if (tensor_type(a.out.rec) == fmt::kTypeInt8) {
    eval_int8(a);
  } else {
    eval_f32(a);
  }
}

// BAD_OP: the shared tensor checks, then a filter [1, KH, KW, Cout] with Cout a multiple of Cin;
// BAD_PARAMS: the shared params checks.
ModelStatus check(const KernelArgs& a) {
  if (!conv_tensors_ok(a, 3)) return ModelStatus::kBadOp;
  const uint8_t* w = a.in[1].rec;
  const uint32_t cout = tensor_dim(w, 3);
  if (tensor_dim(w, 0) != 1 || cout % nhwc(a.in[0].rec).c != 0) return ModelStatus::kBadOp;
  return conv_params_ok(a, tensor_dim(w, 1), tensor_dim(w, 2), cout);
}

}  // namespace

static_assert(kMaxOpInputs >= 3, "DEPTHWISE_CONV_2D takes up to 3 inputs (build_config.h)");
extern const OpRegistration kKernel_DEPTHWISE_CONV_2D = {
    fmt::kOpDepthwiseConv2D, 3, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_DEPTHWISE_CONV_2D
