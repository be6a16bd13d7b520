"""A million hostile inputs through every reader and the pipeline's fast path: crashes counted.

    python bench/fuzz.py [--inputs 1000000] [--processes 2] [--seed 1] [--pipeline 1000]

Each input is a mutation of a real seed (the sample page, its gold records, article lines, a
resume manifest, a Label Studio export, a brat file, a SPARQL query; see tests/fuzz_inputs.py)
read the way a command reads it. An `InputError` is the right answer to a bad input; any
other exception is a crash, reported with its input's kind, place in the code and a
reproducer: `generate(input_rng(SEED, KIND, INDEX), KIND)` gives the input again. Target: 0
crashes. `--pipeline N` also runs N mutated texts through the whole shipped pipeline (slow:
tens a second).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzz_inputs import SHARES, TARGETS, crashes, generate, input_rng


def run_share(job: tuple[str, int, int, int]) -> tuple[str, int, float, list[tuple[str, int, str]]]:
    """`count` inputs of one kind from `seed`: (kind, count, seconds, crashes as (where, index, trace))."""
    kind, count, seed, first = job
    target = TARGETS[kind]
    found = []
    started = time.perf_counter()
    for index in range(first, first + count):
        error = crashes(target, generate(input_rng(seed, kind, index), kind))
        if error is not None:
            frame = traceback.extract_tb(error.__traceback__)[-1]
            where = f"{type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            found.append((where, index, "".join(traceback.format_exception(error))[-2000:]))
    return kind, count, time.perf_counter() - started, found


def pipeline_share(job: tuple[int, int]) -> tuple[str, int, float, list[tuple[str, int, str]]]:
    """Mutated texts through the whole pipeline, as `annotate` runs it (one article each)."""
    count, seed = job
    from newsgraph.annotate import annotate
    from newsgraph.errors import InputError
    from newsgraph.inputs import jsonl_articles
    from newsgraph.pipeline import load_pipeline
    from tests.fuzz_inputs import SEEDS, mutate_text

    nlp = load_pipeline()
    found = []
    started = time.perf_counter()
    for index in range(count):
        rng = input_rng(seed, "pipeline", index)
        text = mutate_text(rng, rng.choice(SEEDS["page"])[: rng.randint(1, 3000)], SEEDS["page"])
        line = json.dumps({"id": "fuzz", "text": text}, ensure_ascii=False)
        articles = [a for a in jsonl_articles(line, "fuzz.jsonl", "fuzz") if not isinstance(a, InputError)]
        try:
            list(annotate(nlp, articles))
        except Exception as error:  # a crash of the pipeline on this text
            frame = traceback.extract_tb(error.__traceback__)[-1]
            trace = "".join(traceback.format_exception(error))[-2000:]
            found.append((f"{type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}", index, trace))
    return "pipeline", count, time.perf_counter() - started, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=1_000_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pipeline", type=int, default=1000, help="texts through the whole pipeline too")
    parser.add_argument("--targets", nargs="+", choices=sorted(SHARES), help="only these targets (default: all)")
    args = parser.parse_args()
    shares = {k: v for k, v in SHARES.items() if not args.targets or k in args.targets}
    total_share = sum(shares.values())
    jobs = []
    for kind, share in shares.items():
        count = max(1, round(args.inputs * share / total_share))
        step = max(1, count // (8 * args.processes))
        jobs.extend((kind, min(step, count - first), args.seed, first) for first in range(0, count, step))
    started = time.perf_counter()
    done: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    crashed: dict[str, list[tuple[str, int, str]]] = {}
    with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
        results = list(pool.imap_unordered(run_share, jobs))
        if args.pipeline:
            results.append(pool.apply(pipeline_share, ((args.pipeline, args.seed),)))
    for kind, count, spent, found in results:
        done[kind] += count
        seconds[kind] += spent
        crashed.setdefault(kind, []).extend(found)
    wall = time.perf_counter() - started
    print(f"{'target':<14}{'inputs':>10}{'crashes':>9}{'inputs/s':>10}")
    for kind in [*shares, *(["pipeline"] if args.pipeline else [])]:
        rate = done[kind] / seconds[kind] if seconds[kind] else 0.0
        print(f"{kind:<14}{done[kind]:>10,}{len(crashed.get(kind, [])):>9}{rate:>10,.0f}")
    total = sum(done.values())
    n_crashes = sum(len(v) for v in crashed.values())
    print(f"{'all':<14}{total:>10,}{n_crashes:>9}   in {wall:,.0f} s with {args.processes} process(es)")
    for kind, found in crashed.items():
        places = Counter(where for where, _, _ in found)
        for where, n in places.most_common():
            index, trace = next((i, t) for w, i, t in found if w == where)
            again = f"generate(input_rng({args.seed}, {kind!r}, {index}), {kind!r})"
            print(f"\ncrash: {kind}: {where} ({n}x), first input: {again}\n{trace}")
    sys.exit(1 if n_crashes else 0)


if __name__ == "__main__":
    main()
