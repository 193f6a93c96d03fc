// Per-token features and the input tensors of a question-answering model for one window of a
// passage (docs/qa.md §2). The TypeScript twin is src/lib/qa/features.ts. No heap: the caller
// owns every output array, sized from the shape.
#pragma once

#include <stdint.h>

#include "tokenizer.h"

namespace tt {
namespace text {

// Question types, in the order of the one-hot question-type tensor.
enum class QuestionType : uint8_t {
  kWho = 0,  // who, whom, whose
  kWhen,
  kWhere,
  kWhat,
  kWhich,
  kHowMany,
  kHowMuch,
  kWhy,
  kHow,
  kOther,
};
constexpr uint32_t kQuestionTypeCount = 10;

// Feature columns, int8 0 or 1 each.
enum QaFeature : uint8_t {
  kFeatureReal = 0,          // a token, not padding
  kFeatureInQuestion,        // its hash equals a question word's (word tokens only)
  kFeaturePrefixInQuestion,  // its prefix hash equals a question word's (word tokens only)
  kFeatureNumber,            // contains an ASCII digit
  kFeatureCapitalised,       // first code point upper-case in the original
  kFeaturePunctuation,       // a punctuation or symbol token
};
constexpr uint32_t kFeatureCount = 6;

// The question's type from its first wh-word; "how" directly followed by "many" / "much" is
// kHowMany / kHowMuch; no wh-word: kOther.
QuestionType question_type(const Token* question, uint32_t count);

// Features of `count` passage tokens into out[count × kFeatureCount], row-major.
void passage_features(const Token* passage, uint32_t count, const Token* question,
                      uint32_t question_count, int8_t* out);

struct QaShape {
  uint32_t passage_length;   // L, tokens per window
  uint32_t question_length;  // Q, question tokens kept (the first Q)
  uint32_t buckets;          // hash buckets, ids 1 … buckets
};

// The inputs for passage tokens [window_start, window_start + L), padded with kPadId and zero
// features. Match features use the whole question, ids only its first Q tokens. Outputs:
//   passage_ids int32[L], features int8[L × kFeatureCount], question_ids int32[Q],
//   question_mask int8[Q], question_type int8[kQuestionTypeCount] (one-hot).
// kBadArgument if window_start > passage_count or the shape has a zero bucket count.
TextStatus qa_inputs(const Token* passage, uint32_t passage_count, const Token* question,
                     uint32_t question_count, uint32_t window_start, const QaShape& shape,
                     int32_t* passage_ids, int8_t* features, int32_t* question_ids,
                     int8_t* question_mask, int8_t* question_type_one_hot);

}  // namespace text
}  // namespace tt
