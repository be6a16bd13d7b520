"""Long articles: time and peak memory of `annotate` as one article grows, whatever its punctuation.

    python bench/bench_long_article.py [--sizes 100000 200000 400000 1000000] [--big 1000000] [--model DIR]

Input: real articles of People's Daily 2019-2020 (`/work/shared/corpora/peoples_daily_2019_2020`,
read at run time, never copied), joined by newlines into one article of each size in
characters; the `--big` text also as 10 articles (cut at line ends); `--big` characters of
`，` (no sentence end anywhere); and the real text with every punctuation mark, space and
line break taken out. Each case runs in a process of its own, so that its peak RSS
(`ru_maxrss`, the loaded model included) is its own; the time counts `annotate` only, not the
model's loading. Target: one article takes at most twice the time of the same text as 10
articles, and no case peaks above 1 GB. Machines are noisy: compare figures of one run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

CORPUS = Path("/work/shared/corpora/peoples_daily_2019_2020/articles.jsonl")


def real_text(chars: int) -> str:
    """Real articles joined by newlines, cut to `chars` characters."""
    parts: list[str] = []
    total = 0
    while total < chars:  # wraps round the corpus if it is shorter than asked
        with CORPUS.open(encoding="utf-8") as lines:
            for line in lines:
                text = json.loads(line).get("text") or ""
                parts.append(text)
                total += len(text) + 1
                if total >= chars:
                    break
    return "\n".join(parts)[:chars]


def without_punctuation(chars: int) -> str:
    """Real text with no punctuation, space or line break: nowhere to cut but between characters."""
    out: list[str] = []
    size = 0
    source = real_text(chars * 2)
    for char in source:
        if not unicodedata.category(char).startswith(("P", "Z", "C")) and not char.isspace():
            out.append(char)
            size += 1
            if size == chars:
                break
    return "".join(out)


def split_articles(text: str, n: int) -> list[str]:
    """`text` as `n` articles of about equal length, cut after line ends."""
    out, start = [], 0
    for k in range(1, n):
        cut = text.find("\n", k * len(text) // n)
        cut = len(text) if cut < 0 else cut + 1
        if cut > start:
            out.append(text[start:cut])
            start = cut
    out.append(text[start:])
    return [t for t in out if t]


def case_texts(case: str, chars: int) -> list[str]:
    if case == "one":
        return [real_text(chars)]
    if case == "ten":
        return split_articles(real_text(chars), 10)
    if case == "comma":
        return ["，" * chars]
    if case == "nopunct":
        return [without_punctuation(chars)]
    raise SystemExit(f"unknown case {case!r}")


def run_case(case: str, chars: int, model: Path | None) -> dict[str, Any]:
    """One case in this process: annotate it, and report time, characters and peak RSS."""
    from newsgraph.annotate import annotate
    from newsgraph.inputs import jsonl_article
    from newsgraph.pipeline import load_pipeline

    texts = case_texts(case, chars)
    articles = [
        jsonl_article({"id": f"{case}/{i}", "text": t}, "bench", i + 1, f"{case}/{i}") for i, t in enumerate(texts)
    ]
    nlp = load_pipeline(model)
    start = time.perf_counter()
    records = list(annotate(nlp, articles))
    seconds = time.perf_counter() - start
    return {
        "case": case,
        "articles": len(records),
        "chars": sum(len(r["text"]) for r in records),
        "entities": sum(len(r["entities"]) for r in records),
        "events": sum(len(r["events"]) for r in records),
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def in_subprocess(case: str, chars: int, model: Path | None) -> dict[str, Any]:
    command = [sys.executable, __file__, "--run", case, "--chars", str(chars)]
    if model is not None:
        command += ["--model", str(model)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{case} {chars}: failed\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def show(label: str, row: dict[str, Any]) -> None:
    rate = row["chars"] / row["seconds"] if row["seconds"] else float("inf")
    print(
        f"{label:<28}{row['chars']:>10,} chars {row['seconds']:8.1f} s {rate:10,.0f} chars/s "
        f"{row['peak_mb']:8.0f} MB peak   ({row['articles']} article(s), {row['entities']:,} mentions, "
        f"{row['events']:,} events)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 200_000, 400_000, 1_000_000])
    parser.add_argument(
        "--big", type=int, default=1_000_000, help="characters of the 10-article, comma and no-punctuation cases"
    )
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--run", help=argparse.SUPPRESS)  # one case, in a child process
    parser.add_argument("--chars", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run_case(args.run, args.chars, args.model)))
        return
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent")
        return
    rows = {}
    for size in args.sizes:
        rows[("one", size)] = row = in_subprocess("one", size, args.model)
        show(f"one article, {size:,}", row)
    for case, label in (("ten", "as 10 articles"), ("comma", "only ，"), ("nopunct", "no punctuation")):
        rows[(case, args.big)] = row = in_subprocess(case, args.big, args.model)
        show(f"{label}, {args.big:,}", row)
    one = rows.get(("one", args.big)) or in_subprocess("one", args.big, args.model)
    ratio = one["seconds"] / rows[("ten", args.big)]["seconds"]
    peak = max(r["peak_mb"] for r in rows.values())
    print(f"one article / 10 articles ({args.big:,} chars): {ratio:.2f}x (target ≤ 2)")
    print(f"highest peak: {peak:.0f} MB (target ≤ 1024)")


if __name__ == "__main__":
    main()
