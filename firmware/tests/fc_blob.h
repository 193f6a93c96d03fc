// Hand-built model blobs per docs/model-format.md, independent of the loader under test: one
// float32 FULLY_CONNECTED 1 -> 1 computing y = weight * x + bias. Layout: header, 4 tensors, 1 op,
// index list, name, padding to 16, data (weight, bias, params act_min/act_max, then `extra` zero
// bytes).
#pragma once

#include <float.h>
#include <stdint.h>
#include <string.h>

#include <vector>

namespace fc_blob {

struct Options {
  float weight = 2.0f;
  float bias = 1.0f;
  const char* name = "fc";
  uint32_t extra_data = 0;  // unused constant bytes, to make the blob as large as a test needs
  uint32_t arena = 8;       // arena_size: >= 8 (input at 0, output at 4)
  uint8_t weight_type = 0;  // TensorType of the weight tensor (0 FLOAT32); others for bad blobs
};

inline void put16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
  b[at] = uint8_t(v);
  b[at + 1] = uint8_t(v >> 8);
}
inline void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = uint8_t(v >> (8 * i));
}
inline void putf(std::vector<uint8_t>& b, size_t at, float f) {
  uint32_t v;
  memcpy(&v, &f, 4);
  put32(b, at, v);
}

inline std::vector<uint8_t> make(const Options& o = Options()) {
  const uint32_t name_len = uint32_t(strlen(o.name));
  const uint32_t tensors = 64, ops = tensors + 4 * 24, index = ops + 16, name = index + 6 * 2;
  const uint32_t data = (name + name_len + 15) / 16 * 16;
  const uint32_t data_size = 16 + o.extra_data;
  const uint32_t size = data + data_size;
  std::vector<uint8_t> b(size, 0);
  memcpy(&b[0], "TTMB", 4);
  b[4] = 1;
  b[5] = 0;
  put16(b, 6, 64);
  put32(b, 8, size);
  put32(b, 12, o.arena);
  put16(b, 16, 4);  // tensors
  put16(b, 18, 1);  // ops
  put16(b, 20, 1);  // inputs
  put16(b, 22, 1);  // outputs
  put32(b, 24, tensors);
  put32(b, 28, ops);
  put32(b, 32, index);
  put32(b, 36, 6);
  put32(b, 40, index);  // quant_offset: no records
  put32(b, 44, 0);
  put32(b, 48, data);
  put32(b, 52, data_size);
  put32(b, 56, name);
  put16(b, 60, uint16_t(name_len));
  // type, rank, storage, dims[4], location, byte_size; quant 0xFFFF
  struct T {
    uint8_t type, rank, storage;
    uint16_t d0, d1;
    uint32_t loc;
  } t[4] = {
      {0, 2, 0, 1, 1, 0}, {o.weight_type, 2, 1, 1, 1, 0}, {0, 1, 1, 1, 0, 4}, {0, 2, 0, 1, 1, 4}};
  for (int i = 0; i < 4; ++i) {
    const size_t at = tensors + 24 * i;
    b[at] = t[i].type;
    b[at + 1] = t[i].rank;
    b[at + 2] = t[i].storage;
    put16(b, at + 4, t[i].d0);
    put16(b, at + 6, t[i].d1);
    put32(b, at + 12, t[i].loc);
    put32(b, at + 16, 4);
    put16(b, at + 20, 0xFFFF);
  }
  put16(b, ops, 9);  // FULLY_CONNECTED
  b[ops + 2] = 3;
  b[ops + 3] = 1;
  put32(b, ops + 4, 2);   // io_start: after the model's input and output
  put32(b, ops + 8, 8);   // params at data + 8
  put32(b, ops + 12, 8);  // params_size
  const uint16_t idx[6] = {0, 3, 0, 1, 2, 3};
  for (int i = 0; i < 6; ++i) put16(b, index + 2 * i, idx[i]);
  memcpy(&b[name], o.name, name_len);
  putf(b, data, o.weight);
  putf(b, data + 4, o.bias);
  putf(b, data + 8, -FLT_MAX);
  putf(b, data + 12, FLT_MAX);
  return b;
}

}  // namespace fc_blob
