// ATmega2560 (Arduino Mega 2560) and ATmega328P (Uno): 8 KiB / 2 KiB of RAM, UART0 through the
// USB-serial bridge at 115200 baud, RAM-only models (the AVR's flash is not writable from the
// application section, and its EEPROM is not memory-mapped).
#pragma once

#include <Arduino.h>

namespace ttboard {

#if defined(__AVR_ATmega2560__)
constexpr const char* kName = "mega2560";
constexpr uint32_t kPoolBytes = 4096;
#else
constexpr const char* kName = "uno";
constexpr uint32_t kPoolBytes = 768;
#endif
constexpr uint32_t kCpuHz = F_CPU;
constexpr uint32_t kMaxPayload = 128;
constexpr uint8_t kWindow = 2;
constexpr int kLedPin = LED_BUILTIN;
constexpr uint32_t kBaud = 115200;

inline void serial_begin() { Serial.begin(kBaud); }
inline bool serial_ready() { return true; }
inline uint32_t serial_read(uint8_t* buf, uint32_t cap) {
  uint32_t n = 0;
  while (n < cap && Serial.available() > 0) buf[n++] = static_cast<uint8_t>(Serial.read());
  return n;
}
inline void serial_write(const uint8_t* data, uint32_t len) { Serial.write(data, len); }
inline tt::FlashStore* flash_store() { return nullptr; }

}  // namespace ttboard
