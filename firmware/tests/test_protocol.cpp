// Every message of docs/protocol.md §3–§4 except the upload state machine (test_upload.cpp):
// HELLO, STATUS, INFER, ERROR codes, BAD_FRAME, malformed bodies and unknown types.
#include <string.h>

#include <initializer_list>
#include <string>

#include "board_harness.h"
#include "fc_blob.h"
#include "kernel_api.h"
#include "tt_test.h"

using harness::Answer;
using harness::Body;
using harness::Bytes;
using harness::Harness;
using harness::MemFlash;

namespace {

// Offsets into HELLO_OK for a board named "test".
struct Hello {
  explicit Hello(const Answer& a) : b(a.body) {
    size_t at = 4;
    name_len = b[at];
    name.assign(b.begin() + long(at) + 1, b.begin() + long(at) + 1 + name_len);
    at += 1 + name_len;
    cpu_hz = tt::load_u32(&b[at]);
    tick_hz = tt::load_u32(&b[at + 4]);
    max_payload = tt::load_u16(&b[at + 8]);
    window = b[at + 10];
    storage = b[at + 11];
    pool = tt::load_u32(&b[at + 12]);
    flash = tt::load_u32(&b[at + 16]);
    n_ops = b[at + 20];
    ops_at = at + 21;
    at = ops_at + 2 * n_ops;
    has_model = b[at++];
    if (has_model) {
      blob_len = tt::load_u32(&b[at]);
      blob_crc = tt::load_u32(&b[at + 4]);
      arena = tt::load_u32(&b[at + 8]);
      slot = b[at + 12];
      model_name.assign(b.begin() + long(at) + 14, b.begin() + long(at) + 14 + b[at + 13]);
      at += 14 + b[at + 13];
    }
    has_pending = b[at++];
    if (has_pending) {
      pending_len = tt::load_u32(&b[at]);
      pending_next = tt::load_u32(&b[at + 8]);
      pending_slot = b[at + 12];
      at += 13;
    }
    features = b[at++];
    end = at;
  }
  const Bytes& b;
  size_t name_len = 0, ops_at = 0, end = 0;
  std::string name, model_name;
  uint32_t cpu_hz = 0, tick_hz = 0, pool = 0, flash = 0, blob_len = 0, blob_crc = 0, arena = 0;
  uint32_t pending_len = 0, pending_next = 0;
  uint16_t max_payload = 0;
  uint8_t window = 0, storage = 0, n_ops = 0, has_model = 0, slot = 0, has_pending = 0,
          pending_slot = 0, features = 0;
};

}  // namespace

TT_TEST(protocol_hello_reports_board) {
  Harness h(256, 4096);
  TT_REQUIRE(h.status == tt::BoardInit::kOk);
  Answer a = h.request(tt::msg::kHello, 0x1234, {1});
  TT_REQUIRE(a.type == 0x81);
  TT_CHECK_EQ(a.id, 0x1234);
  TT_CHECK_EQ(a.u8(0), 1);
  TT_CHECK_EQ(a.u8(1), tt::kFirmwareMajor);
  Hello hello(a);
  TT_CHECK(hello.name == "test");
  TT_CHECK_EQ(hello.cpu_hz, 16000000u);
  TT_CHECK_EQ(hello.tick_hz, 1000000u);
  TT_CHECK_EQ(hello.max_payload, 256);
  TT_CHECK_EQ(hello.window, 3);
  TT_CHECK_EQ(hello.storage, 1);  // RAM only
  TT_CHECK_EQ(hello.pool, 4096u);
  TT_CHECK_EQ(hello.flash, 0u);
  TT_REQUIRE(hello.n_ops == tt::kSupportedOpCount);
  for (uint8_t i = 0; i < hello.n_ops; ++i) {
    TT_CHECK_EQ(tt::load_u16(&a.body[hello.ops_at + 2 * i]), tt::supported_op(i));
  }
  TT_CHECK_EQ(hello.has_model, 0);
  TT_CHECK_EQ(hello.has_pending, 0);
  TT_CHECK_EQ(hello.end, a.body.size());
}

