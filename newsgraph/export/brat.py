"""brat standoff: records ⇄ a folder of `ID.txt` + `ID.ann` (+ `ID.json`, the record as exported).

File names are the record id percent-encoded (page-000/6 → page-000%2F6), so any id maps to
one file and back. Each mention is a text-bound annotation `T<n>`, numbered in text order; the
sidecar maps the numbers back to mention ids. A span over a line break is written as fragments, as brat requires. A
QUANTITY's attributes ride in an `AnnotatorNotes` line as JSON; mention-to-mention relations
are `R<n>` lines. `annotation.conf` lists our labels and relation types. `ID.json` lets the
import tell kept mentions from new ones and restore everything brat does not show. brat
offsets are characters of the `.txt`, which is the record's `text`: the same offsets as ours.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from newsgraph.errors import InputError
from newsgraph.export.corrections import QUANTITY_KEYS, apply_corrections

LABELS = ("ORG", "PLACE", "PERSON", "TITLE", "DATE", "QUANTITY")
RELATIONS = ("located_in",)


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
        (folder / f"{stem}.txt").write_text(record["text"], encoding="utf-8", newline="")
        (folder / f"{stem}.ann").write_text(_ann(record, t_ids), encoding="utf-8", newline="\n")
        sidecar = {**record, "brat_ids": {t: m for m, t in t_ids.items()}}
        (folder / f"{stem}.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
        n += 1
    return n


def _conf() -> str:
    arcs = "\n".join(f"{r}\tArg1:<ENTITY>, Arg2:<ENTITY>" for r in RELATIONS)
    return f"[entities]\n{chr(10).join(LABELS)}\n\n[relations]\n{arcs}\n\n[events]\n\n[attributes]\n"


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


def _ann(record: dict[str, Any], t_ids: dict[str, str]) -> str:
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
        if record.get("text") != text:
            raise InputError(str(folder / f"{stem}.txt"), "text differs from the exported record's: edit spans only")
        spans, relations, notes = _parse_ann(ann, text)
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
        by_id = {q["mention"]: q for q in corrected["quantities"]}
        for t_id, note in notes.items():
            mention_id = renamed.get(t_id)
            if mention_id in by_id:
                by_id[mention_id].update({k: note.get(k) for k in QUANTITY_KEYS})
        yield corrected


def _parse_ann(ann: Path, text: str) -> tuple[list[dict], list[dict], dict[str, dict]]:
    spans, relations, notes = [], [], {}
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
                if not 0 <= start < end <= len(text) or label not in LABELS:
                    raise ValueError(f"span {start}-{end} {label!r} is outside the text or not one of ours")
                spans.append({"id": fields[0], "label": label, "start": start, "end": end})
            elif kind == "R":
                rel_type, arg1, arg2 = fields[1].split(" ")
                relations.append(
                    {"type": rel_type, "head": "m" + arg1.split(":T")[1], "tail": "m" + arg2.split(":T")[1]}
                )
            elif kind == "#":
                target = fields[1].split(" ")[1]
                try:
                    notes[target] = json.loads(fields[2])
                except json.JSONDecodeError:
                    continue  # a free-text note an annotator wrote: not ours to read
        except (IndexError, ValueError) as error:
            raise InputError(str(ann), f"cannot read this annotation: {error}", line_no) from None
    return spans, relations, notes
