// model_load: one rejection per ModelStatus (docs/model-format.md §7) from a minimally wrong blob,
// the detail index, truncation at every length and single-byte mutations never crashing
// (ASan/UBSan).
#include <math.h>
#include <string.h>

#include <vector>

#include "kernel_api.h"
#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
using tt::ModelStatus;
namespace f = tt::fmt;

namespace {

// x int8 [1,2] -> FULLY_CONNECTED (per-channel, bias) -> h int8 [1,3] -> DEQUANTIZE -> y f32 [1,3].
// Tensors: 0 x, 1 w, 2 bias, 3 h, 4 y. Quant records: 0 x, 1 w (per-channel, axis 0), 2 h.
Bytes base_model() {
  BlobBuilder b;
  b.name = "loader-base";
  const uint16_t qx = b.quant({0.5f}, {-1});
  const uint16_t qw = b.quant({0.1f, 0.2f, 0.3f}, {0, 0, 0}, 0);
  const uint16_t qh = b.quant({0.25f}, {3});
  const uint16_t x = b.arena(f::kTypeInt8, {1, 2}, qx);
  const uint16_t w = b.constant<int8_t>(f::kTypeInt8, {3, 2}, {1, 2, 3, 4, -5, -6}, qw);
  const uint16_t bias = b.constant<int32_t>(f::kTypeInt32, {3}, {100, -100, 7});
  const uint16_t h = b.arena(f::kTypeInt8, {1, 3}, qh);
  const uint16_t y = b.arena(f::kTypeFloat32, {1, 3});
  Params fc;
  fc.i32(1).i32(0).i32(3).i32(-128).i32(127).i32(3);
  fc.i32(1 << 30).i32(1 << 30).i32(1 << 30).i32(-1).i32(-2).i32(0);
  b.op(f::kOpFullyConnected, {x, w, bias}, {h}, fc);
  b.op(f::kOpDequantize, {h}, {y}, Params().f32(0.25f).i32(3));
  b.io({x}, {y});
  return b.build();
}

struct Expect {
  ModelStatus status;
  uint32_t detail;
};

void check(const Bytes& blob, ModelStatus status, uint32_t detail, int line) {
  uint32_t got_detail = 12345;
  const ModelStatus got = load_status(blob, &got_detail);
  if (got != status || got_detail != detail) {
    char msg[160];
    snprintf(msg, sizeof msg, "line %d: status %d detail %u, expected %d detail %u", line, (int)got,
             got_detail, (int)status, detail);
    tt_test::fail(__FILE__, line, msg);
  }
}

#define CHECK_LOAD(blob, status, detail) check(blob, status, detail, __LINE__)

// Applies `patch` to a copy of the base model.
template <typename Fn>
Bytes patched(Fn patch) {
  Bytes b = base_model();
  patch(b);
  return b;
}

void put_f32(Bytes& b, uint32_t off, float v) {
  uint32_t u;
  memcpy(&u, &v, 4);
  put_u32(b, off, u);
}

}  // namespace

TT_TEST(loader_accepts_base_model_and_fills_model) {
  const Bytes blob = base_model();
  Loaded l;
  load(blob, &l);
  TT_REQUIRE(l.status == ModelStatus::kOk);
  TT_CHECK_EQ(l.detail, 0);
  const tt::Model& m = l.model;
  TT_CHECK_EQ(m.blob_size, blob.size());
  TT_CHECK_EQ(m.tensor_count, 5);
  TT_CHECK_EQ(m.op_count, 2);
  TT_CHECK_EQ(m.input_count, 1);
  TT_CHECK_EQ(m.output_count, 1);
  TT_CHECK_EQ(m.input_bytes, 2);
  TT_CHECK_EQ(m.output_bytes, 12);
  TT_CHECK_EQ(m.arena_size, get_u32(blob, 12));
  TT_CHECK(m.name_len == 11 && memcmp(m.name, "loader-base", 11) == 0);
  // x = [3, -1]: + 1 -> [4, 0]; acc = [4 + 100, 12 - 100, -20 + 7] = [104, -88, -13];
  // (2^30, -1): 52 -> 26; (2^30, -2): -44 -> -11; (2^30, 0): -6.5 -> -6 (SRDHM rounds half up);
  // + 3 -> [29, -8, -3]; dequantize 0.25 * (h - 3) -> [6.5, -2.75, -1.5].
  const int8_t x[2] = {3, -1};
  float y[3];
  TT_REQUIRE(run(blob, x, y));
  TT_CHECK(y[0] == 6.5f && y[1] == -2.75f && y[2] == -1.5f);
}

