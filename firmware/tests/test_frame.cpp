#include <string.h>

#include <initializer_list>
#include <vector>

#include "cobs.h"
#include "crc32.h"
#include "frame.h"
#include "tt_test.h"
#include "wire.h"

namespace {

using Bytes = std::vector<uint8_t>;
constexpr uint32_t kMax = 256;

Bytes frame_of(const Bytes& payload) {
  Bytes out(tt::frame_buffer_bytes(uint32_t(payload.size())) + 4);
  out.resize(
      tt::frame_encode(payload.data(), uint32_t(payload.size()), out.data(), uint32_t(out.size())));
  return out;
}

struct Decoder {
  explicit Decoder(uint32_t max_payload = kMax) : buf(tt::frame_encoded_limit(max_payload)) {
    dec.init(buf.data(), uint32_t(buf.size()), max_payload);
  }
  // Feeds everything; records the events and good payloads.
  void feed(const Bytes& wire, bool bytewise = false) {
    const uint8_t* p = wire.data();
    uint32_t left = uint32_t(wire.size());
    while (left > 0) {
      tt::FrameEvent ev;
      const uint32_t used = dec.feed(p, bytewise ? 1 : left, &ev);
      p += used;
      left -= used;
      if (ev == tt::FrameEvent::kFrame) {
        frames.emplace_back(dec.payload(), dec.payload() + dec.payload_len());
      } else if (ev == tt::FrameEvent::kBad) {
        bad.push_back(dec.bad_reason());
      }
    }
  }
  Bytes buf;
  tt::FrameDecoder dec;
  std::vector<Bytes> frames;
  std::vector<tt::BadFrameReason> bad;
};

Bytes payload_of(size_t n, uint32_t seed) {
  Bytes p(n);
  for (uint8_t& b : p) b = uint8_t((seed = seed * 1103515245u + 12345u) >> 16);
  return p;
}

}  // namespace

TT_TEST(frame_round_trip_all_sizes) {
  for (uint32_t n = tt::kMinPayload; n <= kMax; ++n) {
    const Bytes p = payload_of(n, n);
    const Bytes f = frame_of(p);
    TT_CHECK(f.size() >= n + 6);
    TT_CHECK(f.size() - 1 <= tt::frame_encoded_limit(kMax));
    TT_CHECK_EQ(f.back(), 0);
    Decoder d;
    d.feed(f);
    TT_REQUIRE(d.frames.size() == 1);
    TT_CHECK(d.frames[0] == p);
    TT_CHECK(d.bad.empty());
  }
}

TT_TEST(frame_in_place_encoding_matches) {
  for (uint32_t max : {128u, 250u, 256u, 1024u}) {
    for (uint32_t n : {3u, 100u, max - 1, max}) {
      for (int zeros : {0, 1}) {
        Bytes p = payload_of(n, n * 7 + max);
        for (uint8_t& b : p) b = zeros ? (b & 1 ? 0 : b) : (b ? b : 1);
        Bytes buf(tt::frame_buffer_bytes(max), 0xEE);
        memcpy(buf.data() + tt::frame_headroom(max), p.data(), n);
        const uint32_t len = tt::frame_encode_in_place(buf.data(), max, n);
        TT_REQUIRE(len > 0);
        buf.resize(len);
        TT_CHECK(buf == frame_of(p));
      }
    }
  }
  // Every payload length around one and two full 254-byte runs (payload + CRC), without zeros
  // and with a zero at the end: the in-place encoding equals the streaming encoder's frame and
  // decodes back to the payload.
  for (uint32_t n = 240; n <= 520; ++n) {
    for (int zero_last : {0, 1}) {
      Bytes p = payload_of(n, n + 3);
      for (uint8_t& b : p) b = b ? b : 1;
      if (zero_last) p.back() = 0;
      Bytes buf(tt::frame_buffer_bytes(1024), 0xEE);
      memcpy(buf.data() + tt::frame_headroom(1024), p.data(), n);
      const uint32_t len = tt::frame_encode_in_place(buf.data(), 1024, n);
      TT_REQUIRE(len > 0);
      buf.resize(len);
      TT_CHECK(buf == frame_of(p));
      Decoder d(1024);
      d.feed(buf);
      TT_REQUIRE(d.frames.size() == 1);
      TT_CHECK(d.frames[0] == p);
    }
  }
  uint8_t buf[tt::frame_buffer_bytes(128)];
  TT_CHECK_EQ(tt::frame_encode_in_place(buf, 128, 129), 0u);
  TT_CHECK_EQ(tt::frame_encode_in_place(buf, 128, 2), 0u);
}

TT_TEST(frame_lone_delimiters_are_ignored) {
  Decoder d;
  d.feed({0, 0, 0});
  TT_CHECK(d.frames.empty());
  TT_CHECK(d.bad.empty());
  Bytes w = {0};
  const Bytes f = frame_of({1, 2, 3});
  w.insert(w.end(), f.begin(), f.end());
  w.push_back(0);
  d.feed(w);
  TT_CHECK_EQ(d.frames.size(), 1u);
  TT_CHECK(d.bad.empty());
}

