// wasm32-only libc bits beyond targets/freestanding/string_functions.cpp (memcpy & co.).
// Compiled with -fno-builtin so these loops are not turned back into calls to themselves.
#include <string.h>

extern "C" {

int strcmp(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return static_cast<unsigned char>(*a) - static_cast<unsigned char>(*b);
}

}  // extern "C"
