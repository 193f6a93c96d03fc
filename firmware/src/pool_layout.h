// Where blobs and arenas go in the RAM pool (offsets from the pool start, all 16-byte aligned).
// The running model's footprint — its blob if it lives in the pool, and its arena, side by side —
// sits packed against one end of the pool; an upload is staged against the other end so it never
// overlaps the running blob or arena, and its arena is then placed next to it. Replacing a model of
// blob B1 + arena A1 with one of blob B2 therefore needs about B1 + A1 + B2 bytes, with no
// compaction.
#pragma once

#include <stdint.h>

namespace tt {

constexpr uint32_t pool_align_up(uint32_t x) { return (x + 15u) & ~15u; }
constexpr uint32_t pool_align_down(uint32_t x) { return x & ~15u; }

// Bytes [start, end) of the pool in use by the running model; start == end when none.
struct PoolSpan {
  uint32_t start = 0;
  uint32_t end = 0;
};

// Picks where to stage an upload of `total_len` bytes next to `running` in a pool of `pool_bytes`
// (a multiple of 16). Returns true and *start on success. *largest always receives the largest
// total_len that would fit now (the TOO_LARGE detail).
bool pool_stage(uint32_t pool_bytes, PoolSpan running, uint32_t total_len, uint32_t* start,
                uint32_t* largest);

// Largest arena that fits in the pool beside a blob at [blob_start, blob_start + blob_len),
// ignoring the running model (which the uploaded one replaces).
uint32_t pool_arena_capacity(uint32_t pool_bytes, uint32_t blob_start, uint32_t blob_len);

// Where the arena goes for a blob placed by pool_stage; arena_bytes <= pool_arena_capacity(...).
// Adjacent to the blob on the pool's inner side, so the resulting footprint stays packed against
// one end.
uint32_t pool_place_arena(uint32_t pool_bytes, uint32_t blob_start, uint32_t blob_len,
                          uint32_t arena_bytes);

}  // namespace tt
