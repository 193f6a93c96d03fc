// STAND-IN, not ESP-IDF: the version macro the sketch tests (components/esp_common/include/
// esp_idf_version.h). 5 = arduino-esp32 3.x; arduino-esp32 2.x is IDF 4.4. See README.md.
#pragma once

#define ESP_IDF_VERSION_MAJOR 5
