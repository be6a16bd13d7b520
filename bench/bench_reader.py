"""Throughput of the foundation path on the sample page: page reader + normaliser, and the
whole read → normalise → spaCy Doc → record path with the base pipeline.

    python bench/bench_reader.py [--repeat 200]

Prints characters per second (page characters in, one process). Machines are noisy:
compare figures from one run, not across runs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsgraph.annotate import annotate
from newsgraph.inputs import page_articles
from newsgraph.page import read_page
from newsgraph.paths import BASE_PIPELINE
from newsgraph.pipeline import load_pipeline
from newsgraph.records import dumps

PAGE = Path(__file__).resolve().parent.parent / "corpus" / "pages" / "page-000.txt"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    text = PAGE.read_text(encoding="utf-8")
    total = len(text) * args.repeat

    start = time.perf_counter()
    articles = []
    for i in range(args.repeat):
        articles.extend(page_articles(read_page(text, str(PAGE)), f"page-{i:05d}"))
    read_s = time.perf_counter() - start

    nlp = load_pipeline(BASE_PIPELINE)
    start = time.perf_counter()
    size = sum(len(dumps(record)) for record in annotate(nlp, articles))
    annotate_s = time.perf_counter() - start

    print(f"input: sample page x {args.repeat} = {total:,} characters, {len(articles):,} articles")
    print(f"read + normalise:           {total / read_s:>12,.0f} chars/s ({read_s:.2f} s)")
    print(f"Doc + record (base, char):  {total / annotate_s:>12,.0f} chars/s ({annotate_s:.2f} s, {size:,} bytes out)")


if __name__ == "__main__":
    main()
