"""Articles → spaCy Docs → records. The pure core of `newsgraph annotate`."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.components.mention_rules import doc_mentions
from newsgraph.dates import complete_year
from newsgraph.events import event_of
from newsgraph.places import place_references
from newsgraph.records import ArticleInput, empty_record
from newsgraph.tokenizer import text_chunks

# The tagger's working memory grows with the characters of a batch (about 9 KB a character:
# one 1 MB line in one Doc peaks at 2.5 GB). So batches are bounded in characters as well as
# in articles, and an article longer than MAX_PIECE_CHARS runs as pieces cut at sentence
# ends, joined back into one Doc whose text and offsets are the article's (tags near a cut
# may differ, as the context there is shorter). Components that need the whole article at
# once (ARTICLE_COMPONENTS) run again on the joined Doc.
MAX_PIECE_CHARS = 20_000
ARTICLE_COMPONENTS = ("newsgraph_officials", "newsgraph_places", "newsgraph_events")
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
    record["officials"] = [
        {
            "person": None if o["person"] is None else f"m{o['person'] + 1}",
            "name": o["name"],
            "titles": [{"mention": f"m{t['mention'] + 1}", "title": t["title"], "org": t["org"]} for t in o["titles"]],
        }
        for o in doc._.officials or []
    ]
    record["relations"] = [
        {
            "type": r["type"],
            "head": f"m{r['head'] + 1}",
            **({"tail": f"m{r['tail'] + 1}"} if "tail" in r else {"tail_name": r["tail_name"]}),
        }
        for r in doc._.relations or []
    ]
    events = doc._.events or []
    record["events"] = [_event_record(n, event, article.date) for n, event in enumerate(events, start=1)]
    starts = [e["start"] for e in events]
    for mention in record["entities"]:
        mention["event_id"] = _event_id(mention["start"], mention["end"], events, starts)
    record["references"] = [
        {**ref, "entity_id": None, "event_id": _event_id(ref["start"], ref["end"], events, starts)}
        for ref in place_references(record["text"], doc_mentions(doc), [(t.idx, t.idx + len(t), t.tag_) for t in doc])
    ]
    return record


def _event_record(n: int, event: dict[str, Any], article_date: str | None) -> dict[str, Any]:
    """An event with record ids (e1, m3 …); an event with no date of its own records the one it
    inherits: the nearest earlier date reported in the body, else the article's date."""
    inherited = None
    if event["date"] is None and event["date_inherited"] is not None:
        inherited = {"mention": _ref(event["date_inherited"])}
    elif event["date"] is None and article_date:
        inherited = {"article": article_date}
    return {
        "id": f"e{n}",
        "type": event["type"],
        "trigger": event["trigger"],
        "trigger_start": event["trigger_start"],
        "trigger_end": event["trigger_end"],
        "start": event["start"],
        "end": event["end"],
        "date": None if event["date"] is None else _ref(event["date"]),
        "date_inherited": inherited,
        **{role: [_ref(i) for i in event[role]] for role in ("places", "participants", "quantities")},
    }


def _ref(index: int) -> str:
    return f"m{index + 1}"


def _event_id(start: int, end: int, events: list[dict[str, Any]], starts: list[int]) -> str | None:
    found = event_of(start, end, events, starts)
    return None if found is None else f"e{found + 1}"


def _pieces(articles: Iterable[ArticleInput], max_chars: int) -> Iterator[tuple[str, tuple[ArticleInput, bool]]]:
    """(text piece, (article, is its last piece)) for nlp.pipe."""
    for article in articles:
        pieces = list(text_chunks(article.text.text, max_chars)) or [""]
        for i, piece in enumerate(pieces):
            yield piece, (article, i == len(pieces) - 1)


def _with_parts(nlp: Language, batch: list[tuple[str, Any]]) -> Iterator[tuple[Doc, Any]]:
    """Docs for nlp.pipe that know their article's lines (headline, byline, body …), where the
    piece is the whole article: the events component reads only body lines."""
    for piece, (article, last) in batch:
        doc = nlp.make_doc(piece)
        if last and len(piece) == len(article.text.text):
            doc._.parts = article.parts
        yield doc, (article, last)


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
    piece_docs = (
        pair for batch in batches for pair in nlp.pipe(_with_parts(nlp, batch), as_tuples=True, batch_size=len(batch))
    )
    for doc, (article, last) in piece_docs:
        done.append(doc)
        if not last:
            continue
        if len(done) == 1:
            whole = done[0]
        else:
            with warnings.catch_warnings():  # W101: the pieces' officials are not merged: recomputed below
                warnings.filterwarnings("ignore", message=r"\[W101\]")
                whole = Doc.from_docs(done, ensure_whitespace=False)
            whole._.parts = article.parts
            for name in ARTICLE_COMPONENTS:  # they need the whole article: run them on the joined Doc
                if name in nlp.pipe_names:
                    whole = nlp.get_pipe(name)(whole)
        done = []
        whole._.article_id = article.id
        whole._.parts = article.parts
        yield article, whole


def annotate(nlp: Language, articles: Iterable[ArticleInput], batch_size: int = 16) -> Iterator[dict[str, Any]]:
    """One record per article, in order."""
    for article, doc in annotate_docs(nlp, articles, batch_size):
        yield doc_record(article, doc)
