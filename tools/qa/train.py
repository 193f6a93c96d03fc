"""Trains TinyTwin's question-answering model and converts it as users convert theirs (docs/qa.md §7).

    .venv/bin/python tools/qa/train.py [--data .cache/qa] [--out src/lib/demos/qa/model]
        [--weights .cache/qa/qa.weights.h5] [--epochs 6] [--seed N] [--keep-last]
        [--logit-penalty W [--logit-bound B]] [--logit-center W] [--entropy W] [--range-penalty W]
        [--qat | --consistency W] [--qat-from EPOCH] [--channels C] [--dilations 1,2,4,8] [--no-residual]

Input: the records scripts/qa-dataset.ts writes from SQuAD v1.1 dev with TinyTwin's own tokenizer and
features (train and tune articles only; the held-out articles are never read here). Output:
qa_float.tflite (float32, the browser's float reference) and qa_int8.tflite (full-integer int8 PTQ
with int8 I/O, the model the board runs), plus train.json (settings, versions, per-epoch losses).

The model: hashed token embeddings (4097 x 16, id 0 is padding) shared by passage and question, the
question summarised as the mean of its masked embeddings with its type, broadcast over the passage
(added to the first convolution and multiplied into the token embeddings), the six token features,
then 1-D convolutions with dilations 1, 2, 4, 8 and residual additions, ReLU only; a start and an end
logit per passage position. Every op is one TinyTwin runs bit-exact with TFLM.
Seeded; the weights kept are those of the epoch with the best span F1 on the tune articles.

Options tried for the int8 / float top-span agreement (docs/qa.md §7; the default recipe uses none,
and none was clearly better on the tune articles). All act in training only: the model saved and
converted is the plain build() with the same weights (plain float ops in qa_float.tflite, the same
full-int8 PTQ for qa_int8.tflite). --logit-penalty W adds W x mean(max(|logit| - B, 0)^2) (B from
--logit-bound, default 0); --logit-center W adds W x each window's logsumexp squared; --entropy W adds W
x the entropy of the start and end distributions; --range-penalty W adds W x max / rms of the model
input x, the residual stream and the logits. --qat fake-quantizes (8 bits, ranges kept as moving
averages of batch min / max, straight-through gradients) x, the residual stream and the logits from
epoch --qat-from on; --consistency W instead runs a second, fake-quantized copy of the convolution
tower (the same layers) and adds W x KL(float span distribution || fake-quantized one). --seed changes
the training seed (the representative set stays seeded by the default); --channels, --dilations (the
first is conv0's, the rest one residual block each) and --no-residual change the architecture (saved
in train.json; agreement.py's numpy replay knows the default one only); --keep-last keeps the last
epoch instead of the best on tune span F1.
"""

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from keras import layers, ops  # noqa: E402
from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2  # noqa: E402

SEED = 20261205
EMBED = 16
CHANNELS = 48
DILATIONS = (1, 2, 4, 8)
EPOCHS = 6
BATCH = 64
LEARNING_RATE = 2e-3
DROPOUT = 0.25


def read_records(path, meta):
    L, Q, F, T = meta["passageLength"], meta["questionLength"], meta["features"], meta["questionTypes"]
    rec = np.dtype(
        [
            ("ids", "<i4", (L,)),
            ("feats", "i1", (L, F)),
            ("qids", "<i4", (Q,)),
            ("qmask", "i1", (Q,)),
            ("qtype", "i1", (T,)),
            ("start", "<i2"),
            ("end", "<i2"),
        ]
    )
    assert rec.itemsize == meta["recordBytes"], "record layout differs from scripts/qa-dataset.ts"
    r = np.fromfile(path, dtype=rec)
    x = [
        r["ids"],
        r["feats"].astype(np.float32),
        r["qids"],
        r["qmask"].astype(np.float32),
        r["qtype"].astype(np.float32),
    ]
    return x, r["start"].astype(np.int32), r["end"].astype(np.int32)


