"""Fuzzing the correction readers: whatever brat folder or Label Studio export they are given,
`read_brat` and `read_label_studio` give valid records or raise InputError, never another
exception (and `newsgraph import-corrections` exits 0, with each bad task or article listed, or
1 with nothing written and one `error:` line each, never a traceback).

The inputs start from real exports of the gold page, damaged at random (lines deleted,
repeated, renumbered, relabelled, values of any JSON type put anywhere, offsets out of range,
nested lists), or are made from nothing. Valid records: every mention inside the text with our
label and its text, mention ids once, every reference (quantity, relation, event, official)
to a mention of the record, officials' titles and names those of their mentions; and, when the
exported record itself was left alone, records that `evaluate.load_records` reads back.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as note_case
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.errors import InputError
from newsgraph.evaluate import load_records
from newsgraph.export.brat import read_brat, read_brat_files, write_brat
from newsgraph.export.corrections import LABELS, QUANTITY_KEYS, RELATIONS, note_problem, record_problem
from newsgraph.export.label_studio import read_export_bytes, to_task
from newsgraph.patterns import EVENT_TYPES
from newsgraph.records import dumps

GOLD = Path(__file__).resolve().parent.parent / "corpus" / "gold" / "page-000.jsonl"
RECORDS = list(load_records(GOLD).values())
SCALE = float(os.environ.get("NEWSGRAPH_FUZZ_SCALE", "1"))  # more examples for a longer hunt: NEWSGRAPH_FUZZ_SCALE=20
FUZZ = settings(
    max_examples=int(150 * SCALE),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
FEW = settings(FUZZ, max_examples=int(20 * SCALE))
runner = CliRunner()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
deep_values = st.integers(1, 800).map(lambda depth: json.loads("[" * depth + "]" * depth))  # nested lists
offsets = st.integers(-3, 320) | st.sampled_from([99999, 2**63]) | json_values
labels = st.sampled_from([*LABELS, *EVENT_TYPES[:3], "EVENT", "", "org", "PLACE "])


def assert_valid(record: dict, exported_untouched: bool = False) -> None:
    """What every record the readers give must be (see the module doc)."""
    assert record_problem(record) is None, record_problem(record)
    text = record["text"]
    mentions = {m["id"]: m for m in record["entities"]}
    assert len(mentions) == len(record["entities"])
    for m in record["entities"]:
        assert m["label"] in LABELS and 0 <= m["start"] < m["end"] <= len(text)
        assert m["text"] == text[m["start"] : m["end"]]
    quantities = [q["mention"] for q in record["quantities"]]
    assert quantities == [m["id"] for m in record["entities"] if m["label"] == "QUANTITY"]
    assert all(note_problem(q) is None and set(QUANTITY_KEYS) <= set(q) for q in record["quantities"])
    for relation in record["relations"]:
        assert relation["head"] in mentions
        assert "tail" not in relation or (relation["tail"] in mentions and relation["type"] in RELATIONS)
    event_ids = [e["id"] for e in record.get("events", [])]
    assert len(set(event_ids)) == len(event_ids)
    for event in record.get("events", []):
        assert 0 <= event["start"] <= event["end"] <= len(text)
        if "trigger_start" in event:
            assert event["type"] in EVENT_TYPES and 0 <= event["trigger_start"] < event["trigger_end"] <= len(text)
        assert event.get("date") is None or mentions[event["date"]]
        assert all(m in mentions for role in ("places", "participants", "quantities") for m in event.get(role, []))
        inherited = event.get("date_inherited") or {}
        assert inherited.get("mention") is None or inherited["mention"] in mentions
    assert all(m.get("event_id") is None or m["event_id"] in event_ids for m in record["entities"])
    for official in record.get("officials", []):
        assert official["titles"]
        for title in official["titles"]:
            assert (
                mentions[title["mention"]]["label"] == "TITLE" and mentions[title["mention"]]["text"] == title["title"]
            )
        person = official["person"]
        assert person is None or (
            mentions[person]["label"] == "PERSON" and mentions[person]["text"] == official["name"]
        )
    if exported_untouched:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "gold.jsonl"
            path.write_text(dumps(record) + "\n", encoding="utf-8")
            assert list(load_records(path).values()) == [json.loads(dumps(record))]


def _read_or_refuse(read, *args) -> list[dict] | None:
    try:
        records = read(*args)
    except InputError as error:
        assert error.problem and "\n" not in str(error)  # one line
        note_case(f"refused: {error.problem[:30]}")
        return None
    note_case(f"read: {len(records)} record(s)")
    return records


# ---------------------------------------------------------------- brat


def _brat_files(records: list[dict]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        write_brat(records, Path(tmp) / "brat")
        return {p.name: p.read_text(encoding="utf-8") for p in (Path(tmp) / "brat").iterdir()}


EXPORTS = {i: _brat_files([r]) for i, r in enumerate(RECORDS)}

numbers = st.integers(0, 40)
t_lines = st.builds(
    lambda n, label, frags, shown: f"T{n}\t{label} {';'.join(f'{a} {b}' for a, b in frags)}\t{shown}",
    numbers,
    labels,
    st.lists(st.tuples(st.integers(-2, 320), st.integers(-2, 320)), max_size=3),
    st.text(max_size=5),
)
r_lines = st.builds(
    lambda n, kind, a, b: f"R{n}\t{kind} Arg1:T{a} Arg2:T{b}",
    numbers,
    st.sampled_from([*RELATIONS, "part_of", ""]),
    numbers,
    numbers,
)
e_lines = st.builds(
    lambda n, kind, trigger, args: f"E{n}\t{kind}:T{trigger} " + " ".join(f"{role}:T{t}" for role, t in args),
    numbers,
    st.sampled_from([*EVENT_TYPES[:4], "PLACE"]),
    numbers,
    st.lists(st.tuples(st.sampled_from(["Participant", "Participant2", "Place", "Date", "Quantity", "Who"]), numbers)),
)
notes = st.one_of(
    st.text(max_size=10),
    json_values.map(json.dumps),
    st.fixed_dictionaries({}, optional=dict.fromkeys(QUANTITY_KEYS, json_values)).map(json.dumps),
)
note_lines = st.builds(lambda n, t, body: f"#{n}\tAnnotatorNotes T{t}\t{body}", numbers, numbers, notes)
ann_lines = st.one_of(t_lines, r_lines, e_lines, note_lines, st.text(max_size=20))


@st.composite
def damaged_exports(draw) -> tuple[dict[str, str | bytes], bool]:
    """A brat export of one gold record, damaged; and whether its sidecar was left alone."""
    files: dict[str, str | bytes] = dict(EXPORTS[draw(st.integers(0, len(RECORDS) - 1))])
    (ann,) = [name for name in files if name.endswith(".ann")]
    stem = ann[: -len(".ann")]
    lines = str(files[ann]).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines)))
        op = draw(st.sampled_from(["delete", "repeat", "insert", "number", "label", "tab", "crlf"]))
        if op == "insert" or not lines:
            lines.insert(at, draw(ann_lines))
            continue
        at = min(at, len(lines) - 1)
        if op == "delete":
            del lines[at]
        elif op == "repeat":
            lines.insert(at, lines[at])
        elif op == "number":
            words = lines[at].split(" ")
            k = draw(st.integers(0, len(words) - 1))
            words[k] = str(draw(st.integers(-3, 400) | st.just(99999)))
            lines[at] = " ".join(words)
        elif op == "label":
            fields = lines[at].split("\t")
            if len(fields) > 1:
                fields[1] = " ".join([draw(labels), *fields[1].split(" ")[1:]])
            lines[at] = "\t".join(fields)
        elif op == "tab":
            lines[at] = lines[at].replace("\t", " ", 1)
        else:
            lines[at] += "\r"
    files[ann] = "\n".join(lines)
    untouched = True
    side = draw(st.sampled_from(["keep"] * 6 + ["gone", "json", "field", "text", "bytes"]))
    if side == "gone":
        del files[f"{stem}.json"]
    elif side == "json":
        files[f"{stem}.json"] = json.dumps(draw(json_values))
    elif side == "field":
        record = json.loads(str(files[f"{stem}.json"]))
        key = draw(st.sampled_from(["id", "text", "entities", "events", "officials", "brat_ids", "brat_events"]))
        record[key] = draw(json_values | deep_values)
        files[f"{stem}.json"] = json.dumps(record)
    elif side == "text":
        files[f"{stem}.txt"] = draw(st.text(max_size=30))
    elif side == "bytes":
        files[draw(st.sampled_from([f"{stem}.txt", ann, f"{stem}.json"]))] = draw(st.binary(max_size=30))
    untouched = side == "keep"
    return files, untouched


@st.composite
def folders_from_nothing(draw) -> dict[str, str | bytes]:
    text = draw(st.text(alphabet=st.sampled_from(list("社区开展活动街道书记丁广明\n\r\t\u2028 ab𠀀")), max_size=60))
    files: dict[str, str | bytes] = {"x.txt": text, "x.ann": "\n".join(draw(st.lists(ann_lines, max_size=12)))}
    if draw(st.booleans()):
        files["x.json"] = json.dumps(draw(json_values | st.just({"id": "x", "text": text})))
    return files


@FUZZ
@given(damaged_exports())
def test_a_damaged_brat_export_gives_valid_records_or_an_input_error(case):
    files, untouched = case
    records = _read_or_refuse(read_brat_files, files)
    for record in records or []:
        assert_valid(record, exported_untouched=untouched)


@FUZZ
@given(folders_from_nothing())
def test_a_brat_folder_made_from_nothing_gives_valid_records_or_an_input_error(files):
    for record in _read_or_refuse(read_brat_files, files) or []:
        assert_valid(record)


@st.composite
def records_to_export(draw) -> list[dict]:
    """Records with any ids (long ones, path-like ones) and any spans of their text."""
    ids = draw(
        st.lists(
            st.text(min_size=0, max_size=40)
            | st.sampled_from(["../x", "a/b", ".", "..", "页" * 31, "x" * 200, "%2E", "a+b"]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    records = []
    for record_id in ids:
        text = draw(st.text(alphabet=st.sampled_from(list("社区开展活动\n\r\u2028𠀀 a")), min_size=1, max_size=30))
        cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6, unique=True)))
        entities = [
            {"id": f"m{i}", "label": draw(st.sampled_from(LABELS)), "start": s, "end": e, "text": text[s:e]}
            | {"entity_id": None, "event_id": None}
            for i, (s, e) in enumerate(zip(cuts[::2], cuts[1::2], strict=False), start=1)
        ]
        quantities = [
            {"mention": m["id"], **dict.fromkeys(QUANTITY_KEYS)} for m in entities if m["label"] == "QUANTITY"
        ]
        records.append({"id": record_id, "text": text, "entities": entities, "quantities": quantities})
    return records


@FUZZ
@given(records_to_export())
def test_any_records_go_to_brat_and_come_back_whole(records):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "brat"
        assert write_brat(records, folder) == len(records)
        assert all(len(p.name.encode()) <= 100 for p in folder.iterdir())
        assert [p.name for p in Path(tmp).iterdir()] == ["brat"]
        back = {r["id"]: r for r in read_brat(folder)}
    want = {r["id"]: {**r, "relations": [], "officials": []} for r in records}
    assert back == want


@FEW
@given(damaged_exports())
def test_import_corrections_of_a_damaged_brat_folder_exits_cleanly(case):
    files, _ = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "brat"
        folder.mkdir()
        for name, content in files.items():
            (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        out = Path(tmp) / "gold.jsonl"
        result = runner.invoke(app, ["import-corrections", str(folder), "--format", "brat", "-o", str(out)])
        _assert_clean_exit(result)
        if result.exit_code == 0:
            assert len(load_records(out)) == 1


def _assert_clean_exit(result) -> None:
    """No traceback: exit 0 with the bad tasks or articles (if any) listed after the records
    written, or 1 with nothing written and one `error:` line for each (and the counts)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    if result.exit_code == 0:
        assert not errors or f"{len(errors)} input(s) failed, the rest were written:" in lines, lines
        return
    assert result.exit_code == 1 and errors, lines
    assert all(line.startswith("error: ") or " task(s) " in line for line in lines), lines


