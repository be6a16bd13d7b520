"""The output record: one JSON object per article (docs/DESIGN.md's contract).

`text` holds the article's kicker, headline, subheads, bylines and body, one per line,
normalised; every offset in the record points into it (characters, end exclusive).
`source.map` gives, run by run, where those characters stand in the source file:
`[text_start, source_start, length]`, so any span maps back with `source_span`.
For a page the source offsets count characters of the page file; for an article
JSONL line they count characters of its `title + "\\n" + text`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from newsgraph.mapped import MappedText

RECORD_FIELDS = (
    "id",
    "source",
    "date",
    "kicker",
    "headline",
    "subheads",
    "section_place",
    "reporters",
    "text",
    "parts",
    "entities",
    "quantities",
    "officials",
    "events",
    "relations",
    "references",  # annotated records only: back-references to places that are no entity (本社区)
)


@dataclass
class ArticleInput:
    """An article ready for the pipeline: normalised text with its map to the source."""

    id: str
    text: MappedText
    source: dict[str, Any]  # path, and line for JSONL inputs
    headline: str | None = None
    kicker: str | None = None
    subheads: list[str] = field(default_factory=list)
    section_place: str | None = None
    reporters: list[str] = field(default_factory=list)
    authors: dict[str, list[str]] = field(default_factory=dict)
    date: str | None = None
    parts: list[dict[str, Any]] = field(default_factory=list)  # kind, start, end in text


def empty_record(article: ArticleInput) -> dict[str, Any]:
    """The record of an article before annotation: every list present, none filled."""
    start, end = article.text.source_span(0, len(article.text))
    source = dict(article.source)
    source.update(start=start, end=end, map=article.text.runs())
    record: dict[str, Any] = {
        "id": article.id,
        "source": source,
        "date": article.date,
        "kicker": article.kicker,
        "headline": article.headline,
        "subheads": list(article.subheads),
        "section_place": article.section_place,
        "reporters": list(article.reporters),
        "text": article.text.text,
        "parts": [_with_source(part, article.text) for part in article.parts],
        "entities": [],
        "quantities": [],
        "officials": [],
        "events": [],
        "relations": [],
    }
    correspondents = article.authors.get("correspondent")
    if correspondents:
        record["correspondents"] = list(correspondents)
    return record


def _with_source(part: dict[str, Any], text: MappedText) -> dict[str, Any]:
    source_start, source_end = text.source_span(part["start"], part["end"])
    return {**part, "source_start": source_start, "source_end": source_end}


def source_span(record: dict[str, Any], start: int, end: int) -> tuple[int, int]:
    """Map `record["text"][start:end]` back to offsets in the source file."""
    mapped = MappedText.from_runs(record["text"], record["source"]["map"])
    return mapped.source_span(start, end)


def dumps(record: dict[str, Any]) -> str:
    """One line of JSONL: UTF-8 characters as they are, keys in the contract's order."""
    ordered = {k: record[k] for k in RECORD_FIELDS if k in record}
    ordered.update({k: v for k, v in record.items() if k not in ordered})
    line = json.dumps(ordered, ensure_ascii=False, separators=(",", ":"))
    # U+2028/U+2029 are valid inside JSON strings but end lines for str.splitlines readers
    return line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
