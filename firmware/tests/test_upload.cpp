// The upload state machine (docs/protocol.md §6) in the RAM slot: offsets, verdicts, COMMIT checks,
// resume, TOO_LARGE details and where blobs are staged. Flash slot: test_flash_slot.cpp.
#include <string.h>

#include <initializer_list>

#include "board_harness.h"
#include "fc_blob.h"
#include "tt_test.h"

using harness::Answer;
using harness::Body;
using harness::Bytes;
using harness::Harness;

namespace {

uint32_t crc_of(const Bytes& b) { return tt::crc32(b.data(), uint32_t(b.size())); }

Bytes blob_wb(float w, float b, uint32_t extra = 0) {
  fc_blob::Options o;
  o.weight = w;
  o.bias = b;
  o.extra_data = extra;
  return fc_blob::make(o);
}

bool overlaps(const uint8_t* a, uint32_t alen, const uint8_t* b, uint32_t blen) {
  return a < b + blen && b < a + alen;
}

}  // namespace

TT_TEST(upload_in_order_commit_and_run) {
  Harness h(256, 4096);
  const Bytes blob = fc_blob::make();
  const uint32_t crc = crc_of(blob);
  Answer a = h.begin(uint32_t(blob.size()), crc);
  TT_REQUIRE(a.type == 0x90);
  TT_CHECK_EQ(a.id, 10);
  TT_CHECK_EQ(a.u32(0), 0u);
  TT_CHECK_EQ(a.u16(4), 256 - 7);
  TT_CHECK_EQ(a.u8(6), 3);
  TT_CHECK_EQ(a.body.size(), 7u);
  TT_CHECK(h.send_range(blob, 0, uint32_t(blob.size())));
  a = h.commit(uint32_t(blob.size()), crc);
  TT_REQUIRE(a.type == 0x92);
  TT_CHECK_EQ(a.u32(0), blob.size());
  TT_CHECK_EQ(a.u32(4), crc);
  TT_CHECK_EQ(a.u32(8), 8u);  // arena bytes
  TT_CHECK_EQ(a.u8(12), 0);
  TT_CHECK_EQ(a.body.size(), 13u);
  TT_CHECK(h.board.has_model());
  TT_CHECK(!h.board.has_pending());
  TT_CHECK_EQ(reinterpret_cast<uintptr_t>(h.board.model().blob) % 16, 0u);
  TT_CHECK_EQ(reinterpret_cast<uintptr_t>(h.board.arena()) % 16, 0u);
  TT_CHECK(h.infer1(3.0f) == 7.0f);
}

TT_TEST(upload_duplicate_gap_overlap) {
  Harness h(256, 4096);
  const Bytes blob = blob_wb(2, 1, 300);
  const uint32_t n = uint32_t(blob.size());
  TT_REQUIRE(h.begin(n, crc_of(blob)).type == 0x90);
  Answer a = h.chunk(0, blob.data(), 100);
  TT_CHECK_EQ(a.u32(0), 100u);
  TT_CHECK_EQ(a.u8(4), 0);  // ACCEPTED
  a = h.chunk(0, blob.data(), 100);
  TT_CHECK_EQ(a.u32(0), 100u);
  TT_CHECK_EQ(a.u8(4), 1);  // DUPLICATE
  a = h.chunk(50, blob.data() + 50, 50);
  TT_CHECK_EQ(a.u8(4), 1);  // ends exactly at next_offset: still a duplicate
  a = h.chunk(150, blob.data() + 150, 50);
  TT_CHECK_EQ(a.u32(0), 100u);
  TT_CHECK_EQ(a.u8(4), 2);                 // GAP
  a = h.chunk(60, blob.data() + 60, 140);  // overlaps: bytes 100..199 are new
  TT_CHECK_EQ(a.u32(0), 200u);
  TT_CHECK_EQ(a.u8(4), 0);
  a = h.chunk(200, blob.data() + 200, 1);  // one byte
  TT_CHECK_EQ(a.u32(0), 201u);
  TT_CHECK(h.send_range(blob, 201, n));
  TT_CHECK_EQ(h.commit(n, crc_of(blob)).type, 0x92);
  TT_CHECK(h.infer1(1.0f) == 3.0f);
}

