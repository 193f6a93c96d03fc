// CONV_2D (3), int8 and float32, bit-exact with TFLM's reference_integer_ops::ConvPerChannel and
// reference_ops::Conv (docs/model-format.md §5): NHWC input [N, H, W, Cin] (rank 3: H = 1), filter
// [Cout, KH, KW, Cin / groups], bias [Cout] or absent, stride, dilation, the sender's pads; taps
// outside the input are skipped.
//
// int8, four output positions at a time (a block; the last may be partial): the four windows'
// Cin/groups-deep taps (filter volume K = KH·KW·depth) are widened once into int16 lanes with the
// input offset added, interleaved so that one group of four taps of all four positions is eight
// consecutive words (widen_block; taps outside the input become 0, i.e. the input zero point
// before the offset). A window inside the input that is one contiguous run (1×k taps, dilation 1,
// one group: Conv1D and every 1×1 convolution) is widened straight from the input, and so is
// every tap of depth % 4 == 0 (the dilated Conv1D); other windows are first gathered into a stack
// patch. Then each filter row is one pass over the lanes that widens each weight word once for
// four sums (dot_block: two SMLADs per position per four weights, eight lane words per LDM pair
// on cores with the DSP extension), and the four sums are requantized with the row's multiplier
// (requant_block). Filters larger than kBlockMax take taps one by one per position
// (packed_dot_raw) instead. Integer sums wrap modulo 2^32 like TFLite's int32 accumulator.
#include "../kernel_api.h"
#include "../quant_math.h"
#include "conv_common.h"

#if TT_OP_CONV_2D

#include <string.h>

