"""Label Studio: records → tasks with predictions (and a labelling config); an export → records.

Each task carries the record's text and the rest of the record (`data.record`, so nothing is
lost on the way back), and one prediction whose regions are our mentions (region id = mention
id) and whose relations are our mention-to-mention relations. Label Studio counts offsets
in UTF-16 code units (JavaScript strings); we count characters. So the two differ after any
character outside the Basic Multilingual Plane (rare CJK extensions, emoji), and both ways
convert. The import reads Label Studio's JSON export and takes each task's latest annotation
that was not cancelled. A task nobody annotated keeps the prediction, and is counted.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newsgraph.errors import InputError
from newsgraph.export.brat import LABELS, RELATIONS
from newsgraph.export.corrections import apply_corrections

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

    def to_utf16(self, i: int) -> int:
        return i + bisect_right(self.astral, i - 1)

    def from_utf16(self, u: int) -> int:
        i = u
        while self.to_utf16(i) > u:
            i -= 1
        return i


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
        if "tail" in r
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
    """Tasks as one JSON list in `out`, and the labelling config beside it (`OUT.config.xml`)."""
    tasks = [to_task(r, model_version) for r in records]
    out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    out.with_suffix(".config.xml").write_text(labelling_config(), encoding="utf-8")
    return len(tasks)


def read_label_studio(path: Path) -> Iterator[dict[str, Any]]:
    """Gold records from a Label Studio JSON export of our tasks."""
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(str(path), f"not a Label Studio JSON export: {error}") from None
    if not isinstance(tasks, list):
        raise InputError(str(path), "not a Label Studio JSON export: expected a list of tasks")
    for n, task in enumerate(tasks, start=1):
        record = (task.get("data") or {}).get("record")
        if not isinstance(record, dict) or "text" not in record:
            raise InputError(str(path), f"task {n} was not exported by newsgraph: no data.record")
        done = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
        if not done:
            yield record  # not annotated: the prediction stands
            continue
        latest = max(done, key=lambda a: (a.get("updated_at") or a.get("created_at") or "", a.get("id") or 0))
        yield from_result(record, latest.get("result", []))


def from_result(record: dict[str, Any], result: list[dict[str, Any]]) -> dict[str, Any]:
    """The record corrected by one annotation's `result` list."""
    text = record["text"]
    offsets = Utf16Offsets(text)
    spans, relations = [], []
    for item in result:
        if item.get("type") == "labels":
            value = item["value"]
            spans.append(
                {
                    "id": item.get("id"),
                    "label": value["labels"][0],
                    "start": offsets.from_utf16(value["start"]),
                    "end": offsets.from_utf16(value["end"]),
                }
            )
        elif item.get("type") == "relation":
            rel_type = (item.get("labels") or [RELATIONS[0]])[0]
            head, tail = item["from_id"], item["to_id"]
            if item.get("direction") == "left":
                head, tail = tail, head
            relations.append({"type": rel_type, "head": head, "tail": tail})
    return apply_corrections(record, spans, relations)