TT_TEST(upload_bad_offset_and_no_upload) {
  Harness h(256, 4096);
  const uint8_t data[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  Answer a = h.chunk(0, data, 10);
  TT_CHECK(a.is_error(tt::ErrorCode::kNoUpload));
  a = h.commit(10, 0);
  TT_CHECK(a.is_error(tt::ErrorCode::kNoUpload));
  TT_REQUIRE(h.begin(100, 0).type == 0x90);
  a = h.chunk(95, data, 10);
  TT_CHECK(a.is_error(tt::ErrorCode::kBadOffset));
  TT_CHECK_EQ(a.error_detail(), 100u);
  a = h.chunk(0xFFFFFFFFu, data, 10);  // no wrap-around
  TT_CHECK(a.is_error(tt::ErrorCode::kBadOffset));
  a = h.chunk(90, data, 10);  // ends exactly at total_len: a gap, not an error
  TT_CHECK_EQ(a.type, 0x91);
  TT_CHECK_EQ(a.u8(4), 2);
  TT_CHECK_EQ(h.board.pending_next_offset(), 0u);
}

TT_TEST(upload_commit_incomplete_and_params_mismatch) {
  Harness h(256, 4096);
  const Bytes blob = fc_blob::make();
  const uint32_t n = uint32_t(blob.size()), crc = crc_of(blob);
  TT_REQUIRE(h.begin(n, crc).type == 0x90);
  TT_REQUIRE(h.send_range(blob, 0, 100));
  Answer a = h.commit(n, crc);
  TT_CHECK(a.is_error(tt::ErrorCode::kIncomplete));
  TT_CHECK_EQ(a.error_detail(), 100u);
  TT_CHECK(h.board.has_pending());
  a = h.commit(n + 1, crc);
  TT_CHECK(a.is_error(tt::ErrorCode::kParamsMismatch));
  a = h.commit(n, crc ^ 1);
  TT_CHECK(a.is_error(tt::ErrorCode::kParamsMismatch));
  TT_CHECK(h.board.has_pending());
  TT_REQUIRE(h.send_range(blob, 100, n));
  TT_CHECK_EQ(h.commit(n, crc).type, 0x92);
}

TT_TEST(upload_checksum_mismatch_keeps_old_model) {
  Harness h(256, 4096);
  TT_REQUIRE(h.upload(blob_wb(2, 1)).type == 0x92);
  const Bytes blob = blob_wb(3, 0);
  const uint32_t n = uint32_t(blob.size());
  TT_REQUIRE(h.begin(n, 0x12345678).type == 0x90);
  TT_REQUIRE(h.send_range(blob, 0, n));
  Answer a = h.commit(n, 0x12345678);
  TT_CHECK(a.is_error(tt::ErrorCode::kChecksumMismatch));
  TT_CHECK_EQ(a.error_detail(), crc_of(blob));
  TT_CHECK(!h.board.has_pending());  // discarded
  TT_CHECK(h.infer1(1.0f) == 3.0f);  // the old model answers
}

TT_TEST(upload_invalid_model_keeps_old_model) {
  Harness h(256, 4096);
  TT_REQUIRE(h.upload(blob_wb(2, 1)).type == 0x92);
  Bytes bad = blob_wb(3, 0);
  bad[0] = 'X';
  Answer a = h.upload(bad);
  TT_CHECK(a.is_error(tt::ErrorCode::kModelInvalid));
  TT_CHECK_EQ(a.error_detail(), uint32_t(tt::ModelStatus::kBadMagic));
  TT_CHECK(!h.board.has_pending());
  TT_CHECK(h.infer1(1.0f) == 3.0f);
  // A bad tensor type reports the tensor's index in bits 8..31.
  fc_blob::Options o;
  o.weight_type = 1;  // FLOAT16
  a = h.upload(fc_blob::make(o));
  TT_CHECK(a.is_error(tt::ErrorCode::kModelInvalid));
  TT_CHECK_EQ(a.error_detail(), uint32_t(tt::ModelStatus::kUnsupportedType) | (1u << 8));
  // Too short to be a blob at all.
  a = h.upload(Bytes(10, 0x11));
  TT_CHECK(a.is_error(tt::ErrorCode::kModelInvalid));
  TT_CHECK_EQ(a.error_detail() & 0xFF, uint32_t(tt::ModelStatus::kTooShort));
  TT_CHECK(h.infer1(1.0f) == 3.0f);
}

TT_TEST(upload_arena_too_small_keeps_old_model) {
  Harness h(256, 4096);
  TT_REQUIRE(h.upload(blob_wb(2, 1)).type == 0x92);
  fc_blob::Options o;
  o.arena = 5000;  // more than the whole pool
  Answer a = h.upload(fc_blob::make(o));
  TT_CHECK(a.is_error(tt::ErrorCode::kArenaTooSmall));
  TT_CHECK_EQ(a.error_detail(), 5000u);
  TT_CHECK(!h.board.has_pending());
  TT_CHECK(h.infer1(1.0f) == 3.0f);
  // An arena that only fits once the old model is gone is fine: the pool is replaced, not shared.
  o.arena = 4096 - 256;
  a = h.upload(fc_blob::make(o));
  TT_CHECK_EQ(a.type, 0x92);
  TT_CHECK_EQ(a.u32(8), 4096u - 256);
  TT_CHECK(h.infer1(1.0f) == 3.0f);
}

TT_TEST(upload_abort) {
  Harness h(256, 4096);
  Answer a = h.request(tt::msg::kAbort, 3);
  TT_REQUIRE(a.type == 0x93);
  TT_CHECK_EQ(a.u32(0), 0u);
  const Bytes blob = fc_blob::make();
  TT_REQUIRE(h.begin(uint32_t(blob.size()), crc_of(blob)).type == 0x90);
  TT_REQUIRE(h.send_range(blob, 0, 120));
  a = h.request(tt::msg::kAbort, 4);
  TT_REQUIRE(a.type == 0x93);
  TT_CHECK_EQ(a.u32(0), 120u);
  TT_CHECK(!h.board.has_pending());
  TT_CHECK(h.chunk(120, blob.data(), 10).is_error(tt::ErrorCode::kNoUpload));
}

TT_TEST(upload_resume_flag) {
  Harness h(256, 4096);
  const Bytes blob = blob_wb(2, 1, 500);
  const uint32_t n = uint32_t(blob.size()), crc = crc_of(blob);
  // Resume without a pending upload starts at 0.
  Answer a = h.begin(n, crc, 0, tt::kBeginResume);
  TT_REQUIRE(a.type == 0x90);
  TT_CHECK_EQ(a.u32(0), 0u);
  TT_REQUIRE(h.send_range(blob, 0, 300));
  // Matching resume keeps the bytes.
  a = h.begin(n, crc, 0, tt::kBeginResume);
  TT_CHECK_EQ(a.u32(0), 300u);
  // Not matching (another CRC, length or slot): the pending upload is discarded.
  a = h.begin(n, crc ^ 1, 0, tt::kBeginResume);
  TT_CHECK_EQ(a.u32(0), 0u);
  TT_REQUIRE(h.send_range(blob, 0, 200));  // now uploading "crc ^ 1"
  a = h.begin(n, crc, 0, tt::kBeginResume);
  TT_CHECK_EQ(a.u32(0), 0u);
  TT_REQUIRE(h.send_range(blob, 0, 200));
  a = h.begin(n - 1, crc, 0, tt::kBeginResume);
  TT_CHECK_EQ(a.u32(0), 0u);
  // BEGIN without the flag always restarts.
  TT_REQUIRE(h.begin(n, crc).type == 0x90);
  TT_REQUIRE(h.send_range(blob, 0, 200));
  a = h.begin(n, crc);
  TT_CHECK_EQ(a.u32(0), 0u);
  TT_REQUIRE(h.send_range(blob, 0, 250));
  a = h.begin(n, crc, 0, tt::kBeginResume);
  TT_CHECK_EQ(a.u32(0), 250u);
  TT_REQUIRE(h.send_range(blob, 250, n));
  TT_CHECK_EQ(h.commit(n, crc).type, 0x92);
}

TT_TEST(upload_bad_slot) {
  Harness h(256, 4096);  // no flash
  Answer a = h.begin(100, 0, 1);
  TT_CHECK(a.is_error(tt::ErrorCode::kBadSlot));
  TT_CHECK_EQ(a.error_detail(), 1u);
  a = h.begin(100, 0, 7);
  TT_CHECK(a.is_error(tt::ErrorCode::kBadSlot));
  TT_CHECK_EQ(a.error_detail(), 7u);
}

TT_TEST(upload_too_large_detail_is_exact) {
  Harness h(256, 4096);
  Answer a = h.begin(4097, 0);
  TT_CHECK(a.is_error(tt::ErrorCode::kTooLarge));
  TT_CHECK_EQ(a.error_detail(), 4096u);
  TT_CHECK_EQ(h.begin(4096, 0).type, 0x90);
  TT_CHECK_EQ(h.request(tt::msg::kAbort, 1).type, 0x93);
  // With a model running, the detail is the largest length accepted now.
  TT_REQUIRE(h.upload(blob_wb(2, 1, 1000)).type == 0x92);
  a = h.begin(4096, 0);
  TT_REQUIRE(a.is_error(tt::ErrorCode::kTooLarge));
  const uint32_t largest = a.error_detail();
  TT_CHECK(largest > 0 && largest < 4096);
  a = h.begin(largest + 1, 0);
  TT_CHECK(a.is_error(tt::ErrorCode::kTooLarge));
  TT_CHECK_EQ(a.error_detail(), largest);
  TT_CHECK_EQ(h.begin(largest, 0).type, 0x90);
  const uint8_t* stage = h.board.pending_data();
  const tt::Model& m = h.board.model();
  TT_CHECK(!overlaps(stage, largest, m.blob, m.blob_size));
  TT_CHECK(!overlaps(stage, largest, h.board.arena(), m.arena_size));
  TT_CHECK(stage >= h.pool && stage + largest <= h.pool + 4096);
  // A failed BEGIN leaves the pending upload alone.
  TT_CHECK(h.begin(largest + 1, 0).is_error(tt::ErrorCode::kTooLarge));
  TT_CHECK(h.board.has_pending());
}

TT_TEST(upload_staging_never_overlaps_running_model) {
  Harness h(256, 8192);
  const uint32_t extras[] = {0, 3000, 100, 2500, 2900, 10, 3300, 50, 1500, 1500};
  float w = 1;
  for (uint32_t extra : extras) {
    const Bytes blob = blob_wb(w, 0, extra);
    const uint32_t n = uint32_t(blob.size()), crc = crc_of(blob);
    const bool had = h.board.has_model();
    Answer a = h.begin(n, crc);
    TT_REQUIRE(a.type == 0x90);
    const uint8_t* stage = h.board.pending_data();
    TT_CHECK_EQ(reinterpret_cast<uintptr_t>(stage) % 16, 0u);
    TT_CHECK(stage >= h.pool && stage + n <= h.pool + 8192);
    if (had) {
      const tt::Model& m = h.board.model();
      TT_CHECK(!overlaps(stage, n, m.blob, m.blob_size));
      TT_CHECK(!overlaps(stage, n, h.board.arena(), m.arena_size));
    }
    // The running model keeps answering mid-upload.
    TT_REQUIRE(h.send_range(blob, 0, n / 2));
    if (had) TT_CHECK(h.infer1(1.0f) == w - 1);
    TT_REQUIRE(h.send_range(blob, n / 2, n));
    if (had) TT_CHECK(h.infer1(2.0f) == 2 * (w - 1));
    TT_REQUIRE(h.commit(n, crc).type == 0x92);
    TT_CHECK(h.infer1(1.0f) == w);
    const tt::Model& m = h.board.model();
    TT_CHECK(!overlaps(m.blob, m.blob_size, h.board.arena(), m.arena_size));
    w += 1;
  }
}

// docs/protocol.md §6.1 edge cases an outside client asked about: the order of BEGIN's errors, a
// zero-length upload, MALFORMED's detail for unknown flag bits, what ABORT_OK counts.
TT_TEST(upload_begin_error_order_zero_length_and_abort_count) {
  Harness h(256, 4096);
  // Unknown flag bits with a bad slot too: MALFORMED first, detail = the (correct) body length 10.
  Answer a = h.begin(100, 0, 7, 0x80);
  TT_CHECK(a.is_error(tt::ErrorCode::kMalformed));
  TT_CHECK_EQ(a.error_detail(), 10u);
  // A bad slot with a length that fits nowhere: BAD_SLOT before TOO_LARGE.
  a = h.begin(1u << 30, 0, 7, 0);
  TT_CHECK(a.is_error(tt::ErrorCode::kBadSlot));
  TT_CHECK_EQ(a.error_detail(), 7u);
  a = h.begin(1u << 30, 0, 0, 0);
  TT_CHECK(a.is_error(tt::ErrorCode::kTooLarge));
  // Length 0 is accepted; any chunk runs past it; the COMMIT that can follow is rejected by the
  // CRC (unless blob_crc is CRC-32 of nothing, 0) or by the loader (TOO_SHORT).
  TT_REQUIRE(h.begin(0, 0).type == 0x90);
  const uint8_t one = 1;
  TT_CHECK(h.chunk(0, &one, 1).is_error(tt::ErrorCode::kBadOffset));
  a = h.commit(0, 0);
  TT_CHECK(a.is_error(tt::ErrorCode::kModelInvalid));
  TT_CHECK_EQ(a.error_detail() & 0xFF, uint32_t(tt::ModelStatus::kTooShort));
  TT_REQUIRE(h.begin(0, 5).type == 0x90);
  TT_CHECK(h.commit(0, 5).is_error(tt::ErrorCode::kChecksumMismatch));
  // ABORT_OK counts the bytes the pending upload had stored (its next_offset), 0 without one.
  const Bytes blob = fc_blob::make();
  TT_REQUIRE(h.begin(uint32_t(blob.size()), crc_of(blob)).type == 0x90);
  TT_REQUIRE(h.send_range(blob, 0, 40));
  a = h.request(tt::msg::kAbort, 13);
  TT_CHECK_EQ(a.type, 0x93);
  TT_CHECK_EQ(a.u32(0), 40u);
  TT_CHECK_EQ(h.request(tt::msg::kAbort, 14).u32(0), 0u);
}

// INFER with count 0: an empty answer (no run), and it drops a staged record like any INFER_OK.
TT_TEST(infer_count_zero) {
  Harness h(256, 4096);
  TT_REQUIRE(h.upload(fc_blob::make()).type == 0x92);
  Answer a = h.request(tt::msg::kInfer, 20, Body().u16(0).b);
  TT_CHECK_EQ(a.type, tt::msg::kInfer | tt::msg::kAnswer);
  TT_CHECK_EQ(a.body.size(), 2u);
  TT_CHECK_EQ(a.u16(0), 0);
  a = h.request(tt::msg::kInfer, 21, Body().u16(0).u8(1).b);  // records without a count
  TT_CHECK(a.is_error(tt::ErrorCode::kInputSize));
}
