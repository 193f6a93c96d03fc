// A very small unit-test runner for the host build: TT_TEST registers a test, TT_CHECK* record
// failures. test_main.cpp runs every registered test (optionally filtered by a substring argument)
// and prints "N passed, M failed" as its last line.
#pragma once

#include <stdint.h>
#include <stdio.h>

namespace tt_test {

struct Case {
  const char* name;
  void (*fn)();
  Case* next;
};

Case*& registry();
void fail(const char* file, int line, const char* what);
bool current_failed();

struct Registrar {
  Registrar(Case* c) {
    c->next = registry();
    registry() = c;
  }
};

}  // namespace tt_test

#define TT_CONCAT2(a, b) a##b
#define TT_CONCAT(a, b) TT_CONCAT2(a, b)

#define TT_TEST(name)                                                             \
  static void name();                                                             \
  static tt_test::Case TT_CONCAT(tt_case_, name) = {#name, &name, nullptr};       \
  static tt_test::Registrar TT_CONCAT(tt_reg_, name)(&TT_CONCAT(tt_case_, name)); \
  static void name()

#define TT_CHECK(cond)                                     \
  do {                                                     \
    if (!(cond)) tt_test::fail(__FILE__, __LINE__, #cond); \
  } while (0)

#define TT_CHECK_EQ(a, b)                                                                 \
  do {                                                                                    \
    long long tt_a_ = (long long)(a), tt_b_ = (long long)(b);                             \
    if (tt_a_ != tt_b_) {                                                                 \
      char tt_msg_[256];                                                                  \
      snprintf(tt_msg_, sizeof tt_msg_, "%s == %s (%lld vs %lld)", #a, #b, tt_a_, tt_b_); \
      tt_test::fail(__FILE__, __LINE__, tt_msg_);                                         \
    }                                                                                     \
  } while (0)

// Stops the current test after a failed check whose follow-up would be meaningless.
#define TT_REQUIRE(cond)                        \
  do {                                          \
    if (!(cond)) {                              \
      tt_test::fail(__FILE__, __LINE__, #cond); \
      return;                                   \
    }                                           \
  } while (0)
