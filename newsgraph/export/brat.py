"""brat standoff: records ⇄ a folder of `ID.txt` + `ID.ann` (+ `ID.json`, the record as exported).

File names are the record id percent-encoded (page-000/6 → page-000%2F6), so any id maps to
one file and back. Each mention is a text-bound annotation `T<n>`, numbered in text order; the
sidecar maps the numbers back to mention ids. A span over a line break is written as fragments, as brat requires. A
QUANTITY's attributes ride in an `AnnotatorNotes` line as JSON; mention-to-mention relations
are `R<n>` lines. Each event is an `E<n>` line on a trigger `T` of its type, with its
mentions as `Participant`, `Place`, `Date` and `Quantity` arguments (brat numbers repeats:
`Participant2`), so annotators correct events as they correct spans. `annotation.conf` lists
our labels, relation types and event types. `ID.json` lets the
import tell kept mentions from new ones and restore everything brat does not show. brat
offsets are characters of the `.txt`, which is the record's `text`: the same offsets as ours.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from newsgraph.errors import InputError
from newsgraph.events import event_of, split_sentences
from newsgraph.export.corrections import QUANTITY_KEYS, apply_corrections
from newsgraph.patterns import EVENT_TYPES

LABELS = ("ORG", "PLACE", "PERSON", "TITLE", "DATE", "QUANTITY")
RELATIONS = ("located_in",)
ROLES = {"participants": "Participant", "places": "Place", "date": "Date", "quantities": "Quantity"}
ROLE_OF = {arg: role for role, arg in ROLES.items()}


def file_stem(record_id: str) -> str:
    """The record id percent-encoded, dots too: no id can make a hidden or colliding name."""
    return quote(record_id, safe="").replace(".", "%2E")


def write_brat(records: Iterable[dict[str, Any]], folder: Path) -> int:
    """Write every record under `folder`; returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "annotation.conf").write_text(_conf(), encoding="utf-8")
    n = 0
    for record in records:
        stem = file_stem(record["id"])
        t_ids = {m["id"]: f"T{i}" for i, m in enumerate(record.get("entities", []), start=1)}
        shown = [e for e in record.get("events", []) if "trigger_start" in e and "trigger_end" in e]
        e_ids = {e["id"]: f"E{i}" for i, e in enumerate(shown, start=1)}
        (folder / f"{stem}.txt").write_text(record["text"], encoding="utf-8", newline="")
        (folder / f"{stem}.ann").write_text(_ann(record, t_ids, e_ids), encoding="utf-8", newline="\n")
        sidecar = {
            **record,
            "brat_ids": {t: m for m, t in t_ids.items()},
            "brat_events": {b: e for e, b in e_ids.items()},
        }
        (folder / f"{stem}.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
        n += 1
    return n


def _conf() -> str:
    arcs = "\n".join(f"{r}\tArg1:<ENTITY>, Arg2:<ENTITY>" for r in RELATIONS)
    args = "Participant*:<ENTITY>, Place*:<ENTITY>, Date?:DATE, Quantity*:QUANTITY"
    events = "\n".join(f"{t}\t{args}" for t in EVENT_TYPES)
    return f"[entities]\n{chr(10).join(LABELS)}\n\n[relations]\n{arcs}\n\n[events]\n{events}\n\n[attributes]\n"


def _fragments(text: str, start: int, end: int) -> str:
    """`start end`, or `s1 e1;s2 e2` for a span that crosses line breaks."""
    parts, at = [], start
    for match in re.finditer(r"\n", text[start:end]):
        cut = start + match.start()
        if cut > at:
            parts.append((at, cut))
        at = cut + 1
    if end > at:
        parts.append((at, end))
    return ";".join(f"{s} {e}" for s, e in parts)


def _ann(record: dict[str, Any], t_ids: dict[str, str], e_ids: dict[str, str]) -> str:
    text = record["text"]
    lines = []
    attrs = {q["mention"]: q for q in record.get("quantities", [])}
    for mention in record.get("entities", []):
        t_id = t_ids[mention["id"]]
        shown = " ".join(text[mention["start"] : mention["end"]].split("\n"))
        lines.append(f"{t_id}\t{mention['label']} {_fragments(text, mention['start'], mention['end'])}\t{shown}")
        if mention["id"] in attrs:
            note = {k: attrs[mention["id"]].get(k) for k in QUANTITY_KEYS}
            lines.append(f"#{t_id[1:]}\tAnnotatorNotes {t_id}\t{json.dumps(note, ensure_ascii=False)}")
    for n, relation in enumerate((r for r in record.get("relations", []) if "tail" in r), start=1):
        lines.append(f"R{n}\t{relation['type']} Arg1:{t_ids[relation['head']]} Arg2:{t_ids[relation['tail']]}")
    next_t = len(t_ids) + 1
    for event in (e for e in record.get("events", []) if e["id"] in e_ids):
        trigger = f"T{next_t}"
        next_t += 1
        start, end = event["trigger_start"], event["trigger_end"]
        lines.append(f"{trigger}\t{event['type']} {_fragments(text, start, end)}\t{text[start:end]}")
        args = [f"{event['type']}:{trigger}"]
        for role, name in ROLES.items():
            value = event.get(role)
            for n, mention in enumerate([value] if isinstance(value, str) else value or [], start=1):
                args.append(f"{name}{n if n > 1 else ''}:{t_ids[mention]}")
        lines.append(f"{e_ids[event['id']]}\t{' '.join(args)}")
    return "".join(line + "\n" for line in lines)


def read_brat(folder: Path) -> Iterator[dict[str, Any]]:
    """Gold records from a brat folder written by `write_brat` and corrected by hand."""
    if not folder.is_dir():
        raise InputError(str(folder), "not a folder of brat files")
    for ann in sorted(folder.glob("*.ann")):
        stem = ann.name[: -len(".ann")]
        sidecar = folder / f"{stem}.json"
        with (folder / f"{stem}.txt").open(encoding="utf-8", newline="") as txt:
            text = txt.read()  # as written: a \r stays a character, as in our offsets
        record = (
            json.loads(sidecar.read_text(encoding="utf-8"))
            if sidecar.is_file()
            else {"id": unquote(stem), "text": text}
        )
        t_ids: dict[str, str] = record.pop("brat_ids", {})
        e_ids: dict[str, str] | None = record.pop("brat_events", None)  # None: events were not shown
        if record.get("text") != text:
            raise InputError(str(folder / f"{stem}.txt"), "text differs from the exported record's: edit spans only")
        spans, relations, notes, triggers, events = _parse_ann(ann, text)
        old = {m["id"]: m for m in record.get("entities", [])}
        renamed = {}
        for span in spans:  # brat reuses a deleted T number for a new span: same span, or new
            mention_id = t_ids.get(span["id"])
            before = old.get(mention_id)
            kept = before is not None and (before["start"], before["end"]) == (span["start"], span["end"])
            renamed[span["id"]] = mention_id if kept else span["id"]
            span["id"] = renamed[span["id"]]
        relations = [
            {**r, "head": renamed.get(r["head"], r["head"]), "tail": renamed.get(r["tail"], r["tail"])}
            for r in relations
        ]
        corrected = apply_corrections(record, spans, relations)
        if e_ids or events:  # the annotator saw the events: the .ann says which there are
            try:
                corrected["events"] = corrected_events(corrected, record, triggers, events, e_ids or {}, renamed)
            except ValueError as error:
                raise InputError(str(ann), str(error)) from None
        by_id = {q["mention"]: q for q in corrected["quantities"]}
        for t_id, note in notes.items():
            mention_id = renamed.get(t_id)
            if mention_id in by_id:
                by_id[mention_id].update({k: note.get(k) for k in QUANTITY_KEYS})
        yield corrected


def _parse_ann(ann: Path, text: str) -> tuple[list[dict], list[dict], dict[str, dict], dict[str, dict], list[dict]]:
    spans, relations, notes, triggers, events = [], [], {}, {}, []
    for line_no, line in enumerate(ann.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        kind = fields[0][:1]
        try:
            if kind == "T":
                label, *offsets = fields[1].replace(";", " ").split(" ")
                numbers = [int(x) for x in offsets]
                start, end = min(numbers[0::2]), max(numbers[1::2])
                if not 0 <= start < end <= len(text) or label not in (*LABELS, *EVENT_TYPES):
                    raise ValueError(f"span {start}-{end} {label!r} is outside the text or not one of ours")
                if label in EVENT_TYPES:
                    triggers[fields[0]] = {"type": label, "start": start, "end": end}
                else:
                    spans.append({"id": fields[0], "label": label, "start": start, "end": end})
            elif kind == "R":
                rel_type, arg1, arg2 = fields[1].split(" ")
                relations.append(
                    {"type": rel_type, "head": "m" + arg1.split(":T")[1], "tail": "m" + arg2.split(":T")[1]}
                )
            elif kind == "E":
                head, *args = fields[1].split(" ")
                event_type, trigger = head.split(":")
                roles: dict[str, list[str]] = {}
                for arg in args:
                    name, target = arg.split(":")
                    role = ROLE_OF.get(name.rstrip("0123456789"))
                    if role is None:
                        raise ValueError(f"unknown event argument {name!r}")
                    roles.setdefault(role, []).append(target)
                events.append({"id": fields[0], "type": event_type, "trigger": trigger, "args": roles, "line": line_no})
            elif kind == "#":
                target = fields[1].split(" ")[1]
                try:
                    notes[target] = json.loads(fields[2])
                except json.JSONDecodeError:
                    continue  # a free-text note an annotator wrote: not ours to read
        except (IndexError, ValueError) as error:
            raise InputError(str(ann), f"cannot read this annotation: {error}", line_no) from None
    return spans, relations, notes, triggers, events


def corrected_events(
    corrected: dict[str, Any],
    exported: dict[str, Any],
    triggers: dict[str, dict],
    events: list[dict],
    e_ids: dict[str, str],
    renamed: dict[str, str],
) -> list[dict[str, Any]]:
    """The events as the annotator left them. A kept event keeps its id, its report's range
    (widened to take in a moved trigger) and whatever brat does not show; a new one gets the
    next id and its trigger's sentence as its report. Mentions are linked to them afresh."""
    text = corrected["text"]
    alive = {m["id"] for m in corrected["entities"]}
    old = {e["id"]: e for e in exported.get("events", [])}
    next_id = 1 + max((int(i[1:]) for i in old if i[1:].isdigit()), default=0)
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
            start=min(before["start"], trigger["start"]),
            end=max(before["end"], trigger["end"]),
        )
        for role in ROLES:
            mentions = [renamed.get(t, t) for t in event["args"].get(role, [])]
            mentions = [m for m in mentions if m in alive]
            if role == "date":
                new["date"] = mentions[0] if mentions else None
            else:
                kept = [m for m in before.get(role, []) if m in mentions]  # their old order first
                new[role] = kept + [m for m in mentions if m not in kept]
        out.append(new)
    shown = set(e_ids.values())
    out += [e for e in corrected.get("events", []) if e["id"] not in shown]  # events brat could not show
    out.sort(key=lambda e: (e.get("start", 0), e["id"]))
    if any("start" not in e or "end" not in e for e in out):
        return out  # reports of unknown range: the links stay as they were
    starts = [e["start"] for e in out]
    for mention in corrected["entities"]:
        found = event_of(mention["start"], mention["end"], out, starts) if _disjoint(out) else None
        mention["event_id"] = out[found]["id"] if found is not None else _first_holding(out, mention)
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


def _first_holding(events: list[dict], mention: dict) -> str | None:
    """Where an annotator made reports overlap: the first event whose report holds the mention."""
    return next((e["id"] for e in events if e["start"] <= mention["start"] and mention["end"] <= e["end"]), None)
