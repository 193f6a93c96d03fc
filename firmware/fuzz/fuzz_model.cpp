// libFuzzer target: model_load on arbitrary bytes and, when a blob loads, model_invoke with inputs
// drawn from the same bytes. Must stay clean under ASan and UBSan. Seeds: fuzz/corpus/fuzz_model/.
//
// The header's blob_size is set to the actual length first, so mutations that grow or shrink the
// input reach the checks behind it instead of stopping at BAD_HEADER.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model.h"

namespace {

constexpr uint32_t kMaxBlob = 1u << 16;
constexpr uint32_t kArena =
    1u << 14;  // small arena bounds the work per input (FC MACs <= kArena^1.5)
constexpr uint32_t kMaxIo = 1u << 14;

alignas(16) uint8_t g_blob[kMaxBlob];
alignas(16) uint8_t g_arena[kArena];
uint8_t g_inputs[kMaxIo];
uint8_t g_outputs[kMaxIo];

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxBlob) return 0;
  memcpy(g_blob, data, size);
  if (size >= 12) {
    for (int i = 0; i < 4; ++i) g_blob[8 + i] = (uint8_t)(size >> (8 * i));
  }
  tt::Model m;
  uint32_t detail = 0;
  if (tt::model_load(g_blob, (uint32_t)size, kArena, &m, &detail) != tt::ModelStatus::kOk) return 0;
  if (m.input_bytes > kMaxIo || m.output_bytes > kMaxIo) return 0;
  for (uint32_t i = 0; i < m.input_bytes; ++i)
    g_inputs[i] = size != 0 ? data[(size - 1) - i % size] : 0;
  tt::model_invoke(m, g_arena, g_inputs, g_outputs);
  return 0;
}
