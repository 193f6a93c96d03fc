// Slot 1: committed models and pending uploads survive a reset (Harness::reboot keeps the MemFlash,
// scrambles RAM); failures of the storage leave the running model alone.
#include <string.h>

#include "board_harness.h"
#include "fc_blob.h"
#include "flash_meta.h"
#include "tt_test.h"

using harness::Answer;
using harness::Bytes;
using harness::Harness;
using harness::MemFlash;

namespace {

constexpr uint32_t kBank = 8192;
constexpr uint32_t kSector = 512;

uint32_t crc_of(const Bytes& b) { return tt::crc32(b.data(), uint32_t(b.size())); }

Bytes blob_wb(float w, float b, uint32_t extra = 0) {
  fc_blob::Options o;
  o.weight = w;
  o.bias = b;
  o.extra_data = extra;
  return fc_blob::make(o);
}

}  // namespace

TT_TEST(flash_meta_round_trip_and_corruption) {
  tt::FlashMeta m;
  m.committed = true;
  m.committed_bank = 1;
  m.committed_len = 1234;
  m.committed_crc = 0xCAFEBABE;
  m.pending = true;
  m.pending_bank = 0;
  m.pending_len = 999;
  m.pending_crc = 0x01020304;
  m.pending_next = 512;
  uint8_t rec[tt::kFlashMetaBytes];
  tt::flash_meta_encode(m, rec);
  tt::FlashMeta back;
  TT_REQUIRE(tt::flash_meta_decode(rec, &back));
  TT_CHECK(back.committed && back.pending);
  TT_CHECK_EQ(back.committed_bank, 1);
  TT_CHECK_EQ(back.committed_len, 1234u);
  TT_CHECK_EQ(back.committed_crc, 0xCAFEBABEu);
  TT_CHECK_EQ(back.pending_len, 999u);
  TT_CHECK_EQ(back.pending_next, 512u);
  for (uint32_t i = 0; i < tt::kFlashMetaBytes; ++i) {
    rec[i] ^= 0x10;
    TT_CHECK(!tt::flash_meta_decode(rec, &back));
    TT_CHECK(!back.committed && !back.pending);
    rec[i] ^= 0x10;
  }
  memset(rec, 0xFF, sizeof rec);  // blank flash
  TT_CHECK(!tt::flash_meta_decode(rec, &back));
}

TT_TEST(flash_commit_survives_reset) {
  MemFlash flash(kBank, kSector);
  Harness h(256, 4096, &flash);
  TT_CHECK(h.board.boot_model() == tt::BootModel::kNone);
  const Bytes blob = blob_wb(2, 1, 1500);
  Answer a = h.upload(blob, 1);
  TT_REQUIRE(a.type == 0x92);
  TT_CHECK_EQ(a.u8(12), 1);
  TT_CHECK_EQ(h.board.model_slot(), 1);
  TT_CHECK(h.infer1(1.0f) == 3.0f);
  TT_CHECK_EQ(flash.overwrites, 0u);
  TT_REQUIRE(h.reboot() == tt::BoardInit::kOk);
  TT_CHECK(h.board.boot_model() == tt::BootModel::kLoaded);
  TT_CHECK(h.board.has_model());
  TT_CHECK_EQ(h.board.model_slot(), 1);
  TT_CHECK(h.infer1(2.0f) == 5.0f);
  Answer s = h.request(tt::msg::kStatus, 1);
  TT_CHECK_EQ(s.u8(16), 1);              // has_model
  TT_CHECK_EQ(s.u32(17), blob.size());   // blob_len
  TT_CHECK_EQ(s.u32(21), crc_of(blob));  // blob_crc
  TT_CHECK_EQ(s.u8(29), 1);              // slot
}

TT_TEST(flash_second_commit_uses_other_bank) {
  MemFlash flash(kBank, kSector);
  Harness h(256, 4096, &flash);
  TT_REQUIRE(h.upload(blob_wb(2, 1), 1).type == 0x92);
  const uint8_t* first = h.board.model().blob;
  const Bytes second = blob_wb(5, 0, 700);
  TT_REQUIRE(h.begin(uint32_t(second.size()), crc_of(second), 1).type == 0x90);
  TT_CHECK(h.board.pending_data() != first);
  TT_REQUIRE(h.send_range(second, 0, uint32_t(second.size())));
  TT_CHECK(h.infer1(1.0f) == 3.0f);  // still the first model
  TT_REQUIRE(h.commit(uint32_t(second.size()), crc_of(second)).type == 0x92);
  TT_CHECK(h.infer1(1.0f) == 5.0f);
  TT_REQUIRE(h.reboot() == tt::BoardInit::kOk);
  TT_CHECK(h.infer1(1.0f) == 5.0f);
  TT_CHECK_EQ(flash.overwrites, 0u);
}

