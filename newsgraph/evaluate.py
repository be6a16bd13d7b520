"""Score predicted records against gold records (both JSONL in the record format).

- entities: exact span and label, P/R/F1 per label and micro overall;
- quantities: a quantity is right when its span and every attribute are right (F1),
  and per attribute, the share right among quantities whose span was found;
- officials: (person name, title, organisation) triples, P/R/F1;
- events: an event matches when type agrees and triggers overlap (one-to-one, in text
  order); arguments are scored per role within matched events; a mention's link is
  right when its event is the match of its gold event (or both are none);
- relations: (type, head span, tail span or tail name), P/R/F1.
Records are matched by `id` and must hold the same `text` (else offsets would be
compared across different texts): a gold record with no prediction, or with a
prediction of another text, counts as all missed; a predicted record that gold does not
have counts as all spurious. Both are listed in `records`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from newsgraph import jsonl
from newsgraph.errors import InputError
from newsgraph.inputs import decode, read_bytes
from newsgraph.jsonl import JsonProblem
from newsgraph.record_check import record_problem

QUANTITY_ATTRIBUTES = ("value", "unit", "approx", "comparator", "low", "high", "object")
EVENT_ROLES = ("date", "places", "participants", "quantities")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: Iterable[Hashable], pred: Iterable[Hashable]) -> None:
        g, p = set(gold), set(pred)
        self.tp += len(g & p)
        self.fp += len(p - g)
        self.fn += len(g - p)

    @classmethod
    def sum(cls, scores: Iterable[Score]) -> Score:
        """The micro total of several scores."""
        total = cls()
        for score in scores:
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
        return total

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.tp + self.fn,
        }


def load_records(path: Path, errors: list[InputError] | None = None) -> dict[str, dict[str, Any]]:
    """Records by id; a bad line, a repeated id or a dangling mention reference is an
    InputError naming the line. With an `errors` list, each bad line goes there instead and
    the other lines are read (a batch costs only its bad lines)."""
    return parse_records(decode(str(path), read_bytes(path)), str(path), errors)


def parse_records(text: str, path: str, errors: list[InputError] | None = None) -> dict[str, dict[str, Any]]:
    """`load_records` on the text of a record file (`path` names it in errors)."""
    records: dict[str, dict[str, Any]] = {}
    for lineno, record in jsonl.values(text):
        try:
            if isinstance(record, JsonProblem):
                raise InputError(path, str(record), lineno)
            record_id = _checked_record(path, lineno, record, records)
        except InputError as error:
            if errors is None:
                raise
            errors.append(error)
            continue
        records[record_id] = record
    return records


def _checked_record(path: str, lineno: int, record: Any, records: dict[str, Any]) -> str:
    if not isinstance(record, dict) or not isinstance(record.get("id"), str) or "text" not in record:
        raise InputError(path, 'not a record (needs "id" and "text")', lineno)
    rid = record["id"]
    if "entities" not in record:
        problem = 'an article, not a record (it has no "entities"): annotate it first, newsgraph annotate FILE -o OUT'
        raise InputError(path, problem, lineno, rid)
    if rid in records:
        raise InputError(path, f"duplicate record id {rid!r}", lineno, rid)
    problem = record_problem(record)
    if problem:
        where = problem.removeprefix("record: ").removeprefix("record.")
        raise InputError(path, f"record {rid!r}: {where}", lineno, rid)
    return rid


def _json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, value) of each non-blank line; a line that is no JSON is an InputError."""
    for lineno, value in jsonl.values(decode(str(path), read_bytes(path))):
        if isinstance(value, JsonProblem):
            raise InputError(str(path), str(value), lineno)
        yield lineno, value


def _mentions(record: dict[str, Any]) -> dict[str, tuple[int, int, str]]:
    return {m["id"]: (m["start"], m["end"], m["label"]) for m in record.get("entities", [])}


def _norm_value(v: Any) -> Any:
    """Numbers compare by value to 9 decimals (103 == 103.0), everything else as is."""
    return round(float(v), 9) if isinstance(v, int | float) and not isinstance(v, bool) else v


# ---------------------------------------------------------------- parts


