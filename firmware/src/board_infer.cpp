// INFER (docs/protocol.md §7): a batch of input records in, one result record per input out, each
// with the board's own time for that one inference, or (count bit 15 set) one total time for the
// batch in front of records that carry outputs only.
#include "board.h"

namespace tt {

namespace {
constexpr uint32_t kTicksBytes = 4;                       // u32 ticks
constexpr uint32_t kInferAnswerFixed = kHeaderBytes + 2;  // header + u16 count
}  // namespace

Board::Reply Board::handle_infer(const uint8_t* body, uint32_t n) {
  const uint16_t field = load_u16(body);  // the body's size was checked (handle_frame)
  const bool total_time = (field & kInferTotalTime) != 0;
  const uint16_t count = static_cast<uint16_t>(field & kInferCountMask);
  if (!running_.active) {
    return fail(ErrorCode::kNoModel, 0);
  }
  const Model& model = model_;
  const uint32_t in_bytes = model.input_bytes;
  const uint32_t records = n - 2;
  // records == count × in_bytes, checked without a 64-bit product.
  const bool size_ok =
      count == 0 ? records == 0 : records % count == 0 && records / count == in_bytes;
  if (!size_ok) {
    return fail(ErrorCode::kInputSize, in_bytes);
  }
  // Per record: u32 ticks + outputs, or outputs only after one u32 total.
  const uint32_t fixed = kInferAnswerFixed + (total_time ? kTicksBytes : 0);
  const uint32_t room = config_.max_payload - fixed;
  const uint32_t ticks_each = total_time ? 0 : kTicksBytes;
  const uint32_t per_result =
      model.output_bytes > room ? room + 1u : ticks_each + model.output_bytes;
  uint32_t max_count = per_result == 0 ? kInferCountMask : room / per_result;
  if (max_count > kInferCountMask) max_count = kInferCountMask;
  if (count > max_count) {
    return fail(ErrorCode::kBatchTooLarge, max_count);
  }
  stage_ = Stage();  // the runs below overwrite the arena: a staged record or result is gone
  ByteWriter w = reply();
  if (uint8_t* p = w.reserve(2)) store_u16(p, field);
  uint8_t* total = total_time ? w.reserve(kTicksBytes) : nullptr;
  const uint8_t* input = body + 2;
  // Without the flag the clock is read only around each model_invoke, as the AVR cost harness
  // (targets/avr/simavr_harness.c) expects: it pairs successive ticks() calls.
  const uint32_t batch_start = total_time ? io_->ticks() : 0;
  for (uint16_t i = 0; i < count; ++i) {
    uint8_t* result = w.reserve(per_result);
    if (result == nullptr && per_result != 0) return kSent;  // cannot happen: count <= max_count
    if (total_time) {
      model_invoke(model, running_.arena, input, result);
    } else {
      const uint32_t start = io_->ticks();
      model_invoke(model, running_.arena, input, result + kTicksBytes);
      store_u32(result, io_->ticks() - start);
    }
    input += in_bytes;
  }
  if (total != nullptr) store_u32(total, io_->ticks() - batch_start);
  inferences_ += count;
  send(w);
  return kSent;
}

}  // namespace tt
