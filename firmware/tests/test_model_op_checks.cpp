// The per-operator load-time checks (BAD_OP for counts, types and shapes, BAD_PARAMS for values) on
// single-op models, one minimally wrong variant of a valid op at a time.
#include <math.h>

#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
using tt::ModelStatus;
namespace f = tt::fmt;

namespace {

Bytes unary(uint16_t opcode, uint8_t in_type, std::initializer_list<uint16_t> in_dims,
            uint8_t out_type, std::initializer_list<uint16_t> out_dims, const Params& p) {
  BlobBuilder b;
  const uint16_t x = b.arena(in_type, in_dims);
  const uint16_t y = b.arena(out_type, out_dims);
  b.op(opcode, {x}, {y}, p);
  b.io({x}, {y});
  return b.build();
}

Bytes binary(uint8_t type, std::initializer_list<uint16_t> a_dims,
             std::initializer_list<uint16_t> b_dims, std::initializer_list<uint16_t> out_dims,
             const Params& p, uint8_t b_type = 0xFF) {
  BlobBuilder b;
  const uint16_t x = b.arena(type, a_dims);
  const uint16_t z = b.arena(b_type == 0xFF ? type : b_type, b_dims);
  const uint16_t y = b.arena(type, out_dims);
  b.op(f::kOpAdd, {x, z}, {y}, p);
  b.io({x, z}, {y});
  return b.build();
}

// ADD int8 params with one field replaced.
Params add_params(int field = -1, int32_t value = 0) {
  int32_t v[12] = {1, -2, 3, 20, 1 << 30, -1, 1 << 30, -1, 1 << 30, -18, -128, 127};
  if (field >= 0) v[field] = value;
  Params p;
  for (int32_t x : v) p.i32(x);
  return p;
}

Params relu_params(int field = -1, int32_t value = 0) {
  int32_t v[6] = {-10, 0, 1 << 30, 0, 0, 127};
  if (field >= 0) v[field] = value;
  Params p;
  for (int32_t x : v) p.i32(x);
  return p;
}

Params softmax_params(int32_t multiplier, int32_t left_shift, int32_t diff_min) {
  return Params().i32(multiplier).i32(left_shift).i32(diff_min);
}

constexpr uint8_t I8 = f::kTypeInt8;
constexpr uint8_t F32 = f::kTypeFloat32;

}  // namespace

TT_TEST(op_checks_add) {
  TT_CHECK(load_status(binary(I8, {2, 3}, {3}, {2, 3}, add_params())) == ModelStatus::kOk);
  TT_CHECK(load_status(binary(I8, {2, 3}, {2}, {2, 3}, add_params())) ==
           ModelStatus::kBadOp);  // 3 vs 2
  TT_CHECK(load_status(binary(I8, {2, 3}, {3}, {1, 2, 3}, add_params())) ==
           ModelStatus::kBadOp);  // rank
  TT_CHECK(load_status(binary(I8, {2, 1}, {1, 3}, {2, 1}, add_params())) ==
           ModelStatus::kBadOp);  // not [2,3]
  TT_CHECK(load_status(binary(I8, {3}, {3}, {3}, add_params(), F32)) ==
           ModelStatus::kBadOp);  // mixed types
  TT_CHECK(load_status(binary(f::kTypeInt32, {3}, {3}, {3}, add_params())) == ModelStatus::kBadOp);
  TT_CHECK(load_status(binary(I8, {3}, {3}, {3}, add_params(3, 31))) ==
           ModelStatus::kBadParams);  // left_shift
  TT_CHECK(load_status(binary(I8, {3}, {3}, {3}, add_params(3, -1))) == ModelStatus::kBadParams);
  TT_CHECK(load_status(binary(I8, {3}, {3}, {3}, add_params(5, 1))) ==
           ModelStatus::kBadParams);  // shift > 0
  TT_CHECK(load_status(binary(I8, {3}, {3}, {3}, add_params(9, -32))) == ModelStatus::kBadParams);
  TT_CHECK(load_status(binary(I8, {3}, {3}, {3}, add_params(1, -128))) ==
           ModelStatus::kBadParams);  // offset
  TT_CHECK(load_status(binary(I8, {3}, {3}, {3}, add_params(11, -129))) == ModelStatus::kBadParams);
  TT_CHECK(load_status(binary(I8, {3}, {3}, {3}, Params().i32(0))) ==
           ModelStatus::kBadParams);  // size
  TT_CHECK(load_status(binary(F32, {3}, {3}, {3}, Params().f32(0).f32(6))) == ModelStatus::kOk);
  TT_CHECK(load_status(binary(F32, {3}, {3}, {3}, Params().f32(NAN).f32(6))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(binary(F32, {3}, {3}, {3}, Params().f32(1).f32(0))) ==
           ModelStatus::kBadParams);
}

TT_TEST(op_checks_relu) {
  TT_CHECK(load_status(unary(f::kOpRelu, I8, {4}, I8, {4}, relu_params())) == ModelStatus::kOk);
  TT_CHECK(load_status(unary(f::kOpRelu, I8, {4}, I8, {2, 2}, relu_params())) ==
           ModelStatus::kBadOp);
  TT_CHECK(load_status(unary(f::kOpRelu6, I8, {4}, F32, {4}, relu_params())) ==
           ModelStatus::kBadOp);
  TT_CHECK(load_status(unary(f::kOpRelu, I8, {4}, I8, {4}, relu_params(0, 128))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpRelu, I8, {4}, I8, {4}, relu_params(3, 31))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpRelu, I8, {4}, I8, {4}, relu_params(5, -1))) ==
           ModelStatus::kBadParams);  // min > max
  TT_CHECK(load_status(unary(f::kOpRelu, F32, {4}, F32, {4}, Params())) == ModelStatus::kOk);
  TT_CHECK(load_status(unary(f::kOpRelu, F32, {4}, F32, {4}, Params().i32(0))) ==
           ModelStatus::kBadParams);
}

