"""`newsgraph annotate` at scale: throughput with 1 and 2 processes, memory, time to first record.

    python bench/bench_batch.py [--megabytes 5] [--processes 1 2]

Input: the sample page's articles repeated with varied ids as article JSONL, at least
`--megabytes` of it. Each configuration runs the installed CLI in its own process, as a user
would. Reported per run: wall time, characters/s, the speed-up over one process, the peak
memory of the largest process (the main one or a worker), and the time until the first record
reached disk. Target: at least 1.7x from one process to two. Machines are noisy: compare
figures from one run of this script.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsgraph.inputs import read_inputs
from newsgraph.records import empty_record

PAGE = Path(__file__).resolve().parent.parent / "corpus" / "pages" / "page-000.txt"


def write_input(path: Path, megabytes: float) -> tuple[int, int]:
    """The page's articles, copied with new ids until the file holds `megabytes`; (articles, chars)."""
    records = [empty_record(a) for a in read_inputs([PAGE])]
    n = chars = 0
    with path.open("w", encoding="utf-8") as out:
        copy = 0
        while out.tell() < megabytes * 1_000_000:
            for record in records:
                row = {"id": f"copy{copy}/{record['id']}", "text": record["text"], "date": record["date"]}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
                chars += len(record["text"])
            copy += 1
    return n, chars


def run(source: Path, out: Path, processes: int) -> dict[str, float]:
    """One CLI run: wall seconds, seconds to the first record on disk, peak RSS of its processes."""
    part = out.with_name(f".{out.name}.part")
    cmd = [
        sys.executable,
        "-m",
        "newsgraph.cli",
        "annotate",
        str(source),
        "-o",
        str(out),
        "--n-process",
        str(processes),
    ]
    started = time.perf_counter()
    first = None
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None:
        if first is None and part.exists() and part.stat().st_size > 0:
            first = time.perf_counter() - started
        time.sleep(0.02)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"annotate failed ({proc.returncode}): {proc.stderr.read() if proc.stderr else ''}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest process so far
    return {"seconds": wall, "first_record_s": first if first is not None else wall, "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "articles.jsonl"
        articles, chars = write_input(source, args.megabytes)
        size = source.stat().st_size
        print(f"input: {articles:,} articles, {chars:,} characters, {size / 1e6:.1f} MB of JSONL")
        outputs, base = [], None
        for n in args.processes:
            out = Path(tmp) / f"out-{n}.jsonl"
            figures = run(source, out, n)
            rate = chars / figures["seconds"]
            base = base or rate
            outputs.append(out.read_bytes())
            print(
                f"--n-process {n}: {figures['seconds']:7.1f} s  {rate:>9,.0f} chars/s  x{rate / base:.2f}  "
                f"first record {figures['first_record_s']:.1f} s  peak process so far {figures['peak_mb']:,.0f} MB"
            )
        print("outputs byte-identical:", all(o == outputs[0] for o in outputs))


if __name__ == "__main__":
    main()
