"""Trains TinyTwin's question-answering model and converts it as users convert theirs (docs/qa.md §7).

    .venv/bin/python tools/qa/train.py [--data .cache/qa] [--out src/lib/demos/qa/model] [--qat N]

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


class HashedEmbedding(layers.Layer):
    """An embedding table read with a plain tf.gather: one GATHER in the .tflite. (Keras' Embedding
    also maps negative ids, which adds LESS / ADD / SELECT_V2 that TFLM's interpreter cannot run;
    bucket ids are never negative.)"""

    def __init__(self, rows, dim, **kw):
        super().__init__(**kw)
        self.table = self.add_weight(shape=(rows, dim), initializer="uniform", name="table")

    def call(self, ids):
        return tf.gather(self.table, ids)


class FakeQuant(layers.Layer):
    """Quantization-aware training (--qat): the tensor fake-quantized to int8 with its own range, a
    moving average of the batch min and max (as the converter's representative set would see it),
    straight-through gradients. Active only while FakeQuant.on is set: the exported float and int8
    models are built with it off, so they hold no fake-quantization op."""

    on = False

    def __init__(self, momentum=0.99, **kw):
        super().__init__(**kw)
        self.momentum = momentum

    def build(self, shape):
        self.lo = self.add_weight(shape=(), initializer="zeros", trainable=False, name="lo")
        self.hi = self.add_weight(shape=(), initializer="zeros", trainable=False, name="hi")
        self.seen = self.add_weight(shape=(), initializer="zeros", trainable=False, name="seen")

    def call(self, x, training=None):
        if not FakeQuant.on:
            return x
        if training:
            lo = tf.minimum(tf.reduce_min(x), 0.0)
            hi = tf.maximum(tf.reduce_max(x), 0.0)
            m = tf.where(self.seen > 0, self.momentum, 0.0)
            self.lo.assign(m * self.lo + (1 - m) * lo)
            self.hi.assign(m * self.hi + (1 - m) * hi)
            self.seen.assign(1.0)
        return tf.quantization.fake_quant_with_min_max_vars(x, self.lo, self.hi + 1e-6, num_bits=8)


def build(meta, batch=None, qat=False):
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
    h = layers.Conv2D(CHANNELS, (1, 3), padding="same", name="conv0")(x)
    qb = layers.Reshape((1, 1, CHANNELS))(layers.Dense(CHANNELS, name="question_bias")(qv))
    # With --qat, the residual stream, each block's output and the logits are fake-quantized.
    fq = (lambda name: FakeQuant(name=name)) if qat else (lambda name: lambda t: t)  # noqa: E731
    h = fq("fq_h0")(layers.ReLU()(h + qb))
    for d in DILATIONS[1:]:
        c = layers.Conv2D(
            CHANNELS, (1, 3), padding="same", dilation_rate=(1, d), activation="relu", name=f"conv_d{d}"
        )(h)
        h = fq(f"fq_h{d}")(h + fq(f"fq_c{d}")(c))
    start = layers.Reshape((L,), name="start_logits")(fq("fq_start")(layers.Conv2D(1, 1, name="start")(h)))
    end = layers.Reshape((L,), name="end_logits")(fq("fq_end")(layers.Conv2D(1, 1, name="end")(h)))
    return keras.Model([ids, feats, qids, qmask, qtype], [start, end])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=".cache/qa")
    p.add_argument("--out", default="src/lib/demos/qa/model")
    p.add_argument("--epochs", type=int, default=EPOCHS)
    p.add_argument("--weights", default=".cache/qa/qa.weights.h5", help="where to keep the kept Keras weights")
    p.add_argument("--qat", type=int, default=0, help="epochs of quantization-aware fine-tuning after the kept epoch")
    p.add_argument("--qat-lr", type=float, default=5e-4)
    a = p.parse_args()
    meta = json.load(open(os.path.join(a.data, "meta.json")))
    keras.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    xtr, str_, etr = read_records(os.path.join(a.data, "train.bin"), meta)
    xtu, stu, etu = read_records(os.path.join(a.data, "tune.bin"), meta)
    model = build(meta, qat=a.qat > 0)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(keras.optimizers.Adam(LEARNING_RATE), loss=[loss, loss])
    print(f"train {len(str_)} records, tune {len(stu)}; {model.count_params()} parameters", flush=True)
    history = []
    best = (float("inf"), None, 0)
    for epoch in range(1, a.epochs + 1):
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
        if -tune_f1 < best[0]:
            best = (-tune_f1, model.get_weights(), epoch)
    model.set_weights(best[1])
    if a.qat:
        FakeQuant.on = True
        model.compile(keras.optimizers.Adam(a.qat_lr), loss=[loss, loss])
        for epoch in range(1, a.qat + 1):
            h = model.fit(xtr, [str_, etr], batch_size=BATCH, epochs=1, verbose=0, shuffle=True)
            model.predict_function = None  # traced again with the flag as it is now
            tune_f1 = span_f1(model, xtu, stu, etu)
            FakeQuant.on = False
            model.predict_function = None
            tune_f1_float = span_f1(model, xtu, stu, etu)
            FakeQuant.on = True
            model.train_function = None
            history.append(
                {
                    "qatEpoch": epoch,
                    "trainLoss": float(h.history["loss"][0]),
                    "tuneSpanF1": tune_f1,
                    "tuneSpanF1Float": tune_f1_float,
                }
            )
            print(
                f"qat epoch {epoch}: tune span F1 {tune_f1:.1f} (fake-quantized), {tune_f1_float:.1f} (float)",
                flush=True,
            )
        FakeQuant.on = False
    os.makedirs(a.out, exist_ok=True)
    # The kept float weights (not committed): tools/qa/agreement.py replays the model from them.
    model.save_weights(a.weights)

    # Converted with batch 1, as a board runs it: with a dynamic batch the converter lowers a dilated
    # convolution to SPACE_TO_BATCH_ND / CONV_2D / BATCH_TO_SPACE_ND.
    one = build(meta, batch=1, qat=a.qat > 0)
    one.set_weights(model.get_weights())
    names = [i.name for i in one.inputs]
    sig = [tf.TensorSpec(list(i.shape), i.dtype, name=n) for i, n in zip(one.inputs, names)]
    fn = tf.function(lambda *xs: one(list(xs), training=False), input_signature=sig).get_concrete_function()
    fn = convert_variables_to_constants_v2(fn)  # weights as constants: no resource variables

    # The browser's float reference: the trained float weights, converted without quantization.
    conv = tf.lite.TFLiteConverter.from_concrete_functions([fn], one)
    open(os.path.join(a.out, "qa_float.tflite"), "wb").write(conv.convert())

    # The board's model: full-integer int8 post-training quantization, int8 I/O (ids stay int32).
    rng = np.random.default_rng(SEED)
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
        "seed": SEED,
        "embed": EMBED,
        "channels": CHANNELS,
        "dilations": list(DILATIONS),
        "batch": BATCH,
        "learningRate": LEARNING_RATE,
        "dropout": DROPOUT,
        "epochs": a.epochs,
        "bestEpoch": best[2],
        "parameters": int(model.count_params()),
        "records": {"train": int(len(str_)), "tune": int(len(stu))},
        "history": history,
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__, "numpy": np.__version__},
        "int8Bytes": len(int8),
    }
    if a.qat:
        info["qatEpochs"], info["qatLearningRate"] = a.qat, a.qat_lr
    json.dump(info, open(os.path.join(a.out, "train.json"), "w"), indent="\t")
    print(f"best epoch {best[2]}; int8 model {len(int8)} bytes → {a.out}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
