"""The two oracles and the fixture JSON encoding, shared by build_fixtures.py and derive.py.

Oracles (both run the model's own .tflite bytes; neither shares code with TinyTwin):
  - "tflm": TensorFlow Lite Micro's Python interpreter (tflite-micro package), reference kernels.
  - "tflite-ref": TensorFlow Lite's interpreter with the BUILTIN_REF op resolver (reference kernels),
    used only where TFLM cannot run a model.

Tensor encoding in the fixture JSON: {"dtype": "int8"|"int32"|"float32"|..., "shape": [..],
"values": [..] flat, row-major}. Integers are JSON integers; float32 values are JSON numbers that
round-trip exactly (a float32 widened to binary64 is printed as its shortest binary64 repr).
"""

import hashlib
import json
import os
import re
import sys
import tempfile

import numpy as np
from tflite_micro.python.tflite_micro import runtime as tflm_runtime
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema_fb

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(REPO, "tests", "fixtures", "oracle")
INDEX = os.path.join(FIXTURES, "index.json")

_OP_NAMES = {
    v: k for k, v in vars(schema_fb.BuiltinOperator).items() if not k.startswith("_")
}


def model_object(data: bytes):
    return schema_fb.ModelT.InitFromObj(schema_fb.Model.GetRootAsModel(data, 0))


def builtin_name(model, op) -> str:
    """The builtin op name of one operator of a model_object()."""
    code = tflm_runtime.get_builtin_code_from_operator_code(model.operatorCodes[op.opcodeIndex])
    return _OP_NAMES.get(code, f"BUILTIN_{code}")


def op_names(data: bytes) -> list:
    """Builtin op names of every operator in the file, unique, in order of first use (all subgraphs)."""
    model = model_object(data)
    seen = []
    for sg in model.subgraphs:
        for op in sg.operators or []:
            name = builtin_name(model, op)
            if name not in seen:
                seen.append(name)
    return seen


def io_counts(data: bytes):
    sg = model_object(data).subgraphs[0]
    return len(sg.inputs), len(sg.outputs)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode(arr: np.ndarray) -> dict:
    arr = np.asarray(arr)
    if arr.dtype == np.float32:
        values = [float(v) for v in arr.reshape(-1)]
    else:
        values = [int(v) for v in arr.reshape(-1)]
    return {"dtype": str(arr.dtype), "shape": [int(d) for d in arr.shape], "values": values}


def decode(t: dict) -> np.ndarray:
    return np.array(t["values"], dtype=np.dtype(t["dtype"])).reshape(t["shape"])


def run_tflm(data: bytes, inputs: list) -> list:
    """One inference per call on a fresh TFLM interpreter; returns the outputs in subgraph order.
    Raises whatever TFLM raises when it cannot prepare or run the model."""
    n_in, n_out = io_counts(data)
    assert n_in == len(inputs), f"model has {n_in} inputs, example has {len(inputs)}"
    with _StderrCapture() as log:
        try:
            interp = tflm_runtime.Interpreter.from_bytes(data, arena_size=max(len(data) * 10, 1 << 20))
            for i, x in enumerate(inputs):
                interp.set_input(x, i)
            interp.invoke()
            return [np.array(interp.get_output(i)) for i in range(n_out)]
        except Exception as e:
            # TFLM prints the cause (e.g. "Didn't find op for builtin opcode 'SELECT'") to stderr
            # and raises a generic error: raise both.
            detail = " ".join(log.read().split())
            raise RuntimeError(f"{e} ({detail})" if detail else str(e)) from None


class _StderrCapture:
    """Captures what C++ code writes to file descriptor 2 while the block runs."""

    def __enter__(self):
        sys.stderr.flush()
        self._file = tempfile.TemporaryFile(mode="w+b")
        self._saved = os.dup(2)
        os.dup2(self._file.fileno(), 2)
        return self

    def read(self) -> str:
        sys.stderr.flush()
        self._file.seek(0)
        return self._file.read().decode(errors="replace")

    def __exit__(self, *exc):
        sys.stderr.flush()
        os.dup2(self._saved, 2)
        os.close(self._saved)
        self._file.close()
        return False


