// MAX_POOL_2D (17) and AVERAGE_POOL_2D (1), int8 and float32, bit-exact with TFLM's
// reference_integer_ops / reference_ops MaxPool and AveragePool (docs/model-format.md §5): per
// channel over the window's elements inside the input (padding is neither read nor counted), then
// the fused activation's clamp. int8 values pass unscaled (input and output share quantization):
// max from -128; average = (sum +- count / 2) / count with C's truncating division (halves away
// from zero). float32: max from -FLT_MAX as std::max (a NaN never replaces it); average = the
// binary32 sum in row-major window order / count. Params: stride_h, stride_w, filter_h, filter_w,
// pad_h, pad_w, act_min, act_max (i32 for int8, f32 for float32): 32 bytes.
#include "../kernel_api.h"
#include "../quant_math.h"
#include "spatial.h"

#if TT_OP_MAX_POOL_2D || TT_OP_AVERAGE_POOL_2D

namespace tt {

namespace {

// One walk for both pools and both types (pools are rare in the models this core runs; one loop
// nest saves flash): for every output pixel in order, the covered rows [fy0, fy1) and columns
// [fx0, fx1) of its window, then per channel the max or the sum over them.
TT_NOINLINE void pool(const KernelArgs& a, bool is_max) {
  const Geometry g = read_geometry(a.params);
  const Nhwc x = nhwc(a.in[0].rec), yd = nhwc(a.out.rec);
  const bool is_int8 = tensor_type(a.out.rec) == fmt::kTypeInt8;
  const int32_t act_min = rd_i32(a.params + 24), act_max = rd_i32(a.params + 28);
  const float act_min_f = rd_f32(a.params + 24), act_max_f = rd_f32(a.params + 28);
  const uint32_t esize = is_int8 ? 1 : 4;
  const uint32_t row = x.w * x.c;
  uint8_t* y = a.out.data;
  for (uint32_t b = 0; b < x.n; ++b) {
    for (uint32_t oy = 0; oy < yd.h; ++oy) {
      const int32_t y0 = (int32_t)oy * g.stride_h - g.pad_h;
      const int32_t fy0 = y0 < 0 ? -y0 : 0;
      const int32_t ylim = (int32_t)x.h - y0;
      const int32_t fy1 = g.dil_or_filter_h < ylim ? g.dil_or_filter_h : ylim;
      for (uint32_t ox = 0; ox < yd.w; ++ox) {
        const int32_t x0 = (int32_t)ox * g.stride_w - g.pad_w;
        const int32_t fx0 = x0 < 0 ? -x0 : 0;
        const int32_t xlim = (int32_t)x.w - x0;
        const int32_t fx1 = g.dil_or_filter_w < xlim ? g.dil_or_filter_w : xlim;
        const uint32_t rows = (uint32_t)(fy1 - fy0), cols = (uint32_t)(fx1 - fx0);
        const uint32_t first =
            ((b * x.h + (uint32_t)(y0 + fy0)) * x.w + (uint32_t)(x0 + fx0)) * x.c;
        for (uint32_t c = 0; c < x.c; ++c, y += esize) {
          const uint32_t at = first + c;
          if (is_int8) {
            const int8_t* in = reinterpret_cast<const int8_t*>(a.in[0].data) + at;
            int32_t acc = is_max ? -128 : 0;
            for (uint32_t i = 0; i < rows; ++i, in += row) {
              for (uint32_t j = 0; j < cols; ++j) {
                const int32_t v = in[j * x.c];
                acc = !is_max ? wrap_add(acc, v) : acc < v ? v : acc;
              }
            }
            if (!is_max) {  // (sum +- count / 2) / count, truncating: halves away from zero
              const int32_t count = (int32_t)(rows * cols), half = count / 2;
              acc = wrap_add(acc, acc > 0 ? half : -half) / count;
            }
            *y = (uint8_t)(int8_t)clamp_i32(acc, act_min, act_max);
          } else {
            const uint8_t* in = a.in[0].data + 4 * at;
            float acc = is_max ? -3.40282347e+38f : 0.0f;
            for (uint32_t i = 0; i < rows; ++i, in += 4 * row) {
              for (uint32_t j = 0; j < cols; ++j) {
                const float v = rd_f32(in + 4 * j * x.c);
                acc = !is_max ? acc + v : acc < v ? v : acc;  // std::max: NaN never replaces acc
              }
            }
            if (!is_max) acc = acc / (float)(rows * cols);
            wr_f32(y, clamp_act_f32(acc, act_min_f, act_max_f));
          }
        }
      }
    }
  }
}

// BAD_OP: input and output int8 or float32 alike, rank 3 or 4, the same batch and channels.
// BAD_PARAMS: 32 bytes, a window of 1 … 65 535 per side that fits (window rule, dilation 1), a
// valid clamp range. Out of line for both pools.
TT_NOINLINE ModelStatus check(const KernelArgs& a) {
  const uint8_t* x = a.in[0].rec;
  const uint8_t type = tensor_type(a.out.rec);
  if (x == nullptr || tensor_type(x) != type ||
      (type != fmt::kTypeInt8 && type != fmt::kTypeFloat32)) {
    return ModelStatus::kBadOp;
  }
  if (!is_feature_map(x) || !is_feature_map(a.out.rec)) return ModelStatus::kBadOp;
  const Nhwc in = nhwc(x), out = nhwc(a.out.rec);
  if (in.n != out.n || in.c != out.c) return ModelStatus::kBadOp;
  if (a.params_size != 32) return ModelStatus::kBadParams;
  const Geometry g = read_geometry(a.params);
  const int32_t fh = g.dil_or_filter_h, fw = g.dil_or_filter_w;
  if (fh < 1 || fh > 65535 || fw < 1 || fw > 65535 ||
      !windows_fit(g, in, out, (uint32_t)fh, (uint32_t)fw, 1, 1)) {
    return ModelStatus::kBadParams;
  }
  const bool range_ok = type == fmt::kTypeInt8
                            ? is_int8_range(rd_i32(a.params + 24), rd_i32(a.params + 28))
                            : is_f32_range(rd_f32(a.params + 24), rd_f32(a.params + 28));
  return range_ok ? ModelStatus::kOk : ModelStatus::kBadParams;
}

#if TT_OP_AVERAGE_POOL_2D
void eval_average(const KernelArgs& a) { pool(a, false); }
#endif
#if TT_OP_MAX_POOL_2D
void eval_max(const KernelArgs& a) { pool(a, true); }
#endif

}  // namespace

#if TT_OP_AVERAGE_POOL_2D
extern const OpRegistration kKernel_AVERAGE_POOL_2D = {fmt::kOpAveragePool2D, 1,      1, check,
                                                       eval_average,          nullptr};
#endif
#if TT_OP_MAX_POOL_2D
extern const OpRegistration kKernel_MAX_POOL_2D = {fmt::kOpMaxPool2D, 1,      1, check,
                                                   eval_max,          nullptr};
#endif

}  // namespace tt

#endif  // TT_OP_MAX_POOL_2D || TT_OP_AVERAGE_POOL_2D