# ---------------------------------------------------------------- Label Studio

region_fields = st.sampled_from(["start", "end", "labels", "id", "value", "type", "from_id", "to_id", "direction"])


@st.composite
def damaged_label_studio_exports(draw) -> tuple[bytes, bool, int]:
    """A Label Studio export of some gold records, damaged; whether each data.record was left
    alone; and how many tasks it has (-1: no list of tasks)."""
    chosen = draw(st.lists(st.integers(0, len(RECORDS) - 1), min_size=1, max_size=3, unique=True))
    tasks: list = [to_task(RECORDS[i], "v") for i in chosen]
    for n, task in enumerate(tasks, start=1):
        task["id"] = n
        result = copy.deepcopy(task["predictions"][0]["result"])
        task["annotations"] = [{"id": n, "result": result, "was_cancelled": False, "updated_at": f"2024-01-0{n}"}]
    untouched = True
    for _ in range(draw(st.integers(1, 5))):
        task = tasks[draw(st.integers(0, len(tasks) - 1))]
        annotations = task.get("annotations") if isinstance(task, dict) else None
        annotation = annotations[0] if isinstance(annotations, list) and annotations else None
        result = annotation.get("result") if isinstance(annotation, dict) else None
        op = draw(
            st.sampled_from(
                ["field"] * 6
                + ["drop", "repeat", "new", "relation", "result", "nest", "cancel", "annotations"]
                + ["data", "record", "record field", "task", "text"]
            )
        )
        if op in ("field", "drop", "repeat", "nest") and isinstance(result, list) and result:
            k = draw(st.integers(0, len(result) - 1))
            item = result[k]
            if op == "field" and isinstance(item, dict):
                name = draw(region_fields)
                value = draw(offsets if name in ("start", "end") else json_values | st.lists(labels, max_size=2))
                target = (
                    item["value"]
                    if name in ("start", "end", "labels") and isinstance(item.get("value"), dict)
                    else item
                )
                target[name] = value
            elif op == "drop":
                del result[k]
            elif op == "repeat":
                result.insert(k, copy.deepcopy(item))
            else:
                result[k] = [item]  # a nested list
        elif op == "new" and isinstance(result, list):
            value = {"start": draw(offsets), "end": draw(offsets), "labels": [draw(labels)]}
            result.append({"id": draw(st.text(max_size=4)), "type": "labels", "value": value})
        elif op == "relation" and isinstance(result, list):
            ends = [r.get("id") for r in result if isinstance(r, dict)] + ["zz", None, 3]
            kind = draw(st.sampled_from([None, [], ["located_in"], ["part_of"], "located_in"]))
            result.append(
                {"type": "relation", "from_id": draw(st.sampled_from(ends)), "to_id": draw(st.sampled_from(ends))}
            )
            result[-1]["labels"] = kind
        elif op == "result" and isinstance(annotation, dict):
            annotation["result"] = draw(json_values)
        elif op == "cancel" and isinstance(annotation, dict):
            annotation["was_cancelled"] = draw(st.booleans() | json_values)
        elif op == "annotations" and isinstance(task, dict):
            task["annotations"] = draw(
                st.just([]) | json_values | st.lists(st.fixed_dictionaries({"was_cancelled": st.booleans()}))
            )
        elif op == "data" and isinstance(task, dict):
            task["data"], untouched = draw(json_values), False
        elif op == "record" and isinstance(task, dict) and isinstance(task.get("data"), dict):
            task["data"]["record"], untouched = draw(json_values), False
        elif op == "record field" and isinstance(task, dict) and isinstance(task.get("data"), dict):
            record = task["data"].get("record")
            if isinstance(record, dict):
                key = draw(
                    st.sampled_from(["id", "text", "entities", "events", "officials", "quantities", "relations"])
                )
                record[key], untouched = draw(json_values | deep_values), False
        elif op == "task":
            tasks[tasks.index(task)], untouched = draw(json_values), False
        elif op == "text" and isinstance(task, dict) and isinstance(task.get("data"), dict):
            task["data"]["text"] = draw(st.text(max_size=5))
    shape = draw(st.sampled_from(["list"] * 8 + ["object", "junk"]))
    if shape == "object":
        return json.dumps({"tasks": tasks}).encode(), untouched, -1
    if shape == "junk":
        return draw(st.binary(max_size=40)), untouched, -1
    return json.dumps(tasks, ensure_ascii=draw(st.booleans())).encode(), untouched, len(tasks)


