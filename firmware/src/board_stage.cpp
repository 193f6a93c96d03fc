// Staged inference (docs/protocol.md §7.2): STAGE / STAGE_CHUNK / RUN / READ run one input record
// that does not fit a frame. Each chunk is copied straight into the model input tensors' arena
// bytes (a record is the input tensors back to back, wherever the arena plan put them) and the
// result is read from the output tensors' arena bytes: no RAM besides Board::Stage. model_invoke
// then runs with nullptr inputs and outputs (already in place). The record's CRC is kept over the
// accepted bytes as they arrive.
#include <string.h>

#include "board.h"
#include "crc32.h"
#include "model_format.h"

namespace tt {

namespace {

constexpr uint32_t kReadOverhead = kHeaderBytes + 4;  // READ_OK: header + u32 offset

const uint8_t* tensor_record(const Model& m, uint32_t io_position) {
  const uint16_t index = rd_u16(m.io + 2 * io_position);
  return m.space.tensors + static_cast<uint32_t>(index) * fmt::kTensorRecordSize;
}

}  // namespace

uint8_t* Board::io_single(bool outputs) const {
  const Model& m = model_;
  if ((outputs ? m.output_count : m.input_count) != 1) return nullptr;
  const uint8_t* rec = tensor_record(m, outputs ? m.input_count : 0);
  return running_.arena + rd_u32(rec + fmt::kTensorLocation);
}

void Board::send_run_ok() {
  reply_fields(fields(4, 4, 4), stage_.ticks, model_.output_bytes, stage_.result_crc);
}

Board::Reply Board::handle_run(const uint8_t* body, uint32_t) {
  // A held result had its whole record: received is kSent exactly when total_len and crc match.
  const Reply received = check_received(stage_, body);
  if (stage_.state == Stage::kResult && received == kSent) {
    send_run_ok();  // a retried RUN whose RUN_OK was lost: the same answer, no second run
    return kSent;
  }
  if (stage_.state != Stage::kStaging) {
    return fail(ErrorCode::kNoStage, 0);
  }
  if (received != kSent) return received;
  const uint32_t computed = crc32_final(stage_.crc_state);
  if (computed != stage_.crc) {
    stage_ = Stage();
    return fail(ErrorCode::kChecksumMismatch, computed);
  }
  const Model& m = model_;
  const uint32_t start = io_->ticks();
  // The inputs are in place, and so will the outputs be: a single input (output) is passed as its
  // own tensor (an identity copy, which a one-byte model needs), several as nullptr (no copies).
  model_invoke(m, running_.arena, io_single(false), io_single(true));
  stage_.ticks = io_->ticks() - start;
  ++inferences_;
  // The result's CRC over the output tensors' bytes in order (the record is them back to back).
  uint32_t state = kCrc32Init;
  for (uint32_t k = 0; k < m.output_count; ++k) {
    const uint8_t* rec = tensor_record(m, m.input_count + k);
    state = crc32_update(state, running_.arena + rd_u32(rec + fmt::kTensorLocation),
                         rd_u32(rec + fmt::kTensorByteSize));
  }
  stage_.result_crc = crc32_final(state);
  stage_.state = Stage::kResult;
  send_run_ok();
  return kSent;
}

Board::Reply Board::handle_read(const uint8_t* body, uint32_t) {
  const uint32_t offset = load_u32(body);
  const uint32_t len = load_u16(body + 4);
  if (stage_.state != Stage::kResult) {
    return fail(ErrorCode::kNoResult, 0);
  }
  const uint32_t result_len = model_.output_bytes;
  if (len == 0 || len > config_.max_payload - kReadOverhead || offset > result_len ||
      len > result_len - offset) {
    return fail(ErrorCode::kBadOffset, result_len);
  }
  ByteWriter w = reply();
  if (uint8_t* p = w.reserve(4)) store_u32(p, offset);
  if (uint8_t* p = w.reserve(len))
    model_io_copy(model_, running_.arena, true, offset, p, len, false);
  send(w);
  return kSent;
}

}  // namespace tt
