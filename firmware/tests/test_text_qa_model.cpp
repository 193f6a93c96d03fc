// The QA model binding and the on-board answer (firmware/src/text/qa_model.h) on a small model
// built for the test: L = 4, Q = 2, the five QA inputs in the converter's order of qa_int8.tflite
// (features, mask, type, passage ids, question ids), and start / end logits that are constants
// copied by an identity RELU, so every expected value below is derived by hand.
#include <string.h>

#include "test_model_builder.h"
#include "text/qa_model.h"
#include "text/tokenizer.h"
#include "tt_test.h"

using namespace tt_test;
namespace f = tt::fmt;
using tt::text::QaModelIo;
using tt::text::QaModelStatus;
using tt::text::Token;

namespace {

const tt::text::QaShape kShape = {4, 2, 4096};

// Identity RELU params (docs: relu.cpp): input zp, output zp, (2^30, 1), full int8 range.
Params identity(int32_t zp) {
  return Params().i32(zp).i32(zp).i32(1 << 30).i32(1).i32(-128).i32(127);
}

// Start logits: scale 0.5, zp 0, q [2, 10, -4, 6] → [1, 5, -2, 3].
// End logits: scale 0.25, zp -10, q [-6, -2, 30, 70] → [1, 2, 10, 20].
// Outputs in the order end, start (as in qa_int8.tflite): start = output 1, end = output 0.
struct Options {
  bool drop_type = false;  // four inputs only
  bool two_masks = false;  // the question type replaced by a second Q-sized int8 input
  bool unquantized_mask = false;
};

Bytes qa_test_model(const Options& o = Options()) {
  BlobBuilder b;
  const uint16_t qf = b.quant({0.01f}, {-60});
  const uint16_t qm = b.quant({1.0f / 255.0f}, {-128});
  const uint16_t qt = b.quant({0.5f}, {3});
  const uint16_t qs = b.quant({0.5f}, {0});
  const uint16_t qe = b.quant({0.25f}, {-10});
  const uint16_t features = b.arena(f::kTypeInt8, {1, 4, 6}, qf);
  const uint16_t mask = b.arena(f::kTypeInt8, {1, 2, 1}, o.unquantized_mask ? f::kNoQuant : qm);
  const uint16_t type =
      o.two_masks ? b.arena(f::kTypeInt8, {1, 2}, qm) : b.arena(f::kTypeInt8, {1, 10}, qt);
  const uint16_t pids = b.arena(f::kTypeInt32, {1, 4});
  const uint16_t qids = b.arena(f::kTypeInt32, {1, 2});
  const uint16_t cs = b.constant<int8_t>(f::kTypeInt8, {1, 1, 4, 1}, {2, 10, -4, 6}, qs);
  const uint16_t ce = b.constant<int8_t>(f::kTypeInt8, {1, 1, 4, 1}, {-6, -2, 30, 70}, qe);
  const uint16_t start = b.arena(f::kTypeInt8, {1, 1, 4, 1}, qs);
  const uint16_t end = b.arena(f::kTypeInt8, {1, 1, 4, 1}, qe);
  b.op(f::kOpRelu, {ce}, {end}, identity(-10));
  b.op(f::kOpRelu, {cs}, {start}, identity(0));
  if (o.drop_type) {
    b.io({features, mask, pids, qids}, {end, start});
  } else {
    b.io({features, mask, type, pids, qids}, {end, start});
  }
  return b.build();
}

struct Arena {
  std::vector<uint64_t> storage;
  uint8_t* p;
  explicit Arena(uint32_t bytes) : storage(bytes / 8 + 4, 0) {
    p = reinterpret_cast<uint8_t*>(storage.data());
    p += (16 - (reinterpret_cast<uintptr_t>(p) & 15)) & 15;
  }
};

uint32_t tokenize(const char* s, Token* out, uint32_t capacity) {
  return tt::text::tokenize(reinterpret_cast<const uint8_t*>(s), static_cast<uint32_t>(strlen(s)),
                            out, capacity)
      .count;
}

int32_t id_of(const char* word) {
  return tt::text::bucket_id(
      tt::text::fnv1a(tt::text::kFnvOffset, reinterpret_cast<const uint8_t*>(word),
                      static_cast<uint32_t>(strlen(word))),
      4096);
}

}  // namespace

