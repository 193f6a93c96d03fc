// A simulated UART for the host board: bytes cross the line at baud / 10 bytes per second in each
// direction independently (full duplex). With baud 0 the line is a plain pipe: no pacing.
//
// Times are nanoseconds of CLOCK_MONOTONIC (now_ns()).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <deque>
#include <vector>

namespace host {

int64_t now_ns();

// Board RX: bytes the client wrote enter the line when read from stdin; each is delivered to the
// board only once it has fully "arrived".
class RxLine {
 public:
  explicit RxLine(uint32_t baud);
  void push(const uint8_t* data, size_t len, int64_t now);
  // Passes every byte that has arrived by `now` to sink(const uint8_t*, size_t).
  template <typename Sink>
  void deliver(int64_t now, Sink&& sink);
  // When the next frame delimiter arrives (the next moment the board can act), or -1 if none
  // queued.
  int64_t next_delimiter_ns() const;
  size_t queued() const { return queued_; }

 private:
  struct Segment {
    std::vector<uint8_t> data;
    double start_ns;  // the first byte arrives at start_ns + byte_ns
    size_t fed;
  };
  double byte_ns_;
  double line_free_ns_ = 0;  // when the last queued byte will have arrived
  size_t queued_ = 0;
  std::deque<Segment> segments_;
};

// Board TX: frames queue up and leave no faster than the line carries them.
class TxLine {
 public:
  explicit TxLine(uint32_t baud);
  void push(const uint8_t* data, size_t len, int64_t now);
  // Writes to `fd` what the line has carried by `now`. False when fd is gone (EPIPE and the like).
  bool drain(int fd, int64_t now);
  // When drain() next has bytes to write, or -1 if nothing is queued (or the fd is full).
  int64_t next_due_ns(int64_t now) const;
  bool blocked() const { return blocked_; }  // the last write hit a full fd: wait for POLLOUT
  void unblock() { blocked_ = false; }
  size_t queued() const { return buf_.size() - head_; }

 private:
  double byte_ns_;
  double line_ns_ = 0;  // when the line has finished carrying every byte written so far
  std::vector<uint8_t> buf_;
  size_t head_ = 0;
  bool blocked_ = false;
};

template <typename Sink>
void RxLine::deliver(int64_t now, Sink&& sink) {
  while (!segments_.empty()) {
    Segment& s = segments_.front();
    size_t arrived = s.data.size();
    if (byte_ns_ > 0) {
      const double t = (static_cast<double>(now) - s.start_ns) / byte_ns_;
      if (t < static_cast<double>(arrived)) arrived = t <= 0 ? 0 : static_cast<size_t>(t);
    }
    if (arrived > s.fed) {
      sink(s.data.data() + s.fed, arrived - s.fed);
      queued_ -= arrived - s.fed;
      s.fed = arrived;
    }
    if (s.fed < s.data.size()) return;
    segments_.pop_front();
  }
}

}  // namespace host
