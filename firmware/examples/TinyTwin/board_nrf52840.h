// Arduino Nano 33 BLE / Nano 33 BLE Sense (nRF52840: Cortex-M4F 64 MHz, 256 KiB RAM, 1 MiB flash)
// on the Arduino Mbed OS core for Nano boards, FQBN arduino:mbed_nano:nano33ble.
//
// Serial: `Serial` is the native USB CDC port (the nRF52840's own USB); the baud rate is ignored.
// Requests are read only while the host holds DTR (serial_usb.h).
//
// RAM (256 KiB; variants/ARDUINO_NANO33BLE linker_script.ld: 0x200 for the NVIC table and crash
// data, a 2 KiB ISR stack at the top, the rest .data/.bss then heap):
//   192 KiB  model pool (blob in the RAM slot + arena; a flash blob leaves all of it to the arena)
//     2 KiB  RX + TX frame buffers (2 x 1034 bytes for 1024-byte payloads)
//    32 KiB  the Mbed main thread's stack (rtos.main-thread-stack-size 32768, variants/
//            ARDUINO_NANO33BLE/conf/mbed_app.json), allocated statically in .bss
//    ~29 KiB left for Mbed OS + the Arduino core's own .data/.bss, the ISR stack, and the heap
//            (USB CDC buffers, RTOS objects). No BLE: the Cordio stack would need tens of KiB more.
// Name, clock, pool, frames and flash banks: the profile "nano33ble" (board_profiles.h, generated
// from src/lib/model/fit/board-profiles.ts).
//
// Flash: the top 520 KiB of the 1 MiB flash (two 256 KiB banks + two 4 KiB metadata sectors) via
// mbed::FlashIAP (flash_mbed.h), so a model committed to the flash slot survives power cycles.
// That leaves the sketch 0x10000..0x7E000 (440 KiB; this sketch needs far less). Erasing a 4 KiB
// page stalls the CPU for up to 85 ms (nRF52840 Product Specification, NVMC tERASEPAGE); USB keeps
// NAKing the host meanwhile, so no bytes are lost.
//
// LED: LED_BUILTIN (the orange LED next to USB, active high).
#pragma once

#include <Arduino.h>

#include "board_profiles.h"
#include "flash_mbed.h"
#include "serial_usb.h"

namespace ttboard {

namespace profile = ttprofile::nano33ble;
constexpr const char* kName = profile::kName;
constexpr uint32_t kCpuHz = profile::kCpuHz;
constexpr uint32_t kPoolBytes = profile::kPoolBytes;
constexpr uint32_t kMaxPayload = profile::kMaxPayload;
constexpr uint8_t kWindow = profile::kWindow;
constexpr int kLedPin = LED_BUILTIN;
constexpr uint32_t kFlashBankBytes = profile::kFlashBankBytes;
constexpr uint32_t kFlashSectorBytes = 4096;  // nRF52840 NVMC page (its erase unit)

inline void serial_begin() { Serial.begin(115200); }
inline bool serial_ready() { return usb_dtr_ready(Serial); }
inline uint32_t serial_read(uint8_t* buf, uint32_t cap) { return stream_read(Serial, buf, cap); }
inline void serial_write(const uint8_t* data, uint32_t len) { Serial.write(data, len); }
inline tt::FlashStore* flash_store() {
  return mbed_flash_store(kFlashBankBytes, kFlashSectorBytes);
}

}  // namespace ttboard
