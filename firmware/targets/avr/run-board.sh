#!/usr/bin/env bash
# The Arduino Mega 2560 as a process: the real TinyTwin sketch (build/avr/mega2560/TinyTwin.elf,
# built by `make -C firmware/targets/avr`) on simavr's ATmega2560 at 16 MHz, its USART0 on this
# process's stdin/stdout at 115 200 baud (nothing else is printed there; messages go to stderr),
# exiting 0 when stdin ends and the board has answered everything (see simavr_harness.c).
#
#   firmware/targets/avr/run-board.sh [--elf FILE] [--mcu atmega2560] [--speed X] [--cost FILE]
#     --speed X     simulated time may run at most X× wall time (default 1; 0 = unthrottled)
#     --cost FILE   cycles and instructions of every inference (between the sketch's two ticks()
#                   reads around model_invoke) as JSON, written at exit
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build="$here/../../build/avr"
elf="$build/mega2560/TinyTwin.elf"
harness="$build/tt-simavr"
mcu=atmega2560
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --elf) elf="$2"; shift 2 ;;
    --mcu) mcu="$2"; shift 2 ;;
    --speed | --cost | --idle-ms) args+=("$1" "$2"); shift 2 ;;
    *) echo "run-board.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for f in "$elf" "$harness"; do
  if [ ! -f "$f" ]; then
    echo "run-board.sh: $f is missing: make -C firmware/targets/avr" >&2
    exit 127
  fi
done
if ! command -v avr-nm >/dev/null 2>&1; then
  echo "run-board.sh: avr-nm is not installed (Debian package binutils-avr)" >&2
  exit 127
fi
# The sketch's BoardIo::ticks() (LTO keeps it: it is called through the vtable).
ticks=$(avr-nm -C "$elf" | awk '!found && /SerialIo::ticks\(\)/ { print "0x" $1; found = 1 }')
if [ -n "$ticks" ]; then args+=(--ticks-fn "$ticks"); fi
exec "$harness" --elf "$elf" --mcu "$mcu" "${args[@]}"
