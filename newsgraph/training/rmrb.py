"""People's Daily 1998 (PKU segmentation and part of speech) → pkuseg text and spaCy DocBins.

Each line of `RMRB.txt` is one sentence: an id such as `19980101-01-001-006/m`, then
`word/TAG` tokens separated by two spaces; `[中央/n  电视台/n]nt` brackets a compound whose
inner words stay tokens. The text goes through the same normaliser as inference text
(full-width digits and letters folded, OCR spaces dropped), and word boundaries follow it.

The split is fixed by sentence id, never by position or chance: `crc32(id) % 20 == 0` is
the held-out test set (5%), `== 1` the dev set (5%, for early stopping), the rest is train.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsgraph.errors import InputError
from newsgraph.normalize import normalize

SPLITS = ("train", "dev", "test")
_SENTENCE_ID = re.compile(r"^[\w-]+/m$")
_TOKEN = re.compile(r"^(\[)?(.+)/([A-Za-z]+)(?:\]([A-Za-z]+))?$")


@dataclass(slots=True)
class Sentence:
    """One corpus sentence after normalisation: words, their tags, and bracketed compounds."""

    sent_id: str
    words: list[str]
    tags: list[str]
    compounds: list[tuple[int, int, str]] = field(default_factory=list)  # word range [start, end) and tag

    @property
    def text(self) -> str:
        return "".join(self.words)


def split_of(sent_id: str) -> str:
    """The fixed split a sentence id belongs to."""
    bucket = zlib.crc32(sent_id.encode("utf-8")) % 20
    return "test" if bucket == 0 else "dev" if bucket == 1 else "train"


def parse_line(line: str, path: str = "RMRB.txt", line_no: int | None = None) -> Sentence | None:
    """One corpus line → a Sentence in normalised text; None for a blank line."""
    fields = line.split()
    if not fields:
        return None
    if not _SENTENCE_ID.match(fields[0]):
        problem = f"line does not start with a sentence id (like 19980101-01-001-001/m): {fields[0]!r}"
        raise InputError(path, problem, line_no)
    sent_id = fields[0].removesuffix("/m")
    raw_words: list[str] = []
    tags: list[str] = []
    compounds: list[tuple[int, int, str]] = []
    open_at: int | None = None
    for token in fields[1:]:
        match = _TOKEN.match(token)
        if not match:
            raise InputError(path, f"token {token!r} is not word/TAG", line_no)
        opens, word, tag, closes = match.groups()
        if opens:
            if open_at is not None:
                raise InputError(path, f"'[' at {token!r} opens a bracket inside another", line_no)
            open_at = len(raw_words)
        raw_words.append(word)
        tags.append(tag)
        if closes:
            if open_at is None:
                raise InputError(path, f"']{closes}' closes no bracket", line_no)
            compounds.append((open_at, len(raw_words), closes))
            open_at = None
    if open_at is not None:
        raise InputError(path, f"'[' before {raw_words[open_at]!r} is never closed", line_no)
    words, tags, compounds = _normalise_words(raw_words, tags, compounds)
    return Sentence(sent_id, words, tags, compounds)


def _normalise_words(
    raw_words: list[str], tags: list[str], compounds: list[tuple[int, int, str]]
) -> tuple[list[str], list[str], list[tuple[int, int, str]]]:
    """Normalise the joined sentence and cut it again at the mapped word boundaries.

    A word whose characters the normaliser drops entirely (a stray control character) is
    removed, and compounds are re-indexed around it.
    """
    raw = "".join(raw_words)
    mapped = normalize(raw)
    words: list[str] = []
    kept_tags: list[str] = []
    new_index: list[int] = []
    start = 0
    for word, tag in zip(raw_words, tags, strict=True):
        end = start + len(word)
        a, b = mapped.target_span(start, end)
        new_index.append(len(words))
        if b > a:
            words.append(mapped.text[a:b])
            kept_tags.append(tag)
        start = end
    new_index.append(len(words))
    kept_compounds = [(new_index[s], new_index[e], label) for s, e, label in compounds if new_index[e] > new_index[s]]
    return words, kept_tags, kept_compounds


def read_rmrb(path: Path) -> Iterator[Sentence]:
    """Sentences of an RMRB-format file, in file order."""
    with path.open(encoding="utf-8-sig") as handle:
        for line_no, line in enumerate(handle, 1):
            sentence = parse_line(line, str(path), line_no)
            if sentence is not None and sentence.words:
                yield sentence


@dataclass
class ConvertStats:
    sentences: Counter[str] = field(default_factory=Counter)
    words: Counter[str] = field(default_factory=Counter)
    chars: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)


def write_pkuseg_text(sentences: Iterable[Sentence], path: Path) -> None:
    """pkuseg's training format: one sentence a line, words separated by one space."""
    with path.open("w", encoding="utf-8") as handle:
        for sentence in sentences:
            handle.write(" ".join(sentence.words) + "\n")


def to_docs(sentences: Iterable[Sentence], vocab: Vocab) -> Iterator[Doc]:
    """spaCy Docs with the gold words and tags; compounds kept in `doc.spans["rmrb_compounds"]`."""
    for sentence in sentences:
        doc = Doc(vocab, words=sentence.words, spaces=[False] * len(sentence.words), tags=sentence.tags)
        doc.spans["rmrb_compounds"] = [doc[s:e] for s, e, _ in sentence.compounds]
        for span, (_, _, label) in zip(doc.spans["rmrb_compounds"], sentence.compounds, strict=True):
            span.label_ = label
        doc.user_data["sent_id"] = sentence.sent_id
        yield doc


def convert(source: Path, out_dir: Path) -> ConvertStats:
    """Write `{train,dev,test}.txt` (pkuseg) and `{train,dev,test}.spacy` (DocBin) under `out_dir`."""
    import spacy
    from spacy.tokens import DocBin

    if not source.is_file():
        raise InputError(str(source), "corpus file not found")
    by_split: dict[str, list[Sentence]] = {split: [] for split in SPLITS}
    stats = ConvertStats()
    for sentence in read_rmrb(source):
        split = split_of(sentence.sent_id)
        by_split[split].append(sentence)
        stats.sentences[split] += 1
        stats.words[split] += len(sentence.words)
        stats.chars[split] += len(sentence.text)
        if split == "train":
            stats.tags.update(sentence.tags)
    out_dir.mkdir(parents=True, exist_ok=True)
    vocab = spacy.blank("zh").vocab
    for split, sentences in by_split.items():
        write_pkuseg_text(sentences, out_dir / f"{split}.txt")
        DocBin(docs=to_docs(sentences, vocab), store_user_data=True).to_disk(out_dir / f"{split}.spacy")
    return stats
