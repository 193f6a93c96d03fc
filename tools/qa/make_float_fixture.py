"""The QA float fixture (tests/fixtures/qa_float_windows.json): TensorFlow Lite's float interpreter
(reference kernels, OpResolverType.BUILTIN_REF) run on the float model qa_float.tflite for the
windows tools/qa/float-fixture-inputs.ts built from a few held-out questions with TinyTwin's
tokenizer. tests/unit/reference/tfjs-float-model.test.ts holds the TensorFlow.js float reference to
these outputs. Numbers only: question ids, window starts and token counts, input tensors, logits.

    npx tsx tools/qa/float-fixture-inputs.ts .cache/qa/float-fixture-inputs.json
    .venv/bin/python tools/qa/make_float_fixture.py .cache/qa/float-fixture-inputs.json
    .venv/bin/python tools/qa/make_float_fixture.py --check   # re-derives the committed outputs
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "oracle"))
import numpy as np  # noqa: E402
import build_fixtures as bf  # noqa: E402
import oracle_lib as lib  # noqa: E402

TFLITE = "src/lib/demos/qa/model/qa_float.tflite"
FIXTURE = os.path.join(lib.REPO, "tests", "fixtures", "qa_float_windows.json")


def model_inputs(data: bytes, window: dict) -> list:
    """A window's input tensors in the .tflite's own shapes (TinyTwin's import may fold a reshape
    into an input, e.g. [1,Q] read as [1,Q,1]; the elements and their order are the same)."""
    details = bf.tensor_details(data, "inputs")
    if len(details) != len(window["inputs"]):
        raise SystemExit(f"The model has {len(details)} inputs; the window has {len(window['inputs'])}.")
    xs = []
    for d, t in zip(details, window["inputs"]):
        if d["dtype"] != t["dtype"] or int(np.prod(d["shape"])) != len(t["values"]):
            raise SystemExit(
                f"Input {d['name']} is {d['dtype']} {d['shape']}, but the window gives {t['dtype']} "
                f"with {len(t['values'])} values: the inputs were made for another model."
            )
        xs.append(np.array(t["values"], dtype=d["dtype"]).reshape(d["shape"]))
    return xs


def run(data: bytes, windows: list) -> list:
    return [lib.run_tflite_ref(data, model_inputs(data, w)) for w in windows]


def write(inputs_path: str) -> int:
    doc = json.load(open(inputs_path))
    data = open(os.path.join(lib.REPO, TFLITE), "rb").read()
    outputs = run(data, doc["windows"])
    import tensorflow as tf

    fixture = {
        "description": (
            "TinyTwin's QA float model (tools/qa/train.py) on every window of "
            f"{len(doc['questions'])} held-out SQuAD v1.1 dev questions (per held-out article, the first "
            "question of the first paragraph longer than one window), tokenized by TinyTwin (src/lib/qa/); "
            "outputs by TensorFlow Lite's interpreter with reference kernels (BUILTIN_REF)."
        ),
        "tflite": TFLITE,
        "tfliteSha256": lib.sha256(data),
        "oracle": "tflite-ref",
        "versions": {"tensorflow": tf.__version__, "numpy": np.__version__},
        "passageLength": doc["passageLength"],
        "inputTensors": bf.tensor_details(data, "inputs"),
        "outputTensors": bf.tensor_details(data, "outputs"),
        "questions": doc["questions"],
        "windows": [
            {
                "question": w["question"],
                "start": w["start"],
                "tokens": w["tokens"],
                # Model order, real values as TinyTwin's features give them (TinyTwin's shapes).
                "inputs": w["inputs"],
                "outputs": [lib.encode(y) for y in out],
            }
            for w, out in zip(doc["windows"], outputs)
        ],
    }
    lib.write_json(FIXTURE, fixture)
    print(f"{os.path.relpath(FIXTURE, lib.REPO)}: {len(outputs)} windows of {len(doc['questions'])} questions")
    return 0


def check() -> int:
    doc = json.load(open(FIXTURE))
    data = open(os.path.join(lib.REPO, doc["tflite"]), "rb").read()
    if lib.sha256(data) != doc["tfliteSha256"]:
        print(f"FAIL {doc['tflite']} is not the model the fixture was made from (SHA-256 differs).")
        return 1
    got = run(data, doc["windows"])
    bad = [k for k, (w, out) in enumerate(zip(doc["windows"], got))
           if not lib.same_bytes([lib.decode(t) for t in w["outputs"]], out)]
    if bad:
        print(f"FAIL outputs differ from the recorded ones in window(s) {', '.join(map(str, bad))}.")
        return 1
    print(f"ok   {len(got)} windows re-derived byte for byte")
    return 0


def main(argv) -> int:
    if argv == ["--check"]:
        return check()
    if len(argv) == 1 and not argv[0].startswith("-"):
        return write(argv[0])
    print("usage: make_float_fixture.py INPUTS.json | --check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