def span_f1(model, x, start, end, max_tokens=30):
    """Token-overlap F1 (percent) of the best span (start <= end < start + max_tokens, real tokens only)
    against the answer's tokens: the tune articles' stopping criterion, on token indices only."""
    s, e = model.predict(x, batch_size=256, verbose=0)
    L = s.shape[1]
    i, j = np.meshgrid(np.arange(L), np.arange(L), indexing="ij")
    allowed = (j >= i) & (j < i + max_tokens)
    total = 0.0
    for k in range(len(start)):
        n = int((x[0][k] != 0).sum())
        score = s[k][:, None] + e[k][None, :]
        ok = allowed & (i < n) & (j < n)
        b = np.argmax(np.where(ok, score, -np.inf))
        ps, pe = divmod(int(b), L)
        overlap = max(0, min(pe, end[k]) - max(ps, start[k]) + 1)
        if overlap:
            p, r = overlap / (pe - ps + 1), overlap / (end[k] - start[k] + 1)
            total += 2 * p * r / (p + r)
    return 100 * total / len(start)


class FakeQuant(layers.Layer):
    """Quantization-aware training: in training, 8-bit fake quantization of its input over a range
    kept as moving averages of the batches' min and max (always including 0), with straight-through
    gradients, once `on` is set; outside training the identity. Only the trained model has these
    layers: the saved and converted model is build() without them, the same weights copied by name."""

    def __init__(self, momentum=0.99, **kw):
        super().__init__(**kw)
        self.momentum = momentum

    def build(self, shape):
        self.lo = self.add_weight(shape=(), initializer="zeros", trainable=False, name="lo")
        self.hi = self.add_weight(shape=(), initializer="zeros", trainable=False, name="hi")
        self.seen = self.add_weight(shape=(), initializer="zeros", trainable=False, name="seen")
        self.on = self.add_weight(shape=(), initializer="zeros", trainable=False, name="on")

    def call(self, x, training=False):
        if not training:
            return x
        m = tf.where(self.seen > 0, self.momentum, 0.0)
        lo = m * self.lo + (1 - m) * tf.minimum(tf.stop_gradient(tf.reduce_min(x)), 0.0)
        hi = m * self.hi + (1 - m) * tf.maximum(tf.stop_gradient(tf.reduce_max(x)), 1e-3)
        self.lo.assign(lo)
        self.hi.assign(hi)
        self.seen.assign(self.seen + 1)
        q = tf.quantization.fake_quant_with_min_max_vars(x, lo, hi, num_bits=8)
        return x + tf.convert_to_tensor(self.on) * (q - x)


class LogitPenalty(layers.Layer):
    """In training, adds weight x mean(max(|x| - bound, 0)^2) (with bound 0, the mean square) and
    center x mean(logsumexp(x)^2) over the passage positions (the top logit held near 0 in every
    window) to the loss; the identity otherwise."""

    def __init__(self, weight, bound=0.0, center=0.0, **kw):
        super().__init__(**kw)
        self.weight = weight
        self.bound = bound
        self.center = center

    def call(self, x, training=False):
        if training and self.weight > 0:
            self.add_loss(self.weight * ops.mean(ops.square(ops.relu(ops.abs(x) - self.bound))))
        if training and self.center > 0:
            z = ops.logsumexp(ops.reshape(x, (-1, x.shape[2])), axis=1)
            self.add_loss(self.center * ops.mean(ops.square(z)))
        return x


class RangePenalty(layers.Layer):
    """In training, adds weight x max|x| / rms(x) over the batch to the loss (a per-tensor int8 range set
    by a few outliers leaves the typical values few steps); the identity otherwise."""

    def __init__(self, weight, **kw):
        super().__init__(**kw)
        self.weight = weight

    def call(self, x, training=False):
        if training:
            rms = ops.sqrt(ops.mean(ops.square(x)) + 1e-6)
            self.add_loss(self.weight * ops.max(ops.abs(x)) / rms)
        return x


class EntropyPenalty(layers.Layer):
    """In training, adds weight x the mean entropy of softmax(x) over the passage positions: a model
    decided between its top positions leaves fewer near-ties for quantization to flip."""

    def __init__(self, weight, **kw):
        super().__init__(**kw)
        self.weight = weight

    def call(self, x, training=False):
        if training:
            z = ops.reshape(x, (-1, x.shape[2]))
            lp = z - ops.logsumexp(z, axis=1, keepdims=True)
            self.add_loss(self.weight * ops.mean(-ops.sum(ops.exp(lp) * lp, axis=1)))
        return x


