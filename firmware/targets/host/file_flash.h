// The flash slot of the host board: a FlashStore over a memory-mapped file (or anonymous memory),
// emulating NOR flash: erase sets a sector to 0xFF, programming can only clear bits.
//
// File layout: [0, 4096) header — "TTFLASH1", u32 bank_bytes, u32 sector_bytes, then two metadata
// slots at 64 and 128, each {u32 sequence, 32-byte record, u32 CRC-32 of the 36 bytes before};
// then bank 0 and bank 1. Saving writes the older slot, so a kill mid-save leaves the other intact.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "flash_store.h"

namespace host {

class FileFlash final : public tt::FlashStore {
 public:
  FileFlash() = default;
  FileFlash(const FileFlash&) = delete;
  FileFlash& operator=(const FileFlash&) = delete;
  ~FileFlash();

  // `path` null: anonymous memory. A file with a different geometry is reformatted (logged).
  // Returns false with a message on stderr.
  bool open(const char* path, uint32_t bank_bytes, uint32_t sector_bytes);

  uint32_t bank_bytes() override { return bank_bytes_; }
  uint32_t sector_bytes() override { return sector_bytes_; }
  bool erase_sector(uint8_t bank, uint32_t offset) override;
  bool program(uint8_t bank, uint32_t offset, const uint8_t* data, uint32_t len) override;
  bool flush() override { return true; }  // MAP_SHARED pages outlive the process
  const uint8_t* bank_view(uint8_t bank) override { return bank_ptr(bank); }
  bool load_meta(uint8_t* record) override;
  bool save_meta(const uint8_t* record) override;

 private:
  uint8_t* bank_ptr(uint8_t bank) const;
  void format();

  uint8_t* map_ = nullptr;
  size_t map_len_ = 0;
  uint32_t bank_bytes_ = 0;
  uint32_t sector_bytes_ = 0;
};

}  // namespace host
