#include "flash_meta.h"

#include <string.h>

#include "crc32.h"
#include "wire.h"

namespace tt {

namespace {
const uint8_t kMagic[4] = {'T', 'T', 'F', 'M'};
constexpr uint8_t kVersion = 1;
constexpr uint8_t kFlagCommitted = 0x01;
constexpr uint8_t kFlagPending = 0x02;
constexpr uint32_t kCrcAt = kFlashMetaBytes - 4;
}  // namespace

void flash_meta_encode(const FlashMeta& meta, uint8_t* record) {
  memset(record, 0, kFlashMetaBytes);
  memcpy(record, kMagic, sizeof kMagic);
  record[4] = kVersion;
  record[5] = static_cast<uint8_t>((meta.committed ? kFlagCommitted : 0) |
                                   (meta.pending ? kFlagPending : 0));
  record[6] = meta.committed_bank;
  record[7] = meta.pending_bank;
  store_u32(record + 8, meta.committed_len);
  store_u32(record + 12, meta.committed_crc);
  store_u32(record + 16, meta.pending_len);
  store_u32(record + 20, meta.pending_crc);
  store_u32(record + 24, meta.pending_next);
  store_u32(record + kCrcAt, crc32(record, kCrcAt));
}

bool flash_meta_decode(const uint8_t* record, FlashMeta* meta) {
  *meta = FlashMeta();
  if (memcmp(record, kMagic, sizeof kMagic) != 0 || record[4] != kVersion) return false;
  if (crc32(record, kCrcAt) != load_u32(record + kCrcAt)) return false;
  if ((record[5] & ~(kFlagCommitted | kFlagPending)) != 0) return false;
  if (record[6] > 1 || record[7] > 1) return false;
  meta->committed = (record[5] & kFlagCommitted) != 0;
  meta->pending = (record[5] & kFlagPending) != 0;
  meta->committed_bank = record[6];
  meta->pending_bank = record[7];
  meta->committed_len = load_u32(record + 8);
  meta->committed_crc = load_u32(record + 12);
  meta->pending_len = load_u32(record + 16);
  meta->pending_crc = load_u32(record + 20);
  meta->pending_next = load_u32(record + 24);
  return true;
}

}  // namespace tt
