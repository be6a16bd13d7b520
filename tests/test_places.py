"""Places (newsgraph/places.py): levels and *located in* relations, on hand-marked spans."""

from __future__ import annotations

import pytest

from newsgraph.places import level_of, located_in, place_in_name, place_references

from .test_officials import parse


def relations(marked: str) -> list[tuple]:
    text, mentions = parse(marked)
    out = []
    for r in located_in(text, mentions):
        tail = mentions[r["tail"]].text if "tail" in r else ("name", r["tail_name"])
        out.append((mentions[r["head"]].text, tail))
    return out


CASES = [
    ("street-community", "[隐珠街道|PLACE][月亮湾路社区|PLACE]坚持党建引领。", [("月亮湾路社区", "隐珠街道")]),
    ("community-compound", "[汉江路社区|PLACE][维湾小区|PLACE]试点。", [("维湾小区", "汉江路社区")]),
    (
        "chain",
        "[青岛西海岸新区|PLACE][隐珠街道|PLACE][月亮湾路社区|PLACE]",
        [("隐珠街道", "青岛西海岸新区"), ("月亮湾路社区", "隐珠街道")],
    ),
    ("apart", "[隐珠街道|PLACE]和[月亮湾路社区|PLACE]", []),
    ("peers", "[泊里镇|PLACE][隐珠街道|PLACE]", []),  # a 镇 is never inside a 街道
    ("going-up", "[月亮湾路社区|PLACE][隐珠街道|PLACE]", []),
    ("pieces-of-a-name", "[中|PLACE][铁-|PLACE][阅唐小区|PLACE]", []),
    ("org-street", "[珠海街道城管办|ORG]联合检查。", [("珠海街道城管办", ("name", "珠海街道"))]),
    ("org-town", "[六汪镇乡村振兴工作队|ORG]", [("六汪镇乡村振兴工作队", ("name", "六汪镇"))]),
    ("org-office", "[薛家岛街道安委会办公室|ORG]", [("薛家岛街道安委会办公室", ("name", "薛家岛街道"))]),
    ("org-short-form", "[西海岸公用事业集团|ORG]", [("西海岸公用事业集团", ("name", "西海岸"))]),
    (
        "place-inside",
        "[京东方物联网移动显示端口器件青岛生产基地|PLACE]",
        [("京东方物联网移动显示端口器件青岛生产基地", ("name", "青岛"))],
    ),
    ("village-org", "[王家村党支部|ORG]", [("王家村党支部", ("name", "王家村"))]),
    ("bare-level", "[区人大常委会|ORG]、[社区党委|ORG]", []),
    ("not-a-place-start", "[市场监管所|ORG]、[区立医院|ORG]、[港湾学院|ORG]", []),
    ("place-is-itself", "[青岛市|PLACE]、[西海岸新区|PLACE]、[隐珠街道|PLACE]", []),
    ("unknown-county", "[中共胶南县委成立旧址|PLACE]", []),
    ("person-not-place", "[王家村|PERSON]", []),
]


@pytest.mark.parametrize(("marked", "expected"), [pytest.param(c[1], c[2], id=c[0]) for c in CASES])
def test_located_in(marked, expected):
    assert relations(marked) == expected


@pytest.mark.parametrize(
    ("place", "level"),
    [
        ("月亮湾路社区", "社区"),
        ("隐珠街道", "街道"),
        ("泊里镇", "镇"),
        ("青岛西海岸新区", "区"),
        ("维湾小区", "小区"),
        ("杨家山里红色教育基地", "场所"),
        ("王台", None),
        ("街道", None),
    ],
)
def test_level_of_a_place(place, level):
    assert level_of(place) == level


def test_a_name_holds_at_most_one_place():
    assert place_in_name("珠海街道城管办") == "珠海街道"
    assert place_in_name("珠海街道") is None
    assert place_in_name("综合执法中队") is None


