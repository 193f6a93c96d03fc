// BEGIN / CHUNK / COMMIT / ABORT (docs/protocol.md §6). The running model is only replaced at the
// very end of a successful COMMIT; every error path leaves it answering INFER.
#include <string.h>

#include "board.h"
#include "crc32.h"

namespace tt {

namespace {

// STORAGE_FAILED details on this firmware: which step failed.
constexpr uint32_t kStorageFailedBegin = 1;
constexpr uint32_t kStorageFailedChunk = 2;
constexpr uint32_t kStorageFailedCommit = 3;

constexpr uint32_t kBlobArenaSizeAt = 12;  // model-format.md §1: u32 arena_size

}  // namespace

const uint8_t* Board::pending_data() const {
  if (!upload_.active) return nullptr;
  if (upload_.slot == kSlotFlash) return flash_.pending_view();
  return pool_ + upload_.stage;
}

void Board::drop_upload() {
  if (upload_.active && upload_.slot == kSlotFlash) {
    // A failed discard only leaves a stale record that a later BEGIN overwrites.
    (void)flash_.discard();
  }
  upload_ = Upload();
}

Board::Reply Board::handle_begin(const uint8_t* body, uint32_t) {
  const uint8_t* const p = body;  // the body's size was checked (handle_frame)
  const uint32_t total_len = load_u32(p);
  const uint32_t blob_crc = load_u32(p + 4);
  const uint8_t slot = p[8];
  const uint8_t flags = p[9];
  if ((flags & ~kBeginResume) != 0) {
    return fail(ErrorCode::kMalformed, body::kBegin);
  }
  if (slot > kSlotFlash || (slot == kSlotFlash && !flash_.available())) {
    return fail(ErrorCode::kBadSlot, slot);
  }
  const bool resume = (flags & kBeginResume) != 0 && upload_.active && upload_.slot == slot &&
                      upload_.total_len == total_len && upload_.blob_crc == blob_crc;
  if (!resume) {
    if (slot == kSlotRam) {
      uint32_t stage = 0;
      uint32_t largest = 0;
      if (!pool_stage(pool_bytes_, running_.span, total_len, &stage, &largest)) {
        return fail(ErrorCode::kTooLarge, largest);
      }
      drop_upload();
      upload_.stage = stage;
    } else {
      if (total_len > flash_.capacity()) {
        return fail(ErrorCode::kTooLarge, flash_.capacity());
      }
      if (upload_.slot == kSlotRam) upload_ = Upload();  // a flash start replaces a flash pending
      if (!flash_.start(total_len, blob_crc)) {
        drop_upload();
        return fail(ErrorCode::kStorageFailed, kStorageFailedBegin);
      }
      upload_.stage = 0;
    }
    upload_.active = true;
    upload_.slot = slot;
    upload_.total_len = total_len;
    upload_.blob_crc = blob_crc;
    upload_.next_offset = 0;
  }
  return reply_fields(fields(4, 3), upload_.next_offset, chunk_and_window());
}

// CHUNK and STAGE_CHUNK (told apart by type_): the same offset checks and cumulative rule
// (chunk_verdict) over the upload's or the staged record's total_len and next_offset; an accepted
// chunk's fresh bytes go to the pool or the flash slot (CHUNK) or straight into the model input
// tensors, the record's CRC kept over them (STAGE_CHUNK, board_stage.cpp).
Board::Reply Board::handle_chunk(const uint8_t* body, uint32_t n) {
  const bool staged = type_ == msg::kStageChunk;
  const uint32_t offset = load_u32(body);
  const uint8_t* data = body + 4;
  const uint32_t len = n - 4;
  if (staged ? stage_.state != Stage::kStaging : !upload_.active) {
    return fail(staged ? ErrorCode::kNoStage : ErrorCode::kNoUpload, 0);
  }
  const uint32_t total_len = staged ? stage_.total_len : upload_.total_len;
  uint32_t& next_offset = staged ? stage_.next_offset : upload_.next_offset;
  if (offset > total_len || len > total_len - offset) {
    return fail(ErrorCode::kBadOffset, total_len);
  }
  const uint32_t next = next_offset;
  uint32_t skip = 0;
  const ChunkVerdict verdict = chunk_verdict(offset, len, next, &skip);
  if (verdict == ChunkVerdict::kAccepted) {
    // Keep only the bytes from next_offset on: the ones below are already stored.
    uint8_t* const fresh = const_cast<uint8_t*>(data) + skip;
    const uint32_t fresh_len = len - skip;
    if (staged) {
      // Into the input tensors wherever the arena holds them (the record is their bytes in order).
      model_io_copy(running_.model, running_.arena, false, next, fresh, fresh_len, true);
      stage_.crc_state = crc32_update(stage_.crc_state, fresh, fresh_len);
    } else if (upload_.slot == kSlotRam) {
      memcpy(pool_ + upload_.stage + next, fresh, static_cast<size_t>(fresh_len));
    } else if (!flash_.append(next, fresh, fresh_len)) {
      drop_upload();
      return fail(ErrorCode::kStorageFailed, kStorageFailedChunk);
    }
    next_offset = offset + len;
  }
  return reply_fields(fields(4, 1), next_offset, static_cast<uint32_t>(verdict));
}

Board::Reply Board::handle_commit(const uint8_t* body, uint32_t) {
  const uint32_t total_len = load_u32(body);
  const uint32_t blob_crc = load_u32(body + 4);
  if (!upload_.active) {
    return fail(ErrorCode::kNoUpload, 0);
  }
  if (total_len != upload_.total_len || blob_crc != upload_.blob_crc) {
    return fail(ErrorCode::kParamsMismatch, 0);
  }
  if (upload_.next_offset < upload_.total_len) {
    return fail(ErrorCode::kIncomplete, upload_.next_offset);
  }
  if (upload_.slot == kSlotFlash && !flash_.sync()) {
    drop_upload();
    return fail(ErrorCode::kStorageFailed, kStorageFailedCommit);
  }
  const uint32_t computed = crc32(pending_data(), upload_.total_len);
  if (computed != upload_.blob_crc) {
    drop_upload();
    return fail(ErrorCode::kChecksumMismatch, computed);
  }
  const uint8_t* blob = pending_data();
  const uint32_t capacity = upload_.slot == kSlotRam
                                ? pool_arena_capacity(pool_bytes_, upload_.stage, total_len)
                                : pool_bytes_;  // a flash blob leaves the whole pool to its arena
  Model model;
  uint32_t index = 0;
  const ModelStatus status = model_load(blob, total_len, capacity, &model, &index);
  if (status == ModelStatus::kArenaTooLarge) {
    const uint32_t needed =
        total_len >= kBlobArenaSizeAt + 4 ? load_u32(blob + kBlobArenaSizeAt) : 0;
    drop_upload();
    return fail(ErrorCode::kArenaTooSmall, needed);
  }
  if (status != ModelStatus::kOk) {
    drop_upload();
    return fail(ErrorCode::kModelInvalid,
                static_cast<uint32_t>(status) | (static_cast<uint32_t>(index) << 8));
  }
  uint32_t arena_at = 0;
  PoolSpan span;
  if (upload_.slot == kSlotRam) {
    arena_at = pool_place_arena(pool_bytes_, upload_.stage, total_len, model.arena_size);
    const uint32_t blob_end = upload_.stage + total_len;
    const uint32_t arena_end = arena_at + model.arena_size;
    span.start = arena_at < upload_.stage ? arena_at : upload_.stage;
    span.end = arena_end > blob_end ? arena_end : blob_end;
  } else {
    if (!flash_.commit()) {
      drop_upload();
      return fail(ErrorCode::kStorageFailed, kStorageFailedCommit);
    }
    span.end = model.arena_size;
  }
  // The swap: from here on the uploaded model answers.
  running_.active = true;
  running_.slot = upload_.slot;
  running_.crc = computed;
  running_.model = model;
  running_.arena = pool_ + arena_at;
  running_.span = span;
  upload_ = Upload();
  stage_ = Stage();  // the staged record and result lived in the old model's arena

  return reply_fields(fields(4, 4, 4, 1), total_len, computed, model.arena_size, running_.slot);
}

Board::Reply Board::handle_abort(const uint8_t*, uint32_t) {
  const uint32_t discarded = upload_.active ? upload_.next_offset : 0;
  drop_upload();
  return reply_fields(fields(4), discarded);
}

}  // namespace tt
