// tt-simavr: an AVR board as a process. libsimavr runs the sketch's ELF (ATmega2560 at 16 MHz by
// default); USART0 is bridged to this process's stdin/stdout as a 115200-baud wire would carry it:
// binary frames only on stdout, every message on stderr.
//
//   tt-simavr --elf FILE [--mcu atmega2560] [--freq 16000000] [--speed 1] [--idle-ms 100]
//             [--ticks-fn ADDR] [--cost FILE]
//
// The wire (host → board). Bytes from stdin are put on the line back to back, one every
// 10 bit-times of the board's own baud setting (UBRR0, U2X0, frame format from UCSR0C: 1 360 cycles
// for Arduino's 115 200 baud at 16 MHz), never faster, whether or not the sketch keeps up. simavr
// makes each byte readable one byte-time after it is injected and then paces reads to the same
// rate. The real USART holds two unread bytes; when a byte completes while two are still unread it
// is lost (data overrun): the harness drops it, counts it and says so on stderr, as the chip would.
// The sketch's own software ring (HardwareSerial's 64 bytes) overflows, or not, exactly as on the
// chip, because its interrupt handler is the real code. The line starts once the sketch has enabled
// the receiver (a host's serial adapter waits for the board to boot). simavr's byte time counts a
// parity bit that 8N1 does not have; the harness sets it to the real frame length (also for TX).
//
// The wire (board → host): every byte the sketch writes to UDR0 goes to stdout; simavr paces the
// transmitter (UDRE) at the same byte time.
//
// Time. --speed 1 (default) keeps simulated time from running ahead of the wall clock, so the board
// behaves at a real board's pace and an idle board sleeps instead of spinning; --speed 0 runs as
// fast as the host can; --speed N allows N× real time. The simulation is never throttled below.
//
// End. When stdin ends, the board runs until every byte has been delivered and taken by the sketch,
// no inference is running, and the line has been quiet (no byte in or out, no tick read) for
// --idle-ms of simulated time; then the harness exits 0. A crashed core exits 3.
//
// Cost (--ticks-fn ADDR, the byte address of the sketch's BoardIo::ticks() from avr-nm). The core
// reads ticks() just before and just after model_invoke (firmware/src/board_infer.cpp). The harness
// watches the program counter after every instruction: from the return of the first read to the
// entry of the second it counts cycles (avr->cycle, exact, interrupts included), instructions
// executed outside interrupt handlers, and cycles spent inside them (from the handler's first
// instruction to its reti; the interrupt response itself, however simavr charges it, stays with the
// interrupted code). --cost FILE gets every interval, and the deepest stack seen, as JSON at exit.
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "avr_uart.h"
#include "sim_avr.h"
#include "sim_elf.h"
#include "sim_io.h"
#include "sim_irq.h"

// The accessors of avr_uart.h's uart_fifo_t (the header only declares the type).
DEFINE_FIFO(uint16_t, uart_fifo);

#define CHECK_EVERY 2048  // instructions between stdin/stdout/clock checks

typedef struct {
  uint64_t cycles, insns, isr_cycles;
} Sample;

static int g_out_fd = -1;  // the real stdout: frames only
static uint8_t g_out[4096];
static size_t g_out_len;
static uint64_t g_tx_bytes;
static uint64_t g_last_activity;  // cycle of the last byte in or out or tick read