TT_TEST(loader_status_texts) {
  for (int s = 0; s <= 16; ++s) {
    const char* t = tt::model_status_text((ModelStatus)s);
    TT_CHECK(t != nullptr && strlen(t) > 0 && strcmp(t, "unknown status") != 0);
  }
  TT_CHECK(strcmp(tt::model_status_text((ModelStatus)200), "unknown status") == 0);
}

// The default build has every operator of op_list.h, in opcode order (TFLite BuiltinOperator:
// ADD 0, AVERAGE_POOL_2D 1, CONCATENATION 2, CONV_2D 3, DEPTHWISE_CONV_2D 4, DEQUANTIZE 6,
// FULLY_CONNECTED 9, LOGISTIC 14, MAX_POOL_2D 17, MUL 18, RELU 19, RELU6 21, SOFTMAX 25, TANH 28,
// GATHER 36, TRANSPOSE 39, MEAN 40, SUB 41, STRIDED_SLICE 45, QUANTIZE 114, BATCH_MATMUL 126), and
// finds each through the table.
TT_TEST(op_table_lists_the_default_operators) {
  const uint16_t expected[] = {0,  1,  2,  3,  4,  6,  9,  14, 17,  18, 19,
                               21, 25, 28, 36, 39, 40, 41, 45, 114, 126};
  const uint32_t n = sizeof expected / sizeof expected[0];
  TT_REQUIRE(tt::kSupportedOpCount == n);
  for (uint32_t i = 0; i < n; ++i) {
    TT_CHECK_EQ(tt::supported_op(i), expected[i]);
    TT_CHECK(tt::find_op(expected[i]) == tt::kOpTable[i]);
    TT_CHECK(tt::kOpTable[i]->max_outputs == 1);
    TT_CHECK((tt::kOpTable[i]->eval == nullptr) != (tt::kOpTable[i]->bind == nullptr));
  }
  TT_CHECK(tt::find_op(32) == nullptr);  // CUSTOM: never a blob operator
  TT_CHECK_EQ(tt::kKernel_FULLY_CONNECTED.max_inputs, 3);
  TT_CHECK_EQ(tt::kKernel_ADD.max_inputs, 2);
}

TT_TEST(loader_too_short) {
  Bytes b = base_model();
  b.resize(63);
  CHECK_LOAD(b, ModelStatus::kTooShort, 0);
  TT_CHECK(tt::model_load(nullptr, 0, 0, nullptr, nullptr) == ModelStatus::kTooShort);
}

TT_TEST(loader_bad_magic) {
  CHECK_LOAD(patched([](Bytes& b) { b[3] = 'X'; }), ModelStatus::kBadMagic, 0);
}

TT_TEST(loader_bad_version_and_minor_accepted) {
  CHECK_LOAD(patched([](Bytes& b) { b[4] = 2; }), ModelStatus::kBadVersion, 0);
  CHECK_LOAD(patched([](Bytes& b) { b[4] = 0; }), ModelStatus::kBadVersion, 0);
  CHECK_LOAD(patched([](Bytes& b) { b[5] = 7; }), ModelStatus::kOk, 0);
}

TT_TEST(loader_bad_header) {
  const ModelStatus k = ModelStatus::kBadHeader;
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, 6, 63); }), k, 0);  // header_size < 64
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, 6, (uint32_t)b.size() + 1); }), k,
             0);  // header past the end
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, 8, (uint32_t)b.size() - 1); }), k, 0);  // blob_size
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, 16, 0); }), k, 0);       // tensor_count 0
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, 16, 0xFFFF); }), k, 0);  // tensor_count 65535
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, 18, 0); }), k, 0);       // op_count 0
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, 20, 0); }), k, 0);       // input_count 0
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, 22, 0); }), k, 0);       // output_count 0
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, 36, 1); }), k, 0);       // io_count < in + out
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, 60, 65); }), k, 0);      // name_len > 64
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, 62, 1); }), k, 0);       // reserved
}

