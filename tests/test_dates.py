"""Dates found in text and normalised; the year and anchor completed from the article's date."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.dates import complete_year, find_dates

from .conftest import assert_ordered_spans


def dates(text):
    return [(text[d.start : d.end], d.value) for d in find_dates(text)]


def absolute(year=None, month=None, day=None, hour=None, minute=None, part=None, source=None, **extra):
    return {"kind": "absolute", "year": year, "month": month, "day": day, "hour": hour, "minute": minute,
            "part": part, "year_source": source, **extra}  # fmt: skip


def relative(relation, offset=None, unit=None, part=None):
    return {"kind": "relative", "relation": relation, "offset": offset, "offset_unit": unit, "part": part,
            "anchor": None}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本报讯6月25日，泊里镇举行仪式", [("6月25日", absolute(month=6, day=25))]),
        ("2023年6月25日晚，", [("2023年6月25日晚", absolute(2023, 6, 25, part="晚", source="written"))]),
        ("3月25日晚19时40分许", [("3月25日晚19时40分", absolute(None, 3, 25, 19, 40, part="晚"))]),
        ("二〇二三年十二月三日", [("二〇二三年十二月三日", absolute(2023, 12, 3, source="written"))]),
        ("12月份以来", [("12月份以来", absolute(month=12) | {"since": True})]),  # like 今年以来 (docs/ANNOTATION.md)
        ("当晚8时30分，", [("晚8时30分", absolute(hour=8, minute=30, part="晚"))]),
        ("上午9时，", [("上午9时", absolute(hour=9, part="上午"))]),
        ("12时许", [("12时", absolute(hour=12))]),
        ("6月底前", [("6月底", absolute(month=6, period="底"))]),
        ("2024.3.5", [("2024.3.5", absolute(2024, 3, 5, source="written"))]),
        ("2024-03-05", [("2024-03-05", absolute(2024, 3, 5, source="written"))]),
        ("去年12月", [("去年12月", absolute(month=12, year_offset=-1))]),
        # a count is no year, and passes no year on
        ("惠及群众2000余人。6月25日", [("6月25日", absolute(month=6, day=25))]),
        ("“书画展”2023青岛红色旅游书画展", [("2023", absolute(2023, source="bare"))]),
        (
            "2023年举办了3月5日的活动",
            [("2023年", absolute(2023, source="written")), ("3月5日", absolute(2023, 3, 5, source="text"))],
        ),
        ("近日，珠海街道城管办", [("近日", relative("recent_days"))]),
        ("近期，街道开展", [("近期", relative("recent"))]),
        ("截至目前，已暂扣", [("截至目前", relative("until_now"))]),
        ("目前，社区", [("目前", relative("now"))]),
        ("今年以来，社区", [("今年以来", relative("since_year_start", 0, "year"))]),
        ("昨天下午，记者", [("昨天下午", relative("day", -1, "day", part="下午"))]),
        ("去年全区", [("去年", relative("year", -1, "year"))]),
        ("“七一”来临之际", [("七一", absolute(month=7, day=1, named="七一"))]),
        ("五一期间", [("五一", absolute(month=5, day=1, named="五一"))]),
        ("国庆节前夕", [("国庆节", absolute(month=10, day=1, named="国庆节"))]),
    ],
)
def test_dates_and_their_values(text, expected):
    assert dates(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2000元",
        "2046户",
        "十一个社区",
        "第5日",
        "共3天",
        "电话0532-87139933",
        "同时，随后，接下来",
        "下一步将",
        "活动开始前",
        "15日",
        "晚",
        "3点",
    ],
)
def test_not_dates(text):
    assert dates(text) == []


def test_year_and_anchor_come_from_the_article_date():
    (_, month_day), (_, recent) = dates("6月25日，近日")
    assert complete_year(month_day, "2024年3月5日 星期二")["year"] == 2024
    assert complete_year(month_day, "2023-06-30")["year_source"] == "article"
    assert complete_year(month_day, None)["year"] is None
    assert complete_year(recent, "2024年3月5日")["anchor"] == "2024-03-05"
    assert complete_year(recent, "2024-03")["anchor"] == "2024-03"


def test_the_article_date_beats_a_year_read_earlier_and_applies_year_offsets():
    (_, built), (_, month_day) = dates("建于2008年，6月25日")
    assert month_day["year"] == 2008 and month_day["year_source"] == "text"
    assert complete_year(month_day, "2024-03-05")["year"] == 2024
    assert complete_year(built, "2024-03-05")["year"] == 2008  # written years stay
    ((_, last_december),) = dates("去年12月")
    assert complete_year(last_december, "2024年3月5日")["year"] == 2023


DATE_CHARS = "0123456789年月日号时分点晚上下午今昨天近目前截至以来“”七一五十二〇 "


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(DATE_CHARS), max_size=30) | st.text(max_size=30))
def test_no_text_crashes_the_date_finder_and_spans_do_not_overlap(text):
    found = find_dates(text)
    assert_ordered_spans(found, text)


@pytest.mark.parametrize(
    ("text", "span", "start", "end"),
    [
        ("6月25日至27日举行", "6月25日至27日", (6, 25), {"month": 6, "day": 27}),
        ("6月25日至7月2日", "6月25日至7月2日", (6, 25), {"month": 7, "day": 2}),
        ("1至5月，全区", "1至5月", (1, None), {"month": 5, "day": None}),
        ("3月至5月", "3月至5月", (3, None), {"month": 5, "day": None}),
        ("今年1-5月份", "今年1-5月份", (1, None), {"month": 5, "day": None}),
    ],
)
def test_date_ranges_are_one_date_with_an_end(text, span, start, end):
    ((found, value),) = dates(text)
    assert found == span
    assert (value["month"], value["day"]) == start
    assert value["range_end"] == end


def test_rule_components_keep_other_components_entities():
    """A statistical DATE the rules did not find stays; one they overlap gives way; other labels stay."""
    from newsgraph.pipeline import load_pipeline

    nlp = load_pipeline()
    doc = nlp.make_doc("第一季度，薛家岛街道6月25日暂扣液化气罐103个")
    quarter = doc.char_span(0, 4, label="DATE")
    place = doc.char_span(5, 10, label="PLACE")
    wrong_date = doc.char_span(10, 13, label="DATE", alignment_mode="expand")  # part of 6月25日
    doc.ents = [quarter, place, wrong_date]
    for name in ("newsgraph_quantities", "newsgraph_dates"):
        doc = nlp.get_pipe(name)(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("第一季度", "DATE"),
        ("薛家岛街道", "PLACE"),
        ("6月25日", "DATE"),
        ("103个", "QUANTITY"),
    ]


@pytest.mark.parametrize(
    ("text", "surface", "month"), [("6月以来，街道开展巡查。", "6月以来", 6), ("5月份以来", "5月份以来", 5)]
)
def test_a_date_with_since_is_one_span(text, surface, month):
    (date,) = find_dates(text)
    assert text[date.start : date.end] == surface
    assert date.value["since"] is True and date.value["month"] == month
