// The simulated flash and, per simulated core (TT_SIM_MBED, TT_SIM_PICO, TT_SIM_ESP32), the
// stand-in API functions (tests/arduino-standins) implemented on it.
#include "sim_flash.h"

#include <Arduino.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

namespace sim {

int g_irq_disabled = 0;
int g_other_core_idle = 0;

Flash& flash() {
  static Flash f;
  return f;
}

void Flash::violation(const char* what) {
  ++violations;
  fprintf(stderr, "  sim flash: %s\n", what);
}

void Flash::init(uintptr_t fixed_address, uint32_t bytes, uint32_t sector_bytes,
                 uint32_t write_unit) {
  if (mem == nullptr) {
    int flags = MAP_PRIVATE | MAP_ANONYMOUS;
#ifdef MAP_FIXED_NOREPLACE
    if (fixed_address != 0) flags |= MAP_FIXED_NOREPLACE;
#endif
    void* p =
        mmap(reinterpret_cast<void*>(fixed_address), bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (p == MAP_FAILED || (fixed_address != 0 && p != reinterpret_cast<void*>(fixed_address))) {
      fprintf(stderr, "sim flash: cannot map %u bytes at %#lx\n", bytes,
              static_cast<unsigned long>(fixed_address));
      abort();
    }
    mem = static_cast<uint8_t*>(p);
  }
  size = bytes;
  sector = sector_bytes;
  unit = write_unit;
  memset(mem, 0xFF, size);
  erase_counts.assign(size / sector, 0);
  word_writes.assign(size / 4, 0);
  max_word_writes = 0;
  violations = 0;
  ops = 0;
  cut_at = -1;
  dead = false;
  clear_log();
}

bool Flash::erase(uint32_t offset, uint32_t len) {
  if (dead) return false;
  if (offset % sector != 0 || len % sector != 0 || len == 0 || offset > size ||
      len > size - offset) {
    violation("erase not of whole aligned sectors");
    return false;
  }
  op_offsets.push_back(offset);
  op_erases.push_back(true);
  if (cut_at >= 0 && ops == cut_at) {
    for (uint32_t i = 0; i < len; i += 2) mem[offset + i] = 0xFF;  // half done
    dead = true;
    ++ops;
    return false;
  }
  ++ops;
  memset(mem + offset, 0xFF, len);
  memset(word_writes.data() + offset / 4, 0, len / 4);
  for (uint32_t s = offset / sector; s < (offset + len) / sector; ++s) ++erase_counts[s];
  return true;
}

bool Flash::program(uint32_t offset, const uint8_t* data, uint32_t len) {
  if (dead) return false;
  if (offset % unit != 0 || len % unit != 0 || len == 0 || offset > size || len > size - offset) {
    violation("program not of whole aligned write units");
    return false;
  }
  for (uint32_t i = 0; i < len; ++i) {
    if (data[i] != 0xFF && mem[offset + i] != 0xFF) {
      violation("program over bytes that are not erased");
      return false;
    }
  }
  for (uint32_t w = offset / 4; w < (offset + len + 3) / 4; ++w) {
    if (max_word_writes != 0 && ++word_writes[w] > max_word_writes) {
      fprintf(stderr, "  sim flash: word at %#x\n", w * 4);
      violation("32-bit word written more often than nWRITE allows between erases");
      return false;
    }
  }
  op_offsets.push_back(offset);
  op_erases.push_back(false);
  uint32_t n = len;
  if (cut_at >= 0 && ops == cut_at) {
    n = len / 2;  // torn
    dead = true;
  }
  ++ops;
  for (uint32_t i = 0; i < n; ++i) mem[offset + i] &= data[i];
  return !dead;
}

}  // namespace sim

// ---- mbed::FlashIAP (Arduino Mbed cores) ----
#if defined(TT_SIM_MBED)
#include <mbed.h>

namespace {
#if defined(TT_SIM_NRF52840)
// nRF52840: 1 MiB at 0x0 in reality (the simulation cannot map page 0), 4 KiB pages erased by the
// NVMC, 32-bit words written: FlashIAP's page size is 4.
constexpr uintptr_t kStart = 0x30000000u;
constexpr uint32_t kSize = 1u << 20;
constexpr uint32_t kPage = 4;
#else
// RP2040 under Mbed: the XIP window at 0x10000000, 2 MiB (Pico), 4 KiB sectors, 256-byte pages.
constexpr uintptr_t kStart = 0x10000000u;
constexpr uint32_t kSize = 2u << 20;
constexpr uint32_t kPage = 256;
#endif
bool g_init = false;

bool in_flash(uint32_t addr, uint32_t len) {
  return addr >= kStart && addr - kStart <= kSize && len <= kSize - (addr - kStart);
}
}  // namespace

namespace sim {
void init_board_flash() {
  flash().init(kStart, kSize, 4096, kPage);  // FlashIAP::init stays done: once per object
#if defined(TT_SIM_NRF52840)
  flash().max_word_writes = 2;  // nRF52840 Product Specification, NVMC: nWRITE
#endif
}
}  // namespace sim

int mbed::FlashIAP::init() {
  if (g_init) sim::flash().violation("FlashIAP::init called twice");
  g_init = true;
  return 0;
}
int mbed::FlashIAP::deinit() { return 0; }
int mbed::FlashIAP::read(void* buffer, uint32_t addr, uint32_t size) {
  if (!in_flash(addr, size)) return -1;
  memcpy(buffer, sim::flash().mem + (addr - kStart), size);
  return 0;
}
int mbed::FlashIAP::program(const void* buffer, uint32_t addr, uint32_t size) {
  if (!g_init || !in_flash(addr, size)) {
    sim::flash().violation("FlashIAP::program outside flash or before init");
    return -1;
  }
  return sim::flash().program(static_cast<uint32_t>(addr - kStart),
                              static_cast<const uint8_t*>(buffer), size)
             ? 0
             : -1;
}
int mbed::FlashIAP::erase(uint32_t addr, uint32_t size) {
  if (!g_init || !in_flash(addr, size)) {
    sim::flash().violation("FlashIAP::erase outside flash or before init");
    return -1;
  }
  return sim::flash().erase(static_cast<uint32_t>(addr - kStart), size) ? 0 : -1;
}
uint32_t mbed::FlashIAP::get_sector_size(uint32_t addr) const {
  return in_flash(addr, 1) ? 4096u : 0xFFFFFFFFu;  // MBED_FLASH_INVALID_SIZE
}
uint32_t mbed::FlashIAP::get_flash_start() const { return static_cast<uint32_t>(kStart); }
uint32_t mbed::FlashIAP::get_flash_size() const { return kSize; }
uint32_t mbed::FlashIAP::get_page_size() const { return kPage; }
uint8_t mbed::FlashIAP::get_erase_value() const { return 0xFF; }
#endif

// ---- pico-sdk + Arduino-Pico ----
#if defined(TT_SIM_PICO)
#include <hardware/flash.h>
#include <hardware/regs/addressmap.h>
#include <hardware/sync.h>

namespace sim {
void init_board_flash() { flash().init(XIP_BASE, 2u << 20, FLASH_SECTOR_SIZE, FLASH_PAGE_SIZE); }
}  // namespace sim

namespace {
void check_exclusive(const char* what) {
  if (sim::g_irq_disabled == 0 || sim::g_other_core_idle == 0) sim::flash().violation(what);
}
}  // namespace

extern "C" {
void flash_range_erase(uint32_t flash_offs, size_t count) {
  check_exclusive("flash_range_erase with interrupts on or the other core running");
  sim::flash().erase(flash_offs, static_cast<uint32_t>(count));
}
void flash_range_program(uint32_t flash_offs, const uint8_t* data, size_t count) {
  check_exclusive("flash_range_program with interrupts on or the other core running");
  sim::flash().program(flash_offs, data, static_cast<uint32_t>(count));
}
uint32_t save_and_disable_interrupts(void) {
  const uint32_t was = sim::g_irq_disabled ? 0u : 1u;
  sim::g_irq_disabled = 1;
  return was;
}
void restore_interrupts(uint32_t status) {
  if (status != 0) sim::g_irq_disabled = 0;
}
}
void RP2040::idleOtherCore() { ++sim::g_other_core_idle; }
void RP2040::resumeOtherCore() {
  if (sim::g_other_core_idle == 0) sim::flash().violation("resumeOtherCore without idleOtherCore");
  --sim::g_other_core_idle;
}
RP2040 rp2040;
#endif

// ---- ESP-IDF partition API ----
#if defined(TT_SIM_ESP32)
#include <esp_partition.h>

namespace {
// The default 4 MB table (arduino-esp32 tools/partitions/default.csv): spiffs 0x160000 at 0x290000.
esp_partition_t g_spiffs = {nullptr,
                            ESP_PARTITION_TYPE_DATA,
                            ESP_PARTITION_SUBTYPE_DATA_SPIFFS,
                            0x290000,
                            0x160000,
                            4096,
                            "spiffs",
                            false,
                            false};
bool g_mapped = false;
bool inside(const esp_partition_t* p, size_t offset, size_t size) {
  return p == &g_spiffs && offset <= p->size && size <= p->size - offset;
}
}  // namespace

namespace sim {
void init_board_flash() {
  flash().init(0, 4u << 20, 4096, 16);  // 16: the store's promise (flash-encryption alignment)
  g_mapped = false;
}
}  // namespace sim

extern "C" {
const esp_partition_t* esp_partition_find_first(esp_partition_type_t type,
                                                esp_partition_subtype_t subtype, const char*) {
  return type == ESP_PARTITION_TYPE_DATA && subtype == ESP_PARTITION_SUBTYPE_DATA_SPIFFS ? &g_spiffs
                                                                                         : nullptr;
}
esp_err_t esp_partition_erase_range(const esp_partition_t* p, size_t offset, size_t size) {
  if (!inside(p, offset, size) || offset % p->erase_size != 0 || size % p->erase_size != 0) {
    sim::flash().violation("esp_partition_erase_range: outside or not erase_size-aligned");
    return 0x102;  // ESP_ERR_INVALID_ARG
  }
  return sim::flash().erase(static_cast<uint32_t>(p->address + offset), static_cast<uint32_t>(size))
             ? ESP_OK
             : -1;
}
esp_err_t esp_partition_write(const esp_partition_t* p, size_t dst_offset, const void* src,
                              size_t size) {
  if (!inside(p, dst_offset, size)) {
    sim::flash().violation("esp_partition_write outside the partition");
    return 0x102;
  }
  return sim::flash().program(static_cast<uint32_t>(p->address + dst_offset),
                              static_cast<const uint8_t*>(src), static_cast<uint32_t>(size))
             ? ESP_OK
             : -1;
}
esp_err_t esp_partition_mmap(const esp_partition_t* p, size_t offset, size_t size,
                             esp_partition_mmap_memory_t memory, const void** out_ptr,
                             esp_partition_mmap_handle_t* out_handle) {
  if (!inside(p, offset, size) || memory != ESP_PARTITION_MMAP_DATA) return 0x102;
  if (g_mapped) sim::flash().violation("partition mapped twice (the mapping is never released)");
  g_mapped = true;
  *out_ptr = sim::flash().mem + p->address + offset;
  *out_handle = 1;
  return ESP_OK;
}
}
#endif
