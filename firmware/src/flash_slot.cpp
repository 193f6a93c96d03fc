#include "flash_slot.h"

namespace tt {

bool FlashSlot::init(FlashStore* store) {
  store_ = nullptr;
  meta_ = FlashMeta();
  bank_bytes_ = 0;
  sector_bytes_ = 0;
  if (store == nullptr) return true;
  const uint32_t bank = store->bank_bytes();
  const uint32_t sector = store->sector_bytes();
  if (bank == 0 || sector == 0 || (sector & (sector - 1)) != 0 || (bank & (sector - 1)) != 0)
    return false;
  store_ = store;
  bank_bytes_ = bank;
  sector_bytes_ = sector;

  uint8_t record[kFlashMetaBytes];
  if (!store->load_meta(record) || !flash_meta_decode(record, &meta_)) return true;  // blank flash
  // Keep the parts of the record that are consistent; forget the others.
  if (!meta_.committed || meta_.committed_len > bank) {
    meta_.committed = false;
    meta_.committed_bank = 0;
    meta_.committed_len = 0;
    meta_.committed_crc = 0;
  }
  const bool bank_free = !meta_.committed || meta_.pending_bank != meta_.committed_bank;
  const uint32_t next = meta_.pending_next;
  const bool next_ok =
      next <= meta_.pending_len && ((next & (sector - 1)) == 0 || next == meta_.pending_len);
  if (!meta_.pending || !bank_free || meta_.pending_len > bank || !next_ok) {
    clear_pending();
    meta_.pending_bank = 0;
  }
  return true;
}

const uint8_t* FlashSlot::committed_view() const {
  return meta_.committed ? store_->bank_view(meta_.committed_bank) : nullptr;
}

const uint8_t* FlashSlot::pending_view() const {
  return meta_.pending ? store_->bank_view(meta_.pending_bank) : nullptr;
}

bool FlashSlot::save() {
  uint8_t record[kFlashMetaBytes];
  flash_meta_encode(meta_, record);
  return store_->save_meta(record);
}

bool FlashSlot::start(uint32_t total_len, uint32_t blob_crc) {
  if (store_ == nullptr || total_len > bank_bytes_) return false;
  meta_.pending = true;
  meta_.pending_bank = meta_.committed ? static_cast<uint8_t>(1u - meta_.committed_bank) : 0;
  meta_.pending_len = total_len;
  meta_.pending_crc = blob_crc;
  meta_.pending_next = 0;
  return save();
}

bool FlashSlot::append(uint32_t offset, const uint8_t* data, uint32_t len) {
  if (!meta_.pending || offset > meta_.pending_len || len > meta_.pending_len - offset)
    return false;
  const uint32_t end = offset + len;
  for (uint32_t at = offset; at < end;) {
    // Writes only ever move forward, so a sector is entered exactly at its first byte.
    // sector_bytes_ is a power of two (init), so the sector arithmetic is masking.
    const uint32_t in_sector = at & (sector_bytes_ - 1u);
    if (in_sector == 0 && !store_->erase_sector(meta_.pending_bank, at)) return false;
    const uint32_t sector_end = at - in_sector + sector_bytes_;
    const uint32_t stop = end < sector_end ? end : sector_end;
    if (!store_->program(meta_.pending_bank, at, data + (at - offset), stop - at)) return false;
    at = stop;
  }
  // Persist progress at whole sectors (and at the very end) so a reset resumes with little loss and
  // the metadata record is written about once per sector, not per chunk.
  const uint32_t saved = end == meta_.pending_len ? end : end & ~(sector_bytes_ - 1u);
  if (saved > meta_.pending_next) {
    if (!store_->flush()) return false;
    const uint32_t before = meta_.pending_next;
    meta_.pending_next = saved;
    if (!save()) {
      meta_.pending_next = before;
      return false;
    }
  }
  return true;
}

bool FlashSlot::commit() {
  if (!meta_.pending || !store_->flush()) return false;
  const FlashMeta before = meta_;
  meta_.committed = true;
  meta_.committed_bank = meta_.pending_bank;
  meta_.committed_len = meta_.pending_len;
  meta_.committed_crc = meta_.pending_crc;
  clear_pending();
  if (!save()) {
    meta_ = before;
    return false;
  }
  return true;
}

bool FlashSlot::discard() {
  if (!meta_.pending) return true;
  clear_pending();
  return save();
}

void FlashSlot::clear_pending() {
  meta_.pending = false;
  meta_.pending_len = 0;
  meta_.pending_crc = 0;
  meta_.pending_next = 0;
}

}  // namespace tt