TT_TEST(loader_out_of_bounds) {
  const ModelStatus k = ModelStatus::kOutOfBounds;
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, 24, (uint32_t)b.size() - 8); }), k,
             0);                                                             // tensors past the end
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, 28, 0xFFFFFFF0u); }), k, 0);  // ops offset overflows
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, 36, 0x7FFFFFFFu); }), k,
             0);  // io_count * 2 overflows
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, 44, 0x20000000u); }), k,
             0);  // quant_count too large
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, 52, get_u32(b, 52) + 1); }), k,
             0);  // data past the end
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, 56, (uint32_t)b.size()); }), k,
             0);                                                    // name past the end
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, 28, 32); }), k, 0);  // ops overlap the header
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, 6, 100); }), k,
             0);  // a longer header now covers the tensors
  // A constant tensor outside the data section: detail = tensor 1 (the weights).
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, tensor_record(b, 1) + 12, get_u32(b, 52) - 4); }), k,
             1);
  // Quantization arrays outside the data section: detail = the tensor (1) that uses the record.
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, quant_record(b, 1) + 8, get_u32(b, 52) - 8); }), k,
             1);
  // Params outside the data section: detail = op 1.
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, op_record(b, 1) + 8, get_u32(b, 52) - 4); }), k, 1);
}

TT_TEST(loader_misaligned) {
  const ModelStatus k = ModelStatus::kMisaligned;
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, 24, 66); }), k,
             0);  // tensors not at a multiple of 4
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, 32, get_u32(b, 32) + 1); }), k,
             0);                     // index list odd
  CHECK_LOAD(patched([](Bytes& b) {  // data not at a multiple of 16
               put_u32(b, 48, get_u32(b, 48) + 4);
               put_u32(b, 52, get_u32(b, 52) - 4);
             }),
             k, 0);
  CHECK_LOAD(patched([](Bytes& b) {
               put_u32(b, tensor_record(b, 2) + 12, get_u32(b, tensor_record(b, 2) + 12) + 2);
             }),
             k, 2);  // constant location
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, tensor_record(b, 3) + 12, 2); }), k,
             3);  // arena location
  CHECK_LOAD(patched([](Bytes& b) {
               put_u32(b, quant_record(b, 0) + 4, get_u32(b, quant_record(b, 0) + 4) + 1);
             }),
             k, 0);  // scales of tensor 0's record
  CHECK_LOAD(patched([](Bytes& b) {
               put_u32(b, op_record(b, 0) + 8, get_u32(b, op_record(b, 0) + 8) + 2);
             }),
             k, 0);
  // A blob not at a 4-byte aligned address.
  const Bytes blob = base_model();
  std::vector<uint32_t> storage(blob.size() / 4 + 2);
  uint8_t* p = reinterpret_cast<uint8_t*>(storage.data()) + 1;
  memcpy(p, blob.data(), blob.size());
  TT_CHECK(tt::model_load(p, (uint32_t)blob.size(), 1u << 20, nullptr, nullptr) == k);
}

TT_TEST(loader_bad_tensor) {
  const ModelStatus k = ModelStatus::kBadTensor;
  CHECK_LOAD(patched([](Bytes& b) { b[tensor_record(b, 3) + 1] = 5; }), k, 3);  // rank 5
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, tensor_record(b, 3) + 4, 0); }), k,
             3);  // used dim 0
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, tensor_record(b, 3) + 10, 1); }), k,
             3);  // unused dim != 0
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, tensor_record(b, 4) + 16, 11); }), k,
             4);                                                                // byte_size
  CHECK_LOAD(patched([](Bytes& b) { b[tensor_record(b, 0) + 2] = 2; }), k, 0);  // storage 2
  CHECK_LOAD(patched([](Bytes& b) { b[tensor_record(b, 0) + 3] = 1; }), k, 0);  // reserved
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, tensor_record(b, 0) + 22, 1); }), k, 0);  // reserved
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, tensor_record(b, 4) + 12, get_u32(b, 12)); }), k,
             4);  // past arena
  // Dims whose product overflows 32 bits.
  CHECK_LOAD(patched([](Bytes& b) {
               const uint32_t r = tensor_record(b, 4);
               b[r + 1] = 4;
               for (int i = 0; i < 4; ++i) put_u16(b, r + 4 + 2 * i, 0xFFFF);
             }),
             k, 4);
}

