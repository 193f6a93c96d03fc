// MEAN (40) over the axes of a bit mask in the params (bit a: input axis a), int8 and float32; the
// output has the input's shape with those axes kept as 1 or dropped (keep_dims; the same bytes).
// int8: TFLM's reference QuantizedMeanOrSum: sum the n reduced elements in int32, then
// y = clamp(MBQM(sum - input_zp * n, m, s) + output_zp, -128, 127), where the sender has already
// folded 1/n into (m, s). float32: TFLM's Reduce + Mean: from +0, each reduced element added in
// increasing input index in binary32, then divided by (float)n.
#include "../kernel_walk.h"
#include "../quant_math.h"

#if TT_OP_MEAN

namespace tt {

namespace {

// The int8 params in their byte order (float32's is axis_mask alone).
struct MeanInt8 {
  int32_t axis_mask, input_zp, output_zp, mult, shift;
};

// The output shape is the input's with the masked axes set to 1 (keep_dims) or dropped.
bool reduced_shape(const uint8_t* in, uint32_t mask, const uint8_t* out) {
  const uint32_t rank = tensor_rank(in), out_rank = tensor_rank(out);
  bool kept = out_rank == rank;
  uint32_t j = 0;  // next output axis for the dropped form
  bool dropped = true;
  for (uint32_t i = 0; i < rank; ++i) {
    const bool reduced = ((mask >> i) & 1u) != 0;
    const uint32_t d = tensor_dim(in, i);
    if (kept && tensor_dim(out, i) != (reduced ? 1u : d)) kept = false;
    if (!reduced) {
      if (j >= out_rank || tensor_dim(out, j) != d) dropped = false;
      ++j;
    }
  }
  return kept || (dropped && j == out_rank);
}

ModelStatus check(const KernelArgs& a) {
  const uint8_t type = tensor_type(a.out.rec);
  if (a.in[0].rec == nullptr || (type != fmt::kTypeInt8 && type != fmt::kTypeFloat32) ||
      tensor_type(a.in[0].rec) != type) {
    return ModelStatus::kBadOp;
  }
  const bool is_int8 = type == fmt::kTypeInt8;
  if (a.params_size != (is_int8 ? 20u : 4u)) return ModelStatus::kBadParams;
  const uint32_t mask = (uint32_t)param_i32(a, 0);
  if ((mask >> tensor_rank(a.in[0].rec)) != 0 || !reduced_shape(a.in[0].rec, mask, a.out.rec))
    return ModelStatus::kBadParams;
  static const uint8_t kSpec[] = {1 | kParamZeroPoint, 2 | kParamZeroPoint, 4 | kParamShift};
  if (is_int8 && !params_in_range(a, kSpec)) return ModelStatus::kBadParams;
  return ModelStatus::kOk;
}

// One walk for both types: the outer loops visit the outputs in order (the non-reduced axes), the
// inner loops the elements each reduces in increasing input index (the reduced axes).
void eval(const KernelArgs& a) {
  const bool is_int8 = tensor_type(a.out.rec) == fmt::kTypeInt8;
  MeanInt8 q = {};
  TT_MEMCPY(&q, a.params, is_int8 ? sizeof q : 4);
  const Shape4 d = shape4(a.in[0].rec);
  const uint32_t mask = (uint32_t)q.axis_mask << (4 - tensor_rank(a.in[0].rec));
  uint32_t st[4], od[4], rd[4];
  strides4(d, st);
  uint32_t n = 1;
  for (uint32_t k = 0; k < 4; ++k) {
    const bool reduced = ((mask >> k) & 1u) != 0;
    od[k] = reduced ? 1 : d.d[k];
    rd[k] = reduced ? d.d[k] : 1;
    n *= rd[k];
  }
  // input_zp * n modulo 2^32, as TFLM's int64 product truncated to int32.
  const uint32_t zp_n = (uint32_t)q.input_zp * n;
  const float count = (float)n;
  const uint8_t* x = a.in[0].data;
  uint8_t* y = a.out.data;
  for (uint32_t o0 = 0; o0 < od[0]; ++o0)
    for (uint32_t o1 = 0; o1 < od[1]; ++o1)
      for (uint32_t o2 = 0; o2 < od[2]; ++o2)
        for (uint32_t o3 = 0; o3 < od[3]; ++o3) {
          const uint32_t base = o0 * st[0] + o1 * st[1] + o2 * st[2] + o3;
          uint32_t isum = 0;
          float fsum = 0.0f;
          for (uint32_t r0 = 0; r0 < rd[0]; ++r0)
            for (uint32_t r1 = 0; r1 < rd[1]; ++r1)
              for (uint32_t r2 = 0; r2 < rd[2]; ++r2)
                for (uint32_t r3 = 0; r3 < rd[3]; ++r3) {
                  const uint32_t e = base + r0 * st[0] + r1 * st[1] + r2 * st[2] + r3;
                  if (is_int8) {
                    isum += (uint32_t)(int32_t)(int8_t)x[e];
                  } else {
                    fsum = fsum + rd_f32(x + 4 * e);
                  }
                }
          if (is_int8) {
            const int32_t v = mbqm((int32_t)(isum - zp_n), q.mult, q.shift);
            *y++ = (uint8_t)saturate_int8(wrap_add(v, q.output_zp));
          } else {
            wr_f32(y, fsum / count);
            y += 4;
          }
        }
}

}  // namespace

extern const OpRegistration kKernel_MEAN = {fmt::kOpMean, 1, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_MEAN
