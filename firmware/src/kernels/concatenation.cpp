// CONCATENATION (2) of 1 … kMaxOpInputs (default 8) tensors along params axis: a copy of element
// bytes, for any element type (TFLM's reference Concatenation; int8 inputs carry the output's
// quantization, which the sender ensures as TFLM's Prepare requires). For each index of the axes
// before `axis`, each input's slab (its dims from `axis` on) is copied in input order.
#include "../kernel_walk.h"

#if TT_OP_CONCATENATION

namespace tt {

namespace {

// Format 1.0 carried at most 3 inputs per op; a 1.1 blob may give this op up to the build's
// kMaxOpInputs (build_config.h, default 8). The loader refuses more (BAD_OP) before check() runs,
// so eval's tables on the stack hold every input; no heap.
constexpr uint8_t kConcatMaxInputs = kMaxOpInputs;

ModelStatus check(const KernelArgs& a) {
  const uint8_t type = tensor_type(a.out.rec);
  const uint32_t rank = tensor_rank(a.out.rec);
  if (a.input_count < 1 || a.input_count > kConcatMaxInputs || rank == 0)
    return ModelStatus::kBadOp;
  for (uint32_t k = 0; k < a.input_count; ++k) {
    const KernelTensor t = kernel_input(a, k);
    if (t.rec == nullptr || tensor_type(t.rec) != type || tensor_rank(t.rec) != rank)
      return ModelStatus::kBadOp;
  }
  if (a.params_size != 4) return ModelStatus::kBadParams;
  const int32_t axis = param_i32(a, 0);
  if (axis < 0 || (uint32_t)axis >= rank) return ModelStatus::kBadParams;
  uint32_t along = 0;
  for (uint32_t k = 0; k < a.input_count; ++k) {
    const uint8_t* rec = kernel_input(a, k).rec;
    for (uint32_t j = 0; j < rank; ++j) {
      if (j != (uint32_t)axis && tensor_dim(rec, j) != tensor_dim(a.out.rec, j))
        return ModelStatus::kBadParams;
    }
    along += tensor_dim(rec, (uint32_t)axis);
  }
  return along == tensor_dim(a.out.rec, (uint32_t)axis) ? ModelStatus::kOk
                                                        : ModelStatus::kBadParams;
}

void eval(const KernelArgs& a) {
  const uint8_t* out = a.out.rec;
  const uint32_t axis = (uint32_t)rd_i32(a.params);
  const uint32_t rank = tensor_rank(out);
  uint32_t outer = 1, inner = type_size(tensor_type(out));
  for (uint32_t j = 0; j < axis; ++j) outer *= tensor_dim(out, j);
  for (uint32_t j = axis + 1; j < rank; ++j) inner *= tensor_dim(out, j);
  const uint8_t* src[kConcatMaxInputs];
  uint32_t slab[kConcatMaxInputs];  // bytes of one input per outer index
  const uint32_t n = a.input_count;
  for (uint32_t k = 0; k < n; ++k) {
    const KernelTensor t = kernel_input(a, k);
    src[k] = t.data;
    slab[k] = tensor_dim(t.rec, axis) * inner;
  }
  uint8_t* y = a.out.data;
  for (uint32_t i = 0; i < outer; ++i) {
    for (uint32_t k = 0; k < n; ++k) {
      const uint8_t* x = src[k] + i * slab[k];
      for (uint32_t b = 0; b < slab[k]; ++b) *y++ = x[b];
    }
  }
}

}  // namespace

static_assert(kConcatMaxInputs >= 3, "CONCATENATION takes at least format 1.0's 3 inputs");
extern const OpRegistration kKernel_CONCATENATION = {
    fmt::kOpConcatenation, kConcatMaxInputs, 1, check, eval, nullptr};

}  // namespace tt

#endif  // TT_OP_CONCATENATION