TT_TEST(protocol_hello_with_flash_and_model) {
  MemFlash flash(8192, 1024);
  Harness h(256, 4096, &flash);
  const Bytes blob = fc_blob::make();
  TT_REQUIRE(h.upload(blob).type == 0x92);
  Answer a = h.request(tt::msg::kHello, 1, {1});
  TT_REQUIRE(a.type == 0x81);
  Hello hello(a);
  TT_CHECK_EQ(hello.storage, 3);
  TT_CHECK_EQ(hello.flash, 8192u);
  TT_CHECK_EQ(hello.has_model, 1);
  TT_CHECK_EQ(hello.blob_len, blob.size());
  TT_CHECK_EQ(hello.blob_crc, tt::crc32(blob.data(), uint32_t(blob.size())));
  TT_CHECK_EQ(hello.arena, 8u);
  TT_CHECK_EQ(hello.slot, 0);
  TT_CHECK(hello.model_name == "fc");
  TT_CHECK_EQ(hello.features, 3);  // staged inference, INFER total time
  TT_CHECK_EQ(hello.end, a.body.size());
}

TT_TEST(protocol_hello_fits_small_payload_by_cutting_name) {
  Harness h(128, 2048);
  h.config.name = "a-board-name-of-exactly-32-bytes";
  TT_REQUIRE(h.reboot() == tt::BoardInit::kOk);
  fc_blob::Options o;
  o.name = "a-very-long-model-name-that-is-sixty-four-bytes-long-xxxxxxxxxxx";
  TT_REQUIRE(strlen(o.name) == 64);
  TT_REQUIRE(h.upload(fc_blob::make(o)).type == 0x92);
  TT_REQUIRE(h.begin(100, 0).type == 0x90);  // a pending upload too: the longest answer
  Answer a = h.request(tt::msg::kHello, 1, {1});
  TT_REQUIRE(a.type == 0x81);
  TT_CHECK(a.body.size() + 3 <= 128);
  Hello hello(a);
  // Both names are cut to fit: the board name to what the operator list leaves (whole when it
  // fits), the model name to what is left of the frame (at least 8 bytes are kept for it).
  const std::string board = "a-board-name-of-exactly-32-bytes";
  TT_CHECK(!hello.name.empty());
  TT_CHECK(board.compare(0, hello.name.size(), hello.name) == 0);
  TT_CHECK(hello.model_name.size() < 64);
  TT_CHECK(hello.model_name.size() >= 8 || hello.name.size() == 32);
  TT_CHECK(hello.model_name.size() > 0);
  TT_CHECK_EQ(memcmp(hello.model_name.data(), o.name, hello.model_name.size()), 0);
  TT_CHECK_EQ(hello.has_pending, 1);
  TT_CHECK_EQ(hello.pending_len, 100u);
  TT_CHECK_EQ(hello.end, a.body.size());
}

TT_TEST(protocol_hello_versions_and_lengths) {
  Harness h;
  Answer a = h.request(tt::msg::kHello, 2, {2});
  TT_CHECK(a.is_error(tt::ErrorCode::kUnsupportedProtocol));
  TT_CHECK_EQ(a.error_detail(), 1u);
  TT_CHECK_EQ(a.id, 2);
  a = h.request(tt::msg::kHello, 3, {});
  TT_CHECK(a.is_error(tt::ErrorCode::kMalformed));
  TT_CHECK_EQ(a.error_detail(), 0u);
  a = h.request(tt::msg::kHello, 4, {1, 9, 9});  // a newer client's extra fields are ignored
  TT_CHECK_EQ(a.type, 0x81);
}

TT_TEST(protocol_status_counts) {
  Harness h;
  Bytes wire = {0x00, 0x31, 0x32, 0x00};  // flush, then one bad frame
  TT_CHECK_EQ(h.feed(wire).size(), 1u);
  Answer a = h.request(tt::msg::kStatus, 7);
  TT_REQUIRE(a.type == 0x82);
  TT_CHECK_EQ(a.u32(0), 1234u);  // uptime from BoardIo
  TT_CHECK_EQ(a.u32(4), 1u);     // frames_ok: this STATUS
  TT_CHECK_EQ(a.u32(8), 1u);     // bad_frames
  TT_CHECK_EQ(a.u32(12), 0u);    // inferences
  TT_CHECK_EQ(a.u8(16), 0);      // has_model
  TT_CHECK_EQ(a.u8(17), 0);      // has_pending
  TT_CHECK_EQ(a.body.size(), 18u);
  a = h.request(tt::msg::kStatus, 8, {0});
  TT_CHECK(a.is_error(tt::ErrorCode::kMalformed));
  TT_CHECK_EQ(a.error_detail(), 1u);
}

