// Command-line options of tinytwin-board.
#pragma once

#include <stdint.h>

namespace host {

struct Options {
  const char* profile = "host";
  const char* name = nullptr;  // default: the profile name
  int64_t pool_bytes = -1;     // -1: from the profile
  int64_t max_payload = -1;
  int64_t window = -1;
  int64_t flash_region = -1;         // both banks together
  uint32_t baud = 0;                 // 0: unthrottled
  const char* flash_file = nullptr;  // null: flash (if any) lives in memory only
  bool verbose = false;
};

// Returns 0 to run, 1 after printing --help (exit 0), 2 on a usage error (message on stderr).
int parse_options(int argc, char** argv, Options* out);

}  // namespace host
