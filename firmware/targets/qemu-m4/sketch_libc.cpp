// The C library functions src/text/ calls beyond ../freestanding/string_functions.cpp (memcpy,
// memmove, memset, memcmp), for the sketch image: strlen (qa_features.cpp hashes its question
// words with it). Compiled with -fno-builtin so the loop stays a loop.
#include <stddef.h>

extern "C" size_t strlen(const char* s) {
  size_t n = 0;
  while (s[n] != '\0') ++n;
  return n;
}
