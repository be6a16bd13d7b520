"""Scoring on small hand-made records whose right answers are known."""

from __future__ import annotations

import copy
import json

import pytest

from newsgraph.errors import InputError
from newsgraph.evaluate import evaluate, load_records

from .conftest import quantity

TEXT = "薛家岛街道召开3次会议。已暂扣液化气罐103个。"


def _gold():
    return {
        "id": "a",
        "text": TEXT,
        "entities": [
            {"id": "m1", "label": "PLACE", "start": 0, "end": 5, "text": "薛家岛街道", "event_id": "e1"},
            {"id": "m2", "label": "QUANTITY", "start": 7, "end": 9, "text": "3次", "event_id": "e1"},
            {"id": "m3", "label": "QUANTITY", "start": 19, "end": 23, "text": "103个", "event_id": "e2"},
        ],
        "quantities": [
            quantity("m2", 3, "次", "会议"),
            quantity("m3", 103, "个", "液化气罐"),
        ],
        "officials": [],
        "events": [
            {
                "id": "e1",
                "type": "meeting",
                "trigger": "召开",
                "trigger_start": 5,
                "trigger_end": 7,
                "start": 0,
                "end": 12,
                "date": None,
                "places": [],
                "participants": ["m1"],
                "quantities": ["m2"],
            },
            {
                "id": "e2",
                "type": "enforcement",
                "trigger": "暂扣",
                "trigger_start": 13,
                "trigger_end": 15,
                "start": 12,
                "end": 24,
                "date": None,
                "places": [],
                "participants": [],
                "quantities": ["m3"],
            },
        ],
        "relations": [],
    }


def test_identical_records_score_one():
    scores = evaluate({"a": _gold()}, {"a": _gold()})
    assert scores["entities"]["ALL"]["f1"] == 1.0
    assert scores["quantities"]["all_attributes"]["f1"] == 1.0
    assert scores["events"]["f1"] == 1.0
    assert scores["arguments"]["f1"] == 1.0
    assert scores["links"]["accuracy"] == 1.0


def test_wrong_label_wrong_attribute_and_missing_event():
    pred = copy.deepcopy(_gold())
    pred["entities"][0]["label"] = "ORG"  # PLACE missed, ORG spurious
    pred["quantities"][1]["object"] = "液化气"  # span right, one attribute wrong
    pred["events"] = pred["events"][:1]  # the enforcement event missed
    pred["entities"][2]["event_id"] = None
    scores = evaluate({"a": _gold()}, {"a": pred})
    assert scores["entities"]["PLACE"]["recall"] == 0.0
    assert scores["entities"]["ORG"]["precision"] == 0.0
    assert scores["entities"]["QUANTITY"]["f1"] == 1.0
    assert scores["entities"]["ALL"]["tp"] == 2 and scores["entities"]["ALL"]["fn"] == 1
    assert scores["quantities"]["all_attributes"]["tp"] == 1
    assert scores["quantities"]["attribute_accuracy"]["object"] == 0.5
    assert scores["quantities"]["attribute_accuracy"]["value"] == 1.0
    assert scores["events"]["recall"] == 0.5 and scores["events"]["precision"] == 1.0
    assert scores["roles"]["quantities"]["recall"] == 0.5
    # m3 linked to none though its gold event exists; m1 is not found (label differs)
    assert scores["links"] == {"accuracy": 0.5, "right": 1, "mentions_found": 2}


def test_event_needs_the_same_type_and_an_overlapping_trigger():
    pred = copy.deepcopy(_gold())
    pred["events"][0]["type"] = "inspection"
    pred["events"][1]["trigger_start"], pred["events"][1]["trigger_end"] = 16, 19
    scores = evaluate({"a": _gold()}, {"a": pred})
    assert scores["events"]["tp"] == 0 and scores["events"]["fp"] == 2 and scores["events"]["fn"] == 2


def test_missing_prediction_counts_as_all_missed():
    scores = evaluate({"a": _gold()}, {})
    assert scores["records"]["missing"] == ["a"]
    assert scores["entities"]["ALL"]["fn"] == 3


def test_officials_and_relations_compare_names_and_spans():
    gold = _gold()
    gold["officials"] = [
        {
            "person": None,
            "name": "丁广明",
            "titles": [{"mention": None, "title": "办事处副主任", "org": "薛家岛街道办事处"}],
        }
    ]
    gold["relations"] = [{"type": "located_in", "head": "m1", "tail_name": "黄岛区"}]
    pred = copy.deepcopy(gold)
    pred["officials"][0]["titles"][0]["org"] = "办事处"
    scores = evaluate({"a": gold}, {"a": pred})
    assert scores["officials"]["f1"] == 0.0
    assert scores["relations"]["f1"] == 1.0


def test_prediction_of_another_text_is_missed_and_extra_records_are_spurious():
    other = copy.deepcopy(_gold())
    other["text"] = TEXT.replace("3次", "三次")
    extra = copy.deepcopy(_gold()) | {"id": "b"}
    scores = evaluate({"a": _gold()}, {"a": other, "b": extra})
    assert scores["records"]["text_mismatch"] == ["a"] and scores["records"]["extra"] == ["b"]
    assert scores["entities"]["ALL"] == {**scores["entities"]["ALL"], "tp": 0, "fp": 3, "fn": 3}


def test_event_without_trigger_offsets_is_found_by_its_trigger_text():
    pred = copy.deepcopy(_gold())
    for event in pred["events"]:
        del event["trigger_start"], event["trigger_end"]
    assert evaluate({"a": _gold()}, {"a": pred})["events"]["f1"] == 1.0


def test_dangling_reference_is_an_error_naming_the_line(tmp_path):
    broken = _gold()
    broken["events"][0]["participants"] = ["m99"]
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps(_gold() | {"id": "ok"}) + "\n" + json.dumps(broken) + "\n", encoding="utf-8")
    problem = r"broken.jsonl:2: record 'a': events\[0\].participants refers to mention 'm99'"
    with pytest.raises(InputError, match=problem):
        load_records(path)


def test_events_with_the_same_trigger_span_align_one_to_one():
    gold = _gold()
    twin = copy.deepcopy(gold["events"][0]) | {"id": "e3"}
    gold["events"].append(twin)
    pred = copy.deepcopy(gold)
    scores = evaluate({"a": gold}, {"a": pred})
    assert scores["events"]["tp"] == 3 and scores["events"]["fp"] == 0
