// libFuzzer target: arbitrary bytes into the frame decoder and the protocol dispatcher of a small
// board (max_payload 128, 4 KiB pool, 2 × 2 KiB flash), the AVR-sized configuration.
//
// Each input is used twice:
//   1. raw: fed as received bytes to a fresh board (decoder, resync, BAD_FRAME, dispatch);
//   2. structured: read as records and sent as *valid* frames, so the fuzzer reaches every handler
//      without having to forge CRCs. Record: u8 n, then
//        n = 0           reset the board (flash kept: exercises persistence and resume);
//        n = 255         u8 slot, u16 len, len bytes: a whole upload (BEGIN, CHUNKs, COMMIT) of
//        them; otherwise       n payload bytes (type, id, body) framed and sent.
//      The structured board starts with a valid model committed, so INFER runs.
// Every frame the board sends must decode, fit max_payload and carry a known type; flash bytes must
// never be programmed without an erase. Violations trap.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../tests/fc_blob.h"
#include "board.h"
#include "crc32.h"
#include "frame.h"
#include "wire.h"

namespace {

constexpr uint32_t kMaxPayload = 128;
constexpr uint32_t kPool = 4096;
constexpr uint32_t kBank = 2048;
constexpr uint32_t kSector = 256;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// Decodes and checks everything the board sends.
class CheckingIo final : public tt::BoardIo {
 public:
  CheckingIo() { dec_.init(buf_, sizeof buf_, kMaxPayload); }
  void write(const uint8_t* frame, uint32_t len) override {
    check(len >= 2 && frame[len - 1] == 0);
    tt::FrameEvent ev;
    const uint32_t used = dec_.feed(frame, len, &ev);
    check(used == len && ev == tt::FrameEvent::kFrame);
    const uint8_t type = dec_.payload()[0];
    check(type == 0xFF || type == 0xFE || (type & 0x80) != 0);
  }
  uint32_t ticks() override { return ++now_; }
  uint32_t uptime_ms() override { return now_; }

 private:
  uint8_t buf_[tt::frame_encoded_limit(kMaxPayload)];
  tt::FrameDecoder dec_;
  uint32_t now_ = 0;
};

class FuzzFlash final : public tt::FlashStore {
 public:
  void wipe() {
    memset(banks_, 0xFF, sizeof banks_);
    has_meta_ = false;
  }
  uint32_t bank_bytes() override { return kBank; }
  uint32_t sector_bytes() override { return kSector; }
  bool erase_sector(uint8_t bank, uint32_t offset) override {
    check(bank < 2 && offset % kSector == 0 && offset < kBank);
    memset(banks_[bank] + offset, 0xFF, kSector);
    return true;
  }
  bool program(uint8_t bank, uint32_t offset, const uint8_t* data, uint32_t len) override {
    check(bank < 2 && offset <= kBank && len <= kBank - offset);
    for (uint32_t i = 0; i < len; ++i) {
      check(banks_[bank][offset + i] == 0xFF);
      banks_[bank][offset + i] = data[i];
    }
    return true;
  }
  bool flush() override { return true; }
  const uint8_t* bank_view(uint8_t bank) override { return banks_[bank]; }
  bool load_meta(uint8_t* record) override {
    if (has_meta_) memcpy(record, meta_, sizeof meta_);
    return has_meta_;
  }
  bool save_meta(const uint8_t* record) override {
    memcpy(meta_, record, sizeof meta_);
    has_meta_ = true;
    return true;
  }

 private:
  alignas(16) uint8_t banks_[2][kBank];
  uint8_t meta_[tt::kFlashMetaBytes];
  bool has_meta_ = false;
};

alignas(16) uint8_t g_pool[kPool];
uint8_t g_rx[tt::frame_buffer_bytes(kMaxPayload)];
uint8_t g_tx[tt::frame_buffer_bytes(kMaxPayload)];
FuzzFlash g_flash;

tt::Board& boot(CheckingIo* io) {
  static tt::Board board;
  tt::BoardConfig config;
  config.name = "fuzz";
  config.max_payload = kMaxPayload;
  config.window = 2;
  config.pool_bytes = kPool;
  tt::BoardBuffers b;
  b.rx = g_rx;
  b.rx_bytes = sizeof g_rx;
  b.tx = g_tx;
  b.tx_bytes = sizeof g_tx;
  b.pool = g_pool;
  check(board.init(config, b, io, &g_flash) == tt::BoardInit::kOk);
  return board;
}

void send(tt::Board& board, uint8_t type, const uint8_t* body, uint32_t body_len) {
  uint8_t payload[kMaxPayload];
  if (body_len > kMaxPayload - 3)
    body_len = kMaxPayload - 3;  // longer: a bad frame, covered by raw
  payload[0] = type;
  payload[1] = 0x34;
  payload[2] = 0x12;
  memcpy(payload + 3, body, body_len);
  uint8_t frame[tt::frame_buffer_bytes(kMaxPayload)];
  const uint32_t n = tt::frame_encode(payload, body_len + 3, frame, sizeof frame);
  check(n > 0);
  board.receive(frame, n);
}

void upload(tt::Board& board, uint8_t slot, const uint8_t* blob, uint32_t len) {
  uint8_t body[kMaxPayload];
  const uint32_t crc = tt::crc32(blob, len);
  tt::store_u32(body, len);
  tt::store_u32(body + 4, crc);
  body[8] = slot;
  body[9] = 0;
  send(board, tt::msg::kBegin, body, 10);
  const uint32_t chunk_max = kMaxPayload - 7;
  for (uint32_t off = 0; off < len; off += chunk_max) {
    const uint32_t n = len - off < chunk_max ? len - off : chunk_max;
    tt::store_u32(body, off);
    memcpy(body + 4, blob + off, n);
    send(board, tt::msg::kChunk, body, 4 + n);
  }
  tt::store_u32(body, len);
  tt::store_u32(body + 4, crc);
  send(board, tt::msg::kCommit, body, 8);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckingIo io;

  // 1. Raw bytes.
  g_flash.wipe();
  tt::Board& raw = boot(&io);
  raw.receive(data, static_cast<uint32_t>(size));

  // 2. Structured records, starting with a model in RAM.
  g_flash.wipe();
  tt::Board* board = &boot(&io);
  static const std::vector<uint8_t> model = fc_blob::make();
  upload(*board, 0, model.data(), static_cast<uint32_t>(model.size()));
  check(board->has_model());
  size_t at = 0;
  while (at < size) {
    const uint8_t n = data[at++];
    if (n == 0) {
      board = &boot(&io);
    } else if (n == 255) {
      if (size - at < 3) break;
      const uint8_t slot = data[at];
      uint32_t len = tt::load_u16(data + at + 1);
      at += 3;
      if (len > size - at) len = static_cast<uint32_t>(size - at);
      upload(*board, slot, data + at, len);
      at += len;
    } else {
      const size_t len = n < size - at ? n : size - at;
      if (len >= 3) send(*board, data[at], data + at + 3, static_cast<uint32_t>(len - 3));
      at += len;
    }
  }
  return 0;
}