TT_TEST(protocol_unknown_types) {
  Harness h;
  for (int type_int : {0x00, 0x03, 0x14, 0x25, 0x7F, 0x81, 0xA1, 0xFE, 0xFF}) {
    const uint8_t type = uint8_t(type_int);
    Answer a = h.request(type, 0x0102, {1, 2, 3});
    TT_CHECK(a.is_error(tt::ErrorCode::kUnknownMessage));
    TT_CHECK_EQ(a.error_detail(), type);
    TT_CHECK_EQ(a.id, 0x0102);
  }
}

TT_TEST(protocol_malformed_bodies) {
  Harness h;
  struct Case {
    uint8_t type;
    size_t len;
  } cases[] = {{tt::msg::kBegin, 9},  {tt::msg::kBegin, 11},     {tt::msg::kBegin, 0},
               {tt::msg::kCommit, 7}, {tt::msg::kCommit, 9},     {tt::msg::kAbort, 1},
               {tt::msg::kChunk, 4},  {tt::msg::kChunk, 0},      {tt::msg::kInfer, 1},
               {tt::msg::kInfer, 0},  {tt::msg::kStatus, 3},     {tt::msg::kStage, 8},
               {tt::msg::kStage, 10}, {tt::msg::kStageChunk, 4}, {tt::msg::kRun, 7},
               {tt::msg::kRun, 9},    {tt::msg::kRead, 5},       {tt::msg::kRead, 7}};
  for (const Case& c : cases) {
    Answer a = h.request(c.type, 9, Bytes(c.len, 0));
    TT_CHECK(a.is_error(tt::ErrorCode::kMalformed));
    TT_CHECK_EQ(a.error_detail(), c.len);
  }
  // BEGIN with an undefined flag bit.
  Answer a = h.begin(10, 0, 0, 0x02);
  TT_CHECK(a.is_error(tt::ErrorCode::kMalformed));
  TT_CHECK_EQ(h.board.has_pending(), false);
}

TT_TEST(protocol_error_texts_are_short) {
  for (uint16_t c = 1; c <= 20; ++c) {
    const char* t = tt::error_text(tt::ErrorCode(c));
    TT_CHECK(t != nullptr);
    TT_CHECK(strlen(t) <= tt::kMaxErrorText);
    TT_CHECK(strlen(t) > 0);
  }
  Harness h;
  Answer a = h.request(0x55, 1);
  TT_REQUIRE(a.body.size() >= 7);
  TT_CHECK_EQ(a.body[6], a.body.size() - 7);  // str length byte matches
}

TT_TEST(protocol_answers_in_request_order) {
  Harness h;
  Bytes wire;
  for (uint16_t id = 100; id < 110; ++id) {
    Bytes f = harness::encode_frame(id % 2 ? tt::msg::kStatus : 0x66, id, {});
    wire.insert(wire.end(), f.begin(), f.end());
  }
  std::vector<Answer> all = h.feed(wire);
  TT_REQUIRE(all.size() == 10);
  for (uint16_t i = 0; i < 10; ++i) TT_CHECK_EQ(all[i].id, 100 + i);
}

TT_TEST(protocol_bad_frame_notice) {
  Harness h;
  std::vector<Answer> a = h.feed({0x11, 0x22, 0x00, 0x01, 0x00});
  TT_REQUIRE(a.size() == 2);
  TT_CHECK_EQ(a[0].type, 0xFE);
  TT_CHECK_EQ(a[0].id, 0xFFFF);
  TT_CHECK_EQ(a[0].u32(0), 0xFFFFFFFFu);
  TT_CHECK_EQ(a[0].u32(4), 1u);
  TT_CHECK_EQ(a[1].u32(4), 2u);
  // During an upload it carries next_offset.
  const Bytes blob = fc_blob::make();
  TT_REQUIRE(h.begin(uint32_t(blob.size()), 1).type == 0x90);
  TT_REQUIRE(h.chunk(0, blob.data(), 50).type == 0x91);
  a = h.feed({0x42, 0x00});
  TT_REQUIRE(a.size() == 1);
  TT_CHECK_EQ(a[0].u32(0), 50u);
  TT_CHECK_EQ(a[0].u32(4), 3u);
  // Lone delimiters are not bad frames.
  TT_CHECK(h.feed({0, 0, 0}).empty());
}

