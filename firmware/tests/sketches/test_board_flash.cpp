// The sketch's flash stores (examples/TinyTwin/board_*.h, picked by board_select.h from the board
// macros the Makefile passes) on simulated flash (sim_flash.h), driven through the core's Board
// with protocol frames: uploads, commits, resets mid-upload with resume, power cycles keeping the
// committed model, and a power cut at every flash operation of an upload + commit.
#include <string.h>

#include <vector>

#include "board_harness.h"
#include "board_select.h"
#include "fc_blob.h"
#include "sim_flash.h"
#include "tt_test.h"

namespace sim {
void init_board_flash();
}

using harness::Answer;
using harness::Body;
using harness::Bytes;

namespace {

uint32_t crc_of(const Bytes& b) { return tt::crc32(b.data(), uint32_t(b.size())); }

Bytes blob_wb(float w, float b, uint32_t extra = 0) {
  fc_blob::Options o;
  o.weight = w;
  o.bias = b;
  o.extra_data = extra;
  return fc_blob::make(o);
}

// The sketch's setup() in a test: the board's own configuration, buffers and flash store. Each
// power_cycle() calls ttboard::flash_store() again (the RAM state of the store starts over) and
// re-initializes the Board with scrambled RAM; the simulated flash keeps its contents. Uploads go
// to the flash slot.
tt::BoardConfig sketch_config() {
  tt::BoardConfig c;
  c.name = ttboard::kName;
  c.cpu_hz = ttboard::kCpuHz;
  c.max_payload = ttboard::kMaxPayload;
  c.window = ttboard::kWindow;
  c.pool_bytes = ttboard::kPoolBytes;
  return c;
}

class SketchBoard : public harness::Harness {
 public:
  SketchBoard() : Harness(sketch_config(), &ttboard::flash_store) {}
  tt::BoardInit power_cycle() { return reboot(); }
  Answer begin(uint32_t total, uint32_t crc, uint8_t flags = 0) {
    return Harness::begin(total, crc, tt::kSlotFlash, flags);
  }
  Answer upload(const Bytes& blob) { return Harness::upload(blob, tt::kSlotFlash); }
};

// A blob that crosses a sector boundary and ends mid-page.
constexpr uint32_t kExtra = 5000;

}  // namespace

TT_TEST(sketch_flash_geometry) {
  sim::init_board_flash();
  SketchBoard s;
  TT_REQUIRE(s.store != nullptr);
  TT_CHECK(s.status == tt::BoardInit::kOk);
  TT_CHECK_EQ(s.store->bank_bytes(), ttboard::kFlashBankBytes);
  TT_CHECK_EQ(s.store->sector_bytes(), ttboard::kFlashSectorBytes);
  // Both banks inside the simulated chip, 16-byte aligned, one bank after the other.
  const uint8_t* b0 = s.store->bank_view(0);
  const uint8_t* b1 = s.store->bank_view(1);
  TT_CHECK(reinterpret_cast<uintptr_t>(b0) % 16 == 0);
  TT_CHECK_EQ(b1 - b0, ttboard::kFlashBankBytes);
  TT_CHECK(b0 >= sim::flash().mem &&
           b1 + ttboard::kFlashBankBytes <= sim::flash().mem + sim::flash().size);
  Answer hello = s.request(tt::msg::kHello, 1, {1});
  TT_CHECK_EQ(hello.type, 0x81);
  TT_CHECK(s.board.boot_model() == tt::BootModel::kNone);
  TT_CHECK_EQ(sim::flash().violations, 0u);
}

TT_TEST(sketch_flash_commit_survives_power_cycle) {
  sim::init_board_flash();
  SketchBoard s;
  const Bytes blob = blob_wb(2, 1, kExtra);
  Answer a = s.upload(blob);
  TT_REQUIRE(a.type == 0x92);
  TT_CHECK_EQ(a.u8(12), 1);
  TT_CHECK(s.infer1(1.0f) == 3.0f);
  TT_REQUIRE(s.power_cycle() == tt::BoardInit::kOk);
  TT_CHECK(s.board.boot_model() == tt::BootModel::kLoaded);
  TT_CHECK_EQ(s.board.model_slot(), 1);
  TT_CHECK(s.infer1(2.0f) == 5.0f);
  TT_CHECK(memcmp(s.store->bank_view(0), blob.data(), blob.size()) == 0);
  // A second commit goes to the other bank and replaces the first across power cycles.
  const Bytes second = blob_wb(5, 0, kExtra + 999);
  TT_REQUIRE(s.upload(second).type == 0x92);
  TT_CHECK(memcmp(s.store->bank_view(1), second.data(), second.size()) == 0);
  TT_REQUIRE(s.power_cycle() == tt::BoardInit::kOk);
  TT_CHECK(s.infer1(1.0f) == 5.0f);
  TT_CHECK_EQ(sim::flash().violations, 0u);
}

