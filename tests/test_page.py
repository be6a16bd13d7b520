"""The page reader on the seed page, field by field, and on hand-written pages."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.errors import InputError
from newsgraph.inputs import page_articles
from newsgraph.normalize import fold_width
from newsgraph.page import read_page

SEED_HEADLINES = [
    "隐珠街道月亮湾路社区以高质量党建赋能基层治理",
    '四名观察员上岗 为营商环境"把脉"',
    "防汛应急演练 确保安全度汛",
    "丹青妙笔展红心 翰墨飘香颂党恩",
    "重温人党誓词 凝聚奋进力量",
    "珠海街道和薛家岛街道扎实开展燃气安全专项整治行动",
]


def test_seed_page_has_six_articles_with_their_headlines(seed_page):
    assert [a.headline for a in seed_page.articles] == SEED_HEADLINES


def test_seed_section_places(seed_page):
    assert [a.section_place for a in seed_page.articles] == [None, "泊里镇", "滨海街道", "王台街道", None, None]
    assert seed_page.text[slice(*seed_page.articles[1].section_span)] == "❷ 泊里镇"


def test_seed_reporters(seed_page):
    assert [a.reporters for a in seed_page.articles] == [
        ["梁玉鹏"],
        ["丁霞"],
        ["张静"],
        ["周莹"],
        ["梁玉鹏"],
        ["董梅雪", "丁霞"],
    ]
    assert seed_page.articles[0].bylines == ["本报记者 梁玉鹏"]
    assert seed_page.articles[5].bylines == ["记者 董梅雪 丁霞 报道"]


def test_seed_kicker_and_subheads(seed_page):
    first = seed_page.articles[0]
    assert first.kicker == "党建引领闯出基层治理新路"  # the OCR junk "X(" is gone
    assert first.subheads == [
        "群心连心,服务暖民心",
        '开展党建共建 "微服务"惠民生',
        "凝聚干群力量 听民声聚民心",
        '构建"五联"机制 纾民困解民忧',
    ]
    assert all(a.kicker is None and a.subheads == [] for a in seed_page.articles[1:])


def test_seed_bodies_start_and_end_where_the_articles_do(seed_page):
    bodies = [a.body for a in seed_page.articles]
    assert [len(b) for b in bodies] == [8, 3, 3, 3, 2, 6]
    assert bodies[1][0].startswith("本报讯 6月25日,泊里镇举")  # split off its byline line
    assert bodies[4][0].startswith('"七一"来临之际')
    assert bodies[5][-1].endswith('"瓶改电"率已达90%左右。')


def test_seed_furniture(seed_page):
    furniture = [(f.kind, f.text) for f in seed_page.furniture]
    assert furniture == [
        ("weather", "今日天气: 晴 20℃~33℃ 南风3~5级"),
        ("hotline", "新闻热线: 0532-87139933 87139920"),
        ("hotline", "广告热线: 0532-87139926"),
        ("web", "网站: 青岛西海岸新闻网 www.xihaiannews.com"),
        ("weather", "明日天气: 晴 22℃~32℃ 南风3~5级"),
    ]
    for item in seed_page.furniture:
        assert seed_page.text[item.start : item.end] == item.text


def test_weather_line_dropped_inside_an_article_is_taken_out_and_the_sentence_rejoined(seed_page):
    gas = page_articles(seed_page, "page-000")[5].text.text
    assert "存放超量燃气瓶等突出问题" in gas
    assert "天气" not in gas
    assert all("天气" not in part.raw.text for a in seed_page.articles for part in a.parts)


def test_paragraph_broken_across_columns_is_joined(seed_page):
    first = page_articles(seed_page, "page-000")[0].text.text
    assert "共建单位主动认领所列问题并积极解决。" in first
    # a paragraph that ended on a short line stays a paragraph of its own
    assert "幸福感、获得感\n截至目前" in first


def test_every_part_keeps_its_page_offsets(seed_page):
    for article in seed_page.articles:
        assert seed_page.text[article.start : article.end].startswith(seed_page.text[article.parts[0].start])
        for part in article.parts:
            for char, origin in zip(part.raw.text, part.raw.origin, strict=True):
                assert seed_page.text[origin] == char or (char == " " and seed_page.text[origin] == "<")
    for record in page_articles(seed_page, "page-000"):
        for i, char in enumerate(record.text.text):
            source = seed_page.text[record.text.origin[i]]
            assert char == "\n" or fold_width(source) == char or char in "“”，：；？！（）" or char == " "


def test_article_ids_follow_page_order(seed_page):
    assert [a.id for a in page_articles(seed_page, "page-000")] == [f"page-000/{i}" for i in range(1, 7)]


# ---------------------------------------------------------------- hand-written pages

OTHER_PAGE = """\
2024年3月5日 星期二 责任编辑: 王明

