// Board profiles the host process can impersonate: the sizes of real TinyTwin boards, so clients
// can be tested against a small-RAM, small-frame board without the hardware.
#pragma once

#include <stdint.h>

namespace host {

struct Profile {
  const char* name;
  uint32_t pool_bytes;
  uint32_t max_payload;
  uint8_t window;
  uint32_t cpu_hz;        // what HELLO_OK reports; the host does not run at this speed
  uint32_t flash_region;  // both flash banks together; 0 = no flash slot (blob limit = half)
};

// Null if `name` is not a known profile.
const Profile* find_profile(const char* name);
// NUL-terminated list of all profiles, for --help.
const Profile* profiles();

}  // namespace host
