"""Readers for the public NER corpora: each sentence as normalised text with character spans.

Every corpus comes out in one shape, `CharExample`: the sentence normalised as our input is
(`normalize`), entity spans mapped into it with our labels (corpora/README.md's mapping), and
`missing` spans for what the corpus marks but we have no label for (CLUENER's book, game and
movie: unknown, not `O`). Which of our labels a corpus annotates at all is `ANNOTATES`; the
converter (`ner_data.py`) makes the rest missing.

Splits are fixed and never trained on:
- MSRA: `msra_ner/dev/sentences.txt` holds 3,000 sentences drawn from `train.txt` with no
  tags; each is found again in `train.txt` (whole, as two lines joined, or inside one line),
  takes its tags from there, and every train line it came from leaves training.
- CLUENER: `crc32(index) % 10 == 0` of `train.json` is dev (10%).
- Resume: its own dev/test files.
A small `tune` split (`crc32 % 50 == 7` of the training side) picks checkpoints, so the dev
sets stay untouched until the end.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.errors import InputError
from newsgraph.normalize import normalize

LABELS = ("PERSON", "PLACE", "ORG", "TITLE")
ANNOTATES = {
    "msra": frozenset({"PERSON", "PLACE", "ORG"}),
    "cluener": frozenset({"PERSON", "PLACE", "ORG", "TITLE"}),
    "resume": frozenset({"PERSON", "PLACE", "ORG", "TITLE"}),
}
MSRA_TAGS = {"nr": "PERSON", "ns": "PLACE", "nt": "ORG"}
BIO_TAGS = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG"}
CLUENER_LABELS = {
    "name": "PERSON",
    "address": "PLACE",
    "scene": "PLACE",
    "company": "ORG",
    "government": "ORG",
    "organization": "ORG",
    "position": "TITLE",
}
CLUENER_UNKNOWN = frozenset({"book", "game", "movie"})
# Resume: EDU (degrees), PRO (fields of study) and RACE (ethnic group) are not entities of ours: O.
RESUME_LABELS = {"NAME": "PERSON", "LOC": "PLACE", "CONT": "PLACE", "ORG": "ORG", "TITLE": "TITLE"}

Span = tuple[int, int, str]


@dataclass
class CharExample:
    corpus: str
    ex_id: str
    text: str
    spans: list[Span]
    missing: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class ReadStats:
    """What a reader saw and what it had to drop (reported, never silent)."""

    sentences: Counter[str] = field(default_factory=Counter)
    spans: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)


def split_bucket(key: str, modulo: int) -> int:
    return zlib.crc32(key.encode("utf-8")) % modulo


def is_tune(key: str) -> bool:
    return split_bucket(key, 50) == 7


def make_example(
    corpus: str, ex_id: str, raw: str, spans: Iterable[Span], missing: Iterable[tuple[int, int]] = ()
) -> CharExample:
    """Normalise `raw` and carry the spans over; spans the normaliser empties are dropped."""
    mapped = normalize(raw)
    out: list[Span] = []
    for start, end, label in spans:
        a, b = mapped.target_span(start, end)
        text = mapped.text[a:b]
        while a < b and text[:1].isspace():  # a span never starts or ends on a space
            a, text = a + 1, text[1:]
        while a < b and text[-1:].isspace():
            b, text = b - 1, text[:-1]
        if b > a:
            out.append((a, b, label))
    gaps = [mapped.target_span(s, e) for s, e in missing]
    return CharExample(corpus, ex_id, mapped.text, sorted(set(out)), [g for g in gaps if g[1] > g[0]])


# --- MSRA -----------------------------------------------------------------------------


def parse_msra_line(line: str, path: str, line_no: int) -> tuple[str, list[Span]]:
    """`word/tag word/tag …` → raw text and spans (each tagged word is one entity)."""
    pieces: list[str] = []
    spans: list[Span] = []
    at = 0
    for token in line.split():
        word, slash, tag = token.rpartition("/")
        if not slash or not word:
            raise InputError(path, f"token {token!r} is not word/tag", line_no)
        tag = tag.lower()
        if tag != "o" and tag not in MSRA_TAGS:
            raise InputError(path, f"unknown tag {tag!r} in {token!r} (expected o, nr, ns, nt)", line_no)
        if tag in MSRA_TAGS:
            spans.append((at, at + len(word), MSRA_TAGS[tag]))
        pieces.append(word)
        at += len(word)
    return "".join(pieces), spans


@dataclass
class MsraSplit:
    train: list[CharExample]
    tune: list[CharExample]
    dev: list[CharExample]
    stats: ReadStats


def read_msra(train_path: Path, dev_sentences: Path) -> MsraSplit:
    """MSRA train (minus every line the dev set came from), tune, and dev with tags recovered from train."""
    stats = ReadStats()
    lines: list[tuple[str, list[Span]]] = []
    with _open(train_path) as handle:
        for line_no, line in enumerate(handle, 1):
            if line.strip():
                lines.append(parse_msra_line(line, str(train_path), line_no))
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, (text, _) in enumerate(lines):
        by_text[text].append(i)
    used: set[int] = set()
    dev: list[CharExample] = []
    with _open(dev_sentences) as handle:
        for line_no, line in enumerate(handle, 1):
            text = "".join(line.split())
            if not text:
                continue
            found = _recover_dev(text, lines, by_text)
            if found is None:
                stats.dropped["msra dev sentence not found in train.txt"] += 1
                continue
            spans, sources, how = found
            used.update(sources)
            stats.sentences[f"dev ({how})"] += 1
            dev.append(make_example("msra", f"msra-dev-{line_no}", text, spans))
    train: list[CharExample] = []
    tune: list[CharExample] = []
    for i, (text, spans) in enumerate(lines):
        if i in used:
            stats.dropped["msra train line left out: a dev sentence comes from it"] += 1
            continue
        ex_id = f"msra-train-{i + 1}"
        (tune if is_tune(ex_id) else train).append(make_example("msra", ex_id, text, spans))
    stats.sentences.update(train=len(train), tune=len(tune))
    for ex in train:
        stats.spans.update(label for *_, label in ex.spans)
    return MsraSplit(train, tune, dev, stats)


def _recover_dev(
    text: str, lines: list[tuple[str, list[Span]]], by_text: dict[str, list[int]]
) -> tuple[list[Span], list[int], str] | None:
    if text in by_text:
        i = by_text[text][0]
        return lines[i][1], by_text[text], "whole line"
    # two (or more) train lines joined
    joined = _join_lines(text, lines, by_text, depth=3)
    if joined is not None:
        spans: list[Span] = []
        offset = 0
        sources: list[int] = []
        for i in joined:
            sources.extend(by_text[lines[i][0]])
            spans.extend((s + offset, e + offset, lab) for s, e, lab in lines[i][1])
            offset += len(lines[i][0])
        return spans, sources, "lines joined"
    for line_text, line_spans in lines:  # a piece of one line
        at = line_text.find(text)
        if at >= 0:
            end = at + len(text)
            inside = [(s - at, e - at, lab) for s, e, lab in line_spans if s >= at and e <= end]
            cut = any(s < end and e > at and not (s >= at and e <= end) for s, e, _ in line_spans)
            if cut:
                return None
            return inside, by_text[line_text], "inside a line"
    return None


def _join_lines(
    text: str, lines: list[tuple[str, list[Span]]], by_text: dict[str, list[int]], depth: int
) -> list[int] | None:
    if depth == 0:
        return None
    for cut in range(len(text) - 1, 0, -1):
        head = text[:cut]
        if head in by_text:
            rest = text[cut:]
            if rest in by_text:
                return [by_text[head][0], by_text[rest][0]]
            tail = _join_lines(rest, lines, by_text, depth - 1)
            if tail is not None:
                return [by_text[head][0], *tail]
    return None


# --- CLUENER ----------------------------------------------------------------------------


def read_cluener(path: Path) -> tuple[list[CharExample], list[CharExample], list[CharExample], ReadStats]:
    """CLUENER train.json → (train, tune, dev); dev is the fixed 10% `crc32(index) % 10 == 0`."""
    stats = ReadStats()
    train: list[CharExample] = []
    tune: list[CharExample] = []
    dev: list[CharExample] = []
    for index, obj in enumerate(_json_objects(path)):
        text = obj.get("text")
        labels = obj.get("label", {})
        if not isinstance(text, str) or not isinstance(labels, dict):
            raise InputError(str(path), f"object {index + 1} has no text or label mapping")
        spans: list[Span] = []
        missing: list[tuple[int, int]] = []
        for kind, surfaces in labels.items():
            for surface, positions in surfaces.items():
                for start, end_inclusive in positions:
                    if text[start : end_inclusive + 1] != surface:
                        stats.dropped[f"cluener {kind} offsets do not match their surface"] += 1
                        continue
                    if kind in CLUENER_UNKNOWN:
                        missing.append((start, end_inclusive + 1))
                    elif kind in CLUENER_LABELS:
                        spans.append((start, end_inclusive + 1, CLUENER_LABELS[kind]))
                    else:
                        raise InputError(str(path), f"object {index + 1}: unknown label {kind!r}")
        ex_id = f"cluener-{index}"
        example = make_example("cluener", ex_id, text, spans, missing)
        if split_bucket(str(index), 10) == 0:
            dev.append(example)
        elif is_tune(ex_id):
            tune.append(example)
        else:
            train.append(example)
            stats.spans.update(label for *_, label in example.spans)
    stats.sentences.update(train=len(train), tune=len(tune), dev=len(dev))
    return train, tune, dev, stats


def _json_objects(path: Path) -> Iterator[dict]:
    """CLUENER's file: pretty-printed JSON objects one after another (or one a line)."""
    text = _open(path).read()
    decoder = json.JSONDecoder()
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at >= len(text):
            return
        try:
            obj, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError as error:
            line = text.count("\n", 0, at) + 1
            raise InputError(str(path), f"not JSON: {error.msg}", line) from None
        yield obj


