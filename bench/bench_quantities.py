"""Throughput of the quantity and date components alone, and of their character scanners.

    python bench/bench_quantities.py [--repeat 300]

Input: the sample page's articles repeated. The components run on Docs already tokenised and
tagged by `models/zh_core` (that part is not timed), as they do in the pipeline. Target for
`newsgraph_quantities`: at least 1 M characters/s. Machines are noisy: compare one run.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsgraph.dates import find_dates
from newsgraph.inputs import page_articles
from newsgraph.page import read_page
from newsgraph.pipeline import load_pipeline
from newsgraph.quantities import find_quantities

PAGE = Path(__file__).resolve().parent.parent / "corpus" / "pages" / "page-000.txt"


def rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds:>12,.0f} chars/s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    texts = [a.text.text for a in page_articles(read_page(PAGE.read_text(encoding="utf-8"), str(PAGE)), "p")]
    texts *= args.repeat
    chars = sum(map(len, texts))
    print(f"input: sample page articles x {args.repeat} = {chars:,} characters")
    for name, scan in (("find_quantities (text)", find_quantities), ("find_dates (text)", find_dates)):
        start = time.perf_counter()
        found = sum(len(scan(text)) for text in texts)
        print(f"{name:<28}{rate(chars, time.perf_counter() - start)}  ({found:,} found)")
    nlp = load_pipeline()
    rules = ["newsgraph_quantities", "newsgraph_dates"]
    docs = list(nlp.pipe(texts, disable=rules, batch_size=16))
    for name in rules:
        component = nlp.get_pipe(name)
        start = time.perf_counter()
        for doc in docs:
            component(doc)
        print(f"{name:<28}{rate(chars, time.perf_counter() - start)}")


if __name__ == "__main__":
    main()
