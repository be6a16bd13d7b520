"""brat standoff: records ⇄ a folder of `ID.txt` + `ID.ann` (+ `ID.json`, the record as exported).

File names are the record id percent-encoded (page-000/6 → page-000%2F6), dots too, so any id
maps to one file and none to a hidden or outside one. A name that would pass 95 bytes (a long
Chinese id: nine bytes a character) is cut and ends in `+` and a hash of the id, which no
encoded id has; the sidecar holds the id. Each mention is a text-bound annotation `T<n>`,
numbered in text order; the sidecar maps the numbers back to mention ids. A span over a line
break is written as fragments, as brat requires. A QUANTITY's attributes ride in an
`AnnotatorNotes` line as JSON; mention-to-mention relations are `R<n>` lines. Each event is an
`E<n>` line on a trigger `T` of its type, with its mentions as `Participant`, `Place`, `Date`
and `Quantity` arguments (brat numbers repeats: `Participant2`), so annotators correct events
as they correct spans. `annotation.conf` lists our labels, relation types and event types.
`ID.json` lets the import tell kept mentions from new ones and restore everything brat does not
show. brat offsets are characters of the `.txt`, which is the record's `text`: the same offsets
as ours.

The export is written whole or not at all: into a hidden folder beside the target, renamed
into place at the end. A target that is not empty is refused (batches would mix) unless
`force`, which swaps the old folder out and removes it only once the new one is in place.
The import checks every line against the text and the other lines, and names the file and
line of the first that does not hold: one error for each article whose files are bad, and the
others are read (`read_brat(folder, errors)`). Only regular files are read (a FIFO or a device
named `*.ann` would hang the reader, or feed it forever), a UTF-8 byte-order mark is dropped,
and the JSON (the sidecar, a quantity's note) is read by `newsgraph.jsonl.parse`, so nothing
nested deeper than the other readers take gets into a record.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import tempfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from newsgraph import jsonl
from newsgraph.errors import InputError
from newsgraph.events import event_of, split_sentences
from newsgraph.export.corrections import (
    LABELS,
    QUANTITY_KEYS,
    RELATIONS,
    CorrectionError,
    correct,
    has_tail,
    next_number,
    note_problem,
    record_problem,
    settle_date,
    short,
)
from newsgraph.files import NotRegularFile, file_kind, regular_bytes
from newsgraph.output import write_folder
from newsgraph.patterns import EVENT_TYPES

__all__ = ["LABELS", "RELATIONS", "file_stem", "read_brat", "read_brat_files", "write_brat"]

ROLES = {"participants": "Participant", "places": "Place", "date": "Date", "quantities": "Quantity"}
ROLE_OF = {arg: role for role, arg in ROLES.items()}
MAX_STEM = 95  # bytes: with `.json`, a file name of at most 100
HASH_MARK = "+"  # percent-encoding never leaves a +: a stem with one is cut and hashed
# characters that end a line for str.splitlines (and so for brat's reader): not in a shown text
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
SHOWN = str.maketrans(dict.fromkeys(LINE_BREAKS + "\t", " "))
EXPORT_SUFFIXES = (".ann", ".txt", ".json", ".conf")  # what --force may replace: an export's files


def file_stem(record_id: str) -> str:
    """The record id percent-encoded, dots too: no id can make a hidden or colliding name. One
    longer than MAX_STEM bytes (or empty) keeps the characters that fit and ends in `+HASH`."""
    stem = _encoded(record_id)
    if stem and len(stem) <= MAX_STEM:
        return stem
    digest = hashlib.sha256(record_id.encode("utf-8")).hexdigest()[:16]
    budget, prefix = MAX_STEM - len(HASH_MARK) - len(digest), ""
    for char in record_id:
        piece = _encoded(char)
        if len(prefix) + len(piece) > budget:
            break
        prefix += piece
    return prefix + HASH_MARK + digest


def _encoded(text: str) -> str:
    return quote(text, safe="").replace(".", "%2E")


def write_brat(records: Iterable[dict[str, Any]], folder: Path, force: bool = False) -> int:
    """Write every record under `folder`, whole or not at all; returns how many. A `folder`
    that is not empty is an InputError, unless `force`: then it is replaced."""
    return write_folder(
        folder,
        lambda staging: _write_folder(records, staging, str(folder)),
        force=force,
        suffixes=EXPORT_SUFFIXES,
        marker="annotation.conf",
        what="a brat export",
    )


def _write_folder(records: Iterable[dict[str, Any]], staging: Path, where: str) -> int:
    (staging / "annotation.conf").write_text(_conf(), encoding="utf-8")
    n = 0
    for record in records:
        problem = record_problem(record)
        if problem:
            name = repr(record.get("id")) if isinstance(record, dict) else f"{n + 1}"
            raise InputError(where, f"record {name}: {problem}")
        try:
            stem = file_stem(record["id"])
            t_ids = {m["id"]: f"T{i}" for i, m in enumerate(record.get("entities", []), start=1)}
            shown = [e for e in record.get("events", []) if "trigger_start" in e and "trigger_end" in e]
            e_ids = {e["id"]: f"E{i}" for i, e in enumerate(shown, start=1)}
            sidecar = {
                **record,
                "brat_ids": {t: m for m, t in t_ids.items()},
                "brat_events": {b: e for e, b in e_ids.items()},
            }
            for suffix, content, newline in (
                (".txt", record["text"], ""),
                (".ann", _ann(record, t_ids, e_ids), "\n"),
                (".json", json.dumps(sidecar, ensure_ascii=False), "\n"),
            ):
                with (staging / f"{stem}{suffix}").open("x", encoding="utf-8", newline=newline) as out:
                    out.write(content)  # "x": a second record with this file name is no silent overwrite
        except FileExistsError:
            raise InputError(
                where, f"record {short(record['id'])}: another record has its file name {short(stem)}"
            ) from None
        except (OSError, ValueError, RecursionError) as error:  # ValueError: UnicodeError, an int too long to write
            raise InputError(where, f"record {short(record['id'])}: cannot write it ({error})") from None
        n += 1
    return n


def _conf() -> str:
    arcs = "\n".join(f"{r}\tArg1:<ENTITY>, Arg2:<ENTITY>" for r in RELATIONS)
    args = "Participant*:<ENTITY>, Place*:<ENTITY>, Date?:DATE, Quantity*:QUANTITY"
    events = "\n".join(f"{t}\t{args}" for t in EVENT_TYPES)
    return f"[entities]\n{chr(10).join(LABELS)}\n\n[relations]\n{arcs}\n\n[events]\n{events}\n\n[attributes]\n"


def _fragments(text: str, start: int, end: int) -> str:
    """`start end`, or `s1 e1;s2 e2` for a span that crosses line breaks (one fragment still
    when the span begins or ends with one: the fragments must give back its offsets)."""
    parts, at = [], start
    for match in re.finditer(r"\n", text[start:end]):
        cut = start + match.start()
        if cut > at:
            parts.append((at, cut))
        at = cut + 1
    if end > at:
        parts.append((at, end))
    if not parts or parts[0][0] != start or parts[-1][1] != end:
        parts = [(start, end)]
    return ";".join(f"{s} {e}" for s, e in parts)


def _shown(text: str) -> str:
    """A span's text as a .ann line shows it: on one line."""
    return text.translate(SHOWN)