// TinyTwin's client quantization (quantizeToInt8): x / scale in binary32, round half away, + zp,
// clamped. 1 / 0.01f = 100.0000022 → 100.0f → 100 − 60 = 40; 1 / (1/255.0f) → 255 − 128 = 127;
// 1 / 0.5 = 2 + 3 = 5; qa_int8.tflite's feature scale 0.00535089 gives 186.88 → 187 − 60 = 127.
TT_TEST(text_qa_quantize_by_hand) {
  TT_CHECK_EQ(tt::text::qa_quantize(1.0f, 0.01f, -60), 40);
  TT_CHECK_EQ(tt::text::qa_quantize(0.0f, 0.01f, -60), -60);
  TT_CHECK_EQ(tt::text::qa_quantize(1.0f, 1.0f / 255.0f, -128), 127);
  TT_CHECK_EQ(tt::text::qa_quantize(1.0f, 0.5f, 3), 5);
  TT_CHECK_EQ(tt::text::qa_quantize(1.0f, 0.005350890569388866f, -60), 127);
  // Halves round away from zero: ±0.75 / 0.5 = ±1.5 → ±2; ±0.25 / 0.5 = ±0.5 → ±1.
  TT_CHECK_EQ(tt::text::qa_quantize(0.75f, 0.5f, 0), 2);
  TT_CHECK_EQ(tt::text::qa_quantize(-0.75f, 0.5f, 0), -2);
  TT_CHECK_EQ(tt::text::qa_quantize(0.25f, 0.5f, 0), 1);
  TT_CHECK_EQ(tt::text::qa_quantize(-0.25f, 0.5f, 0), -1);
  TT_CHECK_EQ(tt::text::qa_quantize(0.2f, 0.5f, 0), 0);
  // Saturation.
  TT_CHECK_EQ(tt::text::qa_quantize(1e30f, 0.5f, 0), 127);
  TT_CHECK_EQ(tt::text::qa_quantize(-1e30f, 0.5f, 0), -128);
}

TT_TEST(text_qa_bind_finds_each_input_by_type_and_size) {
  const Bytes blob = qa_test_model();
  Loaded l;
  load(blob, &l);
  TT_REQUIRE(l.status == tt::ModelStatus::kOk);
  QaModelIo io;
  TT_REQUIRE(tt::text::qa_bind(l.model, kShape, 1, 0, &io) == QaModelStatus::kOk);
  // The builder lays arena tensors out 16-byte aligned in creation order: features (24 bytes) at
  // 0, mask at 32, type at 48, passage ids (16 bytes) at 64, question ids at 80, then the start
  // and end logits at 96 and 112 (the constants they copy are not in the arena).
  TT_CHECK_EQ(io.features, 0);
  TT_CHECK_EQ(io.question_mask, 32);
  TT_CHECK_EQ(io.question_type, 48);
  TT_CHECK_EQ(io.passage_ids, 64);
  TT_CHECK_EQ(io.question_ids, 80);
  TT_CHECK_EQ(io.start, 96);
  TT_CHECK_EQ(io.end, 112);
  TT_CHECK_EQ(io.features_q.zero, -60);
  TT_CHECK_EQ(io.features_q.one, 40);
  TT_CHECK_EQ(io.mask_q.zero, -128);
  TT_CHECK_EQ(io.mask_q.one, 127);
  TT_CHECK_EQ(io.type_q.zero, 3);
  TT_CHECK_EQ(io.type_q.one, 5);
  TT_CHECK(io.start_q.scale == 0.5f && io.start_q.zero_point == 0);
  TT_CHECK(io.end_q.scale == 0.25f && io.end_q.zero_point == -10);
}

