// The operator table: every operator the firmware has, one X(NAME) line each, and whether this
// build has it (TFLM's MicroMutableOpResolver, fixed at build time). NAME is TFLite's
// BuiltinOperator name; the operator's registration is tt::kKernel_NAME, defined in
// kernels/<name>.cpp (kernel_api.h). op_table.cpp builds the loader's and executor's table from
// this list, with only the operators whose TT_OP_NAME is 1.
//
// TT_OP_NAME (0 or 1, nothing else) may be set with -D. Defaults: the operators of format 1.0 (the
// MLP set below) are 1 everywhere; every operator added later defaults to TT_OPS_EXTENDED, which is
// 1 except on 8-bit AVR (the ATmega2560 board keeps the MLP set) and in builds that pass
// -DTT_OPS_EXTENDED=0 (the Cortex-M4 core size measurement, targets/qemu-m4 `sizes`).
//
// Adding an operator: kernels/<name>.cpp, wrapped in `#if TT_OP_NAME` (Arduino compiles every .cpp
// under src/, so a disabled kernel must compile to nothing), defining kKernel_NAME; its default
// below (`#define TT_OP_NAME TT_OPS_EXTENDED`); and its X(NAME) line in TT_OP_LIST, in opcode
// order. docs/architecture.md "Adding an operator" says what check and eval must do.
#pragma once

#ifndef TT_OPS_EXTENDED
#if defined(__AVR__)
#define TT_OPS_EXTENDED 0
#else
#define TT_OPS_EXTENDED 1
#endif
#endif

// The MLP set (format 1.0).
#ifndef TT_OP_ADD
#define TT_OP_ADD 1
#endif
#ifndef TT_OP_DEQUANTIZE
#define TT_OP_DEQUANTIZE 1
#endif
#ifndef TT_OP_FULLY_CONNECTED
#define TT_OP_FULLY_CONNECTED 1
#endif
#ifndef TT_OP_RELU
#define TT_OP_RELU 1
#endif
#ifndef TT_OP_RELU6
#define TT_OP_RELU6 1
#endif
#ifndef TT_OP_SOFTMAX
#define TT_OP_SOFTMAX 1
#endif
#ifndef TT_OP_QUANTIZE
#define TT_OP_QUANTIZE 1
#endif

// Operators added after format 1.0 (default TT_OPS_EXTENDED) go here.
#ifndef TT_OP_GATHER
#define TT_OP_GATHER TT_OPS_EXTENDED
#endif
// QUANTIZE's int8 -> int8 variant (requantize, which the converter puts before CONCATENATION
// inputs quantized unlike the output): a variant of an MLP-set operator, so it has its own switch,
// off in MLP-set builds (the MLP set's core size goal, docs/targets/qemu-m4.md), where an int8
// input is BAD_OP.
#ifndef TT_OP_QUANTIZE_INT8
#define TT_OP_QUANTIZE_INT8 TT_OPS_EXTENDED
#endif
#ifndef TT_OP_CONCATENATION
#define TT_OP_CONCATENATION TT_OPS_EXTENDED
#endif
#ifndef TT_OP_MUL
#define TT_OP_MUL TT_OPS_EXTENDED
#endif
#ifndef TT_OP_TRANSPOSE
#define TT_OP_TRANSPOSE TT_OPS_EXTENDED
#endif
#ifndef TT_OP_MEAN
#define TT_OP_MEAN TT_OPS_EXTENDED
#endif
#ifndef TT_OP_SUB
#define TT_OP_SUB TT_OPS_EXTENDED
#endif
#ifndef TT_OP_STRIDED_SLICE
#define TT_OP_STRIDED_SLICE TT_OPS_EXTENDED
#endif
#ifndef TT_OP_LOGISTIC
#define TT_OP_LOGISTIC TT_OPS_EXTENDED
#endif
#ifndef TT_OP_TANH
#define TT_OP_TANH TT_OPS_EXTENDED
#endif
#ifndef TT_OP_BATCH_MATMUL
#define TT_OP_BATCH_MATMUL TT_OPS_EXTENDED
#endif

#ifndef TT_OP_AVERAGE_POOL_2D
#define TT_OP_AVERAGE_POOL_2D TT_OPS_EXTENDED
#endif
#ifndef TT_OP_CONV_2D
#define TT_OP_CONV_2D TT_OPS_EXTENDED
#endif
#ifndef TT_OP_DEPTHWISE_CONV_2D
#define TT_OP_DEPTHWISE_CONV_2D TT_OPS_EXTENDED
#endif
#ifndef TT_OP_MAX_POOL_2D
#define TT_OP_MAX_POOL_2D TT_OPS_EXTENDED
#endif

// Every operator, in opcode order (HELLO_OK lists the enabled ones in this order).
#define TT_OP_LIST(X)  \
  X(ADD)               \
  X(AVERAGE_POOL_2D)   \
  X(CONCATENATION)     \
  X(CONV_2D)           \
  X(DEPTHWISE_CONV_2D) \
  X(DEQUANTIZE)        \
  X(FULLY_CONNECTED)   \
  X(LOGISTIC)          \
  X(MAX_POOL_2D)       \
  X(MUL)               \
  X(RELU)              \
  X(RELU6)             \
  X(SOFTMAX)           \
  X(TANH)              \
  X(GATHER)            \
  X(TRANSPOSE)         \
  X(MEAN)              \
  X(SUB)               \
  X(STRIDED_SLICE)     \
  X(QUANTIZE)          \
  X(BATCH_MATMUL)
