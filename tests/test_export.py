"""Formats for annotators and training (newsgraph/export/): export, correct, import back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.errors import InputError
from newsgraph.evaluate import evaluate, load_records
from newsgraph.export.brat import read_brat, write_brat
from newsgraph.export.corrections import apply_corrections
from newsgraph.export.docbin import read_docbin, write_docbin
from newsgraph.export.label_studio import (
    Utf16Offsets,
    from_result,
    labelling_config,
    read_label_studio,
    to_task,
    write_label_studio,
)

GOLD = Path(__file__).resolve().parent.parent / "corpus" / "gold" / "page-000.jsonl"
runner = CliRunner()


@pytest.fixture(scope="module")
def gold():
    return list(load_records(GOLD).values())


def spans(records):
    return [[(m["id"], m["label"], m["start"], m["end"], m["text"]) for m in r["entities"]] for r in records]


def test_brat_round_trip_keeps_every_span_attribute_and_relation(tmp_path, gold):
    assert write_brat(gold, tmp_path / "brat") == 6
    back = list(read_brat(tmp_path / "brat"))
    assert [r["id"] for r in back] == sorted(r["id"] for r in gold)  # files are read in name order
    by_id = {r["id"]: r for r in back}
    for record in gold:
        assert by_id[record["id"]] == record  # the whole record, quantities and relations included


def test_brat_files_are_what_brat_reads(tmp_path, gold):
    write_brat(gold[:1], tmp_path)
    ann = (tmp_path / "page-000%2F1.ann").read_text(encoding="utf-8").splitlines()
    assert ann[0] == "T1\tPLACE 13 17\t隐珠街道"
    assert "#12\tAnnotatorNotes T12\t" in "\n".join(ann)
    assert "R1\tlocated_in Arg1:T2 Arg2:T1" in ann
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    assert "[entities]\nORG\nPLACE" in conf and "located_in\tArg1:<ENTITY>, Arg2:<ENTITY>" in conf


def test_a_brat_span_across_a_line_break_is_written_as_fragments(tmp_path):
    record = {"id": "a/1", "text": "月亮湾路\n社区开展活动", "entities": [_m("m1", "PLACE", 0, 7, "月亮湾路\n社区")]}
    write_brat([record], tmp_path)
    assert (tmp_path / "a%2F1.ann").read_text(encoding="utf-8") == "T1\tPLACE 0 4;5 7\t月亮湾路 社区\n"
    assert spans(read_brat(tmp_path)) == spans([record])


def test_brat_corrections_come_back_as_gold(tmp_path, gold):
    write_brat(gold[1:2], tmp_path)  # page-000/2: 四名, 丁霞, 6月25日, 泊里镇, 4名
    ann = tmp_path / "page-000%2F2.ann"
    lines = [line for line in ann.read_text(encoding="utf-8").splitlines() if not line.startswith("T2\t")]
    lines = [
        line.replace("T4\tPLACE 36 39", "T4\tORG 36 39").replace('"观察员"}', '"营商环境观察员"}') for line in lines
    ]
    lines.append("T9\tPLACE 36 38\t泊里")
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (back,) = read_brat(tmp_path)
    assert [(m["id"], m["label"], m["text"]) for m in back["entities"]] == [
        ("m1", "QUANTITY", "四名"),
        ("m3", "DATE", "6月25日"),
        ("m6", "PLACE", "泊里"),  # new: the next free id
        ("m4", "ORG", "泊里镇"),  # relabelled: same id
        ("m5", "QUANTITY", "4名"),
    ]
    assert [(q["mention"], q["value"], q["object"]) for q in back["quantities"]] == [
        ("m1", 4, "营商环境观察员"),  # the notes were edited
        ("m5", 4, "营商环境观察员"),
    ]
    assert back["events"][0]["places"] == ["m4"]  # still points to the relabelled mention
    assert back["events"][0]["participants"] == ["m4"]


def test_brat_bad_annotation_names_the_file_and_line(tmp_path, gold):
    write_brat(gold[1:2], tmp_path)
    ann = tmp_path / "page-000%2F2.ann"
    ann.write_text("T1\tQUANTITY 0 2\t四名\nT2\tPERSON 500 510\tx\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        list(read_brat(tmp_path))
    assert error.value.path == str(ann) and error.value.line == 2


def test_label_studio_tasks_validate_against_the_sdk(tmp_path, gold):
    sdk = pytest.importorskip("label_studio_sdk.label_interface")
    interface = sdk.LabelInterface(labelling_config())
    for record in gold:
        task = to_task(record, "newsgraph-test")
        assert interface.validate_prediction(task["predictions"][0], return_errors=True) == [], record["id"]
        assert interface.validate_task({"data": task["data"]})  # the SDK's own check fails on predictions
    task["predictions"][0]["result"][0]["value"]["labels"] = ["EVENT"]  # the check can fail
    assert interface.validate_prediction(task["predictions"][0], return_errors=True)


def test_label_studio_round_trip_through_an_annotation(tmp_path, gold):
    out = tmp_path / "tasks.json"
    assert write_label_studio(gold, out) == 6
    tasks = json.loads(out.read_text(encoding="utf-8"))
    for n, task in enumerate(tasks, start=1):  # what Label Studio exports: the prediction accepted as is
        task["id"] = n
        task["annotations"] = [{"id": n, "result": task["predictions"][0]["result"], "was_cancelled": False}]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert list(read_label_studio(export)) == gold
    assert (tmp_path / "tasks.config.xml").read_text(encoding="utf-8") == labelling_config()


def test_label_studio_corrections_new_regions_relations_and_deletions(gold):
    record = gold[0]  # page-000/1: m1 隐珠街道, m2 月亮湾路社区 … relations m2 in m1
    result = to_task(record, "v")["predictions"][0]["result"]
    result = [r for r in result if r.get("id") != "m13" and r.get("from_id") != "m16"]  # 梁玉鹏 deleted
    result.append(
        {
            "id": "Xy7_q",
            "type": "labels",
            "from_name": "label",
            "to_name": "text",
            "value": {"start": 0, "end": 4, "text": "党建引领", "labels": ["ORG"]},
        }
    )
    result.append(
        {"type": "relation", "from_id": "m17", "to_id": "Xy7_q", "direction": "left", "labels": ["located_in"]}
    )
    back = from_result(record, result)
    ids = [m["id"] for m in back["entities"]]
    assert "m13" not in ids and back["entities"][0] == {
        "id": "m23",
        "label": "ORG",
        "start": 0,
        "end": 4,
        "text": "党建引领",
        "entity_id": None,
        "event_id": None,
    }
    assert {"type": "located_in", "head": "m23", "tail": "m17"} in back["relations"]
    assert {"type": "located_in", "head": "m16", "tail": "m15"} not in back["relations"]  # its region went
    assert {"type": "located_in", "head": "m9", "tail_name": "西海岸"} in back["relations"]  # kept: not shown


def test_utf16_offsets_count_astral_characters_twice():
    text = "𠀀社区𠀁街道"
    offsets = Utf16Offsets(text)
    assert [offsets.to_utf16(i) for i in range(len(text) + 1)] == [0, 2, 3, 4, 6, 7, 8]
    assert all(offsets.from_utf16(offsets.to_utf16(i)) == i for i in range(len(text) + 1))
    record = {"id": "x", "text": text, "entities": [_m("m1", "PLACE", 3, 6, "𠀁街道")]}
    value = to_task(record, "v")["predictions"][0]["result"][0]["value"]
    assert (value["start"], value["end"]) == (4, 8)
    assert spans([from_result(record, to_task(record, "v")["predictions"][0]["result"])]) == spans([record])


def test_label_studio_export_that_is_not_ours_is_named(tmp_path):
    path = tmp_path / "export.json"
    path.write_text('[{"data": {"text": "x"}}]', encoding="utf-8")
    with pytest.raises(InputError, match="task 1 was not exported by newsgraph"):
        list(read_label_studio(path))
    path.write_text("{oops", encoding="utf-8")
    with pytest.raises(InputError, match="not a Label Studio JSON export"):
        list(read_label_studio(path))


def test_docbin_keeps_entities_and_custom_attributes(tmp_path, gold):
    from newsgraph.pipeline import load_pipeline

    nlp = load_pipeline()
    n, widened = write_docbin(gold, tmp_path / "gold.spacy", nlp.make_doc)
    assert n == 6
    docs = list(read_docbin(tmp_path / "gold.spacy", nlp.vocab))
    assert [d._.article_id for d in docs] == [r["id"] for r in gold]
    for doc, record in zip(docs, gold, strict=True):
        got = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        want = {(m["start"], m["end"], m["label"]) for m in record["entities"]}
        assert len(got) == len(want) - widened or got == want
        quantities = {(e.start_char, e.end_char): e._.quantity for e in doc.ents if e._.quantity}
        for q in record["quantities"]:
            mention = next(m for m in record["entities"] if m["id"] == q["mention"])
            if (mention["start"], mention["end"]) in quantities:
                assert quantities[(mention["start"], mention["end"])]["object"] == q["object"]
    assert sum(1 for d in docs for e in d.ents if e._.quantity) >= 6


def test_export_and_import_on_the_command_line(tmp_path):
    folder = tmp_path / "brat"
    result = runner.invoke(app, ["export", str(GOLD), "--format", "brat", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "gold.jsonl"
    result = runner.invoke(app, ["import-corrections", str(folder), "--format", "brat", "-o", str(out)])
    assert result.exit_code == 0, result.output
    scores = evaluate(load_records(GOLD), load_records(out))
    assert scores["entities"]["ALL"]["f1"] == 1.0
    bad = runner.invoke(app, ["export", str(GOLD), "--format", "xml", "-o", str(tmp_path / "x")])
    assert bad.exit_code == 1 and "unknown format 'xml'" in bad.stderr


def test_corrections_with_no_change_give_the_record_back(gold):
    for record in gold:
        kept = [{k: m[k] for k in ("id", "label", "start", "end")} for m in record["entities"]]
        relations = [r for r in record["relations"] if "tail" in r]
        assert apply_corrections(record, kept, relations) == record


def _m(mention_id, label, start, end, text):
    return {
        "id": mention_id,
        "label": label,
        "start": start,
        "end": end,
        "text": text,
        "entity_id": None,
        "event_id": None,
    }


def test_brat_ids_with_dots_get_files_of_their_own(tmp_path):
    records = [{"id": i, "text": "社区开展活动", "entities": []} for i in ("page.1", "page.2", "2023.05.01/1", "..")]
    write_brat(records, tmp_path)
    assert len(list(tmp_path.glob("*.ann"))) == 4
    assert sorted(r["id"] for r in read_brat(tmp_path)) == sorted(r["id"] for r in records)


def test_a_brat_number_reused_for_a_new_span_is_a_new_mention(tmp_path):
    record = {
        "id": "a",
        "text": "隐珠街道月亮湾路社区开展活动",
        "entities": [
            _m("m1", "PLACE", 0, 4, "隐珠街道"),
            {**_m("m2", "PLACE", 4, 10, "月亮湾路社区"), "entity_id": "place/x"},
        ],
        "events": [{"id": "e1", "places": ["m2"], "participants": [], "quantities": [], "date": None}],
        "relations": [{"type": "located_in", "head": "m2", "tail": "m1"}],
    }
    write_brat([record], tmp_path)
    (tmp_path / "a.ann").write_text("T1\tPLACE 0 4\t隐珠街道\nT2\tORG 10 12\t开展\n", encoding="utf-8")
    (back,) = read_brat(tmp_path)
    new = back["entities"][1]
    assert (new["id"], new["label"], new["entity_id"]) == ("m3", "ORG", None)
    assert back["events"][0]["places"] == [] and back["relations"] == []


def test_brat_round_trip_keeps_ids_that_are_not_m_numbers_and_officials(tmp_path):
    record = {
        "id": "b",
        "text": "书记丁广明讲话",
        "entities": [_m("t1", "TITLE", 0, 2, "书记"), {**_m("p1", "PERSON", 2, 5, "丁广明"), "entity_id": "person/y"}],
        "officials": [{"person": "p1", "name": "丁广明", "titles": [{"mention": "t1", "title": "书记", "org": None}]}],
        "relations": [],
    }
    write_brat([record], tmp_path)
    (back,) = read_brat(tmp_path)
    assert back == {**record, "quantities": []}


def test_a_deleted_person_leaves_the_official_without_a_name(gold):
    record = gold[5]  # page-000/6: 丁广明 is m19
    kept = [{k: m[k] for k in ("id", "label", "start", "end")} for m in record["entities"] if m["id"] != "m19"]
    back = apply_corrections(record, kept, [r for r in record["relations"] if "tail" in r])
    assert back["officials"][0]["person"] is None and back["officials"][0]["name"] is None
    assert [t["mention"] for t in back["officials"][0]["titles"]] == ["m17", "m18"]


def test_brat_keeps_a_carriage_return_in_the_text(tmp_path):
    record = {"id": "c", "text": "社区\r\n开展活动", "entities": [_m("m1", "PLACE", 0, 2, "社区")]}
    write_brat([record], tmp_path)
    assert spans(read_brat(tmp_path)) == spans([record])


def test_brat_shows_events_as_brat_events(tmp_path, gold):
    write_brat(gold[1:2], tmp_path)  # page-000/2: the ceremony (举行) and the 座谈 meeting
    ann = (tmp_path / "page-000%2F2.ann").read_text(encoding="utf-8").splitlines()
    assert "T6\tceremony 39 41\t举行" in ann
    assert "E1\tceremony:T6 Participant:T4 Place:T4 Date:T3 Quantity:T5" in ann
    assert "E2\tmeeting:T7" in ann
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    assert "meeting\tParticipant*:<ENTITY>, Place*:<ENTITY>, Date?:DATE, Quantity*:QUANTITY" in conf


def test_brat_event_corrections_come_back(tmp_path, gold):
    record = gold[5]  # page-000/6, seven events
    write_brat([record], tmp_path)
    ann = tmp_path / "page-000%2F6.ann"
    lines = ann.read_text(encoding="utf-8").splitlines()
    events = [line for line in lines if line.startswith("E")]
    kept = [line for line in lines if not line.startswith("E")]
    # the annotator: deletes the 宣传 service event (E3), makes the 召开 meeting's participant list empty,
    # and marks 走访 in the 瓶改电 paragraph as a visit of its own
    edited = [e for e in events if not e.startswith("E3\t")]
    edited = [e.split(" ")[0] if e.startswith("E4\t") else e for e in edited]
    visit_at = record["text"].index("走访")
    kept.append(f"T90\tvisit {visit_at} {visit_at + 2}\t走访")
    edited.append("E8\tvisit:T90")
    ann.write_text("\n".join(kept + edited) + "\n", encoding="utf-8")
    (back,) = read_brat(tmp_path)
    kinds = [(e["id"], e["type"], e["trigger"]) for e in back["events"]]
    assert ("e3", "service", "宣传") not in kinds
    assert ("e8", "visit", "走访") in kinds  # the next free id
    meeting = next(e for e in back["events"] if e["id"] == "e4")
    assert meeting["participants"] == [] and meeting["start"] == record["events"][3]["start"]
    visit = next(e for e in back["events"] if e["id"] == "e8")
    assert back["text"][visit["start"] : visit["end"]].startswith("另外")  # its sentence is its report
    assert all(a["start"] <= b["start"] for a, b in zip(back["events"], back["events"][1:], strict=False))


def test_a_brat_event_without_its_trigger_names_the_line(tmp_path, gold):
    write_brat(gold[1:2], tmp_path)
    ann = tmp_path / "page-000%2F2.ann"
    ann.write_text(ann.read_text(encoding="utf-8") + "E9\tmeeting:T99\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs a trigger"):
        list(read_brat(tmp_path))
