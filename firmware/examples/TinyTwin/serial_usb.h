// Serial helpers shared by the board headers: reading what has arrived without blocking, and the
// DTR check of a native-USB CDC port.
#pragma once

#include <Arduino.h>

namespace ttboard {

// Moves up to `cap` already received bytes from `port` into `buf`; never waits.
template <class Port>
inline uint32_t stream_read(Port& port, uint8_t* buf, uint32_t cap) {
  uint32_t n = 0;
  while (n < cap && port.available() > 0) buf[n++] = static_cast<uint8_t>(port.read());
  return n;
}

// True while the host holds DTR on a native-USB CDC port (the port's operator bool). Answers sent
// with DTR low are dropped by some cores, so requests wait in the USB buffer until then. The check
// is rate-limited: on the SAMD core operator bool includes a delay(10) (ArduinoCore-samd,
// cores/arduino/USB/CDC.cpp), which would throttle the serial loop if asked every pass.
template <class Port>
inline bool usb_dtr_ready(Port& port) {
  static bool up = false;
  static uint32_t checked_at = 0;
  const uint32_t now = static_cast<uint32_t>(millis());
  if (!up || now - checked_at >= 250) {
    up = static_cast<bool>(port);
    checked_at = now;
  }
  return up;
}

}  // namespace ttboard
