// BATCH_MATMUL (126), int8 and float32: out[..., r, c] = sum_k X[..., r, k] * Y[..., k, c], X the
// lhs (its last two dims swapped when adj_x), Y the rhs (swapped when adj_y), the leading (batch)
// dims broadcast as in NumPy. TFLM transposes the operands into scratch copies before its reference
// loop (reference_ops::BatchMatMul); reading the stored layouts with swapped strides visits the
// same values in the same order, so no scratch is needed. int8: acc = sum_k (Y + rhs_offset) * (X +
// lhs_offset) in wrapping int32, MBQM to the output, + output_offset, clamped to int8 (no fused
// activation). float32: total = +0, += Y * X for k = 0, 1, ... in binary32 (no FMA).
#include "../kernel_api.h"
#include "../quant_math.h"

#if TT_OP_BATCH_MATMUL

namespace tt {

namespace {

// Where one op's operands are: the output is batch[0] x batch[1] matrices of rows x cols.
struct Matmul {
  uint32_t rows, cols, depth;
  uint32_t xr, xk, yk, yc;  // element strides: X[r, k] = lhs[xr * r + xk * k], Y[k, c] likewise
  uint32_t batch[2];        // the output's batch dims, right-aligned (1 where the rank has none)
  uint32_t x_step[2], y_step[2];  // elements per batch index in lhs / rhs (0 where broadcast)
};

// Dim `slot` (0, 1) of the batch dims right-aligned to 2, i.e. dim rank - 4 + slot; 1 if none.
uint32_t batch_dim(const uint8_t* rec, uint32_t slot) {
  const uint32_t rank = tensor_rank(rec);
  return rank + slot >= 4 ? tensor_dim(rec, rank + slot - 4) : 1u;
}

// The operands' last two dims (stored order), the batch steps; false if the matrix dims do not
// fit adj_x / adj_y or the output's last two dims (the BAD_PARAMS shape rule).
bool geometry(const KernelArgs& a, bool adj_x, bool adj_y, Matmul* g) {
  const uint8_t* const x = a.in[0].rec;
  const uint8_t* const y = a.in[1].rec;
  const uint8_t* const o = a.out.rec;
  const uint32_t l0 = tensor_dim(x, tensor_rank(x) - 2u), l1 = tensor_dim(x, tensor_rank(x) - 1u);
  const uint32_t r0 = tensor_dim(y, tensor_rank(y) - 2u), r1 = tensor_dim(y, tensor_rank(y) - 1u);
  g->rows = adj_x ? l1 : l0;
  g->depth = adj_x ? l0 : l1;
  g->cols = adj_y ? r0 : r1;
  g->xr = adj_x ? 1u : l1;
  g->xk = adj_x ? l1 : 1u;
  g->yk = adj_y ? 1u : r1;
  g->yc = adj_y ? r1 : 1u;
  uint32_t x_size = l0 * l1, y_size = r0 * r1;
  for (uint32_t s = 2; s-- > 0;) {
    const uint32_t dx = batch_dim(x, s), dy = batch_dim(y, s);
    g->batch[s] = batch_dim(o, s);
    g->x_step[s] = dx == 1 ? 0 : x_size;
    g->y_step[s] = dy == 1 ? 0 : y_size;
    x_size *= dx;
    y_size *= dy;
  }
  return (adj_y ? r1 : r0) == g->depth && tensor_dim(o, tensor_rank(o) - 2u) == g->rows &&
         tensor_dim(o, tensor_rank(o) - 1u) == g->cols;
}

ModelStatus check(const KernelArgs& a) {
  const uint8_t* const x = a.in[0].rec;
  const uint8_t* const y = a.in[1].rec;
  const uint8_t* const o = a.out.rec;
  if (x == nullptr || y == nullptr) return ModelStatus::kBadOp;
  const uint8_t type = tensor_type(o);
  if ((type != fmt::kTypeInt8 && type != fmt::kTypeFloat32) || tensor_type(x) != type ||
      tensor_type(y) != type) {
    return ModelStatus::kBadOp;
  }
  const uint32_t rx = tensor_rank(x), ry = tensor_rank(y);
  if (rx < 2 || ry < 2 || tensor_rank(o) != (rx > ry ? rx : ry)) return ModelStatus::kBadOp;
  for (uint32_t s = 0; s < 2; ++s) {
    const uint32_t dx = batch_dim(x, s), dy = batch_dim(y, s);
    if ((dx != dy && dx != 1 && dy != 1) || batch_dim(o, s) != (dx > dy ? dx : dy))
      return ModelStatus::kBadOp;
  }
  if (a.params_size != (type == fmt::kTypeInt8 ? 28u : 8u)) return ModelStatus::kBadParams;
  const int32_t adj_x = param_i32(a, 0), adj_y = param_i32(a, 1);
  Matmul g;
  if ((adj_x != 0 && adj_x != 1) || (adj_y != 0 && adj_y != 1) ||
      !geometry(a, adj_x != 0, adj_y != 0, &g)) {
    return ModelStatus::kBadParams;
  }
  static const uint8_t kSpec[] = {2 | kParamOffset, 3 | kParamOffset, 4 | kParamZeroPoint,
                                  6 | kParamShift};
  if (type == fmt::kTypeInt8 && !params_in_range(a, kSpec)) return ModelStatus::kBadParams;
  return ModelStatus::kOk;
}

#if !defined(__AVR__)
// int8 matrices small enough for these stack buffers (depth <= 2 * kRowWords, cols * ceil(depth /
// 2) <= kColWords; attention's heads are far smaller) take the lanes path: each operand plus its
// offset widened once per matrix into pairs of int16 lanes along k (widen_lanes), so every output
// is a run of SMLADs over two word arrays (two products each), two columns per pass sharing the
// row's words. The int32 sum wraps, so the order of its terms does not change it.
constexpr uint32_t kRowWords = 32, kColWords = 128;  // 640 bytes of stack

// n values v[0], v[stride], ... plus offset as ceil(n / 2) words of int16 lane pairs: each group of
// four (k0 … k3) as (k0, k2), (k1, k3), the order SXTB16 gives a contiguous word (stride 1), then
// the n % 4 last ones as (k, k + 1) and a lone (k, 0). Both operands of a dot product use the same
// order, so it pairs the same k.
TT_OPTIMIZE_SPEED void widen_lanes(const int8_t* v, uint32_t stride, uint32_t n, int32_t offset,
                                   uint32_t* out) {
  uint32_t quads = n / 4;
  if (stride == 1) {
    const uint32_t offsets = lane16(offset) | lane16(offset) << 16;
    for (; quads != 0; --quads, v += 4, out += 2) {
      const uint32_t w = rd_u32(reinterpret_cast<const uint8_t*>(v));
      out[0] = sadd16(sxtb16(w), offsets);
      out[1] = sadd16(sxtb16_odd(w), offsets);
    }
  } else {
    for (; quads != 0; --quads, v += 4 * stride, out += 2) {
      out[0] = lane16(v[0] + offset) | lane16(v[2 * stride] + offset) << 16;
      out[1] = lane16(v[stride] + offset) | lane16(v[3 * stride] + offset) << 16;
    }
  }
  n %= 4;
  if (n >= 2) {
    *out++ = lane16(v[0] + offset) | lane16(v[stride] + offset) << 16;
    v += 2 * stride;
    n -= 2;
  }
  if (n != 0) *out = lane16(v[0] + offset);
}

TT_ALWAYS_INLINE int8_t requant_out(int32_t acc, int32_t multiplier, int32_t shift,
                                    int32_t offset2) {
  int32_t v;
  if (!requant_int8_fast(acc, multiplier, ~shift, offset2, &v))
    v = saturate_int8(wrap_add(mbqm(acc, multiplier, shift), offset2 >> 1));
  return (int8_t)v;
}

TT_OPTIMIZE_SPEED void lanes_int8(const KernelArgs& a, const Matmul& g, uint32_t words,
                                  const int8_t* x, const int8_t* y, int8_t* out) {
  const int32_t lhs_offset = rd_i32(a.params + 8), rhs_offset = rd_i32(a.params + 12);
  const int32_t offset2 = 2 * rd_i32(a.params + 16) + 1;
  const int32_t multiplier = rd_i32(a.params + 20), shift = rd_i32(a.params + 24);
  const uint32_t cols = g.cols;
  uint32_t xw[kRowWords], yw[kColWords];
  for (uint32_t c = 0; c < cols; ++c)
    widen_lanes(y + c * g.yc, g.yk, g.depth, rhs_offset, yw + c * words);
  const uint32_t* const x_end = xw + words;
  for (uint32_t r = 0; r < g.rows; ++r) {
    widen_lanes(x + r * g.xr, g.xk, g.depth, lhs_offset, xw);
    const uint32_t* yp = yw;
    uint32_t c = cols;
    for (; c >= 2; c -= 2) {  // columns c and c + 1: their words are adjacent in yw
      int32_t acc0 = 0, acc1 = 0;
      const uint32_t* xp = xw;
      const uint32_t* y1 = yp + words;
      if ((words & 1u) != 0) {
        const uint32_t xv = *xp++;
        acc0 = smlad(xv, *yp++, acc0);
        acc1 = smlad(xv, *y1++, acc1);
      }
      if (xp != x_end) {  // two words of each per iteration
#if TT_HAVE_DSP && defined(__thumb2__)
        // Nine instructions per eight products (GCC 12: twelve and more): LDRD with
        // post-increment (the word arrays are word-aligned).
        uint32_t xa, xb, ya, yb;
        __asm volatile(
            "1:\n\t"
            "ldrd %[xa], %[xb], [%[xp]], #8\n\t"
            "ldrd %[ya], %[yb], [%[yp]], #8\n\t"
            "smlad %[acc0], %[xa], %[ya], %[acc0]\n\t"
            "smlad %[acc0], %[xb], %[yb], %[acc0]\n\t"
            "ldrd %[ya], %[yb], [%[y1]], #8\n\t"
            "smlad %[acc1], %[xa], %[ya], %[acc1]\n\t"
            "smlad %[acc1], %[xb], %[yb], %[acc1]\n\t"
            "cmp %[xp], %[x_end]\n\t"
            "bne 1b"
            : [acc0] "+&r"(acc0), [acc1] "+&r"(acc1), [xp] "+&r"(xp), [yp] "+&r"(yp),
              [y1] "+&r"(y1), [xa] "=&r"(xa), [xb] "=&r"(xb), [ya] "=&r"(ya), [yb] "=&r"(yb)
            : [x_end] "r"(x_end)
            : "cc", "memory");
#else
        do {
          const uint32_t xv = *xp++;
          acc0 = smlad(xv, *yp++, acc0);
          acc1 = smlad(xv, *y1++, acc1);
        } while (xp != x_end);
#endif
      }
      yp = y1;
      *out++ = requant_out(acc0, multiplier, shift, offset2);
      *out++ = requant_out(acc1, multiplier, shift, offset2);
    }
    if (c != 0) {
      int32_t acc = 0;
      const uint32_t* xp = xw;
      do {
        acc = smlad(*xp++, *yp++, acc);
      } while (xp != x_end);
      *out++ = requant_out(acc, multiplier, shift, offset2);
    }
  }
}
#endif

// One loop nest for both types; the inner product picks int8 or float32 per output element.
void eval(const KernelArgs& a) {
  const bool is_int8 = tensor_type(a.out.rec) == fmt::kTypeInt8;
  Matmul g;
  geometry(a, rd_i32(a.params) != 0, rd_i32(a.params + 4) != 0, &g);
  // int8 only: float32's params end after adj_x, adj_y.
  const int32_t lhs_offset = is_int8 ? rd_i32(a.params + 8) : 0;
  const int32_t rhs_offset = is_int8 ? rd_i32(a.params + 12) : 0;
  const int32_t out_offset = is_int8 ? rd_i32(a.params + 16) : 0;
  const int32_t multiplier = is_int8 ? rd_i32(a.params + 20) : 0;
  const int32_t shift = is_int8 ? rd_i32(a.params + 24) : 0;
  const uint8_t* const lhs = a.in[0].data;
  const uint8_t* const rhs = a.in[1].data;
  uint8_t* out = a.out.data;
  for (uint32_t b0 = 0; b0 < g.batch[0]; ++b0) {
    for (uint32_t b1 = 0; b1 < g.batch[1]; ++b1) {
      const uint32_t xb = b0 * g.x_step[0] + b1 * g.x_step[1];
      const uint32_t yb = b0 * g.y_step[0] + b1 * g.y_step[1];
#if !defined(__AVR__)
      const uint32_t words = (g.depth + 1) / 2;
      if (is_int8 && words - 1u < kRowWords && g.cols * words <= kColWords) {  // depth >= 1
        lanes_int8(a, g, words, reinterpret_cast<const int8_t*>(lhs) + xb,
                   reinterpret_cast<const int8_t*>(rhs) + yb, reinterpret_cast<int8_t*>(out));
        out += g.rows * g.cols;
        continue;
      }
#endif
      for (uint32_t r = 0; r < g.rows; ++r) {
        for (uint32_t c = 0; c < g.cols; ++c) {
          uint32_t xi = xb + r * g.xr, yi = yb + c * g.yc;
          if (is_int8) {
            const int8_t* const x = reinterpret_cast<const int8_t*>(lhs);
            const int8_t* const y = reinterpret_cast<const int8_t*>(rhs);
            uint32_t acc = 0;  // int32 that wraps like TFLite's accumulator
            for (uint32_t k = 0; k < g.depth; ++k, xi += g.xk, yi += g.yk)
              acc += (uint32_t)((y[yi] + rhs_offset) * (x[xi] + lhs_offset));
            const int32_t v = wrap_add(mbqm((int32_t)acc, multiplier, shift), out_offset);
            *out++ = (uint8_t)(int8_t)saturate_int8(v);
          } else {
            float total = 0.0f;
            for (uint32_t k = 0; k < g.depth; ++k, xi += g.xk, yi += g.yk)
              total += rd_f32(rhs + 4 * yi) * rd_f32(lhs + 4 * xi);
            wr_f32(out, total);
            out += 4;
          }
        }
      }
    }
  }
}

}  // namespace

static_assert(kMaxOpInputs >= 2, "BATCH_MATMUL takes 2 inputs (build_config.h)");
extern const OpRegistration kKernel_BATCH_MATMUL = {
    fmt::kOpBatchMatmul, 2, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_BATCH_MATMUL
