"""Records of the shipped pipeline on fixed inputs, to show a change keeps behaviour the same.

    python bench/snapshot_records.py write DIR     # before the change
    python bench/snapshot_records.py compare DIR   # after it: exit 1 and the first differences

The inputs: the sample page (corpus/pages/page-000.txt), the hand-written event cases
(tests/fixtures/event_cases*.jsonl), the People's Daily sample fixture, and, where ../shared is
present, the in-domain dev split. Each input's records are written as JSONL, one file an input;
`compare` runs the pipeline again and compares record by record, field by field.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsgraph.annotate import annotate
from newsgraph.errors import InputError
from newsgraph.inputs import read_inputs
from newsgraph.paths import PROJECT_ROOT as REPO
from newsgraph.pipeline import load_pipeline
from newsgraph.records import ArticleInput
from newsgraph.resolve import resolve

FILE_INPUTS = {
    "seed-page": REPO / "corpus" / "pages" / "page-000.txt",
    "rmrb-sample": REPO / "tests" / "fixtures" / "rmrb_sample.txt",
    **{path.stem: path for path in sorted((REPO / "tests" / "fixtures").glob("event_cases*.jsonl"))},
}


def input_sets() -> Iterator[tuple[str, list[ArticleInput]]]:
    """(name, articles) of every input set there is here."""
    for name, path in FILE_INPUTS.items():
        items = list(read_inputs([path]))
        bad = next((item for item in items if isinstance(item, InputError)), None)
        if bad is not None:
            raise bad
        yield name, [item for item in items if isinstance(item, ArticleInput)]
    from newsgraph.corpus import load_annotations, load_sources

    try:
        gold = load_annotations(split="dev")
    except (InputError, OSError):  # no ../shared here: the in-domain split is left out
        return
    sources = load_sources({r["id"] for r in gold})
    yield "indomain-dev", [sources[i] for i in sorted(sources)]


def records_of(nlp: Any, articles: list[ArticleInput]) -> list[dict[str, Any]]:
    return list(resolve(annotate(nlp, articles)))


def lines(records: list[dict[str, Any]]) -> list[str]:
    """Records as JSON lines, each source path relative to the checkout (snapshots compare
    across checkouts)."""
    out = []
    for record in records:
        path = Path(record["source"]["path"])
        if path.is_absolute() and path.is_relative_to(REPO):
            record = {**record, "source": {**record["source"], "path": str(path.relative_to(REPO))}}
        out.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return out


def first_differences(before: list[str], after: list[str], limit: int = 5) -> list[str]:
    """Where two snapshots differ: the article and the first field that does."""
    out = []
    if len(before) != len(after):
        out.append(f"{len(before)} records before, {len(after)} after")
    for old, new in zip(before, after, strict=False):
        if old == new:
            continue
        a, b = json.loads(old), json.loads(new)
        fields = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
        out.append(f"{a.get('id')}: {', '.join(fields)} differ")
        if len(out) >= limit:
            break
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("write", "compare"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--model", type=Path, default=None, help="the model to run (default: the shipped one)")
    args = parser.parse_args(argv)
    nlp = load_pipeline(args.model)
    differ = 0
    for name, articles in input_sets():
        got = lines(records_of(nlp, articles))
        path = args.folder / f"{name}.jsonl"
        if args.action == "write":
            args.folder.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(line + "\n" for line in got), encoding="utf-8")
            print(f"{name}: {len(got)} records → {path}")
            continue
        if not path.exists():
            print(f"{name}: no snapshot at {path}", file=sys.stderr)
            differ += 1
            continue
        problems = first_differences(path.read_text(encoding="utf-8").splitlines(), got)
        differ += bool(problems)
        print(f"{name}: {len(got)} records, " + ("identical" if not problems else "DIFFERENT"))
        for problem in problems:
            print(f"  {problem}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
