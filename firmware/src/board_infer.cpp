// INFER (docs/protocol.md §7): a batch of input records in, one result record per input out, each
// with the board's own time for that one inference.
#include "board.h"

namespace tt {

namespace {
constexpr uint32_t kTicksBytes = 4;                       // u32 ticks in front of each result
constexpr uint32_t kInferAnswerFixed = kHeaderBytes + 2;  // header + u16 count
}  // namespace

void Board::handle_infer(uint16_t id, ByteReader& body) {
  const uint16_t count = body.u16();
  if (!running_.active) {
    send_error(id, ErrorCode::kNoModel, 0);
    return;
  }
  const Model& model = running_.model;
  const uint32_t in_bytes = model.input_bytes;
  const uint32_t records = body.remaining();
  // records == count × in_bytes, checked without a 64-bit product.
  const bool size_ok =
      count == 0 ? records == 0 : records % count == 0 && records / count == in_bytes;
  if (!size_ok) {
    send_error(id, ErrorCode::kInputSize, in_bytes);
    return;
  }
  const uint32_t room = config_.max_payload - kInferAnswerFixed;
  const uint32_t per_result =
      model.output_bytes > room ? room + 1u : kTicksBytes + model.output_bytes;
  const uint32_t max_count = room / per_result;
  if (count > max_count) {
    send_error(id, ErrorCode::kBatchTooLarge, max_count);
    return;
  }
  ByteWriter w = answer(msg::kInfer | msg::kAnswer, id);
  w.u16(count);
  const uint8_t* input = body.rest();
  for (uint16_t i = 0; i < count; ++i) {
    uint8_t* result = w.reserve(per_result);
    if (result == nullptr) return;  // cannot happen: count <= max_count
    const uint32_t start = io_->ticks();
    model_invoke(model, running_.arena, input, result + kTicksBytes);
    const uint32_t ticks = io_->ticks() - start;
    store_u32(result, ticks);
    input += in_bytes;
  }
  inferences_ += count;
  send(w);
}

}  // namespace tt
