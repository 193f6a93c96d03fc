// ADD, SUB, MUL, BATCH_MATMUL and CONV_2D int8 against their TFLite reference formulas written out
// plainly with the exact primitives (quant_math.h: srdhm, rdbp, mbqm), on seeded random params and
// inputs: the kernels' shortcuts (SMMULR for srdhm, the folded rdbp, two columns per pass, SXTB16
// lanes) must give the same bytes for every param they accept, in and out of the shortcuts' range.
#include <stdint.h>

#include <vector>

#include "quant_math.h"
#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
namespace f = tt::fmt;

namespace {

struct Rng {
  uint64_t s;
  uint32_t next() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(s >> 32);
  }
  int32_t range(int32_t lo, int32_t hi) { return lo + (int32_t)(next() % (uint32_t)(hi - lo + 1)); }
  int8_t i8() { return (int8_t)next(); }
  // A multiplier as TFLite's QuantizeMultiplier gives (2^30 … 2^31 - 1), or sometimes any value.
  int32_t multiplier() {
    return next() % 8 == 0 ? (int32_t)next() : (int32_t)(0x40000000u + next() % 0x40000000u);
  }
};

int32_t ref_mbqm(int32_t x, int32_t m, int32_t s) {
  return s > 0 ? tt::srdhm(tt::wrap_shl(x, s), m) : tt::rdbp(tt::srdhm(x, m), -s);
}

int8_t clamp8(int32_t v, int32_t lo, int32_t hi) { return (int8_t)(v < lo ? lo : v > hi ? hi : v); }

Bytes binary_model(uint8_t opcode, uint16_t n, const Params& p) {
  BlobBuilder b;
  const uint16_t x = b.arena(f::kTypeInt8, {n});
  const uint16_t z = b.arena(f::kTypeInt8, {n});
  const uint16_t y = b.arena(f::kTypeInt8, {n});
  b.op(opcode, {x, z}, {y}, p);
  b.io({x, z}, {y});
  return b.build();
}

}  // namespace

// Every (a, b) pair of int8 values per params draw; left_shift mostly 20 (the converter's), also
// up to 30; shifts down to -31. Half the draws on 512 elements, where the kernel looks the
// rescaled inputs up in tables (kAddSubTableMin), half on 256, where it computes them.
TT_TEST(add_sub_int8_random_params) {
  Rng rng{1};
  for (int draw = 0; draw < 120; ++draw) {
    const uint16_t n = (draw / 2) % 2 == 0 ? 512 : 256;
    const bool sub = draw % 2 == 1;
    int32_t o1 = rng.range(-127, 128), o2 = rng.range(-127, 128);
    const int32_t oo = rng.range(-128, 127);
    int32_t ls = draw % 5 == 4 ? rng.range(0, 30) : 20;
    int32_t m1 = rng.multiplier(), m2 = rng.multiplier(), mo = rng.multiplier();
    int32_t s1 = draw % 7 == 6 ? -31 : rng.range(-3, 0), s2 = rng.range(-3, 0);
    int32_t so = draw % 11 == 10 ? rng.range(-31, 0) : rng.range(-23, -15);
    int32_t lo = -128, hi = 127;
    if (draw % 3 == 2) lo = rng.range(-128, 0), hi = rng.range(lo, 127);
    // The largest sums: |a + offset| = 255 for both inputs with the same sign of a'' ± b''
    // (offsets -127 or 128, and opposite for SUB), multipliers near 1, input shifts 0,
    // out_shift -30 or -29, left_shift 19 … 22.
    const bool extreme = draw % 10 >= 8;
    if (extreme) {
      o1 = (draw / 10) % 2 == 0 ? -127 : 128;
      o2 = sub ? 1 - o1 : o1;
      m1 = m2 = mo = INT32_MAX - draw;
      s1 = s2 = 0;
      so = -30 + (draw / 40) % 2;
      ls = 19 + (draw / 20) % 4;
    }
    Params p;
    p.i32(o1).i32(o2).i32(oo).i32(ls).i32(m1).i32(s1).i32(m2).i32(s2).i32(mo).i32(so).i32(lo).i32(
        hi);
    const Bytes m = binary_model(sub ? f::kOpSub : f::kOpAdd, n, p);
    for (int pass = 0; pass < 256; pass += 1) {
      std::vector<int8_t> in(2 * n), y(n);
      for (int i = 0; i < n; ++i) in[i] = (int8_t)i, in[n + i] = (int8_t)(pass + i * 7);
      TT_REQUIRE(run(m, in.data(), y.data()));
      for (int i = 0; i < n; ++i) {
        const int32_t a2 = ref_mbqm(tt::wrap_shl(in[i] + o1, ls), m1, s1);
        const int32_t b2 = ref_mbqm(tt::wrap_shl(in[n + i] + o2, ls), m2, s2);
        const int32_t r =
            ref_mbqm(sub ? (int32_t)((uint32_t)a2 - (uint32_t)b2) : tt::wrap_add(a2, b2), mo, so);
        const int8_t want = clamp8(tt::wrap_add(r, oo), lo, hi);
        if (y[i] != want) {
          TT_CHECK_EQ((int)y[i], (int)want);
          return;
        }
      }
      if (draw % 4 != 0 && !extreme) break;  // every pair for a quarter of the draws
    }
  }
}

