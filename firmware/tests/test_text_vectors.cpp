// The C++ tokenizer and features against the shared vectors (tests/fixtures/qa/tokenizer-vectors
// .json, through the generated qa_vectors.h): the same tokens, byte offsets, hashes, ids, flags,
// question types and features as src/lib/qa.
#include <stdio.h>
#include <string.h>

#include "qa_vectors.h"
#include "text/qa_features.h"
#include "text/tokenizer.h"
#include "tt_test.h"

namespace {

using tt::text::TextStatus;
using tt::text::Token;

const uint8_t* bytes(const char* s) { return reinterpret_cast<const uint8_t*>(s); }

constexpr uint32_t kCapacity = 256;

}  // namespace

TT_TEST(text_fnv1a_published_vectors) {
  // The FNV-1a 32-bit test values of the reference implementation (draft-eastlake-fnv).
  TT_CHECK_EQ(tt::text::fnv1a(tt::text::kFnvOffset, bytes(""), 0), 0x811C9DC5u);
  TT_CHECK_EQ(tt::text::fnv1a(tt::text::kFnvOffset, bytes("a"), 1), 0xE40C292Cu);
  TT_CHECK_EQ(tt::text::fnv1a(tt::text::kFnvOffset, bytes("foobar"), 6), 0xBF9CF968u);
}

TT_TEST(text_tokenizer_vectors) {
  Token out[kCapacity];
  for (const qa_vectors::TokenizeCase& c : qa_vectors::kTokenize) {
    TT_REQUIRE(c.count <= kCapacity);
    const tt::text::TokenizeResult r = tt::text::tokenize(bytes(c.text), c.len, out, kCapacity);
    if (r.status != TextStatus::kOk || r.count != c.count) {
      fprintf(stderr, "  case \"%s\"\n", c.name);
      TT_CHECK_EQ(static_cast<int>(r.status), 0);
      TT_CHECK_EQ(r.count, c.count);
      continue;
    }
    for (uint32_t i = 0; i < c.count; ++i) {
      const qa_vectors::Tok& w = c.tokens[i];
      const Token& g = out[i];
      const bool same = g.start == w.start && g.end == w.end && g.hash == w.hash &&
                        g.prefix_hash == w.prefix_hash && g.flags == w.flags &&
                        tt::text::bucket_id(g.hash, qa_vectors::kBuckets) == w.id;
      if (!same) {
        fprintf(stderr, "  case \"%s\", token %u\n", c.name, static_cast<unsigned>(i));
        TT_CHECK_EQ(g.start, w.start);
        TT_CHECK_EQ(g.end, w.end);
        TT_CHECK_EQ(g.hash, w.hash);
        TT_CHECK_EQ(g.prefix_hash, w.prefix_hash);
        TT_CHECK_EQ(g.flags, w.flags);
        TT_CHECK_EQ(tt::text::bucket_id(g.hash, qa_vectors::kBuckets), w.id);
      }
    }
  }
}

TT_TEST(text_tokenizer_rejects_invalid_utf8) {
  Token out[8];
  for (const qa_vectors::InvalidCase& c : qa_vectors::kInvalid) {
    const tt::text::TokenizeResult r = tt::text::tokenize(bytes(c.bytes), c.len, out, 8);
    if (r.status != TextStatus::kInvalidUtf8 || r.error_offset != c.error_offset || r.count != 0) {
      fprintf(stderr, "  case \"%s\"\n", c.name);
      TT_CHECK_EQ(static_cast<int>(r.status), static_cast<int>(TextStatus::kInvalidUtf8));
      TT_CHECK_EQ(r.error_offset, c.error_offset);
      TT_CHECK_EQ(r.count, 0);
    }
  }
}

TT_TEST(text_question_type_vectors) {
  Token q[kCapacity];
  for (const qa_vectors::QuestionTypeCase& c : qa_vectors::kQuestionTypes) {
    const uint32_t len = static_cast<uint32_t>(strlen(c.question));
    const tt::text::TokenizeResult r = tt::text::tokenize(bytes(c.question), len, q, kCapacity);
    TT_REQUIRE(r.status == TextStatus::kOk);
    const int got = static_cast<int>(tt::text::question_type(q, r.count));
    if (got != c.type) fprintf(stderr, "  question \"%s\"\n", c.question);
    TT_CHECK_EQ(got, c.type);
  }
}

TT_TEST(text_feature_vectors) {
  Token p[kCapacity], q[kCapacity];
  int8_t features[kCapacity * tt::text::kFeatureCount];
  for (const qa_vectors::FeatureCase& c : qa_vectors::kFeatures) {
    const tt::text::TokenizeResult rp = tt::text::tokenize(
        bytes(c.passage), static_cast<uint32_t>(strlen(c.passage)), p, kCapacity);
    const tt::text::TokenizeResult rq = tt::text::tokenize(
        bytes(c.question), static_cast<uint32_t>(strlen(c.question)), q, kCapacity);
    TT_REQUIRE(rp.status == TextStatus::kOk && rq.status == TextStatus::kOk);
    TT_CHECK_EQ(rp.count, c.rows);
    TT_CHECK_EQ(static_cast<int>(tt::text::question_type(q, rq.count)), c.type);
    tt::text::passage_features(p, rp.count, q, rq.count, features);
    if (memcmp(features, c.features, c.rows * tt::text::kFeatureCount) != 0) {
      fprintf(stderr, "  passage \"%s\"\n", c.passage);
      TT_CHECK(false);
    }
  }
}
