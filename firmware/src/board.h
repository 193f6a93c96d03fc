// The board: frame decoding, the protocol dispatcher (docs/protocol.md), uploads into the RAM pool
// or the flash slot, and inference. A shell owns every buffer and feeds received bytes to
// receive(); answers go out through BoardIo::write. No heap: all state lives in this object and the
// buffers.
#pragma once

#include <stdint.h>

#include "board_config.h"
#include "board_io.h"
#include "flash_slot.h"
#include "flash_store.h"
#include "frame.h"
#include "model.h"
#include "pool_layout.h"
#include "protocol.h"
#include "wire.h"

namespace tt {

// Caller-owned memory. rx and tx: at least frame_buffer_bytes(config.max_payload) bytes each, any
// alignment. pool: config.pool_bytes bytes, 16-byte aligned.
struct BoardBuffers {
  uint8_t* rx = nullptr;
  uint32_t rx_bytes = 0;
  uint8_t* tx = nullptr;
  uint32_t tx_bytes = 0;
  uint8_t* pool = nullptr;
};

enum class BoardInit : uint8_t {
  kOk = 0,
  kBadConfig = 1,       // max_payload, window or name out of range, or io missing
  kBufferTooSmall = 2,  // rx or tx smaller than frame_buffer_bytes(max_payload)
  kMisalignedPool = 3,  // pool not 16-byte aligned (or null with pool_bytes > 0)
  kBadFlash = 4,        // the FlashStore's geometry is unusable
};

// What init() found in the flash slot, for the shell's log.
enum class BootModel : uint8_t {
  kNone = 0,      // no committed flash model
  kLoaded = 1,    // the committed flash model passed its CRC and model_load, and runs
  kBadCrc = 2,    // committed bytes no longer match their CRC: not run
  kRejected = 3,  // model_load rejected it (e.g. a different firmware build): not run
};

class Board {
 public:
  // Resets all state. Call again to simulate a reset (RAM models and RAM uploads are lost; the
  // flash slot's committed model and pending upload come back). `flash` may be null (no flash
  // slot).
  BoardInit init(const BoardConfig& config, const BoardBuffers& buffers, BoardIo* io,
                 FlashStore* flash);

  // Feeds received bytes, in any split. Each complete frame is handled before the next byte is
  // looked at, and its answer written through BoardIo::write.
  void receive(const uint8_t* data, uint32_t len);

  // Read-only views for shells and tests.
  bool has_model() const { return running_.active; }
  const Model& model() const { return model_; }
  uint8_t model_slot() const { return running_.slot; }
  const uint8_t* arena() const { return running_.arena; }
  bool has_pending() const { return upload_.active; }
  uint32_t pending_next_offset() const { return upload_.next_offset; }
  uint8_t pending_slot() const { return upload_.slot; }
  const uint8_t* pending_data() const;  // where the pending upload's bytes are stored
  uint32_t frames_ok() const { return frames_ok_; }
  uint32_t bad_frames() const { return bad_frames_; }
  uint32_t inferences() const { return inferences_; }
  bool has_staged() const { return stage_.state == Stage::kStaging; }
  uint32_t staged_next_offset() const { return stage_.next_offset; }
  bool has_result() const { return stage_.state == Stage::kResult; }
  BootModel boot_model() const { return boot_model_; }
  uint32_t pool_bytes() const { return pool_bytes_; }

 private:
  struct Running {
    bool active = false;
    uint8_t slot = 0;
    uint32_t crc = 0;
    uint8_t* arena = nullptr;
    PoolSpan span;  // pool bytes in use: the blob (RAM slot) and the arena
  };
  // What an upload and a staged record have in common: the total_len and CRC their BEGIN or
  // STAGE announced, and how many bytes from the start have arrived.
  struct Transfer {
    uint32_t total_len = 0;
    uint32_t crc = 0;  // the blob's (BEGIN) or the record's (STAGE)
    uint32_t next_offset = 0;
  };
  struct Upload : Transfer {
    bool active = false;
    uint8_t slot = 0;
    uint32_t stage = 0;  // RAM slot: pool offset of byte 0
  };

