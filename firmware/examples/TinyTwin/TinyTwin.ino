// TinyTwin: flash once, then upload models from the TinyTwin app or CLI without reflashing.
//
// The sketch is the board's shell around the portable core (the TinyTwin library's src/): it owns
// the buffers, moves bytes between the serial line and tt::Board, supplies the clock (micros(), so
// INFER_OK carries board-measured microseconds per inference) and, where the board allows, flash
// storage that keeps the committed model across power cycles. Everything board-specific lives in
// one board_*.h header picked by board_select.h; the protocol is in docs/protocol.md.
//
// Status LED: off until the board is ready; on while a model is loaded; blinks on serial traffic.
#include <TinyTwin.h>

#include "board_select.h"

namespace {

constexpr uint32_t kFrameBytes = tt::frame_buffer_bytes(ttboard::kMaxPayload);

alignas(16) uint8_t g_pool[ttboard::kPoolBytes];
uint8_t g_rx[kFrameBytes];
uint8_t g_tx[kFrameBytes];

class SerialIo final : public tt::BoardIo {
 public:
  void write(const uint8_t* frame, uint32_t len) override { ttboard::serial_write(frame, len); }
  uint32_t ticks() override { return micros(); }
  uint32_t uptime_ms() override { return millis(); }
};

SerialIo g_io;
tt::Board g_board;
bool g_ready = false;
uint32_t g_led_off_at = 0;
int8_t g_led_lit = -1;  // what the pin was last set to: 1 lit, 0 dark, -1 not yet

// Called on every loop(): the pin is written only when its level changes.
void show_state(bool activity) {
  if (ttboard::kLedPin < 0) return;
  const uint32_t now = millis();
  if (activity) g_led_off_at = now + 20;
  const bool blink = static_cast<int32_t>(g_led_off_at - now) > 0;
  const bool lit = g_board.has_model() != blink;
  if (static_cast<int8_t>(lit) == g_led_lit) return;
  g_led_lit = static_cast<int8_t>(lit);
  // HIGH/LOW straight into the call: on ArduinoCore-API cores they are a PinStatus enum.
  digitalWrite(ttboard::kLedPin, lit ? HIGH : LOW);
}

}  // namespace

void setup() {
  if (ttboard::kLedPin >= 0) {
    pinMode(ttboard::kLedPin, OUTPUT);
    digitalWrite(ttboard::kLedPin, LOW);
  }
  ttboard::serial_begin();

  tt::BoardConfig config;
  config.name = ttboard::kName;
  config.cpu_hz = ttboard::kCpuHz;
  config.tick_hz = 1000000;  // micros()
  config.max_payload = ttboard::kMaxPayload;
  config.window = ttboard::kWindow;
  config.pool_bytes = ttboard::kPoolBytes;
  tt::BoardBuffers buffers;
  buffers.rx = g_rx;
  buffers.rx_bytes = kFrameBytes;
  buffers.tx = g_tx;
  buffers.tx_bytes = kFrameBytes;
  buffers.pool = g_pool;
  // A flash store the core rejects (bad geometry) falls back to RAM-only models.
  g_ready = g_board.init(config, buffers, &g_io, ttboard::flash_store()) == tt::BoardInit::kOk ||
            g_board.init(config, buffers, &g_io, nullptr) == tt::BoardInit::kOk;
  show_state(false);
}

void loop() {
  if (!g_ready || !ttboard::serial_ready()) return;
  uint8_t chunk[32];
  const uint32_t n = ttboard::serial_read(chunk, sizeof chunk);
  if (n > 0) g_board.receive(chunk, n);
  show_state(n > 0);
}
