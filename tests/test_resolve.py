"""Entity resolution across a batch (newsgraph/resolve.py): what merges, what must not."""

from __future__ import annotations

import json
import random

from newsgraph.paths import CORPUS
from newsgraph.resolve import entity_id, resolve


def record(rid, mentions, section=None, relations=()):
    """A record with mentions given as (text, label); offsets follow one another in a made-up text."""
    entities, text, at = [], "", 0
    for i, (surface, label) in enumerate(mentions, start=1):
        entities.append({"id": f"m{i}", "label": label, "start": at, "end": at + len(surface), "text": surface})
        text += surface + "，"
        at = len(text)
    return {"id": rid, "text": text, "section_place": section, "entities": entities, "relations": list(relations)}


def ids(records):
    return [[m.get("entity_id") for m in r["entities"]] for r in resolve(records)]


def test_one_name_is_one_person_across_articles():
    a, b = ids([record("a", [("丁广明", "PERSON")]), record("b", [("丁广明", "PERSON"), ("丁霞", "PERSON")])])
    assert a[0] == b[0] != b[1]


def test_a_community_in_two_articles_of_one_street_is_one_place():
    a, b = ids(
        [record("a", [("月亮湾路社区", "PLACE")], "隐珠街道"), record("b", [("月亮湾路社区", "PLACE")], "隐珠街道")]
    )
    assert a == b


def test_two_communities_of_one_name_under_two_streets_do_not_merge():
    a, b = ids([record("a", [("中心社区", "PLACE")], "隐珠街道"), record("b", [("中心社区", "PLACE")], "王台街道")])
    assert a != b


def test_adjacency_relations_keep_same_named_communities_apart():
    a, b = ids(
        [
            record(
                "a",
                [("隐珠街道", "PLACE"), ("中心社区", "PLACE")],
                relations=[{"type": "located_in", "head": "m2", "tail": "m1"}],
            ),
            record(
                "b",
                [("王台街道", "PLACE"), ("中心社区", "PLACE")],
                relations=[{"type": "located_in", "head": "m2", "tail": "m1"}],
            ),
        ]
    )
    assert a[1] != b[1]


def test_the_relation_parent_wins_over_the_section():
    a, b = ids(
        [
            record(
                "a",
                [("隐珠街道", "PLACE"), ("中心社区", "PLACE")],
                "王台街道",
                [{"type": "located_in", "head": "m2", "tail": "m1"}],
            ),
            record("b", [("中心社区", "PLACE")], "隐珠街道"),
        ]
    )
    assert a[1] == b[0]


def test_the_only_street_of_an_article_is_its_communities_parent():
    a, b = ids(
        [record("a", [("隐珠街道", "PLACE"), ("中心社区", "PLACE")]), record("b", [("中心社区", "PLACE")], "隐珠街道")]
    )
    assert a[1] == b[0]


def test_two_streets_and_no_section_leave_the_parent_unknown():
    a, b = ids(
        [
            record("a", [("隐珠街道", "PLACE"), ("王台街道", "PLACE"), ("中心社区", "PLACE")]),
            record("b", [("中心社区", "PLACE")], "隐珠街道"),
        ]
    )
    assert a[2] != b[0]


def test_a_street_or_town_has_one_id_whatever_the_article():
    a, b = ids([record("a", [("泊里镇", "PLACE")], "泊里镇"), record("b", [("泊里镇", "PLACE")], "王台街道")])
    assert a == b


def test_a_short_name_joins_the_one_full_name_that_ends_with_it():
    a, b = ids([record("a", [("区立医院", "ORG")]), record("b", [("青岛西海岸新区区立医院", "ORG")])])
    assert a == b


def test_a_short_name_with_two_full_names_stays_apart():
    a, b = ids(
        [record("a", [("城管办", "ORG")]), record("b", [("珠海街道城管办", "ORG"), ("薛家岛街道城管办", "ORG")])]
    )
    assert a[0] not in b and b[0] != b[1]