■ 黄岛街道
社区议事会解民忧
□本报记者 李华 通讯员 张强
本报讯 3月4日,黄岛街道召开居民议事会,听取意见建议
20余条。

● 灵山卫街道
>>志愿服务<<
灵山卫街道开展义诊活动
本报讯（记者 赵敏 通讯员 孙丽）3月3日,灵山卫街道组织志愿者为居民义诊。
"""


def test_other_section_marks_bylines_and_page_date():
    page = read_page(OTHER_PAGE)
    assert [a.section_place for a in page.articles] == ["黄岛街道", "灵山卫街道"]
    first, second = page.articles
    assert first.headline == "社区议事会解民忧"
    assert first.authors == {"reporter": ["李华"], "correspondent": ["张强"]}
    assert first.body == ["本报讯 3月4日,黄岛街道召开居民议事会,听取意见建议", "20余条。"]
    assert second.kicker == "志愿服务"  # a >>label<< above the headline is its kicker
    assert second.headline == "灵山卫街道开展义诊活动"
    assert second.authors == {"reporter": ["赵敏"], "correspondent": ["孙丽"]}
    assert [f.kind for f in page.furniture] == ["page_date", "credits"]


def test_byline_glued_to_closing_word_and_ocr_junk():
    page = read_page("l(区政协调研养老服务\n记者 周莹报道 本报讯 近日,区政协组织委员调研养老服务工作。\n")
    (article,) = page.articles
    assert article.headline == "区政协调研养老服务"
    assert article.reporters == ["周莹"]
    assert article.body == ["本报讯 近日,区政协组织委员调研养老服务工作。"]


def test_body_after_a_byline_on_the_same_line_is_not_taken_for_names():
    page = read_page("社区议事会解民忧\n□本报记者 梁玉鹏 今年以来,隐珠街道召开议事会。\n")
    (article,) = page.articles
    assert article.reporters == ["梁玉鹏"]
    assert article.body == ["今年以来,隐珠街道召开议事会。"]


def test_plain_article_without_headline_is_one_article():
    page = read_page("近日,区市场监管局开展食品安全检查,共检查商户32家。\n检查中发现问题5处,已全部整改。\n")
    (article,) = page.articles
    assert article.headline is None
    assert len(article.body) == 2


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "今日天气: 晴 20℃~33℃\n新闻热线: 0532-87139933", "❷ 泊里镇\n四名观察员上岗\n"],
)
def test_page_with_no_article_is_an_error(text):
    with pytest.raises(InputError, match="no article"):
        read_page(text, "p.txt")


page_alphabet = st.sampled_from(
    list("社区党委书记以民生需求为导向，。“” \n\"'>>< <□■●❷🔘○记者报道本报讯通讯员天气热线网站:：X(0123456789")
)


# ---------------------------------------------------------------- nothing lost

MARKS = set("<>《》＞＜□■▲△◆◇|丨([（")


def _uncovered(page):
    covered = set()
    for article in page.articles:
        for part in article.parts:
            covered.update(part.raw.origin)
        if article.section_span:
            covered.update(range(*article.section_span))
    for item in page.furniture:
        covered.update(range(item.start, item.end))
    return "".join(c for i, c in enumerate(page.text) if i not in covered and not c.isspace())


def test_seed_page_loses_only_junk_and_markers(seed_page):
    # the OCR junk X(, the >>…<< marks (one < of each pair carries the space between the
    # subhead's parts), and the □ before each byline
    assert sorted(_uncovered(seed_page)) == sorted("X(" + ">><" * 3 + "□" * 6)


@given(st.text(alphabet=page_alphabet, max_size=300) | st.text(max_size=200))
@settings(max_examples=400, deadline=None)
def test_reader_never_crashes_and_loses_no_text(text):
    try:
        page = read_page(text)
    except InputError:
        return  # the only error it may raise: no article on the page
    lost = _uncovered(page)
    assert all(c in MARKS or (c.isascii() and c.isalpha()) for c in lost), lost
    for record in page_articles(page, "p"):
        assert record.text.text
        assert all(a <= b for a, b in itertools.pairwise(record.text.origin))


# ---------------------------------------------------------------- layouts seen in the wild


def test_byline_glued_to_its_body_and_two_parts_touching():
    page = read_page("某某街道开展活动\n□记者 张三 报道本报讯 6月25日,泊里镇举行活动。\n")
    (article,) = page.articles
    assert article.reporters == ["张三"]
    assert article.body == ["本报讯 6月25日,泊里镇举行活动。"]
    (record,) = page_articles(page, "p")
    assert record.text.text == "某某街道开展活动\n记者 张三 报道\n本报讯6月25日，泊里镇举行活动。"


def test_a_cut_paragraph_does_not_swallow_the_next_article(seed_text):
    cut = seed_text.replace("示范引领区注入文化力量。", "示范引领区注入文化力量强大")
    page = read_page(cut)
    assert [a.headline for a in page.articles] == SEED_HEADLINES
    assert page.articles[3].reporters == ["周莹"]


def test_section_mark_at_the_end_of_a_page_is_furniture():
    page = read_page("社区议事会解民忧\n本报讯 近日,社区召开议事会。\n❷ 泊里镇\n")
    assert [(f.kind, f.text) for f in page.furniture] == [("section", "泊里镇")]


def test_latin_words_at_a_line_start_are_not_junk():
    page = read_page("AI（人工智能）赋能社区治理\n本报讯 近日,社区引入AI|智能巡查系统。\n")
    assert page.articles[0].headline == "AI（人工智能）赋能社区治理"


def test_headline_ending_in_a_question_mark():
    page = read_page("垃圾分类怎么做？\n本报讯 近日,社区开展垃圾分类宣传活动。\n")
    assert page.articles[0].headline == "垃圾分类怎么做？"


def test_subtitle_with_a_dash_is_never_the_headline():
    page = read_page(
        "扎根社区二十年\n——记隐珠街道月亮湾路社区党委书记张三\n□记者 李四\n本报讯 二十年来,张三扎根社区。\n"
    )
    (article,) = page.articles
    assert article.headline == "扎根社区二十年"
    assert article.subheads == ["——记隐珠街道月亮湾路社区党委书记张三"]


def test_numbered_heads_stay_inside_their_article():
    page = read_page(
        "区政府召开常务会议\n本报讯 近日,区政府召开常务会议。\n一、强化组织领导\n各部门要压实责任。\n"
        "（二）加强督导检查\n要定期通报进展。\n"
    )
    (article,) = page.articles
    assert article.subheads == ["一、强化组织领导", "（二）加强督导检查"]
    assert len(article.body) == 3


def test_byline_names_stop_at_lead_words_and_allow_dotted_names():
    page = read_page("社区议事会解民忧\n□记者 张三 近日 全区开展活动。\n□记者 阿依古丽·买买提 报道\n")
    assert page.articles[0].authors == {"reporter": ["张三", "阿依古丽·买买提"]}
    assert page.articles[0].body == ["近日 全区开展活动。"]


def test_lines_of_stray_marks_are_furniture_not_body():
    page = read_page("社区议事会解民忧\n>><<\n本报讯 近日,社区召开议事会。\n……\n")
    assert page.articles[0].body == ["本报讯 近日,社区召开议事会。"]
    assert [f.text for f in page.furniture] == [">><<", "……"]


def test_page_date_is_the_articles_date():
    page = read_page("2024年3月5日 星期二 第3版 要闻\n社区议事会解民忧\n本报讯 近日,社区召开议事会。\n")
    assert page_articles(page, "p")[0].date == "2024-03-05"  # as an ISO day, as an article line's date
    misprint = read_page("2024年2月30日 星期二 第3版 要闻\n社区议事会解民忧\n本报讯 近日,社区召开议事会。\n")
    assert page_articles(misprint, "p")[0].date is None


def test_a_dateline_lead_is_body_even_when_short():
    page = read_page("两会代表热议民生\n本报北京1月20日电 代表们热议民生实事\n会议期间,代表们积极建言。\n")
    (article,) = page.articles
    assert article.headline == "两会代表热议民生"
    assert article.body[0] == "本报北京1月20日电 代表们热议民生实事"
