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
  if (bank == 0 || sector == 0 || (sector & (sector - 1)) != 0 || bank % sector != 0) return false;
  store_ = store;
  bank_bytes_ = bank;
  sector_bytes_ = sector;

  uint8_t record[kFlashMetaBytes];
  FlashMeta m;
  if (!store->load_meta(record) || !flash_meta_decode(record, &m)) return true;  // blank flash
  if (m.committed && m.committed_len <= bank) {
    meta_.committed = true;
    meta_.committed_bank = m.committed_bank;
    meta_.committed_len = m.committed_len;
    meta_.committed_crc = m.committed_crc;
  }
  const bool bank_free = !meta_.committed || m.pending_bank != meta_.committed_bank;
  const bool next_ok = m.pending_next <= m.pending_len &&
                       (m.pending_next % sector == 0 || m.pending_next == m.pending_len);
  if (m.pending && bank_free && m.pending_len <= bank && next_ok) {
    meta_.pending = true;
    meta_.pending_bank = m.pending_bank;
    meta_.pending_len = m.pending_len;
    meta_.pending_crc = m.pending_crc;
    meta_.pending_next = m.pending_next;
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
    if (at % sector_bytes_ == 0 && !store_->erase_sector(meta_.pending_bank, at)) return false;
    const uint32_t sector_end = (at / sector_bytes_ + 1u) * sector_bytes_;
    const uint32_t stop = end < sector_end ? end : sector_end;
    if (!store_->program(meta_.pending_bank, at, data + (at - offset), stop - at)) return false;
    at = stop;
  }
  // Persist progress at whole sectors (and at the very end) so a reset resumes with little loss and
  // the metadata record is written about once per sector, not per chunk.
  const uint32_t saved = end == meta_.pending_len ? end : end - end % sector_bytes_;
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
  meta_.pending = false;
  meta_.pending_len = 0;
  meta_.pending_crc = 0;
  meta_.pending_next = 0;
  if (!save()) {
    meta_ = before;
    return false;
  }
  return true;
}

bool FlashSlot::discard() {
  if (!meta_.pending) return true;
  meta_.pending = false;
  meta_.pending_len = 0;
  meta_.pending_crc = 0;
  meta_.pending_next = 0;
  return save();
}

}  // namespace tt
