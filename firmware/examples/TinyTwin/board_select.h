// Picks the board_*.h for the board the sketch is compiled for. Each one defines, in namespace
// ttboard: kName (reported in HELLO_OK), kCpuHz, kPoolBytes (RAM for the uploaded blob and its
// arena), kMaxPayload and kWindow (frame size and CHUNK frames in flight, see docs/protocol.md),
// kLedPin (-1 = none), and serial_begin(), serial_ready() (false while a native-USB host has not
// opened the port: DTR low), serial_read(), serial_write(), flash_store() (nullptr = RAM-only
// models, lost at power-off).
//
// RP2040 is tested before the nRF52840: the Nano RP2040 Connect is part of the arduino:mbed_nano
// package too (ARDUINO_ARCH_MBED_NANO), but only RP2040 boards define ARDUINO_ARCH_RP2040.
#pragma once

#if defined(ARDUINO_ARCH_AVR)
#include "board_avr.h"
#elif defined(ARDUINO_ARCH_RP2040)
#include "board_rp2040.h"
#elif defined(ARDUINO_ARCH_NRF52840) || defined(ARDUINO_ARDUINO_NANO33BLE)
#include "board_nrf52840.h"
#elif defined(ARDUINO_ARCH_ESP32)
#include "board_esp32.h"
#elif defined(ARDUINO_ARCH_SAMD)
#include "board_samd21.h"
#else
#error "TinyTwin: no board configuration for this board; add a board_*.h (see board_select.h)"
#endif
