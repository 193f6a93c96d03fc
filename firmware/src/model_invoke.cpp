// model_invoke: runs a model that model_load accepted, without checks (docs/model-format.md §6).
// Per op it only reads the op record, resolves its tensors to pointers and jumps to the kernel.
#include <string.h>

#include "kernel_api.h"
#include "model.h"
#include "model_format.h"

namespace tt {

namespace {

// A tensor's element bytes: arena or constant data (both validated by model_load). The storage
// byte is 0 (arena) or 1 (constant), so the base is arena + storage * (data - arena): a multiply
// instead of a branch or a conditional-execution block.
inline uint8_t* tensor_data(const Model& m, uint8_t* arena, const uint8_t* rec) {
  const uintptr_t to_data = (uintptr_t)m.data - (uintptr_t)arena;  // wraps: integer arithmetic
  return reinterpret_cast<uint8_t*>((uintptr_t)arena + rd_u32(rec + fmt::kTensorLocation) +
                                    rec[fmt::kTensorStorage] * to_data);
}

inline void resolve(const Model& m, uint8_t* arena, uint16_t index, KernelTensor* t) {
  if (index == fmt::kAbsent) {
    t->rec = nullptr;
    t->data = nullptr;
    return;
  }
  t->rec = m.tensors + (uint32_t)index * fmt::kTensorRecordSize;
  t->data = tensor_data(m, arena, t->rec);
}

// Model inputs and outputs are a few bytes each in typical models: a byte loop is cheaper than a
// call to memcpy for those.
inline void copy_bytes(uint8_t* dst, const uint8_t* src, uint32_t n) {
  if (n >= 16) {
    memcpy(dst, src, (size_t)n);
    return;
  }
  while (n-- != 0) *dst++ = *src++;
}

}  // namespace

void model_invoke(const Model& m, uint8_t* arena, const uint8_t* inputs, uint8_t* outputs) {
  const uint8_t* io_index = m.io;
  for (uint32_t j = m.input_count; j != 0; --j, io_index += 2) {
    const uint8_t* rec = m.tensors + (uint32_t)rd_u16(io_index) * fmt::kTensorRecordSize;
    const uint32_t n = tensor_bytes(rec);
    copy_bytes(tensor_data(m, arena, rec), inputs, n);
    inputs += n;
  }
  const uint8_t* rec = m.ops;
  // KernelArgs is filled field by field (no zeroing per op): kernels read only in[0 .. input_count)
  // and out.
  KernelArgs a;
  for (uint32_t i = m.op_count; i != 0; --i, rec += fmt::kOpRecordSize) {
    a.params = m.data + rd_u32(rec + fmt::kOpParams);
    const uint32_t count = rec[fmt::kOpInputCount];
    a.input_count = (uint8_t)count;
    const uint8_t* io = m.io + 2 * rd_u32(rec + fmt::kOpIoStart);
    for (uint32_t k = 0; k < count; ++k) resolve(m, arena, rd_u16(io + 2 * k), &a.in[k]);
    resolve(m, arena, rd_u16(io + 2 * count), &a.out);
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
  for (uint32_t j = m.output_count; j != 0; --j, io_index += 2) {
    const uint8_t* out_rec = m.tensors + (uint32_t)rd_u16(io_index) * fmt::kTensorRecordSize;
    const uint32_t n = tensor_bytes(out_rec);
    copy_bytes(outputs, tensor_data(m, arena, out_rec), n);
    outputs += n;
  }
}

}  // namespace tt
