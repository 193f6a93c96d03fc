"""Why the int8 QA model's top span differs from the float model's (docs/qa.md §7): a diagnosis on the
TUNE articles (never the held-out ones).

    npx tsx tools/qa/split-windows.ts --split tune
    .venv/bin/python tools/qa/agreement.py [--model src/lib/demos/qa/model] [--data .cache/qa]
                                           [--weights .cache/qa/qa.weights.h5] [--split tune]

Runs every window of every question of the split through qa_float.tflite and qa_int8.tflite (TFLite's
interpreter) and takes the best span over windows as src/lib/qa/windows.ts does (first maximum wins).
Reports how often the int8 top span equals the float one, how often the int8 maximum is a tie, and, with
the Keras weights train.py leaves in .cache/qa, a numpy replay of the float model that quantizes one
group of tensors at a time with the int8 model's own scales (fake quantization): which quantization
costs the agreement.
"""

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import train  # noqa: E402

NAMES = ["passage_ids", "passage_features", "question_ids", "question_mask", "question_type"]


def load(data, split):
    meta = json.load(open(os.path.join(data, "meta.json")))
    x, s, e = train.read_records(os.path.join(data, f"windows-{split}.bin"), meta)
    index = json.load(open(os.path.join(data, f"windows-{split}.json")))["questions"]
    return meta, x, s, e, index


def interp(path):
    it = tf.lite.Interpreter(model_path=path, experimental_preserve_all_tensors=True)
    it.allocate_tensors()
    return it


def run_tflite(it, x, keep=()):
    """Outputs (start, end) as real values for every window, and the dequantized tensors in `keep`."""
    ins = it.get_input_details()
    outs = it.get_output_details()
    order = []
    for d in ins:
        k = next(i for i, n in enumerate(NAMES) if n in d["name"])
        order.append(k)
    start_o = next(o for o in outs if o["index"] == head_output(it, "start"))
    end_o = next(o for o in outs if o["index"] == head_output(it, "end"))
    n = len(x[0])
    S = np.zeros((n, x[0].shape[1]))
    E = np.zeros_like(S)
    kept = {t: [] for t in keep}
    details = it.get_tensor_details()
    for w in range(n):
        for d, k in zip(ins, order):
            v = x[k][w : w + 1].reshape(d["shape"])
            if d["dtype"] == np.int8:
                sc, zp = d["quantization"]
                v = np.clip(np.round(v / sc) + zp, -128, 127).astype(np.int8)
            it.set_tensor(d["index"], v.astype(d["dtype"]))
        it.invoke()
        for o, dst in ((start_o, S), (end_o, E)):
            v = it.get_tensor(o["index"]).reshape(-1).astype(np.float64)
            if o["dtype"] == np.int8:
                sc, zp = o["quantization"]
                v = (v - zp) * sc
            dst[w] = v
        for t in keep:
            d = details[t]
            v = it.get_tensor(t).astype(np.float64)
            if d["dtype"] == np.int8:
                sc, zp = d["quantization"]
                v = (v - zp) * sc
            kept[t].append(v[0])
    return S, E, {t: np.stack(v) for t, v in kept.items()}


def head_output(it, word):
    """The model output whose producing op's output name holds `word` (Keras keeps the layer name)."""
    outs = {o["index"] for o in it.get_output_details()}
    details = it.get_tensor_details()
    for op in it._get_ops_details():
        if op["op_name"] == "RESHAPE" and op["outputs"][0] in outs and word in details[op["inputs"][0]]["name"]:
            return op["outputs"][0]
    raise ValueError(f"no {word} output")


def best_spans(S, E, index, max_tokens=30):
    """Per question: (start token, end token, score, number of distinct spans sharing the top score, the
    set of those spans)."""
    L = S.shape[1]
    i, j = np.meshgrid(np.arange(L), np.arange(L), indexing="ij")
    allowed = (j >= i) & (j < i + max_tokens)
    res = []
    w = 0
    for q in index:
        best = None
        tops = {}
        for start, n in zip(q["starts"], q["tokens"]):
            score = S[w][:, None] + E[w][None, :]
            score = np.where(allowed & (i < n) & (j < n), score, -np.inf)
            b = int(np.argmax(score))
            s, e = divmod(b, L)
            m = score[s, e]
            if best is None or m > best[2]:
                best = (start + s, start + e, m)
            for a, c in zip(*np.nonzero(score == m)):
                key = (start + int(a), start + int(c))
                tops[key] = max(tops.get(key, -np.inf), m)  # a span in two windows: its higher
            w += 1
        tied = frozenset(k for k, v in tops.items() if v == best[2])
        res.append((best[0], best[1], best[2], len(tied), tied))
    return res


def agreement(a, b):
    return 100.0 * np.mean([x[0] == y[0] and x[1] == y[1] for x, y in zip(a, b)])


