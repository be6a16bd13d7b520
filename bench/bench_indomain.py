"""The in-domain baseline: our pipeline and Baidu's LAC on the same gold articles, side by side.

    python bench/bench_indomain.py [--split dev] [--lac-python /work/lac-venv/bin/python]

Gold: corpus/indomain/annotations.jsonl joined to ../shared (newsgraph.corpus). Ours: the
shipped pipeline, scored by `newsgraph evaluate` (every label, officials, events …). LAC 2.1.2
(../shared/PEERS.md: its own venv) runs on the same texts line by line; its PER, LOC, ORG and
TIME become PERSON, PLACE, ORG and DATE, and its `m` words (numeral with measure word) stand in
for QUANTITY; it has no TITLE. Entities score by exact span and label. The test split is for
reporting at the end of an issue only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from newsgraph.corpus import load_annotations, score_split
from newsgraph.evaluate import evaluate
from newsgraph.pipeline import load_pipeline

LAC_LABELS = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG", "TIME": "DATE", "m": "QUANTITY"}
LAC_RUNNER = r"""
import json, sys
import paddle, paddle.base
sys.modules["paddle.fluid"] = paddle.base
sys.modules["paddle.fluid.core"] = paddle.base.core
from LAC import LAC
lac = LAC(mode="lac")
texts = json.load(sys.stdin)
out = []
for text in texts:
    spans, at = [], 0
    lines = text.split("\n")
    results = lac.run([line or " " for line in lines])
    for line, (words, tags) in zip(lines, results):
        pos = at
        for word, tag in zip(words, tags):
            start = line.find(word, pos - at) + at if word.strip() else -1
            if start >= at:
                spans.append([start, start + len(word), tag])
                pos = start + len(word)
        at += len(line) + 1
    out.append(spans)
json.dump(out, sys.stdout)
"""


def lac_entities(texts: list[str], python: str) -> list[list[tuple[int, int, str]]]:
    """LAC's entity spans per text, in our labels."""
    done = subprocess.run(
        [python, "-c", LAC_RUNNER], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    return [[(s, e, LAC_LABELS[t]) for s, e, t in spans if t in LAC_LABELS] for spans in json.loads(done.stdout)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--lac-python", default="/work/lac-venv/bin/python")
    args = parser.parse_args()
    started = time.perf_counter()
    ours = score_split(load_pipeline(), args.split)
    ours_seconds = time.perf_counter() - started
    gold = {r["id"]: r for r in load_annotations(split=args.split)}
    lac = None
    if Path(args.lac_python).exists():
        started = time.perf_counter()
        found = lac_entities([gold[i]["text"] for i in sorted(gold)], args.lac_python)
        lac_seconds = time.perf_counter() - started
        predicted = {}
        for rid, spans in zip(sorted(gold), found, strict=True):
            text = gold[rid]["text"]
            entities = [
                {"id": f"m{n}", "label": label, "start": s, "end": e, "text": text[s:e]}
                for n, (s, e, label) in enumerate(spans, start=1)
            ]
            predicted[rid] = {"id": rid, "text": text, "entities": entities}
        lac = evaluate(gold, predicted)["entities"]
    chars = sum(len(r["text"]) for r in gold.values())
    print(f"in-domain {args.split}: {len(gold)} articles, {chars:,} characters, "
          f"{sum(len(r['entities']) for r in gold.values()):,} gold mentions")
    print(f"{'label':<10}{'ours P':>8}{'R':>7}{'F1':>7}   {'LAC P':>7}{'R':>7}{'F1':>7}")
    for label, s in ours["entities"].items():
        peer = lac.get(label) if lac else None
        theirs = f"{peer['precision']:>7.3f}{peer['recall']:>7.3f}{peer['f1']:>7.3f}" if peer else f"{'-':>7}" * 3
        print(f"{label:<10}{s['precision']:>8.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}   {theirs}")
    for key in ("officials", "events", "arguments", "relations"):
        s = ours[key]
        print(f"{key:<10}{s['precision']:>8.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}")
    q = ours["quantities"]["all_attributes"]
    print(f"{'quantity+':<10}{q['precision']:>8.3f}{q['recall']:>7.3f}{q['f1']:>7.3f}   (every attribute right)")
    lac_time = f", LAC {lac_seconds:.1f} s (with its model load)" if lac else ", LAC not installed"
    print(f"time: ours {ours_seconds:.1f} s (with model load){lac_time}")
    if not lac:
        print(f"LAC: no {args.lac_python}; see ../shared/PEERS.md", file=sys.stderr)


if __name__ == "__main__":
    main()
