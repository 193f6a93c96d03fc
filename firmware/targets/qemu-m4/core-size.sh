#!/usr/bin/env bash
# Exact flash and RAM of the firmware core in the linked image, from the linker map: the sizes of
# the input sections from the core objects (<build>/core/**/*.o, kernels/ included) that survive
# --gc-sections (the map's memory map part lists only those; the "Discarded input sections" part
# before it is skipped). Flash is .text + .rodata + .data (whose initial values are stored in
# flash); alignment padding (*fill*) between sections is not attributed to anyone.
#   core-size.sh build/qemu-m4-mlp/tinytwin-m4.map
set -euo pipefail
map=$1
awk '
  function hex(s,   i, v) {
    v = 0
    for (i = 3; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return v
  }
  /^Linker script and memory map/ { on = 1; next }
  !on { next }
  # An input section: " .name" alone on its line (address and size follow on the next line) or
  # " .name 0xADDR 0xSIZE file" on one line.
  /^ \.[^ ]+/ { name = $1; if (NF >= 4 && $2 ~ /^0x/) { size = $3; file = $4 } else next }
  /^ +0x[0-9a-f]+ +0x[0-9a-f]+ +[^ ]/ && name != "" { size = $2; file = $3 }
  {
    if (name == "" || file == "") next
    if (file ~ /\/core\/.+\.o$/) {
      n = hex(size)
      if (name ~ /^\.text/) text += n
      else if (name ~ /^\.rodata/) rodata += n
      else if (name ~ /^\.data/) data += n
      else if (name ~ /^\.bss/ || name ~ /^COMMON/) bss += n
    }
    name = ""; file = ""
  }
  END {
    printf "core in the linked image (from the map): flash %d B = text %d + rodata %d + data %d; RAM data+bss %d B\n",
      text + rodata + data, text, rodata, data, data + bss
  }
' "$map"
