#include "mem_flash.h"

#include <string.h>

#include "wire.h"

namespace wasm {

namespace {
const uint8_t kMagic[8] = {'T', 'T', 'F', 'L', 'A', 'S', 'H', '1'};
constexpr uint32_t kValidAt = 16;
constexpr uint32_t kRecordAt = 32;
static_assert(kRecordAt + tt::kFlashMetaBytes <= kFlashHeaderBytes, "record fits the header");
}  // namespace

void MemFlash::open(uint8_t* image, uint32_t bank_bytes) {
  image_ = image;
  bank_bytes_ = bank_bytes;
  writes_ = 0;
  if (memcmp(image_, kMagic, sizeof kMagic) == 0 && tt::load_u32(image_ + 8) == bank_bytes &&
      tt::load_u32(image_ + 12) == kFlashSectorBytes) {
    return;
  }
  memset(image_, 0, kFlashHeaderBytes);
  memcpy(image_, kMagic, sizeof kMagic);
  tt::store_u32(image_ + 8, bank_bytes);
  tt::store_u32(image_ + 12, kFlashSectorBytes);
  memset(image_ + kFlashHeaderBytes, 0xFF, 2 * bank_bytes);
}

uint8_t* MemFlash::bank_ptr(uint8_t bank) const {
  return image_ + kFlashHeaderBytes + static_cast<uint32_t>(bank) * bank_bytes_;
}

bool MemFlash::erase_sector(uint8_t bank, uint32_t offset) {
  if (bank > 1 || offset % kFlashSectorBytes != 0 || offset >= bank_bytes_) return false;
  ++writes_;
  memset(bank_ptr(bank) + offset, 0xFF, kFlashSectorBytes);
  return true;
}

bool MemFlash::program(uint8_t bank, uint32_t offset, const uint8_t* data, uint32_t len) {
  if (bank > 1 || offset > bank_bytes_ || len > bank_bytes_ - offset) return false;
  ++writes_;
  uint8_t* dst = bank_ptr(bank) + offset;
  bool ok = true;
  for (uint32_t i = 0; i < len; ++i) {
    dst[i] &= data[i];  // NOR flash: programming clears bits only
    ok = ok && dst[i] == data[i];
  }
  return ok;  // false: written over bytes that were not erased
}

bool MemFlash::load_meta(uint8_t* record) {
  if (tt::load_u32(image_ + kValidAt) != 1) return false;
  memcpy(record, image_ + kRecordAt, tt::kFlashMetaBytes);
  return true;
}

// A worker runs one call to completion before it can be terminated, so a plain copy is atomic.
bool MemFlash::save_meta(const uint8_t* record) {
  ++writes_;
  memcpy(image_ + kRecordAt, record, tt::kFlashMetaBytes);
  tt::store_u32(image_ + kValidAt, 1);
  return true;
}

}  // namespace wasm