TT_TEST(protocol_init_rejects_bad_config) {
  Harness h;
  tt::BoardBuffers b;
  b.rx = h.rx.data();
  b.rx_bytes = uint32_t(h.rx.size());
  b.tx = h.tx.data();
  b.tx_bytes = uint32_t(h.tx.size());
  b.pool = h.pool;
  tt::Board board;
  tt::BoardConfig c = h.config;
  TT_CHECK(board.init(c, b, nullptr, nullptr) == tt::BoardInit::kBadConfig);
  c.max_payload = 100;
  TT_CHECK(board.init(c, b, &h.io, nullptr) == tt::BoardInit::kBadConfig);
  c = h.config;
  c.window = 0;
  TT_CHECK(board.init(c, b, &h.io, nullptr) == tt::BoardInit::kBadConfig);
  c = h.config;
  b.rx_bytes -= 1;
  TT_CHECK(board.init(c, b, &h.io, nullptr) == tt::BoardInit::kBufferTooSmall);
  b.rx_bytes += 1;
  b.pool = h.pool + 4;
  TT_CHECK(board.init(c, b, &h.io, nullptr) == tt::BoardInit::kMisalignedPool);
  b.pool = h.pool;
  TT_CHECK(board.init(c, b, &h.io, nullptr) == tt::BoardInit::kOk);
  board.receive(nullptr, 0);
}

// ---- INFER ----

TT_TEST(infer_without_model) {
  Harness h;
  Answer a = h.request(tt::msg::kInfer, 5, Body().u16(1).f32(1.0f).b);
  TT_CHECK(a.is_error(tt::ErrorCode::kNoModel));
  TT_CHECK_EQ(a.error_detail(), 0u);
}

TT_TEST(infer_batch_results_and_ticks) {
  Harness h(256, 4096);
  TT_REQUIRE(h.upload(fc_blob::make()).type == 0x92);
  Body body;
  body.u16(4);
  for (float x : {0.0f, 1.0f, -2.5f, 100.0f}) body.f32(x);
  Answer a = h.request(tt::msg::kInfer, 6, body.b);
  TT_REQUIRE(a.type == 0xA0);
  TT_CHECK_EQ(a.id, 6);
  TT_REQUIRE(a.body.size() == 2 + 4 * 8);
  TT_CHECK_EQ(a.u16(0), 4);
  const float expect[] = {1.0f, 3.0f, -4.0f, 201.0f};
  for (int i = 0; i < 4; ++i) {
    TT_CHECK_EQ(a.u32(2 + 8 * i), h.io.tick_step);  // across the 2^32 wrap too
    float y;
    memcpy(&y, &a.body[2 + 8 * i + 4], 4);
    TT_CHECK(y == expect[i]);
  }
  Answer s = h.request(tt::msg::kStatus, 7);
  TT_CHECK_EQ(s.u32(12), 4u);
  // An empty batch is fine.
  a = h.request(tt::msg::kInfer, 8, Body().u16(0).b);
  TT_CHECK_EQ(a.type, 0xA0);
  TT_CHECK_EQ(a.u16(0), 0);
}

TT_TEST(infer_input_size) {
  Harness h(256, 4096);
  TT_REQUIRE(h.upload(fc_blob::make()).type == 0x92);
  const Bytes bad[] = {Body().u16(2).f32(1).b, Body().u16(1).f32(1).u8(0).b, Body().u16(1).u8(1).b,
                       Body().u16(0).u8(1).b, Body().u16(3).f32(1).f32(2).b};
  for (const Bytes& b : bad) {
    Answer a = h.request(tt::msg::kInfer, 1, b);
    TT_CHECK(a.is_error(tt::ErrorCode::kInputSize));
    TT_CHECK_EQ(a.error_detail(), 4u);
  }
}

TT_TEST(infer_batch_too_large) {
  Harness h(128, 2048);
  TT_REQUIRE(h.upload(fc_blob::make()).type == 0x92);
  // Answer: 3 + 2 + count × (4 + 4) <= 128 → at most 15.
  Body b16;
  b16.u16(16);
  for (int i = 0; i < 16; ++i) b16.f32(float(i));
  Answer a = h.request(tt::msg::kInfer, 1, b16.b);
  TT_CHECK(a.is_error(tt::ErrorCode::kBatchTooLarge));
  TT_CHECK_EQ(a.error_detail(), 15u);
  Body b15;
  b15.u16(15);
  for (int i = 0; i < 15; ++i) b15.f32(float(i));
  a = h.request(tt::msg::kInfer, 2, b15.b);
  TT_REQUIRE(a.type == 0xA0);
  TT_CHECK_EQ(a.body.size() + 3, 5u + 15 * 8);
  TT_CHECK_EQ(h.board.inferences(), 15u);
}
