#include "file_flash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32.h"
#include "wire.h"

namespace host {

namespace {
constexpr size_t kHeaderBytes = 4096;  // keeps the banks page- (and 16-byte) aligned
const char kMagic[8] = {'T', 'T', 'F', 'L', 'A', 'S', 'H', '1'};
constexpr size_t kSlotAt[2] = {64, 128};
constexpr uint32_t kSlotBody = 4 + tt::kFlashMetaBytes;  // sequence + record
}  // namespace

FileFlash::~FileFlash() {
  if (map_ != nullptr) munmap(map_, map_len_);
}

bool FileFlash::open(const char* path, uint32_t bank_bytes, uint32_t sector_bytes) {
  bank_bytes_ = bank_bytes;
  sector_bytes_ = sector_bytes;
  map_len_ = kHeaderBytes + 2 * static_cast<size_t>(bank_bytes);
  if (path == nullptr) {
    void* p = mmap(nullptr, map_len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      fprintf(stderr, "tinytwin-board: cannot map %zu bytes of flash: %s\n", map_len_,
              strerror(errno));
      return false;
    }
    map_ = static_cast<uint8_t*>(p);
    format();
    return true;
  }
  const int fd = ::open(path, O_RDWR | O_CREAT, 0644);
  if (fd < 0) {
    fprintf(stderr, "tinytwin-board: cannot open flash file %s: %s\n", path, strerror(errno));
    return false;
  }
  struct stat st;
  const bool had_data = fstat(fd, &st) == 0 && st.st_size > 0;
  const bool right_size = had_data && static_cast<size_t>(st.st_size) == map_len_;
  if (!right_size && ftruncate(fd, static_cast<off_t>(map_len_)) != 0) {
    fprintf(stderr, "tinytwin-board: cannot size flash file %s: %s\n", path, strerror(errno));
    close(fd);
    return false;
  }
  void* p = mmap(nullptr, map_len_, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (p == MAP_FAILED) {
    fprintf(stderr, "tinytwin-board: cannot map flash file %s: %s\n", path, strerror(errno));
    return false;
  }
  map_ = static_cast<uint8_t*>(p);
  const bool same_geometry = right_size && memcmp(map_, kMagic, sizeof kMagic) == 0 &&
                             tt::load_u32(map_ + 8) == bank_bytes &&
                             tt::load_u32(map_ + 12) == sector_bytes;
  if (!same_geometry) {
    if (had_data) {
      fprintf(stderr, "tinytwin-board: flash file %s has another geometry: erased\n", path);
    }
    format();
  }
  return true;
}

void FileFlash::format() {
  memset(map_, 0, kHeaderBytes);
  memcpy(map_, kMagic, sizeof kMagic);
  tt::store_u32(map_ + 8, bank_bytes_);
  tt::store_u32(map_ + 12, sector_bytes_);
  memset(map_ + kHeaderBytes, 0xFF, 2 * static_cast<size_t>(bank_bytes_));
}

uint8_t* FileFlash::bank_ptr(uint8_t bank) const {
  return map_ + kHeaderBytes + static_cast<size_t>(bank) * bank_bytes_;
}

bool FileFlash::erase_sector(uint8_t bank, uint32_t offset) {
  if (bank > 1 || offset % sector_bytes_ != 0 || offset >= bank_bytes_) return false;
  memset(bank_ptr(bank) + offset, 0xFF, sector_bytes_);
  return true;
}

bool FileFlash::program(uint8_t bank, uint32_t offset, const uint8_t* data, uint32_t len) {
  if (bank > 1 || offset > bank_bytes_ || len > bank_bytes_ - offset) return false;
  uint8_t* dst = bank_ptr(bank) + offset;
  bool ok = true;
  for (uint32_t i = 0; i < len; ++i) {
    dst[i] &= data[i];  // NOR flash: programming clears bits only
    ok = ok && dst[i] == data[i];
  }
  return ok;  // false: written over bytes that were not erased
}

bool FileFlash::load_meta(uint8_t* record) {
  int best = -1;
  uint32_t best_seq = 0;
  for (int s = 0; s < 2; ++s) {
    const uint8_t* slot = map_ + kSlotAt[s];
    if (tt::crc32(slot, kSlotBody) != tt::load_u32(slot + kSlotBody)) continue;
    const uint32_t seq = tt::load_u32(slot);
    if (best < 0 || static_cast<int32_t>(seq - best_seq) > 0) {
      best = s;
      best_seq = seq;
    }
  }
  if (best < 0) return false;
  memcpy(record, map_ + kSlotAt[best] + 4, tt::kFlashMetaBytes);
  return true;
}

bool FileFlash::save_meta(const uint8_t* record) {
  // Newest slot = higher valid sequence; write the other one with sequence + 1.
  uint32_t seq[2] = {0, 0};
  bool valid[2] = {false, false};
  for (int s = 0; s < 2; ++s) {
    const uint8_t* slot = map_ + kSlotAt[s];
    valid[s] = tt::crc32(slot, kSlotBody) == tt::load_u32(slot + kSlotBody);
    seq[s] = tt::load_u32(slot);
  }
  int target = 0;
  uint32_t next = 1;
  if (valid[0] && (!valid[1] || static_cast<int32_t>(seq[0] - seq[1]) > 0)) {
    target = 1;
    next = seq[0] + 1;
  } else if (valid[1]) {
    target = 0;
    next = seq[1] + 1;
  }
  uint8_t* slot = map_ + kSlotAt[target];
  tt::store_u32(slot, next);
  memcpy(slot + 4, record, tt::kFlashMetaBytes);
  tt::store_u32(slot + kSlotBody, tt::crc32(slot, kSlotBody));
  return true;
}

}  // namespace host
