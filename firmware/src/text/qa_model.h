// A question-answering model's inputs and outputs bound to the QA tensors (docs/qa.md §2, §7), and
// a question answered over every window of a passage on the board: the C++ side of
// src/lib/qa/qa-model.ts (bindQaModel, answer). No heap: the caller owns the arena and two score
// arrays of L floats; each window's inputs are written straight into the model's input tensors in
// the arena and its logits read from the output tensors (model_invoke's staged form).
#pragma once

#include <stdint.h>

#include "../model.h"
#include "qa_features.h"
#include "tokenizer.h"

namespace tt {
namespace text {

enum class QaModelStatus : uint8_t {
  kOk = 0,
  kBadInputs = 1,    // the model's inputs are not the five QA inputs of this shape, once each
  kBadOutputs = 2,   // the start and end outputs are not two different outputs of L logits
  kNotInt8 = 3,      // a QA input other than the ids, or a logit output, is not per-tensor int8
  kNoPassage = 4,    // the passage has no token to answer from
  kBadArgument = 5,  // a stride outside 1 … L, or a null pointer
  kBadQuestion = 6,  // window inputs refused (qa_inputs)
};

// A short English sentence for a status (static, never null).
const char* qa_model_status_text(QaModelStatus status);

// An int8 tensor's quantization, and the raw values of the real values 0 and 1 (the QA inputs are
// 0/1 flags), computed as TinyTwin's clients quantize inputs: round half away of x / scale in
// binary32, plus the zero point, clamped to int8.
struct QaInt8 {
  float scale;
  int32_t zero_point;
  int8_t zero;
  int8_t one;
};

// Where each QA input and output lives in the arena (byte offsets of the model's tensors).
struct QaModelIo {
  QaShape shape;
  uint32_t passage_ids;    // int32 [L]
  uint32_t question_ids;   // int32 [Q]
  uint32_t features;       // int8 [L × kFeatureCount]
  uint32_t question_mask;  // int8 [Q]
  uint32_t question_type;  // int8 [kQuestionTypeCount]
  QaInt8 features_q, mask_q, type_q;
  uint32_t start;  // int8 [L] start logits
  uint32_t end;    // int8 [L] end logits
  QaInt8 start_q, end_q;
};

// Binds a loaded model: each input is told apart by type and element count as bindQaModel does
// (int32 of L = passage ids, int32 of Q = question ids; int8 of L × 6 = features, of Q = question
// mask, of 10 = question type), and must occur once. The blob carries no tensor names, so the
// caller names the start and end outputs by index (bindQaModel finds them by name; for
// qa_int8.tflite, start = output 1, end = output 0).
QaModelStatus qa_bind(const Model& model, const QaShape& shape, uint32_t start_output,
                      uint32_t end_output, QaModelIo* out);

// Real value → int8 as above (exposed for tests).
int8_t qa_quantize(float x, float scale, int32_t zero_point);

// One window's inputs (qa_inputs, quantized) written into the model's input tensors in `arena`.
QaModelStatus qa_write_window(const QaModelIo& io, uint8_t* arena, const Token* passage,
                              uint32_t passage_count, const Token* question,
                              uint32_t question_count, uint32_t window_start);

// The start and end logits of the last inference, dequantized (binary32: scale × (q − zero
// point)), L each.
void qa_read_scores(const QaModelIo& io, const uint8_t* arena, float* start_scores,
                    float* end_scores);

struct QaSpan {
  QaModelStatus status;
  uint32_t start_token;  // first passage token of the answer (inclusive)
  uint32_t end_token;    // last passage token (inclusive)
  uint32_t start_byte;   // the answer is the passage's bytes [start_byte, end_byte)
  uint32_t end_byte;
  double score;      // start logit + end logit
  uint32_t window;   // index of the window that produced it
  uint32_t windows;  // windows run
};

// Answers a question about a passage (both tokenized): every window (window_starts with
// `stride`) through model_invoke, then the best span of at most `max_tokens` tokens over windows
// (BestSpan). `arena`: model.arena_size bytes, 16-byte aligned; `start_scores`, `end_scores`: L
// floats each, scratch.
QaSpan qa_answer(const Model& model, const QaModelIo& io, uint8_t* arena, const Token* passage,
                 uint32_t passage_count, const Token* question, uint32_t question_count,
                 uint32_t stride, uint32_t max_tokens, float* start_scores, float* end_scores);

}  // namespace text
}  // namespace tt
