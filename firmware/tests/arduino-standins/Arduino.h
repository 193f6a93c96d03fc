// STAND-IN, not the real Arduino core: declares only the Arduino API that
// firmware/examples/TinyTwin uses, so the sketch can be type-checked for boards whose core is not
// installed here (see README.md). Signatures follow ArduinoCore-API (api/Common.h, api/Stream.h,
// api/Print.h) and each core's additions named below.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HIGH 0x1
#define LOW 0x0
#define OUTPUT 0x1

// The variants' LED_BUILTIN: Nano 33 BLE 13 (variants/ARDUINO_NANO33BLE/pins_arduino.h), Pico and
// Thing Plus RP2040 25, MKR Zero 32 (variants/mkrzero/variant.h), ESP32 Dev Module 2.
#if defined(ARDUINO_ARCH_NRF52840)
#define LED_BUILTIN 13
#elif defined(ARDUINO_ARCH_RP2040)
#define LED_BUILTIN 25
#elif defined(ARDUINO_ARCH_SAMD)
#define LED_BUILTIN 32
#elif defined(ARDUINO_ARCH_ESP32) && !defined(CONFIG_IDF_TARGET_ESP32S3)
#define LED_BUILTIN 2
#endif

// The sketch's entry points, C linkage as in ArduinoCore-API api/Common.h and the AVR core.
extern "C" {
void setup(void);
void loop(void);
}

void pinMode(uint8_t pin, uint8_t mode);  // PinMode / pin_size_t on ArduinoCore-API cores
void digitalWrite(uint8_t pin, uint8_t value);
unsigned long millis(void);
unsigned long micros(void);

// The `Serial` object: USBSerial (Mbed), SerialUSB (Arduino-Pico), Serial_ (SAMD), HardwareSerial
// / HWCDC (ESP32). Only what the sketch calls.
class StandinSerial {
 public:
  void begin(unsigned long baud);
  int available();
  int read();
  size_t write(const uint8_t* buffer, size_t size);
  explicit operator bool();  // native USB: the host holds DTR
#if defined(ARDUINO_ARCH_ESP32)
  size_t setRxBufferSize(size_t size);  // HardwareSerial, arduino-esp32; call before begin()
#endif
};
extern StandinSerial Serial;

#if defined(ARDUINO_ARCH_RP2040) && !defined(ARDUINO_ARCH_MBED)
// Arduino-Pico's RP2040 support object (cores/rp2040/RP2040Support.h).
class RP2040 {
 public:
  void idleOtherCore();
  void resumeOtherCore();
};
extern RP2040 rp2040;
#endif