TT_TEST(frame_resync_after_garbage) {
  Decoder d;
  Bytes w = {0x41, 0x42, 0x43, 0x00};  // garbage, then its delimiter
  const Bytes f = frame_of({0x01, 0x02, 0x00, 0x04});
  w.insert(w.end(), f.begin(), f.end());
  d.feed(w);
  TT_CHECK_EQ(d.bad.size(), 1u);
  TT_REQUIRE(d.frames.size() == 1);
  TT_CHECK(d.frames[0] == Bytes({0x01, 0x02, 0x00, 0x04}));
}

TT_TEST(frame_bad_crc_then_good) {
  Decoder d;
  Bytes p = {0x10, 0x20, 0x30, 0x40};
  Bytes raw = p;
  const uint32_t crc = tt::crc32(p.data(), 4) ^ 1u;
  for (int i = 0; i < 4; ++i) raw.push_back(uint8_t(crc >> (8 * i)));
  Bytes w(tt::cobs_max_encoded(uint32_t(raw.size())));
  tt::CobsEncoder e;
  e.start(w.data(), uint32_t(w.size()));
  e.put(raw.data(), uint32_t(raw.size()));
  w.resize(e.finish());
  w.push_back(0);
  const Bytes f = frame_of(p);
  w.insert(w.end(), f.begin(), f.end());
  d.feed(w);
  TT_REQUIRE(d.bad.size() == 1);
  TT_CHECK(d.bad[0] == tt::BadFrameReason::kCrc);
  TT_CHECK_EQ(d.frames.size(), 1u);
}

TT_TEST(frame_oversize_dropped_then_resync) {
  Decoder d;
  Bytes w(tt::frame_encoded_limit(kMax) + 1, 0x55);  // one byte too many
  w.push_back(0);
  const Bytes f = frame_of({7, 8, 9});
  w.insert(w.end(), f.begin(), f.end());
  d.feed(w);
  TT_REQUIRE(d.bad.size() == 1);
  TT_CHECK(d.bad[0] == tt::BadFrameReason::kOversize);
  TT_REQUIRE(d.frames.size() == 1);
  TT_CHECK(d.frames[0] == Bytes({7, 8, 9}));
  // A huge run of garbage is skipped without storing it.
  Decoder d2;
  Bytes big(100000, 0x33);
  big.push_back(0);
  d2.feed(big);
  TT_CHECK_EQ(d2.bad.size(), 1u);
}

TT_TEST(frame_truncated_and_short) {
  Decoder d;
  const Bytes f = frame_of({1, 2, 3, 4, 5, 6, 7, 8});
  Bytes w(f.begin(), f.begin() + 5);  // cut short: the next delimiter ends it
  w.push_back(0);
  w.insert(w.end(), {0x01, 0x01, 0x01, 0x00});  // decodes to 2 bytes: too short
  w.insert(w.end(), {0x05, 0x11, 0x00});        // COBS code past the end
  w.insert(w.end(), f.begin(), f.end());
  d.feed(w);
  TT_REQUIRE(d.bad.size() == 3);
  TT_CHECK(d.bad[1] == tt::BadFrameReason::kShort);
  TT_CHECK(d.bad[2] == tt::BadFrameReason::kCobs);
  TT_CHECK_EQ(d.frames.size(), 1u);
}

TT_TEST(frame_payload_longer_than_max_is_bad) {
  // Zeros encode 1:1 plus one byte, so this fits the encoded limit but decodes past max_payload.
  Decoder d;
  Bytes p(kMax + 1, 0);
  p[0] = 1;
  const Bytes f = frame_of(p);
  TT_REQUIRE(f.size() - 1 <= tt::frame_encoded_limit(kMax));
  d.feed(f);
  TT_REQUIRE(d.bad.size() == 1);
  TT_CHECK(d.bad[0] == tt::BadFrameReason::kLong);
}

TT_TEST(frame_accepts_long_cobs_form_at_limit) {
  // max_payload 250: payload + CRC = 254 non-zero bytes, sent with the extra trailing 0x01 code.
  const uint32_t max = 250;
  Bytes p(max, 0x5A);
  uint32_t crc = 0;
  for (uint32_t k = 0;; ++k) {
    p[0] = uint8_t(1 + k % 255);
    p[1] = uint8_t(1 + k / 255);
    crc = tt::crc32(p.data(), max);
    if ((crc & 0xFF) && (crc & 0xFF00) && (crc & 0xFF0000) && (crc & 0xFF000000)) break;
  }
  Bytes w = {0xFF};
  w.insert(w.end(), p.begin(), p.end());
  for (int i = 0; i < 4; ++i) w.push_back(uint8_t(crc >> (8 * i)));
  w.push_back(0x01);
  TT_CHECK_EQ(w.size(), tt::frame_encoded_limit(max));
  w.push_back(0);
  Decoder d(max);
  d.feed(w);
  TT_CHECK(d.bad.empty());
  TT_REQUIRE(d.frames.size() == 1);
  TT_CHECK(d.frames[0] == p);
}

TT_TEST(frame_bytewise_equals_bulk) {
  Bytes w = {0x00, 0x12, 0x00};
  for (uint32_t n : {3u, 40u, 255u, 256u}) {
    const Bytes f = frame_of(payload_of(n, n));
    w.insert(w.end(), f.begin(), f.end());
  }
  Decoder a, b;
  a.feed(w);
  b.feed(w, true);
  TT_CHECK(a.frames == b.frames);
  TT_CHECK(a.bad == b.bad);
  TT_CHECK_EQ(a.frames.size(), 4u);
  TT_CHECK_EQ(a.bad.size(), 1u);
}
