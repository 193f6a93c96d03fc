"""Builds the oracle fixtures in tests/fixtures/oracle (run by a developer; the output is committed).

For every model below: a small Keras (keras 3) or tf.function model with seeded weights, converted
by TensorFlow Lite's converter to float32 and/or full-integer int8 (post-training quantization with
a seeded representative dataset; int8 I/O, or float I/O where the variant says so), then run on a
handful of seeded inputs by the oracle: TFLM's Python interpreter, or TensorFlow Lite's reference
interpreter (BUILTIN_REF) where TFLM refuses the model. Every fixture TFLM runs is also run by
BUILTIN_REF and the JSON says whether the two agreed byte for byte.

Usage: .venv/bin/python tests/oracle/build_fixtures.py [name-substring ...]
Deterministic: the same package versions give the same files (weights, calibration data and
inputs come from seeds derived from each model's name).
"""

import os
import re
import sys
import warnings
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
warnings.filterwarnings("ignore", category=UserWarning)

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.python.framework.convert_to_constants import (  # noqa: E402
    convert_variables_to_constants_v2,
)

sys.path.insert(0, os.path.dirname(__file__))
import oracle_lib as lib  # noqa: E402

SEED = 20261204
CALIBRATION_SAMPLES = 48
HELLO_WORLD = "../shared/data/tflm/hello_world_int8.tflite"  # relative to the repo root


def seed_of(name: str) -> int:
    return (SEED + zlib.crc32(name.encode())) % (2**31)


# ---- input distributions ---------------------------------------------------------------------


class Uniform:
    """Real inputs uniform in [lo, hi]; examples also reach 1.5× beyond (saturating int8)."""

    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi

    def sample(self, rng, shape):
        return rng.uniform(self.lo, self.hi, size=shape).astype(np.float32)


class Ids:
    """int32 token ids in [0, n)."""

    def __init__(self, n):
        self.n = n

    def sample(self, rng, shape):
        return rng.integers(0, self.n, size=shape).astype(np.int32)


class In:
    """One model input: shape without the batch (None = dynamic), distribution, dtype."""

    def __init__(self, shape, dist, dtype=tf.float32):
        self.shape, self.dist, self.dtype = list(shape), dist, dtype
        self.concrete_shape = [3 if d is None else d for d in self.shape]  # for calibration


# ---- model specs -----------------------------------------------------------------------------


class Spec:
    """One model. `keras_body(*inputs)` returns the outputs of a functional Keras model, or
    `tf_body(*tensors)` is a plain TensorFlow function (for ops Keras does not expose, e.g.
    BATCH_MATMUL's adj_x). `post(model, rng)` may edit weights after seeding. variants: which
    conversions to write, each a (suffix, mode, batch) with mode int8 | int8_float_io | float32
    and batch 1 (fixed) or None (dynamic)."""

    def __init__(self, base, description, inputs, keras_body=None, tf_body=None, post=None,
                 variants=None, examples=4, input_levels=False):
        self.base, self.description, self.inputs = base, description, inputs
        self.keras_body, self.tf_body, self.post = keras_body, tf_body, post
        self.variants = variants or [("_int8", "int8", 1), ("_float32", "float32", 1)]
        self.examples = examples
        # Float input of one value: after the seeded examples, one example per int8 level of the
        # QUANTIZE that reads it (every input the int8 network can tell apart), recorded as
        # "inputLevels" in the JSON.
        self.input_levels = input_levels


L = keras.layers
K = keras.ops


def randomize_biases(model, rng):
    """Non-zero biases (Keras initialises them to 0), so bias handling is exercised."""
    for layer in model.layers:
        b = getattr(layer, "bias", None)
        if b is not None:
            b.assign(rng.uniform(-0.3, 0.3, size=b.shape).astype(np.float32))


def scale_channels(layer_name, factors):
    """Multiplies output channel c of the layer's kernel by factors[c % len(factors)] (per-channel
    scales that differ by orders of magnitude)."""

    def post(model, rng):
        randomize_biases(model, rng)
        layer = model.get_layer(layer_name)
        k = layer.kernel.numpy()
        depthwise = isinstance(layer, L.DepthwiseConv2D)  # kernel [kh, kw, in, mult]: in*mult channels
        n = k.shape[2] * k.shape[3] if depthwise else k.shape[-1]
        f = np.array([factors[c % len(factors)] for c in range(n)], np.float32)
        if depthwise:
            f = f.reshape(k.shape[2], k.shape[3])
        layer.kernel.assign(k * f)

    return post


