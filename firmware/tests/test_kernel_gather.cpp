// GATHER on cases worked out by hand: rows picked along axis 0 and 1, Python-style negative ids,
// ids out of range (the output's zero point for int8, zero bytes for float32), and the load-time
// BAD_OP / BAD_PARAMS rules (docs/model-format.md §5).
#include <string.h>

#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
namespace f = tt::fmt;

namespace {

// table int8 [3, 2] = [[10, 11], [20, 21], [30, 31]], ids int32 [n] -> y int8 [n, 2].
Bytes int8_lookup(uint16_t n, const Params& p, uint8_t id_type = f::kTypeInt32) {
  BlobBuilder b;
  const uint16_t q = b.quant({0.1f}, {5});
  const uint16_t table = b.constant<int8_t>(f::kTypeInt8, {3, 2}, {10, 11, 20, 21, 30, 31}, q);
  const uint16_t ids = b.arena(id_type, {n});
  const uint16_t y = b.arena(f::kTypeInt8, {n, 2}, q);
  b.op(f::kOpGather, {table, ids}, {y}, p);
  b.io({ids}, {y});
  return b.build();
}

}  // namespace

// N = 3: ids [2, 0, -1, -3, 3, -4, INT32_MAX, INT32_MIN] -> rows 2, 0, 2 (= -1 + 3), 0 (= -3 + 3),
// then four ids out of range, each a row of the zero point 5.
TT_TEST(gather_int8_rows_negative_ids_and_out_of_range) {
  const Bytes m = int8_lookup(8, Params().i32(0).i32(5));
  const int32_t ids[8] = {2, 0, -1, -3, 3, -4, 2147483647, -2147483647 - 1};
  const int8_t expect[16] = {30, 31, 10, 11, 30, 31, 10, 11, 5, 5, 5, 5, 5, 5, 5, 5};
  int8_t y[16];
  TT_REQUIRE(run(m, ids, y));
  for (int i = 0; i < 16; ++i) TT_CHECK_EQ(y[i], expect[i]);
}

// table float32 [2, 3] = [[1, 2, 3], [4, 5, 6]], ids [2, 0, 7] along axis 1 -> [[3, 1, 0], [6, 4,
// 0]], the 0 being +0.0 (zero bytes).
TT_TEST(gather_float32_axis1) {
  BlobBuilder b;
  const uint16_t table = b.constant<float>(f::kTypeFloat32, {2, 3}, {1, 2, 3, 4, 5, 6});
  const uint16_t ids = b.arena(f::kTypeInt32, {3});
  const uint16_t y = b.arena(f::kTypeFloat32, {2, 3});
  b.op(f::kOpGather, {table, ids}, {y}, Params().i32(1).i32(0));
  b.io({ids}, {y});
  const int32_t in[3] = {2, 0, 7};
  float out[6];
  TT_REQUIRE(run(b.build(), in, out));
  const float expect[6] = {3, 1, 0, 6, 4, 0};
  TT_CHECK(memcmp(out, expect, sizeof out) == 0);
}

// ids [2, 2] on a [3, 2] table -> [2, 2, 2].
TT_TEST(gather_ids_of_rank_2) {
  BlobBuilder b;
  const uint16_t table = b.constant<int8_t>(f::kTypeInt8, {3, 2}, {10, 11, 20, 21, 30, 31});
  const uint16_t ids = b.arena(f::kTypeInt32, {2, 2});
  const uint16_t y = b.arena(f::kTypeInt8, {2, 2, 2});
  b.op(f::kOpGather, {table, ids}, {y}, Params().i32(0).i32(0));
  b.io({ids}, {y});
  const int32_t in[4] = {1, 1, 0, 2};
  int8_t out[8];
  TT_REQUIRE(run(b.build(), in, out));
  const int8_t expect[8] = {20, 21, 20, 21, 10, 11, 30, 31};
  TT_CHECK(memcmp(out, expect, sizeof out) == 0);
}

TT_TEST(gather_load_checks) {
  TT_CHECK(load_status(int8_lookup(2, Params().i32(0).i32(5))) == tt::ModelStatus::kOk);
  // int8 ids; params of the wrong size; an axis past the table's rank or negative; axis 1 would
  // need an output [3, 2]; a fill outside int8.
  TT_CHECK(load_status(int8_lookup(2, Params().i32(0).i32(5), f::kTypeInt8)) ==
           tt::ModelStatus::kBadOp);
  TT_CHECK(load_status(int8_lookup(2, Params().i32(0))) == tt::ModelStatus::kBadParams);
  TT_CHECK(load_status(int8_lookup(2, Params().i32(2).i32(5))) == tt::ModelStatus::kBadParams);
  TT_CHECK(load_status(int8_lookup(2, Params().i32(-1).i32(5))) == tt::ModelStatus::kBadParams);
  TT_CHECK(load_status(int8_lookup(2, Params().i32(1).i32(5))) == tt::ModelStatus::kBadParams);
  TT_CHECK(load_status(int8_lookup(2, Params().i32(0).i32(128))) == tt::ModelStatus::kBadParams);
  // A float32 table must fill with zero bytes; the output type must be the table's.
  BlobBuilder b;
  const uint16_t table = b.constant<float>(f::kTypeFloat32, {2}, {1, 2});
  const uint16_t ids = b.arena(f::kTypeInt32, {1});
  const uint16_t y = b.arena(f::kTypeFloat32, {1});
  b.op(f::kOpGather, {table, ids}, {y}, Params().i32(0).i32(1));
  b.io({ids}, {y});
  TT_CHECK(load_status(b.build()) == tt::ModelStatus::kBadParams);
  BlobBuilder c;
  const uint16_t t2 = c.constant<float>(f::kTypeFloat32, {2}, {1, 2});
  const uint16_t i2 = c.arena(f::kTypeInt32, {1});
  const uint16_t y2 = c.arena(f::kTypeInt8, {1});
  c.op(f::kOpGather, {t2, i2}, {y2}, Params().i32(0).i32(0));
  c.io({i2}, {y2});
  TT_CHECK(load_status(c.build()) == tt::ModelStatus::kBadOp);
}
