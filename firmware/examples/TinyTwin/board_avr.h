// ATmega2560 (Arduino Mega 2560) and ATmega328P (Uno): 8 KiB / 2 KiB of RAM, USART0 through the
// USB-serial bridge at 115200 baud, RAM-only models (the AVR's flash is not writable from the
// application section, and its EEPROM is not memory-mapped).
//
// The sketch drives USART0 itself instead of through Serial: HardwareSerial's 64-byte receive ring
// is smaller than what the host may send while the board is busy (window 2: two frames of up to
// 136 wire bytes in flight, e.g. the next INFER batch arriving while a batch is computed), and the
// Arduino IDE offers no way to enlarge it from a sketch; bytes beyond it are silently dropped and
// cost a retry. Here the receive ring holds two whole frames with room to spare, and transmission
// is interrupt-driven like HardwareSerial's (64-byte ring). Serial is never referenced, so the
// core's HardwareSerial0.cpp (and its USART0 interrupt handlers) is not linked.
#pragma once

#include <Arduino.h>
#include <avr/interrupt.h>
#include <util/atomic.h>

#include "board_profiles.h"
#include "build_config.h"
#include "op_list.h"

// The library is compiled without this header's settings (Arduino passes a sketch's flags to its
// own files only), so these restate what src/build_config.h and src/op_list.h choose for 8-bit AVR:
// the MLP operator set (FULLY_CONNECTED, QUANTIZE, DEQUANTIZE, RELU, RELU6, ADD, SOFTMAX; operators
// added later default to off here) and tables of 128 tensors and 128 ops.
static_assert(TT_OPS_EXTENDED == 0, "AVR builds keep the MLP operator set");
static_assert(tt::kMaxTensors == 128 && tt::kMaxOps == 128, "AVR tables hold 128 tensors and ops");

namespace ttboard {

// The Mega is the profile "mega2560" (board_profiles.h); the Uno, which has no profile, takes its
// frames and window with a smaller pool.
namespace profile = ttprofile::mega2560;
static_assert(profile::kFlashBankBytes == 0, "AVR sketches keep models in RAM only");
#if defined(__AVR_ATmega2560__)
constexpr const char* kName = profile::kName;
constexpr uint32_t kPoolBytes = profile::kPoolBytes;
static_assert(F_CPU == profile::kCpuHz, "the mega2560 profile's clock is the Mega's F_CPU");
#else
constexpr const char* kName = "uno";
constexpr uint32_t kPoolBytes = 768;
#endif
constexpr uint16_t kRxRingBytes = 512;
constexpr uint32_t kCpuHz = F_CPU;
constexpr uint32_t kMaxPayload = profile::kMaxPayload;
constexpr uint8_t kWindow = profile::kWindow;
constexpr int kLedPin = LED_BUILTIN;
constexpr uint32_t kBaud = 115200;
constexpr uint8_t kTxRingBytes = 64;
static_assert((kRxRingBytes & (kRxRingBytes - 1)) == 0, "the receive ring is a power of two");
static_assert((kTxRingBytes & (kTxRingBytes - 1)) == 0, "the transmit ring is a power of two");
static_assert(kRxRingBytes > 2 * (kMaxPayload + 8) + 16, "the receive ring holds window frames");

namespace usart0 {
// Receive: the interrupt writes at head, loop() reads at tail; one slot stays free (full = drop,
// as on HardwareSerial, but the protocol never sends more than two frames unanswered).
uint8_t g_rx[kRxRingBytes];
volatile uint16_t g_rx_head = 0;
volatile uint16_t g_rx_tail = 0;
// Transmit: serial_write() appends at head (waiting while full), the UDRE interrupt sends at tail.
uint8_t g_tx[kTxRingBytes];
volatile uint8_t g_tx_head = 0;
volatile uint8_t g_tx_tail = 0;

inline void on_receive() {
  const uint8_t status = UCSR0A;
  const uint8_t b = UDR0;
  if (status & _BV(UPE0)) return;  // parity error (8N1: never)
  const uint16_t head = g_rx_head;
  const uint16_t next = (head + 1) & (kRxRingBytes - 1);
  if (next == g_rx_tail) return;  // full: the byte is lost
  g_rx[head] = b;
  g_rx_head = next;
}

inline void on_data_register_empty() {
  const uint8_t tail = g_tx_tail;
  if (tail == g_tx_head) {
    UCSR0B &= static_cast<uint8_t>(~_BV(UDRIE0));
    return;
  }
  UDR0 = g_tx[tail];
  g_tx_tail = (tail + 1) & (kTxRingBytes - 1);
}
}  // namespace usart0

inline void serial_begin() {
  // What Serial.begin(115200) programs at 16 MHz: double speed, UBRR 16 (117 647 baud, +2.1 %).
  constexpr uint16_t kUbrr = static_cast<uint16_t>((F_CPU / 4 / kBaud - 1) / 2);
  UBRR0H = static_cast<uint8_t>(kUbrr >> 8);
  UBRR0L = static_cast<uint8_t>(kUbrr);
  UCSR0A = _BV(U2X0);
  UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);  // 8N1
  UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
}
inline bool serial_ready() { return true; }
inline uint32_t serial_read(uint8_t* buf, uint32_t cap) {
  uint16_t head;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { head = usart0::g_rx_head; }
  uint16_t tail = usart0::g_rx_tail;
  uint32_t n = 0;
  while (n < cap && tail != head) {
    buf[n++] = usart0::g_rx[tail];
    tail = (tail + 1) & (kRxRingBytes - 1);
  }
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { usart0::g_rx_tail = tail; }
  return n;
}
inline void serial_write(const uint8_t* data, uint32_t len) {
  for (uint32_t i = 0; i < len; ++i) {
    const uint8_t head = usart0::g_tx_head;
    const uint8_t next = (head + 1) & (kTxRingBytes - 1);
    while (next == usart0::g_tx_tail) {
    }
    usart0::g_tx[head] = data[i];
    usart0::g_tx_head = next;
    ATOMIC_BLOCK(ATOMIC_RESTORESTATE) { UCSR0B |= _BV(UDRIE0); }
  }
}
inline tt::FlashStore* flash_store() { return nullptr; }

}  // namespace ttboard

#if defined(USART0_RX_vect)
ISR(USART0_RX_vect) { ttboard::usart0::on_receive(); }
ISR(USART0_UDRE_vect) { ttboard::usart0::on_data_register_empty(); }
#else
ISR(USART_RX_vect) { ttboard::usart0::on_receive(); }
ISR(USART_UDRE_vect) { ttboard::usart0::on_data_register_empty(); }
#endif
