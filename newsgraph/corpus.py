"""The in-domain gold corpus: People's Daily articles by reference, annotations as standoff.

People's Daily holds the copyright of its text, so the repository never holds it. It holds:

- `corpus/indomain/articles.jsonl`: the selection, one line an article: `id`, `sha1` of the
  text as `source_article` builds it, `split` (train, dev or test, fixed by crc32 of the id)
  and `chars`;
- `corpus/indomain/annotations.jsonl`: the gold records without their `text` (and without
  `source`, which the loader rebuilds), keyed by `id` and `sha1`; offsets count characters of
  the built text, and mention surfaces are kept so that a reader can check them.

The loader joins the two to the source file (`../shared/corpora/peoples_daily_2019_2020/
articles.jsonl`): an article missing there, a text whose hash differs, or offsets that run
past the text are one error naming the file, line and article, and the others still load.

    python -m newsgraph.corpus check [ANNOTATIONS]     the guideline's checks on every record
    python -m newsgraph.corpus stats [ANNOTATIONS]     articles, mentions, events per split
    python -m newsgraph.corpus changes ANNOTATOR [GOLD] what adjudication changed
"""

from __future__ import annotations

import hashlib
import itertools
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph import jsonl
from newsgraph.errors import InputError
from newsgraph.gold import EDGE_CHARS
from newsgraph.inputs import decode, jsonl_article, read_bytes
from newsgraph.jsonl import JsonProblem
from newsgraph.paths import CORPUS, SHARED_CORPORA
from newsgraph.record_check import record_problem
from newsgraph.records import ArticleInput, empty_record

INDOMAIN = CORPUS / "indomain"
INDEX = INDOMAIN / "articles.jsonl"
ANNOTATIONS = INDOMAIN / "annotations.jsonl"
SOURCE = SHARED_CORPORA / "peoples_daily_2019_2020" / "articles.jsonl"
SPLITS = ("train", "dev", "test")
EVENT_ROLE_LISTS = ("places", "participants", "quantities")
STANDOFF_DROPPED = ("text", "source")  # rebuilt by the loader from the source article


def split_of(article_id: str) -> str:
    """train (70%), dev (15%) or test (15%), fixed by the id alone: no choice moves an article."""
    bucket = zlib.crc32(article_id.encode("utf-8")) % 100
    return "train" if bucket < 70 else "dev" if bucket < 85 else "test"


def text_sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def source_article(obj: dict[str, Any], path: str, line: int) -> ArticleInput:
    """A source line → the article as the corpus annotates it: its title as the headline line,
    then its text, normalised as every article input is; its date as an ISO day."""
    fields = {"id": obj.get("id"), "title": obj.get("title") or None, "text": obj.get("text"), "date": obj.get("date")}
    return jsonl_article({k: v for k, v in fields.items() if v is not None}, path, line, f"line{line}")


@dataclass(frozen=True)
class IndexEntry:
    id: str
    sha1: str
    split: str
    chars: int


def read_index(path: Path = INDEX) -> dict[str, IndexEntry]:
    """The selection by id; a line that is no entry is an InputError naming it."""
    entries: dict[str, IndexEntry] = {}
    for lineno, obj in jsonl.values(decode(str(path), read_bytes(path))):
        if isinstance(obj, JsonProblem):
            raise InputError(str(path), str(obj), lineno)
        try:
            entry = IndexEntry(str(obj["id"]), str(obj["sha1"]), str(obj["split"]), int(obj["chars"]))
        except (TypeError, KeyError, ValueError):
            raise InputError(str(path), 'an entry is {"id", "sha1", "split", "chars"}', lineno) from None
        if entry.split not in SPLITS or entry.split != split_of(entry.id) or entry.id in entries:
            raise InputError(str(path), f"{entry.id}: a repeated id, or a split that is not crc32's", lineno)
        entries[entry.id] = entry
    return entries


def load_sources(
    wanted: Iterable[str], source: Path = SOURCE, errors: list[InputError] | None = None
) -> dict[str, ArticleInput]:
    """The source articles of the ids `wanted`, built as the corpus annotates them. An id the
    source lacks is an error (raised, or listed in `errors` with the others still loaded)."""
    wanted = set(wanted)
    found: dict[str, ArticleInput] = {}
    for lineno, obj in jsonl.values(decode(str(source), read_bytes(source))):
        if isinstance(obj, dict) and obj.get("id") in wanted:
            try:
                found[obj["id"]] = source_article(obj, str(source), lineno)
            except InputError as error:
                _keep_or_raise(error, errors)
    for missing in sorted(wanted - set(found)):
        _keep_or_raise(InputError(str(source), f"article {missing!r} is not in the source", None, missing), errors)
    return found