// MUL: every (a, b) pair per draw; shifts from -31 to 30 (real multipliers below and above one).
TT_TEST(mul_int8_random_params) {
  Rng rng{2};
  const uint16_t n = 256;
  for (int draw = 0; draw < 120; ++draw) {
    const int32_t o1 = rng.range(-127, 128), o2 = rng.range(-127, 128), oo = rng.range(-128, 127);
    const int32_t mult = rng.multiplier();
    const int32_t s = draw % 6 == 5 ? rng.range(-31, 30) : rng.range(-12, 2);
    int32_t lo = -128, hi = 127;
    if (draw % 3 == 2) lo = rng.range(-128, 0), hi = rng.range(lo, 127);
    Params p;
    p.i32(o1).i32(o2).i32(oo).i32(mult).i32(s).i32(lo).i32(hi);
    const Bytes m = binary_model(f::kOpMul, n, p);
    for (int pass = 0; pass < 256; ++pass) {
      std::vector<int8_t> in(2 * n), y(n);
      for (int i = 0; i < n; ++i) in[i] = (int8_t)i, in[n + i] = (int8_t)(pass + i * 13);
      TT_REQUIRE(run(m, in.data(), y.data()));
      for (int i = 0; i < n; ++i) {
        const int32_t prod = (in[i] + o1) * (in[n + i] + o2);
        const int8_t want = clamp8(tt::wrap_add(ref_mbqm(prod, mult, s), oo), lo, hi);
        if (y[i] != want) {
          TT_CHECK_EQ((int)y[i], (int)want);
          return;
        }
      }
      if (draw % 4 != 0) break;
    }
  }
}

// BATCH_MATMUL: random shapes (depth 1 … 70, so the lanes path and the plain loop), adj_x / adj_y,
// a broadcast batch dim, random params.
TT_TEST(batch_matmul_int8_random) {
  Rng rng{3};
  for (int draw = 0; draw < 400; ++draw) {
    const uint16_t rows = (uint16_t)rng.range(1, 9), cols = (uint16_t)rng.range(1, 17);
    const uint16_t depth = (uint16_t)(draw % 10 == 9 ? rng.range(60, 70) : rng.range(1, 33));
    const uint16_t bx = (uint16_t)rng.range(1, 2), by = bx == 2 && draw % 2 ? 1 : bx;
    const bool adj_x = rng.next() % 2 == 1, adj_y = rng.next() % 2 == 1;
    const int32_t ox = rng.range(-127, 128), oy = rng.range(-127, 128), oo = rng.range(-128, 127);
    const int32_t mult = rng.multiplier(),
                  shift = draw % 8 == 7 ? rng.range(-31, 30) : rng.range(-14, -4);
    Params p;
    p.i32(adj_x).i32(adj_y).i32(ox).i32(oy).i32(oo).i32(mult).i32(shift);
    BlobBuilder b;
    const uint16_t x = b.arena(f::kTypeInt8, {bx, adj_x ? depth : rows, adj_x ? rows : depth});
    const uint16_t y = b.arena(f::kTypeInt8, {by, adj_y ? cols : depth, adj_y ? depth : cols});
    const uint16_t z = b.arena(f::kTypeInt8, {bx, rows, cols});
    b.op(f::kOpBatchMatmul, {x, y}, {z}, p);
    b.io({x, y}, {z});
    const uint32_t nx = bx * rows * depth, ny = by * depth * cols;
    std::vector<int8_t> in(nx + ny), out((size_t)bx * rows * cols);
    for (auto& v : in) v = rng.i8();
    TT_REQUIRE(run(b.build(), in.data(), out.data()));
    const int8_t* X = in.data();
    const int8_t* Y = in.data() + nx;
    for (uint32_t bi = 0; bi < bx; ++bi) {
      const int8_t* xb = X + bi * rows * depth;
      const int8_t* yb = Y + (by == 1 ? 0 : bi) * depth * cols;
      for (uint32_t r = 0; r < rows; ++r) {
        for (uint32_t c = 0; c < cols; ++c) {
          uint32_t acc = 0;
          for (uint32_t k = 0; k < depth; ++k) {
            const int32_t xv = adj_x ? xb[k * rows + r] : xb[r * depth + k];
            const int32_t yv = adj_y ? yb[c * depth + k] : yb[k * cols + c];
            acc += (uint32_t)((xv + ox) * (yv + oy));
          }
          const int8_t want =
              clamp8(tt::wrap_add(ref_mbqm((int32_t)acc, mult, shift), oo), -128, 127);
          const int8_t got = out[(bi * rows + r) * cols + c];
          if (got != want) {
            TT_CHECK_EQ((int)got, (int)want);
            return;
          }
        }
      }
    }
  }
}