TT_TEST(flash_pending_upload_resumes_after_reset) {
  MemFlash flash(kBank, kSector);
  Harness h(256, 4096, &flash);
  const Bytes blob = blob_wb(4, -1, 3000);
  const uint32_t n = uint32_t(blob.size()), crc = crc_of(blob);
  TT_REQUIRE(h.begin(n, crc, 1).type == 0x90);
  TT_REQUIRE(h.send_range(blob, 0, 1300));  // 2 whole sectors + a bit
  const uint32_t saves = flash.saves;
  TT_CHECK(saves <= 1 + 1300 / kSector + 1);  // BEGIN + about one record per sector
  TT_REQUIRE(h.reboot() == tt::BoardInit::kOk);
  TT_CHECK(!h.board.has_model());
  TT_REQUIRE(h.board.has_pending());
  TT_CHECK_EQ(h.board.pending_next_offset(), 1024u);  // back to the last whole sector
  Answer hello = h.request(tt::msg::kHello, 1, {1});
  TT_REQUIRE(hello.type == 0x81);
  // Tail of HELLO_OK: has_pending 1, total_len, blob_crc, next_offset, slot, features.
  const size_t t = hello.body.size() - 14;
  TT_CHECK_EQ(hello.body[t - 1], 1);
  TT_CHECK_EQ(hello.u32(t), n);
  TT_CHECK_EQ(hello.u32(t + 4), crc);
  TT_CHECK_EQ(hello.u32(t + 8), 1024u);
  TT_CHECK_EQ(hello.u8(t + 12), 1);
  Answer a = h.begin(n, crc, 1, tt::kBeginResume);
  TT_REQUIRE(a.type == 0x90);
  TT_CHECK_EQ(a.u32(0), 1024u);
  // A chunk straddling the resume point is fine (only bytes from 1024 on are written).
  a = h.chunk(1000, blob.data() + 1000, 200);
  TT_CHECK_EQ(a.u32(0), 1200u);
  TT_REQUIRE(h.send_range(blob, 1200, n));
  TT_REQUIRE(h.commit(n, crc).type == 0x92);
  TT_CHECK(h.infer1(1.0f) == 3.0f);
  TT_CHECK_EQ(flash.overwrites, 0u);  // every sector was erased before it was written again
}

TT_TEST(flash_complete_upload_commits_after_reset) {
  MemFlash flash(kBank, kSector);
  Harness h(256, 4096, &flash);
  const Bytes blob = blob_wb(3, 3, 333);
  const uint32_t n = uint32_t(blob.size()), crc = crc_of(blob);
  TT_REQUIRE(h.begin(n, crc, 1).type == 0x90);
  TT_REQUIRE(h.send_range(blob, 0, n));
  TT_REQUIRE(h.reboot() == tt::BoardInit::kOk);
  TT_CHECK_EQ(h.board.pending_next_offset(), n);
  TT_CHECK_EQ(h.commit(n, crc).type, 0x92);
  TT_CHECK(h.infer1(1.0f) == 6.0f);
}

TT_TEST(flash_abort_and_fresh_begin_forget_pending) {
  MemFlash flash(kBank, kSector);
  Harness h(256, 4096, &flash);
  const Bytes blob = blob_wb(3, 3, 2000);
  const uint32_t n = uint32_t(blob.size());
  TT_REQUIRE(h.begin(n, crc_of(blob), 1).type == 0x90);
  TT_REQUIRE(h.send_range(blob, 0, 700));
  TT_CHECK_EQ(h.request(tt::msg::kAbort, 1).u32(0), 700u);
  TT_REQUIRE(h.reboot() == tt::BoardInit::kOk);
  TT_CHECK(!h.board.has_pending());
  // A RAM BEGIN replaces a pending flash upload, also across a reset.
  TT_REQUIRE(h.begin(n, crc_of(blob), 1).type == 0x90);
  TT_REQUIRE(h.send_range(blob, 0, 700));
  TT_REQUIRE(h.begin(100, 0, 0).type == 0x90);
  TT_REQUIRE(h.reboot() == tt::BoardInit::kOk);
  TT_CHECK(!h.board.has_pending());
}

TT_TEST(flash_too_large_and_ram_commit_after_flash) {
  MemFlash flash(kBank, kSector);
  Harness h(256, 4096, &flash);
  Answer a = h.begin(kBank + 1, 0, 1);
  TT_CHECK(a.is_error(tt::ErrorCode::kTooLarge));
  TT_CHECK_EQ(a.error_detail(), kBank);
  TT_CHECK_EQ(h.begin(kBank, 0, 1).type, 0x90);  // bigger than the RAM pool: flash does not care
  TT_REQUIRE(h.upload(blob_wb(2, 1), 1).type == 0x92);
  TT_REQUIRE(h.upload(blob_wb(7, 0), 0).type == 0x92);  // RAM model runs now
  TT_CHECK(h.infer1(1.0f) == 7.0f);
  TT_REQUIRE(h.reboot() == tt::BoardInit::kOk);
  TT_CHECK(h.infer1(1.0f) == 3.0f);  // RAM is gone; the committed flash model is back
}

