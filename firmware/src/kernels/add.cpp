// ADD (0), int8 and float32, with numpy broadcasting up to rank 4.
// int8: TFLite's reference_integer_ops AddFunc (inputs shifted left by left_shift, each rescaled
// with MultiplyByQuantizedMultiplierSmallerThanOneExp, summed, rescaled to the output); the three
// shifts are <= 0, where that function equals MBQM. float32: ActivationFunctionWithMinMax(a + b,
// min, max). Broadcasting visits the output in row-major order like TFLite's
// BroadcastBinaryFunction; an input dimension of 1 facing a larger output dimension gets stride 0.
#include "../kernel_api.h"
#include "../quant_math.h"

#if TT_OP_ADD

namespace tt {

namespace {

// Shape right-aligned into 4 dims (leading 1s), outermost first.
struct Shape4 {
  uint32_t d[4];
};

Shape4 shape4(const uint8_t* rec) {
  Shape4 s = {{1, 1, 1, 1}};
  const uint32_t rank = tensor_rank(rec);
  for (uint32_t i = 0; i < rank; ++i) s.d[4 - rank + i] = tensor_dim(rec, i);
  return s;
}

// Element strides of `in` walked along `out`'s dims (0 where `in` is broadcast).
void strides(const Shape4& in, const Shape4& out, uint32_t st[4]) {
  uint32_t step = 1;
  for (uint32_t i = 4; i-- > 0;) {
    st[i] = in.d[i] == out.d[i] ? step : 0;
    step *= in.d[i];
  }
}

struct AddInt8 {
  int32_t in1_offset, in2_offset, out_offset, left_shift;
  int32_t in1_mult, in1_shift, in2_mult, in2_shift, out_mult, out_shift, act_min, act_max;

  void read(const uint8_t* p) {
    in1_offset = rd_i32(p);
    in2_offset = rd_i32(p + 4);
    out_offset = rd_i32(p + 8);
    left_shift = rd_i32(p + 12);
    in1_mult = rd_i32(p + 16);
    in1_shift = rd_i32(p + 20);
    in2_mult = rd_i32(p + 24);
    in2_shift = rd_i32(p + 28);
    out_mult = rd_i32(p + 32);
    out_shift = rd_i32(p + 36);
    act_min = rd_i32(p + 40);
    act_max = rd_i32(p + 44);
  }

  int8_t operator()(int8_t a, int8_t b) const {
    const int32_t a2 = mbqm(wrap_shl(a + in1_offset, left_shift), in1_mult, in1_shift);
    const int32_t b2 = mbqm(wrap_shl(b + in2_offset, left_shift), in2_mult, in2_shift);
    const int32_t sum = mbqm(wrap_add(a2, b2), out_mult, out_shift);
    return (int8_t)clamp_i32(wrap_add(sum, out_offset), act_min, act_max);
  }
};

// One loop nest for both types (the element operation picks int8 or float32 per element): ADD is
// rare in the models this core runs, and one walk instead of one per type saves flash. Inputs of
// the output's shape get the natural strides, so the walk also covers the no-broadcast case.
void eval(const KernelArgs& a) {
  const bool is_int8 = tensor_type(a.out.rec) == fmt::kTypeInt8;
  AddInt8 q{};
  if (is_int8) q.read(a.params);
  const float act_min = rd_f32(a.params), act_max = rd_f32(a.params + 4);  // float32's params
  const uint32_t esize = is_int8 ? 1 : 4;
  const uint8_t* x = a.in[0].data;
  const uint8_t* z = a.in[1].data;
  uint8_t* y = a.out.data;
  const Shape4 o = shape4(a.out.rec);
  uint32_t sx[4], sz[4];
  strides(shape4(a.in[0].rec), o, sx);
  strides(shape4(a.in[1].rec), o, sz);
  for (uint32_t i0 = 0; i0 < o.d[0]; ++i0) {
    for (uint32_t i1 = 0; i1 < o.d[1]; ++i1) {
      for (uint32_t i2 = 0; i2 < o.d[2]; ++i2) {
        const uint32_t bx = i0 * sx[0] + i1 * sx[1] + i2 * sx[2];
        const uint32_t bz = i0 * sz[0] + i1 * sz[1] + i2 * sz[2];
        for (uint32_t i3 = 0; i3 < o.d[3]; ++i3, y += esize) {
          const uint8_t* const xe = x + esize * (bx + i3 * sx[3]);
          const uint8_t* const ze = z + esize * (bz + i3 * sz[3]);
          if (is_int8) {
            *y = (uint8_t)q((int8_t)*xe, (int8_t)*ze);
          } else {
            // TFLite's ActivationFunctionWithMinMax(a + b, min, max); NaN passes through.
            float v = rd_f32(xe) + rd_f32(ze);
            v = v < act_min ? act_min : v;
            wr_f32(y, act_max < v ? act_max : v);
          }
        }
      }
    }
  }
}

ModelStatus check(const KernelArgs& a) {
  if (a.in[0].rec == nullptr || a.in[1].rec == nullptr) return ModelStatus::kBadOp;
  const uint8_t type = tensor_type(a.out.rec);
  if ((type != fmt::kTypeInt8 && type != fmt::kTypeFloat32) || tensor_type(a.in[0].rec) != type ||
      tensor_type(a.in[1].rec) != type) {
    return ModelStatus::kBadOp;
  }
  // The output shape must be the broadcast of the two input shapes.
  const uint32_t ra = tensor_rank(a.in[0].rec), rb = tensor_rank(a.in[1].rec);
  if (tensor_rank(a.out.rec) != (ra > rb ? ra : rb)) return ModelStatus::kBadOp;
  const Shape4 sa = shape4(a.in[0].rec), sb = shape4(a.in[1].rec), so = shape4(a.out.rec);
  for (uint32_t i = 0; i < 4; ++i) {
    const uint32_t da = sa.d[i], db = sb.d[i];
    if (da != db && da != 1 && db != 1) return ModelStatus::kBadOp;
    if (so.d[i] != (da > db ? da : db)) return ModelStatus::kBadOp;
  }
  if (type == fmt::kTypeFloat32) {
    if (a.params_size != 8 || !is_f32_range(param_f32(a, 0), param_f32(a, 1)))
      return ModelStatus::kBadParams;
    return ModelStatus::kOk;
  }
  if (a.params_size != 48 || !is_int8_offset(param_i32(a, 0)) || !is_int8_offset(param_i32(a, 1)) ||
      !is_int8_zero_point(param_i32(a, 2)) || param_i32(a, 3) < 0 || param_i32(a, 3) > 30 ||
      !is_int8_range(param_i32(a, 10), param_i32(a, 11))) {
    return ModelStatus::kBadParams;
  }
  for (uint32_t k = 5; k <= 9; k += 2) {  // input1_shift, input2_shift, output_shift
    if (param_i32(a, k) < -31 || param_i32(a, k) > 0) return ModelStatus::kBadParams;
  }
  return ModelStatus::kOk;
}

}  // namespace

static_assert(kMaxOpInputs >= 2, "ADD takes 2 inputs (build_config.h)");
extern const OpRegistration kKernel_ADD = {fmt::kOpAdd, 2, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_ADD
