#include "crc32.h"

namespace tt {

// Bit by bit, no table: eight shift-and-conditional-XOR steps per byte. A table (even the 16-entry
// nibble table, 64 bytes, which on AVR const data also takes in RAM) costs more flash than the
// loop, and the CRC never runs inside an inference: only over frames and, at COMMIT, the blob.
uint32_t crc32_update(uint32_t state, const uint8_t* data, uint32_t len) {
  for (uint32_t i = 0; i < len; ++i) {
    state ^= data[i];
    for (uint32_t bit = 0; bit < 8; ++bit)
      state = (state >> 1) ^ (0xEDB88320u & (0u - (state & 1u)));
  }
  return state;
}

}  // namespace tt
