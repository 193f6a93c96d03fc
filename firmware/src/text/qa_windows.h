// Sliding windows over a passage longer than the model's L tokens, and the best answer span over
// every window (docs/qa.md §3). The TypeScript twin is src/lib/qa/windows.ts (windowStarts,
// bestSpanOverWindows): the same starts, the same spans and the same tie rule. No heap.
#pragma once

#include <stdint.h>

#include "tokenizer.h"

namespace tt {
namespace text {

struct WindowsResult {
  TextStatus status;  // kOverflow: more windows than `capacity`, the first `capacity` written
  uint32_t count;     // windows of the passage (also when more than were written)
};

// Window starts for `n` passage tokens, `length` (L) tokens per window, advancing by `stride`
// (1 ≤ stride ≤ length): 0, stride, 2·stride, … while the window ends before n, the last one
// pulled back to n − L so it ends exactly at n. A passage of at most L tokens (0 included) is one
// window at 0. kBadArgument for length 0, a stride outside 1 … length, or a null `out` with a
// non-zero capacity.
WindowsResult window_starts(uint32_t n, uint32_t length, uint32_t stride, uint32_t* out,
                            uint32_t capacity);

// The step of window_starts: moves `*start` to the next window's start and returns true, or
// returns false when the window at `*start` is the last (it ends at or after n). Arguments as
// above, unchecked: 1 ≤ stride ≤ length, *start ≤ n.
bool next_window_start(uint32_t n, uint32_t length, uint32_t stride, uint32_t* start);

// The best span so far over the windows added in order: the highest start + end score with
// start ≤ end < start + max_tokens inside each window's real tokens. Scores are summed in double,
// as the TypeScript side sums its (float32-valued) logits, so the same scores give the same
// span. Ties keep the first found: earlier window, then earlier start, then shorter span.
class BestSpan {
 public:
  explicit BestSpan(uint32_t max_tokens = 30) : max_tokens_(max_tokens) {}

  // One window: `start_scores` and `end_scores` of its first `tokens` positions (the real
  // tokens; padding positions are not read), the window starting at passage token
  // `window_start`. `window` is its index, reported back with the span.
  void add_window(uint32_t window, uint32_t window_start, const float* start_scores,
                  const float* end_scores, uint32_t tokens);

  bool found() const { return found_; }            // false until a window with a token was added
  uint32_t start_token() const { return start_; }  // first passage token (inclusive)
  uint32_t end_token() const { return end_; }      // last passage token (inclusive)
  double score() const { return score_; }
  uint32_t window() const { return window_; }

 private:
  uint32_t max_tokens_;
  bool found_ = false;
  uint32_t start_ = 0;
  uint32_t end_ = 0;
  double score_ = 0;
  uint32_t window_ = 0;
};

}  // namespace text
}  // namespace tt
