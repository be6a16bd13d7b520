"""Put an annotator's corrected spans and relations back into a record (shared by the importers).

Mentions the annotator kept keep their ids (m5 stays m5), so events, officials and quantities
that point to them still hold; a new span gets the next free id; references to a deleted
mention are dropped. A QUANTITY keeps its attributes when its span is unchanged, else they
are unknown (null) until someone fills them in.
"""

from __future__ import annotations

import copy
from typing import Any

QUANTITY_KEYS = ("value", "unit", "approx", "comparator", "low", "high", "object")


def apply_corrections(
    record: dict[str, Any], spans: list[dict[str, Any]], relations: list[dict[str, Any]]
) -> dict[str, Any]:
    """`record` with its entities replaced by `spans` ({id?, label, start, end}) and its
    mention-to-mention relations by `relations` ({type, head, tail}, ids as in `spans`)."""
    out = copy.deepcopy(record)
    text = out["text"]
    old = {m["id"]: m for m in record.get("entities", [])}
    taken = {s["id"] for s in spans if s.get("id") in old}
    next_id = 1 + max((int(i[1:]) for i in old if i[1:].isdigit()), default=0)
    renamed: dict[str, str] = {}
    entities = []
    for span in sorted(spans, key=lambda s: (s["start"], s["end"], s["label"])):
        mention_id = span.get("id")
        if mention_id not in taken:
            new_id = f"m{next_id}"
            next_id += 1
            if mention_id is not None:
                renamed[mention_id] = new_id
            mention_id = new_id
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
    out["quantities"] = [_quantity(m, record) for m in entities if m["label"] == "QUANTITY"]
    mention_relations = [
        {"type": r["type"], "head": renamed.get(r["head"], r["head"]), "tail": renamed.get(r["tail"], r["tail"])}
        for r in relations
    ]
    out["relations"] = _relations(record.get("relations", []), mention_relations, alive)
    for event in out.get("events", []):
        for role in ("places", "participants", "quantities"):
            event[role] = [m for m in event.get(role, []) if m in alive]
        if event.get("date") not in alive:
            event["date"] = None
    for official in out.get("officials", []):
        official["titles"] = [t for t in official.get("titles", []) if t.get("mention") in alive]
        if official.get("person") is not None and official["person"] not in alive:
            official["person"] = official["name"] = None  # the name was deleted: the titles stay
    out["officials"] = [o for o in out.get("officials", []) if o["titles"]]
    return out


def _relations(before: list[dict], mention_relations: list[dict], alive: dict) -> list[dict]:
    """The relations in their old order, new ones after; a relation to a place that is no mention
    (tail_name) is not shown to annotators and stays while its head does."""
    wanted = [r for r in mention_relations if r["head"] in alive and r["tail"] in alive]
    out = []
    for relation in before:
        if "tail" not in relation:
            if relation.get("head") in alive:
                out.append(relation)
        elif relation in wanted:
            out.append(relation)
            wanted.remove(relation)
    return out + wanted


def _same(before: dict[str, Any], span: dict[str, Any]) -> bool:
    return (before["start"], before["end"], before["label"]) == (span["start"], span["end"], span["label"])


def _quantity(mention: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """The quantity's attributes from the record when its span is unchanged, else unknown."""
    old = {m["id"]: m for m in record.get("entities", [])}
    attrs = {q["mention"]: q for q in record.get("quantities", [])}
    before = old.get(mention["id"])
    if before is not None and _same(before, mention) and mention["id"] in attrs:
        return dict(attrs[mention["id"]])
    return {"mention": mention["id"], **dict.fromkeys(QUANTITY_KEYS)}
