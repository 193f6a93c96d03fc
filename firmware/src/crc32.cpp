#include "crc32.h"

namespace tt {

namespace {

// CRC of each 4-bit value, reflected: a 16-entry table (64 bytes) instead of the usual 256 entries
// (1 KiB) because on AVR const data is copied to RAM and the ATmega2560 has 8 KiB. Two lookups per
// byte.
const uint32_t kNibbleTable[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
    0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};

}  // namespace

uint32_t crc32_update(uint32_t state, const uint8_t* data, uint32_t len) {
  for (uint32_t i = 0; i < len; ++i) {
    state ^= data[i];
    state = (state >> 4) ^ kNibbleTable[state & 0x0Fu];
    state = (state >> 4) ^ kNibbleTable[state & 0x0Fu];
  }
  return state;
}

}  // namespace tt
