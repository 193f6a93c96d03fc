#include "cobs.h"
#include "crc32.h"
#include "frame.h"
#include "wire.h"

namespace tt {

void FrameDecoder::init(uint8_t* buffer, uint32_t buffer_bytes, uint32_t max_payload) {
  buffer_ = buffer;
  const uint32_t limit = frame_encoded_limit(max_payload);
  limit_ = buffer_bytes < limit ? buffer_bytes : limit;
  max_payload_ = max_payload;
  reset();
}

void FrameDecoder::reset() {
  len_ = 0;
  payload_len_ = 0;
  overflow_ = false;
  bad_reason_ = BadFrameReason::kNone;
}

uint32_t FrameDecoder::feed(const uint8_t* data, uint32_t len, FrameEvent* event) {
  *event = FrameEvent::kNone;
  for (uint32_t i = 0; i < len; ++i) {
    const uint8_t b = data[i];
    if (b != 0) {
      if (overflow_) continue;
      if (len_ == limit_) {
        overflow_ = true;  // keep nothing more; the frame is bad once its delimiter arrives
        continue;
      }
      buffer_[len_++] = b;
      continue;
    }
    if (len_ == 0 && !overflow_) continue;  // lone delimiter: a flush, not a frame
    *event = finish_frame();
    return i + 1;
  }
  return len;
}

FrameEvent FrameDecoder::finish_frame() {
  const uint32_t stored = len_;
  const bool oversize = overflow_;
  len_ = 0;
  overflow_ = false;
  payload_len_ = 0;
  if (oversize) {
    bad_reason_ = BadFrameReason::kOversize;
    return FrameEvent::kBad;
  }
  uint32_t raw_len = 0;
  if (cobs_decode(buffer_, stored, buffer_, &raw_len) != CobsStatus::kOk) {
    bad_reason_ = BadFrameReason::kCobs;
    return FrameEvent::kBad;
  }
  if (raw_len < kMinPayload + kCrcBytes) {
    bad_reason_ = BadFrameReason::kShort;
    return FrameEvent::kBad;
  }
  const uint32_t n = raw_len - kCrcBytes;
  if (n > max_payload_) {
    bad_reason_ = BadFrameReason::kLong;
    return FrameEvent::kBad;
  }
  if (crc32(buffer_, n) != load_u32(buffer_ + n)) {
    bad_reason_ = BadFrameReason::kCrc;
    return FrameEvent::kBad;
  }
  bad_reason_ = BadFrameReason::kNone;
  payload_len_ = n;
  return FrameEvent::kFrame;
}

}  // namespace tt
