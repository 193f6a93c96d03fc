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

// BEGIN and STAGE (told apart by type_): total_len, crc, BEGIN's slot, then the flags (the last
// byte). Each starts its transfer (the upload; the staged record, which must be the model's input
// record) or, with kBeginResume and the same total_len and crc, resumes it.
Board::Reply Board::handle_begin(const uint8_t* body, uint32_t n) {
  const bool staged = type_ == msg::kStage;
  const uint32_t total_len = load_u32(body);  // the body's size was checked (handle_frame)
  const uint32_t crc = load_u32(body + 4);
  const uint8_t slot = body[8];  // BEGIN's (STAGE: the flags)
  const uint8_t flags = body[n - 1];
  if ((flags & ~kBeginResume) != 0) {
    return fail(ErrorCode::kMalformed, n);
  }
  Transfer& t = staged ? static_cast<Transfer&>(stage_) : upload_;
  bool same;  // the transfer under way is of this kind (and slot)
  if (staged) {
    if (!running_.active) {
      return fail(ErrorCode::kNoModel, 0);
    }
    if (total_len != model_.input_bytes) {
      return fail(ErrorCode::kInputSize, model_.input_bytes);
    }
    same = stage_.state == Stage::kStaging;
  } else {
    if (slot > kSlotFlash || (slot == kSlotFlash && !flash_.available())) {
      return fail(ErrorCode::kBadSlot, slot);
    }
    same = upload_.active && upload_.slot == slot;
  }
  if ((flags & kBeginResume) == 0 || !same || t.total_len != total_len || t.crc != crc) {
    if (staged) {
      stage_ = Stage();
      stage_.state = Stage::kStaging;
      stage_.crc_state = kCrc32Init;
    } else {
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
        if (!flash_.start(total_len, crc)) {
          drop_upload();
          return fail(ErrorCode::kStorageFailed, kStorageFailedBegin);
        }
        upload_.stage = 0;
      }
      upload_.active = true;
      upload_.slot = slot;
    }
    t.total_len = total_len;
    t.crc = crc;
    t.next_offset = 0;
  }
  // BEGIN_OK: next_offset, chunk_max and window; STAGE_OK also the model's output_bytes.
  return reply_fields(staged ? fields(4, 3, 4) : fields(4, 3), t.next_offset, chunk_and_window(),
                      model_.output_bytes);
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
  Transfer& t = staged ? static_cast<Transfer&>(stage_) : upload_;
  if (offset > t.total_len || len > t.total_len - offset) {
    return fail(ErrorCode::kBadOffset, t.total_len);
  }
  const uint32_t next = t.next_offset;
  uint32_t skip = 0;
  const ChunkVerdict verdict = chunk_verdict(offset, len, next, &skip);
  if (verdict == ChunkVerdict::kAccepted) {
    // Keep only the bytes from next_offset on: the ones below are already stored.
    uint8_t* const fresh = const_cast<uint8_t*>(data) + skip;
    const uint32_t fresh_len = len - skip;
    if (staged) {
      // Into the input tensors wherever the arena holds them (the record is their bytes in order).
      model_io_copy(model_, running_.arena, false, next, fresh, fresh_len, true);
      stage_.crc_state = crc32_update(stage_.crc_state, fresh, fresh_len);
    } else if (upload_.slot == kSlotRam) {
      memcpy(pool_ + upload_.stage + next, fresh, static_cast<size_t>(fresh_len));
    } else if (!flash_.append(next, fresh, fresh_len)) {
      drop_upload();
      return fail(ErrorCode::kStorageFailed, kStorageFailedChunk);
    }
    t.next_offset = offset + len;
  }
  return reply_fields(fields(4, 1), t.next_offset, static_cast<uint32_t>(verdict));
}

Board::Reply Board::handle_commit(const uint8_t* body, uint32_t) {
  const uint32_t total_len = load_u32(body);
  if (!upload_.active) {
    return fail(ErrorCode::kNoUpload, 0);
  }
  const Reply received = check_received(upload_, body);
  if (received != kSent) return received;
  // Every failure from here on drops the upload: the breaks below leave r set.
  Reply r = fail(ErrorCode::kStorageFailed, kStorageFailedCommit);
  do {
    if (upload_.slot == kSlotFlash && !flash_.sync()) break;
    const uint8_t* blob = pending_data();
    const uint32_t computed = crc32(blob, total_len);
    if (computed != upload_.crc) {
      r = fail(ErrorCode::kChecksumMismatch, computed);
      break;
    }
    const uint32_t capacity = upload_.slot == kSlotRam
                                  ? pool_arena_capacity(pool_bytes_, upload_.stage, total_len)
                                  : pool_bytes_;  // a flash blob leaves the whole pool to its arena
    Model model;
    uint32_t index = 0;
    const ModelStatus status = model_load(blob, total_len, capacity, &model, &index);
    if (status == ModelStatus::kArenaTooLarge) {
      // model_load checks the blob holds a whole header before it reads arena_size.
      r = fail(ErrorCode::kArenaTooSmall, load_u32(blob + kBlobArenaSizeAt));
      break;
    }
    if (status != ModelStatus::kOk) {
      r = fail(ErrorCode::kModelInvalid,
               static_cast<uint32_t>(status) | (static_cast<uint32_t>(index) << 8));
      break;
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
      if (!flash_.commit()) break;
      span.end = model.arena_size;
    }
    // The swap: from here on the uploaded model answers.
    running_.active = true;
    running_.slot = upload_.slot;
    running_.crc = computed;
    model_ = model;
    running_.arena = pool_ + arena_at;
    running_.span = span;
    upload_ = Upload();
    stage_ = Stage();  // the staged record and result lived in the old model's arena
    return reply_fields(fields(4, 4, 4, 1), total_len, computed, model.arena_size, running_.slot);
  } while (false);
  drop_upload();
  return r;
}

// COMMIT's and RUN's body (total_len, crc) against the transfer: PARAMS_MISMATCH, INCOMPLETE, or
// kSent when every announced byte has arrived.
Board::Reply Board::check_received(const Transfer& t, const uint8_t* body) {
  if (load_u32(body) != t.total_len || load_u32(body + 4) != t.crc) {
    return fail(ErrorCode::kParamsMismatch, 0);
  }
  if (t.next_offset < t.total_len) {
    return fail(ErrorCode::kIncomplete, t.next_offset);
  }
  return kSent;
}

Board::Reply Board::handle_abort(const uint8_t*, uint32_t) {
  const uint32_t discarded = upload_.active ? upload_.next_offset : 0;
  drop_upload();
  return reply_fields(fields(4), discarded);
}

}  // namespace tt