def _score_entities(pairs: list[tuple[str, dict, dict]]) -> dict[str, Score]:
    by_label: dict[str, Score] = defaultdict(Score)
    overall = Score()
    for rid, gold, pred in pairs:
        g = {(rid, e["start"], e["end"], e["label"]) for e in gold.get("entities", [])}
        p = {(rid, e["start"], e["end"], e["label"]) for e in pred.get("entities", [])}
        for label in {x[3] for x in g | p}:
            by_label[label].add((x for x in g if x[3] == label), (x for x in p if x[3] == label))
        overall.add(g, p)
    return {**dict(sorted(by_label.items())), "ALL": overall}


def _quantity_table(record: dict[str, Any]) -> dict[tuple[int, int], dict[str, Any]]:
    mentions = _mentions(record)
    table = {}
    for q in record.get("quantities", []):
        span = mentions.get(q.get("mention"))
        if span:
            table[span[:2]] = q
    return table


def _quantity_key(rid: str, span: tuple[int, int], q: dict[str, Any]) -> tuple:
    return (rid, *span, *(_norm_value(q.get(a)) for a in QUANTITY_ATTRIBUTES))


def _score_quantities(pairs: list[tuple[str, dict, dict]]) -> dict[str, Any]:
    full = Score()
    right: dict[str, int] = dict.fromkeys(QUANTITY_ATTRIBUTES, 0)
    matched = 0
    for rid, gold, pred in pairs:
        g, p = _quantity_table(gold), _quantity_table(pred)

        full.add((_quantity_key(rid, s, q) for s, q in g.items()), (_quantity_key(rid, s, q) for s, q in p.items()))
        for span, gq in g.items():
            if span in p:
                matched += 1
                for attr in QUANTITY_ATTRIBUTES:
                    right[attr] += _norm_value(gq.get(attr)) == _norm_value(p[span].get(attr))
    accuracy = {a: round(right[a] / matched, 4) if matched else 0.0 for a in QUANTITY_ATTRIBUTES}
    return {"all_attributes": full.to_dict(), "span_matched": matched, "attribute_accuracy": accuracy}


def _official_triples(rid: str, record: dict[str, Any]) -> set[tuple]:
    triples = set()
    for official in record.get("officials", []):
        for title in official.get("titles", []):
            triples.add((rid, official.get("name"), title.get("title"), title.get("org")))
    return triples


def _trigger_span(event: dict[str, Any], text: str) -> tuple[int, int]:
    """The trigger's offsets, or where its text first stands inside the event's report."""
    if "trigger_start" in event:
        return event["trigger_start"], event["trigger_end"]
    start, end, trigger = event.get("start", 0), event.get("end", 0), event.get("trigger") or ""
    found = text.find(trigger, start, end) if trigger else -1
    return (found, found + len(trigger)) if found >= 0 else (start, start)


def _align_events(gold: list[dict], pred: list[dict], text: str) -> dict[str, str]:
    """Gold event id → predicted event id: same type, overlapping triggers, one-to-one."""
    taken: set[str] = set()
    alignment: dict[str, str] = {}
    by_span = itemgetter(0)  # sort on spans only: spans may tie, events do not compare
    pred_spans = sorted(((_trigger_span(p, text), p) for p in pred), key=by_span)
    for (gs, ge), g in sorted(((_trigger_span(g, text), g) for g in gold), key=by_span):
        for (ps, pe), p in pred_spans:
            if p["id"] not in taken and p.get("type") == g.get("type") and ps < ge and gs < pe:
                alignment[g["id"]] = p["id"]
                taken.add(p["id"])
                break
    return alignment


def _event_args(event: dict[str, Any], mentions: dict[str, tuple[int, int, str]], role: str) -> set[tuple]:
    value = event.get(role)
    ids = [value] if isinstance(value, str) else list(value or [])
    return {mentions[i][:2] for i in ids if i in mentions}