# --- character-per-line BIO / BMES files (Resume, People's Daily NER, Weibo) -----------------


def read_char_tagged(path: Path, corpus: str, labels: dict[str, str]) -> tuple[list[CharExample], ReadStats]:
    """One `char TAG` a line, blank line between sentences; BIO or BMES; unmapped types become O."""
    stats = ReadStats()
    examples: list[CharExample] = []
    chars: list[str] = []
    tags: list[str] = []

    def flush(line_no: int) -> None:
        if chars:
            spans = list(_decode_tags(tags, labels, stats))
            examples.append(make_example(corpus, f"{corpus}-{path.stem}-{line_no}", "".join(chars), spans))
            stats.spans.update(label for *_, label in spans)
            chars.clear()
            tags.clear()

    with _open(path) as handle:
        for line_no, line in enumerate(handle, 1):
            fields = line.split()
            if not fields:
                flush(line_no)
                continue
            if len(fields) == 1 and "-" in fields[0]:  # Resume has a tag with its character lost
                stats.dropped["line with a tag and no character (skipped)"] += 1
                continue
            if len(fields) != 2:
                raise InputError(str(path), f"expected `char TAG`, got {line.rstrip()!r}", line_no)
            chars.append(fields[0][0])  # Weibo writes the char with a position digit: 科0
            tags.append(fields[1])
        flush(line_no + 1 if chars else 0)
    stats.sentences[path.stem] = len(examples)
    return examples, stats


def _decode_tags(tags: list[str], labels: dict[str, str], stats: ReadStats) -> Iterator[Span]:
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, typ = tag.partition("-")
        continues = prefix in ("I", "M", "E") and typ == kind and start is not None
        if not continues and start is not None:
            if kind in labels:
                yield start, i, labels[kind]
            start = None
        if prefix in ("B", "S") or (prefix in ("I", "M", "E") and not continues):
            if prefix in ("I", "M", "E"):
                stats.dropped[f"{prefix}- tag with no B- (read as a start)"] += 1
            start, kind = i, typ
        if prefix in ("E", "S") and start is not None:
            if kind in labels:
                yield start, i + 1, labels[kind]
            start = None


def _open(path: Path):
    if not path.is_file():
        raise InputError(str(path), "corpus file not found")
    return path.open(encoding="utf-8-sig")