def _keep_or_raise(error: InputError, errors: list[InputError] | None) -> None:
    if errors is None:
        raise error
    errors.append(error)


LONG_RUN = 24  # a string this long taken from the text is kept as its hash: no run of 25 enters the repository


def to_standoff(record: dict[str, Any]) -> dict[str, Any]:
    """A gold record as the repository keeps it: without its text, with the text's sha1. A
    surface, name or title of LONG_RUN characters or more that the text holds is kept as
    `{"text_sha1", "chars"}` (the loader finds it again), so no long run of the text is kept."""
    text = record["text"]

    def hide(value: Any) -> Any:
        if isinstance(value, str) and len(value) >= LONG_RUN and value in text:
            return {"text_sha1": text_sha1(value), "chars": len(value)}
        if isinstance(value, list):
            return [hide(v) for v in value]
        if isinstance(value, dict):
            return {k: hide(v) for k, v in value.items()}
        return value

    out = {"id": record["id"], "sha1": text_sha1(text)}
    out.update({k: hide(v) for k, v in record.items() if k not in STANDOFF_DROPPED and k != "id"})
    return out


def from_standoff(standoff: dict[str, Any], article: ArticleInput) -> dict[str, Any]:
    """The full record: the source article's text (and source) with the standoff's annotations,
    long strings found again in the text by their hash."""
    text = article.text.text
    found: dict[tuple[str, int], str | None] = {}

    def run_of(digest: str, chars: int) -> str | None:
        if (digest, chars) not in found:
            runs = (text[i : i + chars] for i in range(len(text) - chars + 1))
            found[digest, chars] = next((r for r in runs if text_sha1(r) == digest), None)
        return found[digest, chars]

    def show(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"text_sha1", "chars"} and isinstance(value["chars"], int):
            shown = run_of(str(value["text_sha1"]), value["chars"])
            return value if shown is None else shown  # not found: the record check names it
        if isinstance(value, list):
            return [show(v) for v in value]
        if isinstance(value, dict):
            return {k: show(v) for k, v in value.items()}
        return value

    record = empty_record(article)
    record.update({k: show(v) for k, v in standoff.items() if k != "sha1"})
    record["text"] = text
    record["source"] = empty_record(article)["source"]
    return record


def load_annotations(
    path: Path = ANNOTATIONS,
    source: Path = SOURCE,
    errors: list[InputError] | None = None,
    split: str | None = None,
) -> list[dict[str, Any]]:
    """Gold records of the corpus (of one split, if given): each annotation line joined to its
    source article. A line whose article is missing, whose text's hash differs or whose record
    is malformed (offsets past the text, a mention surface that is not the text there …) is
    one InputError naming file, line and article; with `errors` the others still load."""
    lines: list[tuple[int, dict[str, Any]]] = []
    for lineno, obj in jsonl.values(decode(str(path), read_bytes(path))):
        if isinstance(obj, JsonProblem) or not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            problem = str(obj) if isinstance(obj, JsonProblem) else 'an annotation is an object with an "id"'
            _keep_or_raise(InputError(str(path), problem, lineno), errors)
            continue
        if split is None or split_of(obj["id"]) == split:
            lines.append((lineno, obj))
    sources = load_sources((obj["id"] for _, obj in lines), source, errors)
    records = []
    for lineno, obj in lines:
        rid = obj["id"]
        article = sources.get(rid)
        if article is None:
            continue  # listed by load_sources
        problem = None
        if obj.get("sha1") != text_sha1(article.text.text):
            problem = "the source's text has another sha1 than the one annotated: the offsets would not hold"
        else:
            record = from_standoff(obj, article)
            problem = record_problem(record)
        if problem:
            _keep_or_raise(InputError(str(path), f"article {rid!r}: {problem}", lineno, rid), errors)
            continue
        records.append(record)
    return records


