// The C library functions the core and the compilers' code generation call, for targets built
// without one (wasm32, bare-metal Cortex-M4). Compiled with -fno-builtin so these loops are not
// turned back into calls to themselves.
#include <stddef.h>

extern "C" {

// A word at any address that the compiler may not assume anything about aliasing for (GCC and
// Clang): plain LDR / STR on the Cortex-M4 (unaligned access), i32.load / i32.store on wasm32.
typedef unsigned int __attribute__((may_alias, aligned(1))) Word;
static_assert(sizeof(Word) == 4, "32-bit targets");

// 16 bytes per iteration as four words (model_invoke copies a model's inputs and outputs from and
// to frame payloads with memcpy), the rest byte by byte.
void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = static_cast<unsigned char*>(dst);
  const unsigned char* s = static_cast<const unsigned char*>(src);
  for (; n >= 16; n -= 16, d += 16, s += 16) {
    const Word* sw = reinterpret_cast<const Word*>(s);
    Word* dw = reinterpret_cast<Word*>(d);
    const Word w0 = sw[0], w1 = sw[1], w2 = sw[2], w3 = sw[3];
    dw[0] = w0;
    dw[1] = w1;
    dw[2] = w2;
    dw[3] = w3;
  }
  for (size_t i = 0; i < n; ++i) d[i] = s[i];
  return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
  unsigned char* d = static_cast<unsigned char*>(dst);
  const unsigned char* s = static_cast<const unsigned char*>(src);
  if (d < s) {
    for (size_t i = 0; i < n; ++i) d[i] = s[i];
  } else {
    for (size_t i = n; i > 0; --i) d[i - 1] = s[i - 1];
  }
  return dst;
}

void* memset(void* dst, int c, size_t n) {
  unsigned char* d = static_cast<unsigned char*>(dst);
  for (size_t i = 0; i < n; ++i) d[i] = static_cast<unsigned char>(c);
  return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
  const unsigned char* x = static_cast<const unsigned char*>(a);
  const unsigned char* y = static_cast<const unsigned char*>(b);
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

// A pure virtual call cannot happen in this program; trap if it ever does.
void __cxa_pure_virtual() { __builtin_trap(); }

}  // extern "C"