def span_f1(spans, index):
    total = 0.0
    for (ps, pe, *_), q in zip(spans, index):
        s, e = q["answer"]
        ov = max(0, min(pe, e) - max(ps, s) + 1)
        if ov:
            p, r = ov / (pe - ps + 1), ov / (e - s + 1)
            total += 2 * p * r / (p + r)
    return 100 * total / len(spans)


# ---- a numpy replay of train.build()'s model, with optional fake quantization -------------------


def fq(v, scale, zp):
    return (np.clip(np.round(v / scale) + zp, -128, 127) - zp) * scale


def fq_weights(w, scales, axis):
    shape = [1] * w.ndim
    shape[axis] = -1
    s = np.asarray(scales).reshape(shape)
    return np.clip(np.round(w / s), -127, 127) * s


class Replay:
    """The float model in numpy from the Keras weights; `quant` names the tensors to fake-quantize with
    the int8 model's parameters (activations per tensor, weights per channel as the converter did)."""

    def __init__(self, keras_model, it8):
        g = {layer.name: layer.get_weights() for layer in keras_model.layers if layer.get_weights()}
        self.table = g["buckets"][0]
        self.wq, self.bq = g["question"]
        self.wb, self.bb = g["question_bias"]
        self.convs = [g["conv0"]] + [g[f"conv_d{d}"] for d in train.DILATIONS[1:]]
        self.ws, self.bs = g["start"]
        self.we, self.be = g["end"]
        det = it8.get_tensor_details()
        ops = it8._get_ops_details()
        q = lambda t: det[t]["quantization"]  # noqa: E731
        qp = lambda t: det[t]["quantization_parameters"]["scales"]  # noqa: E731
        o = lambda k: ops[k]["outputs"][0]  # noqa: E731
        # Ops in the order train.build() makes them (the converter keeps it; checked on op names).
        names = [op["op_name"] for op in ops]
        assert names[:6] == ["GATHER", "GATHER", "RESHAPE", "MUL", "MEAN", "MUL"], names
        heads = {w: next(k for k in (20, 22) if w in det[o(k)]["name"]) for w in ("start", "end")}
        self.act = {
            "feats": q(ops[6]["inputs"][1]),
            "qtype": q(ops[9]["inputs"][1]),
            "pe": q(o(0)),
            "qe": q(o(1)),
            "mul": q(o(3)),
            "qsum": q(o(4)),
            "match": q(o(5)),
            "x": q(o(6)),
            "conv0": q(o(8)),
            "qcat": q(o(9)),
            "qv": q(o(10)),
            "qb": q(o(11)),
            "h0": q(o(13)),
            "c2": q(o(14)),
            "h2": q(o(15)),
            "c4": q(o(16)),
            "h4": q(o(17)),
            "c8": q(o(18)),
            "h8": q(o(19)),
            "start": q(o(heads["start"])),
            "end": q(o(heads["end"])),
        }
        self.wscale = {
            "table_p": q(ops[0]["inputs"][0]),
            "table_q": q(ops[1]["inputs"][0]),
            "wq": qp(ops[10]["inputs"][1]),
            "wb": qp(ops[11]["inputs"][1]),
            "conv0": qp(ops[8]["inputs"][1]),
            "conv_d2": qp(ops[14]["inputs"][1]),
            "conv_d4": qp(ops[16]["inputs"][1]),
            "conv_d8": qp(ops[18]["inputs"][1]),
            "start": qp(ops[heads["start"]]["inputs"][1]),
            "end": qp(ops[heads["end"]]["inputs"][1]),
        }

    def run(self, x, quant=frozenset(), weights=frozenset()):
        ids, feats, qids, qmask, qtype = x
        A = lambda name, v: fq(v, *self.act[name]) if name in quant else v  # noqa: E731
        W = lambda name, v, axis: fq_weights(v, self.wscale[name], axis) if name in weights else v  # noqa: E731
        tp = fq(self.table, *self.wscale["table_p"]) if "table" in weights else self.table
        tq = fq(self.table, *self.wscale["table_q"]) if "table" in weights else self.table
        pe = A("pe", tp[ids])
        qe = A("qe", tq[qids])
        qsum = A("qsum", A("mul", qe * qmask[..., None]).mean(axis=1))
        qv = np.maximum(A("qcat", np.concatenate([qsum, A("qtype", qtype)], 1)) @ W("wq", self.wq, 1) + self.bq, 0)
        qv = A("qv", qv)
        qb = A("qb", qv @ W("wb", self.wb, 1) + self.bb)
        match = A("match", pe * qsum[:, None])
        h = A("x", np.concatenate([pe, A("feats", feats), match], -1))

        def conv(h, wb, d, name):
            w, b = wb
            w = W(name, w[0], 2)  # [3, Cin, Cout]
            pad = np.zeros((h.shape[0], d, h.shape[2]))
            hp = np.concatenate([pad, h, pad], 1)
            L = h.shape[1]
            return sum(hp[:, k * d : k * d + L] @ w[k] for k in range(3)) + b

        h = A("h0", np.maximum(A("conv0", conv(h, self.convs[0], 1, "conv0")) + qb[:, None], 0))
        for (wb, d) in zip(self.convs[1:], train.DILATIONS[1:]):
            c = A(f"c{d}", np.maximum(conv(h, wb, d, f"conv_d{d}"), 0))
            h = A(f"h{d}", h + c)
        s = A("start", h @ W("start", self.ws[0, 0], 1)[..., 0] + self.bs[0])
        e = A("end", h @ W("end", self.we[0, 0], 1)[..., 0] + self.be[0])
        return s, e


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="src/lib/demos/qa/model")
    p.add_argument("--data", default=".cache/qa")
    p.add_argument("--weights", default=None)
    p.add_argument("--split", default="tune")
    a = p.parse_args()
    if a.split == "held-out":
        print("agreement.py diagnoses on the tune (or train) articles only; held-out never drives a choice.")
        return 2
    meta, x, _, _, index = load(a.data, a.split)
    fit = interp(os.path.join(a.model, "qa_float.tflite"))
    it8 = interp(os.path.join(a.model, "qa_int8.tflite"))
    Sf, Ef, _ = run_tflite(fit, x)
    S8, E8, _ = run_tflite(it8, x)
    f = best_spans(Sf, Ef, index)
    q = best_spans(S8, E8, index)
    ties = np.array([t[3] for t in q])
    agree = np.array([x_[0] == y[0] and x_[1] == y[1] for x_, y in zip(f, q)])
    print(f"{a.split}: {len(index)} questions, {len(x[0])} windows")
    print(f"int8 tflite vs float tflite: top span equal on {100 * agree.mean():.1f} %")
    print(f"  span F1 (first answer, tokens): float {span_f1(f, index):.1f}, int8 {span_f1(q, index):.1f}")
    print(f"  int8 top score tied between >1 spans: {100 * (ties > 1).mean():.1f} % of questions; "
          f"disagreements among them {np.sum(~agree & (ties > 1))} of {np.sum(~agree)}")
    # The most any tie-break rule could give: a tie counts as agreement when float's span is among it.
    best_case = np.mean([(y[0], y[1]) in t[4] for y, t in zip(f, q)])
    print(f"  top span equal if every int8 tie went to the float span: {100 * best_case:.1f} %")
    # Output quantization alone: the float logits through the int8 output's scale and zero point.
    outs = {o["index"]: o["quantization"] for o in it8.get_output_details()}
    qs, qe = outs[head_output(it8, "start")], outs[head_output(it8, "end")]
    print(f"  int8 output scales: start {qs[0]:.4f} (zp {qs[1]}), end {qe[0]:.4f} (zp {qe[1]})")
    o = best_spans(fq(Sf, *qs), fq(Ef, *qe), index)
    print(f"float logits, output quantization only: {agreement(f, o):.1f} %")
    if a.weights:
        model = train.build(meta)
        model.load_weights(a.weights)
        r = Replay(model, it8)
        base = best_spans(*r.run(x), index)
        print(f"numpy replay (float) vs float tflite: {agreement(f, base):.1f} %")
        acts = set(r.act)
        groups = {
            "all (activations + weights)": (acts, {"table", "wq", "wb", "conv0", "conv_d2", "conv_d4", "conv_d8", "start", "end"}),
            "inputs (feats, qtype)": ({"feats", "qtype"}, set()),
            "embedding table": (set(), {"table"}),
            "embeddings out (pe, qe)": ({"pe", "qe"}, set()),
            "question path (mul, qsum, qcat, qv, qb)": ({"mul", "qsum", "qcat", "qv", "qb"}, set()),
            "match, x": ({"match", "x"}, set()),
            "conv weights": (set(), {"wq", "wb", "conv0", "conv_d2", "conv_d4", "conv_d8"}),
            "head weights": (set(), {"start", "end"}),
            "conv0, h0": ({"conv0", "h0"}, set()),
            "c2, h2": ({"c2", "h2"}, set()),
            "c4, h4": ({"c4", "h4"}, set()),
            "c8, h8": ({"c8", "h8"}, set()),
            "output logits": ({"start", "end"}, set()),
            "all but output logits": (acts - {"start", "end"}, {"table", "wq", "wb", "conv0", "conv_d2", "conv_d4", "conv_d8", "start", "end"}),
        }
        for name, (qa, qw) in groups.items():
            s = best_spans(*r.run(x, frozenset(qa), frozenset(qw)), index)
            print(f"  replay, quantized {name}: {agreement(f, s):.1f} % (vs int8 tflite {agreement(q, s):.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