def attention_block(x, d=16):
    q = L.Dense(d, use_bias=False, name="wq")(x)
    k = L.Dense(d, use_bias=False, name="wk")(x)
    v = L.Dense(d, use_bias=False, name="wv")(x)
    scores = K.matmul(q, K.transpose(k, (0, 2, 1))) * float(1.0 / np.sqrt(d))
    att = K.softmax(scores, axis=-1)
    return K.add(x, K.matmul(att, v))


class Lookup(L.Layer):
    """An embedding table read with tf.gather: one GATHER. (Keras 3's Embedding wraps negative ids
    first, which converts to LESS, ADD and SELECT before the GATHER; `embedding_keras` keeps that.)"""

    def __init__(self, rows, dim, **kw):
        super().__init__(**kw)
        self.table = self.add_weight(shape=(rows, dim), initializer="random_uniform", name="table")

    def call(self, ids):
        return tf.gather(self.table, ids)


TWO_PI = float(2 * np.pi)


def fit_sine(model, rng):
    """A sine regression without training (so the weights do not depend on an optimiser's run):
    the first layer's ReLUs are hinges at knots spread over [0, 2π], the second layer is seeded
    at random (with non-zero biases), and the output layer is the least-squares fit of sin(x) on
    the second layer's activations over 256 points of [0, 2π]."""
    h1, h2, out = model.layers[1], model.layers[2], model.layers[3]
    n = h1.kernel.shape[-1]
    knots = np.linspace(0.0, TWO_PI, n, endpoint=False).astype(np.float32)
    sign = np.where(np.arange(n) % 2 == 0, 1.0, -1.0).astype(np.float32)
    h1.kernel.assign(sign.reshape(1, n))
    h1.bias.assign(-sign * knots)
    h2.bias.assign(rng.uniform(-0.3, 0.3, size=h2.bias.shape).astype(np.float32))
    xs = np.linspace(0.0, TWO_PI, 256, dtype=np.float32).reshape(-1, 1)
    feats = np.asarray(keras.Model(model.inputs, h2.output)(xs))
    design = np.concatenate([feats, np.ones((len(xs), 1), np.float32)], axis=1)
    sol = np.linalg.lstsq(design.astype(np.float64), np.sin(xs[:, 0]).astype(np.float64), rcond=None)[0]
    out.kernel.assign(sol[:-1].astype(np.float32).reshape(-1, 1))
    out.bias.assign(sol[-1:].astype(np.float32))


def embed_conv(ids):
    e = Lookup(500, 16, name="embed")(ids)
    h = L.Conv1D(16, 5, padding="same", activation="relu")(e)
    return L.Conv1D(2, 3, padding="same")(h)


CONST8 = np.linspace(-1.0, 1.5, 8).astype(np.float32)
F = ("_float32", "float32", 1)
I8 = ("_int8", "int8", 1)


