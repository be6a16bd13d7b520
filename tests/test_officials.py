"""Officials (newsgraph/officials.py): name-title orders, organisations, elided prefixes.

The cases give the entity spans by hand, in brackets ([text|LABEL]), so that each one tests
the officials rules alone, whatever the recogniser finds. Every sentence was written for this
file in the style of district news. The seed page's officials are checked through the whole
pipeline in test_ner_model.py and below.
"""

from __future__ import annotations

import json
import re

import pytest

from newsgraph.officials import Mention, find_officials, main_place, organisation_of

SPAN = re.compile(r"\[([^|\]]+)\|([A-Z]+)\]")


def parse(marked: str) -> tuple[str, list[Mention]]:
    """`[丁广明|PERSON]书记` → the text and its mentions."""
    text, mentions, at = "", [], 0
    for match in SPAN.finditer(marked):
        text += marked[at : match.start()]
        start = len(text)
        text += match.group(1)
        mentions.append(Mention(len(mentions), start, len(text), match.group(2), match.group(1)))
        at = match.end()
    return text + marked[at:], mentions


def officials(marked: str) -> list[tuple]:
    text, mentions = parse(marked)
    return [(o["name"], [(t["title"], t["org"]) for t in o["titles"]]) for o in find_officials(text, mentions)]