def _score_events(pairs: list[tuple[str, dict, dict]]) -> dict[str, Any]:
    events = Score()
    roles: dict[str, Score] = {role: Score() for role in EVENT_ROLES}
    args_all = Score()
    links_right = links_total = 0
    for _rid, gold, pred in pairs:
        g_events, p_events = gold.get("events", []), pred.get("events", [])
        alignment = _align_events(g_events, p_events, gold.get("text") or pred.get("text", ""))
        events.tp += len(alignment)
        events.fn += len(g_events) - len(alignment)
        events.fp += len(p_events) - len(alignment)
        g_m, p_m = _mentions(gold), _mentions(pred)
        p_by_id = {e["id"]: e for e in p_events}
        aligned_pred = set(alignment.values())
        for role in EVENT_ROLES:
            for g in g_events:
                p = p_by_id.get(alignment.get(g["id"], ""))
                g_args = {(g["id"], *a) for a in _event_args(g, g_m, role)}
                p_args = {(g["id"], *a) for a in _event_args(p, p_m, role)} if p else set()
                roles[role].add(g_args, p_args)
                args_all.add(g_args, p_args)
            for p in p_events:
                if p["id"] not in aligned_pred:
                    extra = len(_event_args(p, p_m, role))
                    roles[role].fp += extra
                    args_all.fp += extra
        pred_spans = {(e["start"], e["end"], e["label"]): e for e in pred.get("entities", [])}
        for mention in gold.get("entities", []):
            found = pred_spans.get((mention["start"], mention["end"], mention["label"]))
            if found is None:
                continue
            links_total += 1
            gold_event = mention.get("event_id")
            expected = alignment.get(gold_event) if gold_event else None
            links_right += (gold_event is None and found.get("event_id") is None) or (
                expected is not None and found.get("event_id") == expected
            )
    return {
        "events": events.to_dict(),
        "arguments": args_all.to_dict(),
        "roles": {role: s.to_dict() for role, s in roles.items()},
        "links": {
            "accuracy": round(links_right / links_total, 4) if links_total else 0.0,
            "right": links_right,
            "mentions_found": links_total,
        },
    }


def _relation_tuples(rid: str, record: dict[str, Any]) -> set[tuple]:
    mentions = _mentions(record)
    out = set()
    for rel in record.get("relations", []):
        head = mentions.get(rel.get("head"))
        tail = mentions.get(rel.get("tail")) if rel.get("tail") else rel.get("tail_name")
        if head and tail:
            out.add((rid, rel.get("type"), head, tail))
    return out


