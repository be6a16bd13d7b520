"""Articles → spaCy Docs → records. The pure core of `newsgraph annotate`."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple, TypeVar

from spacy.attrs import IDX, LENGTH, TAG
from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.components.carried_rules import rules_of
from newsgraph.components.mention_rules import doc_mentions
from newsgraph.dates import complete_year
from newsgraph.events import Tokens, event_of
from newsgraph.officials import Mention
from newsgraph.places import place_references
from newsgraph.records import ArticleInput, empty_record
from newsgraph.rule_data import using
from newsgraph.tokenizer import text_chunks

# The tagger's working memory grows with the characters of a batch (about 9 KB a character:
# one 1 MB line in one Doc peaks at 2.5 GB). So batches are bounded in characters as well as
# in articles, and an article longer than MAX_PIECE_CHARS runs as pieces cut at sentence
# ends (else at clause punctuation, else anywhere: see `text_chunks`); tags near a cut may
# differ, as the context there is shorter. Components that need the whole article at once
# (ARTICLE_COMPONENTS) do not run on the pieces. `annotate_docs` joins the pieces back into one
# Doc and runs them on it. `annotate` keeps of each piece only its entities and its tokens'
# offsets and tags, in compact arrays (24 bytes a token), then runs the same functions on the
# whole article: its memory stays about that of one batch of pieces, however long the article
# (a 1 M-character one peaks at 690 MB, the model's 230 included), and its time grows with the
# length, as every article-level step is linear.
MAX_PIECE_CHARS = 20_000
ARTICLE_COMPONENTS = ("newsgraph_officials", "newsgraph_places", "newsgraph_events")
BATCH_CHARS = 40_000
# the tagger's memory follows tokens: real text has 0.64 a character, so this bound holds only
# for runs of punctuation (a line of ， is a token a character: 40 k of them peaked at 770 MB)
BATCH_TOKENS = 30_000


class _Ent(NamedTuple):
    """An entity as the record needs it, once its Doc is gone; offsets in the article's text."""

    label: str
    start: int
    end: int
    text: str
    date: Any
    quantity: dict[str, Any] | None


def doc_record(article: ArticleInput, doc: Doc) -> dict[str, Any]:
    """The record of one annotated article from its Doc; mention ids m1, m2 … in text order."""
    ents = [_Ent(e.label_, e.start_char, e.end_char, e.text, e._.date, e._.quantity) for e in doc.ents]
    words = [(t.idx, t.idx + len(t), t.tag_) for t in doc]
    references = place_references(article.text.text, doc_mentions(doc), words)
    return _record(article, ents, doc._.officials or [], doc._.relations or [], doc._.events or [], references)


