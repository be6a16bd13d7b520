"""Choose the in-domain corpus's 400 articles of People's Daily 2019–2020: seeded, documented.

    python corpus/indomain/select.py [--source ../shared/corpora/peoples_daily_2019_2020/articles.jsonl]

What our users read is reporting on streets, communities, towns, counties and districts. So:

1. Each article gets a *local* score: how many times a thousand characters name a level below
   the province (街道 社区 镇 乡 村 县 区 and their bodies: 党工委 办事处 居委会 村委会 …).
2. Articles of 300–4,000 characters are candidates (shorter ones are notices and lists, longer
   ones would take a whole session each to annotate; hardness is no reason to leave one out).
3. The articles are drawn with a seeded random order weighted by `1 + local score` (so local
   reporting is favoured and national reporting still appears), one month after another in
   turn (the five months are spread evenly), with at most 8% of the selection from any one
   page and at most 10% naming any one province first (provinces spread).
4. Drawing stops when train has 280, dev 60 and test 60 articles; each article's split is
   fixed by crc32 of its id (newsgraph.corpus.split_of), so a split that is full is skipped.

Writes corpus/indomain/articles.jsonl: `id`, `sha1` of the text as the loader builds it,
`split`, `chars`, and the facts the draw used (`month`, `page`, `province`, `local`).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from collections import Counter
from pathlib import Path

from newsgraph.corpus import INDEX, SOURCE, dumps_line, iter_source, source_article, split_of, text_sha1
from newsgraph.errors import InputError

SEED = 20261204
WANTED = {"train": 280, "dev": 60, "test": 60}
MIN_CHARS, MAX_CHARS = 300, 4000
PAGE_SHARE, PROVINCE_SHARE = 0.08, 0.10
LOCAL = re.compile(r"街道|社区|[乡镇村县区](?:委|政府|长|里|级)?|党工委|办事处|居委会|村委会|网格")
DIVISIONS = Path(__file__).resolve().parents[3] / "shared" / "lexicons" / "china-division" / "provinces.csv"
PROVINCE_SUFFIXES = ("省", "市", "壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区")


def province_names(path: Path = DIVISIONS) -> dict[str, str]:
    """Full and short names of the 31 provinces → the full name (江苏省, 江苏 → 江苏省)."""
    names: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            full = row["name"]
            names[full] = full
            short = next((full.removesuffix(s) for s in PROVINCE_SUFFIXES if full.endswith(s)), full)
            names[short] = full
    names["内蒙古"] = names.get("内蒙古自治区", "内蒙古自治区")
    return names


def first_province(text: str, names: dict[str, str]) -> str | None:
    pattern = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    found = pattern.search(text)
    return names[found.group()] if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("-o", "--output", type=Path, default=INDEX)
    args = parser.parse_args()
    names = province_names()
    by_month: dict[str, list[dict]] = {}
    for lineno, obj in iter_source(args.source):
        try:
            article = source_article(obj, str(args.source), lineno)
        except InputError:
            continue
        text = article.text.text
        if not MIN_CHARS <= len(text) <= MAX_CHARS:
            continue
        local = 1000 * len(LOCAL.findall(text)) / len(text)
        entry = {
            "id": article.id,
            "sha1": text_sha1(text),
            "split": split_of(article.id),
            "chars": len(text),
            "month": str(obj.get("date", ""))[:6],
            "page": str(obj.get("page", "")),
            "province": first_province(text, names),
            "local": round(local, 2),
        }
        by_month.setdefault(entry["month"], []).append(entry)
    rng = random.Random(SEED)
    queues = {}
    for month, entries in sorted(by_month.items()):
        keys = [(rng.random() ** (1 / (1 + e["local"])), e["id"]) for e in entries]  # weighted order (Efraimidis)
        order = {k[1]: k[0] for k in keys}
        queues[month] = sorted(entries, key=lambda e: order[e["id"]], reverse=True)
    total = sum(WANTED.values())
    chosen: list[dict] = []
    have: Counter[str] = Counter()
    pages: Counter[str] = Counter()
    provinces: Counter[str] = Counter()
    while any(have[s] < n for s, n in WANTED.items()) and any(queues.values()):
        for month in sorted(queues):
            while queues[month]:
                entry = queues[month].pop(0)
                if have[entry["split"]] >= WANTED[entry["split"]]:
                    continue
                if pages[entry["page"]] >= PAGE_SHARE * total:
                    continue
                if entry["province"] and provinces[entry["province"]] >= PROVINCE_SHARE * total:
                    continue
                chosen.append(entry)
                have[entry["split"]] += 1
                pages[entry["page"]] += 1
                provinces[entry["province"] or ""] += 1
                break
    chosen.sort(key=lambda e: e["id"])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("".join(dumps_line(e) + "\n" for e in chosen), encoding="utf-8")
    months = Counter(e["month"] for e in chosen)
    print(f"{len(chosen)} articles → {args.output}: {dict(have)}; months {dict(sorted(months.items()))}")
    print(f"pages: {len(pages)}, most {pages.most_common(1)}")
    print(f"provinces: {len(provinces)}, most {provinces.most_common(3)}")


if __name__ == "__main__":
    main()
