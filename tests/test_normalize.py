"""The normaliser: OCR spaces, widths, punctuation, and the offset map back to the source."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.mapped import MappedText
from newsgraph.normalize import fold_width, normalize, normalize_mapped


def test_removes_ocr_spaces_inside_chinese():
    assert normalize("以民生需求为 导向").text == "以民生需求为导向"
    assert normalize("今年以来, 隐珠街道月亮湾路 社区").text == "今年以来，隐珠街道月亮湾路社区"


def test_keeps_spaces_between_latin_words_and_numbers():
    assert normalize("新闻热线: 0532-87139933 87139920").text == "新闻热线：0532-87139933 87139920"
    assert normalize("New  York Times").text == "New York Times"
    assert normalize("网站 www.xihaiannews.com").text == "网站www.xihaiannews.com"


def test_phrase_spaces_kept_in_titles_only_when_asked():
    headline = '四名观察员上岗 为营商环境"把脉"'
    assert normalize(headline).text == "四名观察员上岗为营商环境“把脉”"
    assert normalize(headline, keep_phrase_spaces=True).text == "四名观察员上岗 为营商环境“把脉”"


def test_folds_full_width_digits_and_letters():
    assert normalize("２０２３年６月，ＡＢｃ１２％").text == "2023年6月，ABc12%"
    assert fold_width("，") == "，"  # Chinese punctuation stays full-width


def test_ascii_punctuation_against_chinese_becomes_full_width():
    assert normalize('结识 "新朋友"。社区(试点)').text == "结识“新朋友”。社区（试点）"
    assert normalize("3,200 and 19:40").text == "3,200 and 19:40"  # no Chinese: untouched
    assert normalize("共1,200户").text == "共1,200户"  # a thousands separator between digits


def test_control_and_zero_width_characters_dropped():
    assert normalize("社\u200b区\x07党委\r\n书记").text == "社区党委\n书记"


def test_newlines_kept_and_edge_spaces_removed():
    assert normalize("  标题  \n  正文 内容 ").text == "标题\n正文内容"


def test_offsets_point_at_source_characters():
    source = "月亮湾路社区坚持以民生需求为 导向,在巩固"
    norm = normalize(source)
    start = norm.text.index("导向")
    assert norm.source_span(start, start + 2) == (source.index("导向"), source.index("导向") + 2)
    assert source[slice(*norm.source_span(0, len(norm)))] == source


def test_normalize_mapped_composes_with_an_outer_map():
    page = "xx 以民生需求为 导向 yy"
    piece = MappedText(page[3:12], tuple(range(3, 12)))
    norm = normalize_mapped(piece)
    assert norm.text == "以民生需求为导向"
    assert page[slice(*norm.source_span(6, 8))] == "导向"


text_strategy = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("社区党委书记以民生需求为导向，。“”、 \u3000\t\n\r\"',:;()!?%abcXYZ0123456789")),
        st.sampled_from(list("０１２３ＡＢｃ％\u200b\ufeff\x00\x07")),
        st.characters(),
    ),
    max_size=80,
)


@given(text_strategy)
@settings(max_examples=400)
def test_offset_map_round_trips(source):
    norm = normalize(source)
    origin = norm.origin
    assert len(origin) == len(norm.text)
    assert all(a < b for a, b in itertools.pairwise(origin))  # strictly increasing
    for i, char in enumerate(norm.text):
        src = source[origin[i]]
        assert (char == " " and src.isspace()) or fold_width(src) == char or char in "“”，；：？！（）"
        # source offset → normalised offset → the same character
        assert norm.target_offset(origin[i]) == i
    # any span maps to a source span whose characters, spaces aside, are the span's
    for start in range(len(norm) + 1):
        for end in (start, min(len(norm), start + 1), len(norm)):
            if end < start:
                continue
            a, b = norm.source_span(start, end)
            assert 0 <= a <= b <= len(source)
            assert norm.target_span(a, b) == (start, end)


@given(text_strategy)
@settings(max_examples=300)
def test_normalize_is_idempotent(source):
    once = normalize(source).text
    assert normalize(once).text == once


@given(text_strategy)
def test_runs_round_trip(source):
    norm = normalize(source)
    assert MappedText.from_runs(norm.text, norm.runs()) == norm
