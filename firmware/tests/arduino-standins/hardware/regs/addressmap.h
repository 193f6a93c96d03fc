// STAND-IN, not the pico-sdk: the one RP2040 address the sketch uses (src/rp2040/hardware_regs/
// include/hardware/regs/addressmap.h); see README.md.
#pragma once

#define XIP_BASE 0x10000000u
