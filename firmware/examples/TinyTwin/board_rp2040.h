// RP2040 boards (dual Cortex-M0+ 133 MHz, 264 KiB RAM, 2-16 MiB QSPI flash) on either core:
//   Arduino-Pico (earlephilhower, package rp2040:rp2040): Raspberry Pi Pico
//   (rp2040:rp2040:rpipico),
//     SparkFun Thing Plus RP2040 (rp2040:rp2040:sparkfun_thingplusrp2040), ...
//   Arduino Mbed OS RP2040 (arduino:mbed_rp2040:pico) and the Nano RP2040 Connect
//     (arduino:mbed_nano:nanorp2040connect).
// Both define ARDUINO_ARCH_RP2040 (the Mbed core through compiler.mbed.arch.define in its
// boards.txt); only the Mbed core defines ARDUINO_ARCH_MBED (its platform.txt recipes).
//
// Serial: `Serial` is the native USB CDC port on both cores; the baud rate is ignored. Requests are
// read only while the host holds DTR (serial_usb.h).
//
// RAM (264 KiB):
//   192 KiB  model pool (the profile "rp2040", board_profiles.h)
//     2 KiB  RX + TX frame buffers (2 x 1034 bytes)
//   ~70 KiB  left for the core: Arduino-Pico's stacks (core 0 in the 4 KiB scratch bank plus the
//            main-RAM stack, core 1 only if a sketch starts it), TinyUSB, .data/.bss and heap; on
//            the Mbed core the 32 KiB main-thread stack and Mbed OS itself come out of this too.
//
// Flash (survives power cycles), two banks of up to 508 KiB (the profile's kFlashBankBytes) plus
// two 4 KiB metadata sectors: exactly 1 MiB, so the banks are the profile's on either core and with
// any file system of 1 MiB or more.
//   Arduino-Pico: the filesystem area [_FS_start, _FS_end) that the Tools > Flash Size menu
//   reserves
//     (layout: sketch | file system | EEPROM sector, arduino-pico docs "File Systems"). Pick a size
//     with at least 1 MiB of FS, e.g. "2MB (Sketch: 1MB, FS: 1MB)" or "2MB (Sketch: 512KB, FS:
//     1536KB)"; a smaller FS gives smaller banks; no FS means RAM-only models. Do not use LittleFS
//     in the same sketch: this store owns that area. Erase/program use the pico-sdk's
//     flash_range_erase / flash_range_program (hardware/flash.h: offsets from the start of flash,
//     i.e. address - XIP_BASE; erase in FLASH_SECTOR_SIZE 4096, program in FLASH_PAGE_SIZE 256),
//     which must run with interrupts off and the other core kept out of flash:
//     save_and_disable_interrupts() (hardware/sync.h) and rp2040.idleOtherCore() /
//     resumeOtherCore(), as Arduino-Pico's own EEPROM library does (libraries/EEPROM/src/EEPROM.cpp
//     commit()). USB NAKs the host meanwhile.
//   Mbed core: the top 1 MiB of the flash through mbed::FlashIAP (flash_mbed.h), which calls
//     the same pico-sdk functions inside a critical section; Mbed runs on core 0 only.
//
// LED: LED_BUILTIN (GPIO25 on the Pico and the Thing Plus; -1 if the variant has none).
#pragma once

#include <Arduino.h>

#include "board_profiles.h"
#include "flash_store_paged.h"
#include "serial_usb.h"

#if defined(ARDUINO_ARCH_MBED)
#include "flash_mbed.h"
#else
#include <hardware/flash.h>
#include <hardware/regs/addressmap.h>
#include <hardware/sync.h>

// Linker symbols of Arduino-Pico's memmap: the file system area (LittleFS declares them as single
// bytes; declared as arrays of unknown size here so GCC's -Warray-bounds lets the store read past
// the first byte).
extern "C" uint8_t _FS_start[];
extern "C" uint8_t _FS_end[];
#endif

namespace ttboard {

namespace profile = ttprofile::rp2040;
constexpr const char* kName = profile::kName;
constexpr uint32_t kCpuHz = profile::kCpuHz;
constexpr uint32_t kPoolBytes = profile::kPoolBytes;
constexpr uint32_t kMaxPayload = profile::kMaxPayload;
constexpr uint8_t kWindow = profile::kWindow;
#if defined(LED_BUILTIN)
constexpr int kLedPin = LED_BUILTIN;
#else
constexpr int kLedPin = -1;
#endif
constexpr uint32_t kFlashBankBytes = profile::kFlashBankBytes;
constexpr uint32_t kFlashSectorBytes = 4096;
static_assert(2 * kFlashBankBytes + 2 * kFlashSectorBytes == 1024 * 1024,
              "the store (two banks, two metadata sectors) fills a 1 MiB file system exactly");

inline void serial_begin() { Serial.begin(115200); }
inline bool serial_ready() { return usb_dtr_ready(Serial); }
inline uint32_t serial_read(uint8_t* buf, uint32_t cap) { return stream_read(Serial, buf, cap); }
inline void serial_write(const uint8_t* data, uint32_t len) { Serial.write(data, len); }

#if defined(ARDUINO_ARCH_MBED)

inline tt::FlashStore* flash_store() {
  return mbed_flash_store(kFlashBankBytes, kFlashSectorBytes);
}

#else

// The file system area through the pico-sdk flash functions.
class PicoFlashDriver {
 public:
  uint32_t region_bytes() const {
    return static_cast<uint32_t>(_FS_end - _FS_start) & ~(FLASH_SECTOR_SIZE - 1u);
  }
  bool erase_sector(uint32_t offset) {
    const uint32_t at = flash_offset(offset);
    const uint32_t irq = save_and_disable_interrupts();
    rp2040.idleOtherCore();
    flash_range_erase(at, FLASH_SECTOR_SIZE);
    rp2040.resumeOtherCore();
    restore_interrupts(irq);
    return true;  // the pico-sdk functions report nothing
  }
  bool program(uint32_t offset, const uint8_t* data, uint32_t len) {
    const uint32_t at = flash_offset(offset);
    const uint32_t irq = save_and_disable_interrupts();
    rp2040.idleOtherCore();
    flash_range_program(at, data, len);
    rp2040.resumeOtherCore();
    restore_interrupts(irq);
    return true;
  }
  const uint8_t* view() const { return _FS_start; }

 private:
  static uint32_t flash_offset(uint32_t offset) {
    return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(_FS_start) - XIP_BASE) + offset;
  }
};

// Each call starts over from what the flash holds (what a reset does); the sketch calls it once, in
// setup(). Null (RAM-only models) when the Flash Size menu reserves too small a file system.
inline tt::FlashStore* flash_store() {
  static PicoFlashDriver driver;
  static PagedFlashStore<PicoFlashDriver, FLASH_PAGE_SIZE> store(driver);
  if ((reinterpret_cast<uintptr_t>(_FS_start) & (FLASH_SECTOR_SIZE - 1u)) != 0) return nullptr;
  if (!store.begin(driver.region_bytes(), FLASH_SECTOR_SIZE, FLASH_PAGE_SIZE, kFlashBankBytes)) {
    return nullptr;
  }
  return &store;
}

#endif

}  // namespace ttboard
