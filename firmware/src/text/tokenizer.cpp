#include "tokenizer.h"

#include "char_class.h"

namespace tt {
namespace text {

namespace {

// Decodes the UTF-8 sequence at text[i]: the code point and its length, or length 0 when the
// bytes there are not a well-formed sequence (overlong forms, surrogates, > U+10FFFF, truncated).
uint32_t decode(const uint8_t* text, uint32_t len, uint32_t i, uint32_t* cp) {
  const uint8_t b0 = text[i];
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  uint32_t n;
  uint8_t lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (len - i < n) return 0;
  if (text[i + 1] < lo || text[i + 1] > hi) return 0;
  uint32_t c = b0 & (0xFFu >> (n + 1));
  for (uint32_t k = 1; k < n; ++k) {
    const uint8_t b = text[i + k];
    if ((b & 0xC0) != 0x80) return 0;
    c = (c << 6) | (b & 0x3Fu);
  }
  *cp = c;
  return n;
}

uint32_t fnv_byte(uint32_t h, uint32_t byte) { return (h ^ byte) * kFnvPrime; }

// FNV-1a step over the UTF-8 encoding of one code point.
uint32_t fnv_code_point(uint32_t h, uint32_t cp) {
  if (cp < 0x80) return fnv_byte(h, cp);
  if (cp < 0x800) {
    h = fnv_byte(h, 0xC0 | (cp >> 6));
  } else if (cp < 0x10000) {
    h = fnv_byte(h, 0xE0 | (cp >> 12));
    h = fnv_byte(h, 0x80 | ((cp >> 6) & 0x3F));
  } else {
    h = fnv_byte(h, 0xF0 | (cp >> 18));
    h = fnv_byte(h, 0x80 | ((cp >> 12) & 0x3F));
    h = fnv_byte(h, 0x80 | ((cp >> 6) & 0x3F));
  }
  return fnv_byte(h, 0x80 | (cp & 0x3F));
}

bool is_ascii_digit(uint32_t cp) { return cp >= 0x30 && cp <= 0x39; }

}  // namespace

uint32_t fnv1a(uint32_t h, const uint8_t* bytes, uint32_t len) {
  for (uint32_t i = 0; i < len; ++i) h = fnv_byte(h, bytes[i]);
  return h;
}

TokenizeResult tokenize(const uint8_t* text, uint32_t len, Token* out, uint32_t capacity) {
  TokenizeResult r = {TextStatus::kOk, 0, 0};
  if ((text == nullptr && len != 0) || (out == nullptr && capacity != 0)) {
    r.status = TextStatus::kBadArgument;
    return r;
  }
  uint32_t cp = 0;
  for (uint32_t i = 0; i < len;) {
    const uint32_t n = decode(text, len, i, &cp);
    if (n == 0) {
      r.status = TextStatus::kInvalidUtf8;
      r.error_offset = i;
      return r;
    }
    i += n;
  }
  // Validated: decode() succeeds from here on.
  uint32_t i = 0;
  while (i < len) {
    const uint32_t start = i;
    i += decode(text, len, i, &cp);
    const CharClass cls = char_class(cp);
    if (cls == CharClass::kSeparator) continue;
    if (r.count == capacity) {
      r.status = TextStatus::kOverflow;
      return r;
    }
    const uint32_t lower = lower_code_point(cp);
    Token& t = out[r.count];
    t.start = start;
    t.hash = fnv_code_point(kFnvOffset, lower);
    t.prefix_hash = t.hash;
    t.flags = 0;
    if (lower != cp) t.flags |= kTokenCapitalised;
    if (is_ascii_digit(cp)) t.flags |= kTokenNumber;
    if (cls == CharClass::kPunct) {
      t.flags |= kTokenPunct;
    } else {
      uint32_t count = 1;
      while (i < len) {
        uint32_t next = 0;
        const uint32_t n = decode(text, len, i, &next);
        if (char_class(next) != CharClass::kWord) break;
        t.hash = fnv_code_point(t.hash, lower_code_point(next));
        if (++count <= kPrefixCodePoints) t.prefix_hash = t.hash;
        if (is_ascii_digit(next)) t.flags |= kTokenNumber;
        i += n;
      }
    }
    t.end = i;
    ++r.count;
  }
  return r;
}

}  // namespace text
}  // namespace tt