def _note(attrs: dict[str, Any]) -> str:
    """A quantity's attributes as JSON on one line (JSON leaves U+2028 and kin raw)."""
    line = json.dumps({k: attrs.get(k) for k in QUANTITY_KEYS}, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if c in LINE_BREAKS else c for c in line)


def _ann(record: dict[str, Any], t_ids: dict[str, str], e_ids: dict[str, str]) -> str:
    text = record["text"]
    lines = []
    attrs = {q["mention"]: q for q in record.get("quantities", [])}
    for mention in record.get("entities", []):
        t_id = t_ids[mention["id"]]
        shown = _shown(text[mention["start"] : mention["end"]])
        lines.append(f"{t_id}\t{mention['label']} {_fragments(text, mention['start'], mention['end'])}\t{shown}")
        if mention["id"] in attrs:
            lines.append(f"#{t_id[1:]}\tAnnotatorNotes {t_id}\t{_note(attrs[mention['id']])}")
    for n, relation in enumerate((r for r in record.get("relations", []) if has_tail(r)), start=1):
        lines.append(f"R{n}\t{relation['type']} Arg1:{t_ids[relation['head']]} Arg2:{t_ids[relation['tail']]}")
    next_t = len(t_ids) + 1
    for event in (e for e in record.get("events", []) if e["id"] in e_ids):
        trigger = f"T{next_t}"
        next_t += 1
        start, end = event["trigger_start"], event["trigger_end"]
        lines.append(f"{trigger}\t{event['type']} {_fragments(text, start, end)}\t{_shown(text[start:end])}")
        args = [f"{event['type']}:{trigger}"]
        for role, name in ROLES.items():
            value = event.get(role)
            for n, mention in enumerate([value] if isinstance(value, str) else value or [], start=1):
                args.append(f"{name}{n if n > 1 else ''}:{t_ids[mention]}")
        lines.append(f"{e_ids[event['id']]}\t{' '.join(args)}")
    return "".join(line + "\n" for line in lines)


