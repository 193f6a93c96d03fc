// STAND-IN definitions for the static-RAM link check of `make check-sketches`: every function the
// stand-in headers declare gets an empty body so the sketch links into an image whose .data + .bss
// can be measured. Nothing here runs; see README.md.
#include <Arduino.h>

void pinMode(uint8_t, uint8_t) {}
void digitalWrite(uint8_t, uint8_t) {}
unsigned long millis(void) { return 0; }
unsigned long micros(void) { return 0; }
void StandinSerial::begin(unsigned long) {}
int StandinSerial::available() { return 0; }
int StandinSerial::read() { return -1; }
size_t StandinSerial::write(const uint8_t*, size_t size) { return size; }
StandinSerial::operator bool() { return true; }
#if defined(ARDUINO_ARCH_ESP32)
size_t StandinSerial::setRxBufferSize(size_t size) { return size; }
#endif
StandinSerial Serial;

#if defined(ARDUINO_ARCH_MBED)
#include <mbed.h>
int mbed::FlashIAP::init() { return 0; }
int mbed::FlashIAP::deinit() { return 0; }
int mbed::FlashIAP::read(void*, uint32_t, uint32_t) { return 0; }
int mbed::FlashIAP::program(const void*, uint32_t, uint32_t) { return 0; }
int mbed::FlashIAP::erase(uint32_t, uint32_t) { return 0; }
uint32_t mbed::FlashIAP::get_sector_size(uint32_t) const { return 4096; }
uint32_t mbed::FlashIAP::get_flash_start() const { return 0; }
uint32_t mbed::FlashIAP::get_flash_size() const { return 1u << 20; }
uint32_t mbed::FlashIAP::get_page_size() const { return 4; }
uint8_t mbed::FlashIAP::get_erase_value() const { return 0xFF; }
#elif defined(ARDUINO_ARCH_RP2040)
#include <hardware/flash.h>
#include <hardware/sync.h>
void RP2040::idleOtherCore() {}
void RP2040::resumeOtherCore() {}
RP2040 rp2040;
extern "C" {
void flash_range_erase(uint32_t, size_t) {}
void flash_range_program(uint32_t, const uint8_t*, size_t) {}
uint32_t save_and_disable_interrupts(void) { return 0; }
void restore_interrupts(uint32_t) {}
uint8_t _FS_start[1];
uint8_t _FS_end[1];
}
#elif defined(ARDUINO_ARCH_ESP32)
#include <esp_partition.h>
extern "C" {
const esp_partition_t* esp_partition_find_first(esp_partition_type_t, esp_partition_subtype_t,
                                                const char*) {
  return nullptr;
}
esp_err_t esp_partition_erase_range(const esp_partition_t*, size_t, size_t) { return ESP_OK; }
esp_err_t esp_partition_write(const esp_partition_t*, size_t, const void*, size_t) {
  return ESP_OK;
}
esp_err_t esp_partition_mmap(const esp_partition_t*, size_t, size_t, esp_partition_mmap_memory_t,
                             const void**, esp_partition_mmap_handle_t*) {
  return ESP_OK;
}
}
#endif

// The C++ runtime pieces the cores link from libsupc++ (not installed with arm-none-eabi-gcc here):
// guards of function-local statics, the pure-virtual trap, and (ESP32 builds use -fexceptions) the
// unwinder's personality routine.
extern "C" {
int __cxa_guard_acquire(int* guard) { return *guard == 0; }
void __cxa_guard_release(int* guard) { *guard = 1; }
void __cxa_guard_abort(int*) {}
void __cxa_pure_virtual() {
  for (;;) {
  }
}
#if defined(ARDUINO_ARCH_ESP32)
void __gxx_personality_v0() {}
#endif
}
