// Model blob loader and executor: the contract between the protocol layer and the int8 engine.
// Format: docs/model-format.md. Portable C++17: no heap, no exceptions, no Arduino.h.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "build_config.h"
#include "op_list.h"

namespace tt {

// Loader status, numbered exactly as docs/model-format.md §7 (sent to clients in ERROR details).
enum class ModelStatus : uint8_t {
  kOk = 0,
  kTooShort = 1,
  kBadMagic = 2,
  kBadVersion = 3,
  kBadHeader = 4,
  kOutOfBounds = 5,
  kMisaligned = 6,
  kBadTensor = 7,
  kUnsupportedType = 8,
  kBadQuant = 9,
  kUnsupportedOp = 10,
  kBadOp = 11,
  kBadParams = 12,
  kNotTopological = 13,
  kBadIo = 14,
  kArenaTooLarge = 15,
  kTooMany = 16,
};

// Short English name of a status (static string, never null).
const char* model_status_text(ModelStatus status);

// Where an op's operands live, for resolving them on demand (kernel_input, kernel_output): the
// blob's tensor records and constant data, and the arena of the current model_invoke (nullptr
// during model_load's checks: arena operands then resolve to data == nullptr).
struct TensorSpace {
  const uint8_t* tensors;  // tensor_count x 24-byte tensor records
  const uint8_t* data;     // the constant data section
  uint8_t* arena;
};

// What a kernel gets for one op (kernel_api.h). Plain aggregates without default member
// initializers: model_invoke fills the fields kernels read instead of zeroing the whole struct;
// `KernelArgs args{};` gives all-zero fields.
struct KernelTensor {
  const uint8_t* rec;  // 24-byte tensor record; nullptr for an absent optional input
  uint8_t* data;       // element bytes (arena or constant data; constants are never written)
};

// Inputs resolved into KernelArgs::in (FULLY_CONNECTED's three); an op's later inputs are
// resolved on demand through its index list (kernel_input), so KernelArgs, which the op cache
// holds kCachedOps of, does not grow with kMaxOpInputs.
constexpr uint8_t kArgInputs = 3;

// FULLY_CONNECTED's int8 lanes rows (kernels/fully_connected.cpp) read these instead of the
// params and shapes at every call: its bind computes them once per resolved op. Not on AVR, which
// builds only the general loop (and has little RAM).
#if !defined(__AVR__)
#define TT_KERNEL_BOUND 1
struct FcBound {
  int32_t input_offset;
  int32_t offset2;    // 2 * output_offset + 1 (requant_int8_fast)
  uint32_t m_step;    // 0 per-tensor, 4 per-channel
  uint32_t s_offset;  // shifts minus multipliers, bytes
  uint32_t depth;
  uint32_t units;
  uint32_t out_bytes;  // batches * units
  uint32_t clamp;      // nonzero: the activation range is narrower than int8
};
#else
#define TT_KERNEL_BOUND 0
#endif

struct KernelArgs {
  const uint8_t* params;        // op params in the data section (4-byte aligned)
  uint32_t params_size;         // set by model_load only (eval functions never read it)
  uint8_t input_count;          // 0 … kMaxOpInputs, as in the op record
  uint8_t output_count;         // 1 … kMaxOpOutputs; outputs after the first are scratch buffers
  KernelTensor in[kArgInputs];  // inputs 0 … min(input_count, kArgInputs) - 1; the rest unset
  KernelTensor out;             // output 0
  const uint8_t* io;            // the op's index list: input_count inputs, then the outputs
  const TensorSpace* space;     // for kernel_input / kernel_output beyond in[] and out
#if TT_KERNEL_BOUND
  FcBound fc;  // set by FULLY_CONNECTED's bind for its lanes variant only
#endif
};

// model_invoke resolves the first kCachedOps ops of a model (tensor pointers, kernel) once per
// arena instead of at every inference; later ops are resolved per inference. Each costs
// sizeof(CachedOp) bytes of RAM in every Model (88 on 32-bit cores with KernelArgs::fc, 30 on AVR):
// 8 on 32-bit cores (an attention block's eight ops), 4 on AVR. Override with -DTT_CACHED_OPS=n
// (0: no cache, every op resolved per inference).
#ifndef TT_CACHED_OPS
#if defined(__AVR__)
#define TT_CACHED_OPS 4
#else
#define TT_CACHED_OPS 8
#endif
#endif
constexpr uint32_t kCachedOps = TT_CACHED_OPS;

typedef void (*EvalFn)(const KernelArgs&);

struct CachedOp {
  KernelArgs args;
  EvalFn eval;
};

// A validated model. Points into the blob, which must stay in place (and unchanged) while in use.
// Filled only by model_load; treat the fields as read-only. No default member initializers (a
// plain aggregate): `Model m;` costs no code where model_load fills it next (it resets *out first),
// and `Model{}` / `Model()` give all-zero fields.
struct Model {
  const uint8_t* blob;
  uint32_t blob_size;
  uint32_t arena_size;    // bytes of scratch the plan needs
  uint32_t input_bytes;   // sum of the model inputs' byte sizes (one INFER input record)
  uint32_t output_bytes;  // sum of the model outputs' byte sizes (one INFER result, ticks excluded)
  uint16_t tensor_count;
  uint16_t op_count;
  uint16_t input_count;
  uint16_t output_count;
#if TT_CACHED_OPS > 0
  // model_invoke's cache: the first min(op_count, kCachedOps) ops resolved for space.arena
  // (valid once cache_ready is set; model_load clears it). The byte fields here, near the start:
  // the Cortex-M's short byte loads reach offsets below 32.
  mutable bool cache_ready;
  mutable uint8_t cache_ops;   // min(op_count, kCachedOps)
  mutable bool cache_byte_io;  // one model input and one output, one byte each
#endif
  uint16_t name_len;
  const char* name;  // not NUL-terminated
  // Sections inside `blob`, cached so model_invoke does no header parsing.
  // Tensor records, constant data and (set by model_invoke) the arena of the current inference;
  // resolved ops point here (KernelArgs::space).
  mutable TensorSpace space;
  const uint8_t* ops;  // op_count x 16-byte op records
  const uint8_t* io;   // the u16 index list (model inputs, model outputs, op operands)
#if TT_CACHED_OPS > 0
  mutable uint8_t* cache_in;   // with cache_byte_io: the input's byte in space.arena
  mutable uint8_t* cache_out;  // with cache_byte_io: the output's byte
  mutable CachedOp cache[kCachedOps];
#endif
};

// Validates every byte of `blob` once (bounds, alignment, types, shapes, params, topology, op
// support) so that model_invoke can run without checks. `blob` must be 4-byte aligned.
// `arena_capacity`: RAM the caller can give as arena; a larger arena_size gives kArenaTooLarge.
// On failure `*detail_index` (if non-null) receives the offending tensor or op index, else 0.
// `*out` (if non-null) is reset, and filled only when the result is kOk.
ModelStatus model_load(const uint8_t* blob, uint32_t blob_size, uint32_t arena_capacity, Model* out,
                       uint32_t* detail_index);

// Runs one inference. `arena`: at least model.arena_size bytes, 16-byte aligned, caller-owned;
// `inputs`: model.input_bytes (model inputs concatenated in order), or nullptr when the caller has
// written them into their tensors in `arena` already (staged inference); `outputs`:
// model.output_bytes, or nullptr to leave the results in the output tensors. (A model with one
// one-byte input and one one-byte output always takes real pointers: its copies are inline.)
// Only call with a Model that model_load accepted. The first call with a given arena resolves the
// model's first kCachedOps ops into model.cache (mutable); later calls with the same arena reuse
// it.
void model_invoke(const Model& model, uint8_t* arena, const uint8_t* inputs, uint8_t* outputs);

// Copies bytes [offset, offset + len) of the input record (outputs false) or the output record
// (outputs true) between `host` and the tensors' bytes in `arena`: into the tensors when
// to_tensors, else out of them. A record is the model inputs' (outputs') tensors back to back;
// offset + len must not pass its end. model_invoke's copies, and the staged inference's
// (board_stage.cpp).
void model_io_copy(const Model& m, uint8_t* arena, bool outputs, uint32_t offset, uint8_t* host,
                   uint32_t len, bool to_tensors);

// Operators this build executes (op_list.h), for HELLO_OK: kSupportedOpCount of them; the i-th's
// TFLite BuiltinOperator code is supported_op(i) (kernel_api.h), in opcode order.
// A constant here (not a variable in op_table.cpp), so every use is an immediate.
#define TT_OP_COUNT_ENABLED(NAME) +TT_OP_##NAME
constexpr uint8_t kSupportedOpCount = 0 TT_OP_LIST(TT_OP_COUNT_ENABLED);
#undef TT_OP_COUNT_ENABLED

}  // namespace tt
