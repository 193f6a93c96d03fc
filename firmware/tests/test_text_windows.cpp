// Windows and the best span over windows (firmware/src/text/qa_windows.h) on values derived by
// hand from docs/qa.md §3: the same starts and spans, and the same tie rule, as
// src/lib/qa/windows.ts.
#include "text/qa_windows.h"
#include "tt_test.h"

namespace {

using tt::text::BestSpan;
using tt::text::TextStatus;
using tt::text::WindowsResult;

// Checks window_starts(n, length, stride) against `expect` (count entries).
void check_starts(uint32_t n, uint32_t length, uint32_t stride, const uint32_t* expect,
                  uint32_t count) {
  uint32_t out[8] = {99, 99, 99, 99, 99, 99, 99, 99};
  const WindowsResult r = tt::text::window_starts(n, length, stride, out, 8);
  TT_CHECK(r.status == TextStatus::kOk);
  TT_CHECK_EQ(r.count, count);
  for (uint32_t i = 0; i < count && i < 8; ++i) TT_CHECK_EQ(out[i], expect[i]);
}

}  // namespace

// L = 128, stride 64: n ≤ 128 is one window; beyond, steps of 64 while the window ends before n,
// the last pulled back to n − 128 (200 → 0, 64, then min(128, 72) = 72).
TT_TEST(text_window_starts_by_hand) {
  const uint32_t one[] = {0};
  check_starts(0, 128, 64, one, 1);
  check_starts(1, 128, 64, one, 1);
  check_starts(128, 128, 64, one, 1);
  const uint32_t n129[] = {0, 1};
  check_starts(129, 128, 64, n129, 2);
  const uint32_t n192[] = {0, 64};
  check_starts(192, 128, 64, n192, 2);
  const uint32_t n200[] = {0, 64, 72};
  check_starts(200, 128, 64, n200, 3);
  const uint32_t n256[] = {0, 64, 128};
  check_starts(256, 128, 64, n256, 3);
  const uint32_t n300[] = {0, 64, 128, 172};
  check_starts(300, 128, 64, n300, 4);
  // stride = L: disjoint windows, the last pulled back (10 → 0, 4, 6).
  const uint32_t n10[] = {0, 4, 6};
  check_starts(10, 4, 4, n10, 3);
  // stride 1.
  const uint32_t n6[] = {0, 1, 2};
  check_starts(6, 4, 1, n6, 3);
}

TT_TEST(text_window_starts_overflow_and_arguments) {
  uint32_t out[2] = {99, 99};
  WindowsResult r = tt::text::window_starts(300, 128, 64, out, 2);
  TT_CHECK(r.status == TextStatus::kOverflow);
  TT_CHECK_EQ(r.count, 4);  // every window counted, the first two written
  TT_CHECK_EQ(out[0], 0);
  TT_CHECK_EQ(out[1], 64);
  r = tt::text::window_starts(300, 128, 64, nullptr, 0);
  TT_CHECK(r.status == TextStatus::kOverflow);
  TT_CHECK_EQ(r.count, 4);
  TT_CHECK(tt::text::window_starts(10, 4, 0, out, 2).status == TextStatus::kBadArgument);
  TT_CHECK(tt::text::window_starts(10, 4, 5, out, 2).status == TextStatus::kBadArgument);
  TT_CHECK(tt::text::window_starts(10, 0, 1, out, 2).status == TextStatus::kBadArgument);
  TT_CHECK(tt::text::window_starts(10, 4, 2, nullptr, 2).status == TextStatus::kBadArgument);
}

// start [1, 2, 0], end [0, 1, 3]: the sums are s0: 1, 2, 4; s1: 3, 5; s2: 3. Best (1, 2) = 5.
// At most 2 tokens: (1, 2) still. At most 1 token (start = end): 1, 3, 3: the first 3, (1, 1).
TT_TEST(text_best_span_one_window) {
  const float start[3] = {1, 2, 0};
  const float end[3] = {0, 1, 3};
  BestSpan a;
  TT_CHECK(!a.found());
  a.add_window(0, 0, start, end, 3);
  TT_REQUIRE(a.found());
  TT_CHECK_EQ(a.start_token(), 1);
  TT_CHECK_EQ(a.end_token(), 2);
  TT_CHECK(a.score() == 5.0);
  BestSpan two(2);
  two.add_window(0, 0, start, end, 3);
  TT_CHECK_EQ(two.start_token(), 1);
  TT_CHECK_EQ(two.end_token(), 2);
  BestSpan single(1);
  single.add_window(0, 0, start, end, 3);
  TT_CHECK_EQ(single.start_token(), 1);
  TT_CHECK_EQ(single.end_token(), 1);
  TT_CHECK(single.score() == 3.0);
  // No span may be longer than 0 tokens, or the window has no token: nothing found.
  BestSpan none(0);
  none.add_window(0, 0, start, end, 3);
  TT_CHECK(!none.found());
  BestSpan empty;
  empty.add_window(0, 0, start, end, 0);
  TT_CHECK(!empty.found());
}

