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
  const uint8_t* rec = m.space.tensors + (uint32_t)index * fmt::kTensorRecordSize;
  const uintptr_t to_data =
      (uintptr_t)m.space.data - (uintptr_t)arena;  // wraps: integer arithmetic
  return reinterpret_cast<uint8_t*>((uintptr_t)arena + rd_u32(rec + fmt::kTensorLocation) +
                                    rec[fmt::kTensorStorage] * to_data);
}

// Resolves op record `rec` into *a (the fields kernels read: params, counts, the first
// kArgInputs inputs, output 0, the index list and m.space for the rest) and returns its kernel
// (bound, for an operator with a bind). m.space.arena must be `arena`.
TT_NOINLINE_INVOKE EvalFn resolve_op(const Model& m, uint8_t* arena, const uint8_t* rec,
                                     KernelArgs* a) {
  a->params = m.space.data + rd_u32(rec + fmt::kOpParams);
  const uint32_t count = rec[fmt::kOpInputCount];
  a->input_count = (uint8_t)count;
  a->output_count = rec[fmt::kOpOutputCount];
  const uint8_t* io = m.io + 2 * rd_u32(rec + fmt::kOpIoStart);
  a->io = io;
  a->space = &m.space;
  const uint32_t resolved = count < kArgInputs ? count : kArgInputs;
  for (uint32_t k = 0; k <= resolved; ++k) {
    KernelTensor* t = k == resolved ? &a->out : &a->in[k];
    const uint16_t index = rd_u16(io + 2 * (k == resolved ? count : k));
    t->rec = nullptr;
    t->data = nullptr;
    if (index != fmt::kAbsent) {  // else an absent optional input (never the output)
      t->rec = m.space.tensors + (uint32_t)index * fmt::kTensorRecordSize;
      t->data = tensor_data(m, arena, index);
    }
  }
  const OpRegistration* const op = find_op(rd_u16(rec + fmt::kOpOpcode));  // never null here
  return op->bind != nullptr ? op->bind(*a) : op->eval;
}

#if TT_CACHED_OPS > 0
// Resolves the first min(op_count, kCachedOps) ops and the first model input and output for
// `arena` (model.h); model_invoke uses the latter only for a one-byte input and output.
TT_NOINLINE_INVOKE void fill_cache(const Model& m, uint8_t* arena) {
  m.space.arena = arena;
  const uint32_t n = m.op_count < kCachedOps ? m.op_count : kCachedOps;
  for (uint32_t i = 0; i < n; ++i) {
    m.cache[i].eval = resolve_op(m, arena, m.ops + i * fmt::kOpRecordSize, &m.cache[i].args);
  }
  m.cache_ops = (uint8_t)n;
  m.cache_byte_io =
      m.input_count == 1 && m.input_bytes == 1 && m.output_count == 1 && m.output_bytes == 1;
  m.cache_in = tensor_data(m, arena, rd_u16(m.io));
  m.cache_out = tensor_data(m, arena, rd_u16(m.io + 2 * (uint32_t)m.input_count));
  m.cache_ready = true;
}
#endif

}  // namespace

void model_io_copy(const Model& m, uint8_t* arena, bool outputs, uint32_t offset, uint8_t* host,
                   uint32_t len, bool to_tensors) {
  const uint8_t* io = m.io + (outputs ? 2 * (uint32_t)m.input_count : 0);
  const uint32_t count = outputs ? m.output_count : m.input_count;
  const uint32_t end = offset + len;
  uint32_t at = 0;  // where the current tensor starts in the record
  for (uint32_t k = 0; k < count && at < end; ++k, io += 2) {
    const uint8_t* rec = m.space.tensors + (uint32_t)rd_u16(io) * fmt::kTensorRecordSize;
    const uint32_t n = tensor_bytes(rec);
    const uint32_t lo = offset > at ? offset : at;
    const uint32_t hi = end < at + n ? end : at + n;
    if (lo < hi) {
      uint8_t* t = arena + rd_u32(rec + fmt::kTensorLocation) + (lo - at);
      uint8_t* h = host + (lo - offset);
      // Staged inference may pass a tensor's own bytes (memcpy onto itself is undefined in ISO C).
      if (t != h) memcpy(to_tensors ? t : h, to_tensors ? h : t, (size_t)(hi - lo));
    }
    at += n;
  }
}

void model_invoke(const Model& m, uint8_t* arena, const uint8_t* inputs, uint8_t* outputs) {
  uint32_t i = 0;  // ops done
#if TT_CACHED_OPS > 0
  // The first kCachedOps ops come resolved from the model's cache, filled on the first run with
  // this arena, and so do the pointers of a one-byte model input and output (a scalar model like
  // the sine demos: copied inline); later ops are resolved into `scratch` every time.
  if (!m.cache_ready || m.space.arena != arena) fill_cache(m, arena);
  const bool byte_io = m.cache_byte_io;
  if (byte_io) {
    *m.cache_in = *inputs;
  } else if (inputs != nullptr) {  // nullptr: staged, the inputs are in their tensors already
    model_io_copy(m, arena, false, 0, const_cast<uint8_t*>(inputs), m.input_bytes, true);
  }
  const CachedOp* c = m.cache;
  for (i = m.cache_ops; c != m.cache + i; ++c) c->eval(c->args);
#else
  m.space.arena = arena;
  if (inputs != nullptr)
    model_io_copy(m, arena, false, 0, const_cast<uint8_t*>(inputs), m.input_bytes, true);
#endif
  CachedOp scratch;  // filled field by field (no zeroing per op)
  for (const uint8_t* rec = m.ops + i * fmt::kOpRecordSize; i < m.op_count;
       ++i, rec += fmt::kOpRecordSize) {
    scratch.eval = resolve_op(m, arena, rec, &scratch.args);
    scratch.eval(scratch.args);
  }
#if TT_CACHED_OPS > 0
  if (byte_io) {
    *outputs = *m.cache_out;
    return;
  }
#endif
  if (outputs == nullptr) return;  // staged: the result is read from the output tensors
  model_io_copy(m, arena, true, 0, outputs, m.output_bytes, false);
}

}  // namespace tt
