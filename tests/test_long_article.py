"""Long articles (annotate.py): tagged in bounded pieces whatever their punctuation, never held as
one Doc, and given the record the whole article would get; the article-level steps are linear,
checked here against their brute-force definitions (never by timing)."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.annotate import _pieces, annotate, annotate_docs, doc_record
from newsgraph.events import Token, Tokens, _Clauses, find_events, token_offsets
from newsgraph.mapped import MappedText
from newsgraph.officials import Mention
from newsgraph.places import place_references
from newsgraph.records import ArticleInput
from newsgraph.tokenizer import text_chunks

from .conftest import SEED_PAGE

QUOTES = "“”‘’\"'「」『』"


@pytest.fixture(scope="module")
def nlp():
    from newsgraph.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="module")
def seed_articles():
    from newsgraph.inputs import read_inputs

    return list(read_inputs([SEED_PAGE]))


def article_of(text: str, parts: list[dict] | None = None, article_id: str = "long/1") -> ArticleInput:
    return ArticleInput(id=article_id, text=MappedText.identity(text), source={"path": "long.jsonl"}, parts=parts or [])


def body_parts(text: str) -> list[dict]:
    out, at = [], 0
    for line in text.split("\n"):
        out.append({"kind": "body", "start": at, "end": at + len(line)})
        at += len(line) + 1
    return out


def assert_consistent(record: dict) -> None:
    """Every offset of the record lies in its text and spells what it says; every id it uses exists."""
    text = record["text"]
    ids = {m["id"]: m for m in record["entities"]}
    events = {e["id"] for e in record["events"]}
    starts = [m["start"] for m in record["entities"]]
    assert starts == sorted(starts)
    for m in record["entities"]:
        assert 0 <= m["start"] < m["end"] <= len(text)
        assert text[m["start"] : m["end"]] == m["text"]
        assert m["event_id"] is None or m["event_id"] in events
    for q in record["quantities"]:
        assert ids[q["mention"]]["label"] == "QUANTITY"
        if q["object_span"] is not None:
            s, e = q["object_span"]
            assert 0 <= s < e <= len(text)
            assert "".join(c for c in text[s:e] if c not in QUOTES) == q["object"]
    for o in record["officials"]:
        assert o["person"] is None or ids[o["person"]]["label"] == "PERSON"
        assert all(ids[t["mention"]]["label"] == "TITLE" for t in o["titles"])
    for r in record["relations"]:
        assert r["head"] in ids and ("tail_name" in r or r["tail"] in ids)
    for e in record["events"]:
        assert 0 <= e["start"] <= e["trigger_start"] < e["trigger_end"] <= e["end"] <= len(text)
        assert text[e["trigger_start"] : e["trigger_end"]] == e["trigger"]
        assert all(i in ids for role in ("places", "participants", "quantities") for i in e[role])
        assert e["date"] is None or ids[e["date"]]["label"] == "DATE"
    for ref in record["references"]:
        assert text[ref["start"] : ref["end"]] == ref["text"]


# -- cutting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("，" * 50_000, id="only-commas"),
        pytest.param("街道开展燃气安全检查" * 5_000, id="no-punctuation"),
        pytest.param("社区" * 10_000 + "。" + "，" * 30_000, id="one-sentence-end"),
    ],
)
def test_an_article_with_no_sentence_end_is_cut_into_bounded_pieces(text):
    bound = 20_000
    pieces = [piece for piece, _ in _pieces([article_of(text)], bound)]
    assert "".join(pieces) == text
    assert len(pieces) >= len(text) // bound
    assert all(0 < len(piece) <= bound for piece in pieces)


def test_with_no_sentence_end_a_cut_falls_after_clause_punctuation():
    text = "街道开展检查，社区组织学习，" * 40
    chunks = list(text_chunks(text, 30))
    assert "".join(chunks) == text
    assert all(chunk.endswith("，") and len(chunk) <= 30 for chunk in chunks)


# -- the article-level steps, against their definitions ------------------------------------

REFERENCE_TEXT = st.text(alphabet=st.sampled_from("本该此社区街道小区镇村乡的在为，。abc"), max_size=80)


@st.composite
def text_mentions_words(draw):
    text = draw(REFERENCE_TEXT)
    n = len(text)
    spans = draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, 6)), max_size=12))
    mentions = [Mention(i, s, min(n, s + k), "PLACE", text[s : s + k]) for i, (s, k) in enumerate(spans)]
    cuts = sorted(set(draw(st.lists(st.integers(1, max(n - 1, 1)), max_size=n))) | {0, n}) if n else [0]
    tags = st.sampled_from(["n", "v", "p", "w", "ns"])
    words = [(a, b, draw(tags)) for a, b in pairwise(cuts) if a < b]
    return text, mentions, words


@settings(max_examples=400)
@given(text_mentions_words())
def test_place_references_skip_exactly_the_level_words_a_mention_overlaps(case):
    text, mentions, words = case
    for given_words in (None, words):
        free = place_references(text, [], given_words)
        expected = [r for r in free if not any(m.start < r["end"] and r["start"] < m.end for m in mentions)]
        assert place_references(text, mentions, given_words) == expected
    tokens = Tokens()
    tokens.extend(words)
    assert place_references(text, mentions, tokens) == place_references(text, mentions, words)


def test_place_references_on_many_mentions_and_level_words():
    text = "同时，社区还积极搭建平台。该镇[隐珠街道]在社区开展活动，本社区居民参与。" * 300
    mentions = []
    for match in re.finditer(r"\[([^]]+)\]", text):
        mentions.append(Mention(len(mentions), match.start(1), match.end(1), "PLACE", match.group(1)))
    found = place_references(text, mentions)
    brute = [
        r for r in place_references(text, []) if not any(m.start < r["end"] and r["start"] < m.end for m in mentions)
    ]
    assert found == brute
    assert len(found) >= 4 * 300


CLAUSE_TEXT = st.text(alphabet=st.sampled_from("将要拟计划举办开展，。；\n检查ab"), max_size=50)


@settings(max_examples=300)
@given(CLAUSE_TEXT, st.data())
def test_clause_lookups_match_the_character_scans(text, data):
    from newsgraph.events import CLAUSE_ENDS
    from newsgraph.patterns import event_cues

    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=len(text) + 1))) | {0, len(text)})
    starts, _ = token_offsets(len(text), [Token(a, b, "v") for a, b in pairwise(cuts) if a < b])
    clauses = _Clauses(text, starts)
    for at in range(len(text) + 1):
        for bound in range(len(text) + 1):
            end = at
            while end < bound and text[end] not in CLAUSE_ENDS:
                end += 1
            start = at
            while start > bound and text[start - 1] not in CLAUSE_ENDS:
                start -= 1
            assert clauses.end(at, bound) == end
            assert clauses.start(at, bound) == start
    for a in range(len(text) + 1):
        for b in range(a, len(text) + 1):
            modal = any(
                text.startswith(w, p) and p in starts for w in event_cues()["modal"] for p in range(a, b - len(w) + 1)
            )
            assert clauses.modal_in(a, b) == modal


def test_events_read_compact_tokens_as_they_read_token_objects(nlp, seed_articles):
    text = "".join(a.text.text + "\n" for a in seed_articles)
    text = text + re.sub(r"[\W\s]", "", text)  # and a paragraph of one clause, with no punctuation at all
    doc = nlp(text)
    mentions = [Mention(i, e.start_char, e.end_char, e.label_, e.text) for i, e in enumerate(doc.ents)]
    listed = [Token(t.idx, t.idx + len(t), t.tag_) for t in doc]
    compact = Tokens()
    compact.extend((t.start, t.end, t.tag) for t in listed)
    assert list(compact) == listed and compact[3:6] == listed[3:6]
    events = find_events(text, listed, mentions)
    assert events and find_events(text, compact, mentions) == events


# -- whole articles through the pipeline ---------------------------------------------------


def test_a_repeated_article_gets_per_copy_the_entities_of_one_copy(nlp, seed_articles):
    seed = max(seed_articles, key=lambda a: len(a.text.text))
    copy, copies = seed.text.text + "\n", 4
    long_parts = [
        {**p, "start": p["start"] + k * len(copy), "end": p["end"] + k * len(copy)}
        for k in range(copies)
        for p in seed.parts
    ]
    (one,) = annotate(nlp, [article_of(copy, seed.parts, "one")], batch_size=1)
    # one piece a copy: each piece's Doc is the one copy's
    (long,) = annotate(nlp, [article_of(copy * copies, long_parts)], batch_size=1, max_piece_chars=len(copy))
    assert long["text"] == copy * copies

    def shifted(rows: list[dict], k: int) -> list[tuple]:
        out = []
        for m in rows:
            span = m.get("object_span")
            out.append(
                (
                    m.get("label"),
                    m.get("start", k) - k,
                    m.get("end", k) - k,
                    m.get("text"),
                    m.get("value"),
                    m.get("object"),
                    span and (span[0] - k, span[1] - k),
                )
            )
        return out

    n, q = len(one["entities"]), len(one["quantities"])
    assert n > 20 and q > 0
    assert len(long["entities"]) == copies * n and len(long["quantities"]) == copies * q
    for k in range(copies):
        shift = k * len(copy)
        assert shifted(long["entities"][k * n : (k + 1) * n], shift) == shifted(one["entities"], 0)
        assert shifted(long["quantities"][k * q : (k + 1) * q], shift) == shifted(one["quantities"], 0)
    assert len(long["officials"]) == copies * len(one["officials"])
    assert_consistent(one)
    assert_consistent(long)


def test_an_article_in_pieces_gets_the_record_of_its_joined_doc(nlp, seed_articles):
    text = "\n".join(a.text.text for a in seed_articles)
    article = article_of(text, body_parts(text))
    (streamed,) = annotate(nlp, [article], batch_size=1, max_piece_chars=600)
    ((_, joined),) = annotate_docs(nlp, [article], batch_size=1, max_piece_chars=600)
    whole = doc_record(article, joined)
    # the joined Doc keeps each piece's quantity object_span relative to its piece: only those differ
    for record in (streamed, whole):
        for q in record["quantities"]:
            q.pop("object_span")
    assert streamed == whole
    assert streamed["events"] and streamed["officials"] and streamed["references"]


@pytest.mark.parametrize(
    ("kind", "size", "bound"),
    [("commas", 6_000, 1_000), ("no-punctuation", 6_000, 700), ("seed-without-punctuation", 0, 500)],
)
def test_a_long_article_with_no_sentence_end_gives_a_consistent_record(nlp, seed_articles, kind, size, bound):
    if kind == "commas":
        text = "，" * size
    elif kind == "no-punctuation":
        text = ("薛家岛街道" + "社区开展燃气安全检查" * 3 + "检查企业3家") * (size // 44)
    else:
        text = re.sub(r"[\W\s]", "", "".join(a.text.text for a in seed_articles))
    (record,) = annotate(nlp, [article_of(text, body_parts(text))], max_piece_chars=bound)
    assert record["text"] == text
    assert_consistent(record)
    if kind != "commas":
        assert record["entities"]
