// Flash storage on Arduino's Mbed OS cores (arduino:mbed_nano Nano 33 BLE, arduino:mbed_rp2040
// Pico): mbed::FlashIAP over the last `region` bytes of the internal flash, driving
// PagedFlashStore. FlashIAP (Mbed OS API reference, "Flash IAP"; drivers/FlashIAP.h): init() once
// per object; erase(addr, size) takes sector-aligned whole sectors; program(buffer, addr, size)
// takes page-aligned addresses and sizes that are multiples of get_page_size(), on erased sectors;
// get_sector_size(addr) may differ by address; addresses are absolute (get_flash_start() based).
// The flash is memory-mapped at those addresses on both chips (nRF52840 code flash from 0x0,
// RP2040 XIP window from 0x10000000), which gives the banks' read view.
//
// Region: the top of the flash. The Arduino bootloader sits below the sketch (nRF52840: 0x0 to
// 0x10000, variants/ARDUINO_NANO33BLE linker_script.ld FLASH ORIGIN 0x10200 after the 0x200
// header); Mbed's KVStore TDB_INTERNAL, if a sketch ever starts it, defaults to the sectors right
// after the application (Mbed OS storage configuration docs), so a region at the very end only
// collides with the sketch itself: begin() refuses a region below FLASHIAP_APP_ROM_END_ADDR
// (FlashIAP.h's end of .text/.rodata/.data image for GCC builds).
#pragma once

#include <Arduino.h>
#include <mbed.h>

#include "flash_store_paged.h"

namespace ttboard {

class FlashIapDriver {
 public:
  // Claims [flash end - region_bytes, flash end), rounded to sectors. False if FlashIAP fails, the
  // sectors there are not uniform, or the region would reach into the sketch.
  bool begin(uint32_t region_bytes) {
    if (!initialized_) {
      if (iap_.init() != 0) return false;
      initialized_ = true;
    }
    const uint32_t start = iap_.get_flash_start();
    const uint32_t size = iap_.get_flash_size();
    if (region_bytes == 0 || region_bytes > size) return false;
    const uint32_t end = start + size;
    sector_ = iap_.get_sector_size(end - 1);
    if (sector_ == 0 || (sector_ & (sector_ - 1)) != 0) return false;
    base_ = (end - region_bytes) & ~(sector_ - 1);
    if (iap_.get_sector_size(base_) != sector_) return false;
#ifdef FLASHIAP_APP_ROM_END_ADDR
    if (base_ < static_cast<uint32_t>(FLASHIAP_APP_ROM_END_ADDR)) return false;
#endif
    region_ = end - base_;
    page_ = iap_.get_page_size();
    return true;
  }
  uint32_t region_bytes() const { return region_; }
  uint32_t sector_bytes() const { return sector_; }
  uint32_t page_bytes() const { return page_; }

  bool erase_sector(uint32_t offset) { return iap_.erase(base_ + offset, sector_) == 0; }
  bool program(uint32_t offset, const uint8_t* data, uint32_t len) {
    return iap_.program(data, base_ + offset, len) == 0;
  }
  const uint8_t* view() const {
    return reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(base_));
  }

 private:
  mbed::FlashIAP iap_;
  bool initialized_ = false;
  uint32_t base_ = 0;
  uint32_t region_ = 0;
  uint32_t sector_ = 0;
  uint32_t page_ = 0;
};

// The board's one store: two banks of at most max_bank_bytes plus two metadata sectors, the region
// sized for sectors of `sector_bytes` (4 KiB on both chips; the driver reads the real size). Each
// call starts over from what the flash holds (what a reset does); the sketch calls it once, in
// setup(). Null: RAM-only models.
inline tt::FlashStore* mbed_flash_store(uint32_t max_bank_bytes, uint32_t sector_bytes) {
  static FlashIapDriver driver;
  static PagedFlashStore<FlashIapDriver, 256> store(driver);
  if (!driver.begin(2 * max_bank_bytes + 2 * sector_bytes)) return nullptr;
  if (!store.begin(driver.region_bytes(), driver.sector_bytes(), driver.page_bytes(),
                   max_bank_bytes)) {
    return nullptr;
  }
  return &store;
}

}  // namespace ttboard