TT_TEST(loader_unsupported_type) {
  CHECK_LOAD(patched([](Bytes& b) { b[tensor_record(b, 4)] = 1; }), ModelStatus::kUnsupportedType,
             4);  // FLOAT16
  CHECK_LOAD(patched([](Bytes& b) { b[tensor_record(b, 2)] = 3; }), ModelStatus::kUnsupportedType,
             2);  // UINT8
}

TT_TEST(loader_bad_quant) {
  const ModelStatus k = ModelStatus::kBadQuant;
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, tensor_record(b, 3) + 20, 3); }), k,
             3);  // index >= quant_count
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, quant_record(b, 0), 0); }), k, 0);  // count 0
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, quant_record(b, 1), 2); }), k,
             1);  // count != dims[axis]
  CHECK_LOAD(patched([](Bytes& b) { b[quant_record(b, 1) + 2] = 1; }), k,
             1);  // axis 1: dims[1] = 2
  CHECK_LOAD(patched([](Bytes& b) { b[quant_record(b, 1) + 2] = 2; }), k, 1);  // axis >= rank
  CHECK_LOAD(patched([](Bytes& b) { b[quant_record(b, 0) + 2] = 1; }), k,
             0);  // per-tensor, axis != 0
  CHECK_LOAD(patched([](Bytes& b) { b[quant_record(b, 0) + 3] = 1; }), k, 0);  // reserved
  const float bad_scales[] = {0.0f, -0.5f, NAN, INFINITY};
  for (float s : bad_scales) {
    CHECK_LOAD(patched([s](Bytes& b) {
                 put_f32(b, data_offset(b) + get_u32(b, quant_record(b, 1) + 4) + 8, s);
               }),
               k, 1);
  }
}

TT_TEST(loader_unsupported_op) {
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, op_record(b, 1), 32); }),
             ModelStatus::kUnsupportedOp, 1);  // CUSTOM
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, op_record(b, 0), 22); }),
             ModelStatus::kUnsupportedOp, 0);  // RESHAPE
}

TT_TEST(loader_bad_op) {
  const ModelStatus k = ModelStatus::kBadOp;
  CHECK_LOAD(patched([](Bytes& b) { b[op_record(b, 1) + 3] = 2; }), k, 1);  // 2 outputs
  CHECK_LOAD(patched([](Bytes& b) { b[op_record(b, 1) + 2] = 4; }), k, 1);  // 4 inputs
  CHECK_LOAD(patched([](Bytes& b) { b[op_record(b, 0) + 2] = 1; }), k, 0);  // FC with 1 input
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, op_record(b, 1) + 4, get_u32(b, 36) - 1); }), k,
             1);  // io past end
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, op_record(b, 1) + 4, 0xFFFFFFFFu); }), k, 1);
  // Operand indices: the index list is [x, y | x, w, bias, h | h, y].
  auto operand = [](Bytes& b, uint32_t i) { return get_u32(b, 32) + 2 * i; };
  CHECK_LOAD(patched([&](Bytes& b) { put_u16(b, operand(b, 3), 5); }), k,
             0);  // weights index >= count
  CHECK_LOAD(patched([&](Bytes& b) { put_u16(b, operand(b, 2), 0xFFFF); }), k,
             0);  // required input absent
  CHECK_LOAD(patched([&](Bytes& b) { put_u16(b, operand(b, 5), 0xFFFF); }), k, 0);  // output absent
  CHECK_LOAD(patched([&](Bytes& b) { put_u16(b, operand(b, 5), 4); }), k,
             0);  // FC output f32, inputs int8
  CHECK_LOAD(patched([&](Bytes& b) { put_u16(b, operand(b, 4), 0); }), k,
             0);  // bias is int8, not int32
  CHECK_LOAD(patched([&](Bytes& b) { put_u16(b, operand(b, 6), 4); }), k,
             1);  // DEQUANTIZE f32 input
  CHECK_LOAD(patched([](Bytes& b) {
               put_u16(b, tensor_record(b, 4) + 6, 4);
               put_u32(b, tensor_record(b, 4) + 16, 16);
             }),
             k, 1);  // DEQUANTIZE output [1, 4] vs input [1, 3]
  CHECK_LOAD(patched([](Bytes& b) {
               put_u16(b, tensor_record(b, 0) + 6, 3);
               put_u32(b, tensor_record(b, 0) + 16, 3);
             }),
             k, 0);  // FC input [1, 3] for depth 2
}

