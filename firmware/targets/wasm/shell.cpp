// The virtual board: the firmware core as a wasm32 module driven by JavaScript
// (src/lib/transport/virtual-board-engine.ts). No libc, no WASI, no heap: every buffer is static.
//
// Imports (module "env"), all called from within tt_receive / tt_init:
//   tx_write(ptr, len)  one complete frame from the board; copy the bytes before returning
//   ticks_us() -> u32   free-running microseconds (tick_hz 1 000 000), wrapping modulo 2^32
//   uptime_ms() -> u32  milliseconds since the board was created
// Exports: see the functions marked TT_EXPORT below, and "memory".
#include <stdint.h>
#include <string.h>

#include "board.h"
#include "mem_flash.h"
#include "profiles.h"

#define TT_EXPORT(name) extern "C" __attribute__((export_name(name)))
#define TT_IMPORT(name) __attribute__((import_module("env"), import_name(name)))

extern "C" {
TT_IMPORT("tx_write") void host_tx_write(const uint8_t* frame, uint32_t len);
TT_IMPORT("ticks_us") uint32_t host_ticks_us();
TT_IMPORT("uptime_ms") uint32_t host_uptime_ms();
}

namespace {

// Static capacity: the largest figures of any profile in targets/host/profiles.cpp. A profile
// beyond them is refused by tt_init (kInitTooBig).
constexpr uint32_t kMaxPool = 1024 * 1024;
constexpr uint32_t kMaxPayload = 4096;
constexpr uint32_t kMaxFlashBank = 1024 * 1024;
constexpr uint32_t kRxStaging = 64 * 1024;  // largest tt_receive() call
constexpr uint32_t kFrameBytes = tt::frame_buffer_bytes(kMaxPayload);

// tt_init results beyond tt::BoardInit's 0 … 4.
constexpr uint32_t kInitUnknownProfile = 16;
constexpr uint32_t kInitTooBig = 17;

constexpr char kNamePrefix[] = "virtual (";

alignas(16) uint8_t g_pool[kMaxPool];
alignas(16) uint8_t g_flash_image[wasm::kFlashHeaderBytes + 2 * kMaxFlashBank];
uint8_t g_rx[kFrameBytes];
uint8_t g_tx[kFrameBytes];
uint8_t g_staging[kRxStaging];
char g_name[tt::kMaxBoardName + 1];

class WasmIo final : public tt::BoardIo {
 public:
  void write(const uint8_t* frame, uint32_t len) override { host_tx_write(frame, len); }
  uint32_t ticks() override { return host_ticks_us(); }
  uint32_t uptime_ms() override { return host_uptime_ms(); }
};

WasmIo g_io;
wasm::MemFlash g_flash;
tt::Board g_board;
bool g_ready = false;

const host::Profile* profile_at(uint32_t index) {
  const host::Profile* p = host::profiles();
  for (uint32_t i = 0; i < index && p->name != nullptr; ++i) ++p;
  return p->name != nullptr ? p : nullptr;
}

// Flash bank bytes for a profile: half its region, whole sectors, 0 without flash.
uint32_t bank_bytes(const host::Profile& p) {
  return p.flash_region / 2 / wasm::kFlashSectorBytes * wasm::kFlashSectorBytes;
}

// "virtual (<profile>)", cut to kMaxBoardName bytes (profile names are ASCII).
void set_name(const char* profile) {
  uint32_t n = 0;
  for (const char* s = kNamePrefix; *s != '\0' && n < tt::kMaxBoardName; ++s) g_name[n++] = *s;
  for (const char* s = profile; *s != '\0' && n < tt::kMaxBoardName; ++s) g_name[n++] = *s;
  if (n < tt::kMaxBoardName) g_name[n++] = ')';
  g_name[n] = '\0';
}

}  // namespace

// Number of board profiles; their names come from tt_profile_name(0 … count − 1).
TT_EXPORT("tt_profile_count") uint32_t tt_profile_count() {
  uint32_t n = 0;
  for (const host::Profile* p = host::profiles(); p->name != nullptr; ++p) ++n;
  return n;
}

// NUL-terminated ASCII name of profile `index`, or 0 if out of range.
TT_EXPORT("tt_profile_name") const char* tt_profile_name(uint32_t index) {
  const host::Profile* p = profile_at(index);
  return p != nullptr ? p->name : nullptr;
}

// Where a saved flash image goes before tt_init, and where to read it back from after a session.
TT_EXPORT("tt_flash_ptr") uint8_t* tt_flash_ptr() { return g_flash_image; }

// Bytes of the flash image of profile `index` (0: the profile has no flash slot).
TT_EXPORT("tt_flash_image_bytes") uint32_t tt_flash_image_bytes(uint32_t index) {
  const host::Profile* p = profile_at(index);
  if (p == nullptr || bank_bytes(*p) == 0) return 0;
  return wasm::MemFlash::image_bytes(bank_bytes(*p));
}

// Times the flash image changed since tt_init (saving it is only needed when this is non-zero).
TT_EXPORT("tt_flash_writes") uint32_t tt_flash_writes() { return g_flash.writes(); }

// (Re)starts the board with profile `index`: a power cycle. RAM models and uploads are lost; the
// flash image (kept, or formatted if its geometry differs) brings back a committed flash model and
// a pending flash upload. Returns 0, a tt::BoardInit code, or 16 (unknown profile) / 17 (the
// profile exceeds this build's static buffers). Sends nothing.
TT_EXPORT("tt_init") uint32_t tt_init(uint32_t index) {
  g_ready = false;
  const host::Profile* p = profile_at(index);
  if (p == nullptr) return kInitUnknownProfile;
  const uint32_t bank = bank_bytes(*p);
  if (p->pool_bytes > kMaxPool || p->max_payload > kMaxPayload || bank > kMaxFlashBank) {
    return kInitTooBig;
  }
  set_name(p->name);
  tt::BoardConfig config;
  config.name = g_name;
  config.cpu_hz = p->cpu_hz;
  config.tick_hz = 1000000;
  config.max_payload = p->max_payload;
  config.window = p->window;
  config.pool_bytes = p->pool_bytes;
  tt::BoardBuffers buffers;
  buffers.rx = g_rx;
  buffers.rx_bytes = kFrameBytes;
  buffers.tx = g_tx;
  buffers.tx_bytes = kFrameBytes;
  buffers.pool = g_pool;
  if (bank > 0) g_flash.open(g_flash_image, bank);
  const tt::BoardInit r = g_board.init(config, buffers, &g_io, bank > 0 ? &g_flash : nullptr);
  g_ready = r == tt::BoardInit::kOk;
  return static_cast<uint32_t>(r);
}

// What tt_init found in flash: tt::BootModel (0 none, 1 loaded, 2 bad CRC, 3 rejected).
TT_EXPORT("tt_boot_model") uint32_t tt_boot_model() {
  return static_cast<uint32_t>(g_board.boot_model());
}

// Received bytes are copied to tt_rx_ptr() (at most tt_rx_capacity() at a time), then handed to the
// board with tt_receive(len); answers come out through tx_write during the call.
TT_EXPORT("tt_rx_ptr") uint8_t* tt_rx_ptr() { return g_staging; }
TT_EXPORT("tt_rx_capacity") uint32_t tt_rx_capacity() { return kRxStaging; }
TT_EXPORT("tt_receive") void tt_receive(uint32_t len) {
  if (!g_ready) return;
  g_board.receive(g_staging, len <= kRxStaging ? len : kRxStaging);
}
