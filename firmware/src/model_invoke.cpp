// model_invoke: runs a model that model_load accepted, without checks (docs/model-format.md §6).
// Per op it only reads the op record, resolves its tensors to pointers and jumps to the kernel; the
// first kCachedOps ops are resolved once per arena and kept in the Model (model.h).
#include <string.h>

#include "kernel_api.h"
#include "model.h"
#include "model_format.h"

namespace tt {

namespace {

#if defined(__GNUC__)
#define TT_NOINLINE_INVOKE __attribute__((noinline))
#else
#define TT_NOINLINE_INVOKE
#endif

// A tensor's element bytes: arena or constant data (both validated by model_load). The storage
// byte is 0 (arena) or 1 (constant), so the base is arena + storage * (data - arena): a multiply
// instead of a branch or a conditional-execution block. Out of line: it serves the model inputs,
// outputs and op operands.
TT_NOINLINE_INVOKE uint8_t* tensor_data(const Model& m, uint8_t* arena, uint16_t index) {
  const uint8_t* rec = m.tensors + (uint32_t)index * fmt::kTensorRecordSize;
  const uintptr_t to_data = (uintptr_t)m.data - (uintptr_t)arena;  // wraps: integer arithmetic
  return reinterpret_cast<uint8_t*>((uintptr_t)arena + rd_u32(rec + fmt::kTensorLocation) +
                                    rec[fmt::kTensorStorage] * to_data);
}

// Kernels in kSupportedOps order (model_loader.cpp).
const EvalFn kEvalFns[] = {eval_add,   eval_dequantize, eval_fully_connected, eval_relu,
                           eval_relu6, eval_softmax,    eval_quantize};

// Resolves op record `rec` into *a (the fields kernels read) and returns its kernel.
TT_NOINLINE_INVOKE EvalFn resolve_op(const Model& m, uint8_t* arena, const uint8_t* rec,
                                     KernelArgs* a) {
  a->params = m.data + rd_u32(rec + fmt::kOpParams);
  const uint32_t count = rec[fmt::kOpInputCount];
  a->input_count = (uint8_t)count;
  const uint8_t* io = m.io + 2 * rd_u32(rec + fmt::kOpIoStart);
  for (uint32_t k = 0; k <= count; ++k) {
    KernelTensor* t = k == count ? &a->out : &a->in[k];
    const uint16_t index = rd_u16(io + 2 * k);
    t->rec = nullptr;
    t->data = nullptr;
    if (index != fmt::kAbsent) {  // else an absent optional input (never the output)
      t->rec = m.tensors + (uint32_t)index * fmt::kTensorRecordSize;
      t->data = tensor_data(m, arena, index);
    }
  }
  const uint16_t opcode = rd_u16(rec + fmt::kOpOpcode);
  uint32_t k = 0;
  while (kSupportedOps[k] != opcode) ++k;  // model_load accepted only these
  const EvalFn eval = kEvalFns[k];
  return eval == eval_fully_connected ? bind_fully_connected(*a) : eval;
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

inline uint32_t io_bytes(const Model& m, uint16_t index) {
  return tensor_bytes(m.tensors + (uint32_t)index * fmt::kTensorRecordSize);
}

}  // namespace

void model_invoke(const Model& m, uint8_t* arena, const uint8_t* inputs, uint8_t* outputs) {
  const uint8_t* io_index = m.io;
  for (uint32_t j = m.input_count; j != 0; --j, io_index += 2) {
    const uint16_t index = rd_u16(io_index);
    const uint32_t n = io_bytes(m, index);
    copy_bytes(tensor_data(m, arena, index), inputs, n);
    inputs += n;
  }
  // The first kCachedOps ops come resolved from the model's cache, filled on the first run with
  // this arena; later ops are resolved into `scratch` every time.
  CachedOp scratch;  // filled field by field (no zeroing per op)
  const uint8_t* rec = m.ops;
#if TT_CACHED_OPS > 0
  const bool ready = m.cache_ready && m.cache_arena == arena;
  m.cache_arena = arena;
  m.cache_ready = true;
  for (uint32_t i = 0; i < m.op_count; ++i, rec += fmt::kOpRecordSize) {
    CachedOp* const c = i < kCachedOps ? &m.cache[i] : &scratch;
    if (!ready || c == &scratch) c->eval = resolve_op(m, arena, rec, &c->args);
    c->eval(c->args);
  }
#else
  for (uint32_t i = m.op_count; i != 0; --i, rec += fmt::kOpRecordSize) {
    scratch.eval = resolve_op(m, arena, rec, &scratch.args);
    scratch.eval(scratch.args);
  }
#endif
  for (uint32_t j = m.output_count; j != 0; --j, io_index += 2) {
    const uint16_t index = rd_u16(io_index);
    const uint32_t n = io_bytes(m, index);
    copy_bytes(outputs, tensor_data(m, arena, index), n);
    outputs += n;
  }
}

}  // namespace tt
