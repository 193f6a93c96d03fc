// An Arduino sketch on the Cortex-M4 board (QEMU mps2-an386): the Arduino API of the stand-in
// header (tests/arduino-standins/Arduino.h, the same declarations `make check-sketches` compiles
// sketches against) implemented on this board, and a main() that calls setup() once and loop()
// for ever. Serial is UART0 (polled, as in main.cpp); millis() and micros() count the 25 MHz
// FPGAIO COUNTER. The end of input works as for the protocol board (run-board.sh): UART1 brings
// the number of bytes the launcher forwarded, and the board exits (semihosting) once the sketch
// has read that many and a loop() has returned with no byte waiting, i.e. it has answered them.
// Interrupts stay masked; UART RX interrupts and a 1 kHz SysTick only wake WFI when the sketch
// waits for input. Build: make -C firmware/targets/qemu-m4 qa-sketch.
#include <Arduino.h>
#include <stdint.h>

namespace {

struct CmsdkUart {
  volatile uint32_t data;       // 0x00 RX/TX byte
  volatile uint32_t state;      // 0x04 bit 0 TX full, bit 1 RX full, bits 2/3 overrun (W1C)
  volatile uint32_t ctrl;       // 0x08 bit 0 TX enable, bit 1 RX enable, bit 3 RX interrupt
  volatile uint32_t intstatus;  // 0x0C
  volatile uint32_t bauddiv;    // 0x10 ≥ 16
};
constexpr uint32_t kTxFull = 1u << 0;
constexpr uint32_t kRxFull = 1u << 1;
constexpr uint32_t kIntAll = 0xF;
constexpr uint32_t kUartRxIrqs = (1u << 0) | (1u << 2);  // UART0 RX is IRQ 0, UART1 RX IRQ 2
constexpr uint32_t kSysclkHz = 25000000;
constexpr uint32_t kTicksPerUs = kSysclkHz / 1000000;

CmsdkUart& uart0() { return *reinterpret_cast<CmsdkUart*>(0x40004000); }
CmsdkUart& uart1() { return *reinterpret_cast<CmsdkUart*>(0x40005000); }
volatile uint32_t& reg(uintptr_t address) { return *reinterpret_cast<volatile uint32_t*>(address); }
volatile uint32_t& fpgaio_counter() { return reg(0x40028018); }

void uart_init(CmsdkUart& u) {
  u.ctrl = 0;
  u.bauddiv = kSysclkHz / 115200;
  u.state = 0xC;                               // clear the overrun flags
  u.ctrl = (1u << 0) | (1u << 1) | (1u << 3);  // TX, RX, RX interrupt
}

bool rx_waiting() { return (uart0().state & kRxFull) != 0; }

uint32_t g_received = 0;  // bytes the sketch has read from UART0

// The free-running 32-bit counter widened to 64 bits (read at least every 171 s: every loop()).
uint64_t g_ticks = 0;
uint32_t g_last_counter = 0;
uint64_t ticks() {
  const uint32_t now = fpgaio_counter();
  g_ticks += now - g_last_counter;
  g_last_counter = now;
  return g_ticks;
}

// Sleeps until a byte may have arrived (see main.cpp: flags cleared first, then checked again).
void wait_for_rx() {
  uart0().intstatus = kIntAll;
  uart1().intstatus = kIntAll;
  reg(0xE000E280) = kUartRxIrqs;  // NVIC ICPR0
  reg(0xE000ED04) = 1u << 25;     // SCB ICSR: PENDSTCLR
  if (rx_waiting() || (uart1().state & kRxFull) != 0) return;
  __asm volatile("wfi" ::: "memory");
}

}  // namespace

void pinMode(uint8_t, uint8_t) {}
void digitalWrite(uint8_t, uint8_t) {}
unsigned long micros(void) { return static_cast<unsigned long>(ticks() / kTicksPerUs); }
unsigned long millis(void) { return static_cast<unsigned long>(ticks() / (kTicksPerUs * 1000)); }

void StandinSerial::begin(unsigned long) {}
int StandinSerial::available() { return rx_waiting() ? 1 : 0; }
int StandinSerial::read() {
  if (!rx_waiting()) return -1;
  ++g_received;
  return static_cast<int>(uart0().data & 0xFF);
}
size_t StandinSerial::write(const uint8_t* buffer, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    while ((uart0().state & kTxFull) != 0) {
    }
    uart0().data = buffer[i];
  }
  return size;
}
StandinSerial::operator bool() { return true; }
StandinSerial Serial;

int main() {
  __asm volatile("cpsid i" ::: "memory");
  uart_init(uart0());
  uart_init(uart1());
  g_last_counter = fpgaio_counter();
  reg(0xE000E100) = kUartRxIrqs;           // NVIC ISER0
  reg(0xE000E014) = kSysclkHz / 1000 - 1;  // SysTick: 1 ms
  reg(0xE000E018) = 0;
  reg(0xE000E010) = 0x7;  // CLKSOURCE | TICKINT | ENABLE
  setup();
  uint32_t expected = 0;  // the launcher's byte count, valid once `ending`
  bool ending = false;
  for (;;) {
    loop();
    (void)ticks();
    while (!ending && (uart1().state & kRxFull) != 0) {
      const uint8_t c = static_cast<uint8_t>(uart1().data);
      if (c >= '0' && c <= '9') expected = expected * 10u + static_cast<uint32_t>(c - '0');
      if (c == '\n') ending = true;
    }
    if (rx_waiting()) continue;
    if (ending && g_received >= expected) {
      while ((uart0().state & kTxFull) != 0) {
      }
      return 0;
    }
    wait_for_rx();
  }
}