def _record(
    article: ArticleInput,
    ents: Sequence[_Ent],
    officials: Sequence[dict[str, Any]],
    relations: Sequence[dict[str, Any]],
    events: Sequence[dict[str, Any]],
    references: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """The record from what the components found, mentions given by their index among `ents`."""
    record = empty_record(article)
    record["entities"] = [
        {
            "id": f"m{i}",
            "label": ent.label,
            "start": ent.start,
            "end": ent.end,
            "text": ent.text,
            "entity_id": None,
            "event_id": None,
            **({"date": complete_year(ent.date, article.date)} if ent.date is not None else {}),
        }
        for i, ent in enumerate(ents, start=1)
    ]
    record["quantities"] = [
        {"mention": f"m{i}", **ent.quantity} for i, ent in enumerate(ents, start=1) if ent.quantity is not None
    ]
    record["officials"] = [
        {
            "person": None if o["person"] is None else f"m{o['person'] + 1}",
            "name": o["name"],
            "titles": [{"mention": f"m{t['mention'] + 1}", "title": t["title"], "org": t["org"]} for t in o["titles"]],
        }
        for o in officials
    ]
    record["relations"] = [
        {
            "type": r["type"],
            "head": f"m{r['head'] + 1}",
            **({"tail": f"m{r['tail'] + 1}"} if "tail" in r else {"tail_name": r["tail_name"]}),
        }
        for r in relations
    ]
    record["events"] = [_event_record(n, event, article.date) for n, event in enumerate(events, start=1)]
    starts = [e["start"] for e in events]
    for mention in record["entities"]:
        mention["event_id"] = _event_id(mention["start"], mention["end"], events, starts)
    record["references"] = [
        {**ref, "entity_id": None, "event_id": _event_id(ref["start"], ref["end"], events, starts)}
        for ref in references
    ]
    return record


class _Pieces:
    """An article tagged in pieces: what each piece's Doc leaves once dropped (its entities, and
    its tokens in compact arrays), shifted into the article's text."""

    def __init__(self, article: ArticleInput) -> None:
        self.article = article
        self.offset = 0  # where the next piece starts
        self.ents: list[_Ent] = []
        self.mentions: list[Mention] = []
        self.tokens = Tokens()
        self._tags: dict[int, str] = {}  # one string per tag, not one per token

    def add(self, doc: Doc) -> None:
        at = self.offset
        for e in doc.ents:
            quantity = e._.quantity
            if quantity is not None and quantity.get("object_span") is not None:
                start, end = quantity["object_span"]
                quantity = {**quantity, "object_span": [start + at, end + at]}
            ent = _Ent(e.label_, e.start_char + at, e.end_char + at, e.text, e._.date, quantity)
            self.mentions.append(Mention(len(self.ents), ent.start, ent.end, ent.label, ent.text))
            self.ents.append(ent)
        strings = doc.vocab.strings
        tags = self._tags
        rows = doc.to_array([IDX, LENGTH, TAG]).tolist() if len(doc) else []
        for _, _, tag in rows:
            if tag not in tags:
                tags[tag] = strings[tag]
        self.tokens.extend((i + at, i + n + at, tags[tag]) for i, n, tag in rows)
        self.offset += len(doc.text)

    def record(self, nlp: Language) -> dict[str, Any]:
        """The article's record: the article components' functions run once on the whole of it."""
        text, names = self.article.text.text, nlp.pipe_names
        officials = relations = events = None
        if "newsgraph_officials" in names:
            officials = nlp.get_pipe("newsgraph_officials").find(text, self.mentions)
        if "newsgraph_places" in names:
            relations = nlp.get_pipe("newsgraph_places").find(text, self.mentions)
        if "newsgraph_events" in names:
            find = nlp.get_pipe("newsgraph_events").find
            events = find(text, self.tokens, self.mentions, self.article.parts, officials or [])
        references = place_references(text, self.mentions, self.tokens)
        return _record(self.article, self.ents, officials or [], relations or [], events or [], references)


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


def _closing_components(nlp: Language) -> list[str]:
    """The article components at the end of the pipeline: not run on pieces, but on whole articles."""
    names = list(nlp.pipe_names)
    while names and names[-1] in ARTICLE_COMPONENTS:
        names.pop()
    return list(nlp.pipe_names[len(names) :])


def _piped(
    nlp: Language, articles: Iterable[ArticleInput], batch_size: int, max_piece_chars: int, batch_chars: int
) -> Iterator[tuple[Doc, ArticleInput, bool]]:
    """(piece Doc, its article, is its last piece) in order, through the pipeline but its closing
    article components (`_closing_components`)."""
    closing = _closing_components(nlp)
    docs = _with_parts(nlp, _pieces(articles, max_piece_chars))
    for batch in _batches(docs, batch_size, batch_chars, BATCH_TOKENS):
        pairs = nlp.pipe(batch, as_tuples=True, batch_size=len(batch), disable=closing)
        for doc, (article, last) in pairs:
            yield doc, article, last


def _whole(nlp: Language, doc: Doc, article: ArticleInput, closing: Sequence[str]) -> Doc:
    """A Doc over a whole article, with the closing article components run on it."""
    doc._.parts = article.parts
    for name in closing:
        doc = nlp.get_pipe(name)(doc)
    return doc


def _with_parts(nlp: Language, batch: Iterable[tuple[str, Any]]) -> Iterator[tuple[Doc, Any]]:
    """Docs for nlp.pipe that know their article's lines (headline, byline, body …), where the
    piece is the whole article: the events component reads only body lines."""
    for piece, (article, last) in batch:
        doc = nlp.make_doc(piece)
        if last and len(piece) == len(article.text.text):
            doc._.parts = article.parts
        yield doc, (article, last)


_Item = TypeVar("_Item", bound=tuple[Any, ...])


def _batches(
    items: Iterable[_Item], batch_size: int, batch_chars: int, batch_tokens: int | None = None
) -> Iterator[list[_Item]]:
    """Runs of items (a text or a Doc, then anything) with at most `batch_size` items and (but
    for a single long item) `batch_chars` characters and, for Docs, `batch_tokens` tokens."""
    batch: list[_Item] = []
    chars = tokens = 0
    for item in items:
        text_or_doc = item[0]
        n_chars = len(text_or_doc) if isinstance(text_or_doc, str) else len(text_or_doc.text)
        n_tokens = 0 if isinstance(text_or_doc, str) else len(text_or_doc)
        full = len(batch) == batch_size or chars + n_chars > batch_chars
        if batch and (full or (batch_tokens is not None and tokens + n_tokens > batch_tokens)):
            yield batch
            batch, chars, tokens = [], 0, 0
        batch.append(item)
        chars += n_chars
        tokens += n_tokens
    if batch:
        yield batch


def annotate_docs(
    nlp: Language,
    articles: Iterable[ArticleInput],
    batch_size: int = 16,
    max_piece_chars: int = MAX_PIECE_CHARS,
    batch_chars: int = BATCH_CHARS,
) -> Iterator[tuple[ArticleInput, Doc]]:
    """Run the pipeline over articles, in order: one Doc per article, over its whole text (an
    article tagged in pieces is joined into one Doc: its memory grows with its length)."""
    done: list[Doc] = []
    closing = _closing_components(nlp)
    for doc, article, last in _piped(nlp, articles, batch_size, max_piece_chars, batch_chars):
        done.append(doc)
        if not last:
            continue
        if len(done) == 1:
            whole = _whole(nlp, done[0], article, closing)
        else:
            with warnings.catch_warnings():  # W101: the pieces' Doc values are not merged: recomputed below
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


def annotate(
    nlp: Language,
    articles: Iterable[ArticleInput],
    batch_size: int = 16,
    max_piece_chars: int = MAX_PIECE_CHARS,
    batch_chars: int = BATCH_CHARS,
) -> Iterator[dict[str, Any]]:
    """One record per article, in order. An article in one piece gets the record of its Doc; one
    in several is never held as one Doc (see the note on MAX_PIECE_CHARS)."""
    closing = _closing_components(nlp)
    rules = rules_of(nlp)  # records are built with the rule files the components carry
    pieces: _Pieces | None = None
    for doc, article, last in _piped(nlp, articles, batch_size, max_piece_chars, batch_chars):
        if pieces is None and last:
            whole = _whole(nlp, doc, article, closing)
            whole._.article_id = article.id
            with using(rules):
                record = doc_record(article, whole)
            yield record
            continue
        if pieces is None:
            pieces = _Pieces(article)
        pieces.add(doc)
        if last:
            with using(rules):
                record = pieces.record(nlp)
            yield record
            pieces = None
