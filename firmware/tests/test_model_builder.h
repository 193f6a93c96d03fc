// Test-only builder of model blobs following docs/model-format.md, plus helpers to load and run
// one. Lays a blob out like the TypeScript writer: header, tensors, ops, quant records, index list,
// name, padding to 16, data. Arena tensors get disjoint, 16-byte aligned regions in creation order.
#pragma once

#include <stdint.h>
#include <string.h>

#include <initializer_list>
#include <vector>

#include "model.h"
#include "model_format.h"

namespace tt_test {

using Bytes = std::vector<uint8_t>;

inline void put_u16(Bytes& b, uint32_t off, uint32_t v) {
  b[off] = (uint8_t)v;
  b[off + 1] = (uint8_t)(v >> 8);
}
inline void put_u32(Bytes& b, uint32_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = (uint8_t)(v >> (8 * i));
}
inline uint32_t get_u32(const Bytes& b, uint32_t off) {
  return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 | (uint32_t)b[off + 2] << 16 |
         (uint32_t)b[off + 3] << 24;
}
inline uint32_t get_u16(const Bytes& b, uint32_t off) {
  return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8;
}

// Little-endian params block.
struct Params {
  Bytes bytes;
  Params& i32(int32_t v) {
    const uint32_t u = (uint32_t)v;
    for (int i = 0; i < 4; ++i) bytes.push_back((uint8_t)(u >> (8 * i)));
    return *this;
  }
  Params& f32(float v) {
    uint32_t u;
    memcpy(&u, &v, 4);
    return i32((int32_t)u);
  }
};

struct BlobBuilder {
  struct Tensor {
    uint8_t type, rank, storage;
    uint16_t dims[4];
    uint32_t location, byte_size;
    uint16_t quant;
  };
  struct Quant {
    uint16_t count;
    uint8_t axis;
    uint32_t scales, zero_points;
  };
  struct Op {
    uint16_t opcode;
    uint8_t n_in, n_out;
    uint32_t io_start, params, params_size;
  };

  std::vector<Tensor> tensors;
  std::vector<Quant> quants;
  std::vector<Op> ops;
  std::vector<uint16_t> model_io;  // inputs then outputs
  std::vector<uint16_t> op_io;
  uint16_t input_count = 0, output_count = 0;
  Bytes data;
  const char* name = "test";
  uint32_t arena_size = 0;

  uint32_t add_data(const void* p, uint32_t n) {
    while (data.size() % 4 != 0) data.push_back(0);
    const uint32_t off = (uint32_t)data.size();
    const uint8_t* b = static_cast<const uint8_t*>(p);
    data.insert(data.end(), b, b + n);
    return off;
  }

  static uint32_t elem_size(uint8_t type) { return tt::type_size(type); }

  uint16_t tensor(uint8_t type, std::initializer_list<uint16_t> dims, uint8_t storage,
                  uint32_t location, uint16_t quant) {
    Tensor t{};
    t.type = type;
    t.rank = (uint8_t)dims.size();
    t.storage = storage;
    uint32_t count = 1, i = 0;
    for (uint16_t d : dims) {
      t.dims[i++] = d;
      count *= d;
    }
    t.byte_size = count * elem_size(type);
    t.location = location;
    t.quant = quant;
    tensors.push_back(t);
    return (uint16_t)(tensors.size() - 1);
  }

  // An activation with its own arena region.
  uint16_t arena(uint8_t type, std::initializer_list<uint16_t> dims,
                 uint16_t quant = tt::fmt::kNoQuant) {
    const uint16_t t = tensor(type, dims, tt::fmt::kStorageArena, arena_size, quant);
    arena_size = (arena_size + tensors[t].byte_size + 15u) & ~15u;
    return t;
  }

  // A constant whose bytes are appended to the data section.
  template <typename T>
  uint16_t constant(uint8_t type, std::initializer_list<uint16_t> dims,
                    std::initializer_list<T> values, uint16_t quant = tt::fmt::kNoQuant) {
    std::vector<T> v(values);
    const uint32_t off = add_data(v.data(), (uint32_t)(v.size() * sizeof(T)));
    return tensor(type, dims, tt::fmt::kStorageConstant, off, quant);
  }

