#!/usr/bin/env bash
# The whole suite, in the order a failure is cheapest to find: style, firmware (C++ with sanitizers,
# fuzzing), the oracle fixtures re-derived by TFLM/TFLite (Python, .venv), then the TypeScript unit,
# integration and conformance tests against the real host board.
# Last line: "total: N passed, M failed" over every test that ran.
set -uo pipefail
cd "$(dirname "$0")/.."
export FUZZ_SECONDS="${FUZZ_SECONDS:-15}"
mkdir -p test-results
failed_steps=()
# Tracked files the suite must not rewrite (screenshots, lockfile, fixtures): what differs from HEAD
# now is remembered, and anything else differing at the end is a failure of its own.
tracked_changes() { git diff --name-only HEAD 2>/dev/null | sort; }
changed_before=$(tracked_changes)
cpp_pass=0; cpp_fail=0; oracle_pass=0; oracle_fail=0; ts_pass=0; ts_fail=0

step() { echo; echo "=== $* ==="; }

step "style: prettier, eslint, svelte-check, clang-format"
npx prettier --check . || failed_steps+=(prettier)
npx eslint . || failed_steps+=(eslint)
npx svelte-kit sync && npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --threshold warning \
  || failed_steps+=(svelte-check)
if command -v clang-format >/dev/null; then
  # Every tracked C/C++ source of the firmware, so a new file cannot slip past the check.
  git ls-files 'firmware/*.h' 'firmware/*.cpp' | xargs clang-format --dry-run --Werror 2>&1 | tail -20
  [ "${PIPESTATUS[1]}" -eq 0 ] || failed_steps+=(clang-format)
  for ino in $(git ls-files 'firmware/*.ino'); do
    clang-format --dry-run --Werror --assume-filename="${ino%.ino}.cpp" <"$ino" \
      || failed_steps+=(clang-format-ino)
  done
fi

step "firmware: host board, C++ unit tests (ASan + UBSan), portability check"
if make -C firmware -j2 host check-core; then
  make -C firmware check-sketches test-sketches test 2>&1 | tee test-results/firmware.log
  [ "${PIPESTATUS[0]}" -eq 0 ] || failed_steps+=(firmware-tests)
  # Every test binary (the core's, and one per board's flash store) ends with its own summary line.
  lines=$(grep -E '^firmware: [0-9]+ passed, [0-9]+ failed' test-results/firmware.log)
  cpp_pass=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$lines" | awk '{s+=$1} END {print s+0}')
  cpp_fail=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$lines" | awk '{s+=$1} END {print s+0}')
  [ -n "$lines" ] || { cpp_pass=0; cpp_fail=1; }
else
  failed_steps+=(firmware-build)
fi

step "firmware: the committed virtual board (static/board/tinytwin-board.wasm) matches its sources"
bash scripts/check-wasm.sh || failed_steps+=(wasm-reproducible)

step "firmware: libFuzzer, ${FUZZ_SECONDS}s per target over the kept corpus"
make -C firmware fuzz-run FUZZ_SECONDS="$FUZZ_SECONDS" || failed_steps+=(fuzz)

step "oracle: every tests/fixtures/oracle fixture re-derived by TFLM or TFLite's reference kernels"
# Each fixture's outputs, recomputed from its .tflite and inputs by the recorded oracle, must equal
# the committed ones byte for byte. derive.py ends with "oracle: N passed, M failed".
if [ -x .venv/bin/python ]; then
  .venv/bin/python tests/oracle/derive.py --check 2>&1 | tee test-results/oracle.log
  [ "${PIPESTATUS[0]}" -eq 0 ] || failed_steps+=(oracle)
  line=$(grep -E '^oracle: [0-9]+ passed, [0-9]+ failed' test-results/oracle.log | tail -1)
  if [ -n "$line" ]; then
    oracle_pass=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
    oracle_fail=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  else
    oracle_fail=1
  fi
  # The QA float fixture (TFLite's float interpreter on qa_float.tflite), held by the TensorFlow.js
  # float reference's test: re-derived the same way, counted as one more oracle check.
  if .venv/bin/python tools/qa/make_float_fixture.py --check; then
    oracle_pass=$((oracle_pass + 1))
  else
    oracle_fail=$((oracle_fail + 1)); failed_steps+=(oracle-qa-float)
  fi
else
  echo "The oracle's .venv is missing: run  bash scripts/setup-oracle.sh  (npm test runs it)."
  failed_steps+=(oracle-venv)
fi

step "TypeScript: unit, integration and conformance tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile=test-results/vitest.json
[ $? -eq 0 ] || failed_steps+=(vitest)
if [ -f test-results/vitest.json ]; then
  read -r ts_pass ts_fail < <(node -e "const r=require('./test-results/vitest.json');console.log(r.numPassedTests, r.numFailedTests)")
fi

step "the suite left the tracked files as it found them"
rewritten=$(comm -13 <(echo "$changed_before") <(tracked_changes) | sed '/^$/d')
if [ -n "$rewritten" ]; then
  echo "These tracked files were rewritten by the tests (tests write to test-results/; screenshots for"
  echo "the docs are refreshed on purpose by scripts/refresh-screenshots.sh):"
  echo "$rewritten" | sed 's/^/  /'
  failed_steps+=(tree-clean)
else
  echo "clean"
fi

# Checks that are not counted test cases (style, build, fuzzing) count as one failure each.
other_fail=0
for s in "${failed_steps[@]}"; do case "$s" in firmware-tests|oracle|vitest) ;; *) other_fail=$((other_fail + 1)) ;; esac; done
echo
if [ ${#failed_steps[@]} -gt 0 ]; then echo "failed steps: ${failed_steps[*]}"; fi
echo "firmware tests: $cpp_pass passed, $cpp_fail failed; oracle fixtures: $oracle_pass passed, $oracle_fail failed;" \
  "TypeScript tests: $ts_pass passed, $ts_fail failed; other checks failed: $other_fail"
echo "total: $((cpp_pass + oracle_pass + ts_pass)) passed, $((cpp_fail + oracle_fail + ts_fail + other_fail)) failed"
[ ${#failed_steps[@]} -eq 0 ]
