// The virtual board's flash slot: a FlashStore over a region of wasm memory, emulating NOR flash
// (erase sets a sector to 0xFF, programming only clears bits). The region is a plain byte image
// the JS side may save after a session and copy back before the next init(), so a flash model
// outlives closing the connection (not a page reload: nothing is written to disk).
//
// Image layout (kFlashHeaderBytes + 2 × bank_bytes): [0, 8) "TTFLASH1", u32 bank_bytes, u32
// sector_bytes, u32 1 if a metadata record was saved, 12 bytes zero, [32, 64) the record; then
// bank 0 and bank 1.
#pragma once

#include <stdint.h>

#include "flash_store.h"

namespace wasm {

constexpr uint32_t kFlashHeaderBytes = 64;  // keeps the banks 16-byte aligned
constexpr uint32_t kFlashSectorBytes = 4096;

class MemFlash final : public tt::FlashStore {
 public:
  // `image` is 16-byte aligned, at least image_bytes(bank_bytes) long. Keeps its contents when the
  // header matches this geometry; otherwise formats it (every bank byte 0xFF, no record).
  void open(uint8_t* image, uint32_t bank_bytes);
  static uint32_t image_bytes(uint32_t bank_bytes) { return kFlashHeaderBytes + 2 * bank_bytes; }
  // Counts erase / program / save_meta calls, so the JS side knows when the image changed.
  uint32_t writes() const { return writes_; }

  uint32_t bank_bytes() override { return bank_bytes_; }
  uint32_t sector_bytes() override { return kFlashSectorBytes; }
  bool erase_sector(uint8_t bank, uint32_t offset) override;
  bool program(uint8_t bank, uint32_t offset, const uint8_t* data, uint32_t len) override;
  bool flush() override { return true; }  // writes land in the image at once
  const uint8_t* bank_view(uint8_t bank) override { return bank_ptr(bank); }
  bool load_meta(uint8_t* record) override;
  bool save_meta(const uint8_t* record) override;

 private:
  uint8_t* bank_ptr(uint8_t bank) const;

  uint8_t* image_ = nullptr;
  uint32_t bank_bytes_ = 0;
  uint32_t writes_ = 0;
};

}  // namespace wasm