def iter_source(source: Path = SOURCE) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, object) of each article of the source file."""
    for lineno, obj in jsonl.values(decode(str(source), read_bytes(source))):
        if isinstance(obj, dict):
            yield lineno, obj


def dumps_line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- the guideline's checks

_EDGE = EDGE_CHARS | set("\t　『』【】[]")  # what a spec refuses at a span's edge, and more brackets
LEVEL_ENDS = ("省", "市", "区", "县", "旗", "盟", "州", "镇", "乡", "街道", "社区", "村")
NO_NAMES = (
    *("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "街道办事处", "城区"),
    *("工业园区", "经济开发区", "开发区", "高新区", "新区", "园区"),  # generic: the lexicon lists streets so
)
COMMUNITY_ENDS = ("社区", "村", "居委会", "居民区")
UPPER_ENDS = ("省", "市", "壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "区", "县")


@dataclass(frozen=True)
class Divisions:
    """Names of China's divisions down to the township, with short forms (江苏 for 江苏省)."""

    upper: frozenset[str]  # provinces, cities, counties and districts, full and short
    townships: frozenset[str]  # streets, towns and townships, full names

    def chain(self, span: str) -> list[str] | None:
        """The division names `span` is written as, larger first, when it is two or more of
        them (江苏南京江宁区 → 江苏 南京 江宁区): a chain docs/ANNOTATION.md splits."""
        if span in self.upper or span in self.townships:
            return None  # one division's own name (苏州工业园区), however it reads
        return self._chain(span, first=True)

    def _chain(self, rest: str, first: bool) -> list[str] | None:
        if not first and (rest in self.upper or rest in self.townships):
            return [rest] if rest.endswith(LEVEL_ENDS) else None  # a chain ends in a level: 平遥古城 is none
        for cut in range(len(rest) - 1, 1, -1):
            head, tail = rest[:cut], rest[cut:]
            if head in self.upper:
                found = self._chain(tail, first=False)
                if found:
                    return [head, *found]
            elif head in self.townships and len(tail) >= 4 and tail.endswith(COMMUNITY_ENDS):
                return [head, tail]
        return None


