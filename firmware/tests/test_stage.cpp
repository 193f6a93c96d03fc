// Staged inference (docs/protocol.md §7.2): STAGE / STAGE_CHUNK / RUN / READ through the
// dispatcher, on a 128-byte frame (the mega2560 profile) with records larger than a frame, and
// INFER's one-total-time flag (§7.1). Expected outputs are worked out by hand: RELU6 with the same
// input and output quantization is a clamp to [act_min, act_max] (test_kernel_elementwise.cpp).
#include <string.h>

#include "board_harness.h"
#include "fc_blob.h"
#include "test_model_builder.h"
#include "tt_test.h"

using harness::Answer;
using harness::Body;
using harness::Harness;
using tt_test::BlobBuilder;
using tt_test::Params;
using Bytes = std::vector<uint8_t>;
namespace f = tt::fmt;

namespace {

constexpr int8_t kHi = -68;  // act_max of the clamp below: y = min(x, -68)

Params clamp_params() {
  return Params().i32(-128).i32(-128).i32(1 << 30).i32(1).i32(-128).i32(kHi);
}

// int8 [n] -> RELU6 (a clamp to [-128, -68]) -> int8 [n]: input at arena 0, output behind it.
Bytes clamp_model(uint16_t n) {
  BlobBuilder b;
  const uint16_t x = b.arena(f::kTypeInt8, {n});
  const uint16_t y = b.arena(f::kTypeInt8, {n});
  b.op(f::kOpRelu6, {x}, {y}, clamp_params());
  b.io({x}, {y});
  return b.build();
}

// Two inputs and two outputs of 16 bytes each (contiguous in the arena), or with the inputs
// listed in the opposite order of their arena places (`swapped`: not contiguous in model order).
Bytes two_input_model(bool swapped) {
  BlobBuilder b;
  const uint16_t x1 = b.arena(f::kTypeInt8, {16});
  const uint16_t x2 = b.arena(f::kTypeInt8, {16});
  const uint16_t y1 = b.arena(f::kTypeInt8, {16});
  const uint16_t y2 = b.arena(f::kTypeInt8, {16});
  b.op(f::kOpRelu6, {x1}, {y1}, clamp_params());
  b.op(f::kOpRelu6, {x2}, {y2}, clamp_params());
  if (swapped) {
    b.io({x2, x1}, {y1, y2});
  } else {
    b.io({x1, x2}, {y1, y2});
  }
  return b.build();
}

Bytes ramp(uint32_t n) {
  Bytes r(n);
  for (uint32_t i = 0; i < n; ++i) r[i] = uint8_t(i * 7 + 3);
  return r;
}

Bytes clamp_of(const Bytes& x) {
  Bytes y(x.size());
  for (size_t i = 0; i < x.size(); ++i) y[i] = int8_t(x[i]) < kHi ? x[i] : uint8_t(kHi);
  return y;
}

uint32_t crc_of(const Bytes& b) { return tt::crc32(b.data(), uint32_t(b.size())); }

Answer stage(Harness& h, uint32_t len, uint32_t crc, uint8_t flags = 0) {
  return h.request(tt::msg::kStage, 30, Body().u32(len).u32(crc).u8(flags).b);
}
Answer stage_chunk(Harness& h, const Bytes& rec, uint32_t off, uint32_t len) {
  return h.request(tt::msg::kStageChunk, 31, Body().u32(off).bytes(rec.data() + off, len).b);
}
Answer run(Harness& h, uint32_t len, uint32_t crc) {
  return h.request(tt::msg::kRun, 32, Body().u32(len).u32(crc).b);
}
Answer read(Harness& h, uint32_t off, uint16_t len) {
  return h.request(tt::msg::kRead, 33, Body().u32(off).u16(len).b);
}

// Stages `rec` whole in chunk_max pieces; false unless every piece is ACCEPTED.
bool stage_all(Harness& h, const Bytes& rec) {
  for (uint32_t off = 0; off < rec.size(); off += h.chunk_max()) {
    const uint32_t n = std::min<uint32_t>(h.chunk_max(), uint32_t(rec.size()) - off);
    Answer a = stage_chunk(h, rec, off, n);
    if (a.type != 0xA2 || a.u32(0) != off + n || a.u8(4) != 0) return false;
  }
  return true;
}

// Reads the whole result back in READ pieces of at most `piece` bytes.
Bytes read_all(Harness& h, uint32_t len, uint16_t piece) {
  Bytes out;
  for (uint32_t off = 0; off < len; off += piece) {
    const uint16_t n = uint16_t(std::min<uint32_t>(piece, len - off));
    Answer a = read(h, off, n);
    if (a.type != 0xA4 || a.u32(0) != off || a.body.size() != 4u + n) return {};
    out.insert(out.end(), a.body.begin() + 4, a.body.end());
  }
  return out;
}

}  // namespace

