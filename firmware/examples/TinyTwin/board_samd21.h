// SAMD21 boards: Arduino MKR Zero (ATSAMD21G18: Cortex-M0+ 48 MHz, 32 KiB RAM, 256 KiB flash) and
// other MKR / Zero boards on the Arduino SAMD core (package arduino:samd), FQBN
// arduino:samd:mkrzero.
//
// Serial: `Serial` is the native USB CDC port (SerialUSB); the baud rate is ignored. Requests are
// read only while the host holds DTR (serial_usb.h). (On the Arduino Zero's programming port,
// `Serial` is the EDBG UART bridge instead; use the native port.)
//
// RAM (32 KiB; the stack grows down from the top of RAM into whatever .data/.bss and the heap
// leave, per the SAMD core variant's linker script):
//    16 KiB  model pool (the profile "samd21", board_profiles.h)
//     1 KiB  RX + TX frame buffers (2 x 520 bytes for 512-byte payloads)
//   ~15 KiB  left for the core's .data/.bss (USB endpoint buffers, Serial ring buffers), the heap
//            and the stack (inference runs on it; a few KiB at most).
//
// Flash: RAM-only models. A committed model is lost at power-off or reset. (The SAMD21 can write
// its own flash through NVMCTRL in 256-byte rows, but the core offers no memory-mapped-flash API
// and 256 KiB leave little room next to the sketch; the profile has no flash slot either.)
//
// LED: LED_BUILTIN (the MKR Zero's yellow LED, active high).
#pragma once

#include <Arduino.h>

#include "board_profiles.h"
#include "serial_usb.h"

namespace ttboard {

namespace profile = ttprofile::samd21;
static_assert(profile::kFlashBankBytes == 0, "the SAMD21 sketch keeps models in RAM only");
constexpr const char* kName = profile::kName;
constexpr uint32_t kCpuHz = profile::kCpuHz;
constexpr uint32_t kPoolBytes = profile::kPoolBytes;
constexpr uint32_t kMaxPayload = profile::kMaxPayload;
constexpr uint8_t kWindow = profile::kWindow;
constexpr int kLedPin = LED_BUILTIN;

inline void serial_begin() { Serial.begin(115200); }
inline bool serial_ready() { return usb_dtr_ready(Serial); }
inline uint32_t serial_read(uint8_t* buf, uint32_t cap) { return stream_read(Serial, buf, cap); }
inline void serial_write(const uint8_t* data, uint32_t len) { Serial.write(data, len); }
inline tt::FlashStore* flash_store() { return nullptr; }

}  // namespace ttboard
