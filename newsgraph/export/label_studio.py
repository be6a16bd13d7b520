"""Label Studio: records → tasks with predictions (and a labelling config); an export → records.

Each task carries the record's text and the rest of the record (`data.record`, so nothing is
lost on the way back), and one prediction whose regions are our mentions (region id = mention
id) and whose relations are our mention-to-mention relations. Label Studio counts offsets
in UTF-16 code units (JavaScript strings); we count characters. So the two differ after any
character outside the Basic Multilingual Plane (rare CJK extensions, emoji), and both ways
convert. The import reads Label Studio's JSON export and takes each task's latest annotation
that was not cancelled. A task nobody annotated keeps the prediction; one whose annotations
were all cancelled is skipped; both are counted. Nothing in the export is taken on trust: a
task that is no object, a `result` that is no list, a region outside the text or with a
label not ours, a relation to no region, is an InputError naming the task (its place in the
list, and its id) and what is wrong: with an `errors` list, one for each bad task, and the
others are read. The export is read by `newsgraph.jsonl.parse` (nesting bounded, no unpaired
surrogate); where it refuses the whole, each task is read by it alone, so one task nested
too deeply (or not JSON) is that task's error, and only an export that is no list of tasks at
all is one error for the whole.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph import jsonl
from newsgraph.errors import InputError
from newsgraph.export.corrections import (
    LABELS,
    RELATIONS,
    CorrectionError,
    apply_corrections,
    has_tail,
    is_int,
    record_problem,
    short,
    span_problem,
)
from newsgraph.files import NotRegularFile, file_kind, regular_bytes
from newsgraph.output import check_writable, is_stdout, write_file

FROM_NAME, TO_NAME = "label", "text"
ANNOTATED = ("entities", "quantities", "relations")


def labelling_config() -> str:
    """The Label Studio interface for our labels and relations."""
    labels = "".join(f'    <Label value="{label}"/>\n' for label in LABELS)
    relations = "".join(f'    <Relation value="{r}"/>\n' for r in RELATIONS)
    return (
        "<View>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{labels}  </Labels>\n'
        f"  <Relations>\n{relations}  </Relations>\n"
        f'  <Text name="{TO_NAME}" value="$text" granularity="symbol"/>\n'
        "</View>\n"
    )


class Utf16Offsets:
    """Character offsets ⇄ UTF-16 code-unit offsets of one text."""

    def __init__(self, text: str) -> None:
        self.astral = [i for i, c in enumerate(text) if ord(c) > 0xFFFF]  # each takes two units
        self.astral_units = [i + k for k, i in enumerate(self.astral)]  # where each starts, in units

    def to_utf16(self, i: int) -> int:
        return i + bisect_right(self.astral, i - 1)

    def from_utf16(self, u: int) -> int:
        """The last character offset at or before unit `u` (inside an astral character: its
        start): `u` less one for each astral character that starts before it."""
        return u - bisect_left(self.astral_units, u)


def to_task(record: dict[str, Any], model_version: str) -> dict[str, Any]:
    text = record["text"]
    offsets = Utf16Offsets(text)
    result: list[dict[str, Any]] = [
        {
            "id": m["id"],
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "labels",
            "value": {
                "start": offsets.to_utf16(m["start"]),
                "end": offsets.to_utf16(m["end"]),
                "text": text[m["start"] : m["end"]],
                "labels": [m["label"]],
            },
        }
        for m in record.get("entities", [])
    ]
    result += [
        {"type": "relation", "from_id": r["head"], "to_id": r["tail"], "direction": "right", "labels": [r["type"]]}
        for r in record.get("relations", [])
        if has_tail(r)
    ]
    rest = {k: v for k, v in record.items() if k not in ANNOTATED}
    return {
        "data": {
            "text": text,
            "record_id": record["id"],
            "record": {**rest, **{k: record.get(k, []) for k in ANNOTATED}},
        },
        "predictions": [{"model_version": model_version, "result": result}],
    }


def write_label_studio(records: Iterable[dict[str, Any]], out: Path, model_version: str = "newsgraph") -> int:
    """Tasks as one JSON list in `out`, and the labelling config beside it (`OUT.config.xml`).
    A record the import could not read back is an InputError naming it."""
    tasks = []
    for record in records:
        problem = record_problem(record)
        if problem:
            name = repr(record.get("id")) if isinstance(record, dict) else str(len(tasks) + 1)
            raise InputError(str(out), f"record {name}: {problem}")
        tasks.append(to_task(record, model_version))
    check_writable(out)
    config = out.with_suffix(".config.xml")
    if not is_stdout(out):
        write_file(config, labelling_config())
    write_file(out, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    return len(tasks)


def read_label_studio(
    path: Path, counts: dict[str, int] | None = None, errors: list[InputError] | None = None
) -> Iterator[dict[str, Any]]:
    """Gold records from a Label Studio JSON export of our tasks. `counts`, when given, gets
    the number of tasks nobody annotated (`unannotated`: their prediction is taken) and of
    those whose annotations were all cancelled (`cancelled`: skipped). With an `errors` list,
    each bad task is one error there and the others are read; without, the first is raised.
    An export that is no list of tasks at all is always raised."""
    try:
        data = regular_bytes(Path(path))  # a FIFO or a device is refused, not read without end
    except NotRegularFile as error:
        raise InputError(str(path), f"not a Label Studio JSON export: {file_kind(error.mode)}, not a file") from None
    except OSError as error:
        raise InputError(str(path), f"not a Label Studio JSON export: {error.strerror or error}") from None
    yield from read_export_bytes(data, str(path), counts, errors)


def read_export_bytes(
    data: bytes | str,
    path: str = "<export>",
    counts: dict[str, int] | None = None,
    errors: list[InputError] | None = None,
) -> list[dict[str, Any]]:
    """The records of one Label Studio export given as its bytes: what a fuzz driver calls on
    one generated input. Returns the records or raises InputError; any other exception is a bug."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise InputError(path, f"not a Label Studio JSON export: {error}") from None
    try:
        tasks: Any = jsonl.parse(text)
    except jsonl.JsonProblem as whole:
        tasks = _each_task(text, whole, path)
    return list(read_tasks(tasks, path, counts, errors))


