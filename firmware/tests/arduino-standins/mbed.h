// STAND-IN, not Mbed OS: only mbed::FlashIAP as declared in drivers/include/drivers/FlashIAP.h
// (Mbed OS 6), which the Arduino Mbed cores ship; see README.md.
#pragma once

#include <stdint.h>

// Real Mbed (GCC builds): the end of the application image, computed from linker section symbols.
// Here a fixed stand-in value (a 256 KiB sketch) so the check that uses it is compiled.
#define FLASHIAP_APP_ROM_END_ADDR 0x00040000u

namespace mbed {

class FlashIAP {
 public:
  constexpr FlashIAP() {}
  int init();
  int deinit();
  int read(void* buffer, uint32_t addr, uint32_t size);
  int program(const void* buffer, uint32_t addr, uint32_t size);
  int erase(uint32_t addr, uint32_t size);
  uint32_t get_sector_size(uint32_t addr) const;
  uint32_t get_flash_start() const;
  uint32_t get_flash_size() const;
  uint32_t get_page_size() const;
  uint8_t get_erase_value() const;

 private:
  FlashIAP(const FlashIAP&) = delete;  // NonCopyable<FlashIAP> in Mbed
  FlashIAP& operator=(const FlashIAP&) = delete;
};

}  // namespace mbed