def specs():
    u = Uniform(-1.0, 1.0)
    s = []
    s.append(Spec("gather", "Embedding lookup (GATHER) of int32 ids [1,6] in a 20×8 table.",
                  [In([6], Ids(20), tf.int32)], keras_body=lambda i: Lookup(20, 8)(i)))
    s.append(Spec("embedding_keras", "Keras 3's Embedding layer (20×8) on int32 ids [1,6], as converted: "
                  "negative-id wrap-around (LESS, ADD, SELECT) before the GATHER.",
                  [In([6], Ids(20), tf.int32)], keras_body=lambda i: L.Embedding(20, 8)(i),
                  variants=[I8]))
    s.append(Spec("fc_rank3", "Dense(6) on a rank-3 [1,5,8] input (FULLY_CONNECTED, keep_num_dims).",
                  [In([5, 8], u)], keras_body=lambda x: L.Dense(6)(x)))
    s.append(Spec("conv2d_s2_same", "Conv2D 4×3×3, stride 2, SAME, on an odd-sized [1,9,9,3] input "
                  "(padding only at the bottom/right).",
                  [In([9, 9, 3], u)], keras_body=lambda x: L.Conv2D(4, 3, strides=2, padding="same")(x)))
    s.append(Spec("conv2d_dil2_valid", "Conv2D 4×3×3, dilation 2, VALID, ReLU, on [1,10,10,2].",
                  [In([10, 10, 2], u)],
                  keras_body=lambda x: L.Conv2D(4, 3, dilation_rate=2, activation="relu")(x)))
    s.append(Spec("conv2d_dil2_same", "Conv2D 3×3×3, dilation 2, SAME, on [1,7,8,2].",
                  [In([7, 8, 2], u)],
                  keras_body=lambda x: L.Conv2D(3, 3, dilation_rate=2, padding="same")(x)))
    s.append(Spec("conv1d", "Conv1D 6×5 SAME stride 1 and Conv1D 4×3 VALID stride 2 on [1,20,4] "
                  "(1×k CONV_2D kernels between reshapes).",
                  [In([20, 4], u)],
                  keras_body=lambda x: L.Conv1D(4, 3, strides=2)(L.Conv1D(6, 5, padding="same")(x))))
    s.append(Spec("conv2d_channel_scales", "Conv2D 6×3×3 whose filters are scaled by 1, 1000, 0.001 "
                  "(per-channel scales six orders of magnitude apart).",
                  [In([6, 6, 2], u)], keras_body=lambda x: L.Conv2D(6, 3, name="c")(x),
                  post=scale_channels("c", [1.0, 1000.0, 0.001])))
    s.append(Spec("depthwise_m1_same", "DepthwiseConv2D 3×3, depth multiplier 1, SAME, on [1,6,6,4].",
                  [In([6, 6, 4], u)], keras_body=lambda x: L.DepthwiseConv2D(3, padding="same")(x)))
    s.append(Spec("depthwise_m2_s2_valid", "DepthwiseConv2D 3×3, depth multiplier 2, stride 2, VALID, "
                  "ReLU6, on [1,9,9,3].", [In([9, 9, 3], u)],
                  keras_body=lambda x: L.DepthwiseConv2D(3, strides=2, depth_multiplier=2,
                                                         activation="relu6")(x)))
    s.append(Spec("depthwise_channel_scales", "DepthwiseConv2D 3×3 whose channels are scaled by 1, "
                  "1000, 0.001, 1.", [In([5, 5, 4], u)],
                  keras_body=lambda x: L.DepthwiseConv2D(3, name="c")(x),
                  post=scale_channels("c", [1.0, 1000.0, 0.001, 1.0])))
    s.append(Spec("depthwise_conv1d", "DepthwiseConv1D kernel 3, depth multiplier 2, SAME, on [1,16,4].",
                  [In([16, 4], u)],
                  keras_body=lambda x: L.DepthwiseConv1D(3, depth_multiplier=2, padding="same")(x)))
    s.append(Spec("max_pool", "MaxPooling2D 2×2 stride 2 VALID and 3×3 stride 2 SAME on [1,9,9,3].",
                  [In([9, 9, 3], u)],
                  keras_body=lambda x: L.MaxPooling2D(3, 2, padding="same")(L.MaxPooling2D(2)(x))))
    s.append(Spec("avg_pool_same", "AveragePooling2D 3×3 stride 2 SAME on [1,7,7,3] (windows clipped "
                  "at the borders).", [In([7, 7, 3], u)],
                  keras_body=lambda x: L.AveragePooling2D(3, 2, padding="same")(x)))
    s.append(Spec("mean_global", "GlobalAveragePooling2D on [1,5,6,4] (MEAN over axes 1,2, no keepdims).",
                  [In([5, 6, 4], u)], keras_body=lambda x: L.GlobalAveragePooling2D()(x)))
    s.append(Spec("mean_keepdims", "MEAN over axis 1 of [1,6,8] with keepdims, and over axis 2 without.",
                  [In([6, 8], u)],
                  keras_body=lambda x: [K.mean(x, axis=1, keepdims=True), K.mean(x, axis=2)]))
    for op, fn in (("add", K.add), ("sub", K.subtract), ("mul", K.multiply)):
        s.append(Spec(f"{op}_broadcast", f"{op.upper()} of [1,4,8] with [1,1,8] (two inputs of "
                      f"different ranges), then with a constant [8].",
                      [In([4, 8], u), In([1, 8], Uniform(-3.0, 2.0))],
                      keras_body=lambda a, b, fn=fn: fn(fn(a, b), CONST8)))
    s.append(Spec("concat2_last", "CONCATENATION on the last axis of tanh([1,4,3]) and sigmoid([1,4,5]) "
                  "(int8: fixed scales 1/128 and 1/256, different zero points).",
                  [In([4, 3], Uniform(-3, 3)), In([4, 5], Uniform(-6, 6))],
                  keras_body=lambda a, b: L.Concatenate(axis=-1)([K.tanh(a), K.sigmoid(b)])))
    s.append(Spec("concat3_axis1", "CONCATENATION on axis 1 of tanh([1,2,6]), a raw input [1,3,6] in "
                  "[0, 4] and sigmoid([1,1,6]): three different quantizations.",
                  [In([2, 6], u), In([3, 6], Uniform(0.0, 4.0)), In([1, 6], Uniform(-5, 5))],
                  keras_body=lambda a, b, c: L.Concatenate(axis=1)([K.tanh(a), b, K.sigmoid(c)])))
    s.append(Spec("concat5_axis2", "CONCATENATION of five tensors on axis 2 of [1,2,k,3] (k = 1, 2, 3, 1, 2; "
                  "not the last axis): tanh, a raw input in [0, 4], sigmoid, a raw input in [-1, 1] and "
                  "relu, five quantizations.",
                  [In([2, 1, 3], u), In([2, 2, 3], Uniform(0.0, 4.0)), In([2, 3, 3], Uniform(-5, 5)),
                   In([2, 1, 3], Uniform(-1.0, 1.0)), In([2, 2, 3], Uniform(-2.0, 6.0))],
                  keras_body=lambda a, b, c, d, e: L.Concatenate(axis=2)(
                      [K.tanh(a), b, K.sigmoid(c), d, K.relu(e)])))
    for name, ax, ay, sa, sb in (("batch_matmul", False, False, [4, 6], [6, 5]),
                                 ("batch_matmul_adj_x", True, False, [6, 4], [6, 5]),
                                 ("batch_matmul_adj_y", False, True, [4, 6], [5, 6])):
        s.append(Spec(name, f"BATCH_MATMUL of two inputs {[1] + sa} and {[1] + sb}, adj_x={ax}, adj_y={ay}.",
                      [In(sa, u), In(sb, Uniform(-2.0, 2.0))],
                      tf_body=lambda a, b, ax=ax, ay=ay: tf.linalg.matmul(a, b, adjoint_a=ax, adjoint_b=ay)))
    s.append(Spec("softmax_rank3", "SOFTMAX over the last axis of [1,4,10].", [In([4, 10], Uniform(-4, 4))],
                  keras_body=lambda x: L.Softmax(axis=-1)(x)))
    s.append(Spec("softmax_row", "SOFTMAX of one row [1,10].", [In([10], Uniform(-6, 3))],
                  keras_body=lambda x: L.Softmax(axis=-1)(x)))
    s.append(Spec("tanh", "TANH of [1,16].", [In([16], Uniform(-4, 4))],
                  keras_body=lambda x: L.Activation("tanh")(x)))
    s.append(Spec("logistic", "LOGISTIC (sigmoid) of [1,16].", [In([16], Uniform(-8, 8))],
                  keras_body=lambda x: L.Activation("sigmoid")(x)))
    s.append(Spec("transpose", "TRANSPOSE of [1,3,4,5] with perm (0,2,3,1).", [In([3, 4, 5], u)],
                  tf_body=lambda x: tf.transpose(x, (0, 2, 3, 1))))
    s.append(Spec("strided_slice", "STRIDED_SLICE x[:, 1:7:2, ::-1] of [1,8,6], and x[:, 3, 1:5] "
                  "(shrink axis).", [In([8, 6], u)],
                  tf_body=lambda x: (x[:, 1:7:2, ::-1], x[:, 3, 1:5])))
    s.append(Spec("reshape_expand_squeeze", "RESHAPE [1,4,6]→[1,24], ADD, EXPAND_DIMS axis 1, MUL, "
                  "SQUEEZE axis 1 (with arithmetic between so none fold away).", [In([4, 6], u)],
                  tf_body=lambda x: tf.squeeze(
                      tf.expand_dims(tf.reshape(x, [-1, 24]) + tf.linspace(-1.0, 1.0, 24), 1)
                      * tf.linspace(0.5, 2.0, 24), 1),
                  variants=[I8, F, ("_dynamic_int8", "int8", None)]))
    s.append(Spec("squeeze", "MUL by a constant [4], then SQUEEZE axis 2 of [batch, n, 1, 4] with batch and "
                  "n dynamic (with static shapes the converter writes RESHAPE instead; the file's shapes "
                  "hold 1 for both).", [In([None, 1, 4], u)],
                  tf_body=lambda x: tf.squeeze(x * tf.linspace(0.5, 2.0, 4), 2),
                  variants=[("_dynamic_int8", "int8", None), ("_dynamic_float32", "float32", None)]))
    s.append(Spec("zero_point_extremes", "Inputs all ≥ 0 (zero point −128) and all ≤ 0 (zero point "
                  "127) in the representative set: Dense(4)+ReLU on the first, MUL by 0.5 on the second "
                  "(output zero point 127).",
                  [In([6], Uniform(0.0, 3.0)), In([6], Uniform(-3.0, 0.0))],
                  keras_body=lambda a, b: [L.Dense(4, activation="relu")(a), K.multiply(b, 0.5)],
                  variants=[I8]))
    # Composites.
    conv_net = (lambda x: L.Dense(4)(L.GlobalAveragePooling1D()(L.Conv1D(8, 1, activation="relu")(
        L.DepthwiseConv1D(3, padding="same", activation="relu")(
            L.Conv1D(16, 5, padding="same", activation="relu")(x))))))
    s.append(Spec("conv_net", "Conv1D 16×5 → DepthwiseConv1D 3 → Conv1D 8×1 → GlobalAveragePooling1D → "
                  "Dense 4, ReLU between, on [1,64,8].", [In([64, 8], u)], keras_body=conv_net,
                  variants=[("", "int8", 1), F, ("_float_io", "int8_float_io", 1)], examples=3))
    s.append(Spec("embed_conv", "Embedding (500×16) of int32 token ids [1,64] → Conv1D 16×5 ReLU → "
                  "Conv1D 2×3: per-token logits [1,64,2].", [In([64], Ids(500), tf.int32)],
                  keras_body=embed_conv,
                  variants=[("", "int8", 1), F, ("_dynamic", "int8", None)], examples=3))
    s.append(Spec("attention", "Self-attention block on [1,8,16]: x·Wq, x·Wk, x·Wv, q·kᵀ/4 "
                  "(BATCH_MATMUL), SOFTMAX, ·v, residual ADD.", [In([8, 16], u)],
                  keras_body=attention_block,
                  variants=[("", "int8", 1), F, ("_dynamic", "int8", None)], examples=3))
    s.append(Spec("two_input", "Two inputs a [1,6,8], b [1,4,8]: MEAN of a over axis 1 (keepdims), "
                  "broadcast ADD onto b, CONCATENATION with the mean on axis 1 → [1,5,8].",
                  [In([6, 8], u), In([4, 8], Uniform(-2.0, 3.0))],
                  keras_body=lambda a, b: L.Concatenate(axis=1)(
                      [K.mean(a, axis=1, keepdims=True), K.add(b, K.mean(a, axis=1, keepdims=True))]),
                  variants=[("", "int8", 1), F]))
    s.append(Spec("float_io", "MLP Dense 16 ReLU → Dense 3 on [1,8], int8 with float input and output "
                  "(the converter's default: QUANTIZE → … → DEQUANTIZE).", [In([8], Uniform(-2, 2))],
                  keras_body=lambda x: L.Dense(3)(L.Dense(16, activation="relu")(x)),
                  variants=[("", "int8_float_io", 1)]))
    s.append(Spec("sine", "Sine regression like TFLM's hello_world: Dense 16 ReLU → Dense 16 ReLU → "
                  "Dense 1 on one real x in [0, 2π] (the last layer least-squares fitted to sin x), "
                  "int8 with float input and output (QUANTIZE → FULLY_CONNECTED ×3 → DEQUANTIZE): the "
                  "app's live compare sweeps it.", [In([1], Uniform(0.0, TWO_PI))],
                  keras_body=lambda x: L.Dense(1)(L.Dense(16, activation="relu")(
                      L.Dense(16, activation="relu")(x))),
                  post=fit_sine, variants=[("_float_io", "int8_float_io", 1)], examples=4,
                  input_levels=True))
    return s


