// The flash slot's storage, implemented by a shell: a region split into two equal banks (the
// committed blob lives in one while an upload is written into the other), plus one small metadata
// record that says which bank holds the committed blob and how far the pending upload got.
#pragma once

#include <stdint.h>

namespace tt {

constexpr uint32_t kFlashMetaBytes = 32;  // size of the metadata record (flash_meta.h)

class FlashStore {
 public:
  // Bytes per bank (the largest blob the slot holds); a non-zero multiple of sector_bytes().
  virtual uint32_t bank_bytes() = 0;
  // Erase unit, a power of two.
  virtual uint32_t sector_bytes() = 0;
  // Sets [offset, offset + sector_bytes()) of `bank` (0 or 1) to 0xFF; offset is sector-aligned.
  virtual bool erase_sector(uint8_t bank, uint32_t offset) = 0;
  // Programs erased bytes. The core programs each byte once after erasing its sector, in increasing
  // offsets with arbitrary lengths; a shell with a coarser write unit buffers the tail.
  virtual bool program(uint8_t bank, uint32_t offset, const uint8_t* data, uint32_t len) = 0;
  // Makes every program() so far readable through bank_view() and durable.
  virtual bool flush() = 0;
  // Memory-mapped read view of a bank, 16-byte aligned, valid for the store's lifetime.
  virtual const uint8_t* bank_view(uint8_t bank) = 0;
  // Reads the last saved record into `record` (kFlashMetaBytes); false if none was ever saved.
  // The core checks the record's own CRC, so torn or blank records are safe to return.
  virtual bool load_meta(uint8_t* record) = 0;
  // Saves the record so that a reset at any moment leaves either the previous or the saved record
  // readable.
  virtual bool save_meta(const uint8_t* record) = 0;

 protected:
  ~FlashStore() = default;  // never deleted through this interface
};

}  // namespace tt
