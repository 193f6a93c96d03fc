// STAND-IN, not the pico-sdk: hardware_sync's interrupt save/restore (inline assembly in the real
// src/rp2_common/hardware_sync/include/hardware/sync.h); see README.md.
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif
uint32_t save_and_disable_interrupts(void);
void restore_interrupts(uint32_t status);
#ifdef __cplusplus
}
#endif
