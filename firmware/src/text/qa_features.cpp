#include "qa_features.h"

#include <string.h>

namespace tt {
namespace text {

namespace {

uint32_t word_hash(const char* s) {
  return fnv1a(kFnvOffset, reinterpret_cast<const uint8_t*>(s), static_cast<uint32_t>(strlen(s)));
}

bool is_word(const Token& t) { return (t.flags & kTokenPunct) == 0; }

bool is_word_hash(const Token* t, uint32_t h) {
  return t != nullptr && is_word(*t) && t->hash == h;
}

}  // namespace

QuestionType question_type(const Token* question, uint32_t count) {
  // Hashes of ASCII words: the lower-cased bytes are the literal's.
  const uint32_t who = word_hash("who"), whom = word_hash("whom"), whose = word_hash("whose");
  const uint32_t when = word_hash("when"), where = word_hash("where"), what = word_hash("what");
  const uint32_t which = word_hash("which"), why = word_hash("why"), how = word_hash("how");
  for (uint32_t i = 0; i < count; ++i) {
    const Token& t = question[i];
    if (!is_word(t)) continue;
    const uint32_t h = t.hash;
    if (h == who || h == whom || h == whose) return QuestionType::kWho;
    if (h == when) return QuestionType::kWhen;
    if (h == where) return QuestionType::kWhere;
    if (h == what) return QuestionType::kWhat;
    if (h == which) return QuestionType::kWhich;
    if (h == why) return QuestionType::kWhy;
    if (h == how) {
      const Token* next = i + 1 < count ? &question[i + 1] : nullptr;
      if (is_word_hash(next, word_hash("many"))) return QuestionType::kHowMany;
      if (is_word_hash(next, word_hash("much"))) return QuestionType::kHowMuch;
      return QuestionType::kHow;
    }
  }
  return QuestionType::kOther;
}

void passage_features(const Token* passage, uint32_t count, const Token* question,
                      uint32_t question_count, int8_t* out) {
  for (uint32_t i = 0; i < count; ++i) {
    const Token& t = passage[i];
    const bool word = is_word(t);
    bool exact = false, prefix = false;
    for (uint32_t k = 0; word && k < question_count; ++k) {
      if (!is_word(question[k])) continue;
      exact = exact || question[k].hash == t.hash;
      prefix = prefix || question[k].prefix_hash == t.prefix_hash;
    }
    int8_t* row = out + i * kFeatureCount;
    row[kFeatureReal] = 1;
    row[kFeatureInQuestion] = exact ? 1 : 0;
    row[kFeaturePrefixInQuestion] = prefix ? 1 : 0;
    row[kFeatureNumber] = (t.flags & kTokenNumber) != 0 ? 1 : 0;
    row[kFeatureCapitalised] = (t.flags & kTokenCapitalised) != 0 ? 1 : 0;
    row[kFeaturePunctuation] = word ? 0 : 1;
  }
}

TextStatus qa_inputs(const Token* passage, uint32_t passage_count, const Token* question,
                     uint32_t question_count, uint32_t window_start, const QaShape& shape,
                     int32_t* passage_ids, int8_t* features, int32_t* question_ids,
                     int8_t* question_mask, int8_t* question_type_one_hot) {
  if (window_start > passage_count || shape.buckets == 0) return TextStatus::kBadArgument;
  const uint32_t left = passage_count - window_start;
  const uint32_t n = left < shape.passage_length ? left : shape.passage_length;
  const Token* window = passage + window_start;
  for (uint32_t i = 0; i < shape.passage_length; ++i) {
    passage_ids[i] = i < n ? bucket_id(window[i].hash, shape.buckets) : kPadId;
  }
  for (uint32_t i = 0; i < shape.passage_length * kFeatureCount; ++i) features[i] = 0;
  passage_features(window, n, question, question_count, features);
  for (uint32_t i = 0; i < shape.question_length; ++i) {
    const bool real = i < question_count;
    question_ids[i] = real ? bucket_id(question[i].hash, shape.buckets) : kPadId;
    question_mask[i] = real ? 1 : 0;
  }
  for (uint32_t i = 0; i < kQuestionTypeCount; ++i) question_type_one_hot[i] = 0;
  question_type_one_hot[static_cast<uint8_t>(question_type(question, question_count))] = 1;
  return TextStatus::kOk;
}

}  // namespace text
}  // namespace tt