TT_TEST(sketch_flash_reset_mid_upload_resumes) {
  sim::init_board_flash();
  SketchBoard s;
  TT_REQUIRE(s.upload(blob_wb(2, 1)).type == 0x92);
  const uint32_t sector = ttboard::kFlashSectorBytes;
  const Bytes blob = blob_wb(4, -1, 3 * sector);
  const uint32_t n = uint32_t(blob.size()), crc = crc_of(blob);
  TT_REQUIRE(s.begin(n, crc).type == 0x90);
  TT_REQUIRE(s.send_range(blob, 0, 2 * sector + 333));  // two whole sectors and a bit
  TT_REQUIRE(s.power_cycle() == tt::BoardInit::kOk);
  TT_CHECK(s.infer1(1.0f) == 3.0f);  // the committed model runs meanwhile
  TT_REQUIRE(s.board.has_pending());
  TT_CHECK_EQ(s.board.pending_next_offset(), 2 * sector);
  Answer a = s.begin(n, crc, tt::kBeginResume);
  TT_REQUIRE(a.type == 0x90);
  TT_CHECK_EQ(a.u32(0), 2 * sector);
  TT_REQUIRE(s.send_range(blob, 2 * sector, n));
  TT_REQUIRE(s.commit(n, crc).type == 0x92);
  TT_CHECK(s.infer1(1.0f) == 3.0f);  // 4 * 1 - 1
  TT_REQUIRE(s.power_cycle() == tt::BoardInit::kOk);
  TT_CHECK(s.board.boot_model() == tt::BootModel::kLoaded);
  TT_CHECK(s.infer1(2.0f) == 7.0f);
  // A reset after the last chunk: the upload is complete and commits without resending.
  const Bytes third = blob_wb(3, 3, kExtra);
  TT_REQUIRE(s.begin(uint32_t(third.size()), crc_of(third)).type == 0x90);
  TT_REQUIRE(s.send_range(third, 0, uint32_t(third.size())));
  TT_REQUIRE(s.power_cycle() == tt::BoardInit::kOk);
  TT_CHECK_EQ(s.board.pending_next_offset(), third.size());
  TT_REQUIRE(s.commit(uint32_t(third.size()), crc_of(third)).type == 0x92);
  TT_CHECK(s.infer1(1.0f) == 6.0f);
  TT_CHECK_EQ(sim::flash().violations, 0u);
}

// Erases of the two metadata sectors so far.
uint32_t meta_erases(SketchBoard& s) {
  const uint32_t sector = ttboard::kFlashSectorBytes;
  const uint32_t at = uint32_t(s.store->bank_view(0) - sim::flash().mem) / sector - 2;
  return sim::flash().erase_counts[at] + sim::flash().erase_counts[at + 1];
}

// Saves one metadata record: a flash BEGIN (replacing any pending upload).
void save_one(SketchBoard& s) { TT_CHECK_EQ(s.begin(100, 0).type, 0x90); }

// Saves records until the log moves to its other sector (that save wrote its first slot); returns
// how many saves that took.
uint32_t save_until_wrap(SketchBoard& s) {
  const uint32_t before = meta_erases(s);
  uint32_t n = 0;
  while (meta_erases(s) == before && n < 10000) {
    save_one(s);
    ++n;
  }
  return n;
}

