#include "profiles.h"

#include <string.h>

// Every profile's figures come from src/lib/model/fit/board-profiles.ts through the generated
// board_profiles.h (scripts/gen-board-profiles.ts), the header the sketch's board_*.h read too.
#include "../../examples/TinyTwin/board_profiles.h"

namespace host {

namespace {
#define TT_PROFILE_ROW(id)                                                        \
  {ttprofile::id::kName,   ttprofile::id::kPoolBytes, ttprofile::id::kMaxPayload, \
   ttprofile::id::kWindow, ttprofile::id::kCpuHz,     ttprofile::id::kFlashRegionBytes},

const Profile kProfiles[] = {
    TT_BOARD_PROFILES(TT_PROFILE_ROW)  // one row per profile, then the end
    {nullptr, 0, 0, 0, 0, 0},
};
#undef TT_PROFILE_ROW
}  // namespace

const Profile* profiles() { return kProfiles; }

const Profile* find_profile(const char* name) {
  for (const Profile* p = kProfiles; p->name != nullptr; ++p) {
    if (strcmp(p->name, name) == 0) return p;
  }
  return nullptr;
}

}  // namespace host