# ---- conversion ------------------------------------------------------------------------------


def concrete_function(spec: Spec, batch):
    """The model as a concrete function with batch 1 (static shapes) or None (dynamic batch)."""
    keras.backend.clear_session()  # layer names (stored in the .tflite) restart for every model
    keras.utils.set_random_seed(seed_of(spec.base))
    sig = [tf.TensorSpec([batch] + i.shape, i.dtype, name=f"in{k}") for k, i in enumerate(spec.inputs)]
    if spec.keras_body is not None:
        ins = [keras.Input(shape=tuple(i.shape), batch_size=batch, dtype=i.dtype.name) for i in spec.inputs]
        model = keras.Model(ins, spec.keras_body(*ins))
        (spec.post or randomize_biases)(model, np.random.default_rng(seed_of(spec.base) + 1))

        def call(*xs):
            return model(list(xs) if len(xs) > 1 else xs[0], training=False)

        fn = tf.function(call, input_signature=sig).get_concrete_function()
        # Weights become constants: the converter then sees no resource variables.
        return convert_variables_to_constants_v2(fn), model
    fn = tf.function(spec.tf_body, input_signature=sig).get_concrete_function()
    return convert_variables_to_constants_v2(fn), tf.Module()


def convert(spec: Spec, mode: str, batch) -> bytes:
    fn, trackable = concrete_function(spec, batch)
    conv = tf.lite.TFLiteConverter.from_concrete_functions([fn], trackable)
    if mode != "float32":
        rng = np.random.default_rng(seed_of(spec.base) + 2)

        def representative():  # by input name: the converter may order the inputs differently
            for _ in range(CALIBRATION_SAMPLES):
                yield {f"in{k}": i.dist.sample(rng, [1] + i.concrete_shape) for k, i in enumerate(spec.inputs)}

        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.representative_dataset = representative
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        if mode == "int8":
            conv.inference_input_type = tf.int8
            conv.inference_output_type = tf.int8
    return conv.convert()