TT_TEST(text_qa_bind_refuses_other_models) {
  QaModelIo io;
  Loaded l;
  load(qa_test_model(), &l);
  TT_REQUIRE(l.status == tt::ModelStatus::kOk);
  // The outputs: the same index twice, an index past the two outputs.
  TT_CHECK(tt::text::qa_bind(l.model, kShape, 0, 0, &io) == QaModelStatus::kBadOutputs);
  TT_CHECK(tt::text::qa_bind(l.model, kShape, 2, 0, &io) == QaModelStatus::kBadOutputs);
  // Another shape: L = 8 matches no input.
  const tt::text::QaShape wide = {8, 2, 4096};
  TT_CHECK(tt::text::qa_bind(l.model, wide, 1, 0, &io) == QaModelStatus::kBadInputs);
  TT_CHECK(tt::text::qa_bind(l.model, kShape, 1, 0, nullptr) == QaModelStatus::kBadArgument);

  Options drop;
  drop.drop_type = true;
  Loaded d;
  load(qa_test_model(drop), &d);
  TT_REQUIRE(d.status == tt::ModelStatus::kOk);
  TT_CHECK(tt::text::qa_bind(d.model, kShape, 1, 0, &io) == QaModelStatus::kBadInputs);

  Options twice;
  twice.two_masks = true;
  Loaded t;
  load(qa_test_model(twice), &t);
  TT_REQUIRE(t.status == tt::ModelStatus::kOk);
  TT_CHECK(tt::text::qa_bind(t.model, kShape, 1, 0, &io) == QaModelStatus::kBadInputs);

  Options raw;
  raw.unquantized_mask = true;
  Loaded r;
  load(qa_test_model(raw), &r);
  TT_REQUIRE(r.status == tt::ModelStatus::kOk);
  TT_CHECK(tt::text::qa_bind(r.model, kShape, 1, 0, &io) == QaModelStatus::kNotInt8);
}

// Passage "alpha beta gamma delta epsilon zeta" (6 tokens), L = 4, stride 2: windows at 0 and 2.
// Every window has the logits start [1, 5, -2, 3], end [1, 2, 10, 20]: best (1, 3) = 5 + 20 = 25
// in each; window 1's (passage tokens 3 … 5) ties and window 0 stays: tokens 1 … 3, bytes 6 … 22,
// "beta gamma delta". With at most 1 token: s = e sums 2, 7, 8, 23 → (3, 3) = 23.
TT_TEST(text_qa_answer_over_windows_by_hand) {
  Loaded l;
  load(qa_test_model(), &l);
  TT_REQUIRE(l.status == tt::ModelStatus::kOk);
  QaModelIo io;
  TT_REQUIRE(tt::text::qa_bind(l.model, kShape, 1, 0, &io) == QaModelStatus::kOk);
  Arena arena(l.model.arena_size);
  const char* text = "alpha beta gamma delta epsilon zeta";
  Token passage[8], question[8];
  const uint32_t n = tokenize(text, passage, 8);
  const uint32_t qn = tokenize("Who is gamma?", question, 8);
  TT_REQUIRE(n == 6 && qn == 4);
  float start[4], end[4];
  tt::text::QaSpan a =
      tt::text::qa_answer(l.model, io, arena.p, passage, n, question, qn, 2, 30, start, end);
  TT_REQUIRE(a.status == QaModelStatus::kOk);
  TT_CHECK_EQ(a.windows, 2);
  TT_CHECK_EQ(a.window, 0);
  TT_CHECK_EQ(a.start_token, 1);
  TT_CHECK_EQ(a.end_token, 3);
  TT_CHECK_EQ(a.start_byte, 6);
  TT_CHECK_EQ(a.end_byte, 22);
  TT_CHECK(a.score == 25.0);
  // The scores of the last window, dequantized.
  const float es[4] = {1, 5, -2, 3}, ee[4] = {1, 2, 10, 20};
  for (int i = 0; i < 4; ++i) TT_CHECK(start[i] == es[i] && end[i] == ee[i]);

  // The last window's inputs (at passage token 2: gamma delta epsilon zeta), still in the arena:
  // ids of the four words; features real = 40, "gamma" in the question exactly and by prefix;
  // question ids of "who", "is" (Q = 2 of 4 tokens), mask 127 127; type "who" = index 0 → 5,
  // the other nine 3.
  const int32_t* pids = reinterpret_cast<const int32_t*>(arena.p + io.passage_ids);
  TT_CHECK_EQ(pids[0], id_of("gamma"));
  TT_CHECK_EQ(pids[3], id_of("zeta"));
  const int8_t* feats = reinterpret_cast<const int8_t*>(arena.p + io.features);
  const int8_t row0[6] = {40, 40, 40, -60, -60, -60};
  const int8_t row1[6] = {40, -60, -60, -60, -60, -60};
  for (int c = 0; c < 6; ++c) {
    TT_CHECK_EQ(feats[c], row0[c]);
    for (int r = 1; r < 4; ++r) TT_CHECK_EQ(feats[6 * r + c], row1[c]);
  }
  const int32_t* qids = reinterpret_cast<const int32_t*>(arena.p + io.question_ids);
  TT_CHECK_EQ(qids[0], id_of("who"));
  TT_CHECK_EQ(qids[1], id_of("is"));
  const int8_t* mask = reinterpret_cast<const int8_t*>(arena.p + io.question_mask);
  TT_CHECK(mask[0] == 127 && mask[1] == 127);
  const int8_t* type = reinterpret_cast<const int8_t*>(arena.p + io.question_type);
  TT_CHECK_EQ(type[0], 5);
  for (int k = 1; k < 10; ++k) TT_CHECK_EQ(type[k], 3);

  a = tt::text::qa_answer(l.model, io, arena.p, passage, n, question, qn, 2, 1, start, end);
  TT_CHECK_EQ(a.start_token, 3);
  TT_CHECK_EQ(a.end_token, 3);
  TT_CHECK(a.score == 23.0);
}

