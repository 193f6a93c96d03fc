// The few <string.h> functions the core and this shell use; wasm32 has no libc here
// (../../freestanding/string_functions.cpp, ../libc.cpp).
#pragma once

#include <stddef.h>

extern "C" {
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
int memcmp(const void* a, const void* b, size_t n);
int strcmp(const char* a, const char* b);
}
