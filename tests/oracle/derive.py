"""Re-derives every oracle fixture's outputs from its committed .tflite and inputs.

  --check  runs each fixture's recorded oracle (TFLM, or TFLite BUILTIN_REF) on the committed inputs
           and compares with the committed outputs byte for byte; one line per fixture, then
           "oracle: N passed, M failed"; exit status 1 on any failure. (npm test runs this.)
  --write  rewrites the outputs in the fixture JSON from the oracle (developers only, after a
           deliberate oracle or version change; review the diff).

A fixture also fails when its .tflite's SHA-256 differs from the one the JSON records (for
hello_world, the shared file ../shared/data/tflm/hello_world_int8.tflite changed).
"""

import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
warnings.filterwarnings("ignore", category=UserWarning)

sys.path.insert(0, os.path.dirname(__file__))
import oracle_lib as lib  # noqa: E402


def check_one(entry: dict, write: bool) -> str:
    """Returns "" when the fixture re-derives (or was rewritten), else what differs, as a sentence."""
    path = os.path.join(lib.REPO, entry["json"])
    with open(path) as f:
        doc = json.load(f)
    try:
        data = lib.read_model(entry)
    except OSError as e:
        return f"cannot read {entry['tflite']}: {e.strerror}."
    if lib.sha256(data) != doc["tfliteSha256"]:
        return f"{entry['tflite']} is not the file the fixture was made from (SHA-256 differs)."
    got = []
    for k, ex in enumerate(doc["inputs"]):
        try:
            got.append(lib.run_oracle(doc["oracle"], data, [lib.decode(t) for t in ex]))
        except Exception as e:  # the oracle refused: report its own words
            return f"the {doc['oracle']} oracle failed on example {k}: {' '.join(str(e).split())[:200]}"
    if write:
        doc["outputs"] = [[lib.encode(y) for y in out] for out in got]
        lib.write_json(path, doc)
        return ""
    bad = []
    for k, (want_ex, got_ex) in enumerate(zip(doc["outputs"], got)):
        want = [lib.decode(t) for t in want_ex]
        if not lib.same_bytes(want, got_ex):
            bad.append(k)
    if len(doc["outputs"]) != len(got):
        return f"{len(doc['outputs'])} recorded outputs for {len(got)} examples."
    if bad:
        return f"outputs differ from the recorded ones in example(s) {', '.join(map(str, bad))}."
    return ""


def main(argv) -> int:
    if argv not in (["--check"], ["--write"]):
        print("usage: derive.py --check | --write", file=sys.stderr)
        return 2
    write = argv[0] == "--write"
    with open(lib.INDEX) as f:
        entries = json.load(f)["fixtures"]
    passed = failed = 0
    for entry in entries:
        problem = check_one(entry, write)
        if problem:
            failed += 1
            print(f"FAIL {entry['name']}: {problem}", flush=True)
        else:
            passed += 1
            verb = "rewritten" if write else "matches"
            print(f"ok   {entry['name']} ({entry['oracle']}) {verb}", flush=True)
    print(f"oracle: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