class Consistency(layers.Layer):
    """In training, adds weight x KL(softmax(float) || softmax(quantized)) over the passage positions
    (mean over the batch) to the loss; returns the float logits."""

    def __init__(self, weight, **kw):
        super().__init__(**kw)
        self.weight = weight

    def call(self, xs, training=False):
        f, q = xs
        if training:
            f2 = ops.reshape(f, (-1, f.shape[2]))
            q2 = ops.reshape(q, (-1, q.shape[2]))
            lf = f2 - ops.logsumexp(f2, axis=1, keepdims=True)
            lq = q2 - ops.logsumexp(q2, axis=1, keepdims=True)
            self.add_loss(self.weight * ops.mean(ops.sum(ops.exp(lf) * (lf - lq), axis=1)))
        return f


class HashedEmbedding(layers.Layer):
    """An embedding table read with a plain tf.gather: one GATHER in the .tflite. (Keras' Embedding
    also maps negative ids, which adds LESS / ADD / SELECT_V2 that TFLM's interpreter cannot run;
    bucket ids are never negative.)"""

    def __init__(self, rows, dim, **kw):
        super().__init__(**kw)
        self.table = self.add_weight(shape=(rows, dim), initializer="uniform", name="table")

    def call(self, ids):
        return tf.gather(self.table, ids)


def build(
    meta,
    batch=None,
    qat=False,
    logit_penalty=0.0,
    logit_bound=0.0,
    logit_center=0.0,
    consistency=0.0,
    range_penalty=0.0,
    entropy=0.0,
    channels=CHANNELS,
    dilations=DILATIONS,
    residual=True,
):
    """The model. The options add training-only layers (identities outside training, and without weights
    of the model's own): the default build() is the model that is saved and converted. qat fake-quantizes
    the residual stream and logits; consistency > 0 instead adds a second, fake-quantized copy of the
    convolution tower (the same layers) and a loss of that weight on the KL divergence of its span
    distributions from the float tower's."""
    ident = lambda name: lambda t: t  # noqa: E731
    fakeq = lambda name: FakeQuant(name=name)  # noqa: E731
    fq = fakeq if qat and not consistency else ident
    if range_penalty > 0:
        inner = fq
        fq = lambda name: (lambda t: inner(name)(RangePenalty(range_penalty)(t)))  # noqa: E731
    pen = (
        (lambda: LogitPenalty(logit_penalty, logit_bound, logit_center))
        if logit_penalty > 0 or logit_center > 0
        else (lambda: lambda t: t)
    )
    L, Q, F, T, B = (
        meta["passageLength"],
        meta["questionLength"],
        meta["features"],
        meta["questionTypes"],
        meta["buckets"],
    )
    ids = keras.Input((L,), dtype="int32", name="passage_ids", batch_size=batch)
    feats = keras.Input((L, F), name="passage_features", batch_size=batch)
    qids = keras.Input((Q,), dtype="int32", name="question_ids", batch_size=batch)
    qmask = keras.Input((Q,), name="question_mask", batch_size=batch)
    qtype = keras.Input((T,), name="question_type", batch_size=batch)

    emb = HashedEmbedding(B + 1, EMBED, name="buckets")
    pe = layers.Dropout(DROPOUT, noise_shape=(None, L, 1))(emb(ids))  # whole tokens dropped in training
    qe = emb(qids)
    qsum = ops.mean(qe * ops.expand_dims(qmask, -1), axis=1)  # [E], padding masked out
    qv = layers.Dense(32, activation="relu", name="question")(layers.Concatenate()([qsum, qtype]))
    match = pe * ops.expand_dims(qsum, 1)  # token embedding x question summary
    x = layers.Concatenate()([pe, feats, match])
    # 1-D convolutions written as 1 x k Conv2D on [1, L, C]: TFLite keeps a dilated Conv2D one CONV_2D
    # (a dilated Conv1D becomes SPACE_TO_BATCH_ND / BATCH_TO_SPACE_ND around it).
    x = layers.Reshape((1, L, EMBED + F + EMBED))(x)
    conv0 = layers.Conv2D(channels, (1, 3), padding="same", name="conv0")
    h = conv0(fq("fq_x")(x))
    qb = layers.Reshape((1, 1, channels))(layers.Dense(channels, name="question_bias")(qv))
    convs = {}
    heads = {}

    def tower(h, fq, penalise=True):
        h = fq("fq_h0")(layers.ReLU()(h + qb))
        for d in dilations[1:]:
            if d not in convs:
                convs[d] = layers.Conv2D(
                    channels, (1, 3), padding="same", dilation_rate=(1, d), activation="relu", name=f"conv_d{d}"
                )
            c = fq(f"fq_c{d}")(convs[d](h))
            h = fq(f"fq_h{d}")(h + c) if residual else c
        out = []
        for w in ("start", "end"):
            heads.setdefault(w, layers.Conv2D(1, 1, name=w))
            t = heads[w](h)
            if entropy > 0 and penalise:
                t = EntropyPenalty(entropy)(t)
            out.append(fq(f"fq_{w}")(pen()(t) if penalise else t))
        return out

    s, e = tower(h, fq)
    if consistency > 0:
        sq, eq = tower(conv0(fakeq("fq_x")(x)), fakeq, penalise=False)
        s = Consistency(consistency)([s, sq])
        e = Consistency(consistency)([e, eq])
    start = layers.Reshape((L,), name="start_logits")(s)
    end = layers.Reshape((L,), name="end_logits")(e)
    return keras.Model([ids, feats, qids, qmask, qtype], [start, end])


