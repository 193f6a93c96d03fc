// Consistent Overhead Byte Stuffing (Cheshire & Baker 1999), docs/protocol.md §1: the encoded bytes
// contain no 0x00, so 0x00 can delimit frames. Each run of at most 254 non-zero bytes is preceded
// by a code byte run_length + 1; code 0xFF means "254 bytes, no zero follows"; the zero implied
// after the last run is not part of the data.
#pragma once

#include <stdint.h>

namespace tt {

// Longest encoding of `len` bytes produced by either common convention (with or without the extra
// 0x01 code after a final 254-byte run): len + 1 + floor(len / 254). The delimiter is not included.
constexpr uint32_t cobs_max_encoded(uint32_t len) { return len + 1u + len / 254u; }

// Streaming encoder writing into a caller buffer. Emits the shortest form (no 0x01 code after a
// final 254-byte run), so n input bytes take at most n + ceil(n / 254) bytes (1 for n = 0). It may
// encode in place: when the input lives in the same buffer at out + h with h >= 1 + floor((n - 1) /
// 254), every output byte lands on an input byte already read.
class CobsEncoder {
 public:
  void start(uint8_t* out, uint32_t capacity);
  void put(uint8_t byte);
  void put(const uint8_t* data, uint32_t len);
  // Closes the last run; returns the encoded length (without delimiter), or 0 if `capacity` was
  // exceeded at any point (nothing past the buffer is ever written).
  uint32_t finish();

 private:
  void close_run();

  uint8_t* out_ = nullptr;
  uint32_t capacity_ = 0;
  uint32_t pos_ = 0;         // next byte to write
  uint32_t code_pos_ = 0;    // where the current run's code byte goes
  uint8_t code_ = 1;         // run length + 1 so far
  bool after_full_ = false;  // the previous run closed at 254 bytes and nothing followed yet
  bool overflow_ = false;
};

enum class CobsStatus : uint8_t {
  kOk = 0,
  kZeroByte = 1,   // a 0x00 inside the encoded bytes
  kTruncated = 2,  // a code byte points past the end
};

// Decodes `len` encoded bytes (delimiter excluded). `out` may equal `in` (in-place decoding: output
// never overtakes input); otherwise it needs `len` bytes. *out_len receives the decoded length
// (always < len for len > 0).
CobsStatus cobs_decode(const uint8_t* in, uint32_t len, uint8_t* out, uint32_t* out_len);

}  // namespace tt
