"""The converter from character spans to Docs on our words, with a fixed word list standing in for the tokenizer."""

from __future__ import annotations

from collections import Counter

import pytest
from spacy.vocab import Vocab

from newsgraph.training.ner_corpora import CharExample
from newsgraph.training.ner_data import AlignStats, find_all, learn_split_words, to_doc

TITLES = ("市长", "副市长", "书记", "局长")


def words(*pieces):
    """`"Tom "` is the word Tom followed by a space."""
    return [(p.rstrip(" "), p.endswith(" ")) for p in pieces]


def fixed_tokenizer(table):
    """A tokenize function that cuts each known sentence into the words given for it."""
    table = {text: words(*pieces) for text, pieces in table.items()}

    def tokenize(text):
        tokens = table[text]
        assert "".join(w + " " * s for w, s in tokens) == text
        return tokens

    return tokenize


def convert(example, table, **kwargs):
    stats = AlignStats()
    doc = to_doc(example, Vocab(), fixed_tokenizer(table), TITLES, stats, **kwargs)
    assert doc.text == example.text
    return doc, stats


def ents(doc):
    return [(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]


def iob(doc):
    return [(t.text, t.ent_iob_) for t in doc]


def test_span_inside_a_word_is_repaired_by_splitting_it():
    ex = CharExample("cluener", "c-1", "李明在京工作", [(0, 2, "PERSON"), (3, 4, "PLACE")])
    doc, stats = convert(ex, {ex.text: ["李明", "在京", "工作"]})
    assert [t.text for t in doc] == ["李明", "在", "京", "工作"]
    assert ents(doc) == [("李明", "PERSON", 0, 2), ("京", "PLACE", 3, 4)]
    assert doc.user_data["ex_id"] == "c-1"
    assert stats.aligned == Counter(cluener=1)
    assert stats.repaired == Counter(cluener=1)
    assert stats.table() == {"cluener": {"aligned": 1, "repaired": 1, "overlap_dropped": 0, "title_gaps": 0}}


def test_words_followed_by_spaces_keep_their_offsets():
    ex = CharExample("cluener", "c-2", "Tom Smith在京", [(0, 9, "PERSON"), (10, 11, "PLACE")])
    doc, stats = convert(ex, {ex.text: ["Tom ", "Smith", "在京"]})
    assert [(t.text, t.whitespace_) for t in doc] == [("Tom", " "), ("Smith", ""), ("在", ""), ("京", "")]
    assert ents(doc) == [("Tom Smith", "PERSON", 0, 9), ("京", "PLACE", 10, 11)]
    assert (stats.aligned["cluener"], stats.repaired["cluener"]) == (1, 1)


def test_a_span_cutting_through_two_words_splits_both():
    ex = CharExample("msra", "m-1", "来到青岛市区", [(2, 5, "PLACE")])
    doc, stats = convert(ex, {ex.text: ["来到青", "岛", "市区"]})
    assert [t.text for t in doc] == ["来到", "青", "岛", "市", "区"]
    assert ents(doc) == [("青岛市", "PLACE", 2, 5)]
    assert stats.repaired == Counter(msra=1)
    assert stats.aligned == Counter()


MSRA_TITLES = {
    "市长张三到青岛": ["市长", "张三", "到", "青岛"],
    "副市长李四讲话": ["副", "市长", "李四", "讲话"],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市长张三到青岛", [("市长", ""), ("张三", "B"), ("到", "O"), ("青岛", "O")]),
        # the longest title, 副市长, is the gap: both of its words are missing
        ("副市长李四讲话", [("副", ""), ("市长", ""), ("李四", "B"), ("讲话", "O")]),
    ],
)
def test_msra_titles_outside_entities_are_missing(text, expected):
    spans = [(s, s + 2, "PERSON") for s in (text.find("张三"), text.find("李四")) if s >= 0]
    doc, stats = convert(CharExample("msra", "m", text, spans), MSRA_TITLES)
    assert iob(doc) == expected
    assert stats.title_gaps == Counter(msra=1)


def test_msra_title_gaps_are_o_when_switched_off_and_for_cluener():
    text = "市长张三到青岛"
    spans = [(2, 4, "PERSON"), (5, 7, "PLACE")]
    for corpus, flag in (("msra", False), ("cluener", True)):
        doc, stats = convert(CharExample(corpus, "x", text, spans), MSRA_TITLES, missing_titles=flag)
        assert iob(doc) == [("市长", "O"), ("张三", "B"), ("到", "O"), ("青岛", "B")]
        assert stats.title_gaps == Counter()
    doc, _ = convert(CharExample("msra", "x", text, spans), MSRA_TITLES, missing_titles=True)
    assert iob(doc) == [("市长", ""), ("张三", "B"), ("到", "O"), ("青岛", "B")]


def test_a_title_inside_an_entity_is_not_a_gap():
    ex = CharExample("msra", "m", "拨打市长热线", [(2, 6, "ORG")])
    doc, stats = convert(ex, {ex.text: ["拨打", "市长", "热线"]})
    assert iob(doc) == [("拨打", "O"), ("市长", "B"), ("热线", "I")]
    assert stats.title_gaps == Counter()


def test_a_title_inside_a_word_leaves_it_whole():
    """Gaps are whole words only: training words must be the words the tokenizer makes."""
    ex = CharExample("msra", "m", "王局长说", [])
    doc, stats = convert(ex, {ex.text: ["王局长", "说"]})
    assert iob(doc) == [("王局长", "O"), ("说", "O")]
    assert stats.title_gaps == Counter()
    ex = CharExample("msra", "m2", "村民委员会开会", [])
    doc, _ = convert(ex, {ex.text: ["村民委员会", "开会"]})
    assert [t.text for t in doc] == ["村民委员会", "开会"]


