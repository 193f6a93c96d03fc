// tinytwin-board: the firmware core as a process. stdin = the board's RX line, stdout = its TX
// line, logs on stderr; exits 0 at end of stdin once everything owed has been sent. See --help.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <vector>

#include "board.h"
#include "file_flash.h"
#include "options.h"
#include "profiles.h"
#include "serial_line.h"

namespace {

constexpr uint32_t kFlashSector = 4096;
constexpr size_t kReadBlock = 64 * 1024;
constexpr size_t kHighWater = 16u << 20;  // stop reading stdin while this much waits in a queue

class HostIo final : public tt::BoardIo {
 public:
  explicit HostIo(host::TxLine* tx) : tx_(tx), start_ns_(host::now_ns()) {}
  void write(const uint8_t* frame, uint32_t len) override { tx_->push(frame, len, host::now_ns()); }
  // Nanoseconds (tick_hz 1e9) of the monotonic clock: host inferences take well under a
  // microsecond, so microseconds would report 0. Wraps every 4.29 s; the core only uses
  // differences.
  uint32_t ticks() override { return static_cast<uint32_t>(host::now_ns() - start_ns_); }
  uint32_t uptime_ms() override {
    return static_cast<uint32_t>((host::now_ns() - start_ns_) / 1000000);
  }

