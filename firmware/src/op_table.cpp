// The build's operator table, generated from op_list.h: one registration pointer per operator
// whose TT_OP_NAME is 1, in opcode order. model_load and model_invoke find kernels only here, and
// HELLO_OK's operator list is this table's opcodes.
#include "kernel_api.h"
#include "model.h"
#include "model_format.h"
#include "op_list.h"

namespace tt {

namespace {

// TT_OP_IF(flag, x) expands to `x,` when flag expands to 1 and to nothing when it expands to 0.
#define TT_OP_IF_1(x) x,
#define TT_OP_IF_0(x)
#define TT_OP_IF_EXPANDED(flag, x) TT_OP_IF_##flag(x)
#define TT_OP_IF(flag, x) TT_OP_IF_EXPANDED(flag, x)
#define TT_OP_ENTRY(NAME) TT_OP_IF(TT_OP_##NAME, &kKernel_##NAME)

static_assert(kSupportedOpCount >= 1, "a build needs at least one operator (op_list.h)");

}  // namespace

const OpRegistration* const kOpTable[] = {TT_OP_LIST(TT_OP_ENTRY)};
static_assert(sizeof kOpTable / sizeof kOpTable[0] == kSupportedOpCount,
              "one table entry per enabled operator: each TT_OP_NAME must be 0 or 1");

const OpRegistration* find_op(uint16_t opcode) {
  for (uint32_t k = 0; k < kSupportedOpCount; ++k) {
    if (kOpTable[k]->opcode == opcode) return kOpTable[k];
  }
  return nullptr;
}

KernelTensor kernel_operand(const KernelArgs& a, uint32_t j) {
  KernelTensor t = {nullptr, nullptr};
  const uint16_t index = rd_u16(a.io + 2 * j);
  if (index == fmt::kAbsent) return t;
  const TensorSpace& s = *a.space;
  t.rec = s.tensors + (uint32_t)index * fmt::kTensorRecordSize;
  const uint32_t location = rd_u32(t.rec + fmt::kTensorLocation);
  if (t.rec[fmt::kTensorStorage] == fmt::kStorageConstant) {
    t.data = const_cast<uint8_t*>(s.data + location);
  } else if (s.arena != nullptr) {
    t.data = s.arena + location;
  }
  return t;
}

}  // namespace tt
