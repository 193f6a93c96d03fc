// Little-endian field loads and stores, and a bounds-checked writer over a caller buffer: a write
// past the capacity sets a sticky failure flag instead of touching memory.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model_format.h"

namespace tt {

// Every target is little-endian (model_format.h checks it), so a field is one fixed-size memcpy,
// which compilers turn into a single (unaligned where the core allows it) load or store.
inline uint16_t load_u16(const uint8_t* p) {
  uint16_t v;
  TT_MEMCPY(&v, p, sizeof v);
  return v;
}
inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  TT_MEMCPY(&v, p, sizeof v);
  return v;
}
inline void store_u16(uint8_t* p, uint16_t v) { TT_MEMCPY(p, &v, sizeof v); }
inline void store_u32(uint8_t* p, uint32_t v) { TT_MEMCPY(p, &v, sizeof v); }

class ByteWriter {
 public:
  ByteWriter(uint8_t* out, uint32_t capacity) : out_(out), capacity_(capacity) {}
  void u8(uint8_t v) {
    if (uint8_t* p = take(1)) p[0] = v;
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
