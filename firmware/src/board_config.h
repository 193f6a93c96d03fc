// What a shell tells the core about its board. Sizes here size the caller-owned buffers (frame.h).
#pragma once

#include <stdint.h>

namespace tt {

// Firmware version reported in HELLO_OK.
constexpr uint8_t kFirmwareMajor = 0;
constexpr uint8_t kFirmwareMinor = 1;
constexpr uint8_t kFirmwarePatch = 0;

// max_payload range: the low end keeps HELLO_OK's fixed part (a 32-byte board name and ~18 op
// codes) in one frame; the high end is HELLO_OK's u16 field.
constexpr uint32_t kMinMaxPayload = 128;
constexpr uint32_t kMaxMaxPayload = 65535;
constexpr uint32_t kMaxBoardName = 32;  // bytes of `name` sent in HELLO_OK
constexpr uint32_t kPoolAlign = 16;     // blobs and arenas start 16-byte aligned

struct BoardConfig {
  const char* name =
      "board";  // NUL-terminated ASCII/UTF-8, e.g. "nano33ble"; truncated to kMaxBoardName
  uint8_t fw_major = kFirmwareMajor;
  uint8_t fw_minor = kFirmwareMinor;
  uint8_t fw_patch = kFirmwarePatch;
  uint32_t cpu_hz = 0;         // 0 = unknown
  uint32_t tick_hz = 1000000;  // unit of BoardIo::ticks() and of INFER_OK ticks
  uint32_t max_payload = 128;  // kMinMaxPayload … kMaxMaxPayload, header included, CRC excluded
  uint8_t window = 1;          // CHUNK frames a client may have in flight, ≥ 1
  uint32_t pool_bytes = 0;     // RAM pool for blobs + arena; rounded down to kPoolAlign
};

}  // namespace tt
