#!/usr/bin/env bash
# Creates .venv (Python 3.11) with the oracle's pinned packages (tests/oracle/requirements.txt:
# TensorFlow Lite's converter and interpreter, TFLM's Python interpreter). Tests and tools only.
# Idempotent: .venv/.oracle-stamp holds the hash of the requirements and the Python version; when it
# matches, this exits at once. Otherwise it (re)creates the venv and installs from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
req=tests/oracle/requirements.txt
venv=.venv
stamp=$venv/.oracle-stamp

py=""
for c in python3.11 python3; do
  if command -v "$c" >/dev/null && "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    py=$c; break
  fi
done
if [ -z "$py" ]; then
  echo "[setup-oracle] Python 3.11 was not found (tried python3.11 and python3); the oracle needs it." >&2
  exit 1
fi
want="$({ cat "$req"; "$py" --version; } | sha256sum | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

echo "[setup-oracle] creating $venv with $("$py" --version) and the pins of $req…" >&2
rm -rf "$venv"
if "$py" -m venv "$venv" 2>/dev/null; then
  pip=("$venv/bin/python" -m pip)
else
  # Debian's python3 without python3-venv has no ensurepip: make the venv without pip and install
  # into it with the interpreter's own pip (pip >= 22.3 understands --python).
  rm -rf "$venv"
  "$py" -m venv --without-pip "$venv"
  pip=("$py" -m pip --python "$venv/bin/python")
fi
"${pip[@]}" install --disable-pip-version-check --no-input -q -r "$req" >&2
# A smoke test of both oracles' imports, so a broken install fails here and not in the tests.
"$venv/bin/python" -c 'import keras, numpy, tensorflow; from tflite_micro.python.tflite_micro import runtime' \
  2>/dev/null || { echo "[setup-oracle] the installed packages do not import." >&2; exit 1; }
echo "$want" >"$stamp"
echo "[setup-oracle] done." >&2
