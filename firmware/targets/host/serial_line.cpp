#include "serial_line.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

namespace host {

int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

namespace {
// 8N1: a start bit, 8 data bits, a stop bit.
double byte_time_ns(uint32_t baud) { return baud == 0 ? 0.0 : 10.0e9 / baud; }
constexpr size_t kMaxWrite = 1 << 20;
}  // namespace

RxLine::RxLine(uint32_t baud) : byte_ns_(byte_time_ns(baud)) {}

void RxLine::push(const uint8_t* data, size_t len, int64_t now) {
  if (len == 0) return;
  Segment s;
  s.data.assign(data, data + len);
  s.start_ns = static_cast<double>(now) > line_free_ns_ ? static_cast<double>(now) : line_free_ns_;
  s.fed = 0;
  line_free_ns_ = s.start_ns + byte_ns_ * static_cast<double>(len);
  queued_ += len;
  segments_.push_back(std::move(s));
}

int64_t RxLine::next_delimiter_ns() const {
  for (const Segment& s : segments_) {
    const void* z = memchr(s.data.data() + s.fed, 0, s.data.size() - s.fed);
    if (z == nullptr) continue;
    const size_t index = static_cast<size_t>(static_cast<const uint8_t*>(z) - s.data.data());
    return static_cast<int64_t>(s.start_ns + byte_ns_ * static_cast<double>(index + 1)) + 1;
  }
  return -1;
}

TxLine::TxLine(uint32_t baud) : byte_ns_(byte_time_ns(baud)) {}

void TxLine::push(const uint8_t* data, size_t len, int64_t now) {
  // An idle line starts carrying the new bytes now, not in the past.
  if (queued() == 0 && line_ns_ < static_cast<double>(now)) line_ns_ = static_cast<double>(now);
  if (head_ > 0 && head_ == buf_.size()) {
    buf_.clear();
    head_ = 0;
  }
  buf_.insert(buf_.end(), data, data + len);
}

bool TxLine::drain(int fd, int64_t now) {
  while (queued() > 0 && !blocked_) {
    size_t n = queued();
    if (byte_ns_ > 0) {
      const double carried = (static_cast<double>(now) - line_ns_) / byte_ns_;
      if (carried < 1) return true;
      if (carried < static_cast<double>(n)) n = static_cast<size_t>(carried);
    }
    if (n > kMaxWrite) n = kMaxWrite;
    const ssize_t w = write(fd, buf_.data() + head_, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        blocked_ = true;
        return true;
      }
      return false;
    }
    head_ += static_cast<size_t>(w);
    if (byte_ns_ > 0) line_ns_ += byte_ns_ * static_cast<double>(w);
  }
  if (head_ == buf_.size()) {
    buf_.clear();
    head_ = 0;
  } else if (head_ > (1u << 20) && head_ > buf_.size() / 2) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  return true;
}

int64_t TxLine::next_due_ns(int64_t now) const {
  if (queued() == 0 || blocked_) return -1;
  if (byte_ns_ <= 0) return now;
  // Wake when about a millisecond of bytes (at least one) is due: fewer wake-ups, same pacing.
  double batch = 1.0e6 / byte_ns_;
  if (batch < 1) batch = 1;
  if (batch > static_cast<double>(queued())) batch = static_cast<double>(queued());
  return static_cast<int64_t>(line_ns_ + byte_ns_ * batch) + 1;
}

}  // namespace host
