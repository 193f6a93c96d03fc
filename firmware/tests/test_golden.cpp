// Golden vectors shared with the TypeScript side (scripts/make-golden.ts): every <name>.ttm in
// tests/fixtures/golden (relative to the repo root, the runner's working directory; TT_GOLDEN_DIR
// overrides) is loaded and run on every input of <name>.io, and the outputs must be byte-identical.
// Cases whose index.json entry has "maxUlp": N > 0 (float SOFTMAX: expf differs between libms)
// compare float32 outputs within N ulp instead. No vectors at all is a failure.
//
// .io layout, little-endian: "TTIO", u32 count, u32 input_bytes, u32 output_bytes, count x input
// records, then count x expected output records.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include "model.h"
#include "tt_test.h"

namespace {

bool read_file(const std::string& path, std::vector<uint8_t>* out) {
  FILE* f = fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  out->clear();
  uint8_t buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out->insert(out->end(), buf, buf + n);
  fclose(f);
  return true;
}

uint32_t u32_at(const std::vector<uint8_t>& b, size_t off) {
  return (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 | (uint32_t)b[off + 2] << 16 |
         (uint32_t)b[off + 3] << 24;
}

// "maxUlp" of the index.json entry named `name`, 0 if absent (a tiny scan, not a JSON parser: the
// file is machine-written with one "name" per case followed by its fields).
int32_t max_ulp(const std::string& index, const std::string& name) {
  const std::string key = "\"name\": \"" + name + "\"";
  const size_t at = index.find(key);
  if (at == std::string::npos) return 0;
  const size_t next = index.find("\"name\":", at + key.size());
  const size_t ulp = index.find("\"maxUlp\":", at);
  if (ulp == std::string::npos || (next != std::string::npos && ulp > next)) return 0;
  return atoi(index.c_str() + ulp + 9);
}

int64_t ordered(const uint8_t* p) {  // float bits mapped to a monotonic integer line
  int32_t i;
  memcpy(&i, p, 4);
  return i < 0 ? (int64_t)INT32_MIN - i : i;
}

// Largest distance in ulp between float32 outputs (NaN matches NaN).
int64_t float_distance(const uint8_t* got, const uint8_t* want, uint32_t bytes) {
  int64_t worst = 0;
  for (uint32_t i = 0; i + 4 <= bytes; i += 4) {
    float g, w;
    memcpy(&g, got + i, 4);
    memcpy(&w, want + i, 4);
    if (g != g && w != w) continue;
    int64_t d = ordered(got + i) - ordered(want + i);
    d = d < 0 ? -d : d;
    worst = d > worst ? d : worst;
  }
  return worst;
}

void fail_case(const std::string& name, const char* what) {
  const std::string msg = name + ": " + what;
  tt_test::fail(__FILE__, __LINE__, msg.c_str());
}

}  // namespace

TT_TEST(golden_vectors_match) {
  const char* env = getenv("TT_GOLDEN_DIR");
  const std::string dir = env != nullptr ? env : "tests/fixtures/golden";
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string f = e->d_name;
      if (f.size() > 4 && f.compare(f.size() - 4, 4, ".ttm") == 0)
        names.push_back(f.substr(0, f.size() - 4));
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  if (names.empty()) {
    const std::string msg =
        "no golden vectors (*.ttm) in " + dir + " (run: npx tsx scripts/make-golden.ts)";
    tt_test::fail(__FILE__, __LINE__, msg.c_str());
    return;
  }
  std::vector<uint8_t> index_bytes;
  read_file(dir + "/index.json", &index_bytes);
  const std::string index(index_bytes.begin(), index_bytes.end());

  uint32_t vectors = 0;
  int64_t worst_ulp = 0;  // over the cases compared within maxUlp
  for (const std::string& name : names) {
    std::vector<uint8_t> blob, io;
    if (!read_file(dir + "/" + name + ".ttm", &blob) || !read_file(dir + "/" + name + ".io", &io)) {
      fail_case(name, "missing .ttm or .io");
      continue;
    }
    if (io.size() < 16 || memcmp(io.data(), "TTIO", 4) != 0) {
      fail_case(name, "bad .io header");
      continue;
    }
    const uint32_t count = u32_at(io, 4), in_bytes = u32_at(io, 8), out_bytes = u32_at(io, 12);
    if (count == 0 || io.size() != 16 + (uint64_t)count * (in_bytes + out_bytes)) {
      fail_case(name, ".io size does not match its header");
      continue;
    }
    // 16-byte aligned copies of the blob and the arena, as a board provides them.
    std::vector<uint64_t> blob_store(blob.size() / 8 + 2);
    uint8_t* blob_p = reinterpret_cast<uint8_t*>(blob_store.data());
    blob_p += (16 - ((uintptr_t)blob_p & 15)) & 15;
    memcpy(blob_p, blob.data(), blob.size());
    tt::Model m;
    uint32_t detail = 0;
    const tt::ModelStatus s = tt::model_load(blob_p, (uint32_t)blob.size(), 1u << 24, &m, &detail);
    if (s != tt::ModelStatus::kOk) {
      char msg[160];
      snprintf(msg, sizeof msg, "model_load: %s (status %d, index %u)", tt::model_status_text(s),
               (int)s, detail);
      fail_case(name, msg);
      continue;
    }
    if (m.input_bytes != in_bytes || m.output_bytes != out_bytes) {
      fail_case(name, "input/output sizes differ from the model's");
      continue;
    }
    const int32_t ulp = max_ulp(index, name);
    std::vector<uint64_t> arena_store(m.arena_size / 8 + 4);
    uint8_t* arena = reinterpret_cast<uint8_t*>(arena_store.data());
    arena += (16 - ((uintptr_t)arena & 15)) & 15;
    // A second arena: every third vector runs there, so model_invoke's per-arena op cache
    // (model.h) is refilled and then reused, and models longer than the cache take both paths.
    std::vector<uint64_t> arena2_store(m.arena_size / 8 + 4);
    uint8_t* arena2 = reinterpret_cast<uint8_t*>(arena2_store.data());
    arena2 += (16 - ((uintptr_t)arena2 & 15)) & 15;
    std::vector<uint8_t> out(out_bytes + 1);
    uint32_t mismatches = 0;
    for (uint32_t i = 0; i < count; ++i) {
      const uint8_t* in = io.data() + 16 + (size_t)i * in_bytes;
      const uint8_t* want = io.data() + 16 + (size_t)count * in_bytes + (size_t)i * out_bytes;
      tt::model_invoke(m, i % 3 == 2 ? arena2 : arena, in, out.data());
      bool same = memcmp(out.data(), want, out_bytes) == 0;
      if (ulp > 0) {
        const int64_t d = float_distance(out.data(), want, out_bytes);
        worst_ulp = d > worst_ulp ? d : worst_ulp;
        same = d <= ulp;
      }
      if (!same && mismatches++ == 0) {
        char msg[96];
        snprintf(msg, sizeof msg, "vector %u of %u differs (first of the mismatches)", i, count);
        fail_case(name, msg);
      }
      ++vectors;
    }
  }
  printf("golden: %zu models, %u vectors from %s (float cases with a ulp budget: worst %lld ulp)\n",
         names.size(), vectors, dir.c_str(), (long long)worst_ulp);
}
