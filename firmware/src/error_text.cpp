#include "protocol.h"

namespace tt {

const char* error_text(ErrorCode code) {
#ifdef TT_NO_ERROR_TEXT
  (void)code;
  return "";
#else
  // The texts are for logs (clients turn the code into a sentence: docs/protocol.md §4), so they
  // are terse, and stored as one string with NUL-separated entries in code order (1 .. 20, then the
  // fallback): no table of pointers, no switch.
  static const char kTexts[] =
      "unknown type\0malformed\0bad protocol\0no upload\0too large\0bad slot\0bad offset\0"
      "incomplete\0bad CRC\0params differ\0bad model\0arena too big\0no model\0bad input size\0"
      "batch too big\0storage failed\0busy\0no stage\0no result\0stage layout\0error";
  uint32_t skip = static_cast<uint32_t>(code) - 1u;
  if (skip > static_cast<uint32_t>(ErrorCode::kStageLayout) - 1u)
    skip = static_cast<uint32_t>(ErrorCode::kStageLayout);
  const char* t = kTexts;
  for (; skip != 0; --skip) {
    while (*t++ != '\0') {
    }
  }
  return t;
#endif
}

}  // namespace tt
