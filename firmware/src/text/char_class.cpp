#include "char_class.h"

namespace tt {
namespace text {

namespace {

struct Range {
  uint32_t first;
  uint32_t last;  // inclusive
};

// Sorted, not overlapping; identical to SEPARATORS and PUNCTUATION in src/lib/qa/char-class.ts.
const Range kSeparators[] = {
    {0x0000, 0x0020}, {0x007F, 0x00A0}, {0x00AD, 0x00AD}, {0x1680, 0x1680},
    {0x180E, 0x180E}, {0x2000, 0x200F}, {0x2028, 0x202F}, {0x205F, 0x206F},
    {0x3000, 0x3000}, {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF},
};

const Range kPunctuation[] = {
    {0x0021, 0x002F}, {0x003A, 0x0040}, {0x005B, 0x0060}, {0x007B, 0x007E}, {0x00A1, 0x00A9},
    {0x00AB, 0x00B4}, {0x00B6, 0x00B9}, {0x00BB, 0x00BF}, {0x00D7, 0x00D7}, {0x00F7, 0x00F7},
    {0x037E, 0x037E}, {0x0387, 0x0387}, {0x055A, 0x055F}, {0x0589, 0x058A}, {0x05BE, 0x05BE},
    {0x05C0, 0x05C0}, {0x05C3, 0x05C3}, {0x05F3, 0x05F4}, {0x060C, 0x060C}, {0x061B, 0x061B},
    {0x061F, 0x061F}, {0x066A, 0x066D}, {0x06D4, 0x06D4}, {0x0964, 0x0965}, {0x2010, 0x2027},
    {0x2030, 0x205E}, {0x2070, 0x2BFF}, {0x3001, 0x303F}, {0xFE10, 0xFE1F}, {0xFE30, 0xFE6F},
    {0xFF01, 0xFF0F}, {0xFF1A, 0xFF20}, {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}, {0x1F000, 0x1FAFF},
};

bool in_ranges(uint32_t cp, const Range* ranges, uint32_t n) {
  uint32_t lo = 0, hi = n;  // search [lo, hi)
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (cp < ranges[mid].first) {
      hi = mid;
    } else if (cp > ranges[mid].last) {
      lo = mid + 1;
    } else {
      return true;
    }
  }
  return false;
}

}  // namespace

CharClass char_class(uint32_t cp) {
  if (cp < 0x80) {
    if (cp <= 0x20 || cp == 0x7F) return CharClass::kSeparator;
    if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5A) || (cp >= 0x61 && cp <= 0x7A)) {
      return CharClass::kWord;
    }
    return CharClass::kPunct;
  }
  if (in_ranges(cp, kSeparators, sizeof kSeparators / sizeof kSeparators[0])) {
    return CharClass::kSeparator;
  }
  if (in_ranges(cp, kPunctuation, sizeof kPunctuation / sizeof kPunctuation[0])) {
    return CharClass::kPunct;
  }
  return CharClass::kWord;
}

uint32_t lower_code_point(uint32_t cp) {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5A ? cp + 0x20 : cp;
  if (cp < 0x100) return cp >= 0xC0 && cp <= 0xDE && cp != 0xD7 ? cp + 0x20 : cp;
  if (cp < 0x180) {
    if (cp == 0x130) return 0x69;                                             // İ → i
    if (cp == 0x178) return 0xFF;                                             // Ÿ → ÿ
    if (cp == 0x131 || cp == 0x138 || cp == 0x149 || cp == 0x17F) return cp;  // already lower
    // Upper-even/lower-odd pairs, except 0x139–0x148 and 0x179–0x17E, which are odd/even.
    const bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
    if (odd_upper) return cp % 2 == 1 ? cp + 1 : cp;
    return cp % 2 == 0 ? cp + 1 : cp;
  }
  if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return cp + 0x20;  // Α–Ω
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;                 // А–Я
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;                 // Ѐ–Џ
  return cp;
}

}  // namespace text
}  // namespace tt
