"""Articles → spaCy Docs → records. The pure core of `newsgraph annotate`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.dates import complete_year
from newsgraph.records import ArticleInput, empty_record
from newsgraph.tokenizer import text_chunks

# The tagger's working memory grows with the characters of a batch (about 9 KB a character:
# one 1 MB line in one Doc peaks at 2.5 GB). So batches are bounded in characters as well as
# in articles, and an article longer than MAX_PIECE_CHARS runs as pieces cut at sentence
# ends, joined back into one Doc whose text and offsets are the article's (tags near a cut
# may differ, as the context there is shorter). Components added later that need the whole
# article at once must run on the joined Doc.
MAX_PIECE_CHARS = 20_000
BATCH_CHARS = 40_000


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
            **({"date": complete_year(ent._.date, article.date)} if ent._.date is not None else {}),
        }
        for i, ent in enumerate(doc.ents, start=1)
    ]
    record["quantities"] = [
        {"mention": f"m{i}", **ent._.quantity} for i, ent in enumerate(doc.ents, start=1) if ent._.quantity is not None
    ]
    return record


def _pieces(articles: Iterable[ArticleInput], max_chars: int) -> Iterator[tuple[str, tuple[ArticleInput, bool]]]:
    """(text piece, (article, is its last piece)) for nlp.pipe."""
    for article in articles:
        pieces = list(text_chunks(article.text.text, max_chars)) or [""]
        for i, piece in enumerate(pieces):
            yield piece, (article, i == len(pieces) - 1)


def _batches(items: Iterable[tuple[str, Any]], batch_size: int, batch_chars: int) -> Iterator[list[tuple[str, Any]]]:
    """Runs of items with at most `batch_size` items and (but for a single long item) `batch_chars` characters."""
    batch: list[tuple[str, Any]] = []
    chars = 0
    for item in items:
        if batch and (len(batch) == batch_size or chars + len(item[0]) > batch_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += len(item[0])
    if batch:
        yield batch


def annotate_docs(
    nlp: Language,
    articles: Iterable[ArticleInput],
    batch_size: int = 16,
    max_piece_chars: int = MAX_PIECE_CHARS,
    batch_chars: int = BATCH_CHARS,
) -> Iterator[tuple[ArticleInput, Doc]]:
    """Run the pipeline over articles, in order: one Doc per article, over its whole text."""
    done: list[Doc] = []
    batches = _batches(_pieces(articles, max_piece_chars), batch_size, batch_chars)
    piece_docs = (pair for batch in batches for pair in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)))
    for doc, (article, last) in piece_docs:
        done.append(doc)
        if not last:
            continue
        whole = done[0] if len(done) == 1 else Doc.from_docs(done, ensure_whitespace=False)
        done = []
        whole._.article_id = article.id
        yield article, whole


def annotate(nlp: Language, articles: Iterable[ArticleInput], batch_size: int = 16) -> Iterator[dict[str, Any]]:
    """One record per article, in order."""
    for article, doc in annotate_docs(nlp, articles, batch_size):
        yield doc_record(article, doc)