TT_TEST(stage_happy_path_on_a_128_byte_frame) {
  Harness h(128, 4096);
  TT_REQUIRE(h.upload(clamp_model(300)).type == 0x92);
  const Bytes x = ramp(300);
  const Bytes y = clamp_of(x);
  // docs/protocol.md §7.2's worked example: these CRCs come from zlib, not from this firmware.
  TT_CHECK_EQ(crc_of(x), 0xDE0E57CEu);
  TT_CHECK_EQ(crc_of(y), 0x76A2CB3Cu);
  Answer a = stage(h, 300, crc_of(x));
  TT_REQUIRE(a.type == 0xA1);
  TT_CHECK_EQ(a.u32(0), 0u);    // next_offset
  TT_CHECK_EQ(a.u16(4), 121);   // chunk_max = 128 - 7
  TT_CHECK_EQ(a.u8(6), 3);      // the board's window (harness config)
  TT_CHECK_EQ(a.u32(7), 300u);  // result_len
  TT_CHECK_EQ(a.body.size(), 11u);
  TT_REQUIRE(stage_all(h, x));
  TT_CHECK(h.board.has_staged());
  a = run(h, 300, crc_of(x));
  TT_REQUIRE(a.type == 0xA3);
  TT_CHECK_EQ(a.u32(0), h.io.tick_step);
  TT_CHECK_EQ(a.u32(4), 300u);
  TT_CHECK_EQ(a.u32(8), crc_of(y));
  TT_CHECK(h.board.has_result());
  TT_CHECK(read_all(h, 300, 121) == y);
  TT_CHECK(read_all(h, 300, 7) == y);  // reads are idempotent, any split
  // A retried RUN (its RUN_OK lost) gets the same answer without a second inference.
  Answer again = run(h, 300, crc_of(x));
  TT_CHECK_EQ(again.type, 0xA3);
  TT_CHECK(again.body == a.body);
  TT_CHECK_EQ(h.board.inferences(), 1u);
  // The record was consumed: a RUN for another record finds nothing staged.
  TT_CHECK(run(h, 300, crc_of(x) ^ 1).is_error(tt::ErrorCode::kNoStage));
}

TT_TEST(stage_duplicate_and_straddling_chunks) {
  Harness h(128, 4096);
  TT_REQUIRE(h.upload(clamp_model(300)).type == 0x92);
  const Bytes x = ramp(300);
  TT_REQUIRE(stage(h, 300, crc_of(x)).type == 0xA1);
  Answer a = stage_chunk(h, x, 0, 100);
  TT_CHECK_EQ(a.u32(0), 100u);
  TT_CHECK_EQ(a.u8(4), 0);  // ACCEPTED
  a = stage_chunk(h, x, 0, 100);
  TT_CHECK_EQ(a.u32(0), 100u);
  TT_CHECK_EQ(a.u8(4), 1);  // DUPLICATE
  a = stage_chunk(h, x, 50, 50);
  TT_CHECK_EQ(a.u8(4), 1);
  a = stage_chunk(h, x, 60, 100);  // straddles next_offset: bytes 100 .. 159 are new
  TT_CHECK_EQ(a.u32(0), 160u);
  TT_CHECK_EQ(a.u8(4), 0);
  a = stage_chunk(h, x, 160, 121);
  a = stage_chunk(h, x, 281, 19);
  TT_CHECK_EQ(a.u32(0), 300u);
  a = run(h, 300, crc_of(x));
  TT_REQUIRE(a.type == 0xA3);
  TT_CHECK_EQ(a.u32(8), crc_of(clamp_of(x)));
}

