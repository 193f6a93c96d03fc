#include "flash_meta.h"

#include <stddef.h>
#include <string.h>

#include "crc32.h"
#include "wire.h"

namespace tt {

namespace {
constexpr uint32_t kMagic = 0x4D465454u;  // "TTFM" read little-endian
constexpr uint8_t kVersion = 1;
constexpr uint8_t kFlagCommitted = 0x01;
constexpr uint8_t kFlagPending = 0x02;
constexpr uint32_t kCrcAt = kFlashMetaBytes - 4;

// The five u32 fields are consecutive in FlashMeta, in the record's order, and every target is
// little-endian (model_format.h): one copy of their bytes each way.
constexpr uint32_t kFieldsAt = 8;
constexpr uint32_t kFieldsBytes = 20;
static_assert(offsetof(FlashMeta, committed_crc) == offsetof(FlashMeta, committed_len) + 4 &&
                  offsetof(FlashMeta, pending_len) == offsetof(FlashMeta, committed_len) + 8 &&
                  offsetof(FlashMeta, pending_crc) == offsetof(FlashMeta, committed_len) + 12 &&
                  offsetof(FlashMeta, pending_next) == offsetof(FlashMeta, committed_len) + 16,
              "FlashMeta's u32 fields must be consecutive, in the record's order");
uint8_t* fields(FlashMeta* meta) {
  return reinterpret_cast<uint8_t*>(meta) + offsetof(FlashMeta, committed_len);
}

}  // namespace

void flash_meta_encode(const FlashMeta& meta, uint8_t* record) {
  store_u32(record, kMagic);
  record[4] = kVersion;
  record[5] = static_cast<uint8_t>((meta.committed ? kFlagCommitted : 0) |
                                   (meta.pending ? kFlagPending : 0));
  record[6] = meta.committed_bank;
  record[7] = meta.pending_bank;
  memcpy(record + kFieldsAt, fields(const_cast<FlashMeta*>(&meta)), kFieldsBytes);
  store_u32(record + kCrcAt, crc32(record, kCrcAt));
}

bool flash_meta_decode(const uint8_t* record, FlashMeta* meta) {
  *meta = FlashMeta();
  if (load_u32(record) != kMagic || record[4] != kVersion) return false;
  if (crc32(record, kCrcAt) != load_u32(record + kCrcAt)) return false;
  if ((record[5] & ~(kFlagCommitted | kFlagPending)) != 0) return false;
  if (record[6] > 1 || record[7] > 1) return false;
  meta->committed = (record[5] & kFlagCommitted) != 0;
  meta->pending = (record[5] & kFlagPending) != 0;
  meta->committed_bank = record[6];
  meta->pending_bank = record[7];
  memcpy(fields(meta), record + kFieldsAt, kFieldsBytes);
  return true;
}

}  // namespace tt
