// model_load: validates a blob once against docs/model-format.md §1–§7 so that model_invoke can run
// without checks. Checks run in document order (header, sections, tensors with their quantization,
// model inputs/outputs, ops in order, outputs written); the first failure is returned.
//
// All offset arithmetic is done as "offset <= limit && size <= limit - offset" on uint32_t, so no
// sum can wrap; uint16_t values are widened to uint32_t before any multiplication (int is 16 bits
// on AVR).
#include <stdint.h>

#include "kernel_api.h"
#include "model.h"
#include "model_format.h"

namespace tt {

const char* model_status_text(ModelStatus status) {
  switch (status) {
    case ModelStatus::kOk:
      return "ok";
    case ModelStatus::kTooShort:
      return "shorter than the header";
    case ModelStatus::kBadMagic:
      return "not a TinyTwin model (bad magic)";
    case ModelStatus::kBadVersion:
      return "unsupported format version";
    case ModelStatus::kBadHeader:
      return "bad header field";
    case ModelStatus::kOutOfBounds:
      return "section or data out of bounds";
    case ModelStatus::kMisaligned:
      return "misaligned offset";
    case ModelStatus::kBadTensor:
      return "bad tensor record";
    case ModelStatus::kUnsupportedType:
      return "unsupported tensor type";
    case ModelStatus::kBadQuant:
      return "bad quantization record";
    case ModelStatus::kUnsupportedOp:
      return "unsupported operator";
    case ModelStatus::kBadOp:
      return "bad operator inputs or outputs";
    case ModelStatus::kBadParams:
      return "bad operator params";
    case ModelStatus::kNotTopological:
      return "ops not in topological order";
    case ModelStatus::kBadIo:
      return "bad model input or output";
    case ModelStatus::kArenaTooLarge:
      return "arena larger than the board's RAM";
    case ModelStatus::kTooMany:
      return "more tensors or ops than the board supports";
  }
  return "unknown status";
}

namespace {

// [offset, offset + count * unit) inside [0, limit); `count * unit` is never formed.
bool fits(uint32_t offset, uint32_t count, uint32_t unit, uint32_t limit) {
  return offset <= limit && count <= (limit - offset) / unit;
}

struct Loader {
  const uint8_t* blob;
  uint32_t size;
  // Header fields, read where used (a load from the blob costs what a load of a copy costs).
  uint32_t header_size() const { return rd_u16(blob + fmt::kOffHeaderSize); }
  uint32_t arena_size() const { return rd_u32(blob + fmt::kOffArenaSize); }
  uint16_t tensor_count() const { return rd_u16(blob + fmt::kOffTensorCount); }
  uint16_t op_count() const { return rd_u16(blob + fmt::kOffOpCount); }
  uint16_t input_count() const { return rd_u16(blob + fmt::kOffInputCount); }
  uint16_t output_count() const { return rd_u16(blob + fmt::kOffOutputCount); }
  uint32_t io_count() const { return rd_u32(blob + fmt::kOffIoCount); }
  uint32_t quant_count() const { return rd_u32(blob + fmt::kOffQuantCount); }
  uint32_t data_size() const { return rd_u32(blob + fmt::kOffDataSize); }
  const uint8_t* ops;
  const uint8_t* io;
  const uint8_t* quant;
  uint32_t detail;
  TensorSpace space;  // tensor records, constant data, no arena (the kernels' checks resolve in it)
  // One bit per tensor: available to later ops (model inputs, op outputs) / written by some op.
  // (kMaxTensors / 4 bytes of stack together: 32 with 128 tensors, 256 with 1024.)
  uint8_t produced[(kMaxTensors + 7) / 8];
  uint8_t written[(kMaxTensors + 7) / 8];

  static bool bit(const uint8_t* set, uint32_t i) { return ((set[i >> 3] >> (i & 7)) & 1u) != 0; }
  static void set_bit(uint8_t* set, uint32_t i) {
    set[i >> 3] = (uint8_t)(set[i >> 3] | (1u << (i & 7)));
  }

  const uint8_t* tensor(uint32_t i) const { return space.tensors + i * fmt::kTensorRecordSize; }
  uint16_t io_entry(uint32_t i) const { return rd_u16(io + 2 * i); }

  ModelStatus fail(ModelStatus s, uint32_t index) {
    detail = index;
    return s;
  }