# ---- examples and oracle runs ----------------------------------------------------------------


def tensor_details(data: bytes, kind: str) -> list:
    """dtype, shape and quantization of each model input or output, from the flatbuffer."""
    model = lib.model_object(data)
    sg = model.subgraphs[0]
    names = {0: "float32", 2: "int32", 9: "int8", 7: "int16", 3: "uint8", 4: "int64", 6: "bool"}
    out = []
    for t in sg.inputs if kind == "inputs" else sg.outputs:
        tensor = sg.tensors[t]
        d = {"name": tensor.name.decode(), "dtype": names.get(tensor.type, f"tflite-type-{tensor.type}"),
             "shape": [int(x) for x in tensor.shape]}
        sig = tensor.shapeSignature
        if sig is not None and any(int(x) < 0 for x in sig):
            d["shapeSignature"] = [int(x) for x in sig]
        q = tensor.quantization
        if q is not None and q.scale is not None and len(q.scale) > 0:
            d["scale"] = float(q.scale[0])
            d["zeroPoint"] = int(q.zeroPoint[0])
        out.append(d)
    return out


def make_examples(spec: Spec, details: list, rng, count: int) -> list:
    """Seeded inputs: real values from each input's distribution (1.25× wider, so some saturate),
    quantized as the model's input; example 0 and 1 hold the int8 extremes −128 and 127 (or the
    id range's ends, or float values 1.5× beyond the calibration range)."""
    examples = []
    for k in range(count):
        ex = []
        for d in details:  # in the model's input order; "serving_default_in<k>:0" is spec input k
            m = re.search(r"in(\d+)(:\d+)?$", d["name"])
            assert m, f"input tensor name {d['name']!r} does not name its spec input"
            inp = spec.inputs[int(m.group(1))]
            shape = d["shape"]
            if isinstance(inp.dist, Ids):
                x = inp.dist.sample(rng, shape)
                if k == 0:
                    x.reshape(-1)[0], x.reshape(-1)[-1] = 0, inp.dist.n - 1
            else:
                mid, half = (inp.dist.lo + inp.dist.hi) / 2, (inp.dist.hi - inp.dist.lo) / 2
                x = rng.uniform(mid - 1.25 * half, mid + 1.25 * half, size=shape).astype(np.float32)
                if d["dtype"] == "int8":
                    q = np.round(x / d["scale"]) + d["zeroPoint"]
                    x = np.clip(q, -128, 127).astype(np.int8)
                    if k < 2:
                        lo, hi = (-128, 127) if k == 0 else (127, -128)
                        x.reshape(-1)[0], x.reshape(-1)[-1] = lo, hi
                elif k == 0:
                    x.reshape(-1)[0] = mid - 1.5 * half
                    x.reshape(-1)[-1] = mid + 1.5 * half
            assert str(x.dtype) == d["dtype"], (spec.base, x.dtype, d)
            ex.append(x)
        examples.append(ex)
    return examples


