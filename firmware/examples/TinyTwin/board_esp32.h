// ESP32 and ESP32-S3 on the Arduino-ESP32 core (package esp32:esp32): ESP32 Dev Module
// (esp32:esp32:esp32), ESP32-S3 Dev Module (esp32:esp32:esp32s3) and boards like them.
//
// Serial:
//   ESP32, and ESP32-S3 with "USB CDC On Boot: Disabled": `Serial` is UART0 behind the board's
//     USB-serial bridge, at kBaud (115200, the app's default line speed). Flash erases stop the
//     CPU's flash cache and with it every interrupt handler not in IRAM, the UART's included
//     (ESP-IDF SPI Flash API docs, "Concurrency Constraints"), so bytes arriving meanwhile could
//     overflow the 128-byte UART FIFO: the window is 1, so the client sends the next CHUNK only
//     after the previous one (and its erase) is answered.
//   ESP32-S3 with "USB CDC On Boot: Enabled" (ARDUINO_USB_CDC_ON_BOOT=1): `Serial` is the chip's
//     native USB (HWCDC or TinyUSB CDC); USB NAKs the host while flash is busy, so the window is 4.
//     Requests are read only while the host holds DTR (serial_usb.h).
//
// RAM:
//   ESP32 (520 KiB SRAM, 320 KiB of it DRAM): statically allocated DRAM is limited to 160 KiB
//     (ESP-IDF Programming Guide, "Heap Memory Allocation": the rest is heap only), and the
//     Arduino core's own .data/.bss take ~20-25 KiB of that, so the pool is 112 KiB (the profile
//     "esp32"), not the S3's 160 KiB: 112 + 2 (frames) + ~25 leaves ~20 KiB of slack under the
//     limit. The loop task's 8 KiB stack and the core's buffers come from the heap.
//   ESP32-S3 (512 KiB SRAM, static DRAM not limited that way): 160 KiB pool + 2 KiB frames; the
//     rest (~300 KiB) stays heap for the core, FreeRTOS and USB. Reported as "esp32s3" (the
//     profile of the native-USB build; the UART build has the same RAM but window 1).
//
// Flash (survives power cycles): the first data partition of subtype "spiffs" — in the default
// partition table (tools/partitions/default.csv: nvs, otadata, app0, app1, spiffs 0x160000 at
// 0x290000, coredump) that is 1.375 MiB nobody uses unless the sketch mounts SPIFFS/LittleFS.
// This store takes two banks of up to 512 KiB (the profiles' kFlashBankBytes) plus two 4 KiB
// metadata sectors from its start, through esp_partition_erase_range / esp_partition_write (offsets
// inside the partition; erase in 4 KiB sectors) and reads it through esp_partition_mmap (ESP-IDF
// "Partitions API"). Schemes without a spiffs partition ("Huge APP", "No FS") mean RAM-only models;
// a smaller one gives smaller banks.
//
// LED: LED_BUILTIN where the variant defines one (GPIO2 on many ESP32 boards; an RGB pixel on some
// S3 boards, where digitalWrite drives it white/off); -1 otherwise.
#pragma once

#include <Arduino.h>
#include <esp_idf_version.h>
#include <esp_partition.h>

#include "board_profiles.h"
#include "flash_store_paged.h"
#include "serial_usb.h"

