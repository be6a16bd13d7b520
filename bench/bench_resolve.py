"""Entity resolution is linear in the number of mentions: time per mention at 10k, 50k, 100k.

    python bench/bench_resolve.py

Input: the gold page's records, copied with new ids; every tenth copy renames its places and
organisations (a suffix number), so the batch holds many distinct names as well as repeats.
Compare the microseconds per mention across sizes from one run: flat means linear.
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

from newsgraph.resolve import resolve

GOLD = Path(__file__).resolve().parent.parent / "corpus" / "gold" / "page-000.jsonl"


def batch(mentions: int) -> list[dict]:
    base = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    out, n, copy_no = [], 0, 0
    while n < mentions:
        for record in base:
            r = copy.deepcopy(record)
            r["id"] = f"copy{copy_no}/{record['id']}"
            if copy_no % 10 == 0:
                for m in r["entities"]:
                    if m["label"] in ("ORG", "PLACE"):
                        m["text"] = f"{m['text']}{copy_no}"
            out.append(r)
            n += len(r["entities"])
        copy_no += 1
    return out


def main() -> None:
    for size in (10_000, 50_000, 100_000):
        records = batch(size)
        mentions = sum(len(r["entities"]) for r in records)
        started = time.perf_counter()
        resolve(records)
        seconds = time.perf_counter() - started
        ids = {m["entity_id"] for r in records for m in r["entities"] if m["entity_id"]}
        per = seconds / mentions * 1e6
        print(f"{mentions:>8,} mentions  {seconds:6.2f} s  {per:6.1f} µs/mention  {len(ids):,} ids")


if __name__ == "__main__":
    main()
