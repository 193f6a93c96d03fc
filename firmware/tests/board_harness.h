// Test doubles and a driver for tt::Board: a BoardIo that captures frames, a RAM FlashStore with
// NOR semantics and fault injection, and a Harness that sends requests and parses the answers.
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vector>

#include "board.h"
#include "crc32.h"
#include "frame.h"
#include "wire.h"

namespace harness {

using Bytes = std::vector<uint8_t>;

class CaptureIo final : public tt::BoardIo {
 public:
  void write(const uint8_t* frame, uint32_t len) override {
    wire.insert(wire.end(), frame, frame + len);
  }
  // Each call advances the clock by tick_step, so one inference measures tick_step ticks.
  uint32_t ticks() override { return now += tick_step; }
  uint32_t uptime_ms() override { return 1234; }
  Bytes wire;
  uint32_t now = 0xFFFFFFF0u;  // starts near the wrap: differences must still come out right
  uint32_t tick_step = 7;
};

// NOR flash in RAM: erase sets 0xFF, program may only clear bits (programming a byte that is not
// erased fails). Survives Board re-init, like real flash across a reset.
class MemFlash final : public tt::FlashStore {
 public:
  MemFlash(uint32_t bank, uint32_t sector) : bank_(bank), sector_(sector) {
    banks_[0] = static_cast<uint8_t*>(aligned_alloc(16, bank));
    banks_[1] = static_cast<uint8_t*>(aligned_alloc(16, bank));
    memset(banks_[0], 0xFF, bank);
    memset(banks_[1], 0xFF, bank);
  }
  ~MemFlash() {
    free(banks_[0]);
    free(banks_[1]);
  }
  MemFlash(const MemFlash&) = delete;
  MemFlash& operator=(const MemFlash&) = delete;

  uint32_t bank_bytes() override { return bank_; }
  uint32_t sector_bytes() override { return sector_; }
  bool erase_sector(uint8_t bank, uint32_t offset) override {
    if (fail_erase || bank > 1 || offset % sector_ != 0 || offset >= bank_) return false;
    memset(banks_[bank] + offset, 0xFF, sector_);
    ++erases;
    return true;
  }
  bool program(uint8_t bank, uint32_t offset, const uint8_t* data, uint32_t len) override {
    if (fail_program || bank > 1 || offset > bank_ || len > bank_ - offset) return false;
    for (uint32_t i = 0; i < len; ++i) {
      if (banks_[bank][offset + i] != 0xFF) ++overwrites;  // programmed without an erase
      banks_[bank][offset + i] &= data[i];
    }
    return true;
  }
  bool flush() override { return true; }
  const uint8_t* bank_view(uint8_t bank) override { return banks_[bank]; }
  bool load_meta(uint8_t* record) override {
    if (!has_meta) return false;
    memcpy(record, meta_, sizeof meta_);
    return true;
  }
  bool save_meta(const uint8_t* record) override {
    if (fail_save) return false;
    memcpy(meta_, record, sizeof meta_);
    has_meta = true;
    ++saves;
    return true;
  }
  uint8_t* bank(uint8_t b) { return banks_[b]; }

  bool fail_erase = false, fail_program = false, fail_save = false;
  bool has_meta = false;
  uint32_t erases = 0, saves = 0, overwrites = 0;

 private:
  uint32_t bank_, sector_;
  uint8_t* banks_[2];
  uint8_t meta_[tt::kFlashMetaBytes] = {};
};

struct Answer {
  uint8_t type = 0;
  uint16_t id = 0;
  Bytes body;
  bool is_error(tt::ErrorCode code) const {
    return type == tt::msg::kError && body.size() >= 6 &&
           tt::load_u16(body.data()) == uint16_t(code);
  }
  uint32_t u32(size_t at) const {
    return at + 4 <= body.size() ? tt::load_u32(&body[at]) : 0xDEADBEEF;
  }
  uint16_t u16(size_t at) const { return at + 2 <= body.size() ? tt::load_u16(&body[at]) : 0xBEEF; }
  uint8_t u8(size_t at) const { return at < body.size() ? body[at] : 0xEE; }
  uint32_t error_detail() const { return u32(2); }
};

// Builds a request body field by field.
struct Body {
  Bytes b;
  Body& u8(uint8_t v) {
    b.push_back(v);
    return *this;
  }
  Body& u16(uint16_t v) {
    b.push_back(uint8_t(v));
    b.push_back(uint8_t(v >> 8));
    return *this;
  }
  Body& u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(uint8_t(v >> (8 * i)));
    return *this;
  }
  Body& f32(float f) {
    uint32_t v;
    memcpy(&v, &f, 4);
    return u32(v);
  }
  Body& bytes(const uint8_t* p, size_t n) {
    b.insert(b.end(), p, p + n);
    return *this;
  }
};

inline Bytes encode_frame(uint8_t type, uint16_t id, const Bytes& body) {
  Bytes payload{type, uint8_t(id), uint8_t(id >> 8)};
  payload.insert(payload.end(), body.begin(), body.end());
  Bytes out(tt::frame_buffer_bytes(uint32_t(payload.size())) + 8);
  const uint32_t n =
      tt::frame_encode(payload.data(), uint32_t(payload.size()), out.data(), uint32_t(out.size()));
  out.resize(n);
  return out;
}

