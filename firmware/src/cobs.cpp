#include "cobs.h"

namespace tt {

void CobsEncoder::start(uint8_t* out, uint32_t capacity) {
  out_ = out;
  capacity_ = capacity;
  code_pos_ = 0;
  pos_ = 1;
  code_ = 1;
  after_full_ = false;
  overflow_ = capacity == 0;
}

void CobsEncoder::close_run() {
  if (code_pos_ < capacity_) out_[code_pos_] = code_;
  code_pos_ = pos_++;
  code_ = 1;
}

void CobsEncoder::put(uint8_t byte) {
  after_full_ = false;
  if (byte == 0) {
    close_run();
  } else {
    if (pos_ < capacity_) {
      out_[pos_] = byte;
    } else {
      overflow_ = true;
    }
    ++pos_;
    if (++code_ == 0xFF) {
      close_run();
      after_full_ = true;
    }
  }
  if (pos_ > capacity_) overflow_ = true;
}

void CobsEncoder::put(const uint8_t* data, uint32_t len) {
  for (uint32_t i = 0; i < len; ++i) put(data[i]);
}

uint32_t CobsEncoder::finish() {
  if (after_full_) {
    // The slot reserved after a full run stays unused: its implied zero would be the delimiter's.
    --pos_;
  } else if (code_pos_ < capacity_) {
    out_[code_pos_] = code_;
  }
  if (overflow_ || pos_ > capacity_) return 0;
  return pos_;
}

CobsStatus cobs_decode(const uint8_t* in, uint32_t len, uint8_t* out, uint32_t* out_len) {
  uint32_t r = 0;
  uint32_t w = 0;
  while (r < len) {
    const uint8_t code = in[r++];
    if (code == 0) return CobsStatus::kZeroByte;
    const uint32_t run = code - 1u;
    if (run > len - r) return CobsStatus::kTruncated;
    // w < r always, so copying forwards is safe in place.
    for (uint32_t i = 0; i < run; ++i) {
      const uint8_t b = in[r + i];
      if (b == 0) return CobsStatus::kZeroByte;
      out[w + i] = b;
    }
    w += run;
    r += run;
    if (code != 0xFF && r < len) out[w++] = 0;
  }
  *out_len = w;
  return CobsStatus::kOk;
}

}  // namespace tt