TT_TEST(op_checks_quantize_dequantize) {
  const Params ok = Params().f32(0.5f).i32(-1);
  TT_CHECK(load_status(unary(f::kOpQuantize, F32, {2, 2}, I8, {2, 2}, ok)) == ModelStatus::kOk);
  TT_CHECK(load_status(unary(f::kOpQuantize, F32, {2, 2}, I8, {4}, ok)) == ModelStatus::kBadOp);
  TT_CHECK(load_status(unary(f::kOpQuantize, I8, {4}, F32, {4}, ok)) == ModelStatus::kBadOp);
  TT_CHECK(load_status(unary(f::kOpDequantize, F32, {4}, I8, {4}, ok)) == ModelStatus::kBadOp);
  TT_CHECK(load_status(unary(f::kOpQuantize, F32, {4}, I8, {4}, Params().f32(NAN).i32(0))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpQuantize, F32, {4}, I8, {4}, Params().f32(INFINITY).i32(0))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpQuantize, F32, {4}, I8, {4}, Params().f32(-1.0f).i32(0))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpQuantize, F32, {4}, I8, {4}, Params().f32(1.0f).i32(-129))) ==
           ModelStatus::kBadParams);
}

TT_TEST(op_checks_softmax) {
  const int32_t m = 1 << 30;
  TT_CHECK(load_status(unary(f::kOpSoftmax, I8, {2, 4}, I8, {2, 4}, softmax_params(m, 23, -248))) ==
           ModelStatus::kOk);
  TT_CHECK(load_status(unary(f::kOpSoftmax, I8, {}, I8, {}, softmax_params(m, 23, -248))) ==
           ModelStatus::kBadOp);
  TT_CHECK(load_status(unary(f::kOpSoftmax, I8, {2, 4}, I8, {4, 2}, softmax_params(m, 23, -248))) ==
           ModelStatus::kBadOp);
  TT_CHECK(load_status(unary(f::kOpSoftmax, I8, {4}, I8, {4}, softmax_params(-1, 23, -248))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpSoftmax, I8, {4}, I8, {4}, softmax_params(m, 31, -1))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpSoftmax, I8, {4}, I8, {4}, softmax_params(m, 23, 1))) ==
           ModelStatus::kBadParams);
  // diff_min * 2^left_shift must fit int32: -124 * 2^24 does (TFLite's radius for shift 24 is 124),
  // -255 * 2^24 does not.
  TT_CHECK(load_status(unary(f::kOpSoftmax, I8, {4}, I8, {4}, softmax_params(m, 24, -124))) ==
           ModelStatus::kOk);
  TT_CHECK(load_status(unary(f::kOpSoftmax, I8, {4}, I8, {4}, softmax_params(m, 24, -255))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpSoftmax, I8, {4}, I8, {4}, softmax_params(m, 23, INT32_MIN))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpSoftmax, F32, {4}, F32, {4}, Params().f32(1.0f))) ==
           ModelStatus::kOk);
  TT_CHECK(load_status(unary(f::kOpSoftmax, F32, {4}, F32, {4}, Params().f32(INFINITY))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpSoftmax, F32, {4}, F32, {4}, softmax_params(m, 23, -248))) ==
           ModelStatus::kBadParams);
}

TT_TEST(op_checks_fully_connected_float) {
  BlobBuilder b;
  const uint16_t x = b.arena(F32, {2, 2});
  const uint16_t w = b.constant<float>(F32, {3, 2}, {1, 2, 3, 4, 5, 6});
  const uint16_t bias = b.constant<int32_t>(f::kTypeInt32, {3}, {1, 2, 3});
  const uint16_t y = b.arena(F32, {2, 3});
  b.op(f::kOpFullyConnected, {x, w, bias}, {y}, Params().f32(0).f32(1));
  b.io({x}, {y});
  TT_CHECK(load_status(b.build()) == ModelStatus::kBadOp);  // int32 bias with float32 weights
  b.ops.clear();
  b.op_io.clear();
  b.op(f::kOpFullyConnected, {x, w, f::kAbsent}, {y}, Params().f32(INFINITY).f32(INFINITY));
  TT_CHECK(load_status(b.build()) == ModelStatus::kOk);  // [+inf, +inf] is a (degenerate) range
  b.ops.clear();
  b.op_io.clear();
  b.op(f::kOpFullyConnected, {x, w, f::kAbsent}, {y}, Params().f32(0).f32(NAN));
  TT_CHECK(load_status(b.build()) == ModelStatus::kBadParams);
  b.ops.clear();
  b.op_io.clear();
  b.op(f::kOpFullyConnected, {x, w, f::kAbsent, x}, {y}, Params().f32(0).f32(1));
  TT_CHECK(load_status(b.build()) == ModelStatus::kBadOp);  // 4 inputs
}
