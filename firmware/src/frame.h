// Frames on the wire (docs/protocol.md §1): payload ‖ CRC-32(payload) little-endian, COBS-encoded,
// followed by one 0x00 delimiter. A payload is kMinPayload … max_payload bytes.
#pragma once

#include <stdint.h>

namespace tt {

constexpr uint32_t kMinPayload = 3;  // type + id
constexpr uint32_t kCrcBytes = 4;

// Longest encoded frame the decoder stores (delimiter excluded); a longer one is a bad frame.
constexpr uint32_t frame_encoded_limit(uint32_t max_payload) {
  return max_payload + kCrcBytes + 1u + (max_payload + kCrcBytes) / 254u;
}

// Bytes the frame encoder reserves in front of the payload so it can COBS-encode in place.
constexpr uint32_t frame_headroom(uint32_t max_payload) {
  return 1u + (max_payload + kCrcBytes) / 254u;
}

// Size of an RX or TX frame buffer for `max_payload`: enough for the longest encoded frame plus the
// delimiter, and for headroom + payload + CRC when encoding in place.
constexpr uint32_t frame_buffer_bytes(uint32_t max_payload) {
  return frame_headroom(max_payload) + max_payload + kCrcBytes + 1u;
}

enum class FrameEvent : uint8_t {
  kNone = 0,   // byte stored (or skipped while waiting for a delimiter after an oversize frame)
  kFrame = 1,  // a good frame: payload() / payload_len() are valid until the next feed
  kBad = 2,    // a bad frame was dropped; bad_reason() says why
};

enum class BadFrameReason : uint8_t {
  kNone = 0,
  kOversize = 1,  // more than frame_encoded_limit bytes before the delimiter
  kCobs = 2,      // malformed COBS
  kShort = 3,     // decoded to fewer than kMinPayload + 4 bytes
  kLong = 4,      // decoded payload longer than max_payload
  kCrc = 5,       // CRC mismatch
};

// Byte-fed frame decoder. Resynchronises at the next 0x00 after any garbage. Lone delimiters
// (empty frames) are ignored. The buffer is caller-owned: at least frame_encoded_limit(max_payload)
// bytes; the payload is decoded in place at its start.
class FrameDecoder {
 public:
  void init(uint8_t* buffer, uint32_t buffer_bytes, uint32_t max_payload);
  void reset();  // drops a partial frame

  // Consumes bytes up to and including the first delimiter that completes a frame (good or bad),
  // or all `len` bytes. Returns the count consumed; *event says what the last consumed byte did.
  uint32_t feed(const uint8_t* data, uint32_t len, FrameEvent* event);

  const uint8_t* payload() const { return buffer_; }
  uint32_t payload_len() const { return payload_len_; }
  BadFrameReason bad_reason() const { return bad_reason_; }

 private:
  FrameEvent finish_frame();

  uint8_t* buffer_ = nullptr;
  uint32_t limit_ = 0;  // encoded bytes stored at most
  uint32_t max_payload_ = 0;
  uint32_t len_ = 0;
  uint32_t payload_len_ = 0;
  bool overflow_ = false;
  BadFrameReason bad_reason_ = BadFrameReason::kNone;
};

// Encodes a payload that the caller placed at buffer + frame_headroom(max_payload) into a complete
// frame (COBS ‖ 0x00) starting at buffer[0], in place. `buffer` holds
// frame_buffer_bytes(max_payload) bytes; payload_len is kMinPayload … max_payload. Returns the
// frame length including the delimiter, or 0 if the payload length is out of range.
uint32_t frame_encode_in_place(uint8_t* buffer, uint32_t max_payload, uint32_t payload_len);

// Encodes `payload` into `out` (a separate buffer of `capacity` bytes) as a complete frame. Returns
// the frame length including the delimiter, or 0 if it does not fit. For clients and tests.
uint32_t frame_encode(const uint8_t* payload, uint32_t payload_len, uint8_t* out,
                      uint32_t capacity);

}  // namespace tt
