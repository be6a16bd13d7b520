"""Rule data as files, read by typed readers: the data can change without the code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


def read_tsv(name: str, columns: int) -> list[tuple[str, ...]]:
    """Rows of `newsgraph/patterns/NAME`, comments and blank lines skipped."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    rows: list[tuple[str, ...]] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = tuple(line.split("\t"))
        if len(cells) != columns:
            raise ValueError(f"patterns/{name}:{lineno}: expected {columns} tab-separated columns, got {len(cells)}")
        rows.append(cells)
    return rows


@dataclass(frozen=True)
class FurnitureLabel:
    kind: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class BylineWord:
    kind: str  # reporter, correspondent, photographer, or closing
    surface: str


@cache
def furniture_labels() -> tuple[FurnitureLabel, ...]:
    return tuple(FurnitureLabel(kind, re.compile(regex)) for kind, regex in read_tsv("page_furniture.tsv", 2))


@cache
def byline_words() -> tuple[BylineWord, ...]:
    words = [BylineWord(kind, surface) for kind, surface in read_tsv("bylines.tsv", 2)]
    return tuple(sorted(words, key=lambda w: -len(w.surface)))


@dataclass(frozen=True)
class GazetteerEntry:
    surface: str
    label: str  # PLACE or ORG
    level: str


@cache
def gazetteer() -> tuple[GazetteerEntry, ...]:
    return tuple(GazetteerEntry(*row) for row in read_tsv("gazetteer.tsv", 3))


@cache
def segmenter_words() -> tuple[str, ...]:
    """Words the segmenter keeps whole: every gazetteer surface and domain term, sorted."""
    terms = (surface for surface, _why in read_tsv("domain_terms.tsv", 2))
    return tuple(sorted({entry.surface for entry in gazetteer()} | set(terms)))


@cache
def quantity_units() -> dict[str, str]:
    """Unit or measure word → its kind (measure, metric, money, duration, percent, compound)."""
    return dict(read_tsv("quantity_units.tsv", 2))


@cache
def quantity_object_words() -> dict[str, frozenset[str]]:
    """Role (link, suffix, body_counter, thing_counter) → the words that steer the object search."""
    roles: dict[str, set[str]] = {}
    for word, role in read_tsv("quantity_object_words.tsv", 2):
        roles.setdefault(role, set()).add(word)
    return {role: frozenset(words) for role, words in roles.items()}