// Format 1.1 op counts (docs/model-format.md §4, §7 step 5): the record level only bounds the
// index list and the indices (every operand, scratch outputs included); the counts against the
// operator's registration (FULLY_CONNECTED: at most 3 inputs, exactly 1 output) come after the
// params location, so a bad params offset is reported first there.
Bytes fc_with_operands(std::initializer_list<uint16_t> extra_in,
                       std::initializer_list<uint16_t> outs, bool bad_params_offset) {
  BlobBuilder b;
  const uint16_t x = b.arena(f::kTypeInt8, {1, 2});
  const uint16_t w = b.constant<int8_t>(f::kTypeInt8, {3, 2}, {1, 2, 3, 4, -5, -6});
  const uint16_t bias = b.constant<int32_t>(f::kTypeInt32, {3}, {100, -100, 7});
  const uint16_t h = b.arena(f::kTypeInt8, {1, 3});
  const uint16_t scratch = b.arena(f::kTypeInt8, {8});
  (void)h;
  (void)scratch;  // tensors 3 and 4, named by the callers
  std::vector<uint16_t> in = {x, w, bias};
  in.insert(in.end(), extra_in.begin(), extra_in.end());
  Params fc;
  fc.i32(1).i32(0).i32(3).i32(-128).i32(127).i32(1).i32(1 << 30).i32(-1);
  b.op(f::kOpFullyConnected, in, std::vector<uint16_t>(outs), fc);
  b.io({x}, {3});
  Bytes blob = b.build();
  if (bad_params_offset) put_u32(blob, op_record(blob, 0) + 8, 0xFFFFFFF0u);
  return blob;
}

TT_TEST(loader_op_counts_format_1_1) {
  const ModelStatus bad_op = ModelStatus::kBadOp, oob = ModelStatus::kOutOfBounds;
  CHECK_LOAD(fc_with_operands({}, {3}, false), ModelStatus::kOk, 0);
  // A scratch output FULLY_CONNECTED does not take: BAD_OP after the params location.
  CHECK_LOAD(fc_with_operands({}, {3, 4}, false), bad_op, 0);
  CHECK_LOAD(fc_with_operands({}, {3, 4}, true), oob, 0);
  // A fourth input (within kMaxOpInputs): the same.
  CHECK_LOAD(fc_with_operands({1}, {3}, false), bad_op, 0);
  CHECK_LOAD(fc_with_operands({1}, {3}, true), oob, 0);
  // No output at all: the same.
  CHECK_LOAD(fc_with_operands({}, {}, false), bad_op, 0);
  CHECK_LOAD(fc_with_operands({}, {}, true), oob, 0);
  // Indices are record level, before the params: an absent or missing scratch output, a fourth
  // input past tensor_count.
  CHECK_LOAD(fc_with_operands({}, {3, 0xFFFF}, true), bad_op, 0);
  CHECK_LOAD(fc_with_operands({}, {3, 9}, true), bad_op, 0);
  CHECK_LOAD(fc_with_operands({9}, {3}, true), bad_op, 0);
  CHECK_LOAD(fc_with_operands({0xFFFF}, {3}, false), bad_op, 0);  // absent 4th input: counts
}

// kernel_input / kernel_output: in[] and out where KernelArgs holds them, else the op's index
// list resolved in its TensorSpace (constant data, the arena, or nullptr without an arena).
void put_le32(uint8_t* p, uint32_t v) {
  for (uint32_t i = 0; i < 4; ++i) p[i] = (uint8_t)(v >> (8 * i));
}

