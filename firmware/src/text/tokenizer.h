// Text to tokens without a vocabulary table (docs/qa.md §1): UTF-8 in, word and punctuation
// tokens out, each with its byte offsets [start, end) into the input and the 32-bit FNV-1a hash
// of its lower-cased UTF-8 bytes. The TypeScript twin is src/lib/qa/tokenizer.ts (offsets there
// are UTF-16 code units); both give the same tokens and hashes on the shared vectors.
// No heap: the caller owns the output array and says how many tokens it holds.
#pragma once

#include <stdint.h>

namespace tt {
namespace text {

constexpr uint32_t kFnvOffset = 0x811C9DC5u;
constexpr uint32_t kFnvPrime = 0x01000193u;
// Default hash buckets: ids 1 … kQaBuckets, so an embedding table has kQaBuckets + 1 rows.
constexpr uint32_t kQaBuckets = 4096;
// Id 0 is padding; no token maps to it.
constexpr int32_t kPadId = 0;
// The "short prefix" of a token for the prefix-match feature, in code points.
constexpr uint32_t kPrefixCodePoints = 4;

enum class TextStatus : uint8_t {
  kOk = 0,
  kOverflow = 1,     // more tokens than the output holds: the first `capacity` are written
  kInvalidUtf8 = 2,  // not UTF-8 (RFC 3629): nothing is written, `error_offset` says where
  kBadArgument = 3,  // a null pointer with a non-zero size, or a bucket count of 0
};

// Token flags.
constexpr uint8_t kTokenPunct = 1;        // one punctuation or symbol code point (else a word)
constexpr uint8_t kTokenNumber = 2;       // contains an ASCII digit 0–9
constexpr uint8_t kTokenCapitalised = 4;  // its first code point changes under lower-casing

struct Token {
  uint32_t start;        // first byte in the input
  uint32_t end;          // one past the last byte
  uint32_t hash;         // FNV-1a of the lower-cased token's UTF-8 bytes
  uint32_t prefix_hash;  // FNV-1a of its first kPrefixCodePoints code points, lower-cased
  uint8_t flags;
};

struct TokenizeResult {
  TextStatus status;
  uint32_t count;         // tokens written to `out`
  uint32_t error_offset;  // kInvalidUtf8: byte offset of the first invalid sequence; else 0
};

// Tokenizes `len` bytes of UTF-8. The whole input is validated first, so invalid UTF-8 anywhere
// writes no token. `out` may be null only when `capacity` is 0.
TokenizeResult tokenize(const uint8_t* text, uint32_t len, Token* out, uint32_t capacity);

// FNV-1a over `len` bytes, continuing from `h` (kFnvOffset to start).
uint32_t fnv1a(uint32_t h, const uint8_t* bytes, uint32_t len);

// The model's id of a token hash: 1 + hash mod buckets (buckets ≥ 1).
inline int32_t bucket_id(uint32_t hash, uint32_t buckets) {
  return static_cast<int32_t>(1u + hash % buckets);
}

}  // namespace text
}  // namespace tt
