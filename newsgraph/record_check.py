"""What a record file must hold before any command reads it: the record's shape, checked whole.

Records come back from annotators' tools, from hand edits and from other programs, and every
reader downstream (resolution, places, the graph, the exports) trusts the fields it reads. So
one check, here, says for each record what is wrong with it, by its path
(`entities[3].start: expected an integer, got str`), before any of them runs:

- every field a reader uses has its type (extra fields are kept and never read);
- offsets are integers inside the text, start before end, and a mention's `text` is the text
  at its offsets;
- labels are the six of docs/ANNOTATION.md;
- every mention a quantity, official, event or relation names is one of the record's own;
- the map to the source is a list of runs that covers the text, in order.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

LABEL_ORDER = ("ORG", "PLACE", "PERSON", "TITLE", "DATE", "QUANTITY")  # docs/ANNOTATION.md's order, as tools show it
LABELS = frozenset(LABEL_ORDER)
NONE = type(None)


class Problem(ValueError):
    """What is wrong, and where in the record (`str()` gives both)."""


@dataclass(frozen=True)
class Obj:
    required: dict[str, Any]
    optional: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ListOf:
    item: Any


TEXT = (str,)
OPT_TEXT = (str, NONE)
INT = (int,)
OPT_INT = (int, NONE)
OPT_NUM = (int, float, NONE)
TEXTS = ListOf(TEXT)

DATE_VALUE = Obj(
    {"kind": TEXT},
    {
        **dict.fromkeys(("year", "month", "day", "hour", "minute", "offset", "year_offset"), OPT_INT),
        **dict.fromkeys(("part", "relation", "offset_unit", "anchor", "year_source", "named"), OPT_TEXT),
    },
)
ENTITY = Obj(
    {"id": TEXT, "label": TEXT, "text": TEXT, "start": INT, "end": INT},
    {"entity_id": OPT_TEXT, "event_id": OPT_TEXT, "date": (DATE_VALUE, NONE)},
)
QUANTITY = Obj(
    {"mention": OPT_TEXT},
    {
        **dict.fromkeys(("value", "low", "high"), OPT_NUM),
        **dict.fromkeys(("unit", "approx", "comparator", "object", "short"), OPT_TEXT),
        "object_span": (ListOf(INT), NONE),
    },
)
OFFICIAL = Obj(
    {},
    {
        "person": OPT_TEXT,
        "name": OPT_TEXT,
        "titles": ListOf(Obj({"title": TEXT}, {"mention": OPT_TEXT, "org": OPT_TEXT})),
    },
)
EVENT = Obj(
    {"id": TEXT, "type": TEXT, "trigger": TEXT, "start": INT, "end": INT},
    {
        "trigger_start": INT,
        "trigger_end": INT,
        "date": OPT_TEXT,
        "date_inherited": (Obj({}, {"mention": OPT_TEXT, "article": OPT_TEXT}), NONE),
        "places": TEXTS,
        "participants": TEXTS,
        "quantities": TEXTS,
    },
)
RELATION = Obj({"type": TEXT, "head": TEXT}, {"tail": TEXT, "tail_name": TEXT})
REFERENCE = Obj(
    {"start": INT, "end": INT, "text": TEXT},
    {"level": OPT_TEXT, "entity_id": OPT_TEXT, "event_id": OPT_TEXT},
)
LARGEST = 10**15  # no count or amount of a news report comes near: larger is an error, not a number
PART = Obj({"kind": TEXT, "start": INT, "end": INT}, {"source_start": INT, "source_end": INT})
SOURCE = Obj({}, {"path": OPT_TEXT, "line": OPT_INT, "start": OPT_INT, "end": OPT_INT, "map": ListOf(ListOf(INT))})
RECORD = Obj(
    {"id": TEXT, "text": TEXT, "entities": ListOf(ENTITY)},
    {
        "source": (SOURCE, NONE),
        **dict.fromkeys(("date", "kicker", "headline", "section_place"), OPT_TEXT),
        **dict.fromkeys(("subheads", "reporters", "correspondents"), TEXTS),
        "parts": ListOf(PART),
        "quantities": ListOf(QUANTITY),
        "officials": ListOf(OFFICIAL),
        "events": ListOf(EVENT),
        "relations": ListOf(RELATION),
        "references": ListOf(REFERENCE),
    },
)


def _name(kind: Any) -> str:
    if isinstance(kind, Obj):
        return "an object"
    if isinstance(kind, ListOf):
        return "a list"
    return {str: "text", int: "an integer", float: "a number", NONE: "null"}.get(kind, kind.__name__)


def _check(value: Any, spec: Any, where: str) -> None:
    kinds = spec if isinstance(spec, tuple) else (spec,)
    for kind in kinds:
        if isinstance(kind, Obj) and isinstance(value, dict):
            return _check_obj(value, kind, where)
        if isinstance(kind, ListOf) and isinstance(value, list):
            for i, item in enumerate(value):
                _check(item, kind.item, f"{where}[{i}]")
            return None
        if isinstance(kind, type) and isinstance(value, kind) and not (isinstance(value, bool) and kind is not bool):
            if isinstance(value, float) and not math.isfinite(value):
                raise Problem(f"{where}: {value} is no number a record can hold")
            if isinstance(value, int | float) and not -LARGEST <= value <= LARGEST:
                raise Problem(f"{where}: a number beyond ±10^15 is none a record can hold")
            return None
    wanted = " or ".join(_name(k) for k in kinds)
    raise Problem(f"{where}: expected {wanted}, got {_name(type(value))}")


def _check_obj(value: dict[str, Any], spec: Obj, where: str) -> None:
    for key, kind in spec.required.items():
        if key not in value:
            raise Problem(f"{where}: no {key!r}")
        _check(value[key], kind, f"{where}.{key}")
    for key, kind in spec.optional.items():
        if key in value:
            _check(value[key], kind, f"{where}.{key}")


def record_problem(record: Any) -> str | None:
    """What is wrong with `record` (see the module doc), or None for a record every reader can use."""
    try:
        if not isinstance(record, dict):
            raise Problem(f"a record is an object, got {_name(type(record))}")
        _check_obj(record, RECORD, "record")
        _check_offsets(record)
        _check_references(record)
        _check_map(record)
    except Problem as problem:
        return str(problem)
    return None


def _span(text: str, start: int, end: int, where: str, empty: bool = False) -> None:
    if not (start >= 0 and (start <= end if empty else start < end) and end <= len(text)):
        raise Problem(f"{where}: offsets {start}-{end} are not a span of the text ({len(text)} characters)")


def _check_offsets(record: dict[str, Any]) -> None:
    text = record["text"]
    for i, mention in enumerate(record["entities"]):
        where = f"entities[{i}]"
        _span(text, mention["start"], mention["end"], where)
        if text[mention["start"] : mention["end"]] != mention["text"]:
            raise Problem(f"{where}: text {mention['text']!r} is not the text at its offsets")
        if mention["label"] not in LABELS:
            raise Problem(f"{where}: unknown label {mention['label']!r} (one of {', '.join(sorted(LABELS))})")
    for i, event in enumerate(record.get("events", [])):
        _span(text, event["start"], event["end"], f"events[{i}]")
        if "trigger_start" in event or "trigger_end" in event:
            start, end = event.get("trigger_start", -1), event.get("trigger_end", -1)
            _span(text, start, end, f"events[{i}].trigger")
    for key in ("parts", "references"):
        for i, item in enumerate(record.get(key, [])):
            _span(text, item["start"], item["end"], f"{key}[{i}]", empty=key == "parts")
    for i, ref in enumerate(record.get("references", [])):
        if text[ref["start"] : ref["end"]] != ref["text"]:
            raise Problem(f"references[{i}]: text {ref['text']!r} is not the text at its offsets")
    for i, quantity in enumerate(record.get("quantities", [])):
        span = quantity.get("object_span")
        if span is not None:
            if len(span) != 2:
                raise Problem(f"quantities[{i}].object_span: expected [start, end]")
            _span(text, span[0], span[1], f"quantities[{i}].object_span")


def given_twice(ids: list[str]) -> str | None:
    """The first id that `ids` holds more than once, if any (in linear time)."""
    return next((i for i, n in Counter(ids).items() if n > 1), None)


def _check_ids(record: dict[str, Any]) -> None:
    """Mention and event ids are text without `/` (graph keys join them to the record id with
    `/`: m1 of record p/1 and 1/m1 of record p would meet), and entity ids are not empty."""
    for key in ("entities", "events"):
        for i, item in enumerate(record.get(key, [])):
            if not item["id"] or "/" in item["id"]:
                raise Problem(f"{key}[{i}].id: {item['id']!r} is not an id (text without /)")
    for key in ("entities", "references"):
        for i, item in enumerate(record.get(key, [])):
            if item.get("entity_id") == "" or item.get("event_id") == "":
                raise Problem(f"{key}[{i}]: an entity_id or event_id is null or text, never empty")


def _check_references(record: dict[str, Any]) -> None:
    _check_ids(record)
    known = [m["id"] for m in record["entities"]]
    twice = given_twice(known)
    if twice is not None:
        raise Problem(f"entities: mention id {twice!r} given twice")
    refs: list[tuple[str, str | None]] = []
    for i, q in enumerate(record.get("quantities", [])):
        refs.append((f"quantities[{i}].mention", q["mention"]))
    for i, official in enumerate(record.get("officials", [])):
        refs.append((f"officials[{i}].person", official.get("person")))
        refs.extend((f"officials[{i}].titles[{j}]", t.get("mention")) for j, t in enumerate(official.get("titles", [])))
    for i, event in enumerate(record.get("events", [])):
        refs.append((f"events[{i}].date", event.get("date")))
        inherited = event.get("date_inherited") or {}
        refs.append((f"events[{i}].date_inherited", inherited.get("mention")))
        for role in ("places", "participants", "quantities"):
            refs.extend((f"events[{i}].{role}", ref) for ref in event.get(role, []))
    for i, relation in enumerate(record.get("relations", [])):
        refs.extend((f"relations[{i}].{end}", relation.get(end)) for end in ("head", "tail"))
        if (relation.get("tail") is None) == (relation.get("tail_name") is None):
            raise Problem(f"relations[{i}]: give a tail (a mention) or a tail_name, one of them")
    ids = set(known)
    events = [e["id"] for e in record.get("events", [])]
    twice = given_twice(events)
    if twice is not None:
        raise Problem(f"events: event id {twice!r} given twice")
    for where, ref in refs:
        if ref is not None and ref not in ids:
            raise Problem(f"{where} refers to mention {ref!r}, which the record does not have")
    for i, mention in enumerate(record["entities"]):
        if mention.get("event_id") is not None and mention["event_id"] not in events:
            raise Problem(f"entities[{i}].event_id refers to event {mention['event_id']!r}, which it does not have")


def _check_map(record: dict[str, Any]) -> None:
    source = record.get("source") or {}
    runs = source.get("map")
    if runs is None:
        return
    covered = 0
    for i, run in enumerate(runs):
        if len(run) != 3 or run[0] != covered or run[1] < 0 or run[2] < 0:
            raise Problem(f"source.map[{i}]: not a run [text_start, source_start, length] following the one before")
        covered += run[2]
    if covered != len(record["text"]):
        raise Problem(f"source.map: its runs cover {covered} characters, the text has {len(record['text'])}")