CASES = [
    # --- title before name ---------------------------------------------------------------
    (
        "seed-coordinated",
        "[薛家岛街道党工委委员|TITLE]、[办事处副主任|TITLE][丁广明|PERSON]带队检查。",
        [("丁广明", [("薛家岛街道党工委委员", "薛家岛街道党工委"), ("办事处副主任", "薛家岛街道办事处")])],
    ),
    ("title-name", "[区委书记|TITLE][王强|PERSON]出席会议。", [("王强", [("区委书记", "区委")])]),
    ("title-name-space", "[街道党工委书记|TITLE] [李明|PERSON]讲话。", [("李明", [("街道党工委书记", "街道党工委")])]),
    ("post-only-name", "[书记|TITLE][张华|PERSON]主持。", [("张华", [("书记", None)])]),
    (
        "town-head",
        "[六汪镇镇长|TITLE][刘伟|PERSON]介绍情况。",
        [("刘伟", [("六汪镇镇长", "六汪镇")])],
    ),
    (
        "office-director",
        "[市场监管所所长|TITLE][陈刚|PERSON]带队。",
        [("陈刚", [("市场监管所所长", "市场监管所")])],
    ),
    (
        "hospital-head",
        "[区立医院院长|TITLE][赵敏|PERSON]参加义诊。",
        [("赵敏", [("区立医院院长", "区立医院")])],
    ),
    (
        "party-deputy",
        "[港湾学院党委副书记|TITLE][孙丽|PERSON]致辞。",
        [("孙丽", [("港湾学院党委副书记", "港湾学院党委")])],
    ),
    (
        "three-titles",
        "[隐珠街道党工委副书记|TITLE]、[办事处主任|TITLE]、[人武部部长|TITLE][周涛|PERSON]调研。",
        [
            (
                "周涛",
                [
                    ("隐珠街道党工委副书记", "隐珠街道党工委"),
                    ("办事处主任", "隐珠街道办事处"),
                    ("人武部部长", "隐珠街道人武部"),
                ],
            )
        ],
    ),
    (
        "and-joined",
        "[滨海街道党工委书记|TITLE]和[人大工委主任|TITLE][郑军|PERSON]参加活动。",
        [("郑军", [("滨海街道党工委书记", "滨海街道党工委"), ("人大工委主任", "滨海街道人大工委")])],
    ),
    (
        "concurrent",
        "[王台街道党工委书记|TITLE]兼[人大工委主任|TITLE][吴斌|PERSON]讲话。",
        [("吴斌", [("王台街道党工委书记", "王台街道党工委"), ("人大工委主任", "王台街道人大工委")])],
    ),
    (
        "own-prefix-kept",
        "[泊里镇党委书记|TITLE]、[区立医院院长|TITLE][钱进|PERSON]出席。",
        [("钱进", [("泊里镇党委书记", "泊里镇党委"), ("区立医院院长", "区立医院")])],
    ),
    # --- one title, several names ----------------------------------------------------------
    (
        "title-two-names",
        "[社区党委委员|TITLE][张明|PERSON]、[李华|PERSON]入户走访。",
        [("张明", [("社区党委委员", "社区党委")]), ("李华", [("社区党委委员", "社区党委")])],
    ),
    (
        "title-three-names",
        "[街道副主任|TITLE][王一|PERSON]、[王二|PERSON]、[王三|PERSON]到场。",
        [("王一", [("街道副主任", "街道")]), ("王二", [("街道副主任", "街道")]), ("王三", [("街道副主任", "街道")])],
    ),
    # --- name before title ----------------------------------------------------------------
    ("name-title", "[丁广明|PERSON][书记|TITLE]表示。", [("丁广明", [("书记", None)])]),
    (
        "name-org-title",
        "[刘洋|PERSON][社区主任|TITLE]带领网格员排查。",
        [("刘洋", [("社区主任", "社区")])],
    ),
    (
        "name-bracket-title",
        "[丁广明|PERSON]（[办事处副主任|TITLE]）参加。",
        [("丁广明", [("办事处副主任", "办事处")])],
    ),
    (
        "name-bracket-two",
        "[韩梅|PERSON]（[社区党委书记|TITLE]、[居委会主任|TITLE]）介绍。",
        [("韩梅", [("社区党委书记", "社区党委"), ("居委会主任", "社区居委会")])],
    ),
    # --- after 由 / 经 and in other frames ----------------------------------------------------
    (
        "you-title-name",
        "会议由[街道党工委副书记|TITLE][冯磊|PERSON]主持。",
        [("冯磊", [("街道党工委副书记", "街道党工委")])],
    ),
    (
        "jing-title-name",
        "经[区委常委|TITLE][杨帆|PERSON]同意，",
        [("杨帆", [("区委常委", "区委")])],
    ),
    (
        "quoted-speaker",
        "[村党支部书记|TITLE][马超|PERSON]说：“大家放心。”",
        [("马超", [("村党支部书记", "村党支部")])],
    ),
    # --- no name ---------------------------------------------------------------------------
    (
        "title-alone",
        "在“干群连心会”上，[社区党委书记|TITLE]列出“居民需求清单”。",
        [(None, [("社区党委书记", "社区党委")])],
    ),
    (
        "title-alone-two",
        "[镇党委书记|TITLE]、[镇长|TITLE]分别讲话。",
        [(None, [("镇党委书记", "镇党委"), ("镇长", None)])],
    ),
    (
        "two-separate-officials",
        "[区委书记|TITLE][王强|PERSON]、[区长|TITLE][李刚|PERSON]出席。",
        [("王强", [("区委书记", "区委")]), ("李刚", [("区长", None)])],
    ),
    (
        "comma-breaks-group",
        "[街道党工委书记|TITLE]，[社区主任|TITLE][陈红|PERSON]发言。",
        [(None, [("街道党工委书记", "街道党工委")]), ("陈红", [("社区主任", "社区")])],
    ),
    # --- what is not an official -------------------------------------------------------------
    ("reporter-byline", "记者 [丁霞|PERSON] 报道", []),
    ("correspondent", "通讯员 [王芳|PERSON] 记者 [周莹|PERSON]", []),
    ("person-no-title", "[张伟|PERSON]在现场指挥。", []),
    ("place-before-person", "[泊里镇|PLACE][刘伟|PERSON]说。", []),
    ("person-far-from-title", "[张伟|PERSON]说，[社区主任|TITLE]已到。", [(None, [("社区主任", "社区")])]),
    ("org-not-title", "[区立医院|ORG][赵敏|PERSON]参加义诊。", []),
    (
        "person-used-once",
        "[周涛|PERSON][书记|TITLE]、[主任|TITLE]出席。",
        [("周涛", [("书记", None), ("主任", None)])],
    ),
    # --- more orders and organisations -----------------------------------------------------------
    (
        "standing-deputy",
        "[常务副主任|TITLE][林峰|PERSON]汇报。",
        [("林峰", [("常务副主任", None)])],
    ),
    (
        "company-manager",
        "[西海岸公用事业集团总经理|TITLE][何静|PERSON]介绍。",
        [("何静", [("西海岸公用事业集团总经理", "西海岸公用事业集团")])],
    ),
    (
        "squad-leader",
        "[综合执法中队中队长|TITLE][许亮|PERSON]带队。",
        [("许亮", [("综合执法中队中队长", "综合执法中队")])],
    ),
    (
        "station-head",
        "[新时代文明实践站站长|TITLE][谢萍|PERSON]介绍。",
        [("谢萍", [("新时代文明实践站站长", "新时代文明实践站")])],
    ),
    (
        "grid-head",
        "[社区网格长|TITLE][唐宁|PERSON]巡查。",
        [("唐宁", [("社区网格长", "社区")])],
    ),
    (
        "village-chief",
        "[杨家山里村村主任|TITLE][邓伟|PERSON]说。",
        [("邓伟", [("杨家山里村村主任", "杨家山里村")])],
    ),
    (
        "county-committee",
        "[胶南县委书记|TITLE][曹明|PERSON]",
        [("曹明", [("胶南县委书记", "胶南县委")])],
    ),
    (
        "two-groups-one-sentence",
        "[街道党工委书记|TITLE][韩冰|PERSON]和[社区党委书记|TITLE][宋佳|PERSON]共同揭牌。",
        [("韩冰", [("街道党工委书记", "街道党工委")]), ("宋佳", [("社区党委书记", "社区党委")])],
    ),
    (
        "title-name-title",
        "[区委书记|TITLE][王强|PERSON][区长|TITLE][李刚|PERSON]",
        [("王强", [("区委书记", "区委")]), ("李刚", [("区长", None)])],
    ),
    (
        "committee-member",
        "[区政协委员|TITLE][高远|PERSON]建言。",
        [("高远", [("区政协委员", "区政协")])],
    ),
]