  uint16_t quant(std::initializer_list<float> scales, std::initializer_list<int32_t> zero_points,
                 uint8_t axis = 0) {
    std::vector<float> s(scales);
    std::vector<int32_t> z(zero_points);
    Quant q{};
    q.count = (uint16_t)s.size();
    q.axis = axis;
    q.scales = add_data(s.data(), (uint32_t)(s.size() * 4));
    q.zero_points = add_data(z.data(), (uint32_t)(z.size() * 4));
    quants.push_back(q);
    return (uint16_t)(quants.size() - 1);
  }

  void op(uint16_t opcode, std::initializer_list<uint16_t> in, std::initializer_list<uint16_t> out,
          const Params& params = Params()) {
    op(opcode, std::vector<uint16_t>(in), std::vector<uint16_t>(out), params);
  }
  void op(uint16_t opcode, const std::vector<uint16_t>& in, const std::vector<uint16_t>& out,
          const Params& params) {
    Op o{};
    o.opcode = opcode;
    o.n_in = (uint8_t)in.size();
    o.n_out = (uint8_t)out.size();
    o.io_start = (uint32_t)op_io.size();  // relative to the op part; fixed up in build()
    op_io.insert(op_io.end(), in.begin(), in.end());
    op_io.insert(op_io.end(), out.begin(), out.end());
    o.params =
        params.bytes.empty() ? 0 : add_data(params.bytes.data(), (uint32_t)params.bytes.size());
    o.params_size = (uint32_t)params.bytes.size();
    ops.push_back(o);
  }

  void io(std::initializer_list<uint16_t> inputs, std::initializer_list<uint16_t> outputs) {
    io(std::vector<uint16_t>(inputs), std::vector<uint16_t>(outputs));
  }
  void io(const std::vector<uint16_t>& inputs, const std::vector<uint16_t>& outputs) {
    model_io.assign(inputs.begin(), inputs.end());
    model_io.insert(model_io.end(), outputs.begin(), outputs.end());
    input_count = (uint16_t)inputs.size();
    output_count = (uint16_t)outputs.size();
  }