def input_levels(data: bytes) -> dict:
    """The quantization of the QUANTIZE op that reads the model's only (float32) input: the int8
    range the network sees. Examples: every level q in [-128, 127] as the float32 real value
    scale × (q − zero_point), in order."""
    model = lib.model_object(data)
    sg = model.subgraphs[0]
    assert len(sg.inputs) == 1, "input levels need a single-input model"
    (tin,) = sg.inputs
    for op in sg.operators:
        if lib.builtin_name(model, op) == "QUANTIZE" and int(op.inputs[0]) == int(tin):
            out = sg.tensors[op.outputs[0]]
            scale = float(np.float32(out.quantization.scale[0]))
            zp = int(out.quantization.zeroPoint[0])
            assert sg.tensors[tin].type == 0 and out.type == 9, "QUANTIZE float32 → int8 expected"
            return {"tensor": out.name.decode(), "scale": scale, "zeroPoint": zp}
    raise AssertionError("no QUANTIZE reads the model's input")


def level_examples(levels: dict, shape: list) -> list:
    return [[np.full(shape, np.float32(levels["scale"] * (q - levels["zeroPoint"])), np.float32)]
            for q in range(-128, 128)]


def describe_difference(a: list, b: list) -> str:
    parts = []
    for i, (x, y) in enumerate(zip(a, b)):
        if x.tobytes() == y.tobytes():
            continue
        n = int(np.sum(x.reshape(-1) != y.reshape(-1)))
        if x.dtype == np.float32:
            xi = x.view(np.int32).astype(np.int64)
            yi = y.view(np.int32).astype(np.int64)
            ulp = int(np.max(np.abs(np.where(xi < 0, -2**31 - xi, xi) - np.where(yi < 0, -2**31 - yi, yi))))
            parts.append(f"output {i}: {n} of {x.size} values differ, at most {ulp} ulp")
        else:
            diff = int(np.max(np.abs(x.astype(np.int64) - y.astype(np.int64))))
            parts.append(f"output {i}: {n} of {x.size} values differ, at most {diff} raw")
    return "; ".join(parts)


