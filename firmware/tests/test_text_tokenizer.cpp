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