@settings(FUZZ, max_examples=int(250 * SCALE))
@given(damaged_label_studio_exports())
def test_a_damaged_label_studio_export_gives_valid_records_or_an_input_error(case):
    data, untouched, n_tasks = case
    counts: dict[str, int] = {}
    records = _read_or_refuse(read_export_bytes, data, "export.json", counts)
    if records is None:
        return
    assert len(records) + counts.get("cancelled", 0) == n_tasks
    for record in records:
        assert_valid(record, exported_untouched=untouched)


@FUZZ
@given(json_values | st.lists(st.dictionaries(st.sampled_from(["id", "data", "annotations"]), json_values)))
def test_any_json_is_read_as_an_export_or_refused(value):
    for record in _read_or_refuse(read_export_bytes, json.dumps(value).encode()) or []:
        assert_valid(record)


@pytest.mark.parametrize("depth", [50, 900])
def test_a_record_nested_deep_is_read_or_refused_in_one_line(depth):
    """json reads 900 levels; copying them takes Python past its recursion limit."""
    nested = json.loads("[" * depth + "]" * depth)
    task = to_task({**RECORDS[1], "notes": nested}, "v")
    task["annotations"] = [{"result": task["predictions"][0]["result"]}]
    files = dict(EXPORTS[1])
    files["page-000%2F2.json"] = json.dumps({**json.loads(files["page-000%2F2.json"]), "notes": nested})
    for read, data in ((read_export_bytes, json.dumps([task])), (read_brat_files, files)):
        if depth == 50:
            (record,) = read(data)
            assert record["notes"] == nested  # what the importers do not read, they keep
        else:
            with pytest.raises(InputError, match="nested deeper than 64 levels"):
                read(data)
    with pytest.raises(InputError, match="task 1: not valid here: nested deeper than 64 levels"):
        read_export_bytes(b"[" * 5000 + b"]" * 5000)  # a list of one task, and that nested too deeply
    with pytest.raises(InputError, match="not a Label Studio JSON export: not valid here: nested deeper"):
        read_export_bytes(b"[" * 5000 + b"]" * 4999)  # no list at all: it never closes


