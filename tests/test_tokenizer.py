"""Long texts reach pkuseg in bounded pieces that join back to the text; long lexicon entries
are cut out of the words that cross them, and the text stays whole."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.tokenizer import cut_at_entries, text_chunks


def test_chunks_cut_after_sentence_ends():
    text = "街道开展检查。" * 10
    chunks = list(text_chunks(text, 20))
    assert "".join(chunks) == text
    assert all(chunk.endswith("。") for chunk in chunks)
    assert max(map(len, chunks)) <= 20


def test_chunks_fall_back_to_spaces_then_a_hard_cut():
    assert list(text_chunks("abc def ghi", 5)) == ["abc ", "def ", "ghi"]
    assert list(text_chunks("街" * 12, 5)) == ["街" * 5, "街" * 5, "街" * 2]


def test_short_text_is_one_chunk():
    assert list(text_chunks("社区。", 4000)) == ["社区。"]
    assert list(text_chunks("", 10)) == []


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("街道社区。！？ \n”ab1"), max_size=200), st.integers(1, 50))
def test_chunks_join_back_and_respect_the_limit(text, limit):
    chunks = list(text_chunks(text, limit))
    assert "".join(chunks) == text
    assert all(0 < len(chunk) <= limit for chunk in chunks)


LONG = re.compile("液化石油气|薛家岛街道")
ENTRY_CHARS = "液化石油气薛家岛街道扣罐 "


def test_a_long_entry_is_cut_out_where_one_end_holds():
    words, spaces = cut_at_entries(["查", "扣液", "化石", "油气", "9"], [False] * 5, LONG)
    assert words == ["查", "扣", "液", "化石", "油气", "9"]
    assert spaces == [False] * 6
    words, _ = cut_at_entries(["薛家岛", "街道党", "工委"], [False] * 3, LONG)
    assert words == ["薛家岛", "街道", "党", "工委"]


def test_a_long_entry_whose_ends_both_fall_inside_words_is_left_alone():
    words = ["扣液", "化石", "油气罐"]
    assert cut_at_entries(words, [False] * 3, LONG) == (words, [False] * 3)


def test_entries_on_the_models_boundaries_and_no_lexicon_change_nothing():
    words, spaces = ["暂扣", "液化石油气", "罐"], [False, True, False]
    assert cut_at_entries(words, spaces, LONG) == (words, spaces)
    assert cut_at_entries(["扣液", "化石"], [False, False], None) == (["扣液", "化石"], [False, False])


@settings(max_examples=300)
@given(st.lists(st.tuples(st.text(alphabet=st.sampled_from(ENTRY_CHARS), min_size=1, max_size=6), st.booleans())))
def test_cutting_at_entries_keeps_the_text(pairs):
    words = [w for w, _ in pairs]
    spaces = [s for _, s in pairs]
    out_words, out_spaces = cut_at_entries(words, spaces, LONG)
    assert joined(out_words, out_spaces) == joined(words, spaces)
    assert all(out_words)


def joined(words, spaces):
    return "".join(w + " " * s for w, s in zip(words, spaces, strict=True))
