#include <string.h>

#include "tt_test.h"

namespace tt_test {

namespace {
bool g_failed = false;
}

Case*& registry() {
  static Case* head = nullptr;
  return head;
}

void fail(const char* file, int line, const char* what) {
  g_failed = true;
  fprintf(stderr, "  FAIL %s:%d: %s\n", file, line, what);
}

bool current_failed() { return g_failed; }

}  // namespace tt_test

int main(int argc, char** argv) {
  const char* filter = argc > 1 ? argv[1] : nullptr;
  // Registration prepends; run in source order by reversing once.
  tt_test::Case* rev = nullptr;
  for (tt_test::Case* c = tt_test::registry(); c != nullptr;) {
    tt_test::Case* next = c->next;
    c->next = rev;
    rev = c;
    c = next;
  }
  int passed = 0, failed = 0;
  for (tt_test::Case* c = rev; c != nullptr; c = c->next) {
    if (filter != nullptr && strstr(c->name, filter) == nullptr) continue;
    tt_test::g_failed = false;
    c->fn();
    if (tt_test::g_failed) {
      ++failed;
      fprintf(stderr, "FAIL %s\n", c->name);
    } else {
      ++passed;
    }
  }
  printf("firmware: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