// A span longer than max_tokens is never taken: start [5, 0, 0], end [0, 0, 9]: (0, 2) = 14 with
// 30 tokens allowed; with 2, the best is (1, 2) = 9 (over (0, 0) = 5 and (0, 1) = 5).
TT_TEST(text_best_span_respects_the_length_limit) {
  const float start[3] = {5, 0, 0};
  const float end[3] = {0, 0, 9};
  BestSpan a;
  a.add_window(0, 0, start, end, 3);
  TT_CHECK_EQ(a.start_token(), 0);
  TT_CHECK_EQ(a.end_token(), 2);
  BestSpan b(2);
  b.add_window(0, 0, start, end, 3);
  TT_CHECK_EQ(b.start_token(), 1);
  TT_CHECK_EQ(b.end_token(), 2);
  TT_CHECK(b.score() == 9.0);
}

// Ties keep the first found: a shorter span over a longer one with the same start, an earlier
// start, an earlier window; padding positions past `tokens` are never read.
TT_TEST(text_best_span_ties_and_padding) {
  // start [1], end [2, 2]: (0, 0) = (0, 1) = 3 → the shorter (0, 0).
  const float s1[2] = {1, -100};
  const float e1[2] = {2, 2};
  BestSpan shorter;
  shorter.add_window(0, 0, s1, e1, 2);
  TT_CHECK_EQ(shorter.end_token(), 0);

  // Window 0 at 0: start [1, 0], end [0, 2] → (0, 1) = 3. Window 1 at 1: start [2, 0], end
  // [1, 0] → (1, 1) = 3, a tie: window 0 stays. Window 2 at 5: start [3.5], end [0] → 3.5 wins,
  // mapped to passage token 5. Its padding (positions 1…3, 100 each) is not read.
  const float w0s[2] = {1, 0}, w0e[2] = {0, 2};
  const float w1s[2] = {2, 0}, w1e[2] = {1, 0};
  const float w2s[4] = {3.5f, 100, 100, 100}, w2e[4] = {0, 100, 100, 100};
  BestSpan b;
  b.add_window(0, 0, w0s, w0e, 2);
  b.add_window(1, 1, w1s, w1e, 2);
  TT_CHECK_EQ(b.window(), 0);
  TT_CHECK_EQ(b.start_token(), 0);
  TT_CHECK_EQ(b.end_token(), 1);
  b.add_window(2, 5, w2s, w2e, 1);
  TT_CHECK_EQ(b.window(), 2);
  TT_CHECK_EQ(b.start_token(), 5);
  TT_CHECK_EQ(b.end_token(), 5);
  TT_CHECK(b.score() == 3.5);

  // All scores negative: still an answer.
  const float ns[2] = {-3, -1}, ne[2] = {-2, -4};
  BestSpan neg;
  neg.add_window(0, 0, ns, ne, 2);
  TT_REQUIRE(neg.found());
  TT_CHECK_EQ(neg.start_token(), 0);  // (0, 0) = -5, (0, 1) = -7, (1, 1) = -5: the first -5
  TT_CHECK_EQ(neg.end_token(), 0);
}

// Sums are taken in double, as JavaScript adds the logits: 2^24 + 1 is exact in double but rounds
// to 2^24 in binary32, where (0, 0) and (0, 1) would tie and the first would stay.
TT_TEST(text_best_span_sums_in_double) {
  const float start[2] = {16777216.0f, 0};
  const float end[2] = {0, 1};
  BestSpan b;
  b.add_window(0, 0, start, end, 2);
  TT_CHECK_EQ(b.start_token(), 0);
  TT_CHECK_EQ(b.end_token(), 1);
  TT_CHECK(b.score() == 16777217.0);
}