@FEW
@given(damaged_label_studio_exports())
def test_import_corrections_of_a_damaged_label_studio_export_exits_cleanly(case):
    data, _, _ = case
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "export.json", Path(tmp) / "gold.jsonl"
        path.write_bytes(data)
        result = runner.invoke(app, ["import-corrections", str(path), "--format", "label-studio", "-o", str(out)])
        _assert_clean_exit(result)
        if result.exit_code == 0 and out.read_bytes():  # every task cancelled: nothing to load
            load_records(out)


# ---------------------------------------------------------------- a bad article or task costs only itself


@FUZZ
@given(damaged_exports())
def test_a_damaged_brat_article_costs_only_itself(case):
    """Beside an intact article, a damaged one is one error (naming one of its files) or a
    record, and the intact one comes back as it does alone."""
    files, _ = case
    (stem,) = {name.rsplit(".", 1)[0] for name in files if name.endswith(".ann")}
    intact = EXPORTS[1] if stem == "page-000%2F1" else EXPORTS[0]  # no damaged id can be one of ours: 8 chars
    (alone,) = read_brat_files(intact)
    errors: list[InputError] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in {**files, **intact}.items():
            data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
            (Path(tmp) / name).write_bytes(data)
        records = list(read_brat(Path(tmp), errors))
    assert alone in records and len(records) + len(errors) == 2
    assert all(Path(error.path).name.startswith(stem + ".") for error in errors)
    for record in records:
        assert_valid(record)