TT_TEST(kernel_operands_beyond_the_resolved_ones) {
  alignas(4) uint8_t tensors[3 * 24] = {};
  tensors[0 * 24 + 2] = f::kStorageArena;
  put_le32(&tensors[0 * 24 + 12], 8);
  tensors[1 * 24 + 2] = f::kStorageConstant;
  put_le32(&tensors[1 * 24 + 12], 4);
  tensors[2 * 24 + 2] = f::kStorageArena;
  put_le32(&tensors[2 * 24 + 12], 16);
  uint8_t data[16] = {};
  uint8_t arena[32] = {};
  // Inputs: 0, 1, 0, then [3] = 1 and [4] absent; outputs: 2, then scratch 0.
  const uint16_t list[7] = {0, 1, 0, 1, 0xFFFF, 2, 0};
  uint8_t io[14];
  for (uint32_t i = 0; i < 7; ++i) {
    io[2 * i] = (uint8_t)list[i];
    io[2 * i + 1] = (uint8_t)(list[i] >> 8);
  }
  tt::TensorSpace space = {tensors, data, arena};
  tt::KernelArgs a{};
  a.input_count = 5;
  a.output_count = 2;
  a.io = io;
  a.space = &space;
  a.in[0].rec = tensors + 2 * 24;  // in[] is taken as it is, not re-resolved
  const tt::KernelTensor in0 = tt::kernel_input(a, 0);
  TT_CHECK(in0.rec == tensors + 2 * 24);
  const tt::KernelTensor in3 = tt::kernel_input(a, 3);
  TT_CHECK(in3.rec == tensors + 24 && in3.data == data + 4);
  const tt::KernelTensor in4 = tt::kernel_input(a, 4);
  TT_CHECK(in4.rec == nullptr && in4.data == nullptr);
  const tt::KernelTensor out1 = tt::kernel_output(a, 1);
  TT_CHECK(out1.rec == tensors && out1.data == arena + 8);
  space.arena = nullptr;  // as during model_load's checks
  const tt::KernelTensor out1_load = tt::kernel_output(a, 1);
  TT_CHECK(out1_load.rec == tensors && out1_load.data == nullptr);
  TT_CHECK(tt::kernel_input(a, 3).data == data + 4);
}

TT_TEST(loader_bad_params) {
  const ModelStatus k = ModelStatus::kBadParams;
  const auto p0 = [](Bytes& b, uint32_t i) { return op_params(b, 0) + 4 * i; };
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, op_record(b, 0) + 12, 44); }), k, 0);  // params_size
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, op_record(b, 0) + 12, 20); }), k,
             0);  // shorter than fixed
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, op_record(b, 1) + 12, 4); }), k,
             1);                                                            // DEQUANTIZE size
  CHECK_LOAD(patched([&](Bytes& b) { put_u32(b, p0(b, 11), 31); }), k, 0);  // shift 31
  CHECK_LOAD(patched([&](Bytes& b) { put_u32(b, p0(b, 9), (uint32_t)-32); }), k, 0);  // shift -32
  CHECK_LOAD(patched([&](Bytes& b) {
               put_u32(b, p0(b, 3), 10);
               put_u32(b, p0(b, 4), 9);
             }),
             k, 0);                                                         // min > max
  CHECK_LOAD(patched([&](Bytes& b) { put_u32(b, p0(b, 4), 128); }), k, 0);  // act_max > 127
  CHECK_LOAD(patched([&](Bytes& b) { put_u32(b, p0(b, 0), 129); }), k, 0);  // input offset
  CHECK_LOAD(patched([&](Bytes& b) { put_u32(b, p0(b, 2), 128); }), k, 0);  // output zero point
  CHECK_LOAD(patched([&](Bytes& b) { put_u32(b, p0(b, 1), 1); }), k,
             0);  // per-channel with weights zero point
  CHECK_LOAD(patched([&](Bytes& b) { put_u32(b, p0(b, 5), 2); }), k, 0);  // n neither 1 nor units
  CHECK_LOAD(patched([](Bytes& b) { put_f32(b, op_params(b, 1), 0.0f); }), k,
             1);  // DEQUANTIZE scale 0
  CHECK_LOAD(patched([](Bytes& b) { put_u32(b, op_params(b, 1) + 4, 200); }), k,
             1);  // DEQUANTIZE zero point
}

