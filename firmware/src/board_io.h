// The shell side the core calls: the serial TX path and the clocks.
#pragma once

#include <stdint.h>

namespace tt {

class BoardIo {
 public:
  // Sends one complete frame (delimiter included). The bytes are only valid during the call: copy
  // or transmit them before returning. Called from within Board::receive.
  virtual void write(const uint8_t* frame, uint32_t len) = 0;
  // Free-running counter in BoardConfig::tick_hz units; wraps modulo 2^32 (differences stay right).
  virtual uint32_t ticks() = 0;
  // Milliseconds since boot (STATUS_OK uptime_ms); wraps modulo 2^32.
  virtual uint32_t uptime_ms() = 0;

 protected:
  ~BoardIo() = default;  // never deleted through this interface
};

}  // namespace tt
