// The interface between the model loader / executor and the operator kernels.
//
// Each kernel comes as a pair, TFLM style: `check_*` runs once at load (model_load) on an op whose
// tensor indices, records and params location are already validated, and decides whether the op's
// types, shapes and params are acceptable; `eval_*` runs at every inference without any checks.
#pragma once

#include <stdint.h>

#include "model.h"
#include "model_format.h"

namespace tt {

// Load-time checks: kOk, kBadOp (counts, types, shapes) or kBadParams.
ModelStatus check_fully_connected(const KernelArgs& a);
ModelStatus check_quantize(const KernelArgs& a);
ModelStatus check_dequantize(const KernelArgs& a);
ModelStatus check_relu(const KernelArgs& a);  // RELU and RELU6 share layout and checks
ModelStatus check_add(const KernelArgs& a);
ModelStatus check_softmax(const KernelArgs& a);

// Run-time kernels; each picks its int8 or float32 variant from the output tensor's type.
void eval_fully_connected(const KernelArgs& a);
// The FULLY_CONNECTED variant (int8 fast rows with or without the activation clamp, int8 general,
// float32) for an op with these tensors and params: model_invoke binds it once per cached op, so
// eval_fully_connected's choice is not repeated at every inference. The lanes variant reads values
// precomputed here from the params and shapes (a.fc, model.h), so bind fills them in `a`.
EvalFn bind_fully_connected(KernelArgs& a);
void eval_quantize(const KernelArgs& a);
void eval_dequantize(const KernelArgs& a);
void eval_relu(const KernelArgs& a);
void eval_relu6(const KernelArgs& a);
void eval_add(const KernelArgs& a);
void eval_softmax(const KernelArgs& a);

// exp(x) in binary32 without libm, within about 1 ulp of the correctly rounded result (float
// SOFTMAX).
float kernel_expf(float x);

// --- helpers shared by the checks ---

inline bool same_shape(const uint8_t* a, const uint8_t* b) {
  if (tensor_rank(a) != tensor_rank(b)) return false;
  for (uint32_t i = 0; i < fmt::kMaxRank; ++i) {
    if (tensor_dim(a, i) != tensor_dim(b, i)) return false;
  }
  return true;
}

inline bool is_type(const KernelTensor& t, uint8_t type) {
  return t.rec != nullptr && tensor_type(t.rec) == type;
}

inline int32_t param_i32(const KernelArgs& a, uint32_t index) {
  return rd_i32(a.params + 4 * index);
}
inline float param_f32(const KernelArgs& a, uint32_t index) { return rd_f32(a.params + 4 * index); }

// An int8 zero point, and an "offset" that is a negated int8 zero point.
inline bool is_int8_zero_point(int32_t zp) { return zp >= -128 && zp <= 127; }
inline bool is_int8_offset(int32_t off) { return off >= -127 && off <= 128; }

// A requantization shift as MBQM takes it.
inline bool is_shift(int32_t s) { return s >= -31 && s <= 30; }

// [lo, hi] is a valid int8 clamp range.
inline bool is_int8_range(int32_t lo, int32_t hi) { return lo >= -128 && hi <= 127 && lo <= hi; }

// [lo, hi] is a valid float clamp range (no NaN; infinities allowed).
inline bool is_f32_range(float lo, float hi) { return lo <= hi; }

}  // namespace tt