  Bytes build() const {
    namespace f = tt::fmt;
    const uint32_t name_len = (uint32_t)strlen(name);
    const uint32_t tensors_off = f::kHeaderSize;
    const uint32_t ops_off = tensors_off + (uint32_t)tensors.size() * f::kTensorRecordSize;
    const uint32_t quant_off = ops_off + (uint32_t)ops.size() * f::kOpRecordSize;
    const uint32_t io_off = quant_off + (uint32_t)quants.size() * f::kQuantRecordSize;
    const uint32_t io_count = (uint32_t)(model_io.size() + op_io.size());
    const uint32_t name_off = io_off + 2 * io_count;
    const uint32_t data_off = (name_off + name_len + 15u) & ~15u;
    const uint32_t size = data_off + (uint32_t)data.size();
    Bytes b(size, 0);
    memcpy(&b[0], "TTMB", 4);
    b[4] = 1;
    b[5] = 0;
    put_u16(b, 6, f::kHeaderSize);
    put_u32(b, 8, size);
    put_u32(b, 12, arena_size);
    put_u16(b, 16, (uint32_t)tensors.size());
    put_u16(b, 18, (uint32_t)ops.size());
    put_u16(b, 20, input_count);
    put_u16(b, 22, output_count);
    put_u32(b, 24, tensors_off);
    put_u32(b, 28, ops_off);
    put_u32(b, 32, io_off);
    put_u32(b, 36, io_count);
    put_u32(b, 40, quant_off);
    put_u32(b, 44, (uint32_t)quants.size());
    put_u32(b, 48, data_off);
    put_u32(b, 52, (uint32_t)data.size());
    put_u32(b, 56, name_off);
    put_u16(b, 60, name_len);
    for (size_t i = 0; i < tensors.size(); ++i) {
      const Tensor& t = tensors[i];
      const uint32_t r = tensors_off + (uint32_t)i * f::kTensorRecordSize;
      b[r] = t.type;
      b[r + 1] = t.rank;
      b[r + 2] = t.storage;
      for (int d = 0; d < 4; ++d) put_u16(b, r + 4 + 2 * d, t.dims[d]);
      put_u32(b, r + 12, t.location);
      put_u32(b, r + 16, t.byte_size);
      put_u16(b, r + 20, t.quant);
    }
    for (size_t i = 0; i < ops.size(); ++i) {
      const Op& o = ops[i];
      const uint32_t r = ops_off + (uint32_t)i * f::kOpRecordSize;
      put_u16(b, r, o.opcode);
      b[r + 2] = o.n_in;
      b[r + 3] = o.n_out;
      put_u32(b, r + 4, (uint32_t)model_io.size() + o.io_start);
      put_u32(b, r + 8, o.params);
      put_u32(b, r + 12, o.params_size);
    }
    for (size_t i = 0; i < quants.size(); ++i) {
      const Quant& q = quants[i];
      const uint32_t r = quant_off + (uint32_t)i * f::kQuantRecordSize;
      put_u16(b, r, q.count);
      b[r + 2] = q.axis;
      put_u32(b, r + 4, q.scales);
      put_u32(b, r + 8, q.zero_points);
    }
    uint32_t p = io_off;
    for (uint16_t v : model_io) put_u16(b, (p += 2) - 2, v);
    for (uint16_t v : op_io) put_u16(b, (p += 2) - 2, v);
    memcpy(&b[name_off], name, name_len);
    if (!data.empty()) memcpy(&b[data_off], data.data(), data.size());
    return b;
  }
};

// Byte offsets of records inside a built blob (read back from its header).
inline uint32_t tensor_record(const Bytes& b, uint32_t t) { return get_u32(b, 24) + 24 * t; }
inline uint32_t op_record(const Bytes& b, uint32_t i) { return get_u32(b, 28) + 16 * i; }
inline uint32_t quant_record(const Bytes& b, uint32_t q) { return get_u32(b, 40) + 12 * q; }
inline uint32_t data_offset(const Bytes& b) { return get_u32(b, 48); }
inline uint32_t op_params(const Bytes& b, uint32_t i) {
  return data_offset(b) + get_u32(b, op_record(b, i) + 8);
}

// Loads `blob` (copied to 16-byte aligned storage owned by the caller's Loaded).
struct Loaded {
  std::vector<uint64_t> storage;  // 8-byte aligned by type; malloc gives 16 on the hosts we test on
  tt::Model model;
  tt::ModelStatus status = tt::ModelStatus::kTooShort;
  uint32_t detail = 0;
};

inline void load(const Bytes& blob, Loaded* l, uint32_t arena_capacity = 1u << 20) {
  l->storage.assign((blob.size() + 7) / 8 + 1, 0);
  memcpy(l->storage.data(), blob.data(), blob.size());
  l->status = tt::model_load(reinterpret_cast<const uint8_t*>(l->storage.data()),
                             (uint32_t)blob.size(), arena_capacity, &l->model, &l->detail);
}

inline tt::ModelStatus load_status(const Bytes& blob, uint32_t* detail = nullptr,
                                   uint32_t capacity = 1u << 20) {
  Loaded l;
  load(blob, &l, capacity);
  if (detail != nullptr) *detail = l.detail;
  return l.status;
}

// Loads and runs a model once; returns false if it does not load.
inline bool run(const Bytes& blob, const void* inputs, void* outputs) {
  Loaded l;
  load(blob, &l);
  if (l.status != tt::ModelStatus::kOk) return false;
  std::vector<uint64_t> arena((l.model.arena_size + 15) / 8 + 2, 0);
  uint8_t* a = reinterpret_cast<uint8_t*>(arena.data());
  a += (16 - ((uintptr_t)a & 15)) & 15;
  tt::model_invoke(l.model, a, static_cast<const uint8_t*>(inputs), static_cast<uint8_t*>(outputs));
  return true;
}

}  // namespace tt_test
