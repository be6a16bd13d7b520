"""spaCy DocBin (`.spacy`): records → Docs with our entities and custom attributes, and back.

The Docs are tokenised by the pipeline's own tokenizer, so every mention the pipeline made
lies on token boundaries. A hand-made span that does not is widened to whole tokens and
counted. `Doc._.article_id`, `Span._.quantity` and `Span._.date` travel in the DocBin's user
data. `read_docbin` declares the extensions before it restores them, so they are there on load.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from newsgraph.errors import InputError
from newsgraph.extensions import register_extensions
from newsgraph.output import check_writable, write_file


def to_doc(record: dict[str, Any], make_doc) -> tuple[Doc, int]:
    """One record as a Doc; the second value counts spans widened to token boundaries."""
    register_extensions()
    doc = make_doc(record["text"])
    doc._.article_id = record["id"]
    attrs = {q["mention"]: {k: v for k, v in q.items() if k != "mention"} for q in record.get("quantities", [])}
    spans, widened = [], 0
    for mention in record.get("entities", []):
        span = doc.char_span(mention["start"], mention["end"], label=mention["label"])
        if span is None:
            span = doc.char_span(mention["start"], mention["end"], label=mention["label"], alignment_mode="expand")
            widened += 1
        if mention["id"] in attrs:
            span._.quantity = attrs[mention["id"]]
        if "date" in mention:
            span._.date = mention["date"]
        spans.append(span)
    doc.ents = _non_overlapping(spans)
    return doc, widened


def _non_overlapping(spans: list) -> list:
    """doc.ents takes no overlap: keep the first of overlapping spans in text order (none in our records)."""
    kept, end = [], -1
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start >= end:
            kept.append(span)
            end = span.end
    return kept


def write_docbin(records: Iterable[dict[str, Any]], out: Path, make_doc) -> tuple[int, int]:
    """All records into one `.spacy` file, whole or not at all: (docs, spans widened)."""
    check_writable(out)  # before the work, not after
    docs = DocBin(store_user_data=True)
    n = widened = 0
    for record in records:
        doc, w = to_doc(record, make_doc)
        docs.add(doc)
        n += 1
        widened += w
    write_file(out, docs.to_bytes())
    return n, widened


def read_docbin(path: Path, vocab: Vocab | None = None) -> Iterator[Doc]:
    """The Docs of a `.spacy` file written here, with their custom attributes."""
    register_extensions()
    try:
        docs = DocBin(store_user_data=True).from_disk(path)
    except (OSError, ValueError) as error:
        raise InputError(str(path), f"not a spaCy DocBin: {error}") from None
    yield from docs.get_docs(vocab or Vocab())
