#include <string.h>

#include <initializer_list>

#include "crc32.h"
#include "tt_test.h"

namespace {

const uint8_t* bytes(const char* s) { return reinterpret_cast<const uint8_t*>(s); }

// Bit-at-a-time reference, straight from the definition.
uint32_t crc32_bitwise(const uint8_t* p, uint32_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
  }
  return ~c;
}

}  // namespace

TT_TEST(crc32_check_values) {
  TT_CHECK_EQ(tt::crc32(bytes("123456789"), 9), 0xCBF43926u);
  TT_CHECK_EQ(tt::crc32(bytes(""), 0), 0u);
  TT_CHECK_EQ(tt::crc32(bytes("a"), 1), 0xE8B7BE43u);
  const char* fox = "The quick brown fox jumps over the lazy dog";
  TT_CHECK_EQ(tt::crc32(bytes(fox), uint32_t(strlen(fox))), 0x414FA339u);
}

TT_TEST(crc32_matches_bitwise_reference) {
  uint8_t buf[1000];
  uint32_t x = 12345;
  for (uint8_t& b : buf) b = uint8_t((x = x * 1103515245u + 12345u) >> 16);
  for (uint32_t n : {1u, 2u, 3u, 15u, 16u, 17u, 255u, 1000u}) {
    TT_CHECK_EQ(tt::crc32(buf, n), crc32_bitwise(buf, n));
  }
}

TT_TEST(crc32_incremental_equals_one_shot) {
  const char* s = "123456789";
  for (uint32_t split = 0; split <= 9; ++split) {
    uint32_t st = tt::crc32_update(tt::kCrc32Init, bytes(s), split);
    st = tt::crc32_update(st, bytes(s) + split, 9 - split);
    TT_CHECK_EQ(tt::crc32_final(st), 0xCBF43926u);
  }
}