TT_TEST(flash_corrupted_committed_model_is_not_run) {
  MemFlash flash(kBank, kSector);
  Harness h(256, 4096, &flash);
  TT_REQUIRE(h.upload(blob_wb(2, 1), 1).type == 0x92);
  uint8_t* bank = flash.bank(0);
  bank[70] ^= 0x01;
  TT_REQUIRE(h.reboot() == tt::BoardInit::kOk);
  TT_CHECK(h.board.boot_model() == tt::BootModel::kBadCrc);
  TT_CHECK(!h.board.has_model());
  TT_CHECK(h.request(tt::msg::kInfer, 1, harness::Body().u16(1).f32(1).b)
               .is_error(tt::ErrorCode::kNoModel));
}

TT_TEST(flash_invalid_model_is_rejected_at_boot) {
  // A committed blob that passes its CRC but not model_load (e.g. written by another firmware
  // build) is not run. Forge the metadata for it directly.
  MemFlash flash(kBank, kSector);
  Bytes bad = blob_wb(2, 1);
  bad[4] = 9;  // major version
  memcpy(flash.bank(1), bad.data(), bad.size());
  tt::FlashMeta m;
  m.committed = true;
  m.committed_bank = 1;
  m.committed_len = uint32_t(bad.size());
  m.committed_crc = crc_of(bad);
  uint8_t rec[tt::kFlashMetaBytes];
  tt::flash_meta_encode(m, rec);
  flash.save_meta(rec);
  Harness h(256, 4096, &flash);
  TT_CHECK(h.board.boot_model() == tt::BootModel::kRejected);
  TT_CHECK(!h.board.has_model());
}

TT_TEST(flash_storage_failures_keep_old_model) {
  MemFlash flash(kBank, kSector);
  Harness h(256, 4096, &flash);
  TT_REQUIRE(h.upload(blob_wb(2, 1), 0).type == 0x92);
  const Bytes blob = blob_wb(9, 0, 1000);
  const uint32_t n = uint32_t(blob.size()), crc = crc_of(blob);
  // program() fails.
  TT_REQUIRE(h.begin(n, crc, 1).type == 0x90);
  flash.fail_program = true;
  Answer a = h.chunk(0, blob.data(), 100);
  TT_CHECK(a.is_error(tt::ErrorCode::kStorageFailed));
  TT_CHECK(!h.board.has_pending());
  flash.fail_program = false;
  // erase fails (entering the second sector).
  TT_REQUIRE(h.begin(n, crc, 1).type == 0x90);
  TT_REQUIRE(h.send_range(blob, 0, kSector));
  flash.fail_erase = true;
  TT_CHECK(h.chunk(kSector, blob.data() + kSector, 10).is_error(tt::ErrorCode::kStorageFailed));
  flash.fail_erase = false;
  // metadata save fails at BEGIN, and at COMMIT.
  flash.fail_save = true;
  TT_CHECK(h.begin(n, crc, 1).is_error(tt::ErrorCode::kStorageFailed));
  flash.fail_save = false;
  TT_REQUIRE(h.begin(n, crc, 1).type == 0x90);
  TT_REQUIRE(h.send_range(blob, 0, n));
  flash.fail_save = true;
  a = h.commit(n, crc);
  TT_CHECK(a.is_error(tt::ErrorCode::kStorageFailed));
  TT_CHECK_EQ(a.error_detail(), 3u);
  flash.fail_save = false;
  TT_CHECK(h.infer1(1.0f) == 3.0f);
  TT_CHECK_EQ(h.board.model_slot(), 0);
  TT_REQUIRE(h.reboot() == tt::BoardInit::kOk);
  TT_CHECK(!h.board.has_model());  // nothing was ever committed to flash
}

TT_TEST(flash_ram_model_staging_with_flash_model_running) {
  MemFlash flash(kBank, kSector);
  Harness h(256, 4096, &flash);
  TT_REQUIRE(h.upload(blob_wb(2, 1, 3000), 1).type == 0x92);  // blob in flash, arena in pool
  Answer a = h.begin(4096, 0, 0);
  TT_REQUIRE(a.is_error(tt::ErrorCode::kTooLarge));
  TT_CHECK_EQ(a.error_detail(), 4096u - 16);  // everything but the 8-byte arena (aligned)
  TT_REQUIRE(h.upload(blob_wb(6, 0, 3000), 0).type == 0x92);
  TT_CHECK(h.infer1(1.0f) == 6.0f);
}
