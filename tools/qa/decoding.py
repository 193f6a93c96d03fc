"""Could another way of reading the logits make the int8 model's answer equal the float model's more
often (docs/qa.md §7)? A diagnosis on the TUNE articles (never the held-out ones).

    npx tsx tools/qa/split-windows.ts --split tune
    .venv/bin/python tools/qa/decoding.py [--model src/lib/demos/qa/model] [--data .cache/qa]

Runs every window of every tune question through qa_float.tflite and qa_int8.tflite (TFLite's
interpreter, as agreement.py does) and decodes both with the same rule, then reports the top-span
agreement and the token span F1 (first answer) of each rule:

- first: src/lib/qa/windows.ts — the highest start + end over windows, the first found on ties
  (agreement.best_spans);
- best case: a tie counts as agreement when the float span is among the int8 maxima (no rule that
  reads only the int8 logits can do better by breaking ties);
- tie-break rules that read only the logits, applied to the spans sharing the maximum: neighbour-
  smoothed score (start and end plus 0.5 x the mean of their neighbours), longer span, shorter span,
  the span nearer its window's centre, the mean score over the windows holding the span;
- minimum Bayes risk: of the N best spans (by start + end, softmax over them as the posterior), the
  one with the highest expected token-overlap F1 against the others.
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import agreement  # noqa: E402

MAX_TOKENS = 30


def candidates(S, E, q, w):
    """Every allowed span of the question's windows: span -> [(score, window row, s, e)]."""
    out = {}
    for start, n in zip(q["starts"], q["tokens"]):
        score = S[w][:n, None] + E[w][None, :n]
        for s in range(n):
            for e in range(s, min(n, s + MAX_TOKENS)):
                out.setdefault((start + s, start + e), []).append((score[s, e], w, s, e))
        w += 1
    return out, w


def f1(a, b):
    ov = max(0, min(a[1], b[1]) - max(a[0], b[0]) + 1)
    if ov == 0:
        return 0.0
    p, r = ov / (a[1] - a[0] + 1), ov / (b[1] - b[0] + 1)
    return 2 * p * r / (p + r)


def mbr(c, n_best):
    items = sorted(((span, max(f[0] for f in found)) for span, found in c.items()), key=lambda kv: -kv[1])
    items = items[:n_best]
    score = np.array([v for _, v in items])
    p = np.exp(score - score.max())
    p /= p.sum()
    spans = [k for k, _ in items]
    util = [sum(p[j] * f1(h, spans[j]) for j in range(len(spans))) for h in spans]
    return spans[int(np.argmax(util))]


def tie_rules(S, E, c, tied):
    """Each tie-break rule's pick among the spans sharing the maximum (`tied`)."""
    tied = sorted(tied)

    def smooth(span):
        best = -np.inf
        for score, w, s, e in c[span]:
            n = S[w].shape[0]
            ns = [S[w][j] for j in (s - 1, s + 1) if 0 <= j < n]
            ne = [E[w][j] for j in (e - 1, e + 1) if 0 <= j < n]
            best = max(best, score + 0.5 * (np.mean(ns) + np.mean(ne)))
        return best

    def central(span):
        return max(-abs((s + e) / 2 - (S[w].shape[0] - 1) / 2) for _, w, s, e in c[span])

    return {
        "neighbour-smoothed": max(tied, key=smooth),
        "longer span": max(tied, key=lambda sp: sp[1] - sp[0]),
        "shorter span": max(tied, key=lambda sp: sp[0] - sp[1]),
        "nearer the window centre": max(tied, key=central),
        "mean over windows": max(tied, key=lambda sp: np.mean([f[0] for f in c[sp]])),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="src/lib/demos/qa/model")
    p.add_argument("--data", default=".cache/qa")
    p.add_argument("--split", default="tune")
    p.add_argument("--n-best", type=int, default=10, help="spans minimum Bayes risk chooses among")
    a = p.parse_args()
    if a.split == "held-out":
        print("decoding.py diagnoses on the tune (or train) articles only; held-out never drives a choice.")
        return 2
    _, x, _, _, index = agreement.load(a.data, a.split)
    Sf, Ef, _ = agreement.run_tflite(agreement.interp(os.path.join(a.model, "qa_float.tflite")), x)
    S8, E8, _ = agreement.run_tflite(agreement.interp(os.path.join(a.model, "qa_int8.tflite")), x)
    agree, f1_float, f1_int8 = {}, {}, {}

    def tally(rule, float_span, int8_span, answer):
        agree[rule] = agree.get(rule, 0) + (float_span == int8_span)
        f1_float[rule] = f1_float.get(rule, 0.0) + f1(float_span, answer)
        f1_int8[rule] = f1_int8.get(rule, 0.0) + f1(int8_span, answer)

    # windows.ts's pick (agreement.best_spans: the first maximum) and the int8 spans tied with it.
    first_f = agreement.best_spans(Sf, Ef, index)
    first_8 = agreement.best_spans(S8, E8, index)
    w = 0
    for q, bf, b8 in zip(index, first_f, first_8):
        cf, next_w = candidates(Sf, Ef, q, w)
        c8, _ = candidates(S8, E8, q, w)
        w = next_w
        answer = tuple(q["answer"])
        ff = (bf[0], bf[1])
        tally("first (windows.ts)", ff, (b8[0], b8[1]), answer)
        agree["best case over ties"] = agree.get("best case over ties", 0) + (ff in b8[4])
        for rule, span in tie_rules(S8, E8, c8, b8[4]).items():
            # The float logits have no ties in practice: the rule changes only the int8 pick.
            tally(f"ties: {rule}", ff, span, answer)
        tally(f"minimum Bayes risk, {a.n_best} best", mbr(cf, a.n_best), mbr(c8, a.n_best), answer)
    n = len(index)
    print(f"{a.split}: {n} questions; top span equal (int8 = float) and token span F1 float / int8")
    for rule, v in agree.items():
        f1s = f" F1 {100 * f1_float[rule] / n:.1f} / {100 * f1_int8[rule] / n:.1f}" if rule in f1_float else ""
        print(f"  {rule}: {100 * v / n:.1f} %{f1s}")


if __name__ == "__main__":
    sys.exit(main())
