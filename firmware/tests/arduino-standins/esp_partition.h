// STAND-IN, not ESP-IDF: the parts of components/esp_partition/include/esp_partition.h (IDF 5.x)
// the sketch uses; see README.md.
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef int esp_err_t;  // esp_err.h
#define ESP_OK 0

typedef enum {
  ESP_PARTITION_TYPE_APP = 0x00,
  ESP_PARTITION_TYPE_DATA = 0x01,
} esp_partition_type_t;

typedef enum {
  ESP_PARTITION_SUBTYPE_DATA_NVS = 0x02,
  ESP_PARTITION_SUBTYPE_DATA_SPIFFS = 0x82,
} esp_partition_subtype_t;

typedef enum {
  ESP_PARTITION_MMAP_DATA,
  ESP_PARTITION_MMAP_INST,
} esp_partition_mmap_memory_t;

typedef uint32_t esp_partition_mmap_handle_t;

typedef struct {
  void* flash_chip;  // esp_flash_t* in IDF
  esp_partition_type_t type;
  esp_partition_subtype_t subtype;
  uint32_t address;
  uint32_t size;
  uint32_t erase_size;
  char label[17];
  bool encrypted;
  bool readonly;
} esp_partition_t;

#ifdef __cplusplus
extern "C" {
#endif
const esp_partition_t* esp_partition_find_first(esp_partition_type_t type,
                                                esp_partition_subtype_t subtype, const char* label);
esp_err_t esp_partition_erase_range(const esp_partition_t* partition, size_t offset, size_t size);
esp_err_t esp_partition_write(const esp_partition_t* partition, size_t dst_offset, const void* src,
                              size_t size);
esp_err_t esp_partition_mmap(const esp_partition_t* partition, size_t offset, size_t size,
                             esp_partition_mmap_memory_t memory, const void** out_ptr,
                             esp_partition_mmap_handle_t* out_handle);
#ifdef __cplusplus
}
#endif
