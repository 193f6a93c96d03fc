// The tokenizer's character classes and lower-casing on Unicode code points (docs/qa.md §1). The
// same ranges are in src/lib/qa/char-class.ts; the shared vectors hold the two equal.
#pragma once

#include <stdint.h>

namespace tt {
namespace text {

enum class CharClass : uint8_t {
  kSeparator = 0,  // dropped: white space, control and invisible format characters
  kWord = 1,       // joins a word token; every code point not in a table is one
  kPunct = 2,      // a token of its own, one code point long
};

// `cp` is a Unicode scalar value (0 … 0x10FFFF, no surrogates).
CharClass char_class(uint32_t cp);

// Simple lower-casing of the documented subset (ASCII, Latin-1, Latin Extended-A, basic Greek and
// Cyrillic capitals); every other code point comes back unchanged.
uint32_t lower_code_point(uint32_t cp);

}  // namespace text
}  // namespace tt