  // header, tensor_records and op_record are out of line (TT_NOINLINE): with every step inlined
  // into model_load, GCC's -Os keeps more values on the stack (the split measured smallest on the
  // Cortex-M4, 40 bytes less).
  ModelStatus header(uint32_t arena_capacity);
  ModelStatus section(uint32_t offset, uint32_t count, uint32_t unit, uint32_t align) const;
  ModelStatus sections();
  ModelStatus tensor_records();
  ModelStatus tensor_record(const uint8_t* rec) const;
  ModelStatus quant_record(const uint8_t* rec) const;
  ModelStatus model_io(uint32_t* input_bytes, uint32_t* output_bytes);
  ModelStatus op_records();
  ModelStatus op_record(uint32_t i);
  ModelStatus outputs_written();
};

TT_NOINLINE ModelStatus Loader::header(uint32_t arena_capacity) {
  if (size < fmt::kHeaderSize) return ModelStatus::kTooShort;
  if (rd_u32(blob) != 0x424D5454u) return ModelStatus::kBadMagic;  // "TTMB", little-endian
  if (blob[fmt::kOffMajor] != fmt::kMajor) return ModelStatus::kBadVersion;
  const uint32_t header_size = this->header_size(), tensor_count = this->tensor_count();
  const uint32_t input_count = this->input_count(), output_count = this->output_count();
  const uint32_t op_count = this->op_count();
  if (header_size < fmt::kHeaderSize || header_size > size ||
      rd_u32(blob + fmt::kOffBlobSize) != size || tensor_count == 0 || tensor_count == 0xFFFF ||
      op_count == 0 || input_count == 0 || output_count == 0 ||
      io_count() < input_count + output_count ||
      rd_u16(blob + fmt::kOffNameLen) > fmt::kMaxNameLen || rd_u16(blob + fmt::kOffReserved) != 0) {
    return ModelStatus::kBadHeader;
  }
  if (tensor_count > kMaxTensors || op_count > kMaxOps) return ModelStatus::kTooMany;
  if (arena_size() > arena_capacity) return ModelStatus::kArenaTooLarge;
  return ModelStatus::kOk;
}

// A section must lie inside the blob and, unless empty, after the header.
ModelStatus Loader::section(uint32_t offset, uint32_t count, uint32_t unit, uint32_t align) const {
  if (!fits(offset, count, unit, size) || (count != 0 && offset < header_size()))
    return ModelStatus::kOutOfBounds;
  if (offset % align != 0) return ModelStatus::kMisaligned;
  return ModelStatus::kOk;
}

ModelStatus Loader::sections() {
  // In header order: tensors, ops, io, quant, data, name: the offset field, record size, alignment.
  static const uint8_t kOffsetField[6] = {fmt::kOffTensorsOffset, fmt::kOffOpsOffset,
                                          fmt::kOffIoOffset,      fmt::kOffQuantOffset,
                                          fmt::kOffDataOffset,    fmt::kOffNameOffset};
  static const uint8_t kUnit[6] = {
      fmt::kTensorRecordSize, fmt::kOpRecordSize, 2, fmt::kQuantRecordSize, 1, 1};
  static const uint8_t kAlign[6] = {4, 4, 2, 4, 16, 1};
  const uint32_t counts[6] = {tensor_count(), op_count(),  io_count(),
                              quant_count(),  data_size(), rd_u16(blob + fmt::kOffNameLen)};
  for (uint32_t i = 0; i < 6; ++i) {
    const ModelStatus s = section(rd_u32(blob + kOffsetField[i]), counts[i], kUnit[i], kAlign[i]);
    if (s != ModelStatus::kOk) return s;
  }
  space.tensors = blob + rd_u32(blob + fmt::kOffTensorsOffset);
  ops = blob + rd_u32(blob + fmt::kOffOpsOffset);
  io = blob + rd_u32(blob + fmt::kOffIoOffset);
  quant = blob + rd_u32(blob + fmt::kOffQuantOffset);
  space.data = blob + rd_u32(blob + fmt::kOffDataOffset);
  space.arena = nullptr;
  return ModelStatus::kOk;
}

// One tensor record; tensor_records sets the detail.
ModelStatus Loader::tensor_record(const uint8_t* rec) const {
  const uint32_t esize = type_size(tensor_type(rec));
  if (esize == 0) return ModelStatus::kUnsupportedType;
  const uint8_t rank = tensor_rank(rec);
  const uint8_t storage = rec[fmt::kTensorStorage];
  if (rank > fmt::kMaxRank || storage > fmt::kStorageConstant || rec[3] != 0 ||
      rd_u16(rec + 22) != 0) {
    return ModelStatus::kBadTensor;
  }
  uint32_t count = 1;
  for (uint32_t i = 0; i < fmt::kMaxRank; ++i) {
    const uint32_t d = tensor_dim(rec, i);
    if (i < rank) {
      if (d == 0 || count > 0xFFFFFFFFu / d) return ModelStatus::kBadTensor;
      count *= d;
    } else if (d != 0) {
      return ModelStatus::kBadTensor;
    }
  }
  if (count > 0xFFFFFFFFu / esize || count * esize != tensor_bytes(rec))
    return ModelStatus::kBadTensor;
  const uint32_t location = rd_u32(rec + fmt::kTensorLocation);
  if (location % 4 != 0) return ModelStatus::kMisaligned;
  if (storage == fmt::kStorageConstant) {
    if (!fits(location, tensor_bytes(rec), 1, data_size())) return ModelStatus::kOutOfBounds;
  } else if (!fits(location, tensor_bytes(rec), 1, arena_size())) {
    return ModelStatus::kBadTensor;
  }
  return quant_record(rec);
}

TT_NOINLINE ModelStatus Loader::tensor_records() {
  for (uint32_t t = 0; t < tensor_count(); ++t) {
    const ModelStatus s = tensor_record(tensor(t));
    if (s != ModelStatus::kOk) return fail(s, t);
  }
  return ModelStatus::kOk;
}

// The quantization record a tensor refers to, if any. Records no tensor refers to are never read.
ModelStatus Loader::quant_record(const uint8_t* rec) const {
  const uint16_t q = rd_u16(rec + fmt::kTensorQuant);
  if (q == fmt::kNoQuant) return ModelStatus::kOk;
  if (q >= quant_count()) return ModelStatus::kBadQuant;
  const uint8_t* qr = quant + (uint32_t)q * fmt::kQuantRecordSize;
  const uint32_t count = rd_u16(qr);
  const uint8_t axis = qr[2];
  if (qr[3] != 0 || count == 0) return ModelStatus::kBadQuant;
  if (count == 1 ? axis != 0 : (axis >= tensor_rank(rec) || count != tensor_dim(rec, axis))) {
    return ModelStatus::kBadQuant;
  }
  const uint32_t scales = rd_u32(qr + 4);
  const uint32_t zero_points = rd_u32(qr + 8);
  if (!fits(scales, count, 4, data_size()) || !fits(zero_points, count, 4, data_size())) {
    return ModelStatus::kOutOfBounds;
  }
  if (scales % 4 != 0 || zero_points % 4 != 0) return ModelStatus::kMisaligned;
  for (uint32_t c = 0; c < count; ++c) {
    if (!is_scale_at(space.data + scales + 4 * c)) return ModelStatus::kBadQuant;  // NaN too
  }
  return ModelStatus::kOk;
}

// Model inputs then outputs: existing arena tensors; sums their byte sizes.
ModelStatus Loader::model_io(uint32_t* input_bytes, uint32_t* output_bytes) {
  *input_bytes = 0;
  *output_bytes = 0;
  const uint32_t n = (uint32_t)input_count() + output_count();
  for (uint32_t j = 0; j < n; ++j) {
    const uint16_t t = io_entry(j);
    if (t >= tensor_count()) return fail(ModelStatus::kBadIo, t);
    const uint8_t* rec = tensor(t);
    if (rec[fmt::kTensorStorage] != fmt::kStorageArena) return fail(ModelStatus::kBadIo, t);
    uint32_t* sum = j < input_count() ? input_bytes : output_bytes;
    if (tensor_bytes(rec) > 0xFFFFFFFFu - *sum) return fail(ModelStatus::kBadIo, t);
    *sum += tensor_bytes(rec);
    if (j < input_count()) set_bit(produced, t);
  }
  return ModelStatus::kOk;
}

// Record level (index list, indices), params location, the op's counts against its
// registration, the kernel's own check (find_op: the operator table of this build),
// then topology.
TT_NOINLINE ModelStatus Loader::op_record(uint32_t i) {
  const uint8_t* rec = ops + i * fmt::kOpRecordSize;
  const OpRegistration* const op = find_op(rd_u16(rec + fmt::kOpOpcode));
  if (op == nullptr) return ModelStatus::kUnsupportedOp;
  const uint8_t n_in = rec[fmt::kOpInputCount];
  const uint8_t n_out = rec[fmt::kOpOutputCount];
  const uint32_t n = (uint32_t)n_in + n_out;
  const uint32_t io_start = rd_u32(rec + fmt::kOpIoStart);
  if (!fits(io_start, n, 1, io_count())) return ModelStatus::kBadOp;
  // Indices exist (an absent input is 0xFFFF; an output is never absent); in[] and out as
  // model_invoke resolves them, without an arena (arena tensors get data nullptr).
  KernelArgs args{};  // inputs absent or past n_in stay null, as the checks expect
  for (uint32_t k = 0; k < n; ++k) {
    const uint16_t t = io_entry(io_start + k);
    if (t == fmt::kAbsent && k < n_in) continue;
    if (t >= tensor_count()) return ModelStatus::kBadOp;
    // Scratch outputs and inputs past in[] are resolved on demand (kernel_input, kernel_output).
    if (k > n_in || (k < n_in && k >= kArgInputs)) continue;
    KernelTensor& kt = k == n_in ? args.out : args.in[k];
    kt.rec = tensor(t);
    if (kt.rec[fmt::kTensorStorage] == fmt::kStorageConstant) {
      kt.data = const_cast<uint8_t*>(space.data + rd_u32(kt.rec + fmt::kTensorLocation));
    }
  }
  const uint32_t params = rd_u32(rec + fmt::kOpParams);
  args.params_size = rd_u32(rec + fmt::kOpParamsSize);
  if (!fits(params, args.params_size, 1, data_size())) return ModelStatus::kOutOfBounds;
  if (params % 4 != 0) return ModelStatus::kMisaligned;
  // 1 … max_outputs outputs (n_out - 1 wraps for 0); until here out stayed null without one.
  if (n_in > op->max_inputs || (uint32_t)(n_out - 1) >= op->max_outputs) return ModelStatus::kBadOp;
  args.params = space.data + params;
  args.input_count = n_in;
  args.output_count = n_out;
  args.io = io + 2 * io_start;
  args.space = &space;
  const ModelStatus s = op->check(args);
  if (s != ModelStatus::kOk) return s;
  // Every input must exist before the op runs (a constant, a model input or an earlier op's
  // output); every output must be an arena tensor. Output 0 is then available to later ops; the
  // scratch outputs after it are not (their bytes are the op's own).
  for (uint32_t k = 0; k < n; ++k) {
    const uint16_t t = io_entry(io_start + k);
    if (t == fmt::kAbsent) continue;
    const bool arena = tensor(t)[fmt::kTensorStorage] == fmt::kStorageArena;
    if (k < n_in ? arena && !bit(produced, t) : !arena) return ModelStatus::kNotTopological;
  }
  const uint16_t out = io_entry(io_start + n_in);
  set_bit(produced, out);
  set_bit(written, out);
  return ModelStatus::kOk;
}

ModelStatus Loader::op_records() {
  for (uint32_t i = 0; i < op_count(); ++i) {
    const ModelStatus s = op_record(i);
    if (s != ModelStatus::kOk) return fail(s, i);
  }
  return ModelStatus::kOk;
}

ModelStatus Loader::outputs_written() {
  for (uint32_t j = input_count(); j < (uint32_t)input_count() + output_count(); ++j) {
    const uint16_t t = io_entry(j);
    if (!bit(written, t)) return fail(ModelStatus::kBadIo, t);
  }
  return ModelStatus::kOk;
}

}  // namespace

ModelStatus model_load(const uint8_t* blob, uint32_t blob_size, uint32_t arena_capacity, Model* out,
                       uint32_t* detail_index) {
  if (out != nullptr) *out = Model{};
  if (detail_index != nullptr) *detail_index = 0;
  Loader l{};
  l.blob = blob;
  l.size = blob_size;
  uint32_t input_bytes = 0, output_bytes = 0;
  ModelStatus s = ModelStatus::kOk;
  if (blob == nullptr) {
    s = ModelStatus::kTooShort;
  } else if (((uintptr_t)blob & 3u) != 0) {
    s = ModelStatus::kMisaligned;
  }
  if (s == ModelStatus::kOk) s = l.header(arena_capacity);
  if (s == ModelStatus::kOk) s = l.sections();
  if (s == ModelStatus::kOk) s = l.tensor_records();
  if (s == ModelStatus::kOk) s = l.model_io(&input_bytes, &output_bytes);
  if (s == ModelStatus::kOk) s = l.op_records();
  if (s == ModelStatus::kOk) s = l.outputs_written();
  if (s != ModelStatus::kOk) {
    if (detail_index != nullptr) *detail_index = l.detail;
    return s;
  }
  if (out != nullptr) {
    out->blob = blob;
    out->blob_size = blob_size;
    out->arena_size = l.arena_size();
    out->input_bytes = input_bytes;
    out->output_bytes = output_bytes;
    out->tensor_count = l.tensor_count();
    out->op_count = l.op_count();
    out->input_count = l.input_count();
    out->output_count = l.output_count();
    out->name = (const char*)(blob + rd_u32(blob + fmt::kOffNameOffset));
    out->name_len = rd_u16(blob + fmt::kOffNameLen);
    out->space = l.space;
    out->ops = l.ops;
    out->io = l.io;
  }
  return ModelStatus::kOk;
}

}  // namespace tt
