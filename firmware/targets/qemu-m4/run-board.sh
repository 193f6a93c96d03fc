#!/usr/bin/env bash
# The Cortex-M4 board as a process: QEMU's mps2-an386 running build/qemu-m4/tinytwin-m4.elf, its
# UART0 on this process's stdin/stdout (nothing else is printed there; QEMU's own messages go to
# stderr), exiting when stdin ends and every byte received has been answered.
#
#   firmware/targets/qemu-m4/run-board.sh [--icount] [--elf FILE]
#     --icount      deterministic virtual time: -icount shift=0 (one instruction = 1 ns), so the
#                   25 MHz tick counts one tick per 40 instructions
#
# How the end of stdin reaches the board: stdin goes through `tee` into a FIFO that is QEMU's stdin
# (the UART0 chardev); when it ends, the number of bytes forwarded goes to UART1 (a second FIFO), and
# the board exits through semihosting once it has taken that many bytes from UART0 and sent its
# answers. QEMU's exit status is this script's.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
elf="$here/../../build/qemu-m4/tinytwin-m4.elf"
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --icount) extra+=(-icount shift=0); shift ;;
    --elf) elf="$2"; shift 2 ;;
    *) echo "run-board.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
qemu=${QEMU_SYSTEM_ARM:-qemu-system-arm}
if ! command -v "$qemu" >/dev/null 2>&1; then
  echo "run-board.sh: $qemu is not installed (Debian package qemu-system-arm)" >&2
  exit 127
fi
if [ ! -f "$elf" ]; then
  echo "run-board.sh: $elf is missing: make -C firmware/targets/qemu-m4" >&2
  exit 127
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/tt-qemu-m4.XXXXXX")
qpid=
cleanup() {
  if [ -n "$qpid" ]; then kill "$qpid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP
mkfifo "$dir/rx" "$dir/ctl.in" "$dir/ctl.out"

"$qemu" -M mps2-an386 -nographic -monitor none -nodefaults -nic none \
  -semihosting-config enable=on,target=native \
  -chardev stdio,id=line,signal=off -serial chardev:line \
  -chardev pipe,id=ctl,path="$dir/ctl" -serial chardev:ctl \
  "${extra[@]}" -kernel "$elf" <"$dir/rx" &
qpid=$!

# Forward stdin; `wc` counts what went through. The FIFO's write end closes when stdin ends.
n=$(tee "$dir/rx" | wc -c)
printf '%s\n' "$n" >"$dir/ctl.in"
status=0
wait "$qpid" || status=$?
qpid=
exit "$status"
