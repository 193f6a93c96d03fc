// A tt::FlashStore over the three primitives internal (or XIP) flash offers: erase a sector,
// program whole pages, read through the memory map. Shared by board_nrf52840.h, board_rp2040.h and
// board_esp32.h; the host test firmware/tests/sketches/ runs it on simulated flash that enforces
// those rules.
//
// Region layout (offsets from the region start, which must be sector-aligned):
//   [0, sector)             metadata sector A
//   [sector, 2 * sector)    metadata sector B
//   [2 * sector, ...)       bank 0, then bank 1 (bank_bytes each, whole sectors)
//
// Banks: the core programs each byte once after erasing its sector, in increasing offsets with
// arbitrary lengths, and calls flush() whenever it saves progress (flash_store.h, flash_slot.cpp),
// which can be in the middle of a page. Runs of whole pages go to flash straight from the caller's
// buffer; the bytes of a partial page wait in a RAM buffer until the page is complete or flush()
// writes them. A page flushed early is programmed a second time when it completes, with 0xFF
// (leave as is) in place of the bytes already written: only erased bytes ever receive data, and a
// page (nRF52840: a 32-bit word, written at most nWRITE = 2 times between erases, nRF52840 Product
// Specification, NVMC) is programmed at most twice per erase: the core saves progress once per
// sector crossed and once at the end.
//
// Metadata: a log of slots in the two metadata sectors, each slot one or more whole pages holding
// {u32 sequence, 32-byte record, u32 CRC-32 of those 36 bytes}. save_meta programs the next blank
// slot after the newest record; when its sector is full it erases the other sector and starts
// there. The newest valid record is never erased or overwritten, so a reset at any moment leaves
// it (or the one just saved) readable; a torn slot fails its CRC and is skipped. Logging instead
// of rewriting keeps erases rare: an upload saves about one record per bank sector, and the
// nRF52840's flash is rated for 10 000 erase cycles (nRF52840 Product Specification, NVMC).
//
// The driver (a template parameter, no virtual calls) supplies, with offsets from the region start:
//   bool erase_sector(uint32_t offset);                            // one sector, aligned
//   bool program(uint32_t offset, const uint8_t* data, uint32_t len);  // whole pages, aligned
//   const uint8_t* view();                                         // the region, memory-mapped
// `data` passed to program() is in RAM (never in the flash being written).
#pragma once

#include <TinyTwin.h>
#include <stdint.h>
#include <string.h>

namespace ttboard {

template <class Driver, uint32_t kMaxPage>
class PagedFlashStore final : public tt::FlashStore {
 public:
  explicit PagedFlashStore(Driver& driver) : driver_(driver) {}

  // Sets the geometry and forgets all RAM state (what a reset does). Banks take what the region
  // leaves after the two metadata sectors, split in two, at most max_bank_bytes each. False if the
  // geometry is unusable (then the board runs with RAM-only models).
  bool begin(uint32_t region_bytes, uint32_t sector_bytes, uint32_t page_bytes,
             uint32_t max_bank_bytes) {
    bank_bytes_ = 0;
    open_ = false;
    dirty_ = false;
    if (!is_pow2(sector_bytes) || !is_pow2(page_bytes) || page_bytes > kMaxPage ||
        page_bytes > sector_bytes || region_bytes < 4 * sector_bytes) {
      return false;
    }
    sector_ = sector_bytes;
    page_ = page_bytes;
    slot_bytes_ = (kSlotBody + 4 + page_ - 1) / page_ * page_;
    if (slot_bytes_ > sector_) return false;
    uint32_t bank = (region_bytes - 2 * sector_) / 2;
    if (bank > max_bank_bytes) bank = max_bank_bytes;
    bank -= bank % sector_;
    if (bank == 0) return false;
    bank_bytes_ = bank;
    return true;
  }

  // Bytes of the region this store uses (metadata sectors and both banks).
  uint32_t used_bytes() const { return 2 * sector_ + 2 * bank_bytes_; }

  uint32_t bank_bytes() override { return bank_bytes_; }
  uint32_t sector_bytes() override { return sector_; }

  bool erase_sector(uint8_t bank, uint32_t offset) override {
    if (bank > 1 || offset % sector_ != 0 || offset >= bank_bytes_) return false;
    if (open_ && open_bank_ == bank && open_page_ / sector_ == offset / sector_) {
      open_ = false;
      dirty_ = false;
    }
    return driver_.erase_sector(bank_at(bank) + offset);
  }

  bool program(uint8_t bank, uint32_t offset, const uint8_t* data, uint32_t len) override {
    if (bank > 1 || offset > bank_bytes_ || len > bank_bytes_ - offset) return false;
    while (len > 0) {
      const uint32_t page_at = offset - offset % page_;
      const uint32_t in_page = offset - page_at;
      if (open_ && (open_bank_ != bank || open_page_ != page_at)) {
        if (!write_open()) return false;
        open_ = false;
      }
      if (!open_ && in_page == 0 && len >= page_) {
        const uint32_t n = len - len % page_;  // whole pages, no copy
        if (!driver_.program(bank_at(bank) + offset, data, n)) return false;
        data += n;
        offset += n;
        len -= n;
        continue;
      }
      if (!open_) {
        memset(buf_, 0xFF, page_);  // 0xFF: bytes this page does not change
        open_ = true;
        open_bank_ = bank;
        open_page_ = page_at;
        fill_ = in_page;
      }
      if (in_page < fill_) return false;  // bytes already given: each byte is programmed once
      const uint32_t n = page_ - in_page < len ? page_ - in_page : len;
      memcpy(buf_ + in_page, data, n);
      fill_ = in_page + n;
      dirty_ = true;
      data += n;
      offset += n;
      len -= n;
      if (fill_ == page_) {
        if (!write_open()) return false;
        open_ = false;
      }
    }
    return true;
  }

