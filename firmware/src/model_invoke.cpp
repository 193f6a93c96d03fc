// model_invoke: runs a model that model_load accepted, without checks (docs/model-format.md §6).
// Per op it only reads the op record, resolves its tensors to pointers and jumps to the kernel.
#include <string.h>

#include "kernel_api.h"
#include "model.h"
#include "model_format.h"

namespace tt {

namespace {

inline KernelTensor resolve(const Model& m, uint8_t* arena, uint16_t index) {
  KernelTensor t;
  if (index == fmt::kAbsent) return t;
  t.rec = m.tensors + (uint32_t)index * fmt::kTensorRecordSize;
  const uint32_t location = rd_u32(t.rec + fmt::kTensorLocation);
  t.data = t.rec[fmt::kTensorStorage] == fmt::kStorageConstant
               ? const_cast<uint8_t*>(m.data) + location
               : arena + location;
  return t;
}

}  // namespace

void model_invoke(const Model& m, uint8_t* arena, const uint8_t* inputs, uint8_t* outputs) {
  for (uint32_t j = 0; j < m.input_count; ++j) {
    const KernelTensor t = resolve(m, arena, rd_u16(m.io + 2 * j));
    const uint32_t n = tensor_bytes(t.rec);
    memcpy(t.data, inputs, (size_t)n);
    inputs += n;
  }
  const uint8_t* rec = m.ops;
  for (uint32_t i = 0; i < m.op_count; ++i, rec += fmt::kOpRecordSize) {
    KernelArgs a;
    a.params = m.data + rd_u32(rec + fmt::kOpParams);
    a.input_count = rec[fmt::kOpInputCount];
    const uint8_t* io = m.io + 2 * rd_u32(rec + fmt::kOpIoStart);
    for (uint32_t k = 0; k < a.input_count; ++k) a.in[k] = resolve(m, arena, rd_u16(io + 2 * k));
    a.out = resolve(m, arena, rd_u16(io + 2 * a.input_count));
    switch (rd_u16(rec + fmt::kOpOpcode)) {
      case fmt::kOpFullyConnected:
        eval_fully_connected(a);
        break;
      case fmt::kOpQuantize:
        eval_quantize(a);
        break;
      case fmt::kOpDequantize:
        eval_dequantize(a);
        break;
      case fmt::kOpRelu:
        eval_relu(a);
        break;
      case fmt::kOpRelu6:
        eval_relu6(a);
        break;
      case fmt::kOpAdd:
        eval_add(a);
        break;
      case fmt::kOpSoftmax:
        eval_softmax(a);
        break;
      default:
        break;  // unreachable: model_load rejects other opcodes
    }
  }
  for (uint32_t j = m.input_count; j < (uint32_t)m.input_count + m.output_count; ++j) {
    const KernelTensor t = resolve(m, arena, rd_u16(m.io + 2 * j));
    const uint32_t n = tensor_bytes(t.rec);
    memcpy(outputs, t.data, (size_t)n);
    outputs += n;
  }
}

}  // namespace tt
