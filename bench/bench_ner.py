"""Entity recognition speed, memory and F1: our pipeline(s) against jieba.posseg, in one run.

    python bench/bench_ner.py --peer-python /tmp/peers/bin/python \
        --model models/zh_news --dev training/ner/dev_msra.jsonl --dev training/ner/dev_cluener.jsonl

Speed input: the sample page's articles (normalised, as the pipeline sees them) repeated to
at least `--min-chars` characters, one text per article, through `nlp.pipe` (batch 16): the
whole pipeline, segmentation to the rule components. Each tool runs in a fresh process of
its own, so that its peak memory (max RSS) is its own. `--model` may be given several times
(the architectures compared in the model card).

F1 on each `--dev` file (JSONL of `{"id", "text", "spans": [[start, end, label]]}` as
`newsgraph train ner` writes them): exact span and label, over PERSON, PLACE and ORG (what
jieba.posseg tags: nr, ns, nt, one word each), and for our pipeline also with TITLE where the
corpus annotates it. The scoring is written out here, since the peers' venv lacks newsgraph.
Machines are noisy: compare the figures of one run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_segmenter import _peak_mb, bench_texts  # the same input and the same memory measure

ROOT = Path(__file__).resolve().parent.parent
THREE = ("PERSON", "PLACE", "ORG")
JIEBA_LABELS = {"nr": "PERSON", "ns": "PLACE", "nt": "ORG"}
Spans = set[tuple[int, int, str]]


def _load(tool: str, model: str | None) -> Callable[[list[str]], list[Spans]]:
    """The tool's entity function: texts → the (start, end, label) spans of each."""
    if tool == "newsgraph":
        from newsgraph.pipeline import load_pipeline

        nlp = load_pipeline(Path(model) if model else None)
        return lambda texts: [
            {(e.start_char, e.end_char, e.label_) for e in doc.ents} for doc in nlp.pipe(texts, batch_size=16)
        ]
    if tool == "jieba-posseg":
        import jieba
        import jieba.posseg

        jieba.setLogLevel(60)
        jieba.initialize()

        def cut(texts: list[str]) -> list[Spans]:
            out = []
            for text in texts:
                spans, at = set(), 0
                for pair in jieba.posseg.cut(text):
                    if pair.flag in JIEBA_LABELS:
                        spans.add((at, at + len(pair.word), JIEBA_LABELS[pair.flag]))
                    at += len(pair.word)
                out.append(spans)
            return out

        return cut
    raise SystemExit(f"unknown tool {tool}")


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def dev_scores(find: Callable[[list[str]], list[Spans]], dev_file: str) -> dict[str, object]:
    rows = [json.loads(line) for line in Path(dev_file).read_text(encoding="utf-8").splitlines() if line.strip()]
    predicted = find([row["text"] for row in rows])
    gold_labels = {s[2] for row in rows for s in row["spans"]}
    out: dict[str, object] = {}
    for name, labels in (("PER/LOC/ORG", set(THREE)), ("with TITLE", gold_labels)):
        tp = n_pred = n_gold = 0
        per: dict[str, list[int]] = {label: [0, 0, 0] for label in sorted(labels)}
        for row, pred in zip(rows, predicted, strict=True):
            g = {tuple(s) for s in row["spans"] if s[2] in labels}
            p = {s for s in pred if s[2] in labels}
            tp, n_pred, n_gold = tp + len(g & p), n_pred + len(p), n_gold + len(g)
            for label in labels:
                gl, pl = {s for s in g if s[2] == label}, {s for s in p if s[2] == label}
                per[label][0] += len(gl & pl)
                per[label][1] += len(pl)
                per[label][2] += len(gl)
        out[name] = {"ALL": _prf(tp, n_pred, n_gold), **{k: _prf(*v) for k, v in per.items()}}
        if labels == set(THREE):
            out["same"] = gold_labels == set(THREE)
    return out


def worker(tool: str, model: str | None, texts_file: str, dev_files: list[str]) -> None:
    texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))
    base = _peak_mb()
    start = time.perf_counter()
    find = _load(tool, model)
    find(texts[:2])  # warm caches
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    found = sum(map(len, find(texts)))
    run_s = time.perf_counter() - start
    peak_mb = _peak_mb()
    chars = sum(map(len, texts))
    scores = {Path(f).stem: dev_scores(find, f) for f in dev_files}
    result = {
        "tool": tool,
        "model": model,
        "chars": chars,
        "entities": found,
        "load_s": round(load_s, 2),
        "chars_per_s": round(chars / run_s),
        "peak_mb": round(peak_mb),
        "python_mb": round(base),
        "dev": scores,
    }
    print(json.dumps(result, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-chars", type=int, default=1_000_000)
    parser.add_argument("--model", action="append", help="our pipeline folder (repeatable; default: the shipped one)")
    parser.add_argument("--peer-python", help="python of a venv with jieba")
    parser.add_argument("--dev", action="append", default=[], help="dev set JSONL (repeatable)")
    parser.add_argument("--json", help="also write every result to this file (JSON lines)")
    parser.add_argument("--worker", nargs=2, metavar=("TOOL", "TEXTS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], (args.model or [None])[0], args.worker[1], args.dev)
        return
    texts = bench_texts(args.min_chars)
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
        json.dump(texts, handle, ensure_ascii=False)
    runs = [(sys.executable, "newsgraph", model) for model in (args.model or [None])]
    if args.peer_python:
        runs.append((args.peer_python, "jieba-posseg", None))
    chars = sum(map(len, texts))
    print(f"speed input: sample page articles repeated, {chars:,} chars ({len(texts):,} texts)")
    results = []
    for python, tool, model in runs:
        command = [python, __file__, "--worker", tool, handle.name] + (["--model", model] if model else [])
        for dev in args.dev:
            command += ["--dev", str(Path(dev).resolve())]
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        if done.returncode:
            print(
                f"{tool} {model or ''} failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else '?'}"
            )
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(r)
        name = f"{tool} {Path(model).name if model else ''}".strip()
        dev = "  ".join(
            f"{d} P/L/O F {s['PER/LOC/ORG']['ALL']['f']:.4f}"
            + ("" if s["same"] else f" (+TITLE {s['with TITLE']['ALL']['f']:.4f})")
            for d, s in r["dev"].items()
        )
        print(f"{name:<28} load {r['load_s']:>5} s  {r['chars_per_s']:>9,} chars/s  peak {r['peak_mb']:>5} MB  {dev}")
    if args.json:
        Path(args.json).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8")
    Path(handle.name).unlink()


if __name__ == "__main__":
    main()