def test_overlapping_missing_spans_are_merged():
    ex = CharExample("cluener", "c", "他读了红楼梦和三国演义", [], missing=[(3, 6), (4, 6), (7, 11)])
    doc, _ = convert(ex, {ex.text: ["他", "读", "了", "红楼梦", "和", "三国演义"]})
    assert iob(doc) == [("他", "O"), ("读", "O"), ("了", "O"), ("红楼梦", ""), ("和", "O"), ("三国演义", "")]


def test_overlapping_spans_keep_the_longest():
    ex = CharExample(
        "cluener", "c", "青岛市政府发布通知", [(0, 3, "PLACE"), (0, 5, "ORG"), (7, 9, "TITLE"), (3, 7, "ORG")]
    )
    doc, stats = convert(ex, {ex.text: ["青岛市", "政府", "发布", "通知"]})
    assert ents(doc) == [("青岛市政府", "ORG", 0, 5), ("通知", "TITLE", 7, 9)]
    assert stats.overlapping == Counter(cluener=2)
    assert stats.table()["cluener"]["overlap_dropped"] == 2
    assert stats.aligned == Counter(cluener=2)


def test_cluener_missing_spans_become_missing_tokens():
    text = "他在北京读《平凡的世界》"
    ex = CharExample("cluener", "c", text, [(2, 4, "PLACE")], missing=[(5, 12)])
    doc, _ = convert(ex, {text: ["他", "在", "北京", "读", "《", "平凡", "的", "世界", "》"]})
    expected = [("他", "O"), ("在", "O"), ("北京", "B"), ("读", "O")] + [
        (w, "") for w in ("《", "平凡", "的", "世界", "》")
    ]
    assert iob(doc) == expected
    assert ents(doc) == [("北京", "PLACE", 2, 4)]


def test_a_missing_span_inside_a_word_splits_it():
    ex = CharExample("cluener", "c", "看了流浪地球", [], missing=[(2, 6)])
    doc, _ = convert(ex, {ex.text: ["看了流", "浪", "地球"]})
    assert iob(doc) == [("看了", "O"), ("流", ""), ("浪", ""), ("地球", "")]


def test_a_gap_overlapping_an_entity_gives_way_to_it():
    ex = CharExample("cluener", "c", "他在北京读书", [(2, 4, "PLACE")], missing=[(2, 3), (3, 6)])
    doc, _ = convert(ex, {ex.text: ["他", "在", "北京", "读书"]})
    assert ents(doc) == [("北京", "PLACE", 2, 4)]
    assert [t.ent_iob_ for t in doc if t.text not in ("北", "京", "北京")] == ["O", "O", "O"]


def test_a_dropped_gap_does_not_split_the_entity_word():
    ex = CharExample("cluener", "c", "他在北京读书", [(2, 4, "PLACE")], missing=[(2, 3)])
    doc, _ = convert(ex, {ex.text: ["他", "在", "北京", "读书"]})
    assert [t.text for t in doc] == ["他", "在", "北京", "读书"]


def test_find_all_longest_match_without_overlap():
    text = "副市长和市长助理见了市长"
    assert find_all(text, ["市长", "副市长", "市长助理", ""]) == [(0, 3), (4, 8), (10, 12)]
    assert find_all(text, ["市长", "副市长", "市长助理"], longest_first=False) == [(0, 3), (4, 6), (10, 12)]
    assert find_all("长长长", ["长长"]) == [(0, 2)]
    assert find_all("", TITLES) == []
    assert find_all(text, []) == []


def test_learn_split_words_keeps_words_cut_in_most_occurrences():
    table = {
        "他在京工作": ["他", "在京", "工作"],
        "我在京学习": ["我", "在京", "学习"],
        "人在京": ["人", "在京"],
        "张三丰来了": ["张三丰", "来", "了"],
        "中山路修好": ["中山路", "修好"],
        "中山路很宽": ["中山路", "很宽"],
        "走中山路": ["走", "中山路"],
        "过中山路": ["过", "中山路"],
        "上中山路": ["上", "中山路"],
    }
    spans = {
        "他在京工作": [(2, 3, "PLACE")],
        "我在京学习": [(2, 3, "PLACE")],
        "张三丰来了": [(0, 2, "PERSON")],
        "中山路修好": [(0, 2, "PERSON")],
        "中山路很宽": [(0, 2, "PERSON")],
    }
    examples = [CharExample("msra", str(i), t, spans.get(t, [])) for i, t in enumerate(table)]
    # 在京: cut after 1 in 2 of 3 occurrences → learnt. 张三丰: cut once only. 中山路: cut in 2 of 5.
    assert learn_split_words(examples, fixed_tokenizer(table)) == {"在京": [1]}
    assert learn_split_words(examples, fixed_tokenizer(table), min_share=0.4) == {"中山路": [2], "在京": [1]}
    assert learn_split_words(examples, fixed_tokenizer(table), min_count=1) == {"张三丰": [2], "在京": [1]}


def test_learn_split_words_takes_the_most_common_cut_and_every_boundary_inside():
    table = {"去北京市里": ["去北京市", "里"], "x去北京市": ["x", "去北京市"], "去北京市了": ["去北京市", "了"]}
    spans = {"去北京市里": [(1, 3, "PLACE")], "x去北京市": [(2, 4, "PLACE")], "去北京市了": [(1, 4, "PLACE")]}
    examples = [CharExample("msra", t, t, spans[t]) for t in table]
    assert learn_split_words(examples, fixed_tokenizer(table)) == {"去北京市": [1, 3]}