TT_TEST(stage_gap_then_go_back) {
  Harness h(128, 4096);
  TT_REQUIRE(h.upload(clamp_model(300)).type == 0x92);
  const Bytes x = ramp(300);
  TT_REQUIRE(stage(h, 300, crc_of(x)).type == 0xA1);
  TT_CHECK_EQ(stage_chunk(h, x, 0, 121).u32(0), 121u);
  // The chunk at 121 was lost: the next two come back GAP with the same next_offset.
  for (uint32_t off : {242u, 263u}) {
    Answer a = stage_chunk(h, x, off, 21);
    TT_CHECK_EQ(a.u32(0), 121u);
    TT_CHECK_EQ(a.u8(4), 2);
  }
  // Go back to 121 and finish.
  TT_CHECK_EQ(stage_chunk(h, x, 121, 121).u32(0), 242u);
  TT_CHECK_EQ(stage_chunk(h, x, 242, 58).u32(0), 300u);
  TT_CHECK_EQ(run(h, 300, crc_of(x)).type, 0xA3);
  TT_CHECK(read_all(h, 300, 100) == clamp_of(x));
}

TT_TEST(stage_bad_crc_discards_the_record) {
  Harness h(128, 4096);
  TT_REQUIRE(h.upload(clamp_model(300)).type == 0x92);
  const Bytes x = ramp(300);
  const uint32_t wrong = crc_of(x) ^ 0x00010000u;
  TT_REQUIRE(stage(h, 300, wrong).type == 0xA1);
  TT_REQUIRE(stage_all(h, x));
  Answer a = run(h, 300, wrong);
  TT_CHECK(a.is_error(tt::ErrorCode::kChecksumMismatch));
  TT_CHECK_EQ(a.error_detail(), crc_of(x));  // what the board computed
  TT_CHECK(!h.board.has_staged());
  TT_CHECK(run(h, 300, wrong).is_error(tt::ErrorCode::kNoStage));
  TT_CHECK(stage_chunk(h, x, 0, 10).is_error(tt::ErrorCode::kNoStage));
  TT_CHECK_EQ(h.board.inferences(), 0u);
}

TT_TEST(stage_run_without_a_complete_record) {
  Harness h(128, 4096);
  TT_REQUIRE(h.upload(clamp_model(300)).type == 0x92);
  const Bytes x = ramp(300);
  Answer a = run(h, 300, crc_of(x));
  TT_CHECK(a.is_error(tt::ErrorCode::kNoStage));
  TT_CHECK_EQ(a.error_detail(), 0u);
  TT_REQUIRE(stage(h, 300, crc_of(x)).type == 0xA1);
  TT_CHECK_EQ(stage_chunk(h, x, 0, 121).u32(0), 121u);
  a = run(h, 300, crc_of(x));
  TT_CHECK(a.is_error(tt::ErrorCode::kIncomplete));
  TT_CHECK_EQ(a.error_detail(), 121u);
  TT_CHECK(run(h, 300, crc_of(x) ^ 1).is_error(tt::ErrorCode::kParamsMismatch));
  TT_CHECK(run(h, 299, crc_of(x)).is_error(tt::ErrorCode::kParamsMismatch));
  TT_CHECK(h.board.has_staged());  // still staged: resume and finish
  a = stage(h, 300, crc_of(x), tt::kBeginResume);
  TT_REQUIRE(a.type == 0xA1);
  TT_CHECK_EQ(a.u32(0), 121u);
  TT_REQUIRE(stage_chunk(h, x, 121, 121).u32(0) == 242u);
  TT_REQUIRE(stage_chunk(h, x, 242, 58).u32(0) == 300u);
  TT_CHECK_EQ(run(h, 300, crc_of(x)).type, 0xA3);
  // Without the resume flag (or with other parameters) STAGE starts afresh at 0.
  TT_CHECK_EQ(stage(h, 300, crc_of(x)).u32(0), 0u);
  TT_CHECK_EQ(stage_chunk(h, x, 0, 100).u32(0), 100u);
  TT_CHECK_EQ(stage(h, 300, 1234, tt::kBeginResume).u32(0), 0u);
}