// Three tokens: one window whose last position is padding (its end logit 20 is not read): best
// (1, 2) = 5 + 10 = 15; padding inputs are id 0, features all "0" (−60), the question is padded.
TT_TEST(text_qa_answer_short_passage_and_errors) {
  Loaded l;
  load(qa_test_model(), &l);
  TT_REQUIRE(l.status == tt::ModelStatus::kOk);
  QaModelIo io;
  TT_REQUIRE(tt::text::qa_bind(l.model, kShape, 1, 0, &io) == QaModelStatus::kOk);
  Arena arena(l.model.arena_size);
  Token passage[4], question[4];
  const uint32_t n = tokenize("one two three", passage, 4);
  const uint32_t qn = tokenize("why", question, 4);
  float start[4], end[4];
  tt::text::QaSpan a =
      tt::text::qa_answer(l.model, io, arena.p, passage, n, question, qn, 2, 30, start, end);
  TT_REQUIRE(a.status == QaModelStatus::kOk);
  TT_CHECK_EQ(a.windows, 1);
  TT_CHECK_EQ(a.start_token, 1);
  TT_CHECK_EQ(a.end_token, 2);
  TT_CHECK(a.score == 15.0);
  TT_CHECK_EQ(reinterpret_cast<const int32_t*>(arena.p + io.passage_ids)[3], 0);
  for (int c = 0; c < 6; ++c) {
    TT_CHECK_EQ(reinterpret_cast<const int8_t*>(arena.p + io.features)[18 + c], -60);
  }
  TT_CHECK_EQ(reinterpret_cast<const int32_t*>(arena.p + io.question_ids)[1], 0);
  TT_CHECK_EQ(reinterpret_cast<const int8_t*>(arena.p + io.question_mask)[1], -128);
  TT_CHECK_EQ(reinterpret_cast<const int8_t*>(arena.p + io.question_type)[7], 5);  // why

  TT_CHECK(tt::text::qa_answer(l.model, io, arena.p, passage, 0, question, qn, 2, 30, start, end)
               .status == QaModelStatus::kNoPassage);
  TT_CHECK(tt::text::qa_answer(l.model, io, arena.p, passage, n, question, qn, 0, 30, start, end)
               .status == QaModelStatus::kBadArgument);
  TT_CHECK(tt::text::qa_answer(l.model, io, arena.p, passage, n, question, qn, 5, 30, start, end)
               .status == QaModelStatus::kBadArgument);
  TT_CHECK(tt::text::qa_answer(l.model, io, arena.p, passage, n, question, qn, 2, 0, start, end)
               .status == QaModelStatus::kBadArgument);
}