def divisions(folder: Path | None = None) -> Divisions:
    """The divisions from ../shared/lexicons/china-division (provinces to streets)."""
    import csv

    folder = folder or SHARED_CORPORA.parent / "lexicons" / "china-division"
    upper: set[str] = set()
    townships: set[str] = set()
    for name, into in (("provinces", upper), ("cities", upper), ("areas", upper), ("streets", townships)):
        with (folder / f"{name}.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                full = row["name"]
                if full in NO_NAMES or full in LEVEL_ENDS or len(full) < 2:
                    continue  # placeholders and bare level words (a street listed as 街道) name no place
                into.add(full)
                if into is upper:
                    for end in UPPER_ENDS:
                        short = full.removesuffix(end)
                        if short != full and len(short) >= 2:
                            upper.add(short)
                            break
    return Divisions(frozenset(upper), frozenset(townships))


def guideline_problems(record: dict[str, Any], places: Divisions | None = None) -> list[str]:
    """What docs/ANNOTATION.md forbids in a gold record, each as `WHERE: PROBLEM`: a malformed
    record, spans with punctuation or space at an edge or cutting a Latin word or number in
    two, overlapping spans, unsplit chains of administrative places, a QUANTITY without its
    attributes, an event whose trigger or roles lie outside its report."""
    problem = record_problem(record)
    if problem:
        return [problem]
    text = record["text"]
    out = []
    ents = sorted(record["entities"], key=lambda m: (m["start"], m["end"]))
    for m in ents:
        where = f"{m['id']} {m['label']} {m['text']!r}"
        if m["text"][0] in _EDGE or m["text"][-1] in _EDGE:
            out.append(f"{where}: punctuation or space at an edge")
        before = text[m["start"] - 1] if m["start"] else ""
        after = text[m["end"]] if m["end"] < len(text) else ""
        if (before.isascii() and before.isalnum() and m["text"][0].isascii() and m["text"][0].isalnum()) or (
            after.isascii() and after.isalnum() and m["text"][-1].isascii() and m["text"][-1].isalnum()
        ):
            out.append(f"{where}: cuts a number or Latin word in two")
        if places is not None and m["label"] == "PLACE":
            chain = places.chain(m["text"])
            if chain:
                out.append(f"{where}: a chain of places, to split: {' | '.join(chain)}")
    for a, b in itertools.pairwise(ents):
        if b["start"] < a["end"]:
            out.append(f"{a['id']} {a['text']!r} and {b['id']} {b['text']!r} overlap")
    quantities = {q["mention"]: q for q in record.get("quantities", [])}
    for m in ents:
        if m["label"] == "QUANTITY":
            q = quantities.get(m["id"])
            if q is None or all(q.get(k) is None for k in ("value", "low", "high")) or "object" not in q:
                out.append(f"{m['id']} QUANTITY {m['text']!r}: no attributes (value or range, unit, object)")
    by_id = {m["id"]: m for m in ents}
    for event in record.get("events", []):
        where = f"{event['id']} {event['type']} {event['trigger']!r}"
        start, end = event["start"], event["end"]
        if not (start <= event.get("trigger_start", start) and event.get("trigger_end", end) <= end):
            out.append(f"{where}: the trigger lies outside the report")
        roles = ("places", "participants", "quantities")
        refs = [event.get("date"), *(ref for role in roles for ref in event.get(role, []))]
        for ref in refs:
            if ref is not None and not (start <= by_id[ref]["start"] and by_id[ref]["end"] <= end):
                out.append(f"{where}: role {by_id[ref]['text']!r} lies outside the report")
    return out


def spec_record(spec: dict[str, Any], source: Path = SOURCE) -> dict[str, Any]:
    """The gold record an annotator's spec gives (newsgraph/gold.py's spec of one article,
    with its `id`), against the source article's text."""
    from newsgraph.gold import build_record

    article = load_sources([spec["id"]], source)[spec["id"]]
    return build_record(article, spec)


def agreement(first: Path, second: Path, source: Path = SOURCE) -> dict[str, Any]:
    """How far two annotators agree on the articles both annotated (two annotation files, as
    standoff): F1 of one against the other (the same either way round), per entity label, for
    events (type and trigger), their roles, quantities with every attribute, officials and
    *located in*; over all those articles, and per split under `by_split`."""
    a = {r["id"]: r for r in load_annotations(first, source)}
    b = {r["id"]: r for r in load_annotations(second, source)}
    both = sorted(set(a) & set(b))
    figures = _agreement_of({i: a[i] for i in both}, {i: b[i] for i in both})
    splits = sorted({split_of(i) for i in both}, key=SPLITS.index)
    figures["by_split"] = {
        split: _agreement_of(
            {i: a[i] for i in both if split_of(i) == split}, {i: b[i] for i in both if split_of(i) == split}
        )
        for split in splits
    }
    return figures


def _agreement_of(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from newsgraph.evaluate import evaluate

    scores = evaluate(a, b)
    f1 = {label: round(s["f1"], 4) for label, s in scores["entities"].items()}
    return {
        "articles": sorted(a),
        "entities_f1": f1.pop("ALL", 0.0),
        "entities_f1_by_label": f1,
        "entity_mentions": [sum(len(r["entities"]) for r in x.values()) for x in (a, b)],
        "events_f1": round(scores["events"]["f1"], 4),
        "events": [sum(len(r["events"]) for r in x.values()) for x in (a, b)],
        "event_roles_f1": round(scores["arguments"]["f1"], 4),
        "quantities_all_attributes_f1": round(scores["quantities"]["all_attributes"]["f1"], 4),
        "officials_f1": round(scores["officials"]["f1"], 4),
        "located_in_f1": round(scores["relations"]["f1"], 4),
    }


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _entity_changes(before: list[dict], after: list[dict], counts: dict[str, dict[str, int]]) -> None:
    """Classify one article's mentions: kept (same span and label), relabelled (same span),
    respanned (same label, overlapping another span), added (nothing overlapped it before),
    removed (nothing overlaps it after); counted per label of the mention after (before for
    removed)."""
    spans_before = {(m["start"], m["end"]): m["label"] for m in before}
    for m in after:
        span, label = (m["start"], m["end"]), m["label"]
        if spans_before.get(span) == label:
            kind = "kept"
        elif span in spans_before:
            kind = "relabelled"
        elif any(_overlaps(span, s) and lab == label for s, lab in spans_before.items()):
            kind = "respanned"
        elif any(_overlaps(span, s) for s in spans_before):
            kind = "relabelled_and_respanned"
        else:
            kind = "added"
        counts[label][kind] += 1
    for m in before:
        if not any(_overlaps((m["start"], m["end"]), (a["start"], a["end"])) for a in after):
            counts[m["label"]]["removed"] += 1


def changes(before_path: Path, after_path: Path, source: Path = SOURCE) -> dict[str, Any]:
    """What adjudication changed: one annotator's file against the gold, on the articles both
    hold. Mentions by kind of change and label; events kept (same type, overlapping trigger),
    retyped (overlapping trigger, another type), added, removed; roles of kept events added
    and removed."""
    from collections import Counter, defaultdict

    from newsgraph.evaluate import EVENT_ROLES, _align_events, _event_args, _mentions, _trigger_span

    before = {r["id"]: r for r in load_annotations(before_path, source)}
    after = {r["id"]: r for r in load_annotations(after_path, source)}
    both = sorted(set(before) & set(after))
    entity_counts: dict[str, dict[str, int]] = defaultdict(Counter)
    events: Counter[str] = Counter(dict.fromkeys(("added", "kept", "removed", "retyped"), 0))
    event_types: Counter[str] = Counter()
    roles: dict[str, dict[str, int]] = defaultdict(Counter)
    for rid in both:
        b, a = before[rid], after[rid]
        _entity_changes(b["entities"], a["entities"], entity_counts)
        text = a["text"]
        alignment = _align_events(a["events"], b["events"], text)
        by_id = {e["id"]: e for e in b["events"]}
        unmatched = [by_id[i] for i in set(by_id) - set(alignment.values())]
        events["kept"] += len(alignment)
        for event in a["events"]:
            if event["id"] in alignment:
                kept = by_id[alignment[event["id"]]]
                for role in EVENT_ROLES:
                    got = _event_args(event, _mentions(a), role)
                    had = _event_args(kept, _mentions(b), role)
                    roles[role]["kept"] += len(got & had)
                    roles[role]["added"] += len(got - had)
                    roles[role]["removed"] += len(had - got)
                continue
            span = _trigger_span(event, text)
            other = next((e for e in unmatched if _overlaps(span, _trigger_span(e, text))), None)
            if other is not None:
                unmatched.remove(other)
                events["retyped"] += 1
                event_types[f"{other['type']} → {event['type']}"] += 1
            else:
                events["added"] += 1
                event_types[f"added {event['type']}"] += 1
        events["removed"] += len(unmatched)
        event_types.update(f"removed {e['type']}" for e in unmatched)
    return {
        "articles": len(both),
        "entities": {label: dict(sorted(c.items())) for label, c in sorted(entity_counts.items())},
        "events": dict(sorted(events.items())),
        "event_type_changes": dict(event_types.most_common(12)),
        "roles": {role: dict(sorted(c.items())) for role, c in roles.items()},
    }


def stats(path: Path = ANNOTATIONS, source: Path = SOURCE) -> dict[str, dict[str, int]]:
    """Articles, characters, mentions and events of an annotations file, per split and in all."""
    table = {name: {"articles": 0, "chars": 0, "mentions": 0, "events": 0} for name in (*SPLITS, "all")}
    for record in load_annotations(path, source):
        for name in (split_of(record["id"]), "all"):
            row = table[name]
            row["articles"] += 1
            row["chars"] += len(record["text"])
            row["mentions"] += len(record["entities"])
            row["events"] += len(record["events"])
    return table


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    from newsgraph.gold import SpecError, build_record

    parser = argparse.ArgumentParser(prog="python -m newsgraph.corpus", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="the guideline's checks on every record of an annotations file")
    check.add_argument("annotations", type=Path, nargs="?", default=ANNOTATIONS)
    spec = sub.add_parser("spec", help="build and check annotators' spec files (ID.spec.json)")
    spec.add_argument("specs", type=Path, nargs="+")
    spec.add_argument("--add", type=Path, help="put the records, as standoff, into this annotations file")
    agree = sub.add_parser("agreement", help="agreement of two annotators' annotation files, before adjudication")
    agree.add_argument("first", type=Path)
    agree.add_argument("second", type=Path)
    agree.add_argument("-o", "--output", type=Path, help="write the figures here (JSON)")
    change = sub.add_parser("changes", help="what adjudication changed: an annotator's file against the gold")
    change.add_argument("annotator", type=Path)
    change.add_argument("gold", type=Path, nargs="?", default=ANNOTATIONS)
    count = sub.add_parser("stats", help="articles, characters, mentions and events per split")
    count.add_argument("annotations", type=Path, nargs="?", default=ANNOTATIONS)
    pre = sub.add_parser("prespec", help="the pipeline's output as specs, for correctors of train articles")
    pre.add_argument("ids", nargs="+")
    pre.add_argument("-o", "--output", type=Path, required=True, help="folder for ID.spec.json")
    args = parser.parse_args(argv)
    if args.command == "prespec":
        from newsgraph.annotate import annotate
        from newsgraph.pipeline import load_pipeline

        if any(split_of(i) != "train" for i in args.ids):
            problem = "prespec is for train articles only: dev and test are annotated from the raw text"
            print(f"error: {problem}", file=sys.stderr)
            return 1
        articles = load_sources(args.ids)
        args.output.mkdir(parents=True, exist_ok=True)
        for record in annotate(load_pipeline(), [articles[i] for i in args.ids]):
            spec_text = json.dumps(record_spec(record), ensure_ascii=False, indent=1)
            (args.output / f"{record['id']}.spec.json").write_text(spec_text + "\n", encoding="utf-8")
        print(f"{len(args.ids)} spec(s) → {args.output}", file=sys.stderr)
        return 0
    if args.command in ("changes", "stats"):
        figures = changes(args.annotator, args.gold) if args.command == "changes" else stats(args.annotations)
        print(json.dumps(figures, ensure_ascii=False, indent=1))
        return 0
    if args.command == "agreement":
        figures = agreement(args.first, args.second)
        text = json.dumps(figures, ensure_ascii=False, indent=1)
        if args.output:
            args.output.write_text(text + "\n", encoding="utf-8")
        print(text)
        return 0
    places = divisions()
    failed = 0
    if args.command == "check":
        errors: list[InputError] = []
        records = load_annotations(args.annotations, errors=errors)
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        for record in records:
            for problem in guideline_problems(record, places):
                print(f"{args.annotations}: {record['id']}: {problem}")
                failed += 1
        print(f"{len(records)} record(s), {failed} problem(s), {len(errors)} unreadable", file=sys.stderr)
        return 1 if failed or errors else 0
    built = []
    specs: dict[Path, Any] = {}
    for path in args.specs:
        try:
            specs[path] = jsonl.parse(path.read_text(encoding="utf-8"))
        except (OSError, JsonProblem) as err:
            print(f"{path}: {type(err).__name__}: {err}")
            failed += 1
    wanted = {spec["id"] for spec in specs.values() if isinstance(spec, dict) and isinstance(spec.get("id"), str)}
    unread: list[InputError] = []
    articles = load_sources(wanted, errors=unread)  # the source file read once for every spec
    missing = {error.id: error for error in unread}
    for path, spec in specs.items():
        try:
            if not isinstance(spec, dict) or not isinstance(spec.get("id"), str):
                raise SpecError('not a spec: an object with an "id"')
            if spec["id"] not in articles:
                raise missing.get(spec["id"]) or InputError(str(SOURCE), f"article {spec['id']!r} is not in the source")
            record = build_record(articles[spec["id"]], spec)
        except (SpecError, InputError, KeyError, TypeError, ValueError) as err:
            print(f"{path}: {type(err).__name__}: {err}")
            failed += 1
            continue
        problems = guideline_problems(record, places)
        for problem in problems:
            print(f"{path}: {problem}")
        failed += bool(problems)
        built.append(record)
        print(f"{path}: {len(record['entities'])} mentions, {len(record['events'])} events", file=sys.stderr)
    if args.add and not failed:
        add_standoff(args.add, built)
    return 1 if failed else 0


def add_standoff(path: Path, records: list[dict[str, Any]]) -> None:
    """Put `records` into the annotations file at `path` as standoff: an article annotated
    again replaces its line, the others keep theirs; lines in id order; written whole."""
    from newsgraph.output import write_file

    lines: dict[str, str] = {}
    if path.exists():
        for _, obj in jsonl.values(path.read_text(encoding="utf-8")):
            if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                lines[obj["id"]] = dumps_line(obj)
    lines.update((r["id"], dumps_line(to_standoff(r))) for r in records)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, "".join(lines[i] + "\n" for i in sorted(lines)))


def score_split(nlp: Any, split: str = "dev", annotations: Path = ANNOTATIONS, source: Path = SOURCE) -> dict[str, Any]:
    """The pipeline `nlp` on one split's articles, scored against their gold (evaluate.evaluate:
    entities per label, quantities, officials, events, roles, relations and links)."""
    from newsgraph.annotate import annotate
    from newsgraph.evaluate import evaluate
    from newsgraph.resolve import resolve

    if split not in SPLITS:
        raise InputError("--split", f"unknown split {split!r}: choose from {', '.join(SPLITS)}")
    gold = {r["id"]: r for r in load_annotations(annotations, source, split=split)}
    if not gold:
        raise InputError(str(annotations), f"no {split} article is annotated yet")
    articles = load_sources(gold, source)
    predicted = {r["id"]: r for r in resolve(annotate(nlp, [articles[i] for i in sorted(gold)]))}
    return {"split": split, "articles": len(gold), **evaluate(gold, predicted)}


def record_spec(record: dict[str, Any]) -> dict[str, Any]:
    """A record as an annotator's spec (gold.py's format: mentions by surface, `surface#k` for
    the k-th of a repeated one; reports by their first and last words): the pipeline's output
    given to whoever corrects a train article. `spec_record` of it gives the record back."""
    text = record["text"]
    ents = [
        m
        for m in sorted(record["entities"], key=lambda m: m["start"])
        if m["text"] and m["text"][0] not in EDGE_CHARS and m["text"][-1] not in EDGE_CHARS  # no spec can hold it
    ]
    kept = {m["id"] for m in ents}
    counts: dict[str, int] = {}
    refs: dict[str, str] = {}
    for m in ents:
        counts[m["text"]] = counts.get(m["text"], 0) + 1
        refs[m["id"]] = f"{m['text']}#{counts[m['text']]}"
    for m in ents:
        if counts[m["text"]] == 1:
            refs[m["id"]] = m["text"]
    spec: dict[str, Any] = {"id": record["id"], "entities": []}
    cursor = 0
    for m in ents:  # the offset only where the next copy of the surface is not this mention
        found = text.find(m["text"], cursor)
        spec["entities"].append([m["label"], m["text"]] if found == m["start"] else [m["label"], m["text"], m["start"]])
        cursor = m["end"]
    spec["quantities"] = [
        {**q, "mention": refs[q["mention"]]} for q in record.get("quantities", []) if q["mention"] in kept
    ]
    for q in spec["quantities"]:
        q.pop("object_span", None)
        q.pop("short", None)
    spec["officials"] = [
        {
            "person": refs.get(o.get("person") or ""),
            "titles": [
                {"mention": refs[t["mention"]], "org": t.get("org")}
                for t in o.get("titles", [])
                if t["mention"] in kept
            ],
        }
        for o in record.get("officials", [])
    ]
    spec["officials"] = [o for o in spec["officials"] if o["titles"]]
    spec["events"] = []
    cursor = 0
    for n, event in enumerate(record.get("events", []), start=1):
        start, end = event["start"], event["end"]
        sizes = range(4, end - start + 1)  # the shortest words that the spec reader finds right here
        first = next((w for k in sizes if text.find(w := text[start : start + k], cursor) == start), "")
        last = next((w for k in sizes if text.find(w := text[end - k : end], start) == end - k), "")
        first, last = first or text[start:end], last or text[start:end]
        cursor = start + 1
        spec["events"].append(
            {
                "key": f"e{n}",
                "type": event["type"],
                "trigger": event["trigger"],
                **(
                    {}
                    if text.find(event["trigger"], start) == event["trigger_start"]
                    else {"trigger_at": event["trigger_start"]}
                ),
                "report": [first, last],
                "date": refs.get(event.get("date") or ""),
                **{role: [refs[r] for r in event.get(role, []) if r in kept] for role in EVENT_ROLE_LISTS},
            }
        )
    spec["relations"] = [
        ["located_in", refs[r["head"]], refs[r["tail"]] if "tail" in r else {"tail_name": r["tail_name"]}]
        for r in record.get("relations", [])
        if r["head"] in kept and r.get("tail", r["head"]) in kept
    ]
    return spec


if __name__ == "__main__":
    raise SystemExit(main())