static void die(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("tt-simavr: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static void quiet_logger(avr_t* avr, const int level, const char* format, va_list ap) {
  (void)avr;
  if (level > LOG_WARNING) return;
  fputs("tt-simavr: simavr: ", stderr);
  vfprintf(stderr, format, ap);
}

static void flush_out(void) {
  size_t done = 0;
  while (done < g_out_len) {
    const ssize_t n = write(g_out_fd, g_out + done, g_out_len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) exit(0);  // the reader went away: nothing left to do
    done += (size_t)n;
  }
  g_out_len = 0;
}

static void on_uart_output(struct avr_irq_t* irq, uint32_t value, void* param) {
  (void)irq;
  avr_t* avr = (avr_t*)param;
  if (g_out_len == sizeof g_out) flush_out();
  g_out[g_out_len++] = (uint8_t)value;
  g_tx_bytes++;
  g_last_activity = avr->cycle;
}

static uint64_t wall_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static avr_uart_t* find_uart0(avr_t* avr) {
  for (avr_io_t* io = avr->io_port; io; io = io->next) {
    if (io->kind && strcmp(io->kind, "uart") == 0 && ((avr_uart_t*)io)->name == '0')
      return (avr_uart_t*)io;
  }
  return NULL;
}

static uint16_t stack_pointer(const avr_t* avr) {
  return (uint16_t)(avr->data[R_SPL] | (avr->data[R_SPH] << 8));
}

// Cycles per byte on the wire from the USART's registers: start + data + parity + stop bits.
static uint64_t byte_cycles(avr_t* avr, const avr_uart_t* u) {
  const uint32_t ubrr =
      (uint32_t)(avr->data[u->ubrrl.reg] | ((avr->data[u->ubrrh.reg] & 0x0F) << 8));
  const uint32_t bit = (ubrr + 1) * (avr_regbit_get(avr, u->u2x) ? 8u : 16u);
  static const int kDataBits[] = {5, 6, 7, 8, 8, 8, 8, 9};
  const uint8_t ucsrc = avr->data[u->r_ucsrc];
  const int data = kDataBits[avr_regbit_get(avr, u->ucsz) | (avr_regbit_get(avr, u->ucsz2) << 2)];
  const int parity = (ucsrc & 0x20) ? 1 : 0;  // UPMn1
  const int stop = 1 + avr_regbit_get(avr, u->usbs);
  return (uint64_t)bit * (uint64_t)(1 + data + parity + stop);
}

int main(int argc, char** argv) {
  const char* elf = NULL;
  const char* mcu = "atmega2560";
  const char* cost_path = NULL;
  uint32_t freq = 16000000;
  double speed = 1.0;
  double idle_ms = 100.0;
  uint32_t ticks_fn = UINT32_MAX;
  static const struct option kOpts[] = {
      {"elf", required_argument, 0, 'e'},     {"mcu", required_argument, 0, 'm'},
      {"freq", required_argument, 0, 'f'},    {"speed", required_argument, 0, 's'},
      {"idle-ms", required_argument, 0, 'i'}, {"ticks-fn", required_argument, 0, 't'},
      {"cost", required_argument, 0, 'c'},    {0, 0, 0, 0}};
  for (int c; (c = getopt_long(argc, argv, "", kOpts, NULL)) != -1;) {
    switch (c) {
      case 'e':
        elf = optarg;
        break;
      case 'm':
        mcu = optarg;
        break;
      case 'f':
        freq = (uint32_t)strtoul(optarg, NULL, 0);
        break;
      case 's':
        speed = strtod(optarg, NULL);
        break;
      case 'i':
        idle_ms = strtod(optarg, NULL);
        break;
      case 't':
        ticks_fn = (uint32_t)strtoul(optarg, NULL, 0);
        break;
      case 'c':
        cost_path = optarg;
        break;
      default:
        die("usage: tt-simavr --elf FILE [--mcu M] [--freq HZ] [--speed X] [--idle-ms MS] "
            "[--ticks-fn ADDR] [--cost FILE]");
    }
  }
  if (!elf) die("--elf FILE is required");

  // Frames only on stdout: keep the real stdout for them, send everything else (simavr's own
  // printf-style messages included) to stderr.
  g_out_fd = dup(STDOUT_FILENO);
  if (g_out_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) die("cannot set up stdout");
  signal(SIGPIPE, SIG_IGN);
  avr_global_logger_set(quiet_logger);

  // elf_firmware_t ends with fields that depend on how libsimavr was configured: leave room.
  static union {
    elf_firmware_t fw;
    uint8_t room[sizeof(elf_firmware_t) + 256];
  } firmware;
  if (elf_read_firmware(elf, &firmware.fw) != 0) die("cannot read %s", elf);
  avr_t* avr = avr_make_mcu_by_name(mcu);
  if (!avr) die("libsimavr has no core %s", mcu);
  avr_init(avr);
  avr->log = LOG_WARNING;
  firmware.fw.frequency = freq;
  avr_load_firmware(avr, &firmware.fw);
  avr->frequency = freq;

  avr_uart_t* uart = find_uart0(avr);
  if (!uart) die("%s has no USART0", mcu);
  uint32_t flags = 0;  // no stdio echo, no usleep when the sketch polls UCSR0A
  avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT),
                          on_uart_output, avr);
  avr_irq_t* uart_in = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);

  const int in_fd = STDIN_FILENO;
  fcntl(in_fd, F_SETFL, fcntl(in_fd, F_GETFL) | O_NONBLOCK);
  static uint8_t inq[1 << 16];  // host bytes not yet on the wire
  size_t inq_head = 0, inq_len = 0;
  bool stdin_open = true;

  uint64_t wire_cycles = byte_cycles(avr, uart);
  uint64_t next_rx = 0;  // cycle at which the byte on the line completes (0 = line idle)
  uint64_t rx_bytes = 0, overruns = 0;

  Sample* samples = NULL;
  size_t nsamples = 0, cap = 0;
  enum { kIdle, kInFirst, kMeasuring, kInSecond } mark = kIdle;
  uint16_t ticks_sp = 0;
  Sample start = {0, 0, 0};
  uint64_t insns = 0, isr_cycles = 0;
  uint16_t min_sp = UINT16_MAX;  // the stack's deepest point (SP is set at reset, then only moves)

  const uint64_t t0 = wall_ns();
  const double ns_per_cycle = 1e9 / freq;
  const uint64_t idle_cycles = (uint64_t)(idle_ms * 1e-3 * freq);
  unsigned countdown = CHECK_EVERY;
  int status = 0;

  for (;;) {
    const bool in_isr = avr->interrupts.running_ptr > 0;
    const uint64_t before = avr->cycle;
    const bool running = avr->state == cpu_Running;
    avr_run(avr);
    if (avr->state == cpu_Done || avr->state == cpu_Crashed) {
      fprintf(stderr, "tt-simavr: the core stopped (%s) at pc 0x%05x, cycle %llu\n",
              avr->state == cpu_Done ? "sleep with interrupts off" : "crashed", avr->pc,
              (unsigned long long)avr->cycle);
      status = 3;
      break;
    }
    const uint16_t sp = stack_pointer(avr);
    if (sp < min_sp && sp > avr->ioend) min_sp = sp;
    if (in_isr) {
      isr_cycles += avr->cycle - before;
    } else if (running) {
      insns++;
    }

    // The ticks() markers (pc is a byte address, as in the ELF). An interrupt taken right at the
    // entry brings the pc back there after reti: only a call from idle/measuring counts.
    if (avr->pc == ticks_fn && (mark == kIdle || mark == kMeasuring)) {
      if (mark == kMeasuring) {
        if (nsamples == cap) {
          cap = cap ? cap * 2 : 256;
          samples = realloc(samples, cap * sizeof *samples);
          if (!samples) die("out of memory");
        }
        samples[nsamples++] =
            (Sample){avr->cycle - start.cycles, insns - start.insns, isr_cycles - start.isr_cycles};
      }
      mark = mark == kIdle ? kInFirst : kInSecond;
      ticks_sp = stack_pointer(avr);
      g_last_activity = avr->cycle;
    } else if ((mark == kInFirst || mark == kInSecond) && stack_pointer(avr) > ticks_sp) {
      // ret popped the return address: back in the caller.
      if (mark == kInFirst) {
        mark = kMeasuring;
        start = (Sample){avr->cycle, insns, isr_cycles};
      } else {
        mark = kIdle;
      }
    }

    // The UART's byte time: from the sketch's settings, honest frame length.
    if (uart->cycles_per_byte != wire_cycles) {
      wire_cycles = byte_cycles(avr, uart);
      uart->cycles_per_byte = wire_cycles;
    }
    // The line: one byte completes every wire_cycles while the host has bytes to send.
    if (inq_len > 0 && avr_regbit_get(avr, uart->rxen)) {
      if (next_rx == 0) next_rx = avr->cycle + wire_cycles;
      if (avr->cycle >= next_rx) {
        const uint8_t b = inq[inq_head];
        inq_head = (inq_head + 1) % sizeof inq;
        inq_len--;
        // Unread bytes in simavr's FIFO = bytes completed but not yet read by the sketch.
        const unsigned unread = uart_fifo_get_read_size(&uart->input);
        if (unread >= 2) {
          overruns++;
          fprintf(stderr, "tt-simavr: USART0 data overrun at cycle %llu: byte lost\n",
                  (unsigned long long)avr->cycle);
        } else {
          avr_raise_irq(uart_in, b);
        }
        rx_bytes++;
        g_last_activity = avr->cycle;
        next_rx = inq_len > 0 ? next_rx + wire_cycles : 0;
      }
    }

    if (--countdown > 0) continue;
    countdown = CHECK_EVERY;
    if (g_out_len > 0) flush_out();

    // Pace: simulated time may not run ahead of wall time × speed.
    int wait_ms = 0;
    if (speed > 0) {
      const double sim_ns = (double)avr->cycle * ns_per_cycle / speed;
      const double ahead = sim_ns - (double)(wall_ns() - t0);
      if (ahead > 2e6) wait_ms = (int)(ahead / 1e6);
    }
    if (stdin_open && inq_len < sizeof inq - 4096) {
      struct pollfd pfd = {in_fd, POLLIN, 0};
      if (poll(&pfd, 1, wait_ms) > 0) {
        uint8_t buf[4096];
        const ssize_t n = read(in_fd, buf, sizeof buf);
        if (n > 0) {
          for (ssize_t i = 0; i < n; i++)
            inq[(inq_head + inq_len + (size_t)i) % sizeof inq] = buf[i];
          inq_len += (size_t)n;
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
          stdin_open = false;
        }
      }
    } else if (wait_ms > 0) {
      poll(NULL, 0, wait_ms);
    }

    if (!stdin_open && inq_len == 0 && uart_fifo_isempty(&uart->input) && mark != kMeasuring &&
        avr->cycle - g_last_activity >= idle_cycles)
      break;
  }
  flush_out();

  fprintf(stderr,
          "tt-simavr: %llu cycles (%.3f s simulated), %llu bytes in, %llu out, %llu overruns, "
          "%zu inferences timed, stack peak %u bytes\n",
          (unsigned long long)avr->cycle, avr->cycle / (double)freq, (unsigned long long)rx_bytes,
          (unsigned long long)g_tx_bytes, (unsigned long long)overruns, nsamples,
          (unsigned)(avr->ramend - min_sp));
  if (cost_path) {
    FILE* f = fopen(cost_path, "w");
    if (!f) die("cannot write %s", cost_path);
    fprintf(f,
            "{\"mcu\":\"%s\",\"cpuHz\":%u,\"overruns\":%llu,\"stackPeakBytes\":%u,"
            "\"inferences\":[",
            mcu, freq, (unsigned long long)overruns, (unsigned)(avr->ramend - min_sp));
    for (size_t i = 0; i < nsamples; i++) {
      fprintf(f, "%s{\"cycles\":%llu,\"insns\":%llu,\"isrCycles\":%llu}", i ? "," : "",
              (unsigned long long)samples[i].cycles, (unsigned long long)samples[i].insns,
              (unsigned long long)samples[i].isr_cycles);
    }
    fprintf(f, "]}\n");
    fclose(f);
  }
  free(samples);
  if (status == 0 && overruns > 0) status = 4;
  return status;
}
