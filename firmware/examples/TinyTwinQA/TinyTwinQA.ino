// TinyTwinQA: question answering on the board, no browser. The sketch holds a passage
// (passage.h) and TinyTwin's int8 QA model compiled in (qa_model_data.h, generated: see below);
// type a question in the serial monitor (115200 baud, newline) and it answers with a span of the
// passage: the tokenizer, the features, every window of the passage through the model and the
// best span over windows all run on the board, as docs/qa.md §1–3 define them and as the
// browser's reference computes them (src/lib/qa/qa-model.ts answer()).
//
// Output per question:
//   Q: <the question>
//   A: <the answer: the exact passage text of the span>
//   span: tokens S-E, bytes B-C, window K of W, score X
//   time: T us for W windows
//
// No heap: the model stays in flash (const), and its arena, the tokens and the scores are static
// buffers sized below. docs/targets/qa-sketch.md has the details; tests/conformance/
// qa-sketch-qemu.test.ts runs this sketch on the emulated Cortex-M4 and checks its answers against
// the TypeScript int8 expectation.
#include <TinyTwin.h>
#include <model.h>
#include <model_format.h>
#include <text/qa_model.h>
#include <text/qa_windows.h>
#include <text/tokenizer.h>

#include "passage.h"

// The QA model as a C header, generated from src/lib/demos/qa/model/qa_int8.tflite by
//   make -C firmware qa-model-header
// (which runs: node cli/bin/tinytwin.js export src/lib/demos/qa/model/qa_int8.tflite --header
//  --align16 --name tt_qa_model -o firmware/examples/TinyTwinQA/qa_model_data.h).
// The export is in xxd -i form, `unsigned char tt_qa_model[]`: the macro below makes it
// `unsigned char const tt_qa_model_rom[]`, so its 166 KiB stay in flash instead of being copied
// to RAM.
#if defined(__has_include)
#if !__has_include("qa_model_data.h")
#error \
    "qa_model_data.h is missing: run  make -C firmware qa-model-header  (docs/targets/qa-sketch.md)"
#endif
#endif
#define tt_qa_model const tt_qa_model_rom
#include "qa_model_data.h"
#undef tt_qa_model