def test_a_short_name_takes_the_full_name_of_its_own_article_first():
    a, b = ids(
        [
            record("a", [("薛家岛街道办事处", "ORG"), ("办事处", "ORG")]),
            record("b", [("珠海街道办事处", "ORG"), ("办事处", "ORG")]),
        ]
    )
    assert a[0] == a[1] and b[0] == b[1] and a[0] != b[0]


def test_different_organisations_differ():
    (a,) = ids([record("a", [("区立医院", "ORG"), ("港湾学院", "ORG"), ("区人大常委会", "ORG")])])
    assert len(set(a)) == 3


def test_an_org_and_a_place_of_one_name_differ():
    (a,) = ids([record("a", [("王台", "ORG"), ("王台", "PLACE")])])
    assert a[0] != a[1]


def test_this_community_is_the_articles_community():
    (a,) = ids([record("a", [("月亮湾路社区", "PLACE"), ("本社区", "PLACE"), ("社区", "PLACE")], "隐珠街道")])
    assert a[0] == a[1] == a[2]


def test_an_anaphor_with_two_candidates_stays_unresolved():
    (a,) = ids([record("a", [("月亮湾路社区", "PLACE"), ("兰东路社区", "PLACE"), ("该社区", "PLACE")])])
    assert a[2] is None and None not in a[:2]


def test_an_anaphor_with_no_candidate_stays_unresolved():
    (a,) = ids([record("a", [("该镇", "PLACE"), ("街道", "PLACE")])])
    assert a == [None, None]


def test_the_section_place_counts_for_anaphors():
    (a,) = ids([record("a", [("该镇", "PLACE")], "泊里镇")])
    b = ids([record("b", [("泊里镇", "PLACE")])])[0]
    assert a == b


def test_dates_quantities_and_titles_get_no_id():
    (a,) = ids([record("a", [("6月25日", "DATE"), ("3家", "QUANTITY"), ("社区党委书记", "TITLE")])])
    assert a == [None, None, None]


def test_ids_do_not_depend_on_the_order_of_the_records():
    records = [
        record("a", [("区立医院", "ORG"), ("中心社区", "PLACE")], "隐珠街道"),
        record("b", [("青岛西海岸新区区立医院", "ORG"), ("中心社区", "PLACE")], "王台街道"),
        record("c", [("丁广明", "PERSON"), ("本社区", "PLACE"), ("汉江路社区", "PLACE")], "薛家岛街道"),
    ]
    first = {r["id"]: ids_ for r, ids_ in zip(records, ids(json.loads(json.dumps(records))), strict=True)}
    shuffled = json.loads(json.dumps(records))
    random.Random(7).shuffle(shuffled)
    again = {r["id"]: ids_ for r, ids_ in zip(shuffled, ids(shuffled), strict=True)}
    assert first == again


def test_the_id_is_the_type_and_a_digest_of_its_content():
    assert entity_id("PLACE", "月亮湾路社区", "隐珠街道") == entity_id("PLACE", "月亮湾路社区", "隐珠街道")
    assert entity_id("PLACE", "月亮湾路社区", "隐珠街道").startswith("place/")
    assert entity_id("PLACE", "月亮湾路社区", "隐珠街道") != entity_id("PLACE", "月亮湾路社区", None)
    assert len(entity_id("ORG", "x", None).split("/")[1]) == 12