hostile_tasks = st.sampled_from(
    [
        "[" * 70 + "]" * 70,  # deeper than jsonl.parse takes
        '{"data": {"record": {"id": "x", "text": "' + "\\ud800" + '"}}}',  # an unpaired surrogate
        '{"id": ' + "1" * 5000 + "}",  # an integer of more digits than Python reads
        '{"data": }',  # no JSON
        '{"data": "]]], {[["}',  # brackets and commas inside a string
        '{"s": "]]], {[[\\"", "d": ' + "[" * 70 + "]" * 70 + "}",  # …in a task read alone
        '"task"',
    ]
)


@FUZZ
@given(st.integers(0, 3), hostile_tasks, st.sampled_from([None, 1]))
def test_a_label_studio_task_no_reader_takes_is_its_own_error(k, hostile, indent):
    """jsonl.parse refuses such an export whole: each task is parsed alone, and the bad one is
    one error naming it (and its line), the others records."""
    tasks = [to_task(r, "v") for r in RECORDS[:4]]
    texts = [json.dumps(t, ensure_ascii=False, indent=indent) for t in tasks]
    texts[k] = hostile
    data = "[\n" + ",\n".join(texts) + "\n]"
    errors: list[InputError] = []
    records = read_export_bytes(data, "export.json", None, errors)
    assert [r["id"] for r in records] == [r["id"] for i, r in enumerate(RECORDS[:4]) if i != k]
    (error,) = errors
    assert error.problem.startswith(f"task {k + 1}")
    assert error.line is None or data.split("\n")[error.line - 1].startswith(hostile[:20])


