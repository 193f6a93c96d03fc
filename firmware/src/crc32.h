// CRC-32 as used by zlib, PNG and Ethernet (IEEE 802.3): reflected polynomial 0xEDB88320, initial
// value 0xFFFFFFFF, final XOR 0xFFFFFFFF. crc32("123456789") == 0xCBF43926. docs/protocol.md §1.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace tt {

constexpr uint32_t kCrc32Init = 0xFFFFFFFFu;

// Incremental form: state = kCrc32Init; state = crc32_update(state, ...) per piece;
// result = crc32_final(state). Any split of the input gives the same result.
uint32_t crc32_update(uint32_t state, const uint8_t* data, uint32_t len);
inline uint32_t crc32_final(uint32_t state) { return state ^ 0xFFFFFFFFu; }

// One-shot CRC-32 of `len` bytes.
inline uint32_t crc32(const uint8_t* data, uint32_t len) {
  return crc32_final(crc32_update(kCrc32Init, data, len));
}

}  // namespace tt
