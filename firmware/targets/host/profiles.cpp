#include "profiles.h"

#include <string.h>

namespace host {

namespace {
constexpr uint32_t kKiB = 1024;
constexpr uint32_t kMiB = 1024 * kKiB;

const Profile kProfiles[] = {
    {"host", 1 * kMiB, 4096, 8, 0, 2 * kMiB},
    {"nano33ble", 192 * kKiB, 1024, 4, 64000000, 512 * kKiB},
    {"rp2040", 192 * kKiB, 1024, 4, 133000000, 1016 * kKiB},
    {"esp32", 112 * kKiB, 1024, 1, 240000000, 1 * kMiB},
    {"esp32s3", 160 * kKiB, 1024, 4, 240000000, 1 * kMiB},
    {"samd21", 16 * kKiB, 512, 2, 48000000, 0},
    {"mega2560", 4 * kKiB, 128, 2, 16000000, 0},
    {nullptr, 0, 0, 0, 0, 0},
};
}  // namespace

const Profile* profiles() { return kProfiles; }

const Profile* find_profile(const char* name) {
  for (const Profile* p = kProfiles; p->name != nullptr; ++p) {
    if (strcmp(p->name, name) == 0) return p;
  }
  return nullptr;
}

}  // namespace host