  // Staged inference (board_stage.cpp): one input record staged straight into the model input
  // tensors' arena bytes, run in place, its result read from the output tensors' arena bytes. No
  // RAM of its own besides these counters.
  struct Stage : Transfer {  // total_len: the model's input_bytes
    enum State : uint8_t { kNone = 0, kStaging = 1, kResult = 2 };
    uint8_t state = kNone;
    uint32_t crc_state = 0;  // CRC-32 state over the accepted bytes [0, next_offset)
    uint32_t ticks = 0;      // kResult: RUN_OK's fields, repeated to a retried RUN
    uint32_t result_crc = 0;
  };

  // A request handler's outcome: kSent when it sent its answer, else the ERROR handle_frame sends
  // for it (fail(): the code in the low 16 bits, the detail in the high 32).
  typedef uint64_t Reply;
  static constexpr Reply kSent = 0;
  static Reply fail(ErrorCode code, uint32_t detail) {
    return static_cast<Reply>(detail) << 32 | static_cast<uint16_t>(code);
  }
  typedef Reply (Board::*Handler)(const uint8_t* body, uint32_t n);

  void handle_frame(const uint8_t* payload, uint32_t len);
  // Each handler answers the request in id_ (type_): its body, n bytes, the size already checked.
  Reply handle_hello(const uint8_t* body, uint32_t n);
  Reply handle_status(const uint8_t* body, uint32_t n);
  Reply handle_begin(const uint8_t* body, uint32_t n);  // BEGIN and STAGE
  Reply handle_chunk(const uint8_t* body, uint32_t n);  // CHUNK and STAGE_CHUNK
  Reply handle_commit(const uint8_t* body, uint32_t n);
  Reply handle_abort(const uint8_t* body, uint32_t n);
  Reply handle_infer(const uint8_t* body, uint32_t n);
  Reply handle_run(const uint8_t* body, uint32_t n);
  Reply handle_read(const uint8_t* body, uint32_t n);
  void send_run_ok();
  static Reply check_received(const Transfer& t, const uint8_t* body);
  // The arena bytes of the only model input (output), or nullptr when there are several.
  uint8_t* io_single(bool outputs) const;
  void load_boot_model();

  // Answer assembly: answer() starts a payload in the TX buffer with the header written (reply():
  // the answer to the request being handled); send() frames it and hands it to the shell.
  ByteWriter answer(uint8_t type, uint16_t id);
  ByteWriter reply() { return answer(static_cast<uint8_t>(type_ | msg::kAnswer), id_); }
  // The whole answer when it is up to four little-endian fields: field k has the byte count in
  // bits 4k … 4k + 3 of `sizes` (1 … 4; fields(…) builds it) and the value a, b, c or d. Sends it.
  static constexpr uint32_t fields(uint32_t n0, uint32_t n1 = 0, uint32_t n2 = 0, uint32_t n3 = 0) {
    return n0 | n1 << 4 | n2 << 8 | n3 << 12;
  }
  Reply reply_fields(uint32_t sizes, uint32_t a, uint32_t b = 0, uint32_t c = 0, uint32_t d = 0);
  // BEGIN_OK's and STAGE_OK's u16 chunk_max and u8 window as one 3-byte field.
  uint32_t chunk_and_window() const {
    return (config_.max_payload - kChunkOverhead) | static_cast<uint32_t>(config_.window) << 16;
  }
  void send(const ByteWriter& w);
  void send_error(uint16_t id, ErrorCode code, uint32_t detail);
  void send_bad_frame();
  // has_model … has_pending fields; `trailing` bytes are kept free behind them (the name is cut).
  void put_model_state(ByteWriter& w, uint32_t trailing = 0) const;
  void drop_upload();  // forgets the pending upload (and its flash record)

  // Ordered for the Cortex-M's short load / store encodings (small offsets from the object; the
  // order measured smallest), the large model_ (its op cache) last.
  Upload upload_;
  BootModel boot_model_ = BootModel::kNone;
  uint8_t type_ = 0;  // the request being handled
  uint8_t name_len_ = 0;
  Running running_;
  uint16_t id_ = 0;
  uint8_t* tx_ = nullptr;
  Stage stage_;
  uint8_t* pool_ = nullptr;
  uint32_t pool_bytes_ = 0;
  BoardIo* io_ = nullptr;
  uint32_t frames_ok_ = 0;
  uint32_t bad_frames_ = 0;
  uint32_t inferences_ = 0;
  BoardConfig config_;
  FlashSlot flash_;
  FrameDecoder decoder_;
  Model model_;  // the running model (running_); last: its op cache makes it large
};

}  // namespace tt