def evaluate(gold: dict[str, dict[str, Any]], pred: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """All scores of `pred` against `gold`, as plain data."""
    missing = sorted(set(gold) - set(pred))
    mismatch = sorted(rid for rid in set(gold) & set(pred) if gold[rid]["text"] != pred[rid]["text"])
    pairs = [(rid, g, pred[rid] if rid in pred and rid not in mismatch else {}) for rid, g in gold.items()]
    pairs += [(rid, {}, p) for rid, p in pred.items() if rid not in gold]
    officials, relations = Score(), Score()
    for rid, g, p in pairs:
        officials.add(_official_triples(rid, g), _official_triples(rid, p))
        relations.add(_relation_tuples(rid, g), _relation_tuples(rid, p))
    return {
        "records": {
            "gold": len(gold),
            "predicted": len(pred),
            "missing": missing,
            "text_mismatch": mismatch,
            "extra": sorted(set(pred) - set(gold)),
        },
        "entities": {label: s.to_dict() for label, s in _score_entities(pairs).items()},
        "quantities": _score_quantities(pairs),
        "officials": officials.to_dict(),
        **_score_events(pairs),
        "relations": relations.to_dict(),
    }


def load_event_cases(path: Path) -> list[dict[str, Any]]:
    """Hand-written event cases, one a line (`{"id", "text", "events"}`, arguments by surface);
    a bad line is an InputError naming the line: no id or text, an event that is no object, a
    role that is no list of strings, a surface its text does not hold, or triggers out of order."""
    cases, ids = [], set()
    for lineno, case in _json_lines(path):
        problem = _case_problem(case, ids)
        if problem:
            raise InputError(str(path), problem, lineno)
        ids.add(case["id"])
        cases.append(case)
    return cases


def _case_problem(case: Any, ids: set[str]) -> str | None:
    if not isinstance(case, dict) or not isinstance(case.get("id"), str) or not isinstance(case.get("text"), str):
        return 'not a case (needs "id", "text" and "events")'
    if not case["id"].strip() or not case["text"].strip():
        return "a case needs a non-empty id and text"
    if case["id"] in ids or not isinstance(case.get("events"), list):
        return f"case {case['id']!r}: a repeated id, or no events list"
    for event in case["events"]:
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return f"case {case['id']!r}: each event is an object with a type"
        roles = [event.get(role) or [] for role in EVENT_ROLES[1:]]
        if not all(isinstance(r, list) and all(isinstance(v, str) for v in r) for r in roles):
            return f"case {case['id']!r}: places, participants and quantities are lists of strings"
        surfaces = [event.get("trigger"), event.get("date"), *(v for r in roles for v in r)]
        missing = [v for v in surfaces if v is not None and (not isinstance(v, str) or v not in case["text"])]
        if not isinstance(event.get("trigger"), str) or missing:
            return (
                f"case {case['id']!r}: an event needs a trigger, and every surface in the text (not found: {missing})"
            )
    try:
        locate_triggers(case["text"], case["events"])
    except ValueError as err:
        return f"case {case['id']!r}: {err} (events go in text order)"
    return None


def locate_triggers(text: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events written by surface (hand-written cases) with `id`, `trigger_start` and
    `trigger_end` added: each trigger is its first occurrence after the previous one's start."""
    out, at = [], 0
    for n, event in enumerate(events, start=1):
        found = text.find(event["trigger"], at)
        if found < 0:
            raise ValueError(f"event {n}: trigger {event['trigger']!r} is not in the text after offset {at}")
        out.append({**event, "id": f"g{n}", "trigger_start": found, "trigger_end": found + len(event["trigger"])})
        at = found + 1
    return out


def _surfaces(event: dict[str, Any], role: str, texts: dict[str, str] | None) -> set[str]:
    value = event.get(role)
    values = [value] if isinstance(value, str) else list(value or [])
    return {texts.get(v, v) for v in values} if texts is not None else set(values)


def score_event_cases(cases: list[dict[str, Any]], records: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Hand-written cases (`{"id", "text", "events": [{"type", "trigger", "date", "places",
    "participants", "quantities"}]}`, arguments by surface) against predicted records: event
    F1 (type + overlapping trigger, one-to-one), and argument F1 per role on matched events,
    comparing the sets of surfaces (a place named twice counts once). `cases` gives each case's
    misses under `failures`."""
    events = Score()
    roles = {role: Score() for role in EVENT_ROLES}
    failures: dict[str, list[str]] = {}
    for case in cases:
        record = records.get(case["id"], {})
        text = record.get("text", case["text"])  # normalised: 学党史 悟思想 loses its space
        try:
            gold = locate_triggers(text, case["events"])
        except ValueError as err:
            raise ValueError(f"case {case['id']!r}, in its normalised text: {err}") from None
        pred = record.get("events", [])
        alignment = _align_events(gold, pred, text)
        texts = {m["id"]: m["text"] for m in record.get("entities", [])}
        by_id = {e["id"]: e for e in pred}
        notes = [f"missed {g['type']} {g['trigger']}" for g in gold if g["id"] not in alignment]
        notes += [f"spurious {p['type']} {p['trigger']}" for p in pred if p["id"] not in alignment.values()]
        events.tp += len(alignment)
        events.fn += len(gold) - len(alignment)
        events.fp += len(pred) - len(alignment)
        for g in gold:
            p = by_id.get(alignment.get(g["id"], ""))
            for role in EVENT_ROLES:
                want, got = _surfaces(g, role, None), _surfaces(p, role, texts) if p else set()
                roles[role].add(want, got)
                if p and want != got:
                    notes.append(f"{g['trigger']} {role}: missed {sorted(want - got)}, spurious {sorted(got - want)}")
        for p in pred:
            if p["id"] not in alignment.values():
                for role in EVENT_ROLES:
                    roles[role].fp += len(_surfaces(p, role, texts))
        if notes:
            failures[case["id"]] = notes
    arguments = Score.sum(roles.values())
    return {
        "cases": len(cases),
        "events": events.to_dict(),
        "arguments": arguments.to_dict(),
        "roles": {role: s.to_dict() for role, s in roles.items()},
        "failures": failures,
    }
