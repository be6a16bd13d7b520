"""Entity resolution across a batch: one `entity_id` for every real thing.

**The rule.** An ORG, PLACE or PERSON mention's id is derived from its content only:
`<type>/<sha1 of "type|canonical name|parent place">[:12]` (docs/DESIGN.md's `org/…`), so the same input gives the same
ids whatever the order of the records or the number of processes.

- **Canonical name.** The mention's text; for an ORG, the full name in place of a shorter one.
  A name that another ORG name ends with is the same body, if exactly one longer name does
  so. An ORG looks in its own article first (办事处 beside 薛家岛街道办事处), then across the
  batch (区立医院 and 青岛西海岸新区区立医院). With two candidates it stays as it is. Places
  and persons are not matched by their endings: 王家村 is not 大王家村.
- **Parent place.** Used for a PLACE. It is the place the record's `relations` put it in
  (`located_in`: 月亮湾路社区 in 隐珠街道), for every mention of that name in the article.
  Failing that, a small place (社区, 村, 小区, 路) takes the article's own 街道 or 镇: its
  section place (❷ 泊里镇), else its only one. So two 社区 of
  the same name under different 街道 are two things.
  - An ORG has no parent: its name already holds its place (珠海街道城管办), and a short one
    is matched to a full one across the batch.
  - A PERSON has none either: a name is the same person across the batch. Homonyms are a
    known limit.
- **Anaphors.** A PLACE written as a bare level word or with 本/该 (本社区, 该镇, 街道, 社区) takes
  the article's main place of that level where one stands out (the only one; else the only
  one the headline names; else the one named most often, alone), and stays unresolved (null)
  otherwise. The record's `references` (back-references that are no entity:
  同时，社区还积极搭建…) are resolved the same way, and share the place's id.

Two passes over the mentions, each linear in their number: collect the names per (type,
parent), then assign.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from newsgraph.patterns import place_levels
from newsgraph.places import anaphor_level, level_of

RESOLVED = ("ORG", "PLACE", "PERSON")


def entity_id(label: str, name: str, parent: str | None) -> str:
    digest = hashlib.sha1(f"{label}|{name}|{parent or ''}".encode()).hexdigest()[:12]
    return f"{label.lower()}/{digest}"


def resolve(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records with `entity_id` filled on every ORG, PLACE and PERSON mention and every
    reference (in place)."""
    records = list(records)
    keyed: list[tuple[dict[str, Any], str, str, str | None]] = []  # mention, label, name, parent
    for record in records:
        places = _article_places(record)
        main = _main_places(record, places)
        texts = {m["id"]: m["text"] for m in record.get("entities", [])}
        parents = _relation_parents(record, texts)
        parent_of_name = {texts[m]: parent for m, parent in sorted(parents.items()) if m in texts}
        in_article = _full_names({m["text"] for m in record.get("entities", []) if m["label"] == "ORG"})
        for mention in record.get("entities", []):
            if mention["label"] not in RESOLVED:
                continue
            name = _anaphor(mention["text"], main)
            if name is None:
                mention["entity_id"] = None
                continue
            if mention["label"] == "ORG":
                name = in_article.get(name, name)  # 办事处 beside 薛家岛街道办事处 in one article
            parent = None
            if mention["label"] == "PLACE":  # one parent for a name throughout its article
                parent = parents.get(mention["id"]) or parent_of_name.get(name) or _main_parent(record, name, places)
            keyed.append((mention, mention["label"], name, parent))
        for reference in record.get("references", []):  # 本社区, 同时，社区还… : no entity, but a place
            name = _anaphor(reference["text"], main)
            if name is None:
                reference["entity_id"] = None
                continue
            parent = parent_of_name.get(name) or _main_parent(record, name, places)
            keyed.append((reference, "PLACE", name, parent))
    by_context: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    for _mention, label, name, parent in keyed:
        by_context[(label, parent)].add(name)
    full = {context: _full_names(names) if context[0] == "ORG" else {} for context, names in by_context.items()}
    for mention, label, name, parent in keyed:
        canonical = full[(label, parent)].get(name, name)
        mention["entity_id"] = entity_id(label, canonical, parent)
    return records


def _full_names(names: set[str]) -> dict[str, str]:
    """Short name → the one longer name that ends with it (区立医院 → 青岛西海岸新区区立医院)."""
    ends: dict[str, list[str]] = defaultdict(list)
    for name in names:
        for k in range(1, len(name) - 1):  # every proper suffix of two characters or more
            ends[name[k:]].append(name)
    return {short: longer[0] for short in names if len(longer := ends.get(short, [])) == 1}


def _relation_parents(record: dict[str, Any], texts: dict[str, str]) -> dict[str, str]:
    """Mention id → the place a located_in relation puts it in (a mention's text or a tail_name)."""
    parents = {}
    for relation in record.get("relations", []):
        if relation.get("type") == "located_in":
            tail = texts.get(relation.get("tail")) if "tail" in relation else relation.get("tail_name")
            if tail:
                parents[relation["head"]] = tail
    return parents


def _article_places(record: dict[str, Any]) -> dict[str, set[str]]:
    """The article's named places by level (its section place counts)."""
    out: dict[str, set[str]] = defaultdict(set)
    for name in _place_names(record):
        level = level_of(name)
        if level is not None and anaphor_level(name) is None:
            out[level].add(name)
    return out


def _place_names(record: dict[str, Any]) -> list[str]:
    names = [m["text"] for m in record.get("entities", []) if m["label"] == "PLACE"]
    return [*names, record["section_place"]] if record.get("section_place") else names


def _main_places(record: dict[str, Any], places: dict[str, set[str]]) -> dict[str, str]:
    """Level → the article's main place of that level, where one stands out: the only one; else
    the only one its headline names (隐珠街道月亮湾路社区以…, beside a partner 兰东路社区); else
    the one named most often, if no other is named as often. Levels with none stand out are absent."""
    headline = record.get("headline") or ""
    counts = Counter(_place_names(record))
    out = {}
    for level, names in places.items():
        in_headline = {n for n in names if n in headline}
        ranked = sorted(names, key=lambda n: -counts[n])
        if len(names) == 1:
            out[level] = ranked[0]
        elif len(in_headline) == 1:
            out[level] = in_headline.pop()
        elif counts[ranked[0]] > counts[ranked[1]]:
            out[level] = ranked[0]
    return out


def _anaphor(text: str, main: dict[str, str]) -> str | None:
    """本社区, 该镇, 社区 → the article's main place of that level (None if none stands out);
    other names as they are."""
    level = anaphor_level(text)
    return text if level is None else main.get(level)


def _only(names: set[str]) -> str | None:
    return next(iter(names)) if len(names) == 1 else None


def _main_parent(record: dict[str, Any], name: str, places: dict[str, set[str]]) -> str | None:
    """For a small place (社区, 村, 小区, 路): the article's own 街道 or 镇, its section place first."""
    if level_of(name) not in place_levels()["small_level"]:
        return None
    section = record.get("section_place")
    if section and level_of(section) in place_levels()["parent_level"]:
        return section
    return _only({p for level in place_levels()["parent_level"] for p in places.get(level, set())})