// With model A committed and the metadata log `free_slots` records short of moving to its other
// sector, model B is uploaded and committed while the power fails at flash operation k, for every
// k (and after the last one; for boards with many small program operations: every erase, every
// operation on the metadata sectors, the last ones, and every 7th of the rest). After power-up
// the board must run A or B (B only if the commit record made it), never nothing; uploading again
// must work; no operation may break the flash rules.
void power_cut_sweep(uint32_t free_slots) {
  const Bytes a_blob = blob_wb(2, 1, 700);
  const Bytes b_blob = blob_wb(5, 0, kExtra);
  const Bytes c_blob = blob_wb(7, 1, 300);
  sim::init_board_flash();
  sim::Flash::Snapshot snapshot;
  uint32_t total_ops = 0;
  std::vector<bool> interesting;
  {
    SketchBoard s;
    TT_REQUIRE(s.upload(a_blob).type == 0x92);
    save_until_wrap(s);
    const uint32_t slots = save_until_wrap(s);  // a whole sector of records, the first included
    TT_REQUIRE(slots > free_slots + 1);
    for (uint32_t i = 0; i + 2 + free_slots < slots; ++i) save_one(s);
    TT_REQUIRE(s.request(tt::msg::kAbort, 2).type == 0x93);  // one more record
    TT_REQUIRE(s.power_cycle() == tt::BoardInit::kOk);
    snapshot = sim::flash().snapshot();
    sim::flash().clear_log();
    const uint32_t erases = meta_erases(s);
    TT_REQUIRE(s.upload(b_blob).type == 0x92);
    if (free_slots < 4) TT_CHECK(meta_erases(s) == erases + 1);  // B's records wrap the log
    total_ops = sim::flash().ops - snapshot.ops;
    const uint8_t* meta_end = s.store->bank_view(0);
    const uint32_t meta_to = uint32_t(meta_end - sim::flash().mem);
    const uint32_t meta_from = meta_to - 2 * ttboard::kFlashSectorBytes;
    for (uint32_t i = 0; i < total_ops; ++i) {
      const uint32_t at = sim::flash().op_offsets[i];
      interesting.push_back(sim::flash().op_erases[i] || (at >= meta_from && at < meta_to) ||
                            i + 3 >= total_ops || i % 7 == 0);
    }
  }
  TT_REQUIRE(total_ops > 3);
  uint32_t cuts = 0, saw_a = 0, saw_b = 0;
  for (uint32_t k = 0; k <= total_ops; ++k) {  // k == total_ops: the power fails after the commit
    if (total_ops > 200 && k < total_ops && !interesting[k]) continue;
    ++cuts;
    sim::flash().restore(snapshot);
    sim::flash().cut_at = snapshot.ops + k;
    SketchBoard s;  // boots with A
    TT_REQUIRE(s.board.boot_model() == tt::BootModel::kLoaded);
    s.upload(b_blob);  // the power fails somewhere in here
    sim::flash().power_up();
    TT_REQUIRE(s.power_cycle() == tt::BoardInit::kOk);
    TT_CHECK(s.board.boot_model() == tt::BootModel::kLoaded);
    const float y = s.infer1(1.0f);
    TT_CHECK(y == 3.0f || y == 5.0f);
    if (y == 3.0f) ++saw_a;
    if (y == 5.0f) ++saw_b;
    // B only once the commit record is written (a torn write of it may already hold all of it).
    if (y == 5.0f) TT_CHECK(k + 1 >= total_ops);
    if (k == total_ops) TT_CHECK(y == 5.0f);
    // Whatever the cut left behind, a new upload commits and survives the next power cycle.
    TT_CHECK_EQ(s.upload(c_blob).type, 0x92);
    TT_REQUIRE(s.power_cycle() == tt::BoardInit::kOk);
    TT_CHECK(s.infer1(1.0f) == 8.0f);
    if (tt_test::current_failed()) {
      fprintf(stderr, "  (%u free slots, power cut at operation %u of %u)\n", free_slots, k,
              total_ops);
      return;
    }
  }
  TT_CHECK(saw_a > 0 && saw_b > 0);
  TT_CHECK(cuts > 10);
  TT_CHECK_EQ(sim::flash().violations, 0u);
}

TT_TEST(sketch_flash_power_cut_at_every_operation) {
  // B's upload saves 4 records (BEGIN, the sector crossed, the end, COMMIT): the log moves to its
  // other sector at each of them in turn, and not at all.
  for (uint32_t free_slots = 0; free_slots <= 4 && !tt_test::current_failed(); ++free_slots) {
    power_cut_sweep(free_slots);
  }
}

// Many commits: the metadata log fills its sectors and moves between them, erasing each about
// once per sector's worth of records, and the newest record is always found.
TT_TEST(sketch_flash_metadata_log_wraps) {
  sim::init_board_flash();
  SketchBoard s;
  const uint32_t sector = ttboard::kFlashSectorBytes;
  const uint32_t meta_at = uint32_t(s.store->bank_view(0) - sim::flash().mem) - 2 * sector;
  const uint32_t commits = 90;  // 3 records each (BEGIN, last chunk, COMMIT)
  for (uint32_t i = 1; i <= commits; ++i) {
    TT_REQUIRE(s.upload(blob_wb(float(i % 50), 0)).type == 0x92);
    if (i % 15 == 0) {
      TT_REQUIRE(s.power_cycle() == tt::BoardInit::kOk);
      TT_CHECK(s.infer1(1.0f) == float(i % 50));
    }
  }
  const uint32_t e0 = sim::flash().erase_counts[meta_at / sector];
  const uint32_t e1 = sim::flash().erase_counts[meta_at / sector + 1];
  TT_CHECK(e0 + e1 >= 1);                    // the log did wrap
  TT_CHECK(e0 + e1 <= 3 * commits / 8 + 2);  // at most one erase per 8 records (256-byte pages)
  TT_CHECK_EQ(sim::flash().violations, 0u);
}
