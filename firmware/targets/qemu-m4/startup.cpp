// Cortex-M4 start-up for QEMU's mps2-an386: the vector table, the reset handler (FPU on, .data
// copied, .bss zeroed, static constructors run) and fault handlers that end QEMU with a failure
// code through semihosting, so a crash is a visible process exit, never a hang.
#include <stdint.h>

#include "semihost.h"

extern "C" {
extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();
extern uint32_t _stack_top[];
int main();
void Reset_Handler();
void Fault_Handler();
}

namespace {
constexpr uintptr_t kCpacr = 0xE000ED88;  // coprocessor access control: CP10/CP11 full access
}

extern "C" void Reset_Handler() {
  *reinterpret_cast<volatile uint32_t*>(kCpacr) |= 0xFu << 20;
  __asm volatile("dsb\n isb" ::: "memory");
  for (uint32_t *s = __data_load, *d = __data_start; d < __data_end;) *d++ = *s++;
  for (uint32_t* d = __bss_start; d < __bss_end;) *d++ = 0;
  for (void (**f)() = __init_array_start; f < __init_array_end; ++f) (*f)();
  qemu_m4::semihost_exit(main());
}

extern "C" void Fault_Handler() { qemu_m4::semihost_exit(70); }

// Initial SP, reset, NMI, HardFault, MemManage, BusFault, UsageFault; the rest unused (polled I/O).
__attribute__((section(".vectors"), used)) void (*const g_vectors[16])() = {
    reinterpret_cast<void (*)()>(_stack_top),
    Reset_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    Fault_Handler,
    Fault_Handler,
    nullptr,
    Fault_Handler,
    Fault_Handler,
};
