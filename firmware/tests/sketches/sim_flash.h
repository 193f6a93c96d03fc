// Simulated NOR flash for the sketch's flash stores: a RAM array (mapped at a fixed address where
// the board code derives pointers from 32-bit flash addresses) that enforces what the real parts
// and APIs require, counts every violation instead of forgiving it, and can cut the power in the
// middle of any erase or program.
//   erase:   whole, aligned sectors; the bytes become 0xFF
//   program: aligned to the API's write unit, whole units; every byte that receives data (not
//            0xFF, which leaves a NOR cell as it is) must be erased: each byte is programmed once
//            per erase; optionally (nRF52840 NVMC) each 32-bit word written at most N times
// A power cut tears the operation it hits (an erase leaves half the sector unerased, a program
// writes only the first half of its bytes) and makes every later operation fail or do nothing,
// until power_up().
#pragma once

#include <stdint.h>

#include <algorithm>
#include <vector>

namespace sim {

struct Flash {
  uint8_t* mem = nullptr;
  uint32_t size = 0;
  uint32_t sector = 0;
  uint32_t unit = 1;             // program alignment and granularity
  uint32_t max_word_writes = 0;  // 0: no limit
  std::vector<uint8_t> word_writes;
  uint32_t violations = 0;
  uint32_t ops = 0;     // erases + programs that reached the flash
  int64_t cut_at = -1;  // op number (from ops) that the power cut tears; -1 none
  bool dead = false;
  std::vector<uint32_t> erase_counts;  // per sector
  std::vector<uint32_t> op_offsets;    // offset of every op since the last clear_log()
  std::vector<bool> op_erases;

  // Maps `bytes` at `fixed_address` (0 = anywhere), all erased.
  void init(uintptr_t fixed_address, uint32_t bytes, uint32_t sector_bytes, uint32_t write_unit);
  bool erase(uint32_t offset, uint32_t len);
  bool program(uint32_t offset, const uint8_t* data, uint32_t len);
  struct Snapshot {
    std::vector<uint8_t> mem;
    std::vector<uint8_t> word_writes;
    uint32_t ops = 0;
  };
  Snapshot snapshot() const {
    return Snapshot{std::vector<uint8_t>(mem, mem + size), word_writes, ops};
  }
  void restore(const Snapshot& s) {
    std::copy(s.mem.begin(), s.mem.end(), mem);
    word_writes = s.word_writes;
    ops = s.ops;
  }
  void power_up() {
    dead = false;
    cut_at = -1;
  }
  void clear_log() {
    op_offsets.clear();
    op_erases.clear();
  }
  void violation(const char* what);
};

Flash& flash();  // the board's one flash chip

// Arduino-Pico only: the flash functions must run with interrupts off and the other core idle.
extern int g_irq_disabled;
extern int g_other_core_idle;

}  // namespace sim