def run_both(data: bytes, examples: list) -> dict:
    """Runs TFLM (the oracle when it can) and BUILTIN_REF on every example."""
    ref = [lib.run_tflite_ref(data, ex) for ex in examples]
    try:
        tflm = [lib.run_tflm(data, ex) for ex in examples]
    except Exception as e:  # TFLM refused the model: its message says why
        msg = " ".join(str(e).split())[:300]
        return {"oracle": "tflite-ref", "oracleReason": f"TFLM cannot run this model: {msg}",
                "outputs": ref}
    diffs = [describe_difference(t, r) for t, r in zip(tflm, ref)]
    agree = all(lib.same_bytes(t, r) for t, r in zip(tflm, ref))
    result = {"oracle": "tflm", "oracleReason": "TFLM's Python interpreter runs every op of the model.",
              "tfliteRefAgrees": agree, "outputs": tflm}
    if not agree:
        first = next(k for k, d in enumerate(diffs) if d)
        result["tfliteRefDifference"] = "; ".join(
            f"example {k}: {d}" for k, d in enumerate(diffs) if d) + (
            f". First op whose output differs (example {first}): "
            f"{lib.first_divergence(data, examples[first])}.")
    return result


def write_fixture(name, description, tflite_rel, data, examples, extra=None) -> dict:
    run = run_both(data, examples)
    doc = {
        "name": name,
        "description": description,
        "tflite": tflite_rel,
        "tfliteSha256": lib.sha256(data),
        "ops": lib.op_names(data),
        "oracle": run["oracle"],
        "oracleReason": run["oracleReason"],
    }
    if "tfliteRefAgrees" in run:
        doc["tfliteRefAgrees"] = run["tfliteRefAgrees"]
        if "tfliteRefDifference" in run:
            doc["tfliteRefDifference"] = run["tfliteRefDifference"]
    doc.update(extra or {})
    doc["inputTensors"] = tensor_details(data, "inputs")
    doc["outputTensors"] = tensor_details(data, "outputs")
    doc["inputs"] = [[lib.encode(x) for x in ex] for ex in examples]
    doc["outputs"] = [[lib.encode(y) for y in out] for out in run["outputs"]]
    lib.write_json(os.path.join(lib.FIXTURES, f"{name}.json"), doc)
    status = doc["oracle"] + ("" if doc.get("tfliteRefAgrees", True) else " (BUILTIN_REF differs)")
    print(f"{name}: {len(data)} B, ops {' '.join(doc['ops'])}; {status}", flush=True)
    return {"name": name, "json": f"tests/fixtures/oracle/{name}.json", "tflite": tflite_rel,
            "ops": doc["ops"], "oracle": doc["oracle"]}


