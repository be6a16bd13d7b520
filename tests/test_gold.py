"""The sample page's gold: consistent with the reader, with docs/ANNOTATION.md, and with its spec."""

from __future__ import annotations

import itertools
import json

import pytest

from newsgraph.evaluate import load_records
from newsgraph.gold import LABELS, build_gold
from newsgraph.inputs import read_inputs
from newsgraph.records import dumps

from .conftest import GOLD, GOLD_SPEC, ROOT, SEED_PAGE, quantity

EDGE_PUNCTUATION = set(" \n，。、；：？！“”‘’（）《》…—")


@pytest.fixture(scope="module")
def gold():
    return load_records(GOLD)


def _by_text(record, label=None):
    return {(m["label"], m["text"]) for m in record["entities"] if label in (None, m["label"])}


def test_gold_text_is_the_readers_text(gold):
    articles = {a.id: a.text.text for a in read_inputs([SEED_PAGE])}
    assert list(gold) == list(articles)
    for rid, record in gold.items():
        assert record["text"] == articles[rid]


def test_gold_rebuilds_byte_for_byte_from_its_spec():
    rebuilt = "".join(dumps(r) + "\n" for r in build_gold(GOLD_SPEC, ROOT))
    assert rebuilt == GOLD.read_text(encoding="utf-8")


def test_gold_spans_are_flat_and_clean(gold):
    for record in gold.values():
        spans = sorted((m["start"], m["end"]) for m in record["entities"])
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
        for m in record["entities"]:
            assert m["label"] in LABELS
            assert record["text"][m["start"] : m["end"]] == m["text"]
            assert m["text"][0] not in EDGE_PUNCTUATION and m["text"][-1] not in EDGE_PUNCTUATION


def test_every_label_is_annotated(gold):
    labels = {m["label"] for r in gold.values() for m in r["entities"]}
    assert labels == set(LABELS)


def test_annotation_md_seed_examples(gold):
    first, boli, _, _, _, gas = gold.values()
    assert {("PLACE", "隐珠街道"), ("PLACE", "月亮湾路社区"), ("ORG", "区人大常委会"), ("ORG", "区立医院")} <= _by_text(
        first
    )
    assert ("TITLE", "社区党委书记") in _by_text(first)
    assert {("PLACE", "泊里镇"), ("DATE", "6月25日"), ("QUANTITY", "4名")} <= _by_text(boli)
    assert {
        ("ORG", "珠海街道城管办"),
        ("ORG", "安全监管中心"),
        ("ORG", "综合执法中队"),
        ("ORG", "市场监管所"),
        ("ORG", "薛家岛街道安委会办公室"),
        ("ORG", "联合整治小组"),
        ("TITLE", "薛家岛街道党工委委员"),
        ("TITLE", "办事处副主任"),
        ("PERSON", "丁广明"),
        ("QUANTITY", "103个"),
        ("QUANTITY", "90%左右"),
        ("QUANTITY", "超2米"),
        ("PLACE", "维湾小区"),
    } <= _by_text(gas)


def _quantity(record, surface):
    ids = {m["id"] for m in record["entities"] if m["text"] == surface}
    return next(q for q in record["quantities"] if q["mention"] in ids)


def test_quantity_attributes(gold):
    gas = gold["page-000/6"]
    assert _quantity(gas, "103个") | {"mention": None} == quantity(None, 103, "个", "液化气罐")
    rate = _quantity(gas, "90%左右")
    assert (rate["value"], rate["unit"], rate["approx"], rate["object"]) == (90, "%", "左右", "瓶改电率")
    hose = _quantity(gas, "超2米")
    assert (hose["value"], hose["unit"], hose["comparator"], hose["object"]) == (2, "米", ">", "胶管")
    assert _quantity(gold["page-000/1"], "6家")["object"] == "单位"
    for record in gold.values():  # every QUANTITY mention has its attributes, once
        mentions = sorted(m["id"] for m in record["entities"] if m["label"] == "QUANTITY")
        assert sorted(q["mention"] for q in record["quantities"]) == mentions


def test_officials(gold):
    (ding,) = [o for o in gold["page-000/6"]["officials"] if o["name"] == "丁广明"]
    assert [(t["title"], t["org"]) for t in ding["titles"]] == [
        ("薛家岛街道党工委委员", "薛家岛街道党工委"),
        ("办事处副主任", "薛家岛街道办事处"),
    ]
    secretary = [o for o in gold["page-000/1"]["officials"] if o["person"] is None]
    assert [t["title"] for o in secretary for t in o["titles"]] == ["社区党委书记"]


def test_events_and_links(gold):
    types = {e["type"] for e in gold["page-000/6"]["events"]}
    assert {"inspection", "meeting", "enforcement"} <= types
    assert "ceremony" in {e["type"] for e in gold["page-000/2"]["events"]}
    assert "agreement" in {e["type"] for e in gold["page-000/1"]["events"]}
    for record in gold.values():
        text = record["text"]
        for event in record["events"]:
            assert text[event["trigger_start"] : event["trigger_end"]] == event["trigger"]
        for m in record["entities"]:
            inside = [e["id"] for e in record["events"] if e["start"] <= m["start"] and m["end"] <= e["end"]]
            assert m["event_id"] == (inside[0] if inside else None)
    gas = gold["page-000/6"]
    background = gas["text"].index("燃气安全关系到千家万户")
    assert not [e for e in gas["events"] if e["start"] <= background < e["end"]]


def test_located_in_pairs(gold):
    def pairs(record):
        names = {m["id"]: m["text"] for m in record["entities"]}
        return {(names[r["head"]], names.get(r.get("tail")) or r.get("tail_name")) for r in record["relations"]}

    assert ("月亮湾路社区", "隐珠街道") in pairs(gold["page-000/1"])
    assert {("维湾小区", "汉江路社区"), ("珠海街道城管办", "珠海街道")} <= pairs(gold["page-000/6"])


def test_spec_is_valid_json_with_every_article():
    spec = json.loads(GOLD_SPEC.read_text(encoding="utf-8"))
    assert sorted(spec["articles"]) == [f"page-000/{i}" for i in range(1, 7)]
