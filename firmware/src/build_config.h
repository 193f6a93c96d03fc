// Build settings of the firmware core: static table sizes and operand limits. Each is a macro that
// a build may set with -D (make builds); the defaults depend only on the architecture, because
// Arduino compiles the library's sources without the sketch's headers or flags, so a sketch's
// board_*.h cannot change them. Which operators a build has: op_list.h.
#pragma once

#include <stdint.h>

// Tensors and ops a blob may have (more: TOO_MANY). model_load keeps two bitsets of TT_MAX_TENSORS
// bits on its stack (2 * TT_MAX_TENSORS / 8 bytes: 32 on AVR, 256 with 1024); nothing else is sized
// by them. 8-bit AVR (8 KiB of RAM on the Mega 2560, whose pool holds far smaller models) keeps
// 128; 32-bit boards take 1024. At most 65 534 (tensor_count 0xFFFF is invalid).
#ifndef TT_MAX_TENSORS
#if defined(__AVR__)
#define TT_MAX_TENSORS 128
#else
#define TT_MAX_TENSORS 1024
#endif
#endif
#ifndef TT_MAX_OPS
#if defined(__AVR__)
#define TT_MAX_OPS 128
#else
#define TT_MAX_OPS 1024
#endif
#endif

// The most inputs and outputs (1 … 255 each) an operator of this build may take: the bound for
// each registration's max_inputs / max_outputs (kernel_api.h); a variadic operator such as
// CONCATENATION registers max_inputs = kMaxOpInputs. Outputs after the first are scratch buffers
// (docs/model-format.md §4). They size nothing: an op's inputs beyond kArgInputs and its scratch
// outputs are resolved on demand (kernel_input, kernel_output), so KernelArgs does not grow.
#ifndef TT_MAX_OP_INPUTS
#define TT_MAX_OP_INPUTS 8
#endif
#ifndef TT_MAX_OP_OUTPUTS
#define TT_MAX_OP_OUTPUTS 2
#endif

namespace tt {

constexpr uint16_t kMaxTensors = TT_MAX_TENSORS;
constexpr uint16_t kMaxOps = TT_MAX_OPS;
constexpr uint8_t kMaxOpInputs = TT_MAX_OP_INPUTS;
constexpr uint8_t kMaxOpOutputs = TT_MAX_OP_OUTPUTS;
static_assert(kMaxTensors >= 1 && kMaxTensors <= 65534, "TT_MAX_TENSORS: 1 … 65 534");
static_assert(kMaxOps >= 1, "TT_MAX_OPS: 1 … 65 535");
static_assert(TT_MAX_OP_INPUTS >= 1 && TT_MAX_OP_INPUTS <= 255 && TT_MAX_OP_OUTPUTS >= 1 &&
                  TT_MAX_OP_OUTPUTS <= 255,
              "TT_MAX_OP_INPUTS, TT_MAX_OP_OUTPUTS: 1 … 255");

}  // namespace tt
