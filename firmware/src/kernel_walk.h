// Rank-4 shapes and the element walks shared by the broadcasting binary kernels (ADD, SUB, MUL)
// and the layout kernels (MEAN, CONCATENATION, TRANSPOSE, STRIDED_SLICE). A shape of rank r <= 4 is
// padded with 4 - r leading 1s, outermost first (TFLite's RuntimeShape::ExtendedShape); params
// that name axes (MEAN's mask, TRANSPOSE's perm, STRIDED_SLICE's axes) use the same padding as the
// TypeScript sender (src/lib/model/ops/common.ts pad4). Functions used by several kernels are out
// of line (TT_NOINLINE): one copy in the image, and none in a build without those kernels.
#pragma once

#include <stdint.h>

#include "kernel_api.h"

namespace tt {

struct Shape4 {
  uint32_t d[4];
};

TT_NOINLINE inline Shape4 shape4(const uint8_t* rec) {
  Shape4 s = {{1, 1, 1, 1}};
  const uint32_t rank = tensor_rank(rec);
  for (uint32_t i = 0; i < rank; ++i) s.d[4 - rank + i] = tensor_dim(rec, i);
  return s;
}

// Row-major element strides of a padded shape.
inline void strides4(const Shape4& s, uint32_t st[4]) {
  st[3] = 1;
  st[2] = s.d[3];
  st[1] = s.d[2] * st[2];
  st[0] = s.d[1] * st[1];
}

// Copies one element of `size` (1, 2 or 4) bytes.
inline void copy_element(uint8_t* y, const uint8_t* x, uint32_t size) {
  for (uint32_t b = 0; b < size; ++b) y[b] = x[b];
}

// TRANSPOSE and STRIDED_SLICE: copies count[0] x … x count[3] elements of `size` bytes to y in
// row-major order, element (i, j, k, l) from x + base + i * step[0] + j * step[1] + k * step[2] + l
// * step[3] (bytes; the offsets wrap modulo 2^32, so a step may be negative, as long as every
// element read lies in the tensor).
TT_NOINLINE inline void copy_walk4(const uint8_t* x, uint32_t base, const uint32_t step[4],
                                   const uint32_t count[4], uint32_t size, uint8_t* y) {
  for (uint32_t i = 0; i < count[0]; ++i)
    for (uint32_t j = 0; j < count[1]; ++j)
      for (uint32_t k = 0; k < count[2]; ++k) {
        uint32_t e = base + i * step[0] + j * step[1] + k * step[2];
        for (uint32_t l = 0; l < count[3]; ++l, e += step[3], y += size)
          copy_element(y, x + e, size);
      }
}

// ADD, SUB and MUL: inputs 0 and 1 present, both of the output's type, int8 or float32, and the
// output's shape the NumPy broadcast of theirs. Returns that type, or kNoType.
TT_NOINLINE inline uint8_t broadcast_binary_type(const KernelArgs& a) {
  if (a.in[0].rec == nullptr || a.in[1].rec == nullptr) return kNoType;
  const uint8_t type = tensor_type(a.out.rec);
  if ((type != fmt::kTypeInt8 && type != fmt::kTypeFloat32) || tensor_type(a.in[0].rec) != type ||
      tensor_type(a.in[1].rec) != type) {
    return kNoType;
  }
  const uint32_t ra = tensor_rank(a.in[0].rec), rb = tensor_rank(a.in[1].rec);
  if (tensor_rank(a.out.rec) != (ra > rb ? ra : rb)) return kNoType;
  const Shape4 sa = shape4(a.in[0].rec), sb = shape4(a.in[1].rec), so = shape4(a.out.rec);
  for (uint32_t i = 0; i < 4; ++i) {
    const uint32_t da = sa.d[i], db = sb.d[i];
    if (da != db && da != 1 && db != 1) return kNoType;
    if (so.d[i] != (da > db ? da : db)) return kNoType;
  }
  return type;
}

// One output row of n elements: y[i] = op(x[i * sx], z[i * sz]), strides in bytes (0: broadcast),
// y contiguous.
typedef void (*BinaryRowFn)(const void* ctx, const uint8_t* x, const uint8_t* z, uint8_t* y,
                            uint32_t n, uint32_t sx, uint32_t sz);

// Visits the output in row-major order, as TFLite's BroadcastBinaryOpSimple does, with the input
// elements each output element reads (an input dim of 1 facing a larger output dim has stride 0),
// a row (the innermost dim) per call of f. When each input has the output's shape or a single
// element (no broadcasting, or a scalar operand), the whole output is one row.
TT_NOINLINE inline void broadcast_walk(const KernelArgs& a, uint32_t esize, BinaryRowFn f,
                                       const void* ctx) {
  const uint32_t n = tensor_bytes(a.out.rec);
  const uint32_t nx = tensor_bytes(a.in[0].rec), nz = tensor_bytes(a.in[1].rec);
  // Each input the output's size (so its shape: the output's shape is their broadcast) or a single
  // element: one row, without the shapes (the usual case, and the residual ADD of attention).
  Shape4 o = {{1, 1, 1, n / esize}};
  uint32_t sx[4] = {0, 0, 0, nx == n ? esize : 0}, sz[4] = {0, 0, 0, nz == n ? esize : 0};
  if ((nx != n && nx != esize) || (nz != n && nz != esize)) {
    o = shape4(a.out.rec);
    const Shape4 ix = shape4(a.in[0].rec), iz = shape4(a.in[1].rec);
    uint32_t step_x = esize, step_z = esize;
    for (uint32_t i = 4; i-- > 0;) {
      sx[i] = ix.d[i] == o.d[i] ? step_x : 0;
      sz[i] = iz.d[i] == o.d[i] ? step_z : 0;
      step_x *= ix.d[i];
      step_z *= iz.d[i];
    }
  }
  // Row r (of d0 x d1 x d2, row-major) starts at the offsets of its index digits (i0, i1, i2),
  // taken from r by division: one loop instead of three nested ones.
  uint8_t* y = a.out.data;
  const uint32_t rows = o.d[0] * o.d[1] * o.d[2];
  for (uint32_t r = 0; r < rows; ++r, y += o.d[3] * esize) {
    const uint8_t* x = a.in[0].data;
    const uint8_t* z = a.in[1].data;
    for (uint32_t i = 3, q = r; i-- > 0; q /= o.d[i]) {
      const uint32_t k = q % o.d[i];
      x += k * sx[i];
      z += k * sz[i];
    }
    f(ctx, x, z, y, o.d[3], sx[3], sz[3]);
  }
}

// The ADD / SUB / MUL helpers below are out of line where more than one of those kernels calls
// them (one copy in the image); with ADD alone (the MLP set) GCC inlines them into it instead,
// which is smaller than a call.
#if TT_OP_SUB
#define TT_NOINLINE_ADD_SUB TT_NOINLINE
#else
#define TT_NOINLINE_ADD_SUB
#endif
#if TT_OP_SUB || TT_OP_MUL
#define TT_NOINLINE_BINARY TT_NOINLINE
#else
#define TT_NOINLINE_BINARY
#endif

// A float clamp as TFLite's ActivationFunctionWithMinMax: NaN passes through.
inline float clamp_f32(float v, float lo, float hi) {
  v = v < lo ? lo : v;
  return hi < v ? hi : v;
}

// Float params of ADD, SUB and MUL: act_min, act_max; then which of the three (not a param).
struct FloatRange {
  float lo, hi;
  uint32_t op;
};
constexpr uint32_t kFloatAdd = 0, kFloatSub = 1, kFloatMul = 2;

// The float32 rows of ADD, SUB and MUL in one function: clamp(a op b).
TT_NOINLINE inline void binary_f32(const void* ctx, const uint8_t* x, const uint8_t* z, uint8_t* y,
                                   uint32_t n, uint32_t sx, uint32_t sz) {
  const FloatRange& r = *static_cast<const FloatRange*>(ctx);
  for (; n != 0; --n, x += sx, z += sz, y += 4) {
    const float u = rd_f32(x), v = rd_f32(z);
#if TT_OP_SUB || TT_OP_MUL
    const float w = r.op == kFloatAdd ? u + v : r.op == kFloatSub ? u - v : u * v;
#else  // ADD only (the MLP set): no test per element
    const float w = u + v;
#endif
    wr_f32(y, clamp_f32(w, r.lo, r.hi));
  }
}

// ADD's, SUB's and MUL's float32 eval.
TT_NOINLINE_BINARY inline void binary_f32_eval(const KernelArgs& a, uint32_t op) {
  FloatRange r;
  TT_MEMCPY(&r, a.params, 2 * sizeof(float));
  r.op = op;
  broadcast_walk(a, 4, binary_f32, &r);
}

// ADD's and SUB's int8 params (docs/model-format.md §5), in their byte order.
struct AddSubInt8 {
  int32_t in1_offset, in2_offset, out_offset, left_shift;
  int32_t in1_mult, in1_shift, in2_mult, in2_shift, out_mult, out_shift, act_min, act_max;
};

// ADD's and SUB's int8 rows (TFLite's AddFunc / SubFunc): y = clamp(MBQM(a'' ± b'', out) +
// out_offset) with a'' = MBQM((a + in1_offset) * 2^left_shift, in1) and b'' likewise; `negate`
// (SUB) subtracts b''. With left_shift <= 20 and every shift in [-30, 0] (the converter's int8
// ADDs: left_shift 20, input shifts -1 … 0), each MBQM takes exact shortcuts: |a + in1_offset| <=
// 255, so the shifted input is at most 255 * 2^20 < 2^28 in magnitude and srdhm is one SMMULR of
// its doubled operand (srdhm_small); |a''|, |b''| <= 255 * 2^20 and |a'' ± b''| <= 510 * 2^20 <
// 2^29 likewise; and each rdbp is rdbp_small, as 2|v| + 2^e < 2^30 + 2^30 for all of them. Other
// params take mbqm.
//
// Large ops with the shortcuts look a'' and ±b'' up instead: both depend on one int8 value each, so
// add_sub_int8_eval fills a table of the 256 values of each once per op (2 KiB of stack) and every
// element costs two loads for them. Built with the extended operators (the conv and sequence
// models, whose residual ADDs are large; not on 8-bit AVR, op_list.h) unless -DTT_ADD_SUB_TABLE=0.
#ifndef TT_ADD_SUB_TABLE
#define TT_ADD_SUB_TABLE TT_OPS_EXTENDED
#endif
constexpr uint32_t kAddSubTableMin = 512;  // output elements from which the tables pay off

struct AddSubRow {
  AddSubInt8 q;
  bool fast, negate;
  const int32_t* table;  // add_sub_int8_table's
};

// rdbp(v, e) given pow = 2^e, e1 = e + 1 (0 <= e <= 30), for 2|v| + 2^e < 2^31: (2v - [v < 0] +
// 2^e) >> (e + 1), i.e. mbqm_inline's floor((v - [v < 0] + 2^(e-1)) / 2^e) for e >= 1 (the
// numerator doubled is even, so the added [v < 0] never crosses a multiple of 2^(e+1)) and v
// itself for e = 0.
TT_ALWAYS_INLINE int32_t rdbp_small(int32_t v, int32_t pow, int32_t e1) {
  return (v * 2 + (v >> 31) + pow) >> e1;
}

TT_NOINLINE inline void add_sub_int8(const void* ctx, const uint8_t* x, const uint8_t* z,
                                     uint8_t* y, uint32_t n, uint32_t sx, uint32_t sz) {
  const AddSubRow& r = *static_cast<const AddSubRow*>(ctx);
  const AddSubInt8& q = r.q;
  const int32_t neg = r.negate ? -1 : 0;
  if (r.fast) {
    // Locals: the byte stores below may alias r, so its fields would be reloaded per element.
    const int32_t ls = q.left_shift + 1, off1 = q.in1_offset, off2 = q.in2_offset;
    const int32_t m1 = q.in1_mult, p1 = (int32_t)1 << -q.in1_shift, e1 = 1 - q.in1_shift;
    const int32_t m2 = q.in2_mult, p2 = (int32_t)1 << -q.in2_shift, e2 = 1 - q.in2_shift;
    const int32_t mo = q.out_mult, po = (int32_t)1 << -q.out_shift, eo = 1 - q.out_shift;
    const int32_t out_offset = q.out_offset, lo = q.act_min, hi = q.act_max;
    const uint8_t* const y_end = y + n;
    for (; y != y_end; x += sx, z += sz) {
      const int32_t a2 = rdbp_small(smmulr(wrap_shl((int8_t)*x + off1, ls), m1), p1, e1);
      const int32_t b2 = rdbp_small(smmulr(wrap_shl((int8_t)*z + off2, ls), m2), p2, e2);
      const int32_t sum = rdbp_small(smmulr((a2 + ((b2 ^ neg) - neg)) * 2, mo), po, eo);
      *y++ = (uint8_t)clamp_i32(sum + out_offset, lo, hi);
    }
    return;
  }
  for (; n != 0; --n, x += sx, z += sz) {
    const int32_t a2 =
        mbqm(wrap_shl((int8_t)*x + q.in1_offset, q.left_shift), q.in1_mult, q.in1_shift);
    const int32_t b2 =
        mbqm(wrap_shl((int8_t)*z + q.in2_offset, q.left_shift), q.in2_mult, q.in2_shift);
    const int32_t d = mbqm(wrap_add(a2, (int32_t)(((uint32_t)b2 ^ (uint32_t)neg) - (uint32_t)neg)),
                           q.out_mult, q.out_shift);
    *y++ = (uint8_t)clamp_i32(wrap_add(d, q.out_offset), q.act_min, q.act_max);
  }
}

#if TT_ADD_SUB_TABLE
// add_sub_int8's shortcut with the tables (r.table: 2a'' by the byte of a, then ±2b'' by the byte
// of b), saturated to int8: a narrower fused activation is a pass over the output afterwards.
TT_NOINLINE TT_OPTIMIZE_SPEED inline void add_sub_int8_table(const void* ctx, const uint8_t* x,
                                                             const uint8_t* z, uint8_t* y,
                                                             uint32_t n, uint32_t sx, uint32_t sz) {
  const AddSubRow& r = *static_cast<const AddSubRow*>(ctx);
  const int32_t* const t1 = r.table;
  const int32_t* const t2 = r.table + 256;
  const int32_t mo = r.q.out_mult, po = (int32_t)1 << -r.q.out_shift, eo = 1 - r.q.out_shift;
  const int32_t out_offset = r.q.out_offset;
  for (const uint8_t* const y_end = y + n; y != y_end; x += sx, z += sz) {
    *y++ = (uint8_t)saturate_int8(rdbp_small(smmulr(t1[*x] + t2[*z], mo), po, eo) + out_offset);
  }
}
#endif

// ADD's and SUB's int8 eval: the params, whether the shortcuts apply, the walk.
TT_NOINLINE_ADD_SUB inline void add_sub_int8_eval(const KernelArgs& a, bool negate) {
  AddSubRow r;
  TT_MEMCPY(&r.q, a.params, sizeof r.q);
  r.negate = negate;
  r.fast =
      r.q.left_shift <= 20 && r.q.in1_shift >= -30 && r.q.in2_shift >= -30 && r.q.out_shift >= -30;
#if TT_ADD_SUB_TABLE
  if (r.fast && tensor_bytes(a.out.rec) >= kAddSubTableMin) {
    int32_t table[512];
    const AddSubInt8& q = r.q;
    const int32_t ls = q.left_shift + 1;
    const int32_t p1 = (int32_t)1 << -q.in1_shift, e1 = 1 - q.in1_shift;
    const int32_t p2 = (int32_t)1 << -q.in2_shift, e2 = 1 - q.in2_shift;
    for (int32_t v = -128; v < 128; ++v) {
      const int32_t a2 = rdbp_small(smmulr(wrap_shl(v + q.in1_offset, ls), q.in1_mult), p1, e1);
      const int32_t b2 = rdbp_small(smmulr(wrap_shl(v + q.in2_offset, ls), q.in2_mult), p2, e2);
      table[(uint8_t)v] = 2 * a2;
      table[256 + (uint8_t)v] = negate ? -2 * b2 : 2 * b2;
    }
    r.table = table;
    broadcast_walk(a, 1, add_sub_int8_table, &r);
    clamp_int8_output(a, 40);
    return;
  }
#endif
  broadcast_walk(a, 1, add_sub_int8, &r);
}

// The params rules ADD and SUB share, for an op of `type` (broadcast_binary_type): float32 a
// non-empty range; int8 48 bytes, offsets and zero point in range, left_shift 0 … 30, the three
// shifts -31 … 0 (MultiplyByQuantizedMultiplierSmallerThanOneExp), an int8 clamp range.
TT_NOINLINE_ADD_SUB inline ModelStatus check_add_sub_params(const KernelArgs& a, uint8_t type) {
  if (type == fmt::kTypeFloat32) {
    return a.params_size == 8 && is_f32_range(param_f32(a, 0), param_f32(a, 1))
               ? ModelStatus::kOk
               : ModelStatus::kBadParams;
  }
  // input1_shift, input2_shift, output_shift: 5, 7, 9.
  static const uint8_t kSpec[] = {0 | kParamOffset,    1 | kParamOffset,    2 | kParamZeroPoint,
                                  3 | kParamLeftShift, 5 | kParamShiftDown, 7 | kParamShiftDown,
                                  9 | kParamShiftDown, 10 | kParamRange};
  return a.params_size == 48 && params_in_range(a, kSpec) ? ModelStatus::kOk
                                                          : ModelStatus::kBadParams;
}

}  // namespace tt
