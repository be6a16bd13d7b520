"""Events (newsgraph/events.py): triggers, types, extents and roles, rule by rule.

Entity spans are marked by hand ([text|LABEL], as in test_officials.py), so each case tests the
event rules alone; the words and tags come from the shipped core model, as the component gets
them. Every sentence was written for this file in the style of district news. The whole
pipeline on hand-written articles is in test_event_cases.py, on the seed page in test_cli.py.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.events import Token, event_of, find_events, split_sentences
from newsgraph.officials import find_officials
from newsgraph.paths import CORE_MODEL
from newsgraph.pipeline import load_pipeline

from .test_officials import parse


@pytest.fixture(scope="module")
def core():
    return load_pipeline(CORE_MODEL)


def run(core, marked: str, body=None, with_officials: bool = False) -> tuple[str, list, list[dict]]:
    text, mentions = parse(marked)
    tokens = [Token(t.idx, t.idx + len(t.text), t.tag_) for t in core(text)]
    officials = find_officials(text, mentions) if with_officials else []
    return text, mentions, find_events(text, tokens, mentions, body, officials)


def events(core, marked: str, **kwargs) -> list[tuple]:
    """(type, trigger, date, places, participants, quantities), mentions by surface."""
    _text, mentions, found = run(core, marked, **kwargs)
    name = {m.index: m.text for m in mentions}
    return [
        (
            e["type"],
            e["trigger"],
            None if e["date"] is None else name[e["date"]],
            sorted(name[i] for i in e["places"]),
            sorted(name[i] for i in e["participants"]),
            sorted(name[i] for i in e["quantities"]),
        )
        for e in found
    ]


def kinds(core, marked: str, **kwargs) -> list[tuple[str, str]]:
    return [(e[0], e[1]) for e in events(core, marked, **kwargs)]


# --- triggers and types --------------------------------------------------------------------


def test_a_gathering_held_is_typed_by_the_last_part_of_its_noun(core):
    marked = "[6月25日|DATE]，[泊里镇|PLACE]举行“庆七一”主题党日活动暨营商环境观察员聘任仪式。"
    assert events(core, marked) == [("ceremony", "举行", "6月25日", ["泊里镇"], ["泊里镇"], [])]


def test_a_gathering_held_takes_its_type_from_the_subject_when_nothing_follows(core):
    marked = "[6月27日|DATE]，[2023|DATE][青岛|PLACE]红色旅游书画笔会在[王台街道|PLACE]举行。"
    # 青岛 names the gathering, it is not where it is: a modifier has no role
    assert events(core, marked) == [("cultural", "举行", "6月27日", ["王台街道"], [], [])]


def test_a_meeting_called_is_a_meeting_with_its_count(core):
    marked = "[薛家岛街道|PLACE]召开[3次|QUANTITY]安全生产专题会议，进一步细化整治流程。"
    assert events(core, marked) == [("meeting", "召开", None, ["薛家岛街道"], ["薛家岛街道"], ["3次"])]


def test_a_gathering_with_no_activity_word_is_typed_by_its_last_word(core):
    assert kinds(core, "随后，[县应急管理局|ORG]组织参演单位召开点评会，对问题逐一讲评。") == [("meeting", "召开")]
    assert kinds(core, "[柳林社区|PLACE]召开居民代表大会。") == [("meeting", "召开")]
    assert kinds(core, "镇里举行了一场活动。") == [("other", "举行")]  # nothing to type it by


def test_after_a_light_verb_the_activity_word_is_the_trigger(core):
    marked = "[近日|DATE]，[珠海街道城管办|ORG]对辖区商户开展燃气安全专项检查行动。"
    assert kinds(core, marked) == [("inspection", "检查")]
    assert kinds(core, "“街道对辖区餐饮、大排档等场所进行全面摸排。”") == [("inspection", "摸排")]


def test_a_named_activity_in_quotes_is_the_trigger_where_the_sentence_rests_on_it(core):
    assert kinds(core, "据悉，社区通过“邻聚力议事汇”活动，倾听群众声音。") == [("meeting", "邻聚力议事汇")]
    assert kinds(core, "在“干群连心会”上，[社区党委书记|TITLE]列出需求清单。") == [("meeting", "干群连心会")]
    assert kinds(core, "社区注重发挥“干群连心会”和“邻聚力议事汇”作用。") == []  # named, not held


def test_otherwise_the_first_activity_word(core):
    marked = "[月亮湾路社区|PLACE]与[区立医院|ORG]、[港湾学院|ORG]等[6家|QUANTITY]单位党组织签订党建共建协议。"
    # the parties of an agreement are not where it is signed
    assert events(core, marked) == [("agreement", "签订", None, [], ["区立医院", "月亮湾路社区", "港湾学院"], ["6家"])]


@pytest.mark.parametrize(
    "marked",
    [
        "服务站设有政策咨询、就业帮扶、优抚关爱等功能区。",  # items of a list are topics
        "[宝山镇|PLACE]还将举办葡萄采摘、农产品展销等系列活动。",  # planned
        "[区委书记|TITLE]强调，要持续开展隐患排查。",  # urged
        "针对检查中发现的问题，工作人员逐一登记。",  # 检查中: a time of another event
        "燃气安全关系到千家万户，与人民群众生命财产安全息息相关。",  # background
        "检查人员表示，今后会常态化开展工作。",  # 检查人员: the people, not the act
    ],
)
def test_what_is_not_an_occurrence(core, marked):
    assert kinds(core, marked) == []


def test_a_plan_sentence_ends_the_event_and_reports_none(core):
    marked = (
        "[6月26日|DATE]，[滨海街道|PLACE]开展城区防汛应急演练。\n下一步，[滨海街道|PLACE]将持续开展各类应急演练活动。"
    )
    text, mentions, found = run(core, marked)
    assert [(e["type"], e["trigger"]) for e in found] == [("drill", "演练")]
    assert text[found[0]["start"] : found[0]["end"]].endswith("演练。")
    assert event_of(mentions[2].start, mentions[2].end, found) is None  # the plan's 滨海街道


# --- extents -----------------------------------------------------------------------------


def test_a_continuation_cue_and_the_same_word_go_on_with_the_event(core):
    marked = (
        "[近日|DATE]，[珠海街道城管办|ORG]开展燃气安全专项检查行动。\n"
        "行动中，检查人员详细检查了沿街店面，发现胶管超长[12处|QUANTITY]。"
    )
    assert events(core, marked) == [("inspection", "检查", "近日", [], ["珠海街道城管办"], ["12处"])]


def test_results_go_on_with_an_enforcement_unless_another_body_acts(core):
    marked = (
        "[薛家岛街道安委会办公室|ORG]开展集中专项整治。截至目前，已暂扣液化气罐[103个|QUANTITY]，"
        "现场停业处理商户[3家|QUANTITY]。"
    )
    assert events(core, marked) == [("enforcement", "专项整治", None, [], ["薛家岛街道安委会办公室"], ["103个", "3家"])]
    marked = (
        "[红石崖街道安监中队|ORG]对企业开展安全检查，发现隐患[56处|QUANTITY]。"
        "[红石崖街道综合执法中队|ORG]依法查处违规企业[4家|QUANTITY]。"
    )
    assert kinds(core, marked) == [("inspection", "检查"), ("enforcement", "查处")]


def test_same_type_without_an_agent_of_its_own_goes_on(core):
    marked = (
        "[7月12日|DATE]，[琅琊镇|PLACE]召开人大代表工作会议。\n"
        "会议审议表决了民生实事项目，对[12个|QUANTITY]候选项目逐项投票。"
    )
    assert events(core, marked) == [("meeting", "召开", "7月12日", ["琅琊镇"], ["琅琊镇"], ["12个"])]


def test_named_activities_and_new_agents_start_events_of_their_own(core):
    marked = (
        "据悉，社区通过“邻聚力议事汇”活动，倾听群众声音。在“干群连心会”上，[社区党委书记|TITLE]列出清单。"
        "[今年以来|DATE]，通过共建议事会，[月亮湾路社区|PLACE]帮助居民解决问题。"
    )
    assert kinds(core, marked) == [("meeting", "邻聚力议事汇"), ("meeting", "干群连心会"), ("meeting", "议事会")]


def test_a_sequence_word_inside_a_sentence_starts_the_next_event(core):
    marked = "党员们重温入党誓词，随后参观了[马家村村史馆|PLACE]。"
    assert events(core, marked) == [
        ("party_activity", "重温入党誓词", None, [], [], []),
        ("visit", "参观", None, ["马家村村史馆"], [], []),
    ]


def test_a_new_paragraph_goes_on_only_with_a_cue_or_the_same_actor(core):
    marked = (
        "[7月5日|DATE]，[区长|TITLE][刘建国|PERSON]到[隐珠街道|PLACE]调研重点项目建设情况。\n"
        "[刘建国|PERSON]一行先后来到[月亮湾路社区|PLACE]，实地查看项目进展。\n"
        "“不使用燃气时，一定要关闭阀门。”"
    )
    text, _mentions, found = run(core, marked, with_officials=True)
    (visit,) = found
    assert text[visit["start"] : visit["end"]].endswith("实地查看项目进展。")


def test_lines_that_are_not_body_report_no_event_and_end_one(core):
    marked = "街道开展消防演练\n[6月2日|DATE]，[滨海街道|PLACE]开展消防演练。\n本报记者 梁玉鹏\n活动中，居民积极参与。"
    text, _mentions, found = run(core, marked)
    lines = text.split("\n")
    starts = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    body = [(starts[1], starts[1] + len(lines[1])), (starts[3], starts[3] + len(lines[3]))]
    text, _mentions, found = run(core, marked, body=body)
    (drill,) = found
    assert drill["start"] == starts[1] and drill["end"] == starts[1] + len(lines[1])  # the byline ends it


def test_an_attribution_stays_with_its_quote(core):
    text = "“街道对场所进行全面摸排。”薛家岛街道党工委委员丁广明介绍。下一句。"
    sentences = split_sentences(text, [(0, len(text))])
    assert [text[s.start : s.end] for s in sentences] == [
        "“街道对场所进行全面摸排。”薛家岛街道党工委委员丁广明介绍。",
        "下一句。",
    ]
    assert text[sentences[0].speaker_from : sentences[0].end] == "薛家岛街道党工委委员丁广明介绍。"


# --- roles -------------------------------------------------------------------------------


def test_a_quoted_speaker_is_no_participant(core):
    marked = "“街道对辖区场所进行全面摸排。”[薛家岛街道党工委委员|TITLE]、[办事处副主任|TITLE][丁广明|PERSON]介绍。"
    assert events(core, marked, with_officials=True) == [("inspection", "摸排", None, [], [], [])]


def test_coordinated_agents_are_all_participants(core):
    marked = (
        "[近日|DATE]，[珠海街道城管办|ORG]联合[安全监管中心|ORG]、[综合执法中队|ORG]、[市场监管所|ORG]等部门"
        "对辖区商户开展燃气安全专项检查。"
    )
    assert events(core, marked)[0][4] == ["安全监管中心", "市场监管所", "珠海街道城管办", "综合执法中队"]


def test_the_organiser_is_no_place_where_the_event_names_one(core):
    marked = "[6月26日|DATE]，[滨海街道|PLACE]联合[中铁-阅唐小区|PLACE]、[东方时尚小区|PLACE]开展防汛应急演练。"
    (drill,) = events(core, marked)
    assert drill[3] == ["东方时尚小区", "中铁-阅唐小区"]
    assert drill[4] == ["东方时尚小区", "中铁-阅唐小区", "滨海街道"]
    marked = "[近期|DATE]，[珠海街道|PLACE]和[薛家岛街道|PLACE]组织开展燃气安全专项整治行动。"
    assert events(core, marked) == [
        ("enforcement", "专项整治", "近期", ["珠海街道", "薛家岛街道"], ["珠海街道", "薛家岛街道"], [])
    ]


def test_a_place_in_a_pilot_is_the_place_and_the_agent_only_a_participant(core):
    marked = (
        "另外，[薛家岛街道|PLACE]还以[汉江路社区|PLACE]为试点，积极引导餐饮商户进行“瓶改电”。"
        "[目前|DATE]，[汉江路社区|PLACE][维湾小区|PLACE]餐饮商户“瓶改电”率已达[90%左右|QUANTITY]。"
    )
    assert events(core, marked) == [
        ("other", "瓶改电", "目前", ["汉江路社区", "汉江路社区", "维湾小区"], ["薛家岛街道"], ["90%左右"])
    ]


@pytest.mark.parametrize(
    "marked",
    [
        "[六汪镇乡村振兴工作队|ORG]开展重温入党誓词活动，党员们面向鲜红的[中国共产党|ORG]党旗宣誓。",
        "书画家们先后参观了展馆，感受[王台街道|PLACE]的发展变化。",
    ],
)
def test_a_name_that_only_qualifies_a_noun_has_no_role(core, marked):
    _text, mentions, (event,) = run(core, marked)
    roles = {i for role in ("places", "participants") for i in event[role]}
    qualifier = next(m for m in mentions if m.text in ("中国共产党", "王台街道"))
    assert qualifier.index not in roles


def test_officials_take_part_by_name_and_titles(core):
    marked = (
        "[7月3日|DATE]，[藏南镇|PLACE]举行授旗仪式。仪式上，[藏南镇党委书记|TITLE][王海涛|PERSON]为志愿服务队授旗。"
    )
    assert events(core, marked, with_officials=True)[0][4] == ["王海涛", "藏南镇", "藏南镇党委书记"]


def test_an_event_without_a_date_inherits_the_nearest_reported_one(core):
    marked = "[近日|DATE]，[珠海街道城管办|ORG]开展检查。\n同时，检查人员还积极开展面对面安全宣传。"
    _text, mentions, found = run(core, marked)
    assert found[1]["date"] is None and found[1]["date_inherited"] == mentions[0].index
    _text, _mentions, found = run(core, "下一步将于[7月1日|DATE]开展。\n社区开展义诊。")
    assert found[0]["date_inherited"] is None  # a plan's date does not pass on


def test_several_events_in_one_article_and_their_links(core):
    marked = (
        "安全生产责任重于泰山。\n"
        "[6月16日|DATE]，[红石崖街道|PLACE]召开安全生产月动员会议。\n"
        "会后，[红石崖街道安监中队|ORG]对辖区[38家|QUANTITY]工贸企业开展安全检查，发现隐患[56处|QUANTITY]。\n"
        "同时，街道在[红石崖广场|PLACE]开展安全生产集中宣传，发放宣传资料[1000余份|QUANTITY]。"
    )
    _text, mentions, found = run(core, marked)
    expected = [("meeting", "召开"), ("inspection", "检查"), ("service", "宣传")]
    assert [(e["type"], e["trigger"]) for e in found] == expected
    assert [event_of(m.start, m.end, found) for m in mentions] == [0, 0, 1, 1, 1, 2, 2]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("，。、“”\n开展检查举行会议社区将下一步活动中了的X表示")), max_size=80))
def test_no_text_crashes_the_event_finder(text):
    tokens = [Token(i, i + 1, "n") for i in range(len(text))]
    found = find_events(text, tokens, [])
    for e in found:
        assert 0 <= e["start"] <= e["trigger_start"] < e["trigger_end"] <= e["end"] <= len(text)
    assert all(a["end"] <= b["start"] for a, b in itertools.pairwise(found))


def test_the_same_word_with_an_agent_of_its_own_is_another_event(core):
    marked = "[6月1日|DATE]，[泊里镇|PLACE]召开安全生产会议。\n[6月3日|DATE]，[六汪镇|PLACE]召开防汛工作会议。"
    assert events(core, marked) == [
        ("meeting", "召开", "6月1日", ["泊里镇"], ["泊里镇"], []),
        ("meeting", "召开", "6月3日", ["六汪镇"], ["六汪镇"], []),
    ]
