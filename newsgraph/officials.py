"""Officials: who holds which title, and which organisation each title belongs to (docs/ANNOTATION.md).

Pure functions over an article's text and its entity spans, so that any tokens, and tests
with hand-written spans, give the same answer. The rules:

- **Title groups.** TITLEs joined only by 、 or 和 (or nothing) are one person's titles:
  薛家岛街道党工委委员、办事处副主任.
- **Names.** A group with a PERSON right after it is that person's (薛家岛街道党工委委员丁广明);
  one written before several names (、 between them) is held by each (社区书记张明、李华).
  A PERSON right before a TITLE holds it (丁广明书记). So does one with the title in
  brackets after it (丁广明（副主任）) and a name with the titles after a comma-free
  apposition. A group with no name is one official with no person (社区党委书记 列出…).
- **Organisations.** A title's organisation is the title less its post word (委员, 副主任):
  薛家岛街道党工委委员 → 薛家岛街道党工委. A prefix that names no place takes the place
  prefix of the group's earlier title (办事处副主任 after 薛家岛街道党工委委员 → 薛家岛街道办事处).
  A bare level word (社区党委书记) becomes the article's main place of that level, when one
  place of that level dominates it (月亮湾路社区党委). A title that is only a post
  (书记) has no organisation written: null.
- Reporters and correspondents are never in a TITLE (记者 is no title), so bylines give no officials.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from newsgraph.patterns import (
    gazetteer_place_levels,
    local_body_words,
    org_words,
    place_levels,
    place_suffix_words,
    place_suffixes_longest_first,
    title_words,
)
from newsgraph.rule_data import rule_cache

TITLE_JOINERS = re.compile(r"[、和及与兼\s]*")  # between coordinated titles of one person
NAME_JOINERS = re.compile(r"[、\s]*")  # between names that share a title
OPEN_BRACKETS, CLOSE_BRACKETS = "（(", "）)"
BODY_MORPHEMES = frozenset({"支部", "总支", "党组"})  # parts of bodies inside posts (支部书记)


@dataclass(frozen=True)
class Mention:
    index: int  # position in the article's entity list
    start: int
    end: int
    label: str
    text: str


def find_officials(text: str, mentions: Sequence[Mention]) -> list[dict[str, Any]]:
    """Officials of one article: `{"person": index|None, "name", "titles": [{"mention", "title", "org"}]}`."""
    ents = sorted(mentions, key=lambda m: m.start)
    places = [m.text for m in ents if m.label == "PLACE"]
    mains: dict[str, str | None] = {}  # level → the article's main place: counted once, not per title

    def main_of(level: str) -> str | None:
        if level not in mains:
            mains[level] = main_place(places, level)
        return mains[level]

    officials: list[dict[str, Any]] = []
    used: set[int] = set()
    i = 0
    while i < len(ents):
        if ents[i].label != "TITLE":
            i += 1
            continue
        group = [ents[i]]
        while i + len(group) < len(ents) and _joined(text, group[-1], ents[i + len(group)], TITLE_JOINERS, "TITLE"):
            group.append(ents[i + len(group)])
        after = i + len(group)
        persons = _names_after(text, group[-1], ents, after)  # the list itself, not a copy of its rest
        if not persons:
            persons = _name_before(text, group[0], ents[i - 1] if i else None, used)
        titles = _titles(group, main_of)
        for person in persons or [None]:
            if person is not None:
                used.add(person.index)
            officials.append(
                {
                    "person": None if person is None else person.index,
                    "name": None if person is None else person.text,
                    "titles": titles,
                }
            )
        i = after + (len(persons) if persons and persons[0].start > group[-1].start else 0)
    return officials


def _joined(text: str, left: Mention, right: Mention, joiners: re.Pattern[str], label: str) -> bool:
    return right.label == label and joiners.fullmatch(text[left.end : right.start]) is not None


def _names_after(text: str, title: Mention, ents: Sequence[Mention], after: int) -> list[Mention]:
    """PERSONs right after the last title (from `ents[after]` on), several joined by 、: each holds the titles."""
    names: list[Mention] = []
    last = title
    for k in range(after, len(ents)):
        mention = ents[k]
        gap = text[last.end : mention.start]
        if mention.label != "PERSON" or (names and NAME_JOINERS.fullmatch(gap) is None) or (not names and gap.strip()):
            break
        names.append(mention)
        last = mention
    return names


def _name_before(text: str, title: Mention, before: Mention | None, used: set[int]) -> list[Mention]:
    """A PERSON right before the title (丁广明书记), or with it in brackets (丁广明（副主任）);
    `before` is the mention before the title."""
    if before is None or before.label != "PERSON" or before.index in used:
        return []
    gap = text[before.end : title.start].strip()
    return [before] if gap == "" or gap in OPEN_BRACKETS else []


def _titles(group: Sequence[Mention], main_of: Callable[[str], str | None]) -> list[dict[str, Any]]:
    out = []
    place_prefix: str | None = None
    for mention in group:
        org = organisation_of(mention.text)
        if org is not None:
            own_place = place_prefix_of(org)
            if own_place is None and place_prefix is not None and org in local_body_words():
                org = place_prefix + org  # 办事处 after 薛家岛街道党工委委员 → 薛家岛街道办事处
            elif own_place is not None:
                place_prefix = own_place
            org = _with_main_place(org, main_of)
        out.append({"mention": mention.index, "title": mention.text, "org": org})
    return out


def organisation_of(title: str) -> str | None:
    """The title less its post word: 薛家岛街道党工委委员 → 薛家岛街道党工委; 书记 → None.

    The post is the longest post word that names no body itself: 党委书记 and 居委会主任 are
    posts in the lexicon, but here 党委 and 居委会 belong to the organisation."""
    posts = _posts_longest_first()
    if title in posts:
        return None  # 常务副主任: a post and nothing else
    for body, post in _compound_posts():
        if title.endswith(body + post) and title[: -len(body + post)].endswith(body):
            return title[: -len(body + post)]  # 杨家山里村 + 村主任: the level is written once
    for post in posts:
        if title.endswith(post) and len(title) > len(post):
            return title[: -len(post)]
    return None


def place_prefix_of(org: str) -> str | None:
    """The place an organisation's name begins with: a gazetteer place, else a name ending in a
    place word (六汪镇乡村振兴工作队 → 六汪镇; the earliest such end), or a bare level word
    (社区党委 → 社区)."""
    known = [place for place in gazetteer_place_levels() if org.startswith(place) and len(place) < len(org)]
    if known:
        return max(known, key=len)
    ends = []
    for suffix in place_suffix_words():
        at = org.find(suffix)
        while at >= 0:
            end = at + len(suffix)
            rest = org[end:]
            # a one-character level needs a name before it (六汪镇, not the 市 of 市场监管所) and
            # must not be part of a word (农村, 城乡); or it stands bare before a body (村党支部)
            named = len(suffix) > 1 or (at >= 2 and place_word_ends(org, at))
            bare = at == 0 and any(rest.startswith(w) for w in org_words())
            if rest and (named or bare):
                ends.append(end)
            at = org.find(suffix, at + 1)
    return org[: min(ends)] if ends else None


def place_word_ends(name: str, at: int) -> bool:
    """Whether the one-character place word at `at` (镇 乡 村 市 区 县 省) ends a name, rather
    than sitting inside a word: 农村, 城乡, 乡村振兴, 市场, 区域 (`place_levels.tsv`, not_place)."""
    not_place = _not_place_words()
    return name[max(at - 1, 0) : at + 1] not in not_place and name[at : at + 2] not in not_place


def _with_main_place(org: str, main_of: Callable[[str], str | None]) -> str:
    """社区党委 → 月亮湾路社区党委 when one 社区 dominates the article's places (`main_of(level)`)."""
    for level, _ in place_suffixes_longest_first():
        if org.startswith(level) and len(org) > len(level):
            main = main_of(level)
            return org if main is None else main + org[len(level) :]
    return org


def main_place(places: Sequence[str], level: str) -> str | None:
    """The article's place of this level (…社区) if it has more than half of their mentions."""
    counts = Counter(p for p in places if p.endswith(level) and len(p) > len(level))
    if not counts:
        return None
    place, n = counts.most_common(1)[0]
    return place if n * 2 > sum(counts.values()) else None


@rule_cache
def _compound_posts() -> list[tuple[str, str]]:
    """Posts in the lexicon that name a body: 党委书记 = 党委 + 书记, 村主任 = 村 + 主任 (镇长 does not)."""
    posts, bodies = title_words(), org_words() | place_suffix_words() | BODY_MORPHEMES
    return sorted(
        ((b, w[len(b) :]) for w in posts for b in bodies if w.startswith(b) and w[len(b) :] in posts),
        key=lambda pair: -len(pair[0] + pair[1]),
    )


@rule_cache
def _posts_longest_first() -> list[str]:
    """The posts an organisation is cut from: the lexicon's, less those that name a body."""
    compound = {b + p for b, p in _compound_posts()}
    return sorted(title_words() - compound, key=len, reverse=True)


@rule_cache
def _not_place_words() -> frozenset[str]:
    return frozenset(place_levels()["not_place"])