  bool flush() override { return !open_ || write_open(); }

  const uint8_t* bank_view(uint8_t bank) override { return driver_.view() + bank_at(bank); }

  bool load_meta(uint8_t* record) override {
    const Scan s = scan();
    if (s.newest_sector < 0) return false;
    memcpy(record, slot_ptr(s.newest_sector, s.newest_slot) + 4, tt::kFlashMetaBytes);
    return true;
  }

  bool save_meta(const uint8_t* record) override {
    const Scan s = scan();
    const uint32_t slots = sector_ / slot_bytes_;
    int sector = 0;
    uint32_t slot = 0;
    uint32_t seq = 1;
    if (s.newest_sector >= 0) {
      sector = s.newest_sector;
      seq = s.newest_seq + 1;
      slot = static_cast<uint32_t>(s.last_used[sector] + 1);
    } else {
      slot = static_cast<uint32_t>(s.last_used[0] + 1);  // sector A, after any torn slots
    }
    if (slot >= slots) {
      // Full: continue in the other sector (without a valid record, start sector A afresh).
      if (s.newest_sector >= 0) sector = 1 - sector;
      slot = 0;
      if (!driver_.erase_sector(static_cast<uint32_t>(sector) * sector_)) return false;
    }
    alignas(4) uint8_t p[kMaxPage];
    uint32_t done = 0;
    uint8_t body[kSlotBody + 4];
    put_u32(body, seq);
    memcpy(body + 4, record, tt::kFlashMetaBytes);
    put_u32(body + kSlotBody, crc32(body, kSlotBody));
    const uint32_t at = static_cast<uint32_t>(sector) * sector_ + slot * slot_bytes_;
    while (done < slot_bytes_) {
      memset(p, 0xFF, page_);
      for (uint32_t i = 0; i < page_; ++i) {
        if (done + i < sizeof body) p[i] = body[done + i];
      }
      if (!driver_.program(at + done, p, page_)) return false;
      done += page_;
    }
    return true;
  }

 private:
  static constexpr uint32_t kSlotBody = 4 + tt::kFlashMetaBytes;  // sequence + record

  struct Scan {
    int newest_sector = -1;
    uint32_t newest_slot = 0;
    uint32_t newest_seq = 0;
    int32_t last_used[2] = {-1, -1};  // highest slot index that is not blank, per sector
  };

  static bool is_pow2(uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }
  static void put_u32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
  }
  static uint32_t get_u32(const uint8_t* p) {
    return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
           static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
  }
  // CRC-32 (IEEE, reflected), bitwise: small, and only ever run over 36 bytes.
  static uint32_t crc32(const uint8_t* p, uint32_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < n; ++i) {
      c ^= p[i];
      for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
  }

  uint32_t bank_at(uint8_t bank) const { return 2 * sector_ + bank * bank_bytes_; }
  const uint8_t* slot_ptr(int sector, uint32_t slot) {
    return driver_.view() + static_cast<uint32_t>(sector) * sector_ + slot * slot_bytes_;
  }

  Scan scan() {
    Scan s;
    const uint32_t slots = sector_ / slot_bytes_;
    for (int sector = 0; sector < 2; ++sector) {
      for (uint32_t i = 0; i < slots; ++i) {
        const uint8_t* p = slot_ptr(sector, i);
        bool blank = true;
        for (uint32_t b = 0; b < slot_bytes_ && blank; ++b) blank = p[b] == 0xFF;
        if (blank) continue;
        s.last_used[sector] = static_cast<int32_t>(i);
        if (crc32(p, kSlotBody) != get_u32(p + kSlotBody)) continue;  // torn or foreign
        const uint32_t seq = get_u32(p);
        if (s.newest_sector < 0 || static_cast<int32_t>(seq - s.newest_seq) > 0) {
          s.newest_sector = sector;
          s.newest_slot = i;
          s.newest_seq = seq;
        }
      }
    }
    return s;
  }

  // Programs the open page's bytes not written yet; the buffer then holds 0xFF in their place.
  bool write_open() {
    if (!dirty_) return true;
    dirty_ = false;
    if (!driver_.program(bank_at(open_bank_) + open_page_, buf_, page_)) return false;
    memset(buf_, 0xFF, fill_);
    return true;
  }

  Driver& driver_;
  uint32_t bank_bytes_ = 0;
  uint32_t sector_ = 0;
  uint32_t page_ = 0;
  uint32_t slot_bytes_ = 0;
  bool open_ = false;   // buf_ holds page open_page_ of bank open_bank_, given up to fill_
  bool dirty_ = false;  // buf_ has bytes not programmed yet
  uint8_t open_bank_ = 0;
  uint32_t open_page_ = 0;
  uint32_t fill_ = 0;
  alignas(16) uint8_t buf_[kMaxPage];
};

}  // namespace ttboard
