"""Events: quality on the seed gold and the hand-written cases, and the component's speed.

    python bench/bench_events.py [--repeat 100] [--model models/zh_news]

Quality:
- the seed gold (corpus/gold/page-000.jsonl): event F1 (type + overlapping trigger), argument
  F1 per role, mention→event link accuracy, as `newsgraph evaluate` gives them;
- `tests/fixtures/event_cases.jsonl` (37 articles the rules were tuned on),
  `tests/fixtures/event_cases_heldout.jsonl` (24 articles written apart; one fix was made after
  reading its failures) and `tests/fixtures/event_cases_heldout2.jsonl` (24 more, in another
  voice, written after that fix: the honest figure), as `newsgraph evaluate --cases` gives them.

Speed: the sample page's articles repeated, tokenised, tagged and with entities and officials
already found (not timed); then `newsgraph_events` alone, on many articles and on one long
one (its time must grow with the length, not faster), and the whole pipeline with and
without it in one run. Machines are noisy: compare within one run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsgraph.annotate import annotate
from newsgraph.evaluate import evaluate, load_event_cases, load_records, score_event_cases
from newsgraph.inputs import page_articles, read_inputs
from newsgraph.page import read_page
from newsgraph.pipeline import load_pipeline

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "corpus" / "pages" / "page-000.txt"
GOLD = ROOT / "corpus" / "gold" / "page-000.jsonl"
CASES = [
    ROOT / "tests" / "fixtures" / name
    for name in ("event_cases.jsonl", "event_cases_heldout.jsonl", "event_cases_heldout2.jsonl")
]


def prf(score: dict) -> str:
    return f"P {score['precision']:.3f}  R {score['recall']:.3f}  F1 {score['f1']:.3f}  (support {score['support']})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    nlp = load_pipeline(args.model)

    seed = {r["id"]: r for r in annotate(nlp, read_inputs([PAGE]))}
    scores = evaluate(load_records(GOLD), seed)
    print("seed gold")
    print(f"  events      {prf(scores['events'])}")
    print(f"  arguments   {prf(scores['arguments'])}")
    for role, score in scores["roles"].items():
        print(f"    {role:<12}{prf(score)}")
    links = scores["links"]
    print(f"  links       {links['accuracy']:.3f} ({links['right']} of {links['mentions_found']} found mentions)")
    for path in CASES:
        cases = load_event_cases(path)
        records = {r["id"]: r for r in annotate(nlp, read_inputs([path]))}
        result = score_event_cases(cases, records)
        print(f"{path.name}: {len(cases)} cases, {sum(len(c['events']) for c in cases)} events")
        print(f"  events      {prf(result['events'])}")
        print(f"  arguments   {prf(result['arguments'])}")
        for role, score in result["roles"].items():
            print(f"    {role:<12}{prf(score)}")

    texts = [a.text.text for a in page_articles(read_page(PAGE.read_text(encoding="utf-8"), str(PAGE)), "p")]
    texts *= args.repeat
    chars = sum(map(len, texts))
    print(f"speed input: sample page articles x {args.repeat} = {chars:,} characters")
    docs = list(nlp.pipe(texts, disable=["newsgraph_events"], batch_size=16))
    component = nlp.get_pipe("newsgraph_events")
    start = time.perf_counter()
    found = sum(len(component(doc)._.events) for doc in docs)
    print(f"  newsgraph_events alone        {chars / (time.perf_counter() - start):>10,.0f} chars/s ({found:,} events)")
    for copies in (8, 32):  # one long article: the component must stay linear in its length
        with nlp.select_pipes(disable=["newsgraph_events"]):
            long_doc = nlp("\n".join(texts[:6] * copies))
        start = time.perf_counter()
        component(long_doc)
        print(f"  one article of {len(long_doc.text):>7,} chars: newsgraph_events {time.perf_counter() - start:6.3f} s")
    for label, disable in (("pipeline without events", ["newsgraph_events"]), ("whole pipeline", [])):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, disable=disable, batch_size=16):
            pass
        print(f"  {label:<30}{chars / (time.perf_counter() - start):>10,.0f} chars/s")


if __name__ == "__main__":
    main()
