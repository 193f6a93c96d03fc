// The C++ tokenizer's contract beyond the shared vectors: overflow, arguments, and the model inputs
// of one window (padding, truncated questions, the one-hot question type).
#include <string.h>

#include "text/qa_features.h"
#include "text/tokenizer.h"
#include "tt_test.h"

namespace {

using tt::text::TextStatus;
using tt::text::Token;

const uint8_t* bytes(const char* s) { return reinterpret_cast<const uint8_t*>(s); }

uint32_t tokenize(const char* s, Token* out, uint32_t capacity) {
  return tt::text::tokenize(bytes(s), static_cast<uint32_t>(strlen(s)), out, capacity).count;
}

}  // namespace

TT_TEST(text_tokenizer_overflow_keeps_the_first_tokens) {
  Token out[2];
  const tt::text::TokenizeResult r = tt::text::tokenize(bytes("a b c"), 5, out, 2);
  TT_CHECK(r.status == TextStatus::kOverflow);
  TT_CHECK_EQ(r.count, 2);
  TT_CHECK_EQ(out[1].start, 2);
  TT_CHECK_EQ(out[1].end, 3);
  // Exactly full is not an overflow.
  TT_CHECK(tt::text::tokenize(bytes("a b"), 3, out, 2).status == TextStatus::kOk);
  // Capacity 0 with no output array: kOk for no tokens, kOverflow otherwise.
  TT_CHECK(tt::text::tokenize(bytes("  "), 2, nullptr, 0).status == TextStatus::kOk);
  TT_CHECK(tt::text::tokenize(bytes("x"), 1, nullptr, 0).status == TextStatus::kOverflow);
}

TT_TEST(text_tokenizer_bad_arguments) {
  Token out[1];
  TT_CHECK(tt::text::tokenize(nullptr, 1, out, 1).status == TextStatus::kBadArgument);
  TT_CHECK(tt::text::tokenize(bytes("a"), 1, nullptr, 1).status == TextStatus::kBadArgument);
  TT_CHECK(tt::text::tokenize(nullptr, 0, out, 1).status == TextStatus::kOk);
}

TT_TEST(text_qa_inputs_pad_and_truncate) {
  Token p[8], q[8];
  const uint32_t np = tokenize("Ada Brenn led it in 1921.", p, 8);  // 7 tokens
  const uint32_t nq = tokenize("Who led it?", q, 8);                // 4 tokens
  TT_REQUIRE(np == 7 && nq == 4);
  const tt::text::QaShape shape = {4, 2, 16};
  int32_t ids[4], qids[2];
  int8_t features[4 * tt::text::kFeatureCount], qmask[2], qtype[tt::text::kQuestionTypeCount];
  memset(features, 0x55, sizeof features);
  // The window [4, 8): "in", "1921", ".", then padding.
  TT_REQUIRE(tt::text::qa_inputs(p, np, q, nq, 4, shape, ids, features, qids, qmask, qtype) ==
             TextStatus::kOk);
  TT_CHECK_EQ(ids[0], tt::text::bucket_id(p[4].hash, 16));
  TT_CHECK_EQ(ids[3], tt::text::kPadId);
  for (uint32_t f = 0; f < tt::text::kFeatureCount; ++f) TT_CHECK_EQ(features[18 + f], 0);
  TT_CHECK_EQ(features[1 * 6 + tt::text::kFeatureNumber], 1);
  TT_CHECK_EQ(features[2 * 6 + tt::text::kFeaturePunctuation], 1);
  TT_CHECK_EQ(qids[1], tt::text::bucket_id(q[1].hash, 16));
  TT_CHECK_EQ(qmask[0] + qmask[1], 2);
  TT_CHECK_EQ(qtype[0], 1);  // who
  int sum = 0;
  for (int8_t v : qtype) sum += v;
  TT_CHECK_EQ(sum, 1);
  // The window [2, 6) sees "led" and "it", which the question holds beyond its first Q tokens.
  TT_REQUIRE(tt::text::qa_inputs(p, np, q, nq, 2, shape, ids, features, qids, qmask, qtype) ==
             TextStatus::kOk);
  TT_CHECK_EQ(features[0 * 6 + tt::text::kFeatureInQuestion], 1);
  TT_CHECK_EQ(features[1 * 6 + tt::text::kFeatureInQuestion], 1);
  TT_CHECK(tt::text::qa_inputs(p, np, q, nq, 8, shape, ids, features, qids, qmask, qtype) ==
           TextStatus::kBadArgument);
}

// Random bytes (mostly not UTF-8) and random valid UTF-8: the tokenizer never reads or writes out
// of bounds (ASan), and its tokens are ordered, non-empty, inside the input and never overlap.
TT_TEST(text_tokenizer_random_inputs_keep_invariants) {
  uint32_t x = 20261205u;
  auto next = [&x]() {
    x = x * 1664525u + 1013904223u;
    return x >> 8;
  };
  uint8_t buf[64];
  Token out[64];
  uint32_t valid = 0;
  for (int round = 0; round < 4000; ++round) {
    uint32_t len = 0;
    if (round % 2 == 0) {
      len = next() % sizeof buf;
      for (uint32_t i = 0; i < len; ++i) buf[i] = static_cast<uint8_t>(next());
    } else {
      // Valid UTF-8 of random code points from every length class.
      while (len + 4 <= sizeof buf && next() % 16 != 0) {
        uint32_t cp;
        switch (next() % 4) {
          case 0:
            cp = next() % 0x80;
            break;
          case 1:
            cp = 0x80 + next() % 0x780;
            break;
          case 2:
            cp = 0x800 + next() % 0xF800;
            if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0x20AC;
            break;
          default:
            cp = 0x10000 + next() % 0x100000;
            break;
        }
        if (cp < 0x80) {
          buf[len++] = static_cast<uint8_t>(cp);
        } else if (cp < 0x800) {
          buf[len++] = static_cast<uint8_t>(0xC0 | (cp >> 6));
          buf[len++] = static_cast<uint8_t>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
          buf[len++] = static_cast<uint8_t>(0xE0 | (cp >> 12));
          buf[len++] = static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F));
          buf[len++] = static_cast<uint8_t>(0x80 | (cp & 0x3F));
        } else {
          buf[len++] = static_cast<uint8_t>(0xF0 | (cp >> 18));
          buf[len++] = static_cast<uint8_t>(0x80 | ((cp >> 12) & 0x3F));
          buf[len++] = static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F));
          buf[len++] = static_cast<uint8_t>(0x80 | (cp & 0x3F));
        }
      }
    }
    const uint32_t capacity = next() % 65;
    const tt::text::TokenizeResult r = tt::text::tokenize(buf, len, out, capacity);
    if (round % 2 == 1) TT_REQUIRE(r.status != TextStatus::kInvalidUtf8);
    if (r.status == TextStatus::kInvalidUtf8) {
      TT_REQUIRE(r.count == 0 && r.error_offset < len);
      continue;
    }
    ++valid;
    TT_REQUIRE(r.count <= capacity);
    for (uint32_t i = 0; i < r.count; ++i) {
      TT_REQUIRE(out[i].start < out[i].end && out[i].end <= len);
      if (i > 0) TT_REQUIRE(out[i - 1].end <= out[i].start);
    }
  }
  TT_CHECK(valid >= 2000);
}
