"""Articles → spaCy Docs → records. The pure core of `newsgraph annotate`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.records import ArticleInput, empty_record


def doc_record(article: ArticleInput, doc: Doc) -> dict[str, Any]:
    """The record of one annotated article; mention ids m1, m2 … in text order."""
    record = empty_record(article)
    record["entities"] = [
        {
            "id": f"m{i}",
            "label": ent.label_,
            "start": ent.start_char,
            "end": ent.end_char,
            "text": ent.text,
            "entity_id": None,
            "event_id": None,
        }
        for i, ent in enumerate(doc.ents, start=1)
    ]
    return record


def annotate(nlp: Language, articles: Iterable[ArticleInput], batch_size: int = 16) -> Iterator[dict[str, Any]]:
    """Run the pipeline over articles, in order, one record per article."""
    pairs = ((article.text.text, article) for article in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        doc._.article_id = article.id
        yield doc_record(article, doc)