 private:
  host::TxLine* tx_;
  int64_t start_ns_;
};

// stdout is made non-blocking when it is a pipe or socket, so a slow reader never stalls RX
// processing; the old flags come back at exit because the open file may be shared.
int g_stdout_flags = -1;
void restore_stdout() {
  if (g_stdout_flags >= 0) fcntl(STDOUT_FILENO, F_SETFL, g_stdout_flags);
}
void make_stdout_nonblocking() {
  struct stat st;
  if (fstat(STDOUT_FILENO, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) return;
  const int flags = fcntl(STDOUT_FILENO, F_GETFL);
  if (flags < 0 || (flags & O_NONBLOCK) != 0) return;
  if (fcntl(STDOUT_FILENO, F_SETFL, flags | O_NONBLOCK) == 0) {
    g_stdout_flags = flags;
    atexit(restore_stdout);
  }
}

const char* boot_text(tt::BootModel b) {
  switch (b) {
    case tt::BootModel::kNone:
      return "none";
    case tt::BootModel::kLoaded:
      return "flash model loaded";
    case tt::BootModel::kBadCrc:
      return "flash model CRC mismatch, not run";
    case tt::BootModel::kRejected:
      return "flash model rejected by the loader, not run";
  }
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  host::Options opt;
  const int parsed = host::parse_options(argc, argv, &opt);
  if (parsed == 1) return 0;
  if (parsed != 0) return 2;
  const host::Profile* profile = host::find_profile(opt.profile);

  tt::BoardConfig config;
  config.name = opt.name != nullptr ? opt.name : profile->name;
  config.cpu_hz = profile->cpu_hz;
  config.tick_hz = 1000000000;
  config.max_payload =
      opt.max_payload >= 0 ? static_cast<uint32_t>(opt.max_payload) : profile->max_payload;
  config.window = static_cast<uint8_t>(opt.window >= 0 ? opt.window : profile->window);
  config.pool_bytes =
      opt.pool_bytes >= 0 ? static_cast<uint32_t>(opt.pool_bytes) : profile->pool_bytes;
  const uint64_t region =
      opt.flash_region >= 0 ? static_cast<uint64_t>(opt.flash_region) : profile->flash_region;
  const uint32_t bank = static_cast<uint32_t>(region / 2 / kFlashSector * kFlashSector);
  if (opt.flash_file != nullptr && bank == 0) {
    fprintf(stderr, "tinytwin-board: profile %s has no flash slot; add --flash-size\n",
            profile->name);
    return 2;
  }

  host::FileFlash flash;
  if (bank > 0 && !flash.open(opt.flash_file, bank, kFlashSector)) return 1;

  const uint32_t frame_bytes = tt::frame_buffer_bytes(config.max_payload);
  std::vector<uint8_t> rx(frame_bytes), tx(frame_bytes);
  const size_t pool_alloc = (config.pool_bytes + 15u) / 16u * 16u;
  uint8_t* pool = static_cast<uint8_t*>(aligned_alloc(16, pool_alloc > 0 ? pool_alloc : 16));
  tt::BoardBuffers buffers;
  buffers.rx = rx.data();
  buffers.rx_bytes = frame_bytes;
  buffers.tx = tx.data();
  buffers.tx_bytes = frame_bytes;
  buffers.pool = pool;

  host::RxLine rx_line(opt.baud);
  host::TxLine tx_line(opt.baud);
  HostIo io(&tx_line);
  tt::Board board;
  const tt::BoardInit init = board.init(config, buffers, &io, bank > 0 ? &flash : nullptr);
  if (init != tt::BoardInit::kOk) {
    fprintf(stderr, "tinytwin-board: bad configuration (init status %d)\n", static_cast<int>(init));
    return 2;
  }
  fprintf(stderr,
          "tinytwin-board: %s, pool %u B, max_payload %u, window %u, flash %u B%s%s, baud %u; "
          "boot model: %s%s\n",
          config.name, board.pool_bytes(), config.max_payload, config.window, bank,
          opt.flash_file != nullptr ? " in " : "", opt.flash_file != nullptr ? opt.flash_file : "",
          opt.baud, boot_text(board.boot_model()), board.has_pending() ? ", upload pending" : "");

  signal(SIGPIPE, SIG_IGN);
  make_stdout_nonblocking();

  uint32_t bad_logged = 0;
  auto feed = [&](const uint8_t* data, size_t len) {
    board.receive(data, static_cast<uint32_t>(len));
    if (opt.verbose && board.bad_frames() != bad_logged) {
      fprintf(stderr, "tinytwin-board: %u bad frame(s) so far\n", board.bad_frames());
      bad_logged = board.bad_frames();
    }
  };
  const bool paced = opt.baud > 0;
  std::vector<uint8_t> block(kReadBlock);
  bool eof = false;
  for (;;) {
    int64_t now = host::now_ns();
    if (paced) rx_line.deliver(now, feed);
    if (!tx_line.drain(STDOUT_FILENO, now)) {
      fprintf(stderr, "tinytwin-board: stdout closed\n");
      return 0;
    }
    const int64_t rx_due = paced ? rx_line.next_delimiter_ns() : -1;
    if (eof && rx_due < 0 && tx_line.queued() == 0) break;

    pollfd fds[2];
    nfds_t nfds = 0;
    int in_index = -1;
    if (!eof && rx_line.queued() < kHighWater && tx_line.queued() < kHighWater) {
      in_index = static_cast<int>(nfds);
      fds[nfds++] = {STDIN_FILENO, POLLIN, 0};
    }
    if (tx_line.blocked()) fds[nfds++] = {STDOUT_FILENO, POLLOUT, 0};
    int64_t due = tx_line.next_due_ns(now);
    if (rx_due >= 0 && (due < 0 || rx_due < due)) due = rx_due;
    timespec timeout{};
    timespec* timeout_ptr = nullptr;
    if (due >= 0) {
      const int64_t wait = due > now ? due - now : 0;
      timeout.tv_sec = static_cast<time_t>(wait / 1000000000);
      timeout.tv_nsec = static_cast<long>(wait % 1000000000);
      timeout_ptr = &timeout;
    }
    if (nfds == 0 && timeout_ptr == nullptr) break;  // nothing can happen any more
    const int ready = ppoll(fds, nfds, timeout_ptr, nullptr);
    if (ready < 0) {
      if (errno == EINTR) continue;
      perror("tinytwin-board: poll");
      return 1;
    }
    for (nfds_t i = 0; i < nfds; ++i) {
      if (fds[i].fd == STDOUT_FILENO && fds[i].revents != 0) tx_line.unblock();
    }
    if (in_index >= 0 && fds[in_index].revents != 0) {
      const ssize_t n = read(STDIN_FILENO, block.data(), block.size());
      if (n > 0) {
        if (paced) {
          rx_line.push(block.data(), static_cast<size_t>(n), host::now_ns());
        } else {
          feed(block.data(), static_cast<size_t>(n));
        }
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        eof = true;
      }
    }
  }
  free(pool);
  return 0;
}
