// STAND-IN, not the pico-sdk: the declarations of hardware_flash (src/rp2_common/hardware_flash/
// include/hardware/flash.h) that the sketch uses; see README.md.
#pragma once

#include <stddef.h>
#include <stdint.h>

#define FLASH_PAGE_SIZE (1u << 8)
#define FLASH_SECTOR_SIZE (1u << 12)

#ifdef __cplusplus
extern "C" {
#endif
// Offsets from the start of flash (not XIP addresses); erase: whole sectors, program: whole pages.
void flash_range_erase(uint32_t flash_offs, size_t count);
void flash_range_program(uint32_t flash_offs, const uint8_t* data, size_t count);
#ifdef __cplusplus
}
#endif
