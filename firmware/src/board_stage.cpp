// Staged inference (docs/protocol.md §7.2): STAGE / STAGE_CHUNK / RUN / READ run one input record
// that does not fit a frame. The record is written straight into the model input tensors' arena
// bytes and the result is read from the output tensors' arena bytes: no RAM besides Board::Stage.
// model_invoke is then called with those same bytes as its inputs and outputs, so its copies are
// identities (it copies each model input / output tensor from / to the next bytes of a contiguous
// record, which is where the tensor already is).
#include <string.h>

#include "board.h"
#include "crc32.h"
#include "model_format.h"

namespace tt {

namespace {

constexpr uint32_t kReadOverhead = kHeaderBytes + 4;  // READ_OK: header + u32 offset
constexpr uint32_t kLayoutInputs = 1;                 // STAGE_LAYOUT detail bits
constexpr uint32_t kLayoutOutputs = 2;

const uint8_t* tensor_record(const Model& m, uint32_t io_position) {
  const uint16_t index = rd_u16(m.io + 2 * io_position);
  return m.space.tensors + static_cast<uint32_t>(index) * fmt::kTensorRecordSize;
}

}  // namespace

bool Board::io_contiguous(bool outputs) const {
  const Model& m = running_.model;
  const uint32_t first = outputs ? m.input_count : 0;
  const uint32_t count = outputs ? m.output_count : m.input_count;
  uint32_t expect = 0;
  for (uint32_t k = 0; k < count; ++k) {
    const uint8_t* rec = tensor_record(m, first + k);
    if (rec[fmt::kTensorStorage] != 0) return false;  // a constant: not writable
    const uint32_t at = rd_u32(rec + fmt::kTensorLocation);
    if (k > 0 && at != expect) return false;
    expect = at + rd_u32(rec + fmt::kTensorByteSize);
  }
  return true;
}

uint8_t* Board::io_base(bool outputs) const {
  const Model& m = running_.model;
  const uint8_t* rec = tensor_record(m, outputs ? m.input_count : 0);
  return running_.arena + rd_u32(rec + fmt::kTensorLocation);
}

void Board::handle_stage(uint16_t id, ByteReader& body) {
  const uint32_t total_len = body.u32();
  const uint32_t crc = body.u32();
  const uint8_t flags = body.u8();
  if ((flags & ~kBeginResume) != 0) {
    send_error(id, ErrorCode::kMalformed, body::kStage);
    return;
  }
  if (!running_.active) {
    send_error(id, ErrorCode::kNoModel, 0);
    return;
  }
  const Model& m = running_.model;
  if (total_len != m.input_bytes) {
    send_error(id, ErrorCode::kInputSize, m.input_bytes);
    return;
  }
  const uint32_t layout =
      (io_contiguous(false) ? 0 : kLayoutInputs) | (io_contiguous(true) ? 0 : kLayoutOutputs);
  if (layout != 0) {
    send_error(id, ErrorCode::kStageLayout, layout);
    return;
  }
  const bool resume = (flags & kBeginResume) != 0 && stage_.state == Stage::kStaging &&
                      stage_.total_len == total_len && stage_.crc == crc;
  if (!resume) {
    stage_ = Stage();
    stage_.state = Stage::kStaging;
    stage_.total_len = total_len;
    stage_.crc = crc;
  }
  ByteWriter w = answer(msg::kStage | msg::kAnswer, id);
  w.u32(stage_.next_offset);
  w.u16(static_cast<uint16_t>(config_.max_payload - kChunkOverhead));
  w.u8(config_.window);
  w.u32(m.output_bytes);
  send(w);
}

void Board::handle_stage_chunk(uint16_t id, ByteReader& body) {
  const uint32_t offset = body.u32();
  const uint8_t* data = body.rest();
  const uint32_t len = body.remaining();
  if (stage_.state != Stage::kStaging) {
    send_error(id, ErrorCode::kNoStage, 0);
    return;
  }
  if (offset > stage_.total_len || len > stage_.total_len - offset) {
    send_error(id, ErrorCode::kBadOffset, stage_.total_len);
    return;
  }
  const uint32_t next = stage_.next_offset;
  uint32_t skip = 0;
  const ChunkVerdict verdict = chunk_verdict(offset, len, next, &skip);
  if (verdict == ChunkVerdict::kAccepted) {
    memcpy(io_base(false) + next, data + skip, static_cast<size_t>(len - skip));
    stage_.next_offset = offset + len;
  }
  ByteWriter w = answer(msg::kStageChunk | msg::kAnswer, id);
  w.u32(stage_.next_offset);
  w.u8(static_cast<uint8_t>(verdict));
  send(w);
}

void Board::send_run_ok(uint16_t id) {
  ByteWriter w = answer(msg::kRun | msg::kAnswer, id);
  w.u32(stage_.ticks);
  w.u32(running_.model.output_bytes);
  w.u32(stage_.result_crc);
  send(w);
}

void Board::handle_run(uint16_t id, ByteReader& body) {
  const uint32_t total_len = body.u32();
  const uint32_t crc = body.u32();
  const bool same = total_len == stage_.total_len && crc == stage_.crc;
  if (stage_.state == Stage::kResult && same) {
    send_run_ok(id);  // a retried RUN whose RUN_OK was lost: the same answer, no second run
    return;
  }
  if (stage_.state != Stage::kStaging) {
    send_error(id, ErrorCode::kNoStage, 0);
    return;
  }
  if (!same) {
    send_error(id, ErrorCode::kParamsMismatch, 0);
    return;
  }
  if (stage_.next_offset < stage_.total_len) {
    send_error(id, ErrorCode::kIncomplete, stage_.next_offset);
    return;
  }
  uint8_t* in = io_base(false);
  const uint32_t computed = crc32(in, stage_.total_len);
  if (computed != stage_.crc) {
    stage_ = Stage();
    send_error(id, ErrorCode::kChecksumMismatch, computed);
    return;
  }
  const Model& m = running_.model;
  uint8_t* out = io_base(true);
  const uint32_t start = io_->ticks();
  model_invoke(m, running_.arena, in, out);
  stage_.ticks = io_->ticks() - start;
  ++inferences_;
  stage_.result_crc = crc32(out, m.output_bytes);
  stage_.state = Stage::kResult;
  send_run_ok(id);
}

void Board::handle_read(uint16_t id, ByteReader& body) {
  const uint32_t offset = body.u32();
  const uint32_t len = body.u16();
  if (stage_.state != Stage::kResult) {
    send_error(id, ErrorCode::kNoResult, 0);
    return;
  }
  const uint32_t result_len = running_.model.output_bytes;
  if (len == 0 || len > config_.max_payload - kReadOverhead || offset > result_len ||
      len > result_len - offset) {
    send_error(id, ErrorCode::kBadOffset, result_len);
    return;
  }
  ByteWriter w = answer(msg::kRead | msg::kAnswer, id);
  w.u32(offset);
  w.bytes(io_base(true) + offset, len);
  send(w);
}

}  // namespace tt
