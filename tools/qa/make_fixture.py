"""The QA model's oracle fixture (tests/fixtures/oracle/qa_int8.json): TFLM's outputs for the input
tensors scripts/qa-fixture-inputs.ts made with TinyTwin's tokenizer, recorded like every other
fixture (tests/oracle/README.md) and listed in index.json, so npm test re-derives them with TFLM and
runs them on every board.

    npx tsx scripts/qa-fixture-inputs.ts .cache/qa/fixture-inputs.json
    .venv/bin/python tools/qa/make_fixture.py .cache/qa/fixture-inputs.json
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "oracle"))
import numpy as np  # noqa: E402
import build_fixtures as bf  # noqa: E402
import oracle_lib as lib  # noqa: E402

TFLITE = "src/lib/demos/qa/model/qa_int8.tflite"


def main(argv):
    if len(argv) != 1:
        print("usage: make_fixture.py INPUTS.json (from scripts/qa-fixture-inputs.ts)", file=sys.stderr)
        return 2
    doc = json.load(open(argv[0]))
    data = open(os.path.join(lib.REPO, TFLITE), "rb").read()
    # In the .tflite's own shapes: TinyTwin's import may fold a reshape into an input ([1,Q] read as
    # [1,Q,1]); the bytes are the same.
    shapes = [t["shape"] for t in bf.tensor_details(data, "inputs")]
    examples = [
        [np.array(t["values"], dtype=t["dtype"]).reshape(shapes[k]) for k, t in enumerate(ex)]
        for ex in doc["examples"]
    ]
    description = (
        f"TinyTwin's question-answering model (tools/qa/train.py), int8 with int8 I/O: every window of "
        f"{len(doc['questions'])} held-out SQuAD v1.1 dev questions (first paragraph, first two questions "
        f"of each held-out article), tokenized by TinyTwin (src/lib/qa/)."
    )
    entry = bf.write_fixture("qa_int8", description, TFLITE, data, examples, {"conversion": "int8", "dynamicBatch": False})
    index = json.load(open(lib.INDEX))
    index["fixtures"] = [e for e in index["fixtures"] if e["name"] != "qa_int8"] + [entry]
    lib.write_json(lib.INDEX, index)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
