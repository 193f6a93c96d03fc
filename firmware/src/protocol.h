// Message types, error codes and fixed body sizes of the wire protocol, version 1
// (docs/protocol.md).
#pragma once

#include <stdint.h>

namespace tt {

constexpr uint8_t kProtocolVersion = 1;
constexpr uint16_t kUnsolicitedId = 0xFFFF;         // id of BAD_FRAME
constexpr uint32_t kNoPendingOffset = 0xFFFFFFFFu;  // BAD_FRAME next_offset without an upload
constexpr uint32_t kHeaderBytes = 3;                // u8 type, u16 id
constexpr uint32_t kMaxErrorText = 48;              // bytes

// chunk_max = max_payload - kChunkOverhead (header + u32 offset).
constexpr uint32_t kChunkOverhead = kHeaderBytes + 4;

namespace msg {
constexpr uint8_t kHello = 0x01;
constexpr uint8_t kStatus = 0x02;
constexpr uint8_t kBegin = 0x10;
constexpr uint8_t kChunk = 0x11;
constexpr uint8_t kCommit = 0x12;
constexpr uint8_t kAbort = 0x13;
constexpr uint8_t kInfer = 0x20;
constexpr uint8_t kStage = 0x21;  // staged inference (docs/protocol.md §7.2)
constexpr uint8_t kStageChunk = 0x22;
constexpr uint8_t kRun = 0x23;
constexpr uint8_t kRead = 0x24;
constexpr uint8_t kAnswer = 0x80;  // answer type = request type | kAnswer
constexpr uint8_t kBadFrame = 0xFE;
constexpr uint8_t kError = 0xFF;
}  // namespace msg

// Request body sizes (fixed-length requests; CHUNK and INFER are checked by their handlers).
namespace body {
constexpr uint32_t kHello = 1;  // extra bytes are ignored (a newer client meeting this board)
constexpr uint32_t kStatus = 0;
constexpr uint32_t kBegin = 10;
constexpr uint32_t kCommit = 8;
constexpr uint32_t kAbort = 0;
constexpr uint32_t kChunkMin = 5;  // u32 offset + at least one data byte
constexpr uint32_t kInferMin = 2;  // u16 count
constexpr uint32_t kStage = 9;     // u32 total_len, u32 record_crc, u8 flags
constexpr uint32_t kStageChunkMin = 5;
constexpr uint32_t kRun = 8;   // u32 total_len, u32 record_crc
constexpr uint32_t kRead = 6;  // u32 offset, u16 len
}  // namespace body

// BEGIN and STAGE flags.
constexpr uint8_t kBeginResume = 0x01;

// INFER's u16 count field: bits 0-14 the count, bit 15 asks for one total time for the whole batch
// instead of a u32 per result record (docs/protocol.md §7.1).
constexpr uint16_t kInferTotalTime = 0x8000;
constexpr uint16_t kInferCountMask = 0x7FFF;

// HELLO_OK's trailing u8 features (absent from firmware 0.1 answers, which means 0).
constexpr uint8_t kFeatureStaged = 0x01;     // STAGE, STAGE_CHUNK, RUN, READ
constexpr uint8_t kFeatureTotalTime = 0x02;  // INFER's kInferTotalTime flag

// HELLO_OK storage bits.
constexpr uint8_t kStorageRam = 0x01;
constexpr uint8_t kStorageFlash = 0x02;

// Slots.
constexpr uint8_t kSlotRam = 0;
constexpr uint8_t kSlotFlash = 1;

enum class ChunkVerdict : uint8_t { kAccepted = 0, kDuplicate = 1, kGap = 2 };

// The cumulative rule shared by CHUNK and STAGE_CHUNK (docs/protocol.md §6.2, §7.2): every byte
// below `next` is stored, so a chunk [offset, offset + len) is a gap (it starts past `next`), a
// duplicate (it ends at or before `next`), or accepted from `next` on, its first `*skip` bytes
// being stored already. `*skip` is set only for kAccepted.
inline ChunkVerdict chunk_verdict(uint32_t offset, uint32_t len, uint32_t next, uint32_t* skip) {
  if (offset > next) return ChunkVerdict::kGap;
  if (len <= next - offset) return ChunkVerdict::kDuplicate;
  *skip = next - offset;
  return ChunkVerdict::kAccepted;
}

// docs/protocol.md §4. The detail's meaning depends on the code.
enum class ErrorCode : uint16_t {
  kUnknownMessage = 1,
  kMalformed = 2,
  kUnsupportedProtocol = 3,
  kNoUpload = 4,
  kTooLarge = 5,
  kBadSlot = 6,
  kBadOffset = 7,
  kIncomplete = 8,
  kChecksumMismatch = 9,
  kParamsMismatch = 10,
  kModelInvalid = 11,
  kArenaTooSmall = 12,
  kNoModel = 13,
  kInputSize = 14,
  kBatchTooLarge = 15,
  kStorageFailed = 16,
  kBusy = 17,
  kNoStage = 18,      // STAGE_CHUNK / RUN with no record being staged
  kNoResult = 19,     // READ with no result held
  kStageLayout = 20,  // STAGE: the model's inputs / outputs are not contiguous in the arena
};

// Short English text for an ERROR frame (static, at most kMaxErrorText bytes, never null).
// Builds with TT_NO_ERROR_TEXT send empty texts to save RAM on AVR, where strings live in RAM.
const char* error_text(ErrorCode code);

}  // namespace tt
