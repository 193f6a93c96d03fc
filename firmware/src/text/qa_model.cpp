#include "qa_model.h"

#include "../model_format.h"
#include "qa_windows.h"

namespace tt {
namespace text {

const char* qa_model_status_text(QaModelStatus status) {
  switch (status) {
    case QaModelStatus::kOk:
      return "ok";
    case QaModelStatus::kBadInputs:
      return "the model's inputs are not a QA model's five inputs (passage ids, features, "
             "question ids, question mask, question type)";
    case QaModelStatus::kBadOutputs:
      return "the model has no start and end outputs of one logit per passage position";
    case QaModelStatus::kNotInt8:
      return "a QA input or output is not int8 with per-tensor quantization";
    case QaModelStatus::kNoPassage:
      return "the passage has no words to answer from";
    case QaModelStatus::kBadArgument:
      return "bad argument (stride outside 1 to the window length, or a null pointer)";
    case QaModelStatus::kBadQuestion:
      return "the window inputs could not be built";
  }
  return "unknown status";
}

namespace {

uint32_t element_count(const uint8_t* rec) {
  uint32_t n = 1;
  for (uint32_t i = 0; i < tensor_rank(rec); ++i) n *= tensor_dim(rec, i);
  return n;
}

const uint8_t* tensor_record(const Model& m, uint32_t index) {
  return m.space.tensors + index * fmt::kTensorRecordSize;
}

uint32_t tensor_location(const uint8_t* rec) { return rd_u32(rec + fmt::kTensorLocation); }

// A per-tensor int8 arena tensor's quantization; false for anything else.
bool int8_quant(const Model& m, const uint8_t* rec, QaInt8* q) {
  if (tensor_type(rec) != fmt::kTypeInt8 || rec[fmt::kTensorStorage] != fmt::kStorageArena) {
    return false;
  }
  const uint16_t index = rd_u16(rec + fmt::kTensorQuant);
  if (index == fmt::kNoQuant) return false;
  const uint8_t* qr =
      m.blob + rd_u32(m.blob + fmt::kOffQuantOffset) + index * fmt::kQuantRecordSize;
  if (rd_u16(qr) != 1) return false;
  q->scale = rd_f32(m.space.data + rd_u32(qr + 4));
  q->zero_point = rd_i32(m.space.data + rd_u32(qr + 8));
  q->zero = qa_quantize(0.0f, q->scale, q->zero_point);
  q->one = qa_quantize(1.0f, q->scale, q->zero_point);
  return true;
}

int8_t* int8_at(uint8_t* arena, uint32_t offset) {
  return reinterpret_cast<int8_t*>(arena + offset);
}

// 0/1 flags written by qa_inputs → their raw int8 values.
void quantize_flags(int8_t* v, uint32_t n, const QaInt8& q) {
  for (uint32_t i = 0; i < n; ++i) v[i] = v[i] != 0 ? q.one : q.zero;
}

void dequantize(const int8_t* v, uint32_t n, const QaInt8& q, float* out) {
  for (uint32_t i = 0; i < n; ++i) {
    out[i] = q.scale * static_cast<float>(static_cast<int32_t>(v[i]) - q.zero_point);
  }
}

}  // namespace

int8_t qa_quantize(float x, float scale, int32_t zero_point) {
  const float r = x / scale;
  int32_t q = zero_point;
  if (r == r) {  // NaN → the zero point
    // Round half away: the truncation, plus one when the fraction is at least one half. Values
    // beyond ±1000 saturate either way.
    const float a = r < 0 ? -r : r;
    const float c = a < 1000.0f ? a : 1000.0f;
    int32_t t = static_cast<int32_t>(c);
    if (c - static_cast<float>(t) >= 0.5f) ++t;
    q += r < 0 ? -t : t;
  }
  return static_cast<int8_t>(q < -128 ? -128 : q > 127 ? 127 : q);
}

QaModelStatus qa_bind(const Model& model, const QaShape& shape, uint32_t start_output,
                      uint32_t end_output, QaModelIo* out) {
  if (out == nullptr || model.blob == nullptr) return QaModelStatus::kBadArgument;
  QaModelIo io = {};
  io.shape = shape;
  const uint32_t L = shape.passage_length, Q = shape.question_length;
  // Which inputs were seen: passage ids, question ids, features, mask, type.
  uint32_t seen[5] = {0, 0, 0, 0, 0};
  for (uint32_t i = 0; i < model.input_count; ++i) {
    const uint8_t* rec = tensor_record(model, rd_u16(model.io + 2 * i));
    const uint32_t n = element_count(rec);
    const uint32_t at = tensor_location(rec);
    const bool int32 = tensor_type(rec) == fmt::kTypeInt32;
    QaInt8 q = {};
    if (!int32 && !int8_quant(model, rec, &q)) return QaModelStatus::kNotInt8;
    if (int32 && n == L) {
      io.passage_ids = at;
      ++seen[0];
    } else if (int32 && n == Q) {
      io.question_ids = at;
      ++seen[1];
    } else if (!int32 && n == L * kFeatureCount) {
      io.features = at;
      io.features_q = q;
      ++seen[2];
    } else if (!int32 && n == Q) {
      io.question_mask = at;
      io.mask_q = q;
      ++seen[3];
    } else if (!int32 && n == kQuestionTypeCount) {
      io.question_type = at;
      io.type_q = q;
      ++seen[4];
    } else {
      return QaModelStatus::kBadInputs;
    }
  }
  for (uint32_t k = 0; k < 5; ++k) {
    if (seen[k] != 1) return QaModelStatus::kBadInputs;
  }
  if (model.output_count != 2 || start_output >= 2 || end_output >= 2 ||
      start_output == end_output) {
    return QaModelStatus::kBadOutputs;
  }
  const uint8_t* start =
      tensor_record(model, rd_u16(model.io + 2 * (model.input_count + start_output)));
  const uint8_t* end =
      tensor_record(model, rd_u16(model.io + 2 * (model.input_count + end_output)));
  if (element_count(start) != L || element_count(end) != L) return QaModelStatus::kBadOutputs;
  if (!int8_quant(model, start, &io.start_q) || !int8_quant(model, end, &io.end_q)) {
    return QaModelStatus::kNotInt8;
  }
  io.start = tensor_location(start);
  io.end = tensor_location(end);
  *out = io;
  return QaModelStatus::kOk;
}

QaModelStatus qa_write_window(const QaModelIo& io, uint8_t* arena, const Token* passage,
                              uint32_t passage_count, const Token* question,
                              uint32_t question_count, uint32_t window_start) {
  if (arena == nullptr) return QaModelStatus::kBadArgument;
  // The loader checks that arena tensors lie 4-byte aligned in the arena, which is 16-byte
  // aligned: the int32 ids are written in place.
  int32_t* passage_ids = reinterpret_cast<int32_t*>(arena + io.passage_ids);
  int32_t* question_ids = reinterpret_cast<int32_t*>(arena + io.question_ids);
  int8_t* features = int8_at(arena, io.features);
  int8_t* mask = int8_at(arena, io.question_mask);
  int8_t* type = int8_at(arena, io.question_type);
  if (qa_inputs(passage, passage_count, question, question_count, window_start, io.shape,
                passage_ids, features, question_ids, mask, type) != TextStatus::kOk) {
    return QaModelStatus::kBadQuestion;
  }
  quantize_flags(features, io.shape.passage_length * kFeatureCount, io.features_q);
  quantize_flags(mask, io.shape.question_length, io.mask_q);
  quantize_flags(type, kQuestionTypeCount, io.type_q);
  return QaModelStatus::kOk;
}

void qa_read_scores(const QaModelIo& io, const uint8_t* arena, float* start_scores,
                    float* end_scores) {
  const uint32_t L = io.shape.passage_length;
  dequantize(reinterpret_cast<const int8_t*>(arena + io.start), L, io.start_q, start_scores);
  dequantize(reinterpret_cast<const int8_t*>(arena + io.end), L, io.end_q, end_scores);
}

QaSpan qa_answer(const Model& model, const QaModelIo& io, uint8_t* arena, const Token* passage,
                 uint32_t passage_count, const Token* question, uint32_t question_count,
                 uint32_t stride, uint32_t max_tokens, float* start_scores, float* end_scores) {
  QaSpan span = {};
  const uint32_t L = io.shape.passage_length;
  if (L == 0 || stride == 0 || stride > L || arena == nullptr || start_scores == nullptr ||
      end_scores == nullptr || (passage == nullptr && passage_count != 0) ||
      (question == nullptr && question_count != 0)) {
    span.status = QaModelStatus::kBadArgument;
    return span;
  }
  if (passage_count == 0) {
    span.status = QaModelStatus::kNoPassage;
    return span;
  }
  BestSpan best(max_tokens);
  uint32_t start = 0;
  do {
    const QaModelStatus s =
        qa_write_window(io, arena, passage, passage_count, question, question_count, start);
    if (s != QaModelStatus::kOk) {
      span.status = s;
      return span;
    }
    model_invoke(model, arena, nullptr, nullptr);
    qa_read_scores(io, arena, start_scores, end_scores);
    const uint32_t left = passage_count - start;
    best.add_window(span.windows, start, start_scores, end_scores, left < L ? left : L);
    ++span.windows;
  } while (next_window_start(passage_count, L, stride, &start));
  if (!best.found()) {  // max_tokens 0: no span is allowed
    span.status = QaModelStatus::kBadArgument;
    return span;
  }
  span.status = QaModelStatus::kOk;
  span.start_token = best.start_token();
  span.end_token = best.end_token();
  span.start_byte = passage[span.start_token].start;
  span.end_byte = passage[span.end_token].end;
  span.score = best.score();
  span.window = best.window();
  return span;
}

}  // namespace text
}  // namespace tt