namespace {

// The model's shape and the answer rule (docs/qa.md §2–3, src/lib/qa/features.ts
// DEFAULT_QA_SHAPE, qa-model.ts answer()): L = 128 passage tokens per window, Q = 32 question
// tokens, 4 096 hash buckets, stride 64, spans of at most 30 tokens.
const tt::text::QaShape kShape = {128, 32, tt::text::kQaBuckets};
constexpr uint32_t kStride = 64;
constexpr uint32_t kMaxSpanTokens = 30;
// The blob carries no tensor names; qa_int8.tflite's outputs are [end, start] (bindQaModel finds
// them by the names "start" and "end").
constexpr uint32_t kStartOutput = 1;
constexpr uint32_t kEndOutput = 0;

// Static buffers. The arena is the model's plan (its header's arena_size: 18 432 bytes for
// qa_int8.tflite); a model that needs more is refused at start-up with the size it needs.
constexpr uint32_t kArenaBytes = 18432;
constexpr uint32_t kPassageTokens = 256;  // this passage has 213
constexpr uint32_t kQuestionTokens = 64;  // the model reads 32; the rest still count for matches
constexpr uint32_t kLineBytes = 256;      // one question, UTF-8

alignas(16) uint8_t g_arena[kArenaBytes];
tt::text::Token g_passage[kPassageTokens];
tt::text::Token g_question[kQuestionTokens];
float g_start_scores[128];
float g_end_scores[128];
char g_line[kLineBytes];
uint32_t g_line_len = 0;
bool g_line_too_long = false;

tt::Model g_model;
tt::text::QaModelIo g_io;
uint32_t g_passage_count = 0;
uint32_t g_windows = 0;
const char* g_error = nullptr;  // set by setup() when the sketch cannot answer
uint32_t g_error_value = 0;
bool g_greeted = false;

// Serial output without printf: the same on every core.
void put(const char* s, uint32_t n) { Serial.write(reinterpret_cast<const uint8_t*>(s), n); }
void put(const char* s) {
  uint32_t n = 0;
  while (s[n] != '\0') ++n;
  put(s, n);
}
void put_u32(uint32_t v) {
  char digits[10];
  uint32_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  char out[10];
  for (uint32_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  put(out, n);
}
// A score with four decimals, rounded half away from zero.
void put_score(double x) {
  const bool negative = x < 0;
  const double scaled = (negative ? -x : x) * 10000.0 + 0.5;
  const uint32_t v = scaled < 4e9 ? static_cast<uint32_t>(scaled) : 4000000000u;
  if (negative && v != 0) put("-");
  put_u32(v / 10000);
  put(".");
  const uint32_t frac = v % 10000;
  for (uint32_t d = 1000; d >= 1; d /= 10) {
    const char c = static_cast<char>('0' + frac / d % 10);
    put(&c, 1);
  }
}

// The model, its binding and the passage's tokens, once.
void prepare() {
  const uint8_t* blob = tt_qa_model_rom;
  uint32_t detail = 0;
  const tt::ModelStatus s = tt::model_load(blob, tt_qa_model_len, kArenaBytes, &g_model, &detail);
  if (s == tt::ModelStatus::kArenaTooLarge) {
    g_error = "The model needs a larger arena than kArenaBytes in TinyTwinQA.ino; set it to ";
    g_error_value = tt::rd_u32(blob + tt::fmt::kOffArenaSize);
    return;
  }
  if (s != tt::ModelStatus::kOk) {
    g_error = "The compiled-in model does not load (regenerate qa_model_data.h); status ";
    g_error_value = static_cast<uint32_t>(s);
    return;
  }
  const tt::text::QaModelStatus b =
      tt::text::qa_bind(g_model, kShape, kStartOutput, kEndOutput, &g_io);
  if (b != tt::text::QaModelStatus::kOk) {
    g_error = tt::text::qa_model_status_text(b);
    return;
  }
  const tt::text::TokenizeResult t = tt::text::tokenize(
      reinterpret_cast<const uint8_t*>(kPassage), sizeof kPassage - 1, g_passage, kPassageTokens);
  if (t.status == tt::text::TextStatus::kOverflow) {
    g_error = "The passage has more tokens than kPassageTokens in TinyTwinQA.ino holds: ";
    g_error_value = kPassageTokens;
    return;
  }
  if (t.status != tt::text::TextStatus::kOk || t.count == 0) {
    g_error = "The passage in passage.h is not UTF-8 text with words; at byte ";
    g_error_value = t.error_offset;
    return;
  }
  g_passage_count = t.count;
  g_windows = tt::text::window_starts(t.count, kShape.passage_length, kStride, nullptr, 0).count;
}

void greet() {
  if (g_error != nullptr) {
    put("TinyTwinQA: ");
    put(g_error);
    if (g_error_value != 0) put_u32(g_error_value);
    put("\n");
    return;
  }
  put("TinyTwinQA: ");
  put(g_model.name, g_model.name_len);
  put(", blob ");
  put_u32(g_model.blob_size);
  put(" bytes, arena ");
  put_u32(g_model.arena_size);
  put(" bytes; passage of ");
  put_u32(g_passage_count);
  put(" tokens in ");
  put_u32(g_windows);
  put(" windows\nPassage: ");
  put(kPassage, sizeof kPassage - 1);
  put("\nAsk a question about the passage and press Enter.\n");
}

void answer(const char* line, uint32_t len) {
  put("Q: ");
  put(line, len);
  put("\n");
  const tt::text::TokenizeResult q =
      tt::text::tokenize(reinterpret_cast<const uint8_t*>(line), len, g_question, kQuestionTokens);
  if (q.status == tt::text::TextStatus::kInvalidUtf8) {
    put("error: the question is not UTF-8 text (byte ");
    put_u32(q.error_offset);
    put("); type it again.\n");
    return;
  }
  if (q.status != tt::text::TextStatus::kOk) {
    put("error: the question has more than ");
    put_u32(kQuestionTokens);
    put(" words and signs; ask a shorter one.\n");
    return;
  }
  const uint32_t t0 = micros();
  const tt::text::QaSpan a =
      tt::text::qa_answer(g_model, g_io, g_arena, g_passage, g_passage_count, g_question, q.count,
                          kStride, kMaxSpanTokens, g_start_scores, g_end_scores);
  const uint32_t us = micros() - t0;
  if (a.status != tt::text::QaModelStatus::kOk) {
    put("error: ");
    put(tt::text::qa_model_status_text(a.status));
    put("\n");
    return;
  }
  put("A: ");
  put(kPassage + a.start_byte, a.end_byte - a.start_byte);
  put("\nspan: tokens ");
  put_u32(a.start_token);
  put("-");
  put_u32(a.end_token);
  put(", bytes ");
  put_u32(a.start_byte);
  put("-");
  put_u32(a.end_byte);
  put(", window ");
  put_u32(a.window);
  put(" of ");
  put_u32(a.windows);
  put(", score ");
  put_score(a.score);
  put("\ntime: ");
  put_u32(us);
  put(" us for ");
  put_u32(a.windows);
  put(" windows\n");
}

// One received byte: a line ends at CR or LF (any serial monitor setting but "No line ending");
// empty lines are skipped, so CR LF is one line.
void take(uint8_t b) {
  if (b != '\n' && b != '\r') {
    if (g_line_len < kLineBytes) {
      g_line[g_line_len++] = static_cast<char>(b);
    } else {
      g_line_too_long = true;
    }
    return;
  }
  if (g_line_too_long) {
    put("error: the question is longer than ");
    put_u32(kLineBytes);
    put(" bytes; ask a shorter one.\n");
  } else if (g_line_len > 0) {
    answer(g_line, g_line_len);
  }
  g_line_len = 0;
  g_line_too_long = false;
}

}  // namespace

void setup() {
  Serial.begin(115200);
  prepare();
}

void loop() {
  // Native-USB boards: greet once the serial monitor is open (the host holds DTR).
  if (!g_greeted) {
    if (!Serial) return;
    greet();
    g_greeted = true;
  }
  while (Serial.available() > 0) {
    const int b = Serial.read();
    if (b < 0) break;
    if (g_error == nullptr) take(static_cast<uint8_t>(b));
  }
}