namespace {

// One int8 output of TFLite's reference_integer_ops::ConvPerChannel, written out: bias + the sum
// over the window's taps inside the input of w * (x + input_offset), wrapping mod 2^32, then
// MBQM, the output offset and the clamp.
struct ConvCase {
  uint32_t h, w, cin, kh, kw, depth, cout;
  int32_t sh, sw, dh, dw, ph, pw;
  uint32_t oh, ow;
};

// The largest output size along one axis that the window rule (docs/model-format.md §7) allows
// for this pad, or 0 if none does.
uint32_t conv_out_size(uint32_t in, uint32_t filter, int32_t stride, int32_t dil, int32_t pad) {
  const int32_t eff = ((int32_t)filter - 1) * dil + 1;
  uint32_t out = 0;
  for (int32_t o = 1; o < 64; ++o) {
    const int32_t last = (o - 1) * stride - pad;
    if (last <= (int32_t)in - 1 && last + eff - 1 <= (int32_t)in + pad) out = (uint32_t)o;
  }
  return out;
}

}  // namespace

// CONV_2D int8 on random geometry (filter volumes from 1 to past the kernel's widened block, depth
// per group 1 … 20 so every remainder mod 4, groups, stride, dilation, padding, output counts that
// are not multiples of the kernel's four-position blocks), per-tensor and per-channel multipliers
// with shifts on both sides of 0, and biases large enough to leave the fast requantization's range.
TT_TEST(conv_int8_random_against_reference) {
  Rng rng{4};
  int ran = 0;
  for (int draw = 0; draw < 300; ++draw) {
    ConvCase c;
    c.h = (uint32_t)rng.range(1, 3);
    c.w = (uint32_t)rng.range(1, 14);
    c.kh = (uint32_t)rng.range(1, c.h < 3 ? c.h : 3);
    c.kw = (uint32_t)rng.range(1, 5);
    const uint32_t groups = draw % 5 == 4 ? 2 : 1;
    c.depth = (uint32_t)(draw % 25 == 24 ? rng.range(60, 80) : rng.range(1, 20));
    c.cin = c.depth * groups;
    c.cout = groups * (uint32_t)rng.range(1, 6);
    c.sh = rng.range(1, 2), c.sw = rng.range(1, 2);
    c.dh = rng.range(1, 2), c.dw = rng.range(1, 3);
    const int32_t eff_h = ((int32_t)c.kh - 1) * c.dh + 1, eff_w = ((int32_t)c.kw - 1) * c.dw + 1;
    c.ph = rng.range(0, eff_h - 1), c.pw = rng.range(0, eff_w - 1);
    c.oh = conv_out_size(c.h, c.kh, c.sh, c.dh, c.ph);
    c.ow = conv_out_size(c.w, c.kw, c.sw, c.dw, c.pw);
    if (c.oh == 0 || c.ow == 0) continue;
    const uint32_t n = draw % 3 == 0 ? 1 : c.cout;  // multipliers: per tensor or per channel
    const int32_t io = rng.range(-127, 128), oo = rng.range(-128, 127);
    int32_t lo = -128, hi = 127;
    if (draw % 4 == 3) lo = rng.range(-128, 0), hi = rng.range(lo, 127);
    std::vector<int32_t> mult(n), shift(n), bias(c.cout);
    for (uint32_t i = 0; i < n; ++i) {
      mult[i] = rng.multiplier();
      shift[i] = draw % 7 == 6 ? rng.range(-31, 3) : rng.range(-12, -6);
    }
    for (auto& b : bias) b = draw % 9 == 8 ? (int32_t)rng.next() : rng.range(-20000, 20000);
    Params p;
    p.i32(c.sh).i32(c.sw).i32(c.dh).i32(c.dw).i32(c.ph).i32(c.pw).i32(io).i32(oo).i32(lo).i32(hi);
    p.i32((int32_t)n);
    for (auto v : mult) p.i32(v);
    for (auto v : shift) p.i32(v);
    const uint32_t k = c.kh * c.kw * c.depth;
    std::vector<int8_t> wv(c.cout * k), xv(c.h * c.w * c.cin), yv(c.oh * c.ow * c.cout);
    for (auto& v : wv) v = rng.i8();
    for (auto& v : xv) v = rng.i8();
    BlobBuilder b;
    const uint16_t x = b.arena(f::kTypeInt8, {1, (uint16_t)c.h, (uint16_t)c.w, (uint16_t)c.cin});
    const uint16_t wt = b.tensor(
        f::kTypeInt8, {(uint16_t)c.cout, (uint16_t)c.kh, (uint16_t)c.kw, (uint16_t)c.depth},
        f::kStorageConstant, b.add_data(wv.data(), (uint32_t)wv.size()), f::kNoQuant);
    const uint16_t bt = b.tensor(f::kTypeInt32, {(uint16_t)c.cout}, f::kStorageConstant,
                                 b.add_data(bias.data(), 4 * c.cout), f::kNoQuant);
    const uint16_t y = b.arena(f::kTypeInt8, {1, (uint16_t)c.oh, (uint16_t)c.ow, (uint16_t)c.cout});
    b.op(f::kOpConv2D, {x, wt, bt}, {y}, p);
    b.io({x}, {y});
    TT_REQUIRE(run(b.build(), xv.data(), yv.data()));
    ++ran;
    const uint32_t per_group = c.cout / groups;
    for (uint32_t oy = 0; oy < c.oh; ++oy) {
      for (uint32_t ox = 0; ox < c.ow; ++ox) {
        for (uint32_t oc = 0; oc < c.cout; ++oc) {
          uint32_t acc = (uint32_t)bias[oc];
          for (uint32_t fy = 0; fy < c.kh; ++fy) {
            for (uint32_t fx = 0; fx < c.kw; ++fx) {
              const int32_t iy = (int32_t)oy * c.sh - c.ph + (int32_t)fy * c.dh;
              const int32_t ix = (int32_t)ox * c.sw - c.pw + (int32_t)fx * c.dw;
              if (iy < 0 || iy >= (int32_t)c.h || ix < 0 || ix >= (int32_t)c.w) continue;
              for (uint32_t d = 0; d < c.depth; ++d) {
                const int32_t xval = xv[((uint32_t)iy * c.w + (uint32_t)ix) * c.cin +
                                        (oc / per_group) * c.depth + d];
                const int32_t wval = wv[((oc * c.kh + fy) * c.kw + fx) * c.depth + d];
                acc += (uint32_t)(wval * (xval + io));
              }
            }
          }
          const uint32_t q = n == 1 ? 0 : oc;
          const int8_t want =
              clamp8(tt::wrap_add(ref_mbqm((int32_t)acc, mult[q], shift[q]), oo), lo, hi);
          const int8_t got = yv[(oy * c.ow + ox) * c.cout + oc];
          if (got != want) {
            TT_CHECK_EQ((int)got, (int)want);
            return;
          }
        }
      }
    }
  }
  TT_CHECK(ran >= 250);  // the draws whose geometry fits
}
