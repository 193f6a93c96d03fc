// The flash slot's persisted metadata and its kFlashMetaBytes record layout (little-endian):
//   0 "TTFM" | 4 u8 version (1) | 5 u8 flags (bit 0 committed, bit 1 pending) | 6 u8 committed_bank
//   | 7 u8 pending_bank | 8 u32 committed_len | 12 u32 committed_crc | 16 u32 pending_len | 20 u32
//   pending_crc | 24 u32 pending_next | 28 u32 CRC-32 of bytes 0..27
#pragma once

#include <stdint.h>

#include "flash_store.h"

namespace tt {

struct FlashMeta {
  bool committed = false;
  uint8_t committed_bank = 0;
  bool pending = false;
  uint8_t pending_bank = 0;
  // The u32 fields in the record's order (bytes 8 … 27): copied as one block (flash_meta.cpp).
  uint32_t committed_len = 0;
  uint32_t committed_crc = 0;
  uint32_t pending_len = 0;
  uint32_t pending_crc = 0;
  uint32_t pending_next =
      0;  // bytes below it are durably programmed; a multiple of the sector size
};

void flash_meta_encode(const FlashMeta& meta, uint8_t* record);
// False (and *meta reset to empty) if the record is blank, torn or from another layout.
bool flash_meta_decode(const uint8_t* record, FlashMeta* meta);

}  // namespace tt
