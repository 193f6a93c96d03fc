#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only those missing. Runs apt-get update once first.
# Needs root (CI and the dev machines run as root); otherwise prints the command to run.
set -euo pipefail
# AVR board (firmware/targets/avr): the sketch through arduino-mk (which pulls in the arduino package
# for its tool paths) against Debian's Arduino AVR core; the simavr harness links libsimavr
# (libsimavr-dev; pkg-config finds it through libelf-dev's libelf.pc).
pkgs=(g++ make clang lld libclang-rt-14-dev clang-format chromium
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  gcc-avr avr-libc binutils-avr arduino-core-avr arduino-mk simavr libsimavr-dev libelf-dev pkgconf)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "[setup] installing system packages: ${missing[*]}" >&2
if [ "$(id -u)" != 0 ]; then
  echo "[setup] not root: run  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
