// The interface between the model loader / executor and the operator kernels.
//
// Each operator is one file, kernels/<name>.cpp, that defines its registration kKernel_NAME
// (TFLM style): `check` runs once at load (model_load) on an op whose record, tensor indices,
// tensor records and params location are already validated, and decides whether the op's counts,
// types, shapes and params are acceptable; `eval` runs at every inference without any checks;
// the optional `bind` picks, once per resolved op, the eval variant for its tensors and params.
// The list of operators and which of them a build has: op_list.h.
#pragma once

#include <stdint.h>

#include "model.h"
#include "model_format.h"
#include "op_list.h"
#include "quant_math.h"

namespace tt {

typedef ModelStatus (*CheckFn)(const KernelArgs&);
// Returns the eval function for this op and may precompute what it reads into `a` (KernelArgs::fc).
typedef EvalFn (*BindFn)(KernelArgs& a);

struct OpRegistration {
  uint16_t opcode;  // TFLite BuiltinOperator code (docs/model-format.md §5)
  // The most inputs and outputs the op takes (model_load rejects more with kBadOp before calling
  // check). Fewer inputs reach check as null records (in[k].rec == nullptr, like an absent
  // optional input), which check must reject where the op needs them; at least one output.
  uint8_t max_inputs;
  uint8_t max_outputs;  // 1, or more for an op with scratch outputs (docs/model-format.md §4)
  // Load-time check: kOk, kBadOp (missing inputs, absent inputs, types, shapes) or kBadParams:
  // everything eval relies on.
  CheckFn check;
  // Exactly one of eval and bind is set: eval, the run-time kernel for ops whose check passed, or
  // bind, which model_invoke calls once per resolved op for the kernel to run (FULLY_CONNECTED).
  EvalFn eval;
  BindFn bind;
};

// The registrations (kernels/<name>.cpp), declared for every operator of op_list.h; only those of
// the build's operators are defined.
#define TT_DECLARE_KERNEL(NAME) extern const OpRegistration kKernel_##NAME;
TT_OP_LIST(TT_DECLARE_KERNEL)
#undef TT_DECLARE_KERNEL

// The build's operators in opcode order (op_table.cpp): kSupportedOpCount entries (model.h).
extern const OpRegistration* const kOpTable[];
inline uint16_t supported_op(uint32_t i) { return kOpTable[i]->opcode; }

// The registration of `opcode`, or nullptr if this build does not run it.
const OpRegistration* find_op(uint16_t opcode);

// Input k (< a.input_count) and output k (< a.output_count) of an op: in[k] and out where
// KernelArgs holds them, else resolved through the op's index list. rec == nullptr for an absent
// input; data == nullptr for an arena tensor during model_load's checks (no arena yet).
KernelTensor kernel_operand(const KernelArgs& a, uint32_t j);  // j-th entry of the op's list
inline KernelTensor kernel_input(const KernelArgs& a, uint32_t k) {
  return k < kArgInputs ? a.in[k] : kernel_operand(a, k);
}
inline KernelTensor kernel_output(const KernelArgs& a, uint32_t k) {
  return k == 0 ? a.out : kernel_operand(a, a.input_count + k);
}

// exp(x) in binary32 without libm, within about 1 ulp of the correctly rounded result (float
// SOFTMAX, LOGISTIC).
float kernel_expf(float x);
// exp(x) - 1 in binary32 without libm, within a few ulp also near 0 (float TANH).
float kernel_expm1f(float x);

// --- helpers shared by the checks ---

// Same rank and dims. Out of line: one copy for every check.
TT_NOINLINE inline bool same_shape(const uint8_t* a, const uint8_t* b) {
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

// An int8 zero point.
inline bool is_int8_zero_point(int32_t zp) { return zp >= -128 && zp <= 127; }

// A requantization shift as MBQM takes it.
inline bool is_shift(int32_t s) { return s >= -31 && s <= 30; }

// [lo, hi] is a valid int8 clamp range.
inline bool is_int8_range(int32_t lo, int32_t hi) { return lo >= -128 && hi <= 127 && lo <= hi; }

// Table-driven range checks of i32 params: each spec byte is a param index (0 … 31) | a kind.
// kParamOffset: an int8 offset (-zero point), -127 … 128; kParamZeroPoint: is_int8_zero_point;
// kParamShift: is_shift; kParamShiftDown: -31 … 0; kParamLeftShift: 0 … 30; kParamRange: this param
// and the next are an int8 clamp range (is_int8_range). Out of line: one loop for every check
// instead of a compare pair per param.
constexpr uint8_t kParamOffset = 0 << 5;
constexpr uint8_t kParamZeroPoint = 1 << 5;
constexpr uint8_t kParamShift = 2 << 5;
constexpr uint8_t kParamShiftDown = 3 << 5;
constexpr uint8_t kParamLeftShift = 4 << 5;
constexpr uint8_t kParamRange = 5 << 5;
TT_NOINLINE inline bool params_in_range(const KernelArgs& a, const uint8_t* spec, uint32_t n) {
  static const int8_t kLo[6] = {-127, -128, -31, -31, 0, -128};
  static const uint8_t kHi[6] = {128, 127, 30, 0, 30, 127};
  for (; n != 0; --n, ++spec) {
    const uint32_t k = *spec & 31u, kind = *spec >> 5;
    const int32_t v = param_i32(a, k);
    if (v < kLo[kind] || v > kHi[kind]) return false;
    if (kind == (kParamRange >> 5)) {
      const int32_t hi = param_i32(a, k + 1);
      if (hi > 127 || v > hi) return false;
    }
  }
  return true;
}
template <uint32_t N>
inline bool params_in_range(const KernelArgs& a, const uint8_t (&spec)[N]) {
  return params_in_range(a, spec, N);
}

// [lo, hi] is a valid float clamp range (no NaN; infinities allowed).
inline bool is_f32_range(float lo, float hi) { return lo <= hi; }

// A one-input op on int8 or float32 (RELU, RELU6, SOFTMAX): input 0 present, with the output's
// shape and type, int8 or float32. Returns that type, or kNoType. Out of line: one copy for every
// check.
constexpr uint8_t kNoType = 0xFF;
TT_NOINLINE inline uint8_t unary_int8_or_f32(const KernelArgs& a) {
  const uint8_t type = tensor_type(a.out.rec);
  if (a.in[0].rec == nullptr || !same_shape(a.in[0].rec, a.out.rec) ||
      tensor_type(a.in[0].rec) != type || (type != fmt::kTypeInt8 && type != fmt::kTypeFloat32)) {
    return kNoType;
  }
  return type;
}

// An int8 output clamped to [act_min, act_max], the i32 pair at params byte `at`, where that
// range is narrower than int8 (e.g. RELU with an output zero point above -128): one pass after
// the kernel saturated its outputs (the clamp of the saturation equals the clamp, as the range is
// inside int8). FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D; one copy for all.
TT_NOINLINE inline void clamp_int8_output(const KernelArgs& a, uint32_t at) {
  const int32_t lo = rd_i32(a.params + at), hi = rd_i32(a.params + at + 4);
  if (lo == -128 && hi == 127) return;
  int8_t* y = reinterpret_cast<int8_t*>(a.out.data);
  for (int8_t* const end = y + tensor_bytes(a.out.rec); y != end; ++y) {
    *y = (int8_t)clamp_i32(*y, lo, hi);
  }
}

// A scale: finite and > 0 (rejects NaN).
// On the binary32 bit pattern: (0, FLT_MAX] are the patterns 1 … 0x7F7FFFFF (positive, finite,
// not zero); no float compares (and no float constants to load).
inline bool is_scale_bits(uint32_t bits) { return bits - 1u < 0x7F7FFFFFu; }
inline bool is_scale_at(const uint8_t* p) { return is_scale_bits(rd_u32(p)); }

// QUANTIZE and DEQUANTIZE (max 1 input, 1 output): an input of in_type, one output of out_type, the
// same shape; params f32 scale (is_scale_at), i32 zero_point (int8 range). Out of line: one copy
// for both.
TT_NOINLINE inline ModelStatus check_affine(const KernelArgs& a, uint8_t in_type,
                                            uint8_t out_type) {
  if (!is_type(a.in[0], in_type) || tensor_type(a.out.rec) != out_type ||
      !same_shape(a.in[0].rec, a.out.rec)) {
    return ModelStatus::kBadOp;
  }
  if (a.params_size != 8 || !is_scale_at(a.params) || !is_int8_zero_point(param_i32(a, 1)))
    return ModelStatus::kBadParams;
  return ModelStatus::kOk;
}

}  // namespace tt
