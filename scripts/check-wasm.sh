#!/usr/bin/env bash
# Rebuilds the virtual board (make -C firmware wasm) into a temporary directory and checks that the
# bytes equal the committed static/board/tinytwin-board.wasm, so the file the app ships is exactly
# what the sources produce. Needs Debian's clang 14 and wasm-ld (lld), like the build itself.
set -euo pipefail
cd "$(dirname "$0")/.."
committed=static/board/tinytwin-board.wasm
if [ ! -f "$committed" ]; then
  echo "check-wasm: $committed is missing. Run 'make -C firmware wasm' and commit the file." >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fresh="$tmp/tinytwin-board.wasm"
if ! make -C firmware wasm WASM_BUILD="$tmp/build" WASM_OUT="$fresh" >"$tmp/build.log" 2>&1; then
  cat "$tmp/build.log" >&2
  echo "check-wasm: the wasm build failed (see above)." >&2
  exit 1
fi
toolchain="$(${CLANGXX:-clang++} --version | head -1); $(${WASMLD:-wasm-ld} --version | head -1)"

# clang's wasm backend may turn `x < 0 ? 0 : x` into f32.max(x, 0), which maps -0 to +0 (LLVM issue
# #93414) and breaks bit-exactness with TFLM; see the comment on the wasm object rule in firmware/Makefile.
# Any float min/max within a few instructions of a ±0 constant is reported.
objdump=${LLVM_OBJDUMP:-$(command -v llvm-objdump-14 || command -v llvm-objdump || true)}
if [ -n "$objdump" ]; then
  suspects=$("$objdump" -d "$fresh" | awk '
    /^[0-9a-f]+ </ { fn = $2; n = 0 }
    /\tf(32|64)\.const\t-?0x0p0$/ { n = 4; next }
    /\tf(32|64)\.(min|max)/ && n > 0 { print fn; n = 0; next }
    /\t[a-z]/ { if (n > 0) n-- }' | sort -u)
  if [ -n "$suspects" ]; then
    echo "check-wasm: FAILED: float min/max against a zero constant (-0 would become +0) in:" >&2
    echo "$suspects" | sed 's/^/  /' >&2
    echo "Compile that file with FastISel (WASM_EXTRA := -mllvm -fast-isel in firmware/Makefile)." >&2
    exit 1
  fi
else
  echo "check-wasm: llvm-objdump not found, the -0 min/max scan was skipped."
fi
if cmp -s "$fresh" "$committed"; then
  echo "check-wasm: ok, $committed is reproducible ($(wc -c <"$fresh") bytes," \
    "sha256 $(sha256sum "$fresh" | cut -c1-16)…, $toolchain)"
  exit 0
fi
cat >&2 <<MSG
check-wasm: FAILED: $committed differs from a fresh build of firmware/.
  committed: $(wc -c <"$committed") bytes, sha256 $(sha256sum "$committed" | cut -d' ' -f1)
  rebuilt:   $(wc -c <"$fresh") bytes, sha256 $(sha256sum "$fresh" | cut -d' ' -f1)
  toolchain: $toolchain
The firmware sources changed without rebuilding the virtual board, or this toolchain differs from
the one that built the committed file. Run 'make -C firmware wasm' and commit
static/board/tinytwin-board.wasm.
MSG
exit 1