def test_the_seed_page_resolves_its_repeated_places():
    records = [
        json.loads(line) for line in (CORPUS / "gold" / "page-000.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    resolve(records)
    by_text = {}
    for r in records:
        for m in r["entities"]:
            if m["entity_id"]:
                by_text.setdefault(m["text"], set()).add(m["entity_id"])
    assert len(by_text["月亮湾路社区"]) == 1  # 8 mentions, one article
    assert len(by_text["薛家岛街道"]) == 1 and len(by_text["王台街道"]) == 1
    assert by_text["梁玉鹏"] == by_text["梁玉鹏"] and len(by_text["梁玉鹏"]) == 1  # two articles, one reporter


def test_resolve_on_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from newsgraph.cli import app

    out = tmp_path / "resolved.jsonl"
    result = CliRunner().invoke(app, ["resolve", str(CORPUS / "gold" / "page-000.jsonl"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    places = [m for r in records for m in r["entities"] if m["label"] == "PLACE"]
    assert places and all(m["entity_id"] and m["entity_id"].startswith("place/") for m in places)
    missing = CliRunner().invoke(app, ["resolve", str(tmp_path / "none.jsonl"), "-o", str(out)])
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_one_community_keeps_one_id_through_its_article():
    (a,) = ids(
        [
            record(
                "a",
                [
                    ("隐珠街道", "PLACE"),
                    ("月亮湾路社区", "PLACE"),
                    ("珠海街道", "PLACE"),
                    ("月亮湾路社区", "PLACE"),
                    ("本社区", "PLACE"),
                ],
                relations=[{"type": "located_in", "head": "m2", "tail": "m1"}],
            )
        ]
    )
    assert a[1] == a[3] == a[4]


def test_villages_and_people_are_not_merged_by_their_endings():
    (a,) = ids(
        [record("a", [("王家村", "PLACE"), ("大王家村", "PLACE"), ("王强", "PERSON"), ("李王强", "PERSON")], "泊里镇")]
    )
    assert len(set(a)) == 4


def test_an_anaphor_takes_the_place_the_headline_names():
    rec = record("a", [("兰东路社区", "PLACE"), ("月亮湾路社区", "PLACE"), ("该社区", "PLACE")])
    rec["headline"] = "月亮湾路社区以高质量党建赋能基层治理"
    (a,) = ids([rec])
    assert a[2] == a[1] != a[0]


def test_an_anaphor_takes_the_place_named_most_often_and_not_a_tie():
    streets = [("珠海街道", "PLACE"), ("薛家岛街道", "PLACE"), ("薛家岛街道", "PLACE"), ("街道", "PLACE")]
    (most,) = ids([record("a", streets)])
    assert most[3] == most[1] != most[0]
    (tie,) = ids([record("b", [("珠海街道", "PLACE"), ("薛家岛街道", "PLACE"), ("街道", "PLACE")])])
    assert tie[2] is None


def test_references_that_are_no_entity_share_the_places_id():
    rec = record("a", [("月亮湾路社区", "PLACE"), ("兰东路社区", "PLACE")])
    rec["headline"] = "月亮湾路社区以党建赋能治理"
    rec["references"] = [
        {"start": 0, "end": 2, "text": "社区", "level": "社区"},
        {"start": 3, "end": 5, "text": "小区", "level": "小区"},  # no 小区 in the article
    ]
    (resolved,) = resolve([rec])
    assert resolved["references"][0]["entity_id"] == resolved["entities"][0]["entity_id"]
    assert resolved["references"][1]["entity_id"] is None


def test_the_seed_page_resolves_its_back_references(tmp_path):
    """The bare 社区 of p1 (同时，社区还积极搭建…) is 月亮湾路社区, the place its headline names;
    the 街道 of p6's quote is 薛家岛街道, named more often than 珠海街道; p3's 小区物业 is a
    compound (the compounds' managers), no reference."""
    from typer.testing import CliRunner

    from newsgraph.cli import app

    out = tmp_path / "out.jsonl"
    assert CliRunner().invoke(app, ["annotate", str(CORPUS / "pages" / "page-000.txt"), "-o", str(out)]).exit_code == 0
    got = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        names = {m["entity_id"]: m["text"] for m in rec["entities"] if m["entity_id"]}
        for ref in rec["references"]:
            got.setdefault((rec["id"], ref["text"]), set()).add(names.get(ref["entity_id"]))
    assert got[("page-000/1", "社区")] == {"月亮湾路社区"}
    assert got[("page-000/6", "街道")] == {"薛家岛街道"}
    assert ("page-000/3", "小区") not in got