def build_hello_world() -> dict:
    with open(os.path.join(lib.REPO, HELLO_WORLD), "rb") as f:
        data = f.read()
    examples = [[np.array([[v]], dtype=np.int8)] for v in (-96, -63, -34, 0)]
    return write_fixture("hello_world", "TFLM's own hello_world_int8.tflite (sine regression: "
                         "FULLY_CONNECTED ×3), with the inputs of TFLM's hello_world test.",
                         HELLO_WORLD, data, examples)


def main(filters):
    os.makedirs(lib.FIXTURES, exist_ok=True)
    entries = []
    if not filters or any(f in "hello_world" for f in filters):
        entries.append(build_hello_world())
    for spec in specs():
        for suffix, mode, batch in spec.variants:
            name = spec.base + suffix
            if filters and not any(f in name for f in filters):
                continue
            data = convert(spec, mode, batch)
            rel = f"tests/fixtures/oracle/{name}.tflite"
            with open(os.path.join(lib.REPO, rel), "wb") as f:
                f.write(data)
            details = tensor_details(data, "inputs")
            rng = np.random.default_rng(seed_of(name) + 3)
            examples = make_examples(spec, details, rng, spec.examples)
            extra = {"conversion": mode, "dynamicBatch": batch is None}
            if spec.input_levels:
                levels = input_levels(data)
                extra["inputLevels"] = {**levels, "firstExample": len(examples)}
                examples += level_examples(levels, details[0]["shape"])
            conversion = {"int8": "int8 full-integer, int8 input and output",
                          "int8_float_io": "int8 full-integer, float input and output",
                          "float32": "float32"}[mode]
            batch_note = "fixed batch 1" if batch == 1 else "dynamic batch (converted with batch None)"
            entries.append(write_fixture(name, f"{spec.description} Converted {conversion}, "
                                         f"{batch_note}.", rel, data, examples, extra))
    if filters:  # a partial build keeps the other entries of the index
        old = {e["name"]: e for e in read_index()}
        old.update({e["name"]: e for e in entries})
        entries = sorted(old.values(), key=lambda e: e["name"])
    else:
        entries.sort(key=lambda e: e["name"])
    lib.write_json(lib.INDEX, {
        "generator": "tests/oracle/build_fixtures.py",
        "versions": versions(),
        "fixtures": entries,
    })


def read_index():
    if not os.path.exists(lib.INDEX):
        return []
    import json

    with open(lib.INDEX) as f:
        return json.load(f)["fixtures"]


def versions() -> dict:
    from importlib.metadata import version

    return {p: version(p) for p in ("tensorflow-cpu", "tflite-micro", "keras", "numpy")}


if __name__ == "__main__":
    main(sys.argv[1:])
