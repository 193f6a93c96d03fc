// GATHER (36), batch_dims 0: output = table.shape[:axis] + indices.shape + table.shape[axis+1:],
// each int32 index copying one slice of the table along `axis` as stored (int8, int32 or float32:
// no arithmetic, the output keeps the table's quantization). TFLite's kernel fails the inference on
// an index outside [0, N) and TFLM's only DCHECKs it; here every index is defined and no read
// leaves the table: -N <= i < 0 reads slice i + N (Python's negative index), any other index
// outside [0, N) writes a slice of `fill` (the output's zero point for int8, zero bytes otherwise).
// docs/model-format.md §5.
#include <string.h>

#include "../kernel_api.h"

#if TT_OP_GATHER

namespace tt {

namespace {

// params: i32 axis, i32 fill.
ModelStatus check(const KernelArgs& a) {
  const uint8_t* table = a.in[0].rec;
  const uint8_t* ids = a.in[1].rec;
  const uint8_t* out = a.out.rec;
  if (table == nullptr || ids == nullptr) return ModelStatus::kBadOp;
  const uint8_t type = tensor_type(table);
  if ((type != fmt::kTypeInt8 && type != fmt::kTypeInt32 && type != fmt::kTypeFloat32) ||
      tensor_type(out) != type || tensor_type(ids) != fmt::kTypeInt32) {
    return ModelStatus::kBadOp;
  }
  const uint32_t rank = tensor_rank(table);
  const uint32_t id_rank = tensor_rank(ids);
  if (rank < 1 || tensor_rank(out) + 1u != rank + id_rank) return ModelStatus::kBadOp;
  if (a.params_size != 8) return ModelStatus::kBadParams;
  const int32_t axis = param_i32(a, 0);
  const int32_t fill = param_i32(a, 1);
  if (axis < 0 || (uint32_t)axis >= rank) return ModelStatus::kBadParams;
  // The output's dims: the table's before the axis, the indices', the table's after it.
  const uint32_t ids_end = (uint32_t)axis + id_rank;
  for (uint32_t d = 0; d < tensor_rank(out); ++d) {
    const uint32_t want = d < (uint32_t)axis ? tensor_dim(table, d)
                          : d < ids_end      ? tensor_dim(ids, d - (uint32_t)axis)
                                             : tensor_dim(table, d - id_rank + 1u);
    if (tensor_dim(out, d) != want) return ModelStatus::kBadParams;
  }
  const bool fill_ok = type == fmt::kTypeInt8 ? is_int8_zero_point(fill) : fill == 0;
  return fill_ok ? ModelStatus::kOk : ModelStatus::kBadParams;
}

void eval(const KernelArgs& a) {
  const uint8_t* table = a.in[0].rec;
  const uint32_t axis = (uint32_t)param_i32(a, 0);
  const int fill = (int)(uint8_t)param_i32(a, 1);  // 0 for int32 / float32 (check)
  const uint32_t n = tensor_dim(table, axis);
  uint32_t outer = 1;
  for (uint32_t i = 0; i < axis; ++i) outer *= tensor_dim(table, i);
  // Bytes of one slice: the table's bytes over its outer × n slices.
  const uint32_t slice = tensor_bytes(table) / outer / n;
  const uint32_t count = tensor_bytes(a.in[1].rec) / 4u;
  const uint8_t* src = a.in[0].data;
  const uint8_t* ids = a.in[1].data;
  uint8_t* y = a.out.data;
  for (uint32_t o = 0; o < outer; ++o, src += n * slice) {
    for (uint32_t k = 0; k < count; ++k, y += slice) {
      int32_t id = rd_i32(ids + 4u * k);
      if (id < 0 && id >= -(int32_t)n) id += (int32_t)n;
      if (id >= 0 && (uint32_t)id < n) {
        memcpy(y, src + (uint32_t)id * slice, slice);
      } else {
        memset(y, fill, slice);
      }
    }
  }
}

}  // namespace

extern const OpRegistration kKernel_GATHER = {fmt::kOpGather, 2, 1, check, eval, nullptr};
static_assert(kMaxOpInputs >= 2, "GATHER takes 2 inputs");

}  // namespace tt

#endif  // TT_OP_GATHER