TT_TEST(stage_invalidated_by_a_new_model_and_by_infer_not_by_an_upload) {
  Harness h(128, 4096);
  const Bytes model = clamp_model(300);
  TT_REQUIRE(h.upload(model).type == 0x92);
  const Bytes x = ramp(300);
  TT_REQUIRE(stage(h, 300, crc_of(x)).type == 0xA1);
  TT_CHECK_EQ(stage_chunk(h, x, 0, 121).u32(0), 121u);
  // An upload in progress stages its blob outside the running model's arena: the record stays.
  const Bytes next = clamp_model(200);
  const uint32_t next_crc = crc_of(next);
  TT_REQUIRE(h.begin(uint32_t(next.size()), next_crc).type == 0x90);
  TT_REQUIRE(h.send_range(next, 0, 100));
  TT_CHECK_EQ(stage_chunk(h, x, 121, 121).u32(0), 242u);
  // The COMMIT that replaces the model drops the staged record.
  TT_REQUIRE(h.send_range(next, 100, uint32_t(next.size())));
  TT_REQUIRE(h.commit(uint32_t(next.size()), next_crc).type == 0x92);
  TT_CHECK(!h.board.has_staged());
  TT_CHECK(stage_chunk(h, x, 242, 58).is_error(tt::ErrorCode::kNoStage));
  TT_CHECK(run(h, 300, crc_of(x)).is_error(tt::ErrorCode::kNoStage));
  TT_CHECK(stage(h, 300, crc_of(x)).is_error(tt::ErrorCode::kInputSize));
  // A result is dropped by INFER (it reuses the arena) and by the next COMMIT.
  TT_REQUIRE(h.upload(clamp_model(50)).type == 0x92);
  const Bytes x2 = ramp(50);
  TT_REQUIRE(stage(h, 50, crc_of(x2)).type == 0xA1);
  TT_REQUIRE(stage_all(h, x2));
  TT_REQUIRE(run(h, 50, crc_of(x2)).type == 0xA3);
  TT_CHECK(h.board.has_result());
  Body b;
  b.u16(1).bytes(x2.data(), 50);
  TT_REQUIRE(h.request(tt::msg::kInfer, 40, b.b).type == 0xA0);
  TT_CHECK(!h.board.has_result());
  TT_CHECK(read(h, 0, 10).is_error(tt::ErrorCode::kNoResult));
  TT_REQUIRE(stage(h, 50, crc_of(x2)).type == 0xA1);
  TT_REQUIRE(stage_all(h, x2));
  TT_REQUIRE(run(h, 50, crc_of(x2)).type == 0xA3);
  TT_REQUIRE(h.upload(model).type == 0x92);
  TT_CHECK(read(h, 0, 10).is_error(tt::ErrorCode::kNoResult));
  // A reset drops everything.
  TT_REQUIRE(stage(h, 300, crc_of(x)).type == 0xA1);
  TT_REQUIRE(h.reboot() == tt::BoardInit::kOk);
  TT_CHECK(stage_chunk(h, x, 0, 10).is_error(tt::ErrorCode::kNoStage));
}

