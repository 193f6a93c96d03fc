#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_config.h"
#include "profiles.h"

namespace host {

namespace {

const char kUsage[] =
    "usage: tinytwin-board [options]\n"
    "\n"
    "A TinyTwin board as a process: stdin is the board's RX line, stdout its TX line (frames of\n"
    "docs/protocol.md), logs go to stderr. Exits 0 when stdin reaches end of file.\n"
    "\n"
    "options:\n"
    "  --profile NAME     board to impersonate (default host), see the table below\n"
    "  --name S           board name in HELLO_OK (default: the profile name, at most 32 bytes)\n"
    "  --pool BYTES       RAM pool for model blobs and the arena (k/m suffix = KiB/MiB)\n"
    "  --max-payload N    largest payload in both directions, %u..65535\n"
    "  --window N         CHUNK frames a client may have in flight, 1..255\n"
    "  --baud N           pace both directions like a UART at N baud (10 bits a byte, full\n"
    "                     duplex): a frame is handled once its last byte has arrived, answers\n"
    "                     leave no faster than the line. 0 = unthrottled (default)\n"
    "  --flash FILE       back the flash slot (slot 1) with FILE, created if missing, so "
    "committed\n"
    "                     slot-1 models and pending slot-1 uploads survive a restart. Without it\n"
    "                     the flash slot lives in memory and is lost at exit\n"
    "  --flash-size BYTES flash region for both banks (blob limit = half); 0 = no flash slot\n"
    "  -v, --verbose      log every bad frame on stderr\n"
    "  -h, --help         this text\n"
    "\n"
    "profiles (ticks are nanoseconds of the host's monotonic clock, tick_hz 1e9):\n"
    "  name        pool      max_payload  window  cpu_hz       flash region (blob limit = half)\n";

// Parses a byte count with an optional k/K (KiB) or m/M (MiB) suffix.
bool parse_size(const char* s, int64_t* out) {
  char* end = nullptr;
  const long long v = strtoll(s, &end, 10);
  if (end == s || v < 0) return false;
  long long mul = 1;
  if (*end == 'k' || *end == 'K') {
    mul = 1024;
    ++end;
  } else if (*end == 'm' || *end == 'M') {
    mul = 1024 * 1024;
    ++end;
  }
  if (*end != '\0' || v > (1LL << 32) / mul) return false;
  *out = v * mul;
  return true;
}

void print_usage() {
  printf(kUsage, static_cast<unsigned>(tt::kMinMaxPayload));
  for (const Profile* p = profiles(); p->name != nullptr; ++p) {
    printf("  %-10s  %4u KiB  %11u  %6u  %11u  %u KiB\n", p->name, p->pool_bytes / 1024,
           p->max_payload, p->window, p->cpu_hz, p->flash_region / 1024);
  }
}

}  // namespace

int parse_options(int argc, char** argv, Options* out) {
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      print_usage();
      return 1;
    }
    if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
      out->verbose = true;
      continue;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "tinytwin-board: %s needs a value (see --help)\n", a);
      return 2;
    }
    const char* v = argv[++i];
    int64_t n = 0;
    bool ok = true;
    if (strcmp(a, "--profile") == 0) {
      out->profile = v;
      ok = find_profile(v) != nullptr;
    } else if (strcmp(a, "--name") == 0) {
      out->name = v;
      ok = strlen(v) > 0 && strlen(v) <= 32;
    } else if (strcmp(a, "--pool") == 0) {
      ok = parse_size(v, &out->pool_bytes);
    } else if (strcmp(a, "--max-payload") == 0) {
      ok = parse_size(v, &n) && n >= tt::kMinMaxPayload && n <= tt::kMaxMaxPayload;
      out->max_payload = n;
    } else if (strcmp(a, "--window") == 0) {
      ok = parse_size(v, &n) && n >= 1 && n <= 255;
      out->window = n;
    } else if (strcmp(a, "--baud") == 0) {
      ok = parse_size(v, &n) && n <= 100000000;
      out->baud = static_cast<uint32_t>(n);
    } else if (strcmp(a, "--flash") == 0) {
      out->flash_file = v;
    } else if (strcmp(a, "--flash-size") == 0) {
      ok = parse_size(v, &out->flash_region);
    } else {
      fprintf(stderr, "tinytwin-board: unknown option %s (see --help)\n", a);
      return 2;
    }
    if (!ok) {
      fprintf(stderr, "tinytwin-board: bad value for %s: %s (see --help)\n", a, v);
      return 2;
    }
  }
  return 0;
}

}  // namespace host
