"""Places: the level of each place, and *located in* relations (docs/ANNOTATION.md).

Pure functions over an article's text and its entity spans, as in officials.py:

- **Adjacency.** Two PLACEs written together, the larger first, give the second inside the
  first: 隐珠街道月亮湾路社区 → 月亮湾路社区 in 隐珠街道. Both levels must be known (from the
  gazetteer or the suffix) and go down (街道 before 社区).
- **Names.** An ORG or PLACE whose name holds a place gives a relation to that place by name
  (`tail_name`), as docs/ANNOTATION.md writes it:
  - a name ending in a place word (街道 社区 镇 村 …) at its start: 珠海街道城管办 → 珠海街道,
    六汪镇乡村振兴工作队 → 六汪镇;
  - a gazetteer place, or its short form without the level word (青岛市 → 青岛, 西海岸新区
    → 西海岸), anywhere in it (…器件青岛生产基地 → 青岛);
  - else a site named after a village no list knows, by the village's form: 杨家山里红色教育基地
    → 杨家山里 (`village_before_site`).

A bare level word (区人大常委会, 社区党委) names no place and gives none. The article's section
place is not turned into relations here: the gold writes only what the text itself says.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Sequence
from itertools import accumulate, pairwise
from typing import Any

from newsgraph.events import Tokens, token_offsets
from newsgraph.officials import Mention, place_word_ends
from newsgraph.patterns import (
    gazetteer_place_levels,
    level_ranks,
    place_levels,
    place_suffix_levels,
    place_suffixes_longest_first,
    site_words,
    tag_sets,
)
from newsgraph.rule_data import rule_cache


def level_of(place: str) -> str | None:
    """The level of a place from its gazetteer entry or its suffix: 月亮湾路社区 → 社区."""
    known = gazetteer_place_levels().get(place)
    if known:
        return known
    if place in place_suffix_levels() or (place[1:] in place_suffix_levels() and place[:1] in "本该此"):
        return None  # 社区, 本社区: a level word or an anaphor, no place of its own
    for suffix, level in place_suffixes_longest_first():
        if place.endswith(suffix) and len(place) > len(suffix):
            return level
    return None


def located_in(text: str, mentions: Sequence[Mention]) -> list[dict[str, Any]]:
    """`{"type": "located_in", "head": index, "tail": index}` or `…, "tail_name": str}` relations."""
    ents = sorted(mentions, key=lambda m: m.start)
    out: list[dict[str, Any]] = []
    for left, right in pairwise(ents):
        if left.label == right.label == "PLACE" and left.end == right.start and _goes_down(left.text, right.text):
            out.append({"type": "located_in", "head": right.index, "tail": left.index})
    for mention in ents:
        if mention.label in ("ORG", "PLACE"):
            place = place_in_name(mention.text)
            if place is not None:
                out.append({"type": "located_in", "head": mention.index, "tail_name": place})
    return sorted(out, key=lambda r: (r["head"], r.get("tail", -1)))


def place_in_name(name: str) -> str | None:
    """The place a name holds (see the module doc), or None."""
    known = [place for place in gazetteer_place_levels() if name.startswith(place) and len(place) < len(name)]
    if known:
        return max(known, key=len)
    ends = []
    for suffix in place_levels()["name_suffix"]:  # a name ending in a place word, at the start: 六汪镇乡村振兴工作队
        at = name.find(suffix)
        while at >= 0:
            end = at + len(suffix)
            if at >= 2 and end < len(name) and (len(suffix) > 1 or place_word_ends(name, at)):
                ends.append(end)
            at = name.find(suffix, at + 1)
    if ends:
        return name[: min(ends)]
    if name in _gazetteer_names():
        return None  # a known place: 青岛西海岸新区 holds 西海岸新区, its other name, not a place it lies in
    best = None
    for place in _gazetteer_names():
        inside = place in name and len(place) < len(name) and not _names_itself(name, place)
        if inside and (best is None or (-len(place), place) < (-len(best), best)):
            best = place  # the longest; between two as long, the first in code-point order
    return best or village_before_site(name)


MIN_VILLAGE, MAX_VILLAGE = 3, 4


def village_before_site(name: str) -> str | None:
    """The village a site is named after, where no list knows it: what is left of
    杨家山里红色教育基地 without its head (基地) and the words that describe it (红色, 教育) is a
    village when it has the form of one: a surname + 家 (杨家山里, 王家庄) or a village ending
    (…庄, …峪, …屯). `patterns/site_words.tsv` holds the words."""
    words = site_words()
    rest = next((name[: -len(h)] for h in sorted(words["head"], key=len, reverse=True) if name.endswith(h)), None)
    if rest is None:
        return None
    stripped = True
    while stripped:
        stripped = False
        for word in words["descriptor"]:
            if rest.endswith(word) and len(rest) > len(word):
                rest, stripped = rest[: -len(word)], True
    if not MIN_VILLAGE <= len(rest) <= MAX_VILLAGE:
        return None
    surname_form = rest[0] in words["surname"] and rest[1] == "家"
    return rest if surname_form or rest[-1] in words["village_end"] else None


def _names_itself(name: str, place: str) -> bool:
    """青岛 inside 青岛市 is the place itself, shortened, not a place it lies in."""
    return name.startswith(place) and level_of(name) is not None and name[len(place) :] in place_suffix_levels()


def _goes_down(outer: str, inner: str) -> bool:
    """Both levels known, the outer one larger: a name cut in pieces (中 | 铁- | 阅唐小区) gives nothing."""
    a, b = level_of(outer), level_of(inner)
    ranks = level_ranks()
    return a is not None and b is not None and ranks.get(a, 9) < ranks.get(b, 9)


@rule_cache
def _gazetteer_names() -> frozenset[str]:
    """Gazetteer places and their short forms without the level word (≥ 2 characters)."""
    names = set(gazetteer_place_levels())
    for place in list(names):
        for suffix in place_suffix_levels():
            if place.endswith(suffix) and len(place) - len(suffix) >= 2:
                names.add(place[: -len(suffix)])
    return frozenset(names)


ANAPHOR_PREFIXES = ("本", "该", "此")


def anaphor_level(text: str) -> str | None:
    """The level a level word or an anaphor points at (社区, 本社区, 该镇 → 社区, 社区, 镇), or
    None for a name: these are no places of their own."""
    bare = text[1:] if text.startswith(ANAPHOR_PREFIXES) else text
    return bare if bare in place_levels()["level_word"] else None


# a bare level word refers back to the article's place after these (社区以…, 共同为社区发展)
REFERENCE_AFTER = frozenset("在到由对向为将把从与和及是经")
_REFERENCE = re.compile(r"(?:本|该|此)?(?:社区|街道|小区|镇|村|乡)")


def place_references(
    text: str, mentions: Sequence[Mention], words: Sequence[tuple[int, int, str]] | Tokens | None = None
) -> list[dict[str, Any]]:
    """Back-references to a place of the article that are no entity (docs/ANNOTATION.md leaves them
    untagged): 本社区, 该镇, and a bare level word at the start of a clause or after a preposition
    (同时，社区还积极搭建… ; 共同为社区发展出谋划策). `{"start", "end", "text", "level"}` each.
    A level word inside a longer word (社区治理体系, 各社区, 村民们, 基本社区) is none: with the
    tagged `words` (start, end, tag), a reference must be whole words, and a bare one must not
    run on into a noun (小区物业)."""
    covered = _Covered(mentions)
    starts: Container[int] | None = None
    ends: Container[int] = ()
    tags: dict[int, str] = {}
    if isinstance(words, Tokens):  # an article annotated in pieces: no set or dict per word
        starts, ends = token_offsets(len(text), words)
    elif words is not None:
        starts, ends = {w[0] for w in words}, {w[1] for w in words}
        tags = {w[0]: w[2] for w in words}
    out = []
    for match in _REFERENCE.finditer(text):
        start, end = match.span()
        if covered.overlaps(start, end):
            continue
        if starts is not None and (start not in starts or end not in ends):
            continue
        before = text[start - 1] if start else ""
        bare = match.group()[0] not in ANAPHOR_PREFIXES
        if (bare or starts is None) and _is_han(before) and before not in REFERENCE_AFTER:
            continue  # 的社区治理; without words, 基本社区 too (with them, whole words decide)
        if bare and _tag_at(words, tags, end) in tag_sets()["reference_noun"]:
            continue
        out.append({"start": start, "end": end, "text": match.group(), "level": anaphor_level(match.group())})
    return out


class _Covered:
    """The characters the mentions cover, asked in log time: a test against every mention for
    every level word was quadratic in a long article (mentions may overlap one another)."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        spans = sorted((m.start, m.end) for m in mentions)
        self.starts = [s for s, _ in spans]
        self.reach = list(accumulate((e for _, e in spans), max))  # the furthest end among the first k

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a mention overlaps [start, end): one that starts before `end` reaches past `start`."""
        before = bisect_left(self.starts, end)
        return before > 0 and self.reach[before - 1] > start


def _tag_at(words: Sequence[tuple[int, int, str]] | Tokens | None, tags: dict[int, str], offset: int) -> str | None:
    if isinstance(words, Tokens):
        token = words.at(offset)
        return None if token is None else token.tag
    return tags.get(offset)


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


TEXT_VOTE = 2  # a located_in the text writes, against 1 for a section place


def place_hierarchy(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The batch's places, each with its level and the place it lies in (区 ⊃ 街道/镇 ⊃ 社区/村 ⊃ 小区).

    Parents come from the records' `located_in` relations between places, and for a small
    place (社区, 村, 小区) with none, from its article's section place when that is a 街道 or 镇.
    A place given two different parents keeps the one with most votes (a relation the text
    writes counts twice a section place; ties: the first in name order), so the result does
    not depend on the order of the records.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    names: set[str] = set()
    for record in records:
        texts = {m["id"]: m["text"] for m in record.get("entities", []) if m["label"] == "PLACE"}
        names.update(texts.values())
        placed = set()
        for relation in record.get("relations", []):
            head, tail = texts.get(relation.get("head")), texts.get(relation.get("tail"))
            if relation.get("type") == "located_in" and head and tail:
                votes[head][tail] += TEXT_VOTE
                placed.add(head)
        section = record.get("section_place")
        if section and level_of(section) in ("街道", "镇", "乡"):
            names.add(section)
            for name in set(texts.values()) - placed:
                if level_of(name) in ("社区", "村", "小区") and name != section:
                    votes[name][section] += 1
    out = {}
    for name in sorted(n for n in names if anaphor_level(n) is None):
        parent = None
        if votes[name]:
            parent = sorted(votes[name].items(), key=lambda item: (-item[1], item[0]))[0][0]
        out[name] = {"level": level_of(name), "parent": parent}
    return out
