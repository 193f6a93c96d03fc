#include "cobs.h"
#include "crc32.h"
#include "frame.h"
#include "wire.h"

namespace tt {

namespace {

void put_crc_le(uint8_t* at, uint32_t crc) { store_u32(at, crc); }

}  // namespace

// COBS in place without CobsEncoder (one loop, the same shortest form): the headroom covers the
// code bytes COBS adds in front of any input byte, so the write position never passes the read one.
uint32_t frame_encode_in_place(uint8_t* buffer, uint32_t max_payload, uint32_t payload_len) {
  if (payload_len < kMinPayload || payload_len > max_payload) return 0;
  uint8_t* const raw = buffer + frame_headroom(max_payload);
  put_crc_le(raw + payload_len, crc32(raw, payload_len));
  const uint8_t* const end = raw + payload_len + kCrcBytes;
  uint8_t* code = buffer;  // the current run's code byte
  uint8_t* w = buffer + 1;
  bool full = false;  // the last run closed at 254 bytes and nothing followed
  for (const uint8_t* r = raw; r != end; ++r) {
    const uint8_t b = *r;
    full = false;
    if (b != 0) *w++ = b;
    if (b == 0 || w - code == 0xFF) {
      full = b != 0;
      *code = static_cast<uint8_t>(w - code);
      code = w++;
    }
  }
  if (full) {
    w = code;  // the slot reserved after a full run stays unused (no 0x01 code)
  } else {
    *code = static_cast<uint8_t>(w - code);
  }
  *w = 0;
  return static_cast<uint32_t>(w - buffer) + 1u;
}

uint32_t frame_encode(const uint8_t* payload, uint32_t payload_len, uint8_t* out,
                      uint32_t capacity) {
  if (payload_len < kMinPayload || capacity == 0) return 0;
  uint8_t crc[kCrcBytes];
  put_crc_le(crc, crc32(payload, payload_len));
  CobsEncoder enc;
  enc.start(out, capacity - 1u);
  enc.put(payload, payload_len);
  enc.put(crc, kCrcBytes);
  const uint32_t n = enc.finish();
  if (n == 0) return 0;
  out[n] = 0;
  return n + 1u;
}

}  // namespace tt