@FUZZ
@given(st.lists(json_values, max_size=6), st.sampled_from([None, 0, 2]), st.booleans())
def test_a_json_list_is_cut_into_its_items(items, indent, ascii_only):
    from newsgraph.export.label_studio import _top_level_cuts

    text = json.dumps(items, indent=indent, ensure_ascii=ascii_only)
    cuts = _top_level_cuts(text)
    assert cuts is not None and [json.loads(text[a:b]) for a, b in cuts] == json.loads(text)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("a社😀𠀀\n")), max_size=40))
def test_utf16_offsets_go_both_ways(text):
    from newsgraph.export.label_studio import Utf16Offsets

    offsets = Utf16Offsets(text)
    units = len(text.encode("utf-16-le")) // 2
    assert offsets.to_utf16(len(text)) == units
    for u in range(units + 1):  # the last character at or before each unit: the old walk back
        assert offsets.from_utf16(u) == max(i for i in range(len(text) + 1) if offsets.to_utf16(i) <= u)


@FUZZ
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 10)), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6)), max_size=8),
)
def test_the_first_event_holding_a_mention_is_found_by_search(reports, mentions):
    from itertools import accumulate

    from newsgraph.export.brat import _first_holding

    events = sorted(
        ({"id": f"e{i}", "start": s, "end": s + n} for i, (s, n) in enumerate(reports)), key=lambda e: e["start"]
    )
    starts, reach = [e["start"] for e in events], list(accumulate((e["end"] for e in events), max))
    for start, n in mentions:
        mention = {"start": start, "end": start + n}
        naive = next((e["id"] for e in events if e["start"] <= start and start + n <= e["end"]), None)
        assert _first_holding(events, starts, reach, mention) == naive


@FUZZ
@given(
    st.lists(st.fixed_dictionaries({"head": st.sampled_from("abc"), "tail": st.sampled_from("abcz")}), max_size=8),
    st.lists(st.fixed_dictionaries({"head": st.sampled_from("abc"), "tail": st.sampled_from("abc")}), max_size=8),
)
def test_relations_keep_their_old_order_counted_not_searched(before, wanted):
    """`_relations` matches old and new by a Counter: the order a list scan gave, in linear time."""
    from newsgraph.export.corrections import _relations

    before = [{"type": "located_in", **r} for r in before]
    wanted = [{"type": "located_in", **r} for r in wanted]
    alive = dict.fromkeys("abc")
    scan = [r for r in wanted if r["head"] in alive and r["tail"] in alive]
    out = []
    for relation in before:  # the old code: `relation in wanted`, `wanted.remove(relation)`
        if relation in scan:
            out.append(relation)
            scan.remove(relation)
    assert _relations(before, wanted, alive) == out + scan
