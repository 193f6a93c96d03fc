// Board setup, frame intake, dispatch, and the HELLO / STATUS answers. Uploads: board_upload.cpp;
// inference: board_infer.cpp.
#include "board.h"

#include <string.h>

#include "crc32.h"
#include "kernel_api.h"

namespace tt {

namespace {

// HELLO_OK without the model name and with a board name of kMaxBoardName bytes (init uses the
// real name length): header 3, protocol
// 1, version 3, board str 1 + 32, cpu_hz 4, tick_hz 4, max_payload 2, window 1, storage 1, pool 4,
// flash 4, n_ops 1 (+ 2 per op), has_model 1 + 13 + name length byte 1, has_pending 1 + 13,
// features 1.
constexpr uint32_t kHelloFixedBytes =
    3 + 1 + 3 + 1 + kMaxBoardName + 4 + 4 + 2 + 1 + 1 + 4 + 4 + 1 + 1 + 13 + 1 + 1 + 13 + 1;
// Room HELLO_OK keeps for the model name before it cuts the board name (Board::init).
constexpr uint32_t kHelloModelNameBytes = 8;
constexpr uint8_t kFeatures = kFeatureStaged | kFeatureTotalTime;
constexpr uint32_t kPendingFieldBytes = 1 + 13;  // has_pending and its fields

// Longest prefix of `s` not longer than `max` that does not end inside a UTF-8 sequence. Out of
// line (smaller: two callers).
TT_NOINLINE uint32_t utf8_prefix(const char* s, uint32_t len, uint32_t max) {
  if (len <= max) return len;
  uint32_t n = max;
  while (n > 0 && (static_cast<uint8_t>(s[n]) & 0xC0u) == 0x80u) --n;
  return n;
}

// A model's or upload's state fields (HELLO_OK, STATUS_OK): three u32 and a u8.
TT_NOINLINE void put_state(ByteWriter& w, uint32_t a, uint32_t b, uint32_t c, uint8_t d) {
  if (uint8_t* p = w.reserve(13)) {
    store_u32(p, a);
    store_u32(p + 4, b);
    store_u32(p + 8, c);
    p[12] = d;
  }
}

}  // namespace

BoardInit Board::init(const BoardConfig& config, const BoardBuffers& buffers, BoardIo* io,
                      FlashStore* flash) {
  io_ = nullptr;
  running_ = Running();
  model_ = Model();
  upload_ = Upload();
  stage_ = Stage();
  frames_ok_ = bad_frames_ = inferences_ = 0;
  boot_model_ = BootModel::kNone;

  if (io == nullptr || config.name == nullptr || config.window == 0 ||
      config.max_payload < kMinMaxPayload || config.max_payload > kMaxMaxPayload) {
    return BoardInit::kBadConfig;
  }
  // HELLO_OK must fit one frame. Without the names it needs hello_fixed bytes; the board name gets
  // what is left after kHelloModelNameBytes of room for the model name (a 128-byte frame with a
  // long operator list cuts a long board name; a short one is sent whole), and the model name is
  // cut to fit at each answer.
  const uint32_t hello_fixed = kHelloFixedBytes - kMaxBoardName + 2u * kSupportedOpCount;
  if (hello_fixed + kHelloModelNameBytes + 1u > config.max_payload) return BoardInit::kBadConfig;
  const uint32_t board_name_room = config.max_payload - hello_fixed - kHelloModelNameBytes;
  const uint32_t frame_bytes = frame_buffer_bytes(config.max_payload);
  if (buffers.rx == nullptr || buffers.tx == nullptr || buffers.rx_bytes < frame_bytes ||
      buffers.tx_bytes < frame_bytes) {
    return BoardInit::kBufferTooSmall;
  }
  const uint32_t pool_bytes = pool_align_down(config.pool_bytes);
  if (pool_bytes > 0 &&
      (buffers.pool == nullptr || (reinterpret_cast<uintptr_t>(buffers.pool) & 15u) != 0)) {
    return BoardInit::kMisalignedPool;
  }
  if (!flash_.init(flash)) return BoardInit::kBadFlash;

  config_ = config;
  uint32_t name_len = 0;  // bounded: the name need not be terminated within kMaxBoardName
  while (name_len <= kMaxBoardName && config.name[name_len] != '\0') ++name_len;
  const uint32_t name_max = board_name_room < kMaxBoardName ? board_name_room : kMaxBoardName;
  name_len_ = static_cast<uint8_t>(utf8_prefix(config.name, name_len, name_max));
  io_ = io;
  tx_ = buffers.tx;
  pool_ = buffers.pool;
  pool_bytes_ = pool_bytes;
  decoder_.init(buffers.rx, buffers.rx_bytes, config.max_payload);

  load_boot_model();
  const FlashMeta& meta = flash_.meta();
  if (meta.pending) {
    upload_.active = true;
    upload_.slot = kSlotFlash;
    upload_.total_len = meta.pending_len;
    upload_.crc = meta.pending_crc;
    upload_.next_offset = meta.pending_next;
  }
  return BoardInit::kOk;
}

void Board::load_boot_model() {
  const uint8_t* blob = flash_.committed_view();
  if (blob == nullptr) return;
  const FlashMeta& meta = flash_.meta();
  if (crc32(blob, meta.committed_len) != meta.committed_crc) {
    boot_model_ = BootModel::kBadCrc;
    return;
  }
  // Straight into model_: nothing runs yet (init reset running_; a rejected load leaves
  // the model reset and inactive).
  Model& model = model_;
  if (model_load(blob, meta.committed_len, pool_bytes_, &model, nullptr) != ModelStatus::kOk) {
    boot_model_ = BootModel::kRejected;
    return;
  }
  running_.active = true;
  running_.slot = kSlotFlash;
  running_.crc = meta.committed_crc;
  running_.arena = pool_;
  running_.span.start = 0;
  running_.span.end = model.arena_size;
  boot_model_ = BootModel::kLoaded;
}

void Board::receive(const uint8_t* data, uint32_t len) {
  if (io_ == nullptr) return;  // init failed
  while (len > 0) {
    FrameEvent event;
    const uint32_t used = decoder_.feed(data, len, &event);
    data += used;
    len -= used;
    if (event == FrameEvent::kFrame) {
      ++frames_ok_;
      handle_frame(decoder_.payload(), decoder_.payload_len());
    } else if (event == FrameEvent::kBad) {
      ++bad_frames_;
      send_bad_frame();
    }
  }
}

void Board::handle_frame(const uint8_t* payload, uint32_t len) {
  // Request type, body size (kAtLeast: a minimum) and handler, in one table instead of a switch.
  constexpr uint8_t kAtLeast = 0x80;
  struct Route {
    uint8_t type;
    uint8_t size;
    Handler handler;
  };
  static const Route kRoutes[] = {
      {msg::kHello, kAtLeast | body::kHello, &Board::handle_hello},
      {msg::kStatus, body::kStatus, &Board::handle_status},
      {msg::kBegin, body::kBegin, &Board::handle_begin},
      {msg::kChunk, kAtLeast | body::kChunkMin, &Board::handle_chunk},
      {msg::kCommit, body::kCommit, &Board::handle_commit},
      {msg::kAbort, body::kAbort, &Board::handle_abort},
      {msg::kInfer, kAtLeast | body::kInferMin, &Board::handle_infer},
      {msg::kStage, body::kStage, &Board::handle_begin},
      {msg::kStageChunk, kAtLeast | body::kStageChunkMin, &Board::handle_chunk},
      {msg::kRun, body::kRun, &Board::handle_run},
      {msg::kRead, body::kRead, &Board::handle_read},
  };
  type_ = payload[0];
  id_ = load_u16(payload + 1);
  const uint8_t* const body = payload + kHeaderBytes;
  const uint32_t n = len - kHeaderBytes;
  Reply r = fail(ErrorCode::kUnknownMessage, type_);
  for (const Route& route : kRoutes) {
    if (route.type != type_) continue;
    const uint32_t size = route.size & ~kAtLeast;
    const bool ok = (route.size & kAtLeast) != 0 ? n >= size : n == size;
    r = ok ? (this->*route.handler)(body, n) : fail(ErrorCode::kMalformed, n);
    break;
  }
  if (r != kSent)
    send_error(id_, static_cast<ErrorCode>(r & 0xFFFFu), static_cast<uint32_t>(r >> 32));
}

Board::Reply Board::handle_hello(const uint8_t* body, uint32_t) {
  const uint8_t client_protocol = body[0];  // later bytes: a newer client's additions, ignored
  if (client_protocol != kProtocolVersion) {
    return fail(ErrorCode::kUnsupportedProtocol, kProtocolVersion);
  }
  ByteWriter w = reply();
  if (uint8_t* p = w.reserve(4)) {
    p[0] = kProtocolVersion;
    p[1] = config_.fw_major;
    p[2] = config_.fw_minor;
    p[3] = config_.fw_patch;
  }
  w.str(config_.name, name_len_);
  // cpu_hz, tick_hz, max_payload, window, storage, pool, flash, n_ops: 21 bytes.
  if (uint8_t* p = w.reserve(21)) {
    store_u32(p, config_.cpu_hz);
    store_u32(p + 4, config_.tick_hz);
    store_u16(p + 8, static_cast<uint16_t>(config_.max_payload));
    p[10] = config_.window;
    p[11] = static_cast<uint8_t>(kStorageRam | (flash_.available() ? kStorageFlash : 0));
    store_u32(p + 12, pool_bytes_);
    store_u32(p + 16, flash_.capacity());
    p[20] = kSupportedOpCount;
  }
  if (uint8_t* p = w.reserve(2u * kSupportedOpCount)) {
    for (uint32_t i = 0; i < kSupportedOpCount; ++i) store_u16(p + 2 * i, supported_op(i));
  }
  put_model_state(w, 1);
  w.u8(kFeatures);
  send(w);
  return kSent;
}

Board::Reply Board::handle_status(const uint8_t*, uint32_t) {
  ByteWriter w = reply();
  if (uint8_t* p = w.reserve(16)) {
    store_u32(p, io_->uptime_ms());
    store_u32(p + 4, frames_ok_);
    store_u32(p + 8, bad_frames_);
    store_u32(p + 12, inferences_);
  }
  put_model_state(w);
  send(w);
  return kSent;
}

void Board::put_model_state(ByteWriter& w, uint32_t trailing) const {
  w.u8(running_.active ? 1 : 0);
  if (running_.active) {
    const Model& m = model_;
    put_state(w, m.blob_size, running_.crc, m.arena_size, running_.slot);
    // The name is the one variable-length field: it is cut (at a UTF-8 boundary) when a small
    // max_payload leaves no room for all of it.
    const uint32_t reserve = 1u + kPendingFieldBytes + trailing;
    const uint32_t room = w.room() > reserve ? w.room() - reserve : 0;
    const uint32_t max = room > 255u ? 255u : room;
    const uint32_t name_len = m.name == nullptr ? 0 : m.name_len;
    w.str(m.name, static_cast<uint8_t>(utf8_prefix(m.name, name_len, max)));
  }
  w.u8(upload_.active ? 1 : 0);
  if (upload_.active) {
    put_state(w, upload_.total_len, upload_.crc, upload_.next_offset, upload_.slot);
  }
}

ByteWriter Board::answer(uint8_t type, uint16_t id) {
  ByteWriter w(tx_ + frame_headroom(config_.max_payload), config_.max_payload);
  if (uint8_t* p = w.reserve(kHeaderBytes)) {
    p[0] = type;
    store_u16(p + 1, id);
  }
  return w;
}

Board::Reply Board::reply_fields(uint32_t sizes, uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  ByteWriter w = reply();
  const uint32_t values[4] = {a, b, c, d};
  for (const uint32_t* v = values; sizes != 0; sizes >>= 4, ++v) {
    const uint32_t n = sizes & 15u;
    uint8_t* p = w.reserve(n);
    if (p == nullptr) break;  // send() drops the answer
    TT_MEMCPY(p, v, n);       // the low n bytes (little-endian)
  }
  send(w);
  return kSent;
}

void Board::send(const ByteWriter& w) {
  // Every answer is sized against max_payload (init checks HELLO_OK's fixed part; names are cut;
  // INFER checks its batch), so a failed writer means a bug, and nothing half-built goes out.
  if (!w.ok()) return;
  const uint32_t n = frame_encode_in_place(tx_, config_.max_payload, w.size());
  if (n > 0) io_->write(tx_, n);
}

void Board::send_error(uint16_t id, ErrorCode code, uint32_t detail) {
  ByteWriter w = answer(msg::kError, id);
  if (uint8_t* p = w.reserve(6)) {
    store_u16(p, static_cast<uint16_t>(code));
    store_u32(p + 2, detail);
  }
  const char* text = error_text(code);
  uint32_t len = 0;
  while (len < kMaxErrorText && text[len] != '\0') ++len;
  w.str(text, static_cast<uint8_t>(len));
  send(w);
}

void Board::send_bad_frame() {
  ByteWriter w = answer(msg::kBadFrame, kUnsolicitedId);
  if (uint8_t* p = w.reserve(8)) {
    store_u32(p, upload_.active ? upload_.next_offset : kNoPendingOffset);
    store_u32(p + 4, bad_frames_);
  }
  send(w);
}

}  // namespace tt
