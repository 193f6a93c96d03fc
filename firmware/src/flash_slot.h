// Slot 1: blobs kept in a FlashStore across resets. The committed blob stays in its bank while an
// upload is programmed into the other bank; only COMMIT switches banks, by saving the metadata
// record. The pending upload's progress is saved whenever it crosses a sector boundary, so after a
// reset it resumes from the last whole sector (the sector there is erased again before reuse).
#pragma once

#include <stdint.h>

#include "flash_meta.h"
#include "flash_store.h"

namespace tt {

class FlashSlot {
 public:
  // `store` may be null (a board without flash). Loads the metadata record; inconsistent parts of
  // it are ignored. Returns false if the store's geometry is unusable (the slot is then
  // unavailable).
  bool init(FlashStore* store);
  bool available() const { return store_ != nullptr; }
  uint32_t capacity() const { return bank_bytes_; }  // largest blob; 0 without flash
  const FlashMeta& meta() const { return meta_; }

  // Read views (null when there is no such blob).
  const uint8_t* committed_view() const;
  const uint8_t* pending_view() const;

  // Starts a pending upload in the bank not holding the committed blob (replacing any pending one).
  bool start(uint32_t total_len, uint32_t blob_crc);
  // Programs bytes [offset, offset + len) of the pending upload. `offset` must be where the
  // previous append ended (or the resume offset); sectors are erased as writing enters them.
  bool append(uint32_t offset, const uint8_t* data, uint32_t len);
  // Makes every append so far readable through pending_view().
  bool sync() { return store_ != nullptr && store_->flush(); }
  // Makes the pending bank the committed one; on failure the old metadata stays in force.
  bool commit();
  // Forgets the pending upload.
  bool discard();

 private:
  bool save();
  void clear_pending();  // no pending upload (pending_bank is left as it is)

  FlashStore* store_ = nullptr;
  FlashMeta meta_;
  uint32_t bank_bytes_ = 0;
  uint32_t sector_bytes_ = 0;
};

}  // namespace tt