TT_TEST(loader_not_topological) {
  const ModelStatus k = ModelStatus::kNotTopological;
  // Swap the two op records: DEQUANTIZE now reads h before FULLY_CONNECTED writes it.
  CHECK_LOAD(patched([](Bytes& b) {
               uint8_t tmp[16];
               memcpy(tmp, &b[op_record(b, 0)], 16);
               memcpy(&b[op_record(b, 0)], &b[op_record(b, 1)], 16);
               memcpy(&b[op_record(b, 1)], tmp, 16);
             }),
             k, 0);
  // An op reading an arena tensor that is neither a model input nor written before.
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, get_u32(b, 32), 4); }), k,
             0);  // model input is y, not x
  // An op writing a constant: ADD(x, c) -> c.
  BlobBuilder b;
  const uint16_t x = b.arena(f::kTypeFloat32, {2});
  const uint16_t c = b.constant<float>(f::kTypeFloat32, {2}, {1.0f, 2.0f});
  const uint16_t y = b.arena(f::kTypeFloat32, {2});
  b.op(f::kOpAdd, {x, c}, {y}, Params().f32(-1.0f).f32(1.0f));
  b.op(f::kOpAdd, {x, y}, {c}, Params().f32(-1.0f).f32(1.0f));
  b.io({x}, {y});
  CHECK_LOAD(b.build(), k, 1);
}

TT_TEST(loader_bad_io) {
  const ModelStatus k = ModelStatus::kBadIo;
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, get_u32(b, 32), 1); }), k,
             1);  // input is a constant
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, get_u32(b, 32), 9); }), k,
             9);  // input index >= count
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, get_u32(b, 32) + 2, 0); }), k,
             0);  // output x: never written
}

TT_TEST(loader_arena_too_large) {
  const Bytes b = base_model();
  const uint32_t arena = get_u32(b, 12);
  uint32_t detail = 1;
  TT_CHECK(load_status(b, &detail, arena - 1) == ModelStatus::kArenaTooLarge);
  TT_CHECK_EQ(detail, 0);
  TT_CHECK(load_status(b, &detail, arena) == ModelStatus::kOk);
}

TT_TEST(loader_too_many) {
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, 16, tt::kMaxTensors + 1); }), ModelStatus::kTooMany,
             0);
  CHECK_LOAD(patched([](Bytes& b) { put_u16(b, 18, tt::kMaxOps + 1); }), ModelStatus::kTooMany, 0);
}

// Every prefix of a valid blob is rejected without reading past its end (ASan), both as sent (the
// header's blob_size disagrees) and with blob_size patched to the prefix length (so later checks
// run).
TT_TEST(loader_truncation_at_every_length) {
  const Bytes blob = base_model();
  for (size_t len = 0; len < blob.size(); ++len) {
    for (int patch = 0; patch < 2; ++patch) {
      uint8_t* p =
          new uint8_t[len + 1];  // operator new[] gives 16-byte alignment on the test hosts
      memcpy(p, blob.data(), len);
      if (patch && len >= 12) {
        for (int i = 0; i < 4; ++i) p[8 + i] = (uint8_t)(len >> (8 * i));
      }
      tt::Model m;
      const ModelStatus s = tt::model_load(p, (uint32_t)len, 1u << 20, &m, nullptr);
      TT_CHECK(s != ModelStatus::kOk);
      TT_CHECK(m.blob == nullptr);
      delete[] p;
    }
  }
}

// Each byte of the blob replaced by a few values: whatever loads also runs (ASan/UBSan watch).
TT_TEST(loader_single_byte_mutations_are_safe) {
  const Bytes blob = base_model();
  int loaded = 0;
  for (size_t i = 0; i < blob.size(); ++i) {
    const uint8_t values[] = {0x00, 0xFF, (uint8_t)(blob[i] ^ 0x01), (uint8_t)(blob[i] ^ 0x80),
                              0x7F};
    for (uint8_t v : values) {
      Bytes m = blob;
      m[i] = v;
      Loaded l;
      load(m, &l);
      if (l.status != ModelStatus::kOk) continue;
      ++loaded;
      std::vector<uint8_t> in(l.model.input_bytes + 1, 0x5A), out(l.model.output_bytes + 1);
      std::vector<uint64_t> arena(l.model.arena_size / 8 + 2);
      tt::model_invoke(l.model, reinterpret_cast<uint8_t*>(arena.data()), in.data(), out.data());
    }
  }
  TT_CHECK(loaded > 0);
}
