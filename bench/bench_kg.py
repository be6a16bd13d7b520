"""Knowledge-graph export time against the number of records: is it linear?

    python bench/bench_kg.py [--sizes 10000 50000 100000] [--formats nt neo4j]

Input: the sample page annotated by the shipped pipeline (6 records), copied with new article
ids up to each size. The things they name stay the same, as in a batch of one district's
news. Each size is written in each format to a temporary folder and timed; µs per record
should stay flat as the size grows. The peak memory of the process is printed last (the
exports stream record by record; the records themselves are held in memory).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from newsgraph.annotate import annotate
from newsgraph.export.neo4j import write_neo4j
from newsgraph.export.rdf import write_rdf
from newsgraph.inputs import read_inputs
from newsgraph.pipeline import load_pipeline

PAGE = Path(__file__).resolve().parent.parent / "corpus" / "pages" / "page-000.txt"


def batch(seed: list[dict], size: int) -> list[dict]:
    out = []
    for i in range(size):
        record = dict(seed[i % len(seed)])
        record["id"] = f"{record['id']}~{i // len(seed)}"
        out.append(record)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=["nt", "neo4j"])
    args = parser.parse_args()
    seed = list(annotate(load_pipeline(), read_inputs([PAGE])))
    print(f"seed: {len(seed)} records of the sample page")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            records = batch(seed, size)
            for fmt in args.formats:
                start = time.perf_counter()
                if fmt == "neo4j":
                    items = write_neo4j(records, Path(tmp) / f"neo4j-{size}")
                    what = "nodes+relationships"
                else:
                    items = write_rdf(records, Path(tmp) / f"graph-{size}.{fmt}", fmt)
                    what = "triples"
                seconds = time.perf_counter() - start
                print(
                    f"{size:>8,} records  {fmt:<6} {seconds:7.1f} s  {seconds / size * 1e6:7.0f} µs/record"
                    f"  {items:>12,} {what}"
                )
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
