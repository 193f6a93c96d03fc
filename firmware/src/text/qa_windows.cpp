#include "qa_windows.h"

namespace tt {
namespace text {

bool next_window_start(uint32_t n, uint32_t length, uint32_t stride, uint32_t* start) {
  // n - start > length: this window stops short of the end (start + length is never formed).
  if (n - *start <= length) return false;
  const uint32_t last = n - length;
  *start = last - *start > stride ? *start + stride : last;
  return true;
}

WindowsResult window_starts(uint32_t n, uint32_t length, uint32_t stride, uint32_t* out,
                            uint32_t capacity) {
  WindowsResult r = {TextStatus::kOk, 0};
  if (length == 0 || stride == 0 || stride > length || (out == nullptr && capacity != 0)) {
    r.status = TextStatus::kBadArgument;
    return r;
  }
  uint32_t start = 0;
  do {
    if (r.count < capacity) out[r.count] = start;
    ++r.count;
  } while (next_window_start(n, length, stride, &start));
  if (r.count > capacity) r.status = TextStatus::kOverflow;
  return r;
}

void BestSpan::add_window(uint32_t window, uint32_t window_start, const float* start_scores,
                          const float* end_scores, uint32_t tokens) {
  for (uint32_t s = 0; s < tokens; ++s) {
    const uint32_t stop = tokens - s < max_tokens_ ? tokens : s + max_tokens_;
    const double start_score = start_scores[s];
    for (uint32_t e = s; e < stop; ++e) {
      const double score = start_score + static_cast<double>(end_scores[e]);
      if (!found_ || score > score_) {
        found_ = true;
        start_ = window_start + s;
        end_ = window_start + e;
        score_ = score;
        window_ = window;
      }
    }
  }
}

}  // namespace text
}  // namespace tt