namespace ttboard {

// Name, clock, pool, frames and flash banks: the profile "esp32" or "esp32s3" (board_profiles.h,
// generated from src/lib/model/fit/board-profiles.ts). The window: see Serial above.
#if defined(CONFIG_IDF_TARGET_ESP32S3)
namespace profile = ttprofile::esp32s3;
#else
namespace profile = ttprofile::esp32;
#endif
constexpr const char* kName = profile::kName;
constexpr uint32_t kPoolBytes = profile::kPoolBytes;
constexpr uint32_t kCpuHz = profile::kCpuHz;
constexpr uint32_t kMaxPayload = profile::kMaxPayload;
constexpr uint32_t kBaud = 115200;
#if defined(LED_BUILTIN)
constexpr int kLedPin = LED_BUILTIN;
#else
constexpr int kLedPin = -1;
#endif
constexpr uint32_t kFlashBankBytes = profile::kFlashBankBytes;
constexpr uint32_t kFlashSectorBytes = 4096;  // SPI NOR sector, esp_partition_erase_range's unit
// Write unit for the store's page buffer: esp_partition_write takes any offset and length without
// flash encryption (with it, 16-byte blocks written once: not supported, since a page flushed early
// is programmed twice, see flash_store_paged.h).
constexpr uint32_t kFlashPageBytes = 16;

#if defined(CONFIG_IDF_TARGET_ESP32S3) && defined(ARDUINO_USB_CDC_ON_BOOT) && \
    ARDUINO_USB_CDC_ON_BOOT
constexpr uint8_t kWindow = profile::kWindow;
inline void serial_begin() { Serial.begin(kBaud); }
inline bool serial_ready() { return usb_dtr_ready(Serial); }
#else
// Over the UART the window is the profile "esp32"'s, whichever chip.
constexpr uint8_t kWindow = ttprofile::esp32::kWindow;
static_assert(kWindow == 1, "a flash erase stalls the UART interrupt: one CHUNK in flight");
inline void serial_begin() {
  Serial.setRxBufferSize(4096);  // before begin(): a whole frame plus slack
  Serial.begin(kBaud);
}
inline bool serial_ready() { return true; }
#endif
inline uint32_t serial_read(uint8_t* buf, uint32_t cap) { return stream_read(Serial, buf, cap); }
inline void serial_write(const uint8_t* data, uint32_t len) { Serial.write(data, len); }

// The spiffs data partition through the partition API.
class Esp32PartitionDriver {
 public:
  // Maps the first min(partition size, max_region) bytes (whole sectors). Mapping is done once and
  // kept: the view must stay valid for the store's lifetime.
  bool begin(uint32_t max_region) {
    if (view_ != nullptr) return true;
    part_ = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_DATA_SPIFFS,
                                     nullptr);
    if (part_ == nullptr) return false;
    uint32_t size = static_cast<uint32_t>(part_->size);
    if (size > max_region) size = max_region;
    size &= ~(kFlashSectorBytes - 1u);
    if (size == 0) return false;
    const void* ptr = nullptr;
#if ESP_IDF_VERSION_MAJOR >= 5
    esp_partition_mmap_handle_t handle;
    if (esp_partition_mmap(part_, 0, size, ESP_PARTITION_MMAP_DATA, &ptr, &handle) != ESP_OK) {
      return false;
    }
#else
    spi_flash_mmap_handle_t handle;
    if (esp_partition_mmap(part_, 0, size, SPI_FLASH_MMAP_DATA, &ptr, &handle) != ESP_OK) {
      return false;
    }
#endif
    view_ = static_cast<const uint8_t*>(ptr);
    region_ = size;
    return true;
  }
  uint32_t region_bytes() const { return region_; }

  bool erase_sector(uint32_t offset) {
    return esp_partition_erase_range(part_, offset, kFlashSectorBytes) == ESP_OK;
  }
  bool program(uint32_t offset, const uint8_t* data, uint32_t len) {
    return esp_partition_write(part_, offset, data, len) == ESP_OK;
  }
  const uint8_t* view() const { return view_; }

 private:
  const esp_partition_t* part_ = nullptr;
  const uint8_t* view_ = nullptr;
  uint32_t region_ = 0;
};

// Each call starts over from what the flash holds (what a reset does); the sketch calls it once, in
// setup(). Null (RAM-only models) without a usable spiffs partition.
inline tt::FlashStore* flash_store() {
  static Esp32PartitionDriver driver;
  static PagedFlashStore<Esp32PartitionDriver, kFlashPageBytes> store(driver);
  if (!driver.begin(2 * kFlashBankBytes + 2 * kFlashSectorBytes)) return nullptr;
  if (!store.begin(driver.region_bytes(), kFlashSectorBytes, kFlashPageBytes, kFlashBankBytes)) {
    return nullptr;
  }
  return &store;
}

}  // namespace ttboard