@dataclass
class Unread:
    """A task of an export that `jsonl.parse` refused alone: its problem, and its first line."""

    problem: str
    line: int


# a JSON string (escapes and all), a bracket or comma, or a quote that opens no whole string
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[][{},]|"', re.DOTALL)


def _each_task(text: str, whole: jsonl.JsonProblem, path: str) -> list[Any]:
    """The tasks of an export that `jsonl.parse` refused as a whole, each parsed alone: its
    value, or what is wrong with it (`Unread`). An InputError for the whole when `text` is no
    list (`[`, items between commas, `]`) that can be cut into items."""
    cuts = _top_level_cuts(text)
    if cuts is None:
        raise InputError(path, f"not a Label Studio JSON export: {whole}")
    tasks: list[Any] = []
    line, counted = 1, 0
    for start, end in cuts:
        piece = text[start:end]
        at = start + len(piece) - len(piece.lstrip())  # where the task's text begins
        line += text.count("\n", counted, at)
        counted = at
        try:
            tasks.append(jsonl.parse(piece))
        except jsonl.JsonProblem as problem:
            tasks.append(Unread(str(problem), line))
    return tasks


def _top_level_cuts(text: str) -> list[tuple[int, int]] | None:
    """Where the items of the JSON list `text` is begin and end (between its commas), or
    None when it is not one: no `[` first and `]` last, a string left open, brackets that do
    not close, or content after the list closes. The items themselves are not checked here."""
    first = len(text) - len(text.lstrip())
    last = len(text.rstrip()) - 1
    if last <= first or text[first] != "[" or text[last] != "]":
        return None
    depth, begin, cuts = 0, first + 1, []
    for match in _TOKEN.finditer(text, first, last + 1):
        token = match.group()
        if token == '"':
            return None  # a string that never closes
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
            if depth == 0 and match.start() != last:
                return None  # the list closes before its end
            if depth < 0:
                return None
        elif token == "," and depth == 1:
            cuts.append((begin, match.start()))
            begin = match.end()
    if depth != 0:
        return None
    cuts.append((begin, last))
    return [] if cuts == [(first + 1, last)] and not text[first + 1 : last].strip() else cuts


def read_tasks(
    tasks: Any,
    path: str = "<tasks>",
    counts: dict[str, int] | None = None,
    errors: list[InputError] | None = None,
) -> Iterator[dict[str, Any]]:
    """Gold records from an export already parsed (any JSON value): see `read_label_studio`."""
    if not isinstance(tasks, list):
        raise InputError(path, "not a Label Studio JSON export: expected a list of tasks")
    counts = {} if counts is None else counts
    seen: dict[str, str] = {}
    for n, task in enumerate(tasks, start=1):
        where = task_name(n, task)
        try:
            if isinstance(task, Unread):
                raise InputError(path, f"{where}: {task.problem}", task.line)
            try:
                record = _task_record(task, counts)
            except CorrectionError as error:
                raise InputError(path, f"{where}: {error}") from None
            except RecursionError:
                raise InputError(path, f"{where}: nested too deeply") from None
            if record is not None:
                first = seen.setdefault(record["id"], where)
                if first != where:
                    raise InputError(path, f"{where}: record id {short(record['id'])} again ({first} has it)")
        except InputError as error:
            if errors is None:
                raise
            errors.append(error)
            continue
        if record is not None:
            yield record


def task_name(n: int, task: Any) -> str:
    """`task N` (its place in the export, from 1), with Label Studio's id when it has one."""
    task_id = task.get("id") if isinstance(task, dict) else None
    if is_int(task_id) or isinstance(task_id, str):
        return f"task {n} (id {short(task_id)})" if isinstance(task_id, str) else f"task {n} (id {task_id})"
    return f"task {n}"