TT_TEST(stage_read_bounds) {
  Harness h(128, 4096);
  TT_REQUIRE(h.upload(clamp_model(300)).type == 0x92);
  Answer a = read(h, 0, 1);
  TT_CHECK(a.is_error(tt::ErrorCode::kNoResult));
  TT_CHECK_EQ(a.error_detail(), 0u);
  const Bytes x = ramp(300);
  TT_REQUIRE(stage(h, 300, crc_of(x)).type == 0xA1);
  TT_REQUIRE(stage_all(h, x));
  TT_REQUIRE(run(h, 300, crc_of(x)).type == 0xA3);
  struct Case {
    uint32_t off;
    uint16_t len;
  } bad[] = {{0, 0}, {0, 122}, {200, 101}, {300, 1}, {301, 1}, {0xFFFFFFFFu, 2}, {290, 0xFFFF}};
  for (const Case& c : bad) {
    a = read(h, c.off, c.len);
    TT_CHECK(a.is_error(tt::ErrorCode::kBadOffset));
    TT_CHECK_EQ(a.error_detail(), 300u);
  }
  const Bytes y = clamp_of(x);
  a = read(h, 179, 121);  // the largest read, ending exactly at result_len
  TT_REQUIRE(a.type == 0xA4);
  TT_CHECK_EQ(a.u32(0), 179u);
  TT_CHECK(Bytes(a.body.begin() + 4, a.body.end()) == Bytes(y.begin() + 179, y.end()));
  TT_CHECK_EQ(a.body.size() + 3, 128u);  // a full frame
  // Staged chunks are bounded by the record like CHUNK by the blob.
  TT_REQUIRE(stage(h, 300, crc_of(x)).type == 0xA1);
  a = stage_chunk(h, x, 290, 11 - 1);
  TT_CHECK_EQ(a.u8(4), 2);  // in range, but a gap
  Bytes past(11, 0);
  a = h.request(tt::msg::kStageChunk, 1, Body().u32(290).bytes(past.data(), 11).b);
  TT_CHECK(a.is_error(tt::ErrorCode::kBadOffset));
  TT_CHECK_EQ(a.error_detail(), 300u);
}

TT_TEST(stage_checks_in_order) {
  Harness h(128, 4096);
  Answer a = stage(h, 300, 0);
  TT_CHECK(a.is_error(tt::ErrorCode::kNoModel));
  a = stage(h, 300, 0, 0x02);  // undefined flag bits come first
  TT_CHECK(a.is_error(tt::ErrorCode::kMalformed));
  TT_CHECK_EQ(a.error_detail(), 9u);
  TT_REQUIRE(h.upload(clamp_model(300)).type == 0x92);
  a = stage(h, 301, 0);
  TT_CHECK(a.is_error(tt::ErrorCode::kInputSize));
  TT_CHECK_EQ(a.error_detail(), 300u);
}

TT_TEST(stage_inputs_listed_against_arena_order) {
  // The record is the inputs in model order; the arena holds them in the other order. Each chunk
  // lands in the right tensor, and the result equals small-record INFER's (which copies).
  Harness h(128, 4096);
  TT_REQUIRE(h.upload(two_input_model(true)).type == 0x92);
  const Bytes x = ramp(32);
  Body b;
  b.u16(1).bytes(x.data(), 32);
  Answer a = h.request(tt::msg::kInfer, 41, b.b);
  TT_REQUIRE(a.type == 0xA0);
  const Bytes want(a.body.begin() + 6, a.body.end());
  TT_CHECK_EQ(want.size(), 32u);
  TT_REQUIRE(stage(h, 32, crc_of(x)).type == 0xA1);
  TT_CHECK_EQ(stage_chunk(h, x, 0, 10).u32(0), 10u);  // crosses from input 1 into input 2
  TT_CHECK_EQ(stage_chunk(h, x, 10, 22).u32(0), 32u);
  a = run(h, 32, crc_of(x));
  TT_REQUIRE(a.type == 0xA3);
  TT_CHECK_EQ(a.u32(8), crc_of(want));  // RUN_OK's result CRC
  TT_CHECK(read_all(h, 32, 32) == want);
  // A corrupted record is still caught by its CRC.
  TT_REQUIRE(stage(h, 32, crc_of(x) ^ 1u).type == 0xA1);
  stage_chunk(h, x, 0, 32);
  TT_CHECK(run(h, 32, crc_of(x) ^ 1u).is_error(tt::ErrorCode::kChecksumMismatch));
}