def run_tflite_ref(data: bytes, inputs: list) -> list:
    """TensorFlow Lite's interpreter with reference kernels only (BUILTIN_REF)."""
    import tensorflow as tf  # imported lazily: TFLM fixtures need no TensorFlow

    interp = tf.lite.Interpreter(
        model_content=data,
        experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_REF,
    )
    ins = interp.get_input_details()
    for d, x in zip(ins, inputs):
        if list(d["shape"]) != list(x.shape):
            interp.resize_tensor_input(d["index"], list(x.shape))
    interp.allocate_tensors()
    for d, x in zip(interp.get_input_details(), inputs):
        interp.set_tensor(d["index"], x)
    interp.invoke()
    return [np.array(interp.get_tensor(d["index"])) for d in interp.get_output_details()]


def run_oracle(oracle: str, data: bytes, inputs: list) -> list:
    if oracle == "tflm":
        return run_tflm(data, inputs)
    if oracle == "tflite-ref":
        return run_tflite_ref(data, inputs)
    raise ValueError(f"Unknown oracle {oracle!r}: expected 'tflm' or 'tflite-ref'.")


def same_bytes(a: list, b: list) -> bool:
    return len(a) == len(b) and all(
        x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes() for x, y in zip(a, b)
    )


def read_model(entry: dict) -> bytes:
    """The .tflite bytes of an index entry; its path is relative to the repo root."""
    path = os.path.normpath(os.path.join(REPO, entry["tflite"]))
    with open(path, "rb") as f:
        return f.read()


def write_json(path: str, obj) -> None:
    """Indented JSON with every array of plain numbers kept on one line (fixtures stay small)."""
    text = json.dumps(obj, indent=1)
    text = re.sub(
        r"\[\s*([-0-9.eE+,\s]*?)\s*\]",
        lambda m: "[" + re.sub(r"\s+", "", m.group(1)) + "]",
        text,
    )
    with open(path, "w") as f:
        f.write(text + "\n")


def first_divergence(data: bytes, inputs: list) -> str:
    """Where TFLM and BUILTIN_REF first differ, op by op (both keep every tensor), as a phrase
    such as "FULLY_CONNECTED (operator 5, output 'wv'): 1 of 128 values, at most 1 raw"; "" if none."""
    import tensorflow as tf

    tflm = tflm_runtime.Interpreter.from_bytes(
        data,
        arena_size=max(len(data) * 10, 1 << 20),
        intrepreter_config=tflm_runtime.InterpreterConfig.kPreserveAllTensors,
    )
    for i, x in enumerate(inputs):
        tflm.set_input(x, i)
    tflm.invoke()
    ref = tf.lite.Interpreter(
        model_content=data,
        experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_REF,
        experimental_preserve_all_tensors=True,
    )
    ref.allocate_tensors()
    for d, x in zip(ref.get_input_details(), inputs):
        ref.set_tensor(d["index"], x)
    ref.invoke()
    model = model_object(data)
    sg = model.subgraphs[0]
    for n, op in enumerate(sg.operators):
        code = tflm_runtime.get_builtin_code_from_operator_code(model.operatorCodes[op.opcodeIndex])
        for t in op.outputs:
            got = tflm.GetTensor(int(t), 0)
            a = np.asarray(got["tensor_data"] if isinstance(got, dict) else got).reshape(-1)
            b = np.asarray(ref.get_tensor(int(t))).reshape(-1)
            if a.tobytes() != b.tobytes():
                count = int(np.sum(a != b))
                worst = np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))
                unit = "raw" if a.dtype != np.float32 else "(absolute)"
                return (
                    f"{_OP_NAMES.get(code, code)} (operator {n}, output {sg.tensors[t].name.decode()!r}): "
                    f"{count} of {a.size} values, at most {worst:g} {unit}"
                )
    return ""
