"""The rule layer (`newsgraph_entity_rules`) on hand-written sentences.

The words and tags come from the shipped core model; the statistical NER's output is given
by hand (`ner=`), so that each case checks the rules themselves: how they add spans and how
they settle conflicts with the model's spans.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Span

from newsgraph.components.entity_rules import EntityRules
from newsgraph.paths import CORE_MODEL
from newsgraph.pipeline import load_pipeline


@pytest.fixture(scope="module")
def core():
    return load_pipeline(CORE_MODEL)


@pytest.fixture(scope="module")
def rules():
    return EntityRules()


def run(core, rules, text: str, ner: list[tuple[str, str]] = (), **switches: bool) -> list[tuple[str, str]]:
    """Tokenise and tag `text`, set the given NER spans (surface, label), apply the rules."""
    doc: Doc = core(text)
    ents = []
    at = 0
    for surface, label in ner:
        start = text.index(surface, at)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, f"{surface} is not made of whole words: {[t.text for t in doc]}"
        ents.append(span)
        at = start + len(surface)
    doc.ents = [e for e in doc.ents if not any(e.start < x.end and x.start < e.end for x in ents)] + ents
    for name, value in switches.items():
        setattr(rules, f"use_{name}", value)
    try:
        rules(doc)
    finally:
        for name in switches:
            setattr(rules, f"use_{name}", True)
    return [(e.text, e.label_) for e in doc.ents if e.label_ not in ("DATE", "QUANTITY")]


# --- titles -----------------------------------------------------------------------------

TITLE_CASES = [
    # (text, NER spans given, titles the rules must give)
    (
        "薛家岛街道党工委委员、办事处副主任丁广明带队检查。",
        [("丁广明", "PERSON")],
        ["薛家岛街道党工委委员", "办事处副主任"],
    ),
    ("社区党委书记梁玉鹏介绍了情况。", [("梁玉鹏", "PERSON")], ["社区党委书记"]),
    ("社区党委书记介绍，今年以来共开展活动12场。", [], ["社区党委书记"]),
    ("张伟书记主持会议。", [("张伟", "PERSON")], ["书记"]),
    ("副区长李明出席。", [("李明", "PERSON")], ["副区长"]),
    ("黄岛区副区长李明出席。", [("黄岛区", "PLACE"), ("李明", "PERSON")], ["黄岛区副区长"]),
    (
        "上海市长宁区虹桥街道荣华居民区党总支书记朱国萍说。",
        [
            ("上海市", "PLACE"),
            ("长宁区", "PLACE"),
            ("虹桥街道", "PLACE"),
            ("荣华居民区", "PLACE"),
            ("朱国萍", "PERSON"),
        ],
        ["荣华居民区党总支书记"],
    ),
]


@pytest.mark.parametrize(("text", "ner", "titles"), TITLE_CASES)
def test_titles_with_their_prefix(core, rules, text, ner, titles):
    found = run(core, rules, text, ner)
    assert [t for t, label in found if label == "TITLE"] == titles
    for surface, label in ner:  # names stay; a place inside a title is part of it, higher places stay
        if not any(surface in t for t in titles):
            assert (surface, label) in found


@pytest.mark.parametrize(
    "text",
    [
        "各社区党委书记参加了培训。",  # generic: every community's secretary
        "全体委员出席会议。",
        "书记们纷纷表示赞同。",
        "他想当书记。",  # no prefix, no name: not one person's office here
    ],
)
def test_generic_posts_are_not_titles(core, rules, text):
    assert [t for t, label in run(core, rules, text) if label == "TITLE"] == []


def test_model_titles_that_end_in_no_post_are_dropped(core, rules):
    found = run(core, rules, "记者在现场看到，工作人员正在检查。", [("记者", "TITLE"), ("工作人员", "TITLE")])
    assert found == []


def test_model_title_ending_in_a_post_stays(core, rules):
    found = run(core, rules, "公司总经理出席。", [("公司总经理", "TITLE")])
    assert ("公司总经理", "TITLE") in found


# --- gazetteer ----------------------------------------------------------------------------


def test_gazetteer_place_wins_over_a_wrong_label(core, rules):
    assert ("薛家岛街道", "PLACE") in run(core, rules, "薛家岛街道召开会议。", [("薛家岛街道", "ORG")])


def test_gazetteer_cuts_a_longer_place_into_adjacent_places(core, rules):
    found = run(core, rules, "汉江路社区维湾小区试点瓶改电。", [("汉江路社区维湾小区", "PLACE")])
    assert ("汉江路社区", "PLACE") in found
    assert ("维湾小区", "PLACE") in found


def test_an_organisation_named_after_a_listed_place_stays_whole(core, rules):
    found = run(core, rules, "珠海街道城管办联合多部门开展检查。", [("珠海街道城管办", "ORG")])
    assert ("珠海街道城管办", "ORG") in found
    assert ("珠海街道", "PLACE") not in found


def test_gazetteer_off_leaves_the_model(core, rules):
    found = run(
        core,
        rules,
        "薛家岛街道召开会议。",
        [("薛家岛街道", "ORG")],
        gazetteer=False,
        orgs=False,
        titles=False,
        bylines=False,
    )
    assert found == [("薛家岛街道", "ORG")]


# --- organisations and places named by their head word ------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("月亮湾路社区与区立医院签订协议。", ("区立医院", "ORG")),
        ("城管办联合安全监管中心、综合执法中队开展检查。", ("安全监管中心", "ORG")),
        ("城管办联合安全监管中心、综合执法中队开展检查。", ("综合执法中队", "ORG")),
        ("走访东方时尚小区。", ("东方时尚小区", "PLACE")),
    ],
)
def test_named_by_head_word(core, rules, text, expected):
    assert expected in run(core, rules, text)


def test_a_body_named_after_its_place_is_one_org(core, rules):
    found = run(core, rules, "六汪镇乡村振兴工作队来到基地。", [("六汪镇", "PLACE")])
    assert ("六汪镇乡村振兴工作队", "ORG") in found
    assert ("六汪镇", "PLACE") not in found


def test_place_followed_by_organisation_words_is_one_org(core, rules):
    found = run(core, rules, "薛家岛街道安委会办公室印发通知。", [])
    assert ("薛家岛街道安委会办公室", "ORG") in found


@pytest.mark.parametrize("text", ["对辖区老旧小区开展排查。", "各医院做好准备。", "相关部门和小区物业参加。"])
def test_generic_heads_name_nothing(core, rules, text):
    assert [e for e in run(core, rules, text) if e[1] in ("ORG", "PLACE")] == []


# --- bylines -------------------------------------------------------------------------------


def test_byline_names_are_persons(core, rules):
    found = run(core, rules, "珠海街道开展整治\n记者 董梅雪 丁霞 报道\n本报讯 近日……", [("丁霞", "ORG")])
    assert ("董梅雪", "PERSON") in found
    assert ("丁霞", "PERSON") in found


def test_reporter_word_is_not_a_title(core, rules):
    found = run(core, rules, "□记者 丁霞 报道", [("记者", "TITLE")])
    assert ("记者", "TITLE") not in found


def test_rules_leave_text_with_no_entity_empty(core, rules):
    assert run(core, rules, "今天天气很好，大家一起去散步。") == []


def test_spans_are_whole_words_and_do_not_overlap(core, rules):
    doc = core("薛家岛街道党工委委员、办事处副主任丁广明带队检查汉江路社区维湾小区。")
    doc.ents = [Span(doc, 0, 1, label="PLACE")]
    rules(doc)
    taken: set[int] = set()
    for ent in doc.ents:
        assert not taken.intersection(range(ent.start, ent.end))
        taken.update(range(ent.start, ent.end))


# --- checks on the model's spans ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ner"),
    [
        ("党员们积极参与志愿服务。", [("党员", "PERSON")]),
        ("小区物业配合检查。", [("小区物业", "ORG")]),
        ("新区出台新政策。", [("新区", "PLACE")]),
    ],
)
def test_generic_words_are_never_entities(core, rules, text, ner):
    assert run(core, rules, text, ner) == []


def test_a_long_noun_phrase_is_no_org(core, rules):
    text = "提高工作人员的防汛救灾应急处置能力。"
    assert run(core, rules, text, [("防汛救灾应急处置能力", "ORG")]) == []
    kept = run(core, rules, "安全监管中心参加。", [("安全监管中心", "ORG")])
    assert kept == [("安全监管中心", "ORG")]  # ends in an organisation word


def test_a_name_stays_a_person(core, rules):
    assert run(core, rules, "张伟主持会议。", [("张伟", "PERSON")]) == [("张伟", "PERSON")]


@pytest.mark.parametrize(
    ("text", "ner", "expected"),
    [
        ("走访东方时尚小区。", [("东方时尚小区", "ORG")], ("东方时尚小区", "PLACE")),
        ("西海岸公用事业集团参加。", [("西海岸公用事业集团", "PLACE")], ("西海岸公用事业集团", "ORG")),
    ],
)
def test_head_word_gives_the_label(core, rules, text, ner, expected):
    assert expected in run(core, rules, text, ner)


def test_a_span_run_on_into_a_verb_gives_way_to_the_gazetteer(core, rules):
    found = run(core, rules, "薛家岛街道组织开展燃气安全检查。", [("薛家岛街道组织", "ORG")])
    assert ("薛家岛街道", "PLACE") in found


# --- how gazetteer hits meet the model's spans -----------------------------------------------


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("rule_first", [("汉江路社区", "PLACE"), ("维湾小区", "PLACE")]),
        ("longest", [("汉江路社区维湾小区", "PLACE")]),
        ("model_first", [("汉江路社区维湾小区", "PLACE")]),
    ],
)
def test_gazetteer_policies_on_a_longer_place(core, policy, expected):
    rules = EntityRules(gazetteer_policy=policy, use_checks=False, use_orgs=False, use_titles=False)
    assert run(core, rules, "汉江路社区维湾小区试点瓶改电。", [("汉江路社区维湾小区", "PLACE")]) == expected


@pytest.mark.parametrize(("policy", "label"), [("rule_first", "PLACE"), ("longest", "PLACE"), ("model_first", "ORG")])
def test_gazetteer_policies_on_a_wrong_label(core, policy, label):
    rules = EntityRules(gazetteer_policy=policy, use_checks=False, use_orgs=False, use_titles=False)
    assert run(core, rules, "薛家岛街道召开会议。", [("薛家岛街道", "ORG")]) == [("薛家岛街道", label)]


def test_unknown_gazetteer_policy_is_refused():
    with pytest.raises(ValueError, match="gazetteer_policy must be one of"):
        EntityRules(gazetteer_policy="loudest")


# --- cases from review: line breaks, particles, generic heads, own prefixes --------------------------


@pytest.mark.parametrize(
    "text",
    ["燃气安全专项检查\n社区居民积极参与。", "关注群众安全\n中心工作不放松。"],
)
def test_no_span_runs_over_a_line_break(core, rules, text):
    for surface, _label in run(core, rules, text):
        assert "\n" not in surface


def test_a_title_at_the_start_of_a_line(core, rules):
    found = run(core, rules, "举行仪式。\n泊里镇党委书记讲话。", [("泊里镇", "PLACE")])
    assert ("泊里镇党委书记", "TITLE") in found


def test_neighbourhood_committee_is_an_org(core, rules):
    found = run(core, rules, "汉江路社区居委会组织居民学习。", [("汉江路社区居委会", "ORG")])
    assert ("汉江路社区居委会", "ORG") in found
    assert ("居委会", "PLACE") not in found


@pytest.mark.parametrize("text", ["解决居民群众所关心的问题。", "走访居民社区。"])
def test_particles_and_common_nouns_name_nothing(core, rules, text):
    assert [e for e in run(core, rules, text) if e[1] in ("ORG", "PLACE")] == []


@pytest.mark.parametrize(
    ("text", "ner", "title"),
    [
        ("区委书记丁广明讲话。", [("丁广明", "PERSON")], "区委书记"),
        ("他是社区书记。", [], "社区书记"),
    ],
)
def test_posts_with_their_own_organisation_word(core, rules, text, ner, title):
    assert (title, "TITLE") in run(core, rules, text, ner)


def test_byline_names_in_any_role_order():
    from newsgraph.page import byline_names

    line = "□记者 董梅雪 通讯员 李四 记者 王五 报道"
    assert [line[s:e] for s, e in byline_names(line)] == ["董梅雪", "李四", "王五"]
    line = " □记者 丁霞 报道"
    assert [line[s:e] for s, e in byline_names(line)] == ["丁霞"]
    assert byline_names("本报讯 记者说") == []


def test_split_words_ignore_repeated_cuts(core):
    from newsgraph.tokenizer import NewsgraphChineseTokenizer

    tokenizer = NewsgraphChineseTokenizer(core.vocab)
    tokenizer.set_split_words({"访华": [1, 1, 0, 2]})
    assert tokenizer.split_rules["访华"] == (1,)


def test_fixed_split_words_come_with_every_tokenizer(core):
    """联合区 is cut whatever the learned rules say, so 区人民医院 can be one ORG."""
    from newsgraph.tokenizer import NewsgraphChineseTokenizer

    tokenizer = NewsgraphChineseTokenizer(core.vocab)
    tokenizer.set_split_words({"访华": [1]})
    assert tokenizer.split_rules["联合区"] == (2,) and tokenizer.split_rules["访华"] == (1,)
    words = [t.text for t in core.tokenizer("胶南街道卫生院联合区人民医院开展义诊。")]
    assert "联合区" not in words and "区" in words


# --- visited sites ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        # the seed's p4: two sites after 参观了, joined by 和; the model found only pieces
        (
            "书画家们先后参观了中共胶南县委成立旧址和京东方物联网移动显示端口器件青岛生产基地，切身感受发展变化。",
            ["中共胶南县委成立旧址", "京东方物联网移动显示端口器件青岛生产基地"],
        ),
        ("六汪镇乡村振兴工作队在杨家山里红色教育基地开展活动。", ["杨家山里红色教育基地"]),  # the seed's p5
        ("代表们来到青岛啤酒博物馆、胶州湾海底隧道纪念馆参观。", ["青岛啤酒博物馆", "胶州湾海底隧道纪念馆"]),
        ("在全区推广蔬菜种植基地建设。", []),  # after 在, a verb (推广) ends the name
        ("在2023年建成3个基地。", []),  # numbers are no site's name
        ("参观了种植基地。", []),  # common words alone name no site
        ("今年新建教育基地两处。", []),  # no frame before it
    ],
)
def test_a_visited_site_is_one_place(core, rules, text, sites):
    got = [surface for surface, label in run(core, rules, text) if label == "PLACE"]
    assert [s for s in got if s in sites or any(h in s for h in ("基地", "旧址", "馆"))] == sites


def test_sites_can_be_switched_off(core, rules):
    text = "六汪镇乡村振兴工作队在杨家山里红色教育基地开展活动。"
    assert ("杨家山里红色教育基地", "PLACE") not in run(core, rules, text, sites=False)


def test_a_set_phrase_ending_in_a_village_word_is_no_place(core, rules):
    assert ("鱼米之乡", "PLACE") not in run(core, rules, "这里是著名的鱼米之乡。")


def test_fixed_split_words_win_over_learned_ones_and_are_not_saved_with_the_model(core, tmp_path):
    from newsgraph.tokenizer import NewsgraphChineseTokenizer

    tokenizer = NewsgraphChineseTokenizer(core.vocab)
    tokenizer.set_split_words({"联合区": [1], "访华": [1]})
    assert tokenizer.split_rules["联合区"] == (2,)
    assert tokenizer.learned_split_rules == {"访华": (1,)}
