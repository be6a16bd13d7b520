"""Formats for annotators and training (newsgraph/export/): export, correct, import back."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.errors import InputError
from newsgraph.evaluate import evaluate, load_records
from newsgraph.export.brat import file_stem, read_brat, write_brat
from newsgraph.export.corrections import CorrectionError, apply_corrections
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
    with pytest.raises(InputError, match="task 1: not exported by newsgraph"):
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
        "events": [  # not shown in brat: no trigger offsets
            {"id": "e1", "type": "service", "trigger": "开展", "start": 0, "end": 14, "date": None, "places": ["m2"]}
        ],
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


# ---------------------------------------------------------------- brat: file names, the folder, old exports

LONG_ID = "青岛市黄岛区人民政府办公室关于印发二〇二三年度重点工作任务分解方案的通知"[:31]


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_long_chinese_id_gets_a_short_hashed_file_name_and_comes_back(tmp_path, gold):
    assert len(LONG_ID) == 31 and len(quote(LONG_ID, safe="")) == 279  # percent-encoded: past NAME_MAX (255)
    twin = LONG_ID[:30] + "令"  # the same first 30 characters: the hash tells them apart
    records = [{**gold[0], "id": LONG_ID}, {**gold[1], "id": twin}]
    assert write_brat(records, tmp_path / "brat") == 2
    names = _files(tmp_path / "brat")
    assert len(names) == 7 and all(len(name.encode()) <= 100 for name in names)
    hashed = [n for n in names if n.endswith(".json")]
    assert all("+" in n for n in hashed) and len(set(hashed)) == 2
    by_file = {n: json.loads((tmp_path / "brat" / n).read_text(encoding="utf-8"))["id"] for n in hashed}
    assert sorted(by_file.values()) == sorted([LONG_ID, twin])  # the sidecar keeps the id
    assert sorted(read_brat(tmp_path / "brat"), key=lambda r: r["id"]) == sorted(records, key=lambda r: r["id"])


def test_file_stems_are_bounded_and_cut_at_whole_characters():
    for record_id in (LONG_ID, "x" * 300, "页" * 11 + "a" * 200, "%" * 40, ""):
        stem = file_stem(record_id)
        assert len(stem.encode()) <= 95 and stem.isascii()
        assert "+" in stem and "\ufffd" not in unquote(stem.split("+")[0])
    assert file_stem("page-000/6") == "page-000%2F6" and "+" not in file_stem("页" * 10)


@pytest.mark.parametrize("record_id", ["../x", "a/b", ".", "..", "../../etc/passwd", "/abs", "a\\b", "~"])
def test_brat_ids_like_paths_stay_inside_the_folder_and_come_back(tmp_path, record_id):
    record = {"id": record_id, "text": "社区开展活动", "entities": [_m("m1", "PLACE", 0, 2, "社区")]}
    write_brat([record], tmp_path / "out" / "brat")
    assert _files(tmp_path) == ["out"] and _files(tmp_path / "out") == ["brat"]  # nothing beside or above
    assert len(_files(tmp_path / "out" / "brat")) == 4
    (back,) = read_brat(tmp_path / "out" / "brat")
    assert back["id"] == record_id and spans([back]) == spans([record])


def test_a_brat_export_into_a_folder_that_is_not_empty_is_refused_unless_forced(tmp_path, gold):
    folder = tmp_path / "brat"
    write_brat(gold[:2], folder)
    before = {n: (folder / n).read_bytes() for n in _files(folder)}
    with pytest.raises(InputError, match=r"is not empty.*--force") as error:
        write_brat(gold[2:4], folder)
    assert error.value.path == str(folder)
    assert {n: (folder / n).read_bytes() for n in _files(folder)} == before  # untouched
    assert write_brat(gold[2:4], folder, force=True) == 2
    assert sorted(r["id"] for r in read_brat(folder)) == [gold[2]["id"], gold[3]["id"]]  # replaced, not mixed
    assert _files(tmp_path) == ["brat"]  # no staging or old folder left beside it
    (tmp_path / "empty").mkdir()
    assert write_brat(gold[:1], tmp_path / "empty") == 1  # an empty folder is no batch to mix with


def test_force_replaces_only_what_a_brat_export_writes(tmp_path, gold):
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"not an export")
    with pytest.raises(InputError, match=r"thesis\.docx"):
        write_brat(gold[:1], folder, force=True)
    assert _files(folder) == ["thesis.docx"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"):
        write_brat(gold[:1], tmp_path / "file", force=True)
    with pytest.raises(InputError, match="a file stands in its path"):
        write_brat(gold[:1], tmp_path / "file" / "brat")


def test_a_failed_brat_export_leaves_the_old_folder_whole_and_nothing_else(tmp_path, gold):
    folder = tmp_path / "brat"
    write_brat(gold[:2], folder)
    before = {n: (folder / n).read_bytes() for n in _files(folder)}
    broken = {"id": "bad/1", "text": "社区\ud800", "entities": []}  # a lone surrogate: no UTF-8 text
    with pytest.raises(InputError, match="record 'bad/1': cannot write it") as error:
        write_brat([gold[2], broken], folder, force=True)
    assert error.value.path == str(folder)
    assert {n: (folder / n).read_bytes() for n in _files(folder)} == before
    assert _files(tmp_path) == ["brat"]
    with pytest.raises(InputError):
        write_brat([gold[2], broken], tmp_path / "new")
    assert _files(tmp_path) == ["brat"]  # not a half-written folder


def test_a_record_the_brat_import_could_not_read_is_not_exported(tmp_path, gold):
    outside = {**gold[0], "entities": [_m("m1", "PLACE", 0, 9999, "x")], "relations": [], "officials": []}
    outside_text = r"record 'page-000/1': entities\[0\]: offsets 0-9999 are not a span of the text"
    with pytest.raises(InputError, match=outside_text):
        write_brat([{**outside, "quantities": [], "events": []}], tmp_path / "brat")
    with pytest.raises(InputError, match="another record has its file name"):
        write_brat([gold[0], gold[0]], tmp_path / "brat")
    assert _files(tmp_path) == []


def test_brat_export_on_the_command_line_needs_force_for_a_full_folder(tmp_path):
    folder = tmp_path / "brat"
    args = ["export", str(GOLD), "--format", "brat", "-o", str(folder)]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and isinstance(again.exception, SystemExit)  # no traceback
    assert (
        again.stderr.strip().splitlines()[0]
        == f"error: {folder}: is not empty: an export into it would mix batches; pass --force to replace it"
    )
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert len(list(folder.glob("*.ann"))) == 6


def test_brat_reads_an_export_of_the_first_format(tmp_path, gold):
    """The first exports: files named by the id percent-encoded with dots left as they were, a
    sidecar that is the record alone (no brat_ids), T<n> for mention m<n>, no events."""
    record = {
        **gold[1],
        "id": "page.000/2",
        "entities": [gold[1]["entities"][i] for i in (1, 0, 2, 3, 4)],  # m2 before m1: the numbers are the ids
    }
    stem = quote(record["id"], safe="")
    (tmp_path / f"{stem}.txt").write_text(record["text"], encoding="utf-8")
    (tmp_path / f"{stem}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    lines = [f"T{m['id'][1:]}\t{m['label']} {m['start']} {m['end']}\t{m['text']}" for m in record["entities"]]
    note = {k: record["quantities"][0].get(k) for k in ("value", "unit", "approx", "comparator", "low", "high")}
    lines.append(f"#1\tAnnotatorNotes T1\t{json.dumps({**note, 'object': '营商环境观察员'}, ensure_ascii=False)}")
    (tmp_path / f"{stem}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (back,) = read_brat(tmp_path)
    assert back["id"] == "page.000/2" and spans([back]) == spans([gold[1]])  # every mention kept its id
    assert back["quantities"][0]["object"] == "营商环境观察员" and back["events"] == gold[1]["events"]


def test_brat_relations_are_read_by_their_t_numbers(tmp_path):
    """R lines name T numbers: mention ids that are not m<n> (or not in that order) keep their relations."""
    record = {
        "id": "r",
        "text": "隐珠街道月亮湾路社区开展活动",
        "entities": [_m("p9", "PLACE", 0, 4, "隐珠街道"), _m("p2", "PLACE", 4, 10, "月亮湾路社区")],
        "relations": [{"type": "located_in", "head": "p2", "tail": "p9"}],
    }
    write_brat([record], tmp_path)
    assert spans(read_brat(tmp_path)) == spans([record])
    (back,) = read_brat(tmp_path)
    assert back["relations"] == record["relations"]
    ann = tmp_path / "r.ann"  # a new span in a new relation: the relation gets the new mention's id
    ann.write_text(ann.read_text(encoding="utf-8") + "T3\tORG 10 12\t开展\nR2\tlocated_in Arg1:T3 Arg2:T2\n", "utf-8")
    (back,) = read_brat(tmp_path)
    assert back["relations"][1] == {"type": "located_in", "head": "m1", "tail": "p2"}


def test_a_new_brat_span_keeps_its_note_and_its_event_argument(tmp_path, gold):
    write_brat(gold[1:2], tmp_path)  # page-000/2: E1 ceremony on T6 with Quantity:T5
    ann = tmp_path / "page-000%2F2.ann"
    text = gold[1]["text"]
    at = text.index("四名")
    lines = ann.read_text(encoding="utf-8").splitlines()
    lines = [line.replace("Quantity:T5", "Quantity:T9") for line in lines]
    note = '{"value": 4, "unit": "名", "object": "观察员"}'
    lines += [f"T9\tQUANTITY {at} {at + 2}\t四名", f"#9\tAnnotatorNotes T9\t{note}"]
    lines = [line for line in lines if not line.startswith(("T1\t", "#1\t"))]  # 四名 drawn again as T9
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (back,) = read_brat(tmp_path)
    new = next(m for m in back["entities"] if m["text"] == "四名")
    assert new["id"] == "m6" and back["events"][0]["quantities"] == ["m6"]
    assert next(q for q in back["quantities"] if q["mention"] == "m6")["object"] == "观察员"


def test_brat_span_texts_with_other_line_breaks_stay_on_their_line(tmp_path):
    text = "社区\u2028T2\tx\x85R1 开展\r\n活动"
    record = {"id": "s", "text": text, "entities": [_m("m1", "ORG", 0, 14, text[:14]), _m("m2", "ORG", 15, 17, "活动")]}
    write_brat([record], tmp_path)
    lines = (tmp_path / "s.ann").read_text(encoding="utf-8").splitlines()  # as brat splits them
    assert lines == ["T1\tORG 0 14\t社区 T2 x R1 开展 ", "T2\tORG 15 17\t活动"]
    (back,) = read_brat(tmp_path)
    assert spans([back]) == spans([record])


def _bad_ann(body):
    return lambda folder: (folder / "page-000%2F2.ann").write_text(body, encoding="utf-8")


def _bad_note(note):
    return _bad_ann(f"T1\tQUANTITY 0 2\t四名\n#1\tAnnotatorNotes T1\t{note}\n")


def _bad_sidecar(member):
    """The sidecar with one more member, as JSON text (json.dumps could not write some)."""

    def damage(folder):
        sidecar = folder / "page-000%2F2.json"
        sidecar.write_text("{" + member + ", " + sidecar.read_text(encoding="utf-8")[1:], encoding="utf-8")

    return damage


@pytest.mark.parametrize(
    ("damage", "file", "line", "problem"),
    [
        (_bad_ann("T1\tQUANTITY 0 2\t四名\nT2\tPERSON 0 99999\tx\n"), ".ann", 2, "not inside the text"),
        (_bad_ann("T1\tEVENT 0 2\t四名\n"), ".ann", 1, "unknown label 'EVENT'"),
        (_bad_ann("T1\tQUANTITY 0\t四名\n"), ".ann", 1, "expected a span"),
        (_bad_ann("T1\tQUANTITY 2 0\t四名\n"), ".ann", 1, "not inside the text"),
        (_bad_ann("T1\tQUANTITY 0 2\t四名\nT1\tPLACE 36 39\tx\n"), ".ann", 2, "T1 again: line 1"),
        (_bad_ann("T1\tQUANTITY 0 2\t四名\nR1\tlocated_in Arg1:T1 Arg2:T7\n"), ".ann", 2, "T7 is no entity"),
        (_bad_ann("T1\tQUANTITY 0 2\t四名\nR1\tpart_of Arg1:T1 Arg2:T1\n"), ".ann", 2, "unknown relation type"),
        (_bad_ann("T1\tQUANTITY 0 2\t四名\nE1\tmeeting:T1\n"), ".ann", 2, "needs a trigger of its own type"),
        (_bad_ann("T6\tceremony 39 41\t举行\nE1\tceremony:T6 Who:T6\n"), ".ann", 2, "unknown event argument"),
        (_bad_ann('T1\tQUANTITY 0 2\t四名\n#1\tAnnotatorNotes T1\t{"value": "四"}\n'), ".ann", 2, "not a number"),
        (_bad_ann("T1\tQUANTITY 0 2\t四名\nTx\tPLACE 1 2\n"), ".ann", 2, "not a brat T annotation"),
        (lambda f: (f / "page-000%2F2.ann").write_bytes(b"T1\tQUANTITY 0 2\t\xff\n"), ".ann", None, "not UTF-8"),
        (lambda f: (f / "page-000%2F2.txt").unlink(), ".txt", None, "missing"),
        (lambda f: (f / "page-000%2F2.txt").write_text("另一篇", encoding="utf-8"), ".txt", None, "text differs"),
        (lambda f: (f / "page-000%2F2.json").write_text("[1, 2", encoding="utf-8"), ".json", None, "not valid JSON"),
        (lambda f: (f / "page-000%2F2.json").write_text("[1, 2]", encoding="utf-8"), ".json", None, "is an object"),
        (lambda f: (f / "page-000%2F2.json").write_text('{"id": 1}', encoding="utf-8"), ".json", None, "id: expected"),
        # all JSON through jsonl.parse: nothing deeper than 64 levels, no integer of 5000 digits
        (_bad_sidecar('"notes": ' + "[" * 70 + "]" * 70), ".json", None, "nested deeper than 64 levels"),
        (_bad_sidecar('"notes": ' + "7" * 5000), ".json", None, "not valid here: Exceeds the limit"),
        (_bad_sidecar('"notes": "\\udc00"'), ".json", None, "unpaired surrogate"),
        (_bad_note('{"value": ' + "4" * 5000 + "}"), ".ann", 2, "T1's note: not valid here: Exceeds the limit"),
        (_bad_note('{"value": 4, "x": ' + "[" * 70 + "]" * 70 + "}"), ".ann", 2, "T1's note: not valid here: nested"),
        (_bad_note('{"value": 4'), ".ann", 2, "T1's note: not valid JSON"),  # opens as ours: no silent loss
    ],
)
def test_bad_brat_files_are_one_error_naming_the_file_and_line(tmp_path, gold, damage, file, line, problem):
    write_brat(gold[1:2], tmp_path)
    damage(tmp_path)
    with pytest.raises(InputError) as error:
        list(read_brat(tmp_path))
    assert error.value.path == str(tmp_path / f"page-000%2F2{file}") and error.value.line == line
    assert problem in error.value.problem


def test_a_hashed_brat_file_without_its_sidecar_is_named(tmp_path, gold):
    write_brat([{**gold[0], "id": LONG_ID}], tmp_path)
    (sidecar,) = tmp_path.glob("*.json")
    sidecar.unlink()
    with pytest.raises(InputError, match="hashed") as error:
        list(read_brat(tmp_path))
    assert error.value.path == str(sidecar)


def test_two_brat_files_of_one_record_are_an_error(tmp_path, gold):
    write_brat(gold[:1], tmp_path)
    for suffix in (".txt", ".ann", ".json"):
        (tmp_path / f"copy{suffix}").write_bytes((tmp_path / f"page-000%2F1{suffix}").read_bytes())
    with pytest.raises(InputError, match="record id 'page-000/1' again"):
        list(read_brat(tmp_path))


# ---------------------------------------------------------------- Label Studio corrections are checked


def _export(records, tmp_path, change=None):
    """A Label Studio export of `records` whose annotations accept the predictions, after `change(tasks)`."""
    tasks = [to_task(r, "v") for r in records]
    for n, task in enumerate(tasks, start=1):
        task["id"] = 40 + n
        result = json.loads(json.dumps(task["predictions"][0]["result"]))
        task["annotations"] = [{"id": n, "result": result, "was_cancelled": False}]
    if change:
        change(tasks)
    path = tmp_path / "export.json"
    text = json.dumps(tasks).replace(json.dumps(BIG), "1" * 5000)  # BIG: an integer too long to make here
    path.write_text(text, encoding="utf-8")  # ASCII: a lone surrogate is written \ud800, as JSON may
    return path


BIG = "<an integer of 5000 digits>"


def _region(task, region_id):
    return next(r for r in task["annotations"][0]["result"] if r.get("id") == region_id)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: _region(t[1], "m1")["value"].update(end=99999), "task 2 (id 42): result item 1 (region 'm1'): "),
        (lambda t: _region(t[1], "m1")["value"].update(labels=["EVENT"]), "unknown label 'EVENT'"),
        (lambda t: _region(t[1], "m1")["value"].update(labels=["ORG", "PLACE"]), "not a list of one label"),
        (lambda t: _region(t[1], "m1")["value"].update(start="0"), "offsets '0'-2"),
        (lambda t: _region(t[1], "m1")["value"].update(start=-1), "offsets -1-2"),
        (lambda t: _region(t[1], "m1").update(value=[0, 2]), "value is not an object"),
        (lambda t: t[1]["annotations"][0].update(result="[]"), "task 2 (id 42): annotation 1: result is str"),
        (lambda t: t[1]["annotations"][0].update(result=None), "result is NoneType"),
        (lambda t: t[1]["annotations"][0]["result"].append([1, 2]), "result item 6 is not an object"),
        (lambda t: t[1]["annotations"][0].update(was_cancelled="no"), "was_cancelled is 'no'"),
        (lambda t: t[1].update(annotations={"result": []}), "annotations is not a list"),
        (lambda t: t.__setitem__(1, "task"), "task 2: not a task"),
        (lambda t: t[1]["data"].update(text="另一篇"), "data.text differs"),
        (lambda t: t[1]["data"]["record"].update(entities="m1"), "data.record: record.entities: expected a list"),
        (
            lambda t: t[1]["annotations"][0]["result"].append({"type": "relation", "from_id": "m1", "to_id": "zz"}),
            "the relation's 'zz' is no region",
        ),
        (
            lambda t: t[1]["annotations"][0]["result"].append(
                {"type": "relation", "from_id": "m1", "to_id": "m4", "labels": ["part_of"]}
            ),
            "relation labels ['part_of'] are not one of ours",
        ),
        (lambda t: t[1]["annotations"][0]["result"].append(_region(t[1], "m1")), "m1 is there twice"),
        (lambda t: t.append(t[0]), "task 7 (id 41): record id 'page-000/1' again (task 1 (id 41) has it)"),
        # JSON that jsonl.parse refuses: that task alone (its line), read before its id is known
        (lambda t: t[1]["data"]["record"].update(headline="\ud800"), "task 2: not valid here: a string holds an"),
        (
            lambda t: t[1]["data"]["record"].update(notes=json.loads("[" * 70 + "]" * 70)),
            "task 2: not valid here: nested",
        ),
        (lambda t: t[1]["data"].update(extra=BIG), "task 2: "),  # 5000 digits: no int Python reads
    ],
)
def test_bad_label_studio_corrections_are_one_error_naming_the_task(tmp_path, gold, change, problem):
    path = _export(gold, tmp_path, change)
    with pytest.raises(InputError) as error:
        list(read_label_studio(path))
    assert error.value.path == str(path) and problem in error.value.problem, error.value.problem
    errors: list[InputError] = []
    back = list(read_label_studio(path, errors=errors))  # with a list: the others are read
    assert [str(e) for e in errors] == [str(error.value)]
    assert len(back) == (len(gold) if problem.startswith("task 7") else len(gold) - 1)  # task 7: a seventh
    out = tmp_path / "gold.jsonl"
    result = runner.invoke(app, ["import-corrections", str(path), "--format", "label-studio", "-o", str(out)])
    assert result.exit_code == 0 and result.exception is None, result.output  # no traceback, the good ones written
    assert result.stderr.splitlines() == [
        f"error: {error.value}",
        f"{len(back)} record(s) → {out}",
        "1 input(s) failed, the rest were written:",
        f"  {error.value}",
    ]
    assert list(load_records(out)) == [r["id"] for r in back]


def test_a_label_studio_offset_inside_an_astral_character_is_refused(tmp_path):
    record = {"id": "x", "text": "𠀀社区", "entities": [_m("m1", "PLACE", 1, 3, "社区")]}
    path = _export([record], tmp_path, lambda t: _region(t[0], "m1")["value"].update(start=1))
    with pytest.raises(InputError, match="cut a character"):
        list(read_label_studio(path))


def test_cancelled_only_tasks_are_skipped_and_counted(tmp_path, gold):
    def change(tasks):
        tasks[1]["annotations"][0]["was_cancelled"] = True  # its only annotation
        tasks[2]["annotations"] = []  # nobody annotated it: the prediction stands
        tasks[3]["annotations"].insert(0, {"id": 9, "result": [], "was_cancelled": True})  # one cancelled of two

    path = _export(gold, tmp_path, change)
    counts = {}
    back = list(read_label_studio(path, counts))
    assert [r["id"] for r in back] == [r["id"] for r in gold if r["id"] != "page-000/2"]
    assert counts == {"cancelled": 1, "unannotated": 1} and back == [r for r in gold if r["id"] != "page-000/2"]
    out = tmp_path / "gold.jsonl"
    result = runner.invoke(app, ["import-corrections", str(path), "--format", "label-studio", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 task(s) skipped: every annotation was cancelled" in result.stderr
    assert "1 task(s) not annotated" in result.stderr
    assert len(load_records(out)) == 5


# ---------------------------------------------------------------- officials follow their mentions


def test_officials_follow_a_corrected_title_in_label_studio(gold):
    record = gold[5]  # page-000/6: 薛家岛街道党工委委员 (m17)、办事处副主任 (m18) 丁广明 (m19)
    result = to_task(record, "v")["predictions"][0]["result"]
    region = next(r for r in result if r.get("id") == "m18")
    region["value"]["start"] += 3  # the annotator: the title is 副主任 only
    (official,) = from_result(record, result)["officials"]
    assert official["titles"] == [
        {"mention": "m17", "title": "薛家岛街道党工委委员", "org": "薛家岛街道党工委"},  # unchanged: its org as it was
        {"mention": "m18", "title": "副主任", "org": None},  # the officials' rules: a bare post has no org
    ]
    region["value"]["labels"] = ["ORG"]  # no title at all
    (official,) = from_result(record, result)["officials"]
    assert [t["mention"] for t in official["titles"]] == ["m17"] and official["name"] == "丁广明"


def test_officials_follow_a_title_and_a_name_drawn_again_in_brat(tmp_path, gold):
    record = gold[5]
    write_brat([record], tmp_path)
    ann = tmp_path / "page-000%2F6.ann"
    lines = ann.read_text(encoding="utf-8").splitlines()
    m17, m19 = (next(m for m in record["entities"] if m["id"] == i) for i in ("m17", "m19"))
    at = {line.split("\t")[0]: n for n, line in enumerate(lines)}
    assert lines[at["T17"]].startswith("T17\tTITLE") and lines[at["T19"]].startswith("T19\tPERSON")
    lines[at["T17"]] = f"T17\tTITLE {m17['start'] + 5} {m17['end']}\t党工委委员"  # moved: brat takes it for new
    del lines[at["T19"]]  # 丁广明 deleted and drawn again, one character longer
    lines.append(f"T90\tPERSON {m19['start']} {m19['end'] + 1}\t丁广明介")
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (back,) = read_brat(tmp_path)
    (official,) = back["officials"]
    new_title = next(m["id"] for m in back["entities"] if m["text"] == "党工委委员")
    new_name = next(m["id"] for m in back["entities"] if m["text"] == "丁广明介")
    assert official == {
        "person": new_name,
        "name": "丁广明介",
        "titles": [
            {"mention": new_title, "title": "党工委委员", "org": "党工委"},
            {"mention": "m18", "title": "办事处副主任", "org": "薛家岛街道办事处"},
        ],
    }


def test_a_deleted_date_takes_the_date_its_event_inherited_with_it(gold):
    record = json.loads(json.dumps(gold[1]))  # page-000/2: e2 (座谈) has no date of its own
    record["events"][1]["date_inherited"] = {"mention": "m3"}
    record["events"][0]["date_inherited"] = {"article": "2023-06-25"}
    kept = [{k: m[k] for k in ("id", "label", "start", "end")} for m in record["entities"] if m["id"] != "m3"]
    back = apply_corrections(record, kept, [])
    assert back["events"][1]["date_inherited"] is None and back["events"][0]["date"] is None
    assert back["events"][0]["date_inherited"] == {"article": "2023-06-25"}


# ---------------------------------------------------------------- a batch costs only its bad tasks and articles


def _import(source, out, fmt):
    return runner.invoke(app, ["import-corrections", str(source), "--format", fmt, "-o", str(out)])


def test_import_corrections_writes_the_good_tasks_and_lists_each_bad_one(tmp_path, gold):
    def change(tasks):
        _region(tasks[1], "m1")["value"]["labels"] = ["EVENT"]
        tasks[4] = "task"

    path = _export(gold, tmp_path, change)
    out = tmp_path / "gold.jsonl"
    result = _import(path, out, "label-studio")
    assert result.exit_code == 0 and result.exception is None, result.output
    bad = [f"{path}: task 2 (id 42): result item 1 (region 'm1'): unknown label 'EVENT'", f"{path}: task 5: not a task"]
    assert [line for line in result.stderr.splitlines() if line.startswith("error: ")] == [
        f"error: {bad[0]} (ours: ORG, PLACE, PERSON, TITLE, DATE, QUANTITY)",
        f"error: {bad[1]} (a JSON object)",
    ]
    assert "2 input(s) failed, the rest were written:" in result.stderr
    assert list(load_records(out)) == ["page-000/1", "page-000/3", "page-000/4", "page-000/6"]
    before = out.read_bytes()
    every = _export(gold[:2], tmp_path, lambda t: [task.update(data=None) for task in t])
    result = _import(every, out, "label-studio")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # nothing written: no traceback
    assert result.stderr.splitlines() == [
        f"error: {every}: task {n} (id {40 + n}): not exported by newsgraph: no data.record" for n in (1, 2)
    ]
    assert out.read_bytes() == before  # the old output stays


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "not a Label Studio JSON export: No such file or directory"),
        (b"<html>", "not a Label Studio JSON export: not valid JSON"),
        (b'[{"data": {}}', "not a Label Studio JSON export: not valid JSON"),  # cut short
        (b'{"tasks": []}', "not a Label Studio JSON export: expected a list of tasks"),
        (b"\xff[]", "not a Label Studio JSON export: 'utf-8' codec can't decode"),
    ],
)
def test_a_whole_export_that_is_none_is_one_error(tmp_path, content, problem):
    path = tmp_path / "export.json"
    if content is not None:
        path.write_bytes(content)
    result = _import(path, tmp_path / "gold.jsonl", "label-studio")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {path}: {problem}"), line
    assert not (tmp_path / "gold.jsonl").exists()


def test_a_task_that_is_no_json_we_read_is_its_own_error_with_its_line(tmp_path, gold):
    """jsonl.parse refuses the export whole; each task is then parsed alone."""
    tasks = [to_task(r, "v") for r in gold[:3]]
    lines = [json.dumps(t, ensure_ascii=False) for t in tasks]
    lines[1] = lines[1].replace('"record_id"', '"deep": ' + "[" * 70 + "]" * 70 + ', "record_id"', 1)
    lines[2] = lines[2].replace('"record_id"', '"n": ' + "9" * 5000 + ', "record_id"', 1)
    path = tmp_path / "export.json"
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    errors: list[InputError] = []
    back = list(read_label_studio(path, errors=errors))
    assert [r["id"] for r in back] == ["page-000/1"]
    assert [(e.line, e.problem[:35]) for e in errors] == [
        (3, "task 2: not valid here: nested deep"),
        (4, "task 3: not valid here: Exceeds the"),
    ]
    result = _import(path, tmp_path / "gold.jsonl", "label-studio")
    assert result.exit_code == 0 and f"error: {path}:3: task 2: not valid here" in result.stderr


def test_import_corrections_writes_the_good_brat_articles_and_lists_each_bad_one(tmp_path, gold):
    folder = tmp_path / "brat"
    write_brat(gold, folder)
    (folder / "page-000%2F2.ann").write_text("T1\tQUANTITY 0 2\t四名\nT2\tPERSON 0 99999\tx\n", encoding="utf-8")
    (folder / "page-000%2F5.json").write_text("[1, 2", encoding="utf-8")
    out = tmp_path / "gold.jsonl"
    result = _import(folder, out, "brat")
    assert result.exit_code == 0 and result.exception is None, result.output
    size = len(gold[1]["text"])
    assert [line for line in result.stderr.splitlines() if line.startswith("error: ")] == [
        f"error: {folder / 'page-000%2F2.ann'}:2: span 0-99999 is not inside the text (0-{size}) or is empty",
        f"error: {folder / 'page-000%2F5.json'}: not the record as exported: not valid JSON"
        " (Expecting ',' delimiter at column 6)",
    ]
    assert "2 input(s) failed, the rest were written:" in result.stderr
    assert list(load_records(out)) == ["page-000/1", "page-000/3", "page-000/4", "page-000/6"]
    errors: list[InputError] = []
    assert len(list(read_brat(folder, errors))) == 4 and len(errors) == 2
    missing = _import(tmp_path / "nowhere", out, "brat")
    assert missing.exit_code == 1 and missing.stderr.splitlines() == [
        f"error: {tmp_path / 'nowhere'}: not a folder of brat files"
    ]


def test_a_byte_order_mark_is_dropped_from_brat_files(tmp_path, gold):
    write_brat(gold[1:2], tmp_path)
    (want,) = read_brat(tmp_path)
    for suffix in (".ann", ".txt", ".json"):
        path = tmp_path / f"page-000%2F2{suffix}"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        (back,) = read_brat(tmp_path)
        assert back == want, suffix  # the .ann's first line (T1) is kept, not read as kind "\ufeff"
    (tmp_path / "page-000%2F2.json").unlink()  # no sidecar: the .txt's mark is no character of the text
    (back,) = read_brat(tmp_path)
    assert back["text"] == gold[1]["text"] and back["entities"][0]["start"] == 0


def test_a_text_that_starts_with_u_feff_comes_back_whole(tmp_path):
    record = {"id": "bom", "text": "\ufeff社区", "entities": [_m("m1", "PLACE", 1, 3, "社区")]}
    write_brat([record], tmp_path)
    (back,) = read_brat(tmp_path)
    assert back["text"] == "\ufeff社区" and spans([back]) == spans([record])


@pytest.fixture
def no_hang():
    """A reader that waits on a FIFO fails the test in seconds instead of hanging the run."""
    import signal

    def stop(*_):
        raise TimeoutError("the reader waited on a file that is no regular file")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("suffix", "kind"), [(".ann", "fifo"), (".txt", "fifo"), (".json", "fifo"), (".ann", "device")]
)
def test_a_fifo_or_device_in_a_brat_folder_is_one_error_naming_it(tmp_path, gold, no_hang, suffix, kind):
    import os

    write_brat(gold[:3], tmp_path)
    path = tmp_path / f"page-000%2F2{suffix}"
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")  # would feed the reader forever
    errors: list[InputError] = []
    assert [r["id"] for r in read_brat(tmp_path, errors)] == ["page-000/1", "page-000/3"]
    (error,) = errors
    what = "a FIFO (named pipe)" if kind == "fifo" else "a device"
    assert error.path == str(path) and error.problem == f"{what}, not a file: only regular files are read"
    result = _import(tmp_path, tmp_path / "gold.jsonl", "brat")  # only *.ann are looked for
    assert result.exit_code == 0 and f"error: {path}: {what}, not a file" in result.stderr


def test_a_relation_with_a_null_tail_is_no_mention_relation(tmp_path, gold):
    """`tail: null` is as no tail (a tail_name relation): no exporter takes it for a mention id."""
    from newsgraph.export.brat import _ann

    record = json.loads(json.dumps(gold[1]))
    null_tail = {"type": "located_in", "head": "m4", "tail": None, "tail_name": "中国"}
    record["relations"] = [*record.get("relations", []), null_tail]
    t_ids = {m["id"]: f"T{i}" for i, m in enumerate(record["entities"], start=1)}
    assert "\tlocated_in" not in _ann(record, t_ids, {})  # no KeyError: None, no R line
    task = to_task(record, "v")
    assert all(r["to_id"] is not None for r in task["predictions"][0]["result"] if r["type"] == "relation")
    try:  # where the record check takes a null tail: kept, as a tail_name relation
        assert from_result(record, task["predictions"][0]["result"])["relations"][-1] == null_tail
    except CorrectionError as error:  # where it refuses one: an error naming it, still no crash
        assert "relations[" in str(error) and "tail" in str(error)
    try:
        write_brat([record], tmp_path / "brat")
    except InputError as error:
        assert "relations[" in error.problem and "tail" in error.problem
    else:
        (back,) = read_brat(tmp_path / "brat")
        assert back["relations"][-1] == null_tail


def test_an_import_writes_no_record_deeper_than_the_readers_take(tmp_path, gold):
    """The sidecar is read by jsonl.parse: 64 levels are a record, 65 an error, as for every reader."""
    for depth, ok in ((63, True), (64, False)):  # the notes' lists, under the record's object
        folder = tmp_path / f"brat{depth}"
        write_brat(gold[1:2], folder)
        _bad_sidecar('"notes": ' + "[" * depth + "]" * depth)(folder)
        out = tmp_path / f"gold{depth}.jsonl"
        result = _import(folder, out, "brat")
        if ok:
            assert result.exit_code == 0, result.output
            (record,) = load_records(out).values()
            assert record["notes"] == json.loads("[" * depth + "]" * depth)
        else:
            assert result.exit_code == 1 and "nested deeper than 64 levels" in result.stderr
            assert not out.exists()


# ---------------------------------------------------------------- hostile sizes cost linear time


def test_many_quantities_go_to_brat_and_back(tmp_path):
    """`_quantity` once rebuilt the record's maps for every mention (8k quantities took 8 s; no
    timing here: machines are noisy)."""

    n = 8000
    record = {
        "id": "q",
        "text": "四名" * n,
        "entities": [_m(f"m{i + 1}", "QUANTITY", 2 * i, 2 * i + 2, "四名") for i in range(n)],
        "quantities": [{"mention": f"m{i + 1}", "value": 4, "unit": "名"} for i in range(n)],
    }
    write_brat([record], tmp_path / "brat")
    (back,) = read_brat(tmp_path / "brat")
    assert len(back["quantities"]) == n and back["quantities"][-1]["value"] == 4


def test_label_studio_offsets_near_the_end_of_a_long_astral_text_are_found_by_search():
    """from_utf16 walked back one unit at a time (400 regions near the end of 50k emoji took 11 s)."""

    text = "😀" * 50_000
    record = {
        "id": "e",
        "text": text,
        "entities": [_m(f"m{i + 1}", "ORG", 49_500 + i, 49_501 + i, "😀") for i in range(400)],
    }
    result = to_task(record, "v")["predictions"][0]["result"]
    back = from_result(record, result)
    assert [(m["start"], m["end"]) for m in back["entities"]] == [(49_500 + i, 49_501 + i) for i in range(400)]
    offsets = Utf16Offsets("a😀b😀😀c")
    assert [offsets.from_utf16(u) for u in range(10)] == [0, 1, 1, 2, 3, 3, 4, 4, 5, 6]


def test_officials_follow_thousands_of_moved_titles():
    """Each official's title once looked at every new mention (4k moved titles took seconds)."""

    n = 4000
    record = {
        "id": "o",
        "text": "书记" * n,
        "entities": [_m(f"m{i + 1}", "TITLE", 2 * i, 2 * i + 2, "书记") for i in range(n)],
        "officials": [
            {"person": None, "name": None, "titles": [{"mention": f"m{i + 1}", "title": "书记"}]} for i in range(n)
        ],
    }
    moved = [{"label": "TITLE", "start": 2 * i + 1, "end": 2 * i + 2} for i in range(n)]  # every title: new spans
    back = apply_corrections(record, moved, [])
    assert [o["titles"][0]["title"] for o in back["officials"]] == ["记"] * n
