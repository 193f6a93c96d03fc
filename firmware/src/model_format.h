// Byte layout of the model blob (docs/model-format.md §1–§4) and little-endian field readers.
// Every target (x86, wasm32, Cortex-M, AVR) is little-endian, so a field is read with one
// fixed-size memcpy that compilers turn into a single load; memcpy also keeps unaligned and
// type-punned reads defined. __builtin_memcpy is used where available because -ffreestanding builds
// (wasm32) otherwise emit a real call per field.
#pragma once

#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the model blob readers assume a little-endian target"
#endif

#if defined(__GNUC__)
#define TT_MEMCPY __builtin_memcpy
#else
#define TT_MEMCPY memcpy
#endif

namespace tt {
namespace fmt {

// §1 header.
constexpr uint32_t kHeaderSize = 64;
constexpr uint8_t kMajor = 1;
constexpr uint32_t kOffMagic = 0;
constexpr uint32_t kOffMajor = 4;
constexpr uint32_t kOffHeaderSize = 6;
constexpr uint32_t kOffBlobSize = 8;
constexpr uint32_t kOffArenaSize = 12;
constexpr uint32_t kOffTensorCount = 16;
constexpr uint32_t kOffOpCount = 18;
constexpr uint32_t kOffInputCount = 20;
constexpr uint32_t kOffOutputCount = 22;
constexpr uint32_t kOffTensorsOffset = 24;
constexpr uint32_t kOffOpsOffset = 28;
constexpr uint32_t kOffIoOffset = 32;
constexpr uint32_t kOffIoCount = 36;
constexpr uint32_t kOffQuantOffset = 40;
constexpr uint32_t kOffQuantCount = 44;
constexpr uint32_t kOffDataOffset = 48;
constexpr uint32_t kOffDataSize = 52;
constexpr uint32_t kOffNameOffset = 56;
constexpr uint32_t kOffNameLen = 60;
constexpr uint32_t kOffReserved = 62;
constexpr uint16_t kMaxNameLen = 64;

// §2 tensor record.
constexpr uint32_t kTensorRecordSize = 24;
constexpr uint32_t kTensorType = 0;
constexpr uint32_t kTensorRank = 1;
constexpr uint32_t kTensorStorage = 2;
constexpr uint32_t kTensorDims = 4;  // u16 x 4
constexpr uint32_t kTensorLocation = 12;
constexpr uint32_t kTensorByteSize = 16;
constexpr uint32_t kTensorQuant = 20;
constexpr uint8_t kMaxRank = 4;
constexpr uint8_t kStorageArena = 0;
constexpr uint8_t kStorageConstant = 1;
constexpr uint16_t kNoQuant = 0xFFFF;
constexpr uint16_t kAbsent = 0xFFFF;  // an optional op input left out

// TensorFlow Lite TensorType numbering.
constexpr uint8_t kTypeFloat32 = 0;
constexpr uint8_t kTypeInt32 = 2;
constexpr uint8_t kTypeInt16 = 7;
constexpr uint8_t kTypeInt8 = 9;

// §3 quantization record.
constexpr uint32_t kQuantRecordSize = 12;

// §4 op record.
constexpr uint32_t kOpRecordSize = 16;
constexpr uint32_t kOpOpcode = 0;
constexpr uint32_t kOpInputCount = 2;
constexpr uint32_t kOpOutputCount = 3;
constexpr uint32_t kOpIoStart = 4;
constexpr uint32_t kOpParams = 8;
constexpr uint32_t kOpParamsSize = 12;

// §5 TensorFlow Lite BuiltinOperator codes this format defines.
constexpr uint16_t kOpAdd = 0;
constexpr uint16_t kOpAveragePool2D = 1;
constexpr uint16_t kOpConcatenation = 2;
constexpr uint16_t kOpConv2D = 3;
constexpr uint16_t kOpDepthwiseConv2D = 4;
constexpr uint16_t kOpDequantize = 6;
constexpr uint16_t kOpFullyConnected = 9;
constexpr uint16_t kOpLogistic = 14;
constexpr uint16_t kOpMaxPool2D = 17;
constexpr uint16_t kOpMul = 18;
constexpr uint16_t kOpRelu = 19;
constexpr uint16_t kOpRelu6 = 21;
constexpr uint16_t kOpSoftmax = 25;
constexpr uint16_t kOpTanh = 28;
constexpr uint16_t kOpGather = 36;
constexpr uint16_t kOpTranspose = 39;
constexpr uint16_t kOpMean = 40;
constexpr uint16_t kOpSub = 41;
constexpr uint16_t kOpStridedSlice = 45;
constexpr uint16_t kOpQuantize = 114;
constexpr uint16_t kOpBatchMatmul = 126;

}  // namespace fmt

inline uint16_t rd_u16(const uint8_t* p) {
  uint16_t v;
  TT_MEMCPY(&v, p, sizeof v);
  return v;
}
inline uint32_t rd_u32(const uint8_t* p) {
  uint32_t v;
  TT_MEMCPY(&v, p, sizeof v);
  return v;
}
inline int32_t rd_i32(const uint8_t* p) {
  int32_t v;
  TT_MEMCPY(&v, p, sizeof v);
  return v;
}
inline float rd_f32(const uint8_t* p) {
  float v;
  TT_MEMCPY(&v, p, sizeof v);
  return v;
}
inline void wr_f32(uint8_t* p, float v) { TT_MEMCPY(p, &v, sizeof v); }

// Tensor record accessors (rec points at a 24-byte record).
inline uint8_t tensor_type(const uint8_t* rec) { return rec[fmt::kTensorType]; }
inline uint8_t tensor_rank(const uint8_t* rec) { return rec[fmt::kTensorRank]; }
inline uint16_t tensor_dim(const uint8_t* rec, uint32_t i) {
  return rd_u16(rec + fmt::kTensorDims + 2 * i);
}
inline uint32_t tensor_bytes(const uint8_t* rec) { return rd_u32(rec + fmt::kTensorByteSize); }

// Bytes per element of a supported type, 0 for any other.
inline uint32_t type_size(uint8_t type) {
  switch (type) {
    case fmt::kTypeInt8:
      return 1;
    case fmt::kTypeInt16:
      return 2;
    case fmt::kTypeFloat32:
    case fmt::kTypeInt32:
      return 4;
    default:
      return 0;
  }
}

}  // namespace tt
