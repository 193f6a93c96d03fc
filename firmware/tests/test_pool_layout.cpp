#include "pool_layout.h"
#include "tt_test.h"

TT_TEST(pool_stage_empty_pool) {
  uint32_t start = 99, largest = 0;
  TT_CHECK(tt::pool_stage(4096, tt::PoolSpan(), 4096, &start, &largest));
  TT_CHECK_EQ(start, 0u);
  TT_CHECK_EQ(largest, 4096u);
  TT_CHECK(!tt::pool_stage(4096, tt::PoolSpan(), 4097, &start, &largest));
  TT_CHECK(!tt::pool_stage(4096, tt::PoolSpan(), 0xFFFFFFFFu, &start, &largest));
}

TT_TEST(pool_stage_opposite_end) {
  uint32_t start = 0, largest = 0;
  tt::PoolSpan low{0, 1000};  // running model packed at the bottom
  TT_CHECK(tt::pool_stage(4096, low, 100, &start, &largest));
  TT_CHECK_EQ(largest, 4096u - 1008);
  TT_CHECK_EQ(start, (4096u - 100) & ~15u);
  TT_CHECK(start >= 1008);
  TT_CHECK(tt::pool_stage(4096, low, 3088, &start, &largest));
  TT_CHECK_EQ(start, 1008u);
  TT_CHECK(!tt::pool_stage(4096, low, 3089, &start, &largest));
  tt::PoolSpan high{3072, 4096};  // packed at the top
  TT_CHECK(tt::pool_stage(4096, high, 3072, &start, &largest));
  TT_CHECK_EQ(start, 0u);
  TT_CHECK_EQ(largest, 3072u);
  TT_CHECK(!tt::pool_stage(4096, high, 3073, &start, &largest));
  tt::PoolSpan middle{1024, 2000};  // both sides free: the larger decides the detail
  TT_CHECK(!tt::pool_stage(4096, middle, 2097, &start, &largest));
  TT_CHECK_EQ(largest, 4096u - 2000);
  TT_CHECK(tt::pool_stage(4096, middle, 1024, &start, &largest));
  TT_CHECK_EQ(start, 0u);
}

TT_TEST(pool_arena_beside_blob) {
  TT_CHECK_EQ(tt::pool_arena_capacity(4096, 0, 1000), 4096u - 1008);
  TT_CHECK_EQ(tt::pool_place_arena(4096, 0, 1000, 500), 1008u);
  TT_CHECK_EQ(tt::pool_arena_capacity(4096, 3072, 1024), 3072u);
  TT_CHECK_EQ(tt::pool_place_arena(4096, 3072, 1024, 100), (3072u - 100) & ~15u);
  TT_CHECK_EQ(tt::pool_place_arena(4096, 3072, 1024, 3072), 0u);
  TT_CHECK_EQ(tt::pool_arena_capacity(4096, 0, 4096), 0u);
  TT_CHECK_EQ(tt::pool_arena_capacity(4096, 4000, 96), 4000u);
}