// Decodes every frame in `wire` (all must be good) into answers.
inline std::vector<Answer> decode_all(const Bytes& wire, bool* all_good = nullptr) {
  std::vector<Answer> out;
  Bytes buf(tt::frame_buffer_bytes(65535));
  tt::FrameDecoder dec;
  dec.init(buf.data(), uint32_t(buf.size()), 65535);
  if (all_good) *all_good = true;
  const uint8_t* p = wire.data();
  uint32_t left = uint32_t(wire.size());
  while (left > 0) {
    tt::FrameEvent ev;
    const uint32_t used = dec.feed(p, left, &ev);
    p += used;
    left -= used;
    if (ev == tt::FrameEvent::kFrame) {
      Answer a;
      a.type = dec.payload()[0];
      a.id = tt::load_u16(dec.payload() + 1);
      a.body.assign(dec.payload() + 3, dec.payload() + dec.payload_len());
      out.push_back(a);
    } else if (ev == tt::FrameEvent::kBad && all_good) {
      *all_good = false;
    }
  }
  return out;
}

class Harness {
 public:
  explicit Harness(uint32_t max_payload = 256, uint32_t pool_bytes = 4096,
                   MemFlash* flash = nullptr)
      : Harness(test_config(max_payload, pool_bytes), nullptr, flash) {}
  // A board with its own configuration whose flash store comes from `make_store` at every boot
  // (as a sketch's setup() gets it): the Arduino sketch's board headers in tests/sketches.
  Harness(const tt::BoardConfig& board_config, tt::FlashStore* (*make_store)())
      : Harness(board_config, make_store, nullptr) {}
  ~Harness() { free(pool); }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  // A reset: RAM (pool, buffers) is scrambled, flash is kept.
  tt::BoardInit reboot() {
    if (make_store_ != nullptr) store = make_store_();
    memset(pool, 0xA5, config.pool_bytes);
    tt::BoardBuffers b;
    b.rx = rx.data();
    b.rx_bytes = uint32_t(rx.size());
    b.tx = tx.data();
    b.tx_bytes = uint32_t(tx.size());
    b.pool = pool;
    return status = board.init(config, b, &io, store);
  }

  std::vector<Answer> feed(const Bytes& wire) {
    io.wire.clear();
    board.receive(wire.data(), uint32_t(wire.size()));
    bool good = false;
    std::vector<Answer> out = decode_all(io.wire, &good);
    if (!good) out.push_back(Answer{0xEE, 0, {}});  // a frame the board sent is broken
    return out;
  }

  // Sends one request and returns its single answer (type 0 if there was not exactly one).
  Answer request(uint8_t type, uint16_t id, const Bytes& body = {}) {
    std::vector<Answer> a = feed(encode_frame(type, id, body));
    if (a.size() != 1) return Answer{};
    return a[0];
  }

  Answer begin(uint32_t total, uint32_t crc, uint8_t slot = 0, uint8_t flags = 0) {
    return request(tt::msg::kBegin, 10, Body().u32(total).u32(crc).u8(slot).u8(flags).b);
  }
  Answer chunk(uint32_t offset, const uint8_t* data, uint32_t len) {
    return request(tt::msg::kChunk, 11, Body().u32(offset).bytes(data, len).b);
  }
  Answer commit(uint32_t total, uint32_t crc) {
    return request(tt::msg::kCommit, 12, Body().u32(total).u32(crc).b);
  }
  uint32_t chunk_max() const { return config.max_payload - 7; }

  // Sends bytes [from, to) of `blob` in chunk_max pieces; false if any chunk was not ACCEPTED.
  bool send_range(const Bytes& blob, uint32_t from, uint32_t to) {
    for (uint32_t off = from; off < to; off += chunk_max()) {
      const uint32_t n = to - off < chunk_max() ? to - off : chunk_max();
      Answer a = chunk(off, blob.data() + off, n);
      if (a.type != 0x91 || a.u8(4) != 0 || a.u32(0) != off + n) return false;
    }
    return true;
  }
  // BEGIN + every chunk + COMMIT; returns COMMIT's answer (or the first unexpected one).
  Answer upload(const Bytes& blob, uint8_t slot = 0) {
    const uint32_t crc = tt::crc32(blob.data(), uint32_t(blob.size()));
    Answer a = begin(uint32_t(blob.size()), crc, slot, 0);
    if (a.type != 0x90) return a;
    if (!send_range(blob, 0, uint32_t(blob.size()))) return Answer{};
    return commit(uint32_t(blob.size()), crc);
  }
  // One float32 inference on a 1-in 1-out model; NaN when the answer is not INFER_OK.
  float infer1(float x) {
    Answer a = request(tt::msg::kInfer, 20, Body().u16(1).f32(x).b);
    if (a.type != 0xA0 || a.body.size() != 2 + 8) return 0.0f / 0.0f;
    float y;
    memcpy(&y, &a.body[6], 4);
    return y;
  }

  tt::BoardConfig config;
  CaptureIo io;
  tt::Board board;
  tt::BoardInit status = tt::BoardInit::kOk;
  tt::FlashStore* store = nullptr;  // the flash slot's storage; null = RAM only
  Bytes rx, tx;
  uint8_t* pool = nullptr;

 private:
  Harness(const tt::BoardConfig& board_config, tt::FlashStore* (*make_store)(),
          tt::FlashStore* fixed_store)
      : config(board_config), store(fixed_store), make_store_(make_store) {
    const uint32_t fb = tt::frame_buffer_bytes(config.max_payload);
    rx.resize(fb);
    tx.resize(fb);
    const uint32_t pool_bytes = config.pool_bytes;
    pool = static_cast<uint8_t*>(aligned_alloc(16, pool_bytes ? (pool_bytes + 15) / 16 * 16 : 16));
    reboot();
  }
  static tt::BoardConfig test_config(uint32_t max_payload, uint32_t pool_bytes) {
    tt::BoardConfig c;
    c.name = "test";
    c.cpu_hz = 16000000;
    c.tick_hz = 1000000;
    c.max_payload = max_payload;
    c.window = 3;
    c.pool_bytes = pool_bytes;
    return c;
  }

  tt::FlashStore* (*make_store_)() = nullptr;
};

}  // namespace harness
