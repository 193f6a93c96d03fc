// The Cortex-M4 board: the firmware core bare-metal on QEMU's mps2-an386, polled I/O, no heap.
// Interrupts stay masked (PRIMASK); the UARTs' RX interrupts and a 1 kHz SysTick (a backstop for a
// missed wake-up) only wake the core from WFI when it has nothing to do, so an idle board does not
// spin (which under -icount would starve QEMU's I/O and make instruction counts meaningless). UART0
// (CMSDK APB UART at 0x40004000) is the serial line; UART1 (0x40005000) is a control line from
// run-board.sh: when the launcher's stdin ends it sends the number of bytes it forwarded as decimal
// ASCII and '\n', and the board exits (semihosting SYS_EXIT) once it has received and answered that
// many bytes. Clock: the FPGAIO COUNTER (0x40028018), a free-running 32-bit up-counter at the 25
// MHz system clock, is tick_hz; CLK100HZ (0x40028014) gives uptime.
#include <stdint.h>

#include "../../examples/TinyTwin/board_profiles.h"
#include "board.h"
#include "semihost.h"

namespace {

struct CmsdkUart {
  volatile uint32_t data;       // 0x00 RX/TX byte
  volatile uint32_t state;      // 0x04 bit 0 TX full, bit 1 RX full, bits 2/3 overrun (W1C)
  volatile uint32_t ctrl;       // 0x08 bit 0 TX enable, bit 1 RX enable
  volatile uint32_t intstatus;  // 0x0C
  volatile uint32_t bauddiv;    // 0x10 ≥ 16
};
constexpr uint32_t kTxFull = 1u << 0;
constexpr uint32_t kRxFull = 1u << 1;
constexpr uint32_t kTxEnable = 1u << 0;
constexpr uint32_t kRxEnable = 1u << 1;
constexpr uint32_t kRxIntEnable = 1u << 3;
constexpr uint32_t kIntAll = 0xF;  // INTSTATUS: TX, RX, TX overrun, RX overrun (write 1 to clear)
volatile uint32_t& nvic_iser0() { return *reinterpret_cast<volatile uint32_t*>(0xE000E100); }
volatile uint32_t& nvic_icpr0() { return *reinterpret_cast<volatile uint32_t*>(0xE000E280); }
volatile uint32_t& scb_icsr() { return *reinterpret_cast<volatile uint32_t*>(0xE000ED04); }
volatile uint32_t& syst_csr() { return *reinterpret_cast<volatile uint32_t*>(0xE000E010); }
volatile uint32_t& syst_rvr() { return *reinterpret_cast<volatile uint32_t*>(0xE000E014); }
volatile uint32_t& syst_cvr() { return *reinterpret_cast<volatile uint32_t*>(0xE000E018); }
constexpr uint32_t kPendStClr = 1u << 25;
constexpr uint32_t kUartRxIrqs = (1u << 0) | (1u << 2);  // UART0 RX is IRQ 0, UART1 RX IRQ 2

CmsdkUart& uart0() { return *reinterpret_cast<CmsdkUart*>(0x40004000); }
CmsdkUart& uart1() { return *reinterpret_cast<CmsdkUart*>(0x40005000); }
volatile uint32_t& fpgaio_clk100hz() { return *reinterpret_cast<volatile uint32_t*>(0x40028014); }
volatile uint32_t& fpgaio_counter() { return *reinterpret_cast<volatile uint32_t*>(0x40028018); }

constexpr uint32_t kSysclkHz = 25000000;  // mps2 SYSCLK: CPU, APB peripherals and FPGAIO COUNTER
constexpr uint32_t kBaudDiv = kSysclkHz / 115200;

// The nano33ble profile (board_profiles.h, generated from src/lib/model/fit/board-profiles.ts)
// without its flash slot: 192 KiB pool, 1 KiB frames, window 4.
constexpr uint32_t kPoolBytes = ttprofile::nano33ble::kPoolBytes;
constexpr uint32_t kMaxPayload = ttprofile::nano33ble::kMaxPayload;
constexpr uint8_t kWindow = ttprofile::nano33ble::kWindow;
constexpr uint32_t kFrameBytes = tt::frame_buffer_bytes(kMaxPayload);

alignas(16) uint8_t g_pool[kPoolBytes];
uint8_t g_rx[kFrameBytes];
uint8_t g_tx[kFrameBytes];

void uart_init(CmsdkUart& u) {
  u.ctrl = 0;
  u.bauddiv = kBaudDiv;
  u.state = 0xC;  // clear overrun flags
  u.ctrl = kTxEnable | kRxEnable | kRxIntEnable;
}

void uart_put(CmsdkUart& u, uint8_t b) {
  while ((u.state & kTxFull) != 0) {
  }
  u.data = b;
}

class M4Io final : public tt::BoardIo {
 public:
  void write(const uint8_t* frame, uint32_t len) override {
    for (uint32_t i = 0; i < len; ++i) uart_put(uart0(), frame[i]);
  }
  uint32_t ticks() override { return fpgaio_counter(); }
  uint32_t uptime_ms() override { return fpgaio_clk100hz() * 10u; }
};

M4Io g_io;
tt::Board g_board;

}  // namespace

// Sleeps until a byte may have arrived: flags cleared first, then checked again, so a byte that
// lands in between leaves its interrupt pending and WFI returns at once.
void wait_for_rx() {
  uart0().intstatus = kIntAll;
  uart1().intstatus = kIntAll;
  nvic_icpr0() = kUartRxIrqs;
  scb_icsr() = kPendStClr;
  if ((uart0().state & kRxFull) != 0 || (uart1().state & kRxFull) != 0) return;
  __asm volatile("wfi" ::: "memory");
}

int main() {
  __asm volatile("cpsid i" ::: "memory");
  uart_init(uart0());
  uart_init(uart1());
  tt::BoardConfig config;
  config.name = "qemu-m4 (mps2-an386)";
  config.cpu_hz = kSysclkHz;
  config.tick_hz = kSysclkHz;
  config.max_payload = kMaxPayload;
  config.window = kWindow;
  config.pool_bytes = kPoolBytes;
  tt::BoardBuffers buffers;
  buffers.rx = g_rx;
  buffers.rx_bytes = kFrameBytes;
  buffers.tx = g_tx;
  buffers.tx_bytes = kFrameBytes;
  buffers.pool = g_pool;
  if (g_board.init(config, buffers, &g_io, nullptr) != tt::BoardInit::kOk) return 2;
  nvic_iser0() = kUartRxIrqs;
  syst_rvr() = kSysclkHz / 1000 - 1;  // 1 ms, processor clock
  syst_cvr() = 0;
  syst_csr() = 0x7;  // CLKSOURCE | TICKINT | ENABLE

  uint32_t received = 0;
  uint32_t expected = 0;  // the launcher's byte count, valid once `ending`
  bool ending = false;
  for (;;) {
    if ((uart0().state & kRxFull) != 0) {
      const uint8_t b = static_cast<uint8_t>(uart0().data);
      ++received;
      g_board.receive(&b, 1);
    } else if (!ending && (uart1().state & kRxFull) != 0) {
      const uint8_t c = static_cast<uint8_t>(uart1().data);
      if (c >= '0' && c <= '9') {
        expected = expected * 10u + static_cast<uint32_t>(c - '0');
      } else if (c == '\n') {
        ending = true;
      }
    } else if (!ending || received < expected) {
      wait_for_rx();
    }
    if (ending && received >= expected) {
      while ((uart0().state & kTxFull) != 0) {
      }
      return 0;
    }
  }
}
