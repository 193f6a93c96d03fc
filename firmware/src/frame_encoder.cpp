#include "cobs.h"
#include "crc32.h"
#include "frame.h"

namespace tt {

namespace {

void put_crc_le(uint8_t* at, uint32_t crc) {
  at[0] = static_cast<uint8_t>(crc);
  at[1] = static_cast<uint8_t>(crc >> 8);
  at[2] = static_cast<uint8_t>(crc >> 16);
  at[3] = static_cast<uint8_t>(crc >> 24);
}

}  // namespace

uint32_t frame_encode_in_place(uint8_t* buffer, uint32_t max_payload, uint32_t payload_len) {
  if (payload_len < kMinPayload || payload_len > max_payload) return 0;
  const uint32_t head = frame_headroom(max_payload);
  uint8_t* raw = buffer + head;
  put_crc_le(raw + payload_len, crc32(raw, payload_len));
  // In place: the headroom covers the code bytes COBS adds in front of any input byte (cobs.h).
  CobsEncoder enc;
  const uint32_t capacity = frame_buffer_bytes(max_payload) - 1u;  // keep the delimiter's byte
  enc.start(buffer, capacity);
  const uint32_t raw_len = payload_len + kCrcBytes;
  for (uint32_t i = 0; i < raw_len; ++i) enc.put(raw[i]);
  const uint32_t n = enc.finish();
  if (n == 0) return 0;
  buffer[n] = 0;
  return n + 1u;
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
