// ARM semihosting (QEMU -semihosting-config enable=on,target=native): only SYS_EXIT, so the board
// can end the emulator with an exit code.
#pragma once

#include <stdint.h>

namespace qemu_m4 {

[[noreturn]] inline void semihost_exit(int code) {
  // SYS_EXIT (0x18) with ADP_Stopped_ApplicationExit (0x20026); on M-profile the argument is the
  // reason only, so a non-zero code is reported as ADP_Stopped_RunTimeErrorUnknown (0x20023), which
  // QEMU turns into exit status 1.
  const uint32_t reason = code == 0 ? 0x20026u : 0x20023u;
  register uint32_t r0 __asm("r0") = 0x18;
  register uint32_t r1 __asm("r1") = reason;
  __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  for (;;) {
  }
}

}  // namespace qemu_m4