@pytest.mark.parametrize(("marked", "expected"), [pytest.param(c[1], c[2], id=c[0]) for c in CASES])
def test_official(marked, expected):
    assert officials(marked) == expected


def test_the_table_is_big_enough():
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)


def test_a_bare_level_word_takes_the_articles_main_place():
    marked = (
        "[月亮湾路社区|PLACE]与[兰东路社区|PLACE]共建。[月亮湾路社区|PLACE]开展活动，"
        "[社区党委书记|TITLE]列出清单。[月亮湾路社区|PLACE]帮助居民。"
    )
    assert officials(marked) == [(None, [("社区党委书记", "月亮湾路社区党委")])]


def test_no_main_place_when_two_places_of_the_level_share_the_article():
    assert main_place(["月亮湾路社区", "兰东路社区"], "社区") is None
    assert main_place(["月亮湾路社区", "月亮湾路社区", "兰东路社区"], "社区") == "月亮湾路社区"
    assert main_place(["隐珠街道"], "社区") is None


def test_organisation_of_a_post_alone_is_unknown():
    assert organisation_of("书记") is None
    assert organisation_of("常务副主任") is None
    assert organisation_of("居委会主任") == "居委会"


@pytest.fixture(scope="module")
def nlp():
    from newsgraph.pipeline import load_pipeline

    return load_pipeline()


def test_every_seed_official_through_the_whole_pipeline(nlp, tmp_path):
    from newsgraph.annotate import annotate
    from newsgraph.evaluate import evaluate, load_records
    from newsgraph.inputs import read_inputs
    from newsgraph.paths import CORPUS

    records = {r["id"]: r for r in annotate(nlp, read_inputs([CORPUS / "pages" / "page-000.txt"]))}
    scores = evaluate(load_records(CORPUS / "gold" / "page-000.jsonl"), records)
    assert scores["officials"]["f1"] == 1.0
    assert records["page-000/6"]["officials"][0]["name"] == "丁广明"


def test_an_article_tagged_in_pieces_still_gets_its_officials(nlp, tmp_path):
    from newsgraph.annotate import annotate_docs
    from newsgraph.inputs import read_inputs

    text = "街道开展燃气安全检查。" * 8 + "薛家岛街道党工委委员、办事处副主任丁广明带队检查。"
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"id": "long", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    ((_, doc),) = list(annotate_docs(nlp, read_inputs([source]), max_piece_chars=30))
    names = [o["name"] for o in doc._.officials]
    assert names == ["丁广明"]
    titles = [doc.ents[t["mention"]].text for t in doc._.officials[0]["titles"]]
    assert titles == ["薛家岛街道党工委委员", "办事处副主任"]