TT_TEST(stage_two_inputs_and_two_outputs) {
  Harness h(128, 4096);
  TT_REQUIRE(h.upload(two_input_model(false)).type == 0x92);
  const Bytes x = ramp(32);  // input 1 = bytes 0..15, input 2 = bytes 16..31
  TT_REQUIRE(stage(h, 32, crc_of(x)).type == 0xA1);
  TT_CHECK_EQ(stage_chunk(h, x, 0, 10).u32(0), 10u);  // a chunk crossing the tensor boundary
  TT_CHECK_EQ(stage_chunk(h, x, 10, 22).u32(0), 32u);
  Answer a = run(h, 32, crc_of(x));
  TT_REQUIRE(a.type == 0xA3);
  TT_CHECK_EQ(a.u32(4), 32u);
  TT_CHECK(read_all(h, 32, 32) == clamp_of(x));
  // The same record through small-record INFER gives the same bytes.
  Body b;
  b.u16(1).bytes(x.data(), 32);
  a = h.request(tt::msg::kInfer, 41, b.b);
  TT_REQUIRE(a.type == 0xA0);
  TT_CHECK(Bytes(a.body.begin() + 6, a.body.end()) == clamp_of(x));
}

TT_TEST(infer_total_time_flag) {
  Harness h(128, 2048);
  TT_REQUIRE(h.upload(fc_blob::make()).type == 0x92);  // y = 2x + 1, float32
  Body body;
  body.u16(0x8000 | 4);
  for (float x : {0.0f, 1.0f, -2.5f, 100.0f}) body.f32(x);
  Answer a = h.request(tt::msg::kInfer, 6, body.b);
  TT_REQUIRE(a.type == 0xA0);
  TT_REQUIRE(a.body.size() == 2 + 4 + 4 * 4);
  TT_CHECK_EQ(a.u16(0), 0x8004);
  TT_CHECK_EQ(a.u32(2), h.io.tick_step);  // one clock read before the batch, one after
  const float expect[] = {1.0f, 3.0f, -4.0f, 201.0f};
  for (int i = 0; i < 4; ++i) {
    float y;
    memcpy(&y, &a.body[6 + 4 * i], 4);
    TT_CHECK(y == expect[i]);
  }
  TT_CHECK_EQ(h.board.inferences(), 4u);
  // Batch limit without per-record times: 3 + 2 + 4 + count × 4 <= 128 → 29 (15 with times).
  Body b30;
  b30.u16(0x8000 | 30);
  for (int i = 0; i < 30; ++i) b30.f32(float(i));
  a = h.request(tt::msg::kInfer, 7, b30.b);
  TT_CHECK(a.is_error(tt::ErrorCode::kBatchTooLarge));
  TT_CHECK_EQ(a.error_detail(), 29u);
  Body b29;
  b29.u16(0x8000 | 29);
  for (int i = 0; i < 29; ++i) b29.f32(float(i));
  a = h.request(tt::msg::kInfer, 8, b29.b);
  TT_REQUIRE(a.type == 0xA0);
  TT_CHECK_EQ(a.body.size() + 3, 125u);
  // An empty batch with the flag: the total is still there.
  a = h.request(tt::msg::kInfer, 9, Body().u16(0x8000).b);
  TT_REQUIRE(a.type == 0xA0);
  TT_CHECK_EQ(a.body.size(), 6u);
}
