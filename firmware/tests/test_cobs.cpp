#include <string.h>

#include <initializer_list>
#include <vector>

#include "cobs.h"
#include "tt_test.h"

namespace {

using Bytes = std::vector<uint8_t>;

Bytes encode(const Bytes& in) {
  Bytes out(tt::cobs_max_encoded(uint32_t(in.size())) + 1);
  tt::CobsEncoder e;
  e.start(out.data(), uint32_t(out.size()));
  e.put(in.data(), uint32_t(in.size()));
  const uint32_t n = e.finish();
  out.resize(n);
  return out;
}

bool decode(const Bytes& in, Bytes* out) {
  out->assign(in.size(), 0);
  uint32_t n = 0;
  if (tt::cobs_decode(in.data(), uint32_t(in.size()), out->data(), &n) != tt::CobsStatus::kOk)
    return false;
  out->resize(n);
  return true;
}

Bytes range(int first, int last) {  // inclusive
  Bytes b;
  for (int v = first; v <= last; ++v) b.push_back(uint8_t(v));
  return b;
}

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

// The examples from Cheshire & Baker's scheme as commonly tabulated (shortest form).
TT_TEST(cobs_known_vectors) {
  TT_CHECK(encode({}) == Bytes({0x01}));
  TT_CHECK(encode({0x00}) == Bytes({0x01, 0x01}));
  TT_CHECK(encode({0x00, 0x00}) == Bytes({0x01, 0x01, 0x01}));
  TT_CHECK(encode({0x00, 0x11, 0x00}) == Bytes({0x01, 0x02, 0x11, 0x01}));
  TT_CHECK(encode({0x11, 0x22, 0x00, 0x33}) == Bytes({0x03, 0x11, 0x22, 0x02, 0x33}));
  TT_CHECK(encode({0x11, 0x22, 0x33, 0x44}) == Bytes({0x05, 0x11, 0x22, 0x33, 0x44}));
  TT_CHECK(encode({0x11, 0x00, 0x00, 0x00}) == Bytes({0x02, 0x11, 0x01, 0x01, 0x01}));
  // 254 non-zero bytes: one full run, no trailing code.
  TT_CHECK(encode(range(1, 254)) == cat({0xFF}, range(1, 254)));
  // 255 bytes starting with a zero.
  TT_CHECK(encode(range(0, 254)) == cat({0x01, 0xFF}, range(1, 254)));
  // 255 non-zero bytes: a full run, then a run of one.
  TT_CHECK(encode(range(1, 255)) == cat(cat({0xFF}, range(1, 254)), {0x02, 0xFF}));
  // A full run followed by a zero.
  TT_CHECK(encode(cat(range(2, 255), {0x00})) == cat(cat({0xFF}, range(2, 255)), {0x01, 0x01}));
  // 253 non-zero, zero, one byte.
  TT_CHECK(encode(cat(cat(range(3, 255), {0x00}), {0x01})) ==
           cat(cat({0xFE}, range(3, 255)), {0x02, 0x01}));
}

TT_TEST(cobs_round_trips) {
  uint32_t x = 99;
  auto rnd = [&x]() { return (x = x * 1664525u + 1013904223u) >> 8; };
  const size_t lengths[] = {0, 1, 2, 253, 254, 255, 256, 507, 508, 509, 510, 1000, 1029};
  for (size_t len : lengths) {
    for (int zero_pct : {0, 1, 50, 100}) {
      Bytes in(len);
      for (uint8_t& b : in) b = (int(rnd() % 100) < zero_pct) ? 0 : uint8_t(1 + rnd() % 255);
      const Bytes enc = encode(in);
      TT_CHECK(!enc.empty());
      TT_CHECK(enc.size() <= tt::cobs_max_encoded(uint32_t(len)));
      TT_CHECK(memchr(enc.data(), 0, enc.size()) == nullptr);
      Bytes back;
      TT_CHECK(decode(enc, &back));
      TT_CHECK(back == in);
    }
  }
}

TT_TEST(cobs_decodes_long_form_after_full_run) {
  // Encoders that follow the paper literally add a 0x01 after a final 254-byte run.
  Bytes back;
  TT_CHECK(decode(cat(cat({0xFF}, range(1, 254)), {0x01}), &back));
  TT_CHECK(back == range(1, 254));
}

TT_TEST(cobs_decode_in_place) {
  const Bytes in = {0x11, 0x00, 0x22, 0x33, 0x00, 0x00, 0x44};
  Bytes buf = encode(in);
  uint32_t n = 0;
  TT_CHECK(tt::cobs_decode(buf.data(), uint32_t(buf.size()), buf.data(), &n) ==
           tt::CobsStatus::kOk);
  TT_CHECK_EQ(n, in.size());
  TT_CHECK(memcmp(buf.data(), in.data(), in.size()) == 0);
}

TT_TEST(cobs_rejects_malformed) {
  Bytes out;
  TT_CHECK(!decode({0x05, 0x11, 0x22}, &out));        // code past the end
  TT_CHECK(!decode({0x03, 0x11, 0x00, 0x22}, &out));  // zero inside
  TT_CHECK(!decode({0x00}, &out));
  uint8_t buf[4];
  uint32_t n = 0;
  const uint8_t past[] = {0xFF, 1, 2};
  TT_CHECK(tt::cobs_decode(past, 3, buf, &n) == tt::CobsStatus::kTruncated);
}

TT_TEST(cobs_encoder_respects_capacity) {
  uint8_t out[8];
  memset(out, 0xCC, sizeof out);
  tt::CobsEncoder e;
  e.start(out, 4);
  const uint8_t in[] = {1, 2, 3, 4, 5, 6};
  e.put(in, sizeof in);
  TT_CHECK_EQ(e.finish(), 0u);
  for (int i = 4; i < 8; ++i) TT_CHECK_EQ(out[i], 0xCC);
  e.start(out, 4);
  e.put(in, 3);
  TT_CHECK_EQ(e.finish(), 4u);  // exactly fits
}