def test_every_seed_relation_from_the_gold_spans():
    """From the gold's own spans, all 9 located_in pairs: 杨家山里 (in 杨家山里红色教育基地), a
    village no list of ours knows, by the form of its name."""
    import json

    from newsgraph.officials import Mention
    from newsgraph.paths import CORPUS

    found = missed = wrong = 0
    for line in (CORPUS / "gold" / "page-000.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        mentions = [Mention(i, e["start"], e["end"], e["label"], e["text"]) for i, e in enumerate(record["entities"])]
        got = {
            (f"m{r['head'] + 1}", f"m{r['tail'] + 1}" if "tail" in r else None, r.get("tail_name"))
            for r in located_in(record["text"], mentions)
        }
        gold = {(r["head"], r.get("tail"), r.get("tail_name")) for r in record["relations"]}
        found += len(got & gold)
        missed += len(gold - got)
        wrong += len(got - gold)
    assert (found, missed, wrong) == (9, 0, 0)


def test_the_batch_place_hierarchy_from_relations_and_section_places(tmp_path):
    import json

    from typer.testing import CliRunner

    from newsgraph.cli import app
    from newsgraph.places import place_hierarchy

    def rec(rid, places, section=None, relations=()):
        entities, at = [], 0
        for i, p in enumerate(places, start=1):
            entities.append({"id": f"m{i}", "label": "PLACE", "text": p, "start": at, "end": at + len(p)})
            at += len(p)
        text = "".join(places)
        return {"id": rid, "text": text, "section_place": section, "entities": entities, "relations": list(relations)}

    records = [
        rec("a", ["隐珠街道", "月亮湾路社区"], relations=[{"type": "located_in", "head": "m2", "tail": "m1"}]),
        rec("b", ["月亮湾路社区", "东方时尚小区"], section="滨海街道"),
        rec("c", ["汉江路社区", "维湾小区"], relations=[{"type": "located_in", "head": "m2", "tail": "m1"}]),
    ]
    hierarchy = place_hierarchy(records)
    assert hierarchy["月亮湾路社区"] == {"level": "社区", "parent": "隐珠街道"}  # the text's relation wins
    assert hierarchy["东方时尚小区"] == {"level": "小区", "parent": "滨海街道"}
    assert hierarchy["维湾小区"] == {"level": "小区", "parent": "汉江路社区"}
    assert hierarchy["隐珠街道"] == {"level": "街道", "parent": None}
    assert place_hierarchy(list(reversed(records))) == hierarchy
    path = tmp_path / "records.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["places", str(path)])
    assert result.exit_code == 0 and json.loads(result.stdout) == hierarchy


def test_anaphors_and_level_words_are_no_places_of_the_hierarchy():
    from newsgraph.places import place_hierarchy

    record = {
        "id": "a",
        "section_place": "泊里镇",
        "entities": [
            {"id": f"m{i}", "label": "PLACE", "text": t}
            for i, t in enumerate(["本社区", "该镇", "社区", "前进社区"], 1)
        ],
        "relations": [],
    }
    assert place_hierarchy([record]) == {
        "前进社区": {"level": "社区", "parent": "泊里镇"},
        "泊里镇": {"level": "镇", "parent": None},
    }


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("青岛市农业农村局", "青岛市"),
        ("山东省乡村振兴局", "山东省"),
        ("黄岛区城乡建设局", "黄岛区"),
        ("区农村工作办公室", None),
    ],
)
def test_a_place_word_inside_an_ordinary_word_is_no_place(name, place):
    assert place_in_name(name) == place


@pytest.mark.parametrize(
    ("name", "village"),
    [
        ("杨家山里红色教育基地", "杨家山里"),  # the seed's: surname + 家
        ("王家庄爱国主义教育基地", "王家庄"),
        ("小石峪红色教育基地", "小石峪"),  # a village ending
        ("国家体育基地", None),  # 国 is no surname: 国家 is not a village
        ("蔬菜种植基地", None),
        ("大珠山景区", None),  # a mountain, not a village form
        ("中共胶南县委成立旧址", None),
        ("杨家山里", None),  # no site head: not a site named after a village
    ],
)
def test_a_site_named_after_a_village_no_list_knows(name, village):
    assert place_in_name(name) == village


@pytest.mark.parametrize(
    ("marked", "references"),
    [
        ("[月亮湾路社区|PLACE]坚持党建引领。同时，社区还积极搭建平台。", ["社区"]),  # a clause's subject
        ("各单位共同为社区发展出谋划策。", ["社区"]),  # after a preposition
        ("本社区居民、该镇干部和此村村民", ["本社区", "该镇", "此村"]),
        ("构建共建共治的社区治理体系。", []),  # inside a longer phrase
        ("分发动各社区、经合社", []),  # 各社区: many, not one
        ("[月亮湾路社区|PLACE]以党建赋能。", []),  # the entity itself
        ("[社区党委书记|TITLE]介绍", []),  # part of a title
    ],
)
def test_back_references_to_places_that_are_no_entity(marked, references):
    text, mentions = parse(marked)
    assert [r["text"] for r in place_references(text, mentions)] == references


@pytest.mark.parametrize(
    ("text", "references"),
    [
        ("村民们纷纷点赞。", []),  # 村 inside the word 村民
        ("基本社区服务不断完善。", []),  # 本社区 across the words 基本 | 社区
        ("因此镇上很热闹。", []),  # 此镇 across 因此 | 镇上
        ("现场，小区物业分别展示了预案。", []),  # 小区物业: a compound
        ("同时，社区还积极搭建平台。", ["社区"]),
        ("本社区居民积极参与。", ["本社区"]),
    ],
)
def test_back_references_are_whole_words(core, text, references):
    from newsgraph.components.mention_rules import doc_mentions

    doc = core(text)
    words = [(t.idx, t.idx + len(t), t.tag_) for t in doc]
    assert [r["text"] for r in place_references(text, doc_mentions(doc), words)] == references


@pytest.fixture(scope="module")
def core():
    from newsgraph.paths import CORE_MODEL
    from newsgraph.pipeline import load_pipeline

    return load_pipeline(CORE_MODEL)