def read_brat(folder: Path, errors: list[InputError] | None = None) -> Iterator[dict[str, Any]]:
    """Gold records from a brat folder written by `write_brat` (or an older version of it) and
    corrected by hand. Anything wrong is an InputError naming the file, and the line. With an
    `errors` list, each article whose files are bad is one error there and the others are read;
    without, the first is raised. A folder that is none (or cannot be listed) is always raised."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), "not a folder of brat files")
    try:
        anns = sorted(folder.glob("*.ann"))
    except OSError as error:
        raise InputError(str(folder), f"cannot read it: {error.strerror or error}") from None
    seen: dict[str, str] = {}
    for ann in anns:
        try:
            try:
                record = _read_document(ann)
            except RecursionError:
                raise InputError(str(ann), "its record (the .json) is nested too deeply") from None
            first = seen.setdefault(record["id"], ann.name)
            if first != ann.name:
                raise InputError(str(ann), f"record id {short(record['id'])} again: {first} has it too")
        except InputError as error:
            if errors is None:
                raise
            errors.append(error)
            continue
        yield record


def read_brat_files(files: Mapping[str, str | bytes]) -> list[dict[str, Any]]:
    """The records of a brat folder holding `files` (plain file names → contents): what a fuzz
    driver calls on one generated input. Returns the records or raises InputError; any other
    exception is a bug."""
    with tempfile.TemporaryDirectory(prefix="newsgraph-brat-") as tmp:
        folder = Path(tmp)
        for name, content in files.items():
            if not name or Path(name).name != name or name in (".", ".."):
                raise ValueError(f"not a plain file name: {short(name)}")
            data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
            (folder / name).write_bytes(data)
        return list(read_brat(folder))


def _read_text(path: Path, what: str) -> str:
    """The UTF-8 text of a regular file, as written (a \\r stays a character, as in our offsets)
    but for a byte-order mark. Anything else (a FIFO, a device, a folder) is refused unread
    (newsgraph/files.py)."""
    try:
        data = regular_bytes(path)
    except NotRegularFile as error:
        raise InputError(str(path), f"{file_kind(error.mode)}, not a file: only regular files are read") from None
    except FileNotFoundError:
        raise InputError(str(path), f"missing: {what}") from None
    except OSError as error:
        raise InputError(str(path), f"cannot read it: {error.strerror or error}") from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise InputError(str(path), f"not UTF-8 text (byte {error.start})") from None


def _exists(path: Path) -> bool:
    """Whether there is anything of that name (a file or not, a dangling link too)."""
    return os.path.lexists(path)


def _sidecar(path: Path) -> dict[str, Any]:
    """The record as exported, with its brat numbers; an InputError if it is no such thing."""
    try:
        record = jsonl.parse(_read_text(path, "the record as exported"))
    except jsonl.JsonProblem as error:
        raise InputError(str(path), f"not the record as exported: {error}") from None
    problem = record_problem(record)
    if problem:
        raise InputError(str(path), f"not the record as exported: {problem}")
    for key in ("brat_ids", "brat_events"):
        numbers = record.get(key, {})
        values = list(numbers.values()) if isinstance(numbers, dict) else []
        if (
            not isinstance(numbers, dict)
            or not all(isinstance(v, str) for v in values)
            or len(set(values)) < len(values)
        ):
            raise InputError(str(path), f"not the record as exported: {key} is not a map of brat ids to ids of its own")
    return record


def _read_document(ann: Path) -> dict[str, Any]:
    """The gold record of one `.ann` file, its `.txt` and its sidecar beside it."""
    stem = ann.name[: -len(".ann")]
    txt, sidecar = ann.with_name(f"{stem}.txt"), ann.with_name(f"{stem}.json")
    text = _read_text(txt, "the text of " + ann.name)
    content = _read_text(ann, "")
    if _exists(sidecar):
        record = _sidecar(sidecar)
    elif HASH_MARK in stem:
        raise InputError(str(sidecar), "missing: a long id's file name is hashed, and its sidecar holds the id")
    else:
        record = {"id": unquote(stem), "text": text}
    if record["text"] == "\ufeff" + text:  # a text that starts with U+FEFF: its first character, no mark
        text = record["text"]
    if record["text"] != text:
        raise InputError(str(txt), "text differs from the exported record's: edit spans only")
    ann_name = str(ann)
    t_ids: dict[str, str] | None = record.pop("brat_ids", None)
    if t_ids is None:  # exported before the sidecar kept the numbers: T<n> was m<n>
        t_ids = {"T" + m["id"][1:]: m["id"] for m in record.get("entities", [])}
    e_ids: dict[str, str] | None = record.pop("brat_events", None)  # None: events were not shown
    parsed = parse_ann(content, text, ann_name)
    old = {m["id"]: m for m in record.get("entities", [])}
    spans = []
    for t_id, span in parsed.spans.items():  # brat reuses a deleted T number for a new span: same span, or new
        before = old.get(t_ids.get(t_id, ""))
        kept = before is not None and (before["start"], before["end"]) == (span["start"], span["end"])
        spans.append({**span, "ref": t_id, "id": t_ids[t_id] if kept else None})
    try:
        corrected, ids = correct(record, spans, [r for r, _ in parsed.relations])
    except CorrectionError as error:
        raise InputError(ann_name, str(error)) from None
    if e_ids or parsed.events:  # the annotator saw the events: the .ann says which there are
        try:
            corrected["events"] = corrected_events(corrected, record, parsed.triggers, parsed.events, e_ids or {}, ids)
        except ValueError as error:
            raise InputError(ann_name, str(error)) from None
    by_id = {q["mention"]: q for q in corrected["quantities"]}
    for t_id, (line_no, note) in parsed.notes.items():
        mention_id = ids.get(t_id)
        if mention_id in by_id:
            problem = note if isinstance(note, str) else note_problem(note)
            if problem:
                raise InputError(ann_name, f"{t_id}'s note: {problem}", line_no)
            by_id[mention_id].update({k: note.get(k) for k in QUANTITY_KEYS})
    return corrected


@dataclass
class Ann:
    """What a .ann file says: spans and triggers by T id, relations and events with their lines,
    quantity notes (the JSON ones, or what is wrong with one) by T id."""

    spans: dict[str, dict[str, Any]] = field(default_factory=dict)
    triggers: dict[str, dict[str, Any]] = field(default_factory=dict)
    relations: list[tuple[dict[str, str], int]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[str, tuple[int, dict[str, Any] | str]] = field(default_factory=dict)


NUMBER = r"\d{1,12}"
T_ID, E_ID, R_ID = re.compile(r"T\d{1,12}", re.ASCII), re.compile(r"E\d{1,12}", re.ASCII), re.compile(r"R\d+", re.ASCII)
T_BODY = re.compile(rf"(\S+) ({NUMBER} {NUMBER}(?:;{NUMBER} {NUMBER})*)", re.ASCII)
R_BODY = re.compile(r"(\S+) Arg1:(T\d{1,12}) Arg2:(T\d{1,12})", re.ASCII)
E_HEAD = re.compile(r"(\S+):(T\d{1,12})", re.ASCII)
E_ARG = re.compile(r"([A-Za-z]+?)(\d*):(T\d{1,12})", re.ASCII)
NOTE = re.compile(r"AnnotatorNotes (T\d{1,12})", re.ASCII)


def parse_ann(content: str, text: str, path: str = "<ann>") -> Ann:
    """Read a .ann file's lines against its text; an InputError names the first bad line.
    Lines end at \\n only (an old export's shown text may hold other line breaks); a \\r before
    it is dropped. Lines of kinds we do not write (attributes, normalisations) are skipped."""
    ann = Ann()
    lines: dict[str, int] = {}  # T and E ids → the line that defines them

    def bad(line_no: int, problem: str) -> InputError:
        return InputError(path, problem, line_no)

    for line_no, line in enumerate(content.removeprefix("\ufeff").split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        kind = fields[0][:1]
        if kind not in ("T", "R", "E", "#"):
            continue
        if kind == "#":
            _read_note(ann, fields, line_no)
            continue
        pattern = {"T": T_ID, "R": R_ID, "E": E_ID}[kind]
        if not pattern.fullmatch(fields[0]) or len(fields) < 2:
            raise bad(line_no, f"not a brat {kind} annotation (expected {kind}<n>, a tab, and its body)")
        if kind in "TE":
            if fields[0] in lines:
                raise bad(line_no, f"{fields[0]} again: line {lines[fields[0]]} has it")
            lines[fields[0]] = line_no
        if kind == "T":
            _read_span(ann, fields, text, line_no, bad)
        elif kind == "R":
            match = R_BODY.fullmatch(fields[1])
            if match is None:
                raise bad(line_no, "expected a relation `TYPE Arg1:T<n> Arg2:T<n>`")
            if match[1] not in RELATIONS:
                raise bad(line_no, f"unknown relation type {short(match[1])} (ours: {', '.join(RELATIONS)})")
            ann.relations.append(({"type": match[1], "head": match[2], "tail": match[3]}, line_no))
        else:
            ann.events.append(_read_event(fields, line_no, bad))
    for relation, line_no in ann.relations:
        for end in ("head", "tail"):
            if relation[end] not in ann.spans:
                raise bad(line_no, f"the relation's {relation[end]} is no entity of this file")
    for event in ann.events:
        trigger = ann.triggers.get(event["trigger"])
        if trigger is None or trigger["type"] != event["type"]:
            raise bad(event["line"], f"event {event['id']} needs a trigger of its own type")
        for target in itertools.chain.from_iterable(event["args"].values()):
            if target not in ann.spans:
                raise bad(event["line"], f"the event's argument {target} is no entity of this file")
    return ann


def _read_span(ann: Ann, fields: list[str], text: str, line_no: int, bad: Any) -> None:
    match = T_BODY.fullmatch(fields[1])
    if match is None:
        raise bad(line_no, "expected a span `LABEL START END` (fragments joined by ;)")
    label = match[1]
    if label not in LABELS and label not in EVENT_TYPES:
        raise bad(line_no, f"unknown label {short(label)} (ours: {', '.join(LABELS)} and the event types)")
    fragments = [tuple(int(n) for n in part.split(" ")) for part in match[2].split(";")]
    for start, end in fragments:
        if not 0 <= start < end <= len(text):
            raise bad(line_no, f"span {start}-{end} is not inside the text (0-{len(text)}) or is empty")
    span = {"label": label, "start": min(s for s, _ in fragments), "end": max(e for _, e in fragments)}
    if label in EVENT_TYPES:
        ann.triggers[fields[0]] = {"type": label, "start": span["start"], "end": span["end"]}
    else:
        ann.spans[fields[0]] = span


def _read_event(fields: list[str], line_no: int, bad: Any) -> dict[str, Any]:
    head, *args = [part for part in fields[1].split(" ") if part] or [""]
    match = E_HEAD.fullmatch(head)
    if match is None:
        raise bad(line_no, "expected an event `TYPE:T<n> ROLE:T<n> …`")
    roles: dict[str, list[str]] = {}
    for arg in args:
        found = E_ARG.fullmatch(arg)
        role = ROLE_OF.get(found[1]) if found else None
        if found is None or role is None:
            raise bad(line_no, f"unknown event argument {short(arg)} (ours: {', '.join(ROLE_OF)})")
        roles.setdefault(role, []).append(found[3])
    return {"id": fields[0], "type": match[1], "trigger": match[2], "args": roles, "line": line_no}


def _read_note(ann: Ann, fields: list[str], line_no: int) -> None:
    """A JSON object in an AnnotatorNotes line is a quantity's attributes; any other note is
    free text an annotator wrote: not ours to read. A note that opens as an object (`{`) but
    is no JSON we read (broken, nested too deeply, an integer of thousands of digits) is kept
    as its problem: for a quantity's T, an error on its line, not attributes silently lost."""
    match = NOTE.fullmatch(fields[1]) if len(fields) >= 3 else None
    if match is None:
        return
    body = "\t".join(fields[2:])
    try:
        note = jsonl.parse(body)
    except jsonl.JsonProblem as problem:
        if body.lstrip().startswith("{"):
            ann.notes[match[1]] = (line_no, str(problem))
        return
    if isinstance(note, dict):
        ann.notes[match[1]] = (line_no, note)


def corrected_events(
    corrected: dict[str, Any],
    exported: dict[str, Any],
    triggers: dict[str, dict],
    events: list[dict],
    e_ids: dict[str, str],
    ids: dict[str, str],
) -> list[dict[str, Any]]:
    """The events as the annotator left them. A kept event keeps its id, its report's range
    (widened to take in a moved trigger) and whatever brat does not show; a new one gets the
    next id and its trigger's sentence as its report. Mentions are linked to them afresh."""
    text = corrected["text"]
    alive = {m["id"] for m in corrected["entities"]}
    old = {e["id"]: e for e in exported.get("events", [])}
    next_id = next_number(old, "e")
    out = []
    for event in events:
        trigger = triggers.get(event["trigger"])
        if trigger is None or trigger["type"] != event["type"]:
            raise ValueError(f"line {event['line']}: event {event['id']} needs a trigger of its own type")
        before = old.get(e_ids.get(event["id"], ""))
        if before is None:
            start, end = _sentence_of(text, trigger["start"], trigger["end"])
            before = {"id": f"e{next_id}", "start": start, "end": end, "date_inherited": None}
            next_id += 1
        new = dict(before)
        new.update(
            type=event["type"],
            trigger=text[trigger["start"] : trigger["end"]],
            trigger_start=trigger["start"],
            trigger_end=trigger["end"],
            start=min(before.get("start", trigger["start"]), trigger["start"]),
            end=max(before.get("end", trigger["end"]), trigger["end"]),
        )
        for role in ROLES:
            mentions = [ids.get(t, t) for t in event["args"].get(role, [])]
            mentions = [m for m in mentions if m in alive]
            if role == "date":
                new["date"] = mentions[0] if mentions else None
                settle_date(new, alive)
            else:
                given = set(mentions)  # sets, not lists: an event of thousands of arguments is no square
                kept = [m for m in before.get(role, []) if m in given]  # their old order first
                seen = set(kept)
                new[role] = kept + [m for m in mentions if m not in seen]
        out.append(new)
    shown = set(e_ids.values())
    out += [e for e in corrected.get("events", []) if e["id"] not in shown]  # events brat could not show
    out.sort(key=lambda e: (e.get("start", 0), e["id"]))
    if any("start" not in e or "end" not in e for e in out):
        return out  # reports of unknown range: the links stay as they were
    starts = [e["start"] for e in out]
    disjoint = _disjoint(out)
    reach = list(itertools.accumulate((e["end"] for e in out), max))  # the furthest end so far
    for mention in corrected["entities"]:
        found = event_of(mention["start"], mention["end"], out, starts) if disjoint else None
        mention["event_id"] = out[found]["id"] if found is not None else _first_holding(out, starts, reach, mention)
    return out


def _sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end) in its line: a new event's report."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    for sentence in split_sentences(text, [(line_start, line_end)]):
        if sentence.start <= start and end <= sentence.end:
            return sentence.start, sentence.end
    return line_start, line_end


def _disjoint(events: list[dict]) -> bool:
    return all(a["end"] <= b["start"] for a, b in itertools.pairwise(events))


def _first_holding(events: list[dict], starts: list[int], reach: list[int], mention: dict) -> str | None:
    """Where an annotator made reports overlap: the first event (they are in order of start)
    whose report holds the mention. Those that start by the mention's start are the first
    `bisect_right(starts, …)`; of them, the first whose end reaches the mention's is the first
    whose `reach` (the furthest end up to it) does: a search, not a walk over the events."""
    begun = bisect_right(starts, mention["start"])
    first = bisect_left(reach, mention["end"], hi=begun)
    return events[first]["id"] if first < begun else None
