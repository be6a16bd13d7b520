"""Put an annotator's corrected spans and relations back into a record (shared by the importers).

Mentions the annotator kept keep their ids (m5 stays m5), so events, officials and quantities
that point to them still hold; a new span gets the next free id; references to a deleted
mention are dropped. A QUANTITY keeps its attributes when its span is unchanged, else they
are unknown (null) until someone fills them in. Officials follow their mentions: a title or
name the annotator moved, or deleted and drew again over the same characters, is the
official's still, with its text (and, for a title whose text changed, the organisation the
officials' rules give it) as it is now.

Nothing here trusts its input: `record_problem` says what keeps an exported record (a brat
sidecar, a Label Studio task's `data.record`) from being corrected, `span_problem` what is
wrong with one span, and `correct` raises `CorrectionError` rather than make a record with a
span outside the text, a label not ours or a relation to no span. The readers turn these into
an `InputError` that names the file and line, or the task.
"""

from __future__ import annotations

import copy
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Container, Iterable
from typing import Any

from newsgraph import record_check
from newsgraph.officials import Mention, find_officials
from newsgraph.patterns import EVENT_TYPES

LABELS = record_check.LABEL_ORDER
RELATIONS = ("located_in",)
QUANTITY_KEYS = ("value", "unit", "approx", "comparator", "low", "high", "object")
NUMBER, TEXT = "a number", "text"
QUANTITY_TYPES = {
    "value": NUMBER,
    "unit": TEXT,
    "approx": TEXT,
    "comparator": TEXT,
    "low": NUMBER,
    "high": NUMBER,
    "object": TEXT,
}
ROLES = ("places", "participants", "quantities")  # an event's lists of mentions; its `date` is one


class CorrectionError(ValueError):
    """A correction that would make no valid record; the reader says where it was."""


def short(value: object, limit: int = 60) -> str:
    """`repr(value)`, cut to `limit` characters: what an error message shows of the input."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def span_problem(label: object, start: object, end: object, text: str) -> str | None:
    """What is wrong with a span of `text` (None: nothing): a label not ours, offsets that are
    no whole numbers, or no characters of the text."""
    if not isinstance(label, str) or label not in LABELS:
        return f"unknown label {short(label)} (ours: {', '.join(LABELS)})"
    if not is_int(start) or not is_int(end):
        return f"offsets {short(start)}-{short(end)} are not whole numbers"
    if not 0 <= start < end <= len(text):
        return f"span {start}-{end} is not inside the text (0-{len(text)}) or is empty"
    return None


def note_problem(note: dict[str, Any]) -> str | None:
    """What is wrong with a quantity's attributes (None: nothing)."""
    for key, kind in QUANTITY_TYPES.items():
        value = note.get(key)
        if value is None:
            continue
        if kind == NUMBER:
            ok = is_int(value) or (isinstance(value, float) and math.isfinite(value))
        else:
            ok = isinstance(value, str)
        if not ok:
            return f"quantity {key} {short(value)} is not {kind} (or null)"
    return None


def record_problem(record: Any) -> str | None:
    """What keeps `record` from being shown to annotators and corrected (None: nothing): what
    any reader needs of a record (newsgraph/record_check.py), and the types the importers
    show: relations between mentions of our types, shown events (those with a trigger's
    range) of our event types."""
    problem = record_check.record_problem(record)
    if problem:
        return problem
    for i, relation in enumerate(record.get("relations", [])):
        if has_tail(relation) and relation["type"] not in RELATIONS:
            return f"relations[{i}]: type {short(relation['type'])} is not one of ours ({', '.join(RELATIONS)})"
    for i, event in enumerate(record.get("events", [])):
        if "trigger_start" in event and event["type"] not in EVENT_TYPES:
            return f"events[{i}]: type {short(event['type'])} is not one of ours"
    return None


def has_tail(relation: Any) -> bool:
    """Whether a relation's tail is a mention (its id): a null tail is none, as an absent one
    (the relation then names its place, `tail_name`, and is not shown to annotators)."""
    return isinstance(relation, dict) and isinstance(relation.get("tail"), str)


def next_number(ids: Iterable[str], prefix: str) -> int:
    """One more than the highest `<prefix><digits>` id (m12 → 13), 1 when there is none."""
    numbers = [int(i[1:]) for i in ids if i[:1] == prefix and i[1:].isascii() and i[1:].isdigit()]
    return 1 + max(numbers, default=0)


