"""Long texts reach pkuseg in bounded pieces that join back to the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.tokenizer import text_chunks


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
