// Little-endian field readers and writers over caller buffers, bounds-checked: a read past the end
// or a write past the capacity sets a sticky failure flag instead of touching memory.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace tt {

// `unsigned` arithmetic: on AVR int is 16-bit and 0xFF << 8 would overflow it.
inline uint16_t load_u16(const uint8_t* p) {
  return static_cast<uint16_t>(static_cast<unsigned>(p[0]) | (static_cast<unsigned>(p[1]) << 8u));
}
inline uint32_t load_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
inline void store_u16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
inline void store_u32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v >> 16);
  p[3] = static_cast<uint8_t>(v >> 24);
}

class ByteReader {
 public:
  ByteReader(const uint8_t* data, uint32_t len) : data_(data), len_(len) {}
  uint8_t u8() { return take(1) ? data_[pos_ - 1] : 0; }
  uint16_t u16() { return take(2) ? load_u16(data_ + pos_ - 2) : 0; }
  uint32_t u32() { return take(4) ? load_u32(data_ + pos_ - 4) : 0; }
  const uint8_t* rest() const { return data_ + pos_; }
  uint32_t remaining() const { return len_ - pos_; }
  bool ok() const { return ok_; }

 private:
  bool take(uint32_t n) {
    if (!ok_ || n > len_ - pos_) {
      ok_ = false;
      return false;
    }
    pos_ += n;
    return true;
  }
  const uint8_t* data_;
  uint32_t len_;
  uint32_t pos_ = 0;
  bool ok_ = true;
};

class ByteWriter {
 public:
  ByteWriter(uint8_t* out, uint32_t capacity) : out_(out), capacity_(capacity) {}
  void u8(uint8_t v) {
    if (uint8_t* p = take(1)) p[0] = v;
  }
  void u16(uint16_t v) {
    if (uint8_t* p = take(2)) store_u16(p, v);
  }
  void u32(uint32_t v) {
    if (uint8_t* p = take(4)) store_u32(p, v);
  }
  void bytes(const uint8_t* data, uint32_t len) {
    if (uint8_t* p = take(len)) memcpy(p, data, static_cast<size_t>(len));
  }
  // A protocol `str`: u8 length, then at most 255 bytes.
  void str(const char* s, uint8_t len) {
    u8(len);
    bytes(reinterpret_cast<const uint8_t*>(s), len);
  }
  // Reserves `n` bytes for the caller to fill (null when they do not fit).
  uint8_t* reserve(uint32_t n) { return take(n); }
  uint32_t size() const { return pos_; }
  uint32_t room() const { return capacity_ - pos_; }
  bool ok() const { return ok_; }

 private:
  uint8_t* take(uint32_t n) {
    if (!ok_ || n > capacity_ - pos_) {
      ok_ = false;
      return nullptr;
    }
    uint8_t* p = out_ + pos_;
    pos_ += n;
    return p;
  }
  uint8_t* out_;
  uint32_t capacity_;
  uint32_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace tt
