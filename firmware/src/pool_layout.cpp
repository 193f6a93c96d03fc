#include "pool_layout.h"

namespace tt {

namespace {

// First aligned offset past a blob, saturating at the pool end.
uint32_t aligned_end(uint32_t pool_bytes, uint32_t start, uint32_t len) {
  if (len > pool_bytes - start) return pool_bytes;
  const uint32_t end = start + len;
  return end > pool_align_down(pool_bytes) ? pool_bytes : pool_align_up(end);
}

}  // namespace

bool pool_stage(uint32_t pool_bytes, PoolSpan running, uint32_t total_len, uint32_t* start,
                uint32_t* largest) {
  if (running.start == running.end) {
    *largest = pool_bytes;
    *start = 0;
    return total_len <= pool_bytes;
  }
  const uint32_t below = running.start;  // [0, start): aligned by construction
  const uint32_t above = pool_bytes - pool_align_up(running.end);  // [align16(end), pool)
  *largest = below > above ? below : above;
  const bool fits_below = total_len <= below;
  const bool fits_above = total_len <= above;
  // Stage against the end the running footprint is not packed against.
  if (fits_above && (running.start == 0 || !fits_below)) {
    *start = pool_align_down(pool_bytes - total_len);  // >= align16(running.end) since it fits
    return true;
  }
  if (fits_below) {
    *start = 0;
    return true;
  }
  return false;
}

uint32_t pool_arena_capacity(uint32_t pool_bytes, uint32_t blob_start, uint32_t blob_len) {
  const uint32_t below = blob_start;
  const uint32_t above = pool_bytes - aligned_end(pool_bytes, blob_start, blob_len);
  return below > above ? below : above;
}

uint32_t pool_place_arena(uint32_t pool_bytes, uint32_t blob_start, uint32_t blob_len,
                          uint32_t arena_bytes) {
  if (blob_start > 0 && arena_bytes <= blob_start) {
    return pool_align_down(blob_start - arena_bytes);
  }
  return aligned_end(pool_bytes, blob_start, blob_len);
}

}  // namespace tt