namespace tt {

namespace {

// The largest filter volume widened for a block: 8 * kBlockMax bytes of lanes and kBlockMax bytes
// of patch on the stack (about 1.8 KiB with the tail words).
constexpr uint32_t kBlockMax = 192;
constexpr uint32_t kBlock = 4;  // output positions per block

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

// The input pixel of tap (fy, fx) of a window, channel 0 of group g, or null outside the input.
inline const int8_t* tap_at(const int8_t* xb, const ConvShape& s, const Geometry& geo,
                            const Window& win, uint32_t fy, uint32_t fx, uint32_t g) {
  const int32_t iy = win.y0 + (int32_t)fy * geo.dil_or_filter_h;
  const int32_t ix = win.x0 + (int32_t)fx * geo.dil_or_filter_w;
  if (iy < 0 || iy >= (int32_t)s.x.h || ix < 0 || ix >= (int32_t)s.x.w) return nullptr;
  return xb + ((uint32_t)iy * s.x.w + (uint32_t)ix) * s.x.c + g * s.depth;
}

// acc + the window's products for one output channel, tap by tap (filters larger than kBlockMax).
int32_t dot_taps(const int8_t* xb, const int8_t* wrow, const ConvShape& s, const Geometry& geo,
                 const Window& win, uint32_t g, int32_t input_offset, int32_t acc) {
  for (uint32_t fy = 0; fy < s.kh; ++fy) {
    for (uint32_t fx = 0; fx < s.kw; ++fx) {
      const int8_t* xp = tap_at(xb, s, geo, win, fy, fx, g);
      if (xp == nullptr) continue;
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

// Lane words of a block: K / 4 groups of eight words — per position (x0, x2) and (x1, x3) of the
// group's four taps plus the offset (the lane order SXTB16 gives the weights) — then the K % 4
// leftover taps as int32 words, four per tap (one per position).
constexpr uint32_t kBlockWords = 2 * kBlockMax + 3 * kBlock;

// Widens `groups` groups of four int8 values at x plus the offsets (both lanes) into one
// position's words of a block, from `out` on. Returns where the next group goes.
TT_ALWAYS_INLINE uint32_t* widen_groups(const int8_t* x, uint32_t groups, uint32_t offsets,
                                        uint32_t* out) {
  for (; groups != 0; --groups, x += 4, out += 2 * kBlock) {
    const uint32_t v = rd_u32(reinterpret_cast<const uint8_t*>(x));
    out[0] = sadd16(sxtb16(v), offsets);
    out[1] = sadd16(sxtb16_odd(v), offsets);
  }
  return out;
}

// a0 … a3 + the products of `groups` groups of four weights (w, one filter row) with block
// positions 0 … 3's lanes, wrapping mod 2^32. With the DSP extension on Thumb-2: per
// group one weight word widened into two (SXTB16), two LDMs of four lane words, eight SMLADs;
// two groups per loop iteration (14 instructions per 16 products).
TT_ALWAYS_INLINE void dot_block(const uint32_t* lanes, const int8_t* w, uint32_t groups,
                                int32_t& a0, int32_t& a1, int32_t& a2, int32_t& a3) {
#if TT_HAVE_DSP && defined(__thumb2__)
  if (groups != 0) {
    const uint32_t* const end = lanes + 2 * kBlock * groups;
    uint32_t t = groups, u;
#define TT_CONV_STEP                     \
  "ldr %[t], [%[w]], #4\n\t"             \
  "ldmia %[lp]!, {r8, r9, r10, r11}\n\t" \
  "sxtb16 %[u], %[t]\n\t"                \
  "sxtb16 %[t], %[t], ror #8\n\t"        \
  "smlad %[a0], %[u], r8, %[a0]\n\t"     \
  "smlad %[a0], %[t], r9, %[a0]\n\t"     \
  "smlad %[a1], %[u], r10, %[a1]\n\t"    \
  "smlad %[a1], %[t], r11, %[a1]\n\t"    \
  "ldmia %[lp]!, {r8, r9, r10, r11}\n\t" \
  "smlad %[a2], %[u], r8, %[a2]\n\t"     \
  "smlad %[a2], %[t], r9, %[a2]\n\t"     \
  "smlad %[a3], %[u], r10, %[a3]\n\t"    \
  "smlad %[a3], %[t], r11, %[a3]\n\t"
    // An odd group first, then two per iteration; LDM's register list is in ascending order, as
    // the lanes of a position are (r8, r9) and of the next (r10, r11).
    __asm volatile(
        "lsls %[t], %[t], #31\n\t"
        "beq 2f\n\t" TT_CONV_STEP
        "cmp %[lp], %[end]\n\t"
        "beq 3f\n\t"
        "2:\n\t" TT_CONV_STEP TT_CONV_STEP
        "cmp %[lp], %[end]\n\t"
        "bne 2b\n\t"
        "3:"
        : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [w] "+r"(w), [lp] "+r"(lanes),
          [t] "+r"(t), [u] "=&r"(u)
        : [end] "r"(end)
        : "r8", "r9", "r10", "r11", "cc", "memory");
#undef TT_CONV_STEP
  }
#else
  for (; groups != 0; --groups, w += 4, lanes += 2 * kBlock) {
    const uint32_t v = rd_u32(reinterpret_cast<const uint8_t*>(w));
    const uint32_t ve = sxtb16(v), vo = sxtb16_odd(v);
    a0 = smlad(vo, lanes[1], smlad(ve, lanes[0], a0));
    a1 = smlad(vo, lanes[3], smlad(ve, lanes[2], a1));
    a2 = smlad(vo, lanes[5], smlad(ve, lanes[4], a2));
    a3 = smlad(vo, lanes[7], smlad(ve, lanes[6], a3));
  }
#endif
}

// What eval_int8 reads once per call.
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

  // Widens the window of position p, group g, into block slot i of `lanes` (kBlockWords words).
  void widen(uint32_t p, uint32_t g, uint32_t i, int8_t* patch, uint32_t* lanes) const {
    const int8_t* xb;
    const Window win = window(p, &xb);
    const uint32_t offsets = lane16(input_offset) | lane16(input_offset) << 16;
    uint32_t* out = lanes + 2 * i;
    const int8_t* src = patch;
    if (runs && win.inside) {
      src = xb + ((uint32_t)win.y0 * s.x.w + (uint32_t)win.x0) * s.x.c;
    } else if (s.depth % 4 == 0) {  // tap by tap, each a whole number of groups; no leftovers
      for (uint32_t fy = 0; fy < s.kh; ++fy) {
        for (uint32_t fx = 0; fx < s.kw; ++fx) {
          const int8_t* xp = tap_at(xb, s, geo, win, fy, fx, g);
          if (xp != nullptr) {
            out = widen_groups(xp, s.depth / 4, offsets, out);
          } else {
            for (uint32_t n = s.depth / 4; n != 0; --n, out += 2 * kBlock) out[0] = out[1] = 0;
          }
        }
      }
      return;
    } else {  // gathered in filter order, the input zero point for taps outside
      for (uint32_t fy = 0; fy < s.kh; ++fy) {
        for (uint32_t fx = 0; fx < s.kw; ++fx, patch += s.depth) {
          const int8_t* xp = tap_at(xb, s, geo, win, fy, fx, g);
          if (xp != nullptr) {
            memcpy(patch, xp, s.depth);
          } else {
            memset(patch, -input_offset, s.depth);
          }
        }
      }
    }
    widen_groups(src, k / 4, offsets, out);
    uint32_t* tail = lanes + 2 * kBlock * (k / 4) + i;
    for (uint32_t t = k / 4 * 4; t < k; ++t, tail += kBlock)
      *tail = (uint32_t)(src[t] + input_offset);
  }
};

// Whether requant_int8_proven is exact for every output of the op: every shift < 0 and every
// |bias| <= 2^29, so that with K <= kBlockMax every sum, bias + sum(w * (x + input_offset)) with
// |w * (x + input_offset)| <= 128 * 255, stays within [-2^30, 2^30). Real layers pass; an op
// that does not takes the checked requantization.
bool requant_proven(const ConvRequant& rq, BiasWalk bias, uint32_t cout) {
  for (const uint8_t* s = rq.mult + rq.shifts; s != rq.mult + 2 * rq.shifts; s += 4) {
    if (rd_i32(s) >= 0) return false;
  }
  for (uint32_t oc = 0; oc < cout; ++oc, bias.p += bias.step) {
    const int32_t v = rd_i32(bias.p);
    if (v > (1 << 29) || v < -(1 << 29)) return false;
  }
  return true;
}

// One block (`count` positions, lanes widened) and the output channels oc0 … oc0 + rows - 1 of a
// group.
struct BlockJob {
  const uint32_t* lanes;
  const int8_t* w;      // channel oc0's filter row; the next K bytes on
  BiasWalk bias;        // channel oc0's bias word
  const uint8_t* mult;  // channel oc0's multiplier (ConvRequant's layout)
  uint32_t rows, count;
  int8_t* y;  // channel oc0 of the block's first position; a position is cout bytes on
};

// Each filter row once over the block's lanes, its K % 4 leftover taps, then the four sums
// requantized with the row's multiplier; the first `count` stored.
TT_NOINLINE TT_OPTIMIZE_SPEED void block_rows(BlockJob j, uint32_t k, const ConvRequant& rq,
                                              uint32_t cout, bool proven) {
  const uint32_t groups = k / 4;
  const uint32_t* const tail = j.lanes + 2 * kBlock * groups;
  for (; j.rows != 0; --j.rows, j.w += k, j.bias.p += j.bias.step, j.mult += rq.step, ++j.y) {
    const int32_t b = rd_i32(j.bias.p);
    int32_t a0 = b, a1 = b, a2 = b, a3 = b;
    dot_block(j.lanes, j.w, groups, a0, a1, a2, a3);
    for (uint32_t t = groups * 4; t < k; ++t) {
      const uint32_t wt = (uint32_t)(int32_t)j.w[t];
      const uint32_t* const x = tail + kBlock * (t - groups * 4);
      a0 = (int32_t)((uint32_t)a0 + wt * x[0]);
      a1 = (int32_t)((uint32_t)a1 + wt * x[1]);
      a2 = (int32_t)((uint32_t)a2 + wt * x[2]);
      a3 = (int32_t)((uint32_t)a3 + wt * x[3]);
    }
    const int32_t m = rd_i32(j.mult), s = rd_i32(j.mult + rq.shifts), o2 = rq.offset2;
    int32_t v0, v1, v2, v3;
    if (proven) {
      v0 = requant_int8_proven(a0, m, ~s, o2);
      v1 = requant_int8_proven(a1, m, ~s, o2);
      v2 = requant_int8_proven(a2, m, ~s, o2);
      v3 = requant_int8_proven(a3, m, ~s, o2);
    } else {  // the exact general case
      v0 = conv_requant_exact(a0, m, s, o2);
      v1 = conv_requant_exact(a1, m, s, o2);
      v2 = conv_requant_exact(a2, m, s, o2);
      v3 = conv_requant_exact(a3, m, s, o2);
    }
    int8_t* y = j.y;
    *y = (int8_t)v0;
    if (j.count > 1) *(y += cout) = (int8_t)v1;
    if (j.count > 2) *(y += cout) = (int8_t)v2;
    if (j.count > 3) *(y += cout) = (int8_t)v3;
  }
}

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
  const int8_t* w = reinterpret_cast<const int8_t*>(a.in[1].data);
  int8_t* const y = reinterpret_cast<int8_t*>(a.out.data);
  if (k <= kBlockMax) {
    int8_t patch[kBlockMax];
    uint32_t lanes[kBlockWords];
    const bool proven = requant_proven(rq, bias, cout);
    for (uint32_t p = 0; p < positions; p += kBlock) {
      const uint32_t count = positions - p < kBlock ? positions - p : kBlock;
      for (uint32_t g = 0; g < r.groups; ++g) {
        // A partial block's missing positions repeat its last one (their sums are not stored).
        for (uint32_t i = 0; i < kBlock; ++i)
          r.widen(p + (i < count ? i : count - 1), g, i, patch, lanes);
        const uint32_t oc0 = g * r.s.per_group;
        const BlockJob job = {lanes,
                              w + oc0 * k,
                              {bias.p + bias.step * oc0, bias.step},
                              rq.mult + rq.step * oc0,
                              r.s.per_group,
                              count,
                              y + p * cout + oc0};
        block_rows(job, k, rq, cout, proven);
      }
    }
  } else {
    int32_t acc[kAccChunk];
    for (uint32_t p = 0; p < positions; ++p) {
      const int8_t* xb;
      const Window win = r.window(p, &xb);
      for (uint32_t g = 0; g < r.groups; ++g) {
        const uint32_t oc_end = (g + 1) * r.s.per_group;
        for (uint32_t oc0 = g * r.s.per_group; oc0 < oc_end; oc0 += kAccChunk) {
          const uint32_t n = oc_end - oc0 < kAccChunk ? oc_end - oc0 : kAccChunk;
          for (uint32_t j = 0; j < n; ++j) {
            acc[j] = dot_taps(xb, w + (oc0 + j) * k, r.s, r.geo, win, g, r.input_offset,
                              rd_i32(bias.p + bias.step * (oc0 + j)));
          }
          requant_rows(acc, n, oc0, rq, y + p * cout + oc0);
        }
      }
    }
  }
  clamp_output(a);
}

// conv_common.h's conv_f32 with the filter's depth and groups.
void eval_f32(const KernelArgs& a) {
  const ConvShape s = conv_shape(a);
  const ConvF32 f = {s.x, s.y, s.kh, s.kw, s.depth, s.per_group, s.kh * s.kw * s.depth, s.depth};
  conv_f32(a, f);
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