def positive_int(text):
    """--channels: a whole number of 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"give a whole number of 1 or more, not {text!r}")
    return int(text)


def dilation_list(text):
    """--dilations: positive whole numbers separated by commas, e.g. 1,2,4,8."""
    try:
        values = tuple(int(d) for d in text.split(","))
    except ValueError:
        values = ()
    if not values or any(d < 1 for d in values):
        raise argparse.ArgumentTypeError(
            f"give positive whole numbers separated by commas (e.g. 1,2,4,8), not {text!r}"
        )
    return values


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=".cache/qa")
    p.add_argument("--out", default="src/lib/demos/qa/model")
    p.add_argument("--epochs", type=int, default=EPOCHS)
    p.add_argument("--weights", default=".cache/qa/qa.weights.h5", help="where to keep the kept Keras weights")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--keep-last", action="store_true", help="keep the last epoch, not the best on tune F1")
    p.add_argument(
        "--qat", action="store_true", help="fake-quantize the model input x, the residual stream and the logits"
    )
    p.add_argument("--qat-from", type=int, default=1, help="first epoch trained with fake quantization")
    p.add_argument("--logit-penalty", type=float, default=0.0, help="weight of the logits' square beyond the bound")
    p.add_argument("--logit-bound", type=float, default=0.0, help="penalise only |logit| beyond this")
    p.add_argument("--entropy", type=float, default=0.0, help="weight of the span distributions' entropy")
    p.add_argument("--range-penalty", type=float, default=0.0, help="weight of max / rms of x, stream and logits")
    p.add_argument("--consistency", type=float, default=0.0, help="weight of the float / fake-quantized KL")
    p.add_argument("--channels", type=positive_int, default=CHANNELS, help="channels of the convolution tower")
    p.add_argument(
        "--dilations", type=dilation_list, default=DILATIONS, help="comma-separated dilations, the first one conv0's"
    )
    p.add_argument("--no-residual", action="store_true", help="blocks without the residual add")
    p.add_argument("--logit-center", type=float, default=0.0, help="weight of each window's logsumexp squared")
    a = p.parse_args()
    arch = {
        "channels": a.channels,
        "dilations": a.dilations,
        "residual": not a.no_residual,
    }
    meta = json.load(open(os.path.join(a.data, "meta.json")))
    keras.utils.set_random_seed(a.seed)
    tf.config.experimental.enable_op_determinism()
    xtr, str_, etr = read_records(os.path.join(a.data, "train.bin"), meta)
    xtu, stu, etu = read_records(os.path.join(a.data, "tune.bin"), meta)
    model = build(
        meta,
        qat=a.qat,
        logit_penalty=a.logit_penalty,
        logit_bound=a.logit_bound,
        logit_center=a.logit_center,
        consistency=a.consistency,
        range_penalty=a.range_penalty,
        entropy=a.entropy,
        **arch,
    )
    fakequant = [layer for layer in model.layers if isinstance(layer, FakeQuant)]
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(keras.optimizers.Adam(LEARNING_RATE), loss=[loss, loss])
    print(f"train {len(str_)} records, tune {len(stu)}; {model.count_params()} parameters", flush=True)
    history = []
    best = (float("inf"), None, 0)
    for epoch in range(1, a.epochs + 1):
        for layer in fakequant:
            layer.on.assign(1.0 if epoch >= a.qat_from else 0.0)
        h = model.fit(xtr, [str_, etr], batch_size=BATCH, epochs=1, verbose=0, shuffle=True)
        tune = model.evaluate(xtu, [stu, etu], batch_size=256, verbose=0)
        tune_loss = float(tune[0] if isinstance(tune, list) else tune)
        tune_f1 = span_f1(model, xtu, stu, etu)
        history.append(
            {"epoch": epoch, "trainLoss": float(h.history["loss"][0]), "tuneLoss": tune_loss, "tuneSpanF1": tune_f1}
        )
        print(
            f"epoch {epoch}: train loss {history[-1]['trainLoss']:.4f}, tune loss {tune_loss:.4f}, "
            f"tune span F1 {tune_f1:.1f}",
            flush=True,
        )
        if -tune_f1 < best[0] or (a.keep_last and epoch == a.epochs):
            best = (-tune_f1, model.get_weights(), epoch)
    model.set_weights(best[1])
    if a.qat or a.logit_penalty or a.logit_center or a.consistency or a.range_penalty or a.entropy:
        # The model without its training-only layers, the same weights (copied layer by layer, by name).
        trained = model
        model = build(meta, **arch)
        for layer in model.layers:
            if layer.weights:
                layer.set_weights(trained.get_layer(layer.name).get_weights())
    os.makedirs(a.out, exist_ok=True)
    # The kept float weights (not committed): tools/qa/agreement.py replays the model from them.
    model.save_weights(a.weights)

    # Converted with batch 1, as a board runs it: with a dynamic batch the converter lowers a dilated
    # convolution to SPACE_TO_BATCH_ND / CONV_2D / BATCH_TO_SPACE_ND.
    one = build(meta, batch=1, **arch)
    one.set_weights(model.get_weights())
    names = [i.name for i in one.inputs]
    sig = [tf.TensorSpec(list(i.shape), i.dtype, name=n) for i, n in zip(one.inputs, names)]
    fn = tf.function(lambda *xs: one(list(xs), training=False), input_signature=sig).get_concrete_function()
    fn = convert_variables_to_constants_v2(fn)  # weights as constants: no resource variables

    # The browser's float reference: the trained float weights, converted without quantization.
    conv = tf.lite.TFLiteConverter.from_concrete_functions([fn], one)
    open(os.path.join(a.out, "qa_float.tflite"), "wb").write(conv.convert())

    # The board's model: full-integer int8 post-training quantization, int8 I/O (ids stay int32).
    rng = np.random.default_rng(SEED)  # the same representative set whatever the training seed
    pick = rng.choice(len(str_), size=min(500, len(str_)), replace=False)

    def representative():
        for i in pick:
            yield {n: xtr[k][i : i + 1] for k, n in enumerate(names)}

    conv = tf.lite.TFLiteConverter.from_concrete_functions([fn], one)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    int8 = conv.convert()
    open(os.path.join(a.out, "qa_int8.tflite"), "wb").write(int8)

    info = {
        "script": "tools/qa/train.py",
        "data": "scripts/qa-dataset.ts on SQuAD v1.1 dev, train and tune articles (src/lib/qa/split.ts)",
        "seed": a.seed,
        **({"qat": {"from": a.qat_from, "tensors": "x, h0, c2, h2, c4, h4, c8, h8, logits"}} if a.qat else {}),
        **({"logitPenalty": {"weight": a.logit_penalty, "bound": a.logit_bound}} if a.logit_penalty else {}),
        **({"logitCenter": a.logit_center} if a.logit_center else {}),
        **({"entropy": a.entropy} if a.entropy else {}),
        **({"rangePenalty": a.range_penalty} if a.range_penalty else {}),
        **({"consistency": {"weight": a.consistency, "from": a.qat_from}} if a.consistency else {}),
        "embed": EMBED,
        "channels": arch["channels"],
        "dilations": list(arch["dilations"]),
        **({"residual": False} if not arch["residual"] else {}),
        "batch": BATCH,
        "learningRate": LEARNING_RATE,
        "dropout": DROPOUT,
        "epochs": a.epochs,
        "bestEpoch": best[2],
        "parameters": int(model.count_params()),  # the converted model's
        "records": {"train": int(len(str_)), "tune": int(len(stu))},
        "history": history,
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__, "numpy": np.__version__},
        "int8Bytes": len(int8),
    }
    json.dump(info, open(os.path.join(a.out, "train.json"), "w"), indent="\t")
    print(f"best epoch {best[2]}; int8 model {len(int8)} bytes → {a.out}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
