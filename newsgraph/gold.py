"""Gold records from a hand-written spec that names mentions by their surface.

Writing offsets by hand is error-prone; a spec lists each article's mentions in text
order as `[label, surface]` (each found after the one before), or `[label, surface, start]`
where an earlier copy of the surface is no mention, and refers to them by surface
(`surface#k` for the k-th mention of a repeated surface). This module finds every mention's offsets, links each
mention to the event whose report contains it, and writes records in the output format,
so `newsgraph evaluate` can read gold and predictions alike. Run:

    python -m newsgraph.gold corpus/gold/page-000.spec.json -o corpus/gold/page-000.jsonl
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from newsgraph.errors import InputError
from newsgraph.inputs import read_inputs
from newsgraph.jsonl import JsonProblem, parse
from newsgraph.output import AtomicWriter
from newsgraph.record_check import LABEL_ORDER
from newsgraph.records import ArticleInput, dumps, empty_record

LABELS = LABEL_ORDER
EDGE_CHARS = set(" \n，。、；：？！“”‘’（）《》「」…—·,.;:?!\"'()")


class SpecError(ValueError):
    pass


def _locate(text: str, surface: str, start: int, what: str) -> int:
    pos = text.find(surface, start)
    if pos < 0:
        raise SpecError(f"{what}: {surface!r} not found after offset {start}")
    return pos


def _mentions(article_id: str, text: str, spec: list[list[str]]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Entity mentions with offsets, and the reference → mention id table."""
    mentions: list[dict[str, Any]] = []
    counts = Counter(item[1] for item in spec)
    seen: Counter[str] = Counter()
    refs: dict[str, str] = {}
    cursor = 0
    for i, item in enumerate(spec, start=1):
        what = f"{article_id} entity {i}"
        label, surface, *at = item
        if label not in LABELS:
            raise SpecError(f"{what}: unknown label {label!r}")
        if not surface or surface[0] in EDGE_CHARS or surface[-1] in EDGE_CHARS:
            raise SpecError(f"{what}: {surface!r} is empty or has punctuation or space at an edge")
        if at:  # [label, surface, start]: where the surface stands, when an earlier copy is no mention
            start = at[0]
            if not isinstance(start, int) or start < cursor or text[start : start + len(surface)] != surface:
                raise SpecError(f"{what}: {surface!r} is not at offset {start!r} (after the mention before)")
        else:
            start = _locate(text, surface, cursor, what)
        cursor = start + len(surface)
        mention_id = f"m{i}"
        mentions.append(
            {
                "id": mention_id,
                "label": label,
                "start": start,
                "end": cursor,
                "text": surface,
                "entity_id": None,
                "event_id": None,
            }
        )
        seen[surface] += 1
        refs[f"{surface}#{seen[surface]}"] = mention_id
        if counts[surface] == 1:
            refs[surface] = mention_id
    return mentions, refs


def _ref(refs: dict[str, str], ref: str | None, what: str) -> str | None:
    if ref is None:
        return None
    if ref not in refs:
        raise SpecError(f"{what}: reference {ref!r} names no mention (repeated surfaces need surface#k)")
    return refs[ref]


def build_record(article: ArticleInput, spec: dict[str, Any]) -> dict[str, Any]:
    """One gold record: the article's own record filled from its spec."""
    record = empty_record(article)
    text = record["text"]
    mentions, refs = _mentions(article.id, text, spec.get("entities", []))
    by_id = {m["id"]: m for m in mentions}
    record["entities"] = mentions

    for q in spec.get("quantities", []):
        mention = _ref(refs, q["mention"], f"{article.id} quantity")
        if by_id[mention]["label"] != "QUANTITY":
            raise SpecError(f"{article.id} quantity {q['mention']!r} is not a QUANTITY mention")
        record["quantities"].append({**q, "mention": mention})

    for official in spec.get("officials", []):
        person = _ref(refs, official.get("person"), f"{article.id} official")
        titles = []
        for title in official["titles"]:
            mention = _ref(refs, title["mention"], f"{article.id} official title")
            titles.append({"mention": mention, "title": by_id[mention]["text"], "org": title.get("org")})
        name = by_id[person]["text"] if person else None
        record["officials"].append({"person": person, "name": name, "titles": titles})

    cursor = 0
    for n, event in enumerate(spec.get("events", []), start=1):
        what = f"{article.id} event {event.get('key', n)}"
        first, last = event["report"]
        start = _locate(text, first, cursor, what + " report start")
        end = _locate(text, last, start, what + " report end") + len(last)
        cursor = start + 1
        trigger_start = event.get("trigger_at")  # where the trigger stands, when an earlier copy is not it
        if trigger_start is None:
            trigger_start = _locate(text, event["trigger"], start, what + " trigger")
        elif (
            not isinstance(trigger_start, int)
            or text[trigger_start : trigger_start + len(event["trigger"])] != event["trigger"]
        ):
            raise SpecError(f"{what}: trigger {event['trigger']!r} is not at offset {trigger_start!r}")
        if trigger_start + len(event["trigger"]) > end:
            raise SpecError(f"{what}: trigger {event['trigger']!r} lies outside its report")
        event_id = f"e{n}"
        out = {
            "id": event_id,
            "type": event["type"],
            "trigger": event["trigger"],
            "trigger_start": trigger_start,
            "trigger_end": trigger_start + len(event["trigger"]),
            "start": start,
            "end": end,
            "date": _ref(refs, event.get("date"), what),
            "places": [_ref(refs, r, what) for r in event.get("places", [])],
            "participants": [_ref(refs, r, what) for r in event.get("participants", [])],
            "quantities": [_ref(refs, r, what) for r in event.get("quantities", [])],
        }
        for role in ("places", "participants", "quantities"):
            for mention_id in out[role]:
                mention = by_id[mention_id]
                if not (start <= mention["start"] and mention["end"] <= end):
                    raise SpecError(f"{what}: {role} {mention['text']!r} lies outside the report")
        for mention in mentions:
            if mention["event_id"] is None and start <= mention["start"] and mention["end"] <= end:
                mention["event_id"] = event_id
        record["events"].append(out)

    for relation in spec.get("relations", []):
        kind, head, tail = relation
        rel: dict[str, Any] = {"type": kind, "head": _ref(refs, head, f"{article.id} relation")}
        if isinstance(tail, dict):
            rel["tail_name"] = tail["tail_name"]
        else:
            rel["tail"] = _ref(refs, tail, f"{article.id} relation")
        record["relations"].append(rel)
    return record


def build_gold(spec_path: Path, root: Path | None = None) -> list[dict[str, Any]]:
    """All gold records of a spec, in the page's article order."""
    try:
        spec = parse(spec_path.read_text(encoding="utf-8"))
    except JsonProblem as problem:
        raise SpecError(str(problem)) from None
    root = root or Path.cwd()
    articles = [a for a in read_inputs([root / spec["page"]]) if isinstance(a, ArticleInput)]
    for article in articles:
        article.source["path"] = spec["page"]  # keep gold independent of the checkout's location
    by_id = {a.id: a for a in articles}
    unknown = sorted(set(spec["articles"]) - set(by_id))
    if unknown:
        raise SpecError(f"spec names articles the page does not have: {unknown}")
    return [build_record(a, spec["articles"].get(a.id, {})) for a in articles]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        records = build_gold(args.spec)
        with AtomicWriter(args.output) as writer:
            for record in records:
                writer.write_line(dumps(record))
            writer.commit()
    except (SpecError, InputError, KeyError) as err:
        print(f"error: {args.spec}: {err}", file=sys.stderr)
        return 1
    print(f"{len(records)} gold record(s) → {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