def apply_corrections(
    record: dict[str, Any], spans: list[dict[str, Any]], relations: list[dict[str, Any]]
) -> dict[str, Any]:
    """`record` with its entities replaced by `spans` ({id?, ref?, label, start, end}) and its
    mention-to-mention relations by `relations` ({type, head, tail}, refs as in `spans`)."""
    return correct(record, spans, relations)[0]


def correct(
    record: dict[str, Any], spans: list[dict[str, Any]], relations: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The corrected record, and each span's ref → its mention id there.

    A span's `id` is the mention it corrects: the first span (in text order) that names one of
    the record's mentions keeps that id, any other gets the next free one. Its `ref` (its id
    when it has none) is what relations (and the reader) call it by."""
    text = record["text"]
    refs: set[str] = set()
    for span in spans:
        problem = span_problem(span.get("label"), span.get("start"), span.get("end"), text)
        ref = span.get("ref", span.get("id"))
        if problem:
            raise CorrectionError(f"{ref}: {problem}" if isinstance(ref, str) else problem)
        if not isinstance(span.get("id"), str | None) or not isinstance(ref, str | None):
            raise CorrectionError(f"span id {short(span.get('id'))} is not text")
        if ref is not None and ref in refs:
            raise CorrectionError(f"{ref} is there twice")
        if ref is not None:
            refs.add(ref)
    out = copy.deepcopy(record)
    old = {m["id"]: m for m in record.get("entities", [])}
    next_id = next_number(old, "m")
    ids: dict[str, str] = {}
    claimed: set[str] = set()
    entities = []
    for span in sorted(spans, key=lambda s: (s["start"], s["end"], s["label"])):
        mention_id = span.get("id")
        if mention_id not in old or mention_id in claimed:
            mention_id = f"m{next_id}"
            next_id += 1
        claimed.add(mention_id)
        ref = span.get("ref", span.get("id"))
        if ref is not None:
            ids[ref] = mention_id
        before = old.get(mention_id, {})
        entities.append(
            {
                "id": mention_id,
                "label": span["label"],
                "start": span["start"],
                "end": span["end"],
                "text": text[span["start"] : span["end"]],
                "entity_id": before.get("entity_id"),
                "event_id": before.get("event_id"),
                **({"date": before["date"]} if "date" in before and _same(before, span) else {}),
            }
        )
    out["entities"] = entities
    alive = {m["id"]: m for m in entities}
    attrs = {q["mention"]: q for q in record.get("quantities", [])}  # once per record, not per mention
    out["quantities"] = [_quantity(m, old, attrs) for m in entities if m["label"] == "QUANTITY"]
    mention_relations = []
    for relation in relations:
        kind, head, tail = relation.get("type"), relation.get("head"), relation.get("tail")
        if kind not in RELATIONS:
            raise CorrectionError(f"relation type {short(kind)} is not one of ours ({', '.join(RELATIONS)})")
        missing = [end for end in (head, tail) if not isinstance(end, str) or end not in ids]
        if missing:
            raise CorrectionError(f"relation {short(head)} → {short(tail)}: {short(missing[0])} is no span")
        mention_relations.append({"type": kind, "head": ids[head], "tail": ids[tail]})
    out["relations"] = _relations(record.get("relations", []), mention_relations, alive)
    for event in out.get("events", []):
        for role in ROLES:
            event[role] = [m for m in event.get(role, []) if m in alive]
        settle_date(event, alive)
    out["officials"] = _officials(out.get("officials", []), old, entities, text)
    return out, ids


def settle_date(event: dict[str, Any], alive: Container[str]) -> None:
    """An event's date is one of its mentions, or none; the date it inherits (an earlier
    mention's, the article's) goes once it has one of its own, or once that mention is gone."""
    if event.get("date") not in alive:
        event["date"] = None
    inherited = event.get("date_inherited")
    if isinstance(inherited, dict):
        mention = inherited.get("mention")
        if event["date"] is not None or (mention is not None and mention not in alive):
            event["date_inherited"] = None


def _officials(officials: list[dict], old: dict[str, dict], entities: list[dict], text: str) -> list[dict]:
    """Officials that follow their mentions: a title's text is its mention's now, and a title
    whose text changed gets the organisation the officials' rules give it in the corrected
    article; an official with no title left goes, one whose name went keeps its titles, nameless."""
    alive = {m["id"]: m for m in entities}
    new: dict[str, list[dict]] = {}  # the new mentions of each label, in text order (entities are)
    for m in entities:
        if m["id"] not in old:
            new.setdefault(m["label"], []).append(m)
    starts = {label: [m["start"] for m in group] for label, group in new.items()}
    longest = {label: max(m["end"] - m["start"] for m in group) for label, group in new.items()}
    ruled: dict[str, str | None] | None = None

    def follow(mention_id: str | None, label: str) -> str | None:
        """The mention `mention_id` is now: itself while it has `label`; else (deleted, drawn
        again, relabelled) the new mention of that label that overlaps it most."""
        now = alive.get(mention_id) if mention_id is not None else None
        if now is not None and now["label"] == label:
            return mention_id
        before = old.get(mention_id) if mention_id is not None else None
        if before is None:
            return None

        def overlap(m: dict) -> int:
            return min(m["end"], before["end"]) - max(m["start"], before["start"])

        if label not in new:
            return None
        # only a mention that starts less than `longest` before it, and before its end, can
        # overlap it: those, found by bisection, not every new mention for every official
        lo = bisect_left(starts[label], before["start"] - longest[label] + 1)
        hi = bisect_left(starts[label], before["end"])
        best = max((m for m in new[label][lo:hi] if overlap(m) > 0), key=overlap, default=None)
        return None if best is None else best["id"]

    out = []
    for official in officials:
        titles: list[dict] = []
        taken: set[str] = set()
        for title in official.get("titles", []):
            now = follow(title.get("mention"), "TITLE")
            if now is None or now in taken:
                continue
            taken.add(now)
            moved = {**title, "mention": now, "title": alive[now]["text"]}
            if moved["title"] != title.get("title"):
                ruled = _ruled_orgs(text, entities) if ruled is None else ruled
                moved["org"] = ruled.get(now)
            titles.append(moved)
        if not titles:
            continue
        person = official.get("person")
        person = None if person is None else follow(person, "PERSON")
        name = None if person is None else alive[person]["text"]
        out.append({**official, "person": person, "name": name, "titles": titles})
    return out


def _ruled_orgs(text: str, entities: list[dict]) -> dict[str, str | None]:
    """Each TITLE mention's organisation as the officials' rules (newsgraph/officials.py) give it."""
    mentions = [Mention(i, m["start"], m["end"], m["label"], m["text"]) for i, m in enumerate(entities)]
    orgs: dict[str, str | None] = {}
    for official in find_officials(text, mentions):
        for title in official["titles"]:
            orgs.setdefault(entities[title["mention"]]["id"], title["org"])
    return orgs


def _relations(before: list[dict], mention_relations: list[dict], alive: dict) -> list[dict]:
    """The relations in their old order, new ones after; a relation to a place that is no mention
    (tail_name) is not shown to annotators and stays while its head does."""
    wanted = [r for r in mention_relations if r["head"] in alive and r["tail"] in alive]
    left = Counter(_key(r) for r in wanted)  # how many times each is wanted (a Counter: no list scans)
    kept: Counter[tuple] = Counter()
    out = []
    for relation in before:
        if not has_tail(relation):
            if relation.get("head") in alive:
                out.append(relation)
        elif set(relation) == {"type", "head", "tail"} and kept[_key(relation)] < left[_key(relation)]:
            out.append(relation)
            kept[_key(relation)] += 1
    for relation in wanted:  # the rest, in their order: the first ones of each were kept above
        if kept[_key(relation)]:
            kept[_key(relation)] -= 1
        else:
            out.append(relation)
    return out


def _key(relation: dict) -> tuple[Any, Any, Any]:
    return relation.get("type"), relation.get("head"), relation.get("tail")


def _same(before: dict[str, Any], span: dict[str, Any]) -> bool:
    return (before["start"], before["end"], before["label"]) == (span["start"], span["end"], span["label"])


def _quantity(mention: dict[str, Any], old: dict[str, dict], attrs: dict[str, dict]) -> dict[str, Any]:
    """The quantity's attributes (`attrs`: the record's, by mention id) when its span is
    unchanged from the record's mention (`old`: by id), else unknown."""
    before = old.get(mention["id"])
    if before is not None and _same(before, mention) and mention["id"] in attrs:
        return dict(attrs[mention["id"]])
    return {"mention": mention["id"], **dict.fromkeys(QUANTITY_KEYS)}