def _task_record(task: Any, counts: dict[str, int]) -> dict[str, Any] | None:
    """The gold record of one task; None for a task whose every annotation was cancelled."""
    if not isinstance(task, dict):
        raise CorrectionError("not a task (a JSON object)")
    data = task.get("data")
    record = data.get("record") if isinstance(data, dict) else None
    if not isinstance(record, dict) or "text" not in record:
        raise CorrectionError("not exported by newsgraph: no data.record")
    problem = record_problem(record)
    if problem:
        raise CorrectionError(f"data.record: {problem}")
    if data.get("text", record["text"]) != record["text"]:
        raise CorrectionError("data.text differs from data.record's: the offsets would not be ours")
    annotations = task.get("annotations")
    annotations = [] if annotations is None else annotations
    if not isinstance(annotations, list) or not all(isinstance(a, dict) for a in annotations):
        raise CorrectionError("annotations is not a list of objects")
    for k, annotation in enumerate(annotations, start=1):
        if not isinstance(annotation.get("was_cancelled"), bool | None):
            raise CorrectionError(
                f"annotation {k}: was_cancelled is {short(annotation['was_cancelled'])}, not true or false"
            )
    done = [(k, a) for k, a in enumerate(annotations, start=1) if not a.get("was_cancelled")]
    if not done:
        key = "cancelled" if annotations else "unannotated"
        counts[key] = counts.get(key, 0) + 1
        out = None if annotations else record  # not annotated: the prediction stands
    else:
        k, latest = max(done, key=lambda pair: _when(pair[1]))
        result = latest.get("result")
        if not isinstance(result, list):
            raise CorrectionError(f"annotation {k}: result is {type(result).__name__}, not a list of regions")
        out = from_result(record, result)
    if out is not None:
        try:
            json.dumps(out, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            lone = short(error.object[error.start : error.end])
            raise CorrectionError(f"holds {lone}, half a UTF-16 surrogate pair: no text") from None
    return out


def _when(annotation: dict[str, Any]) -> tuple[str, int]:
    """When an annotation was last saved, for the latest: its time stamp, then its id."""
    stamp = annotation.get("updated_at") or annotation.get("created_at")
    number = annotation.get("id")
    return (stamp if isinstance(stamp, str) else "", number if is_int(number) else 0)


def from_result(record: dict[str, Any], result: list[Any]) -> dict[str, Any]:
    """The record corrected by one annotation's `result` list. A region or relation that
    makes no valid record is a CorrectionError (a ValueError) saying which item and why."""
    problem = record_problem(record)
    if problem:
        raise CorrectionError(f"not a record: {problem}")
    text = record["text"]
    offsets = Utf16Offsets(text)
    units = offsets.to_utf16(len(text))
    spans: list[dict[str, Any]] = []
    relations: list[tuple[int, dict[str, Any]]] = []
    for k, item in enumerate(result, start=1):
        if not isinstance(item, dict):
            raise CorrectionError(f"result item {k} is not an object")
        region = item.get("id")
        where = f"result item {k}" + (f" (region {short(region)})" if isinstance(region, str) else "")
        if item.get("type") == "labels":
            spans.append(_region(item, where, offsets, units, text))
        elif item.get("type") == "relation":
            relations.append((k, item))
    regions = {s["ref"] for s in spans}
    mention_relations = []
    for k, item in relations:
        labels = item.get("labels") or [RELATIONS[0]]
        if not isinstance(labels, list) or len(labels) != 1 or labels[0] not in RELATIONS:
            raise CorrectionError(
                f"result item {k}: relation labels {short(labels)} are not one of ours ({', '.join(RELATIONS)})"
            )
        head, tail = item.get("from_id"), item.get("to_id")
        for end in (head, tail):
            if not isinstance(end, str) or end not in regions:
                raise CorrectionError(f"result item {k}: the relation's {short(end)} is no region of this annotation")
        if item.get("direction") == "left":
            head, tail = tail, head
        mention_relations.append({"type": labels[0], "head": head, "tail": tail})
    return apply_corrections(record, spans, mention_relations)


def _region(item: dict[str, Any], where: str, offsets: Utf16Offsets, units: int, text: str) -> dict[str, Any]:
    """One labelled region as a span ({ref, id, label, start, end}, in characters)."""
    region, value = item.get("id"), item.get("value")
    if not isinstance(region, str | None):
        raise CorrectionError(f"{where}: region id {short(region)} is not text")
    if not isinstance(value, dict):
        raise CorrectionError(f"{where}: value is not an object")
    labels, start, end = value.get("labels"), value.get("start"), value.get("end")
    if not isinstance(labels, list) or len(labels) != 1:
        raise CorrectionError(f"{where}: labels {short(labels)} is not a list of one label")
    if not is_int(start) or not is_int(end) or not 0 <= start < end <= units:
        raise CorrectionError(f"{where}: offsets {short(start)}-{short(end)} are not a span of the text (0-{units})")
    first, last = offsets.from_utf16(start), offsets.from_utf16(end)
    if offsets.to_utf16(first) != start or offsets.to_utf16(last) != end:
        raise CorrectionError(f"{where}: offsets {start}-{end} cut a character outside the Basic Multilingual Plane")
    problem = span_problem(labels[0], first, last, text)
    if problem:
        raise CorrectionError(f"{where}: {problem}")
    return {"ref": region, "id": region, "label": labels[0], "start": first, "end": last}
