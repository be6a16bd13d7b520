"""spaCy's Chinese tokenizer with pkuseg, fed in bounded pieces, keeping gazetteer words whole.

pkuseg builds a Python list of features per character of the string it is given: a
1 MB line without a newline costs about 300 MB on top of the model. We cut long texts at
sentence ends (else at clause punctuation, else at spaces, else at a hard limit) into pieces
of at most `max_chunk` characters; a cut at punctuation or a space changes no word, and only
a run of `max_chunk` characters with none can have a word cut in two.

Gazetteer words (薛家岛街道, 液化气罐) are merged *after* segmentation, and only where the
model's own word boundaries hold at both ends of the match: 薛家岛/街道 becomes 薛家岛街道,
but 青岛/市委/书记 stays as it is, though 青岛市 is a gazetteer word. pkuseg's user dictionary
would cut 青岛市 out before the model runs and leave 委 alone. A long entry (four characters or
more: 液化石油气, 薛家岛街道) is trusted further: where one of its ends holds and the other falls
inside a word, that word is cut there first (查/扣液/化石/油气 → 查/扣/液化石油气). Short
entries are not: 城管办 must not come out of 城管办公室.

Split words go the other way: a few words of the PKU standard hide an entity boundary
(访华 → 访 | 华, 邓小平理论 → 邓小平 | 理论, 中方 → 中 | 方), and the entity recogniser can only
find spans made of whole words. `newsgraph train ner` learns the list from the entity
corpora's training side (a word is split where an entity boundary fell inside it in at
least half of its occurrences, twice or more) and saves it with the tokenizer.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import srsly
from spacy import util
from spacy.errors import Errors
from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from newsgraph.patterns import fixed_split_words

FIXED_SPLIT_FILE = "fixed_split_words.json"
TOKENIZER_NAME = "newsgraph.ChineseTokenizer.v1"
_SENTENCE_END = re.compile(r"[。！？；!?;\n]+[”’」』）)]*")
_CLAUSE_END = re.compile(r"[，,、：:]+[”’」』）)]*")  # where no sentence end comes for pages (a run of ，)
_SPACE = re.compile(r"\s+")


def text_chunks(text: str, max_chunk: int) -> Iterator[str]:
    """Consecutive pieces of `text` (they join back to it), each at most `max_chunk` long."""
    start = 0
    while len(text) - start > max_chunk:
        window = text[start : start + max_chunk]
        cut = (
            _last_end(_SENTENCE_END, window) or _last_end(_CLAUSE_END, window) or _last_end(_SPACE, window) or max_chunk
        )
        yield text[start : start + cut]
        start += cut
    if start < len(text):
        yield text[start:]


def _last_end(pattern: re.Pattern[str], window: str) -> int:
    last = 0
    for match in pattern.finditer(window):
        last = match.end()
    return last


def merge_words(words: list[str], lexicon: frozenset[str], prefixes: frozenset[str]) -> list[str]:
    """Join runs of consecutive words that spell a lexicon entry, longest run first.

    `prefixes` holds every proper prefix of every entry: a run stops growing as soon as it
    is no prefix, so most words cost one set lookup.
    """
    out: list[str] = []
    i = 0
    while i < len(words):
        end, joined = i + 1, words[i]
        j = i + 1
        while joined in prefixes and j < len(words):
            joined += words[j]
            j += 1
            if joined in lexicon:
                end = j
        out.append(words[i] if end == i + 1 else "".join(words[i:end]))
        i = end
    return out


LONG_ENTRY = 4  # entries this long are cut out even where the model's word boundaries cross them


def cut_at_entries(
    words: list[str], spaces: list[bool], pattern: re.Pattern[str] | None
) -> tuple[list[str], list[bool]]:
    """Cut words where a long lexicon entry begins or ends inside them, if its other end holds."""
    if pattern is None:
        return words, spaces
    text = "".join(w + " " * s for w, s in zip(words, spaces, strict=True))
    starts: list[int] = []
    at = 0
    for word, space in zip(words, spaces, strict=True):
        starts.append(at)
        at += len(word) + int(space)
    ends = {a + len(w) for a, w in zip(starts, words, strict=True)}
    begins = set(starts)
    cuts = set()
    for match in pattern.finditer(text):
        start, end = match.span()
        if (start in begins) != (end in ends):  # one end holds, the other is inside a word
            cuts.update((start, end))
    if not cuts:
        return words, spaces
    out_words: list[str] = []
    out_spaces: list[bool] = []
    ordered = sorted(cuts)
    for word, space, at in zip(words, spaces, starts, strict=True):
        first, last = bisect_right(ordered, at), bisect_left(ordered, at + len(word))
        inner = [c - at for c in ordered[first:last]]  # the cuts strictly inside this word
        pieces = cut_word(word, inner) if inner else [word]
        out_words.extend(pieces)
        out_spaces.extend([False] * (len(pieces) - 1) + [space])
    return out_words, out_spaces


def cut_word(word: str, cuts: Sequence[int]) -> list[str]:
    """`word` in pieces at the sorted character offsets `cuts` (each inside the word)."""
    return [word[a:b] for a, b in zip((0, *cuts), (*cuts, len(word)), strict=True)]


def split_words(
    words: list[str], spaces: list[bool], rules: dict[str, tuple[int, ...]]
) -> tuple[list[str], list[bool]]:
    """Cut each word that has a rule at its offsets; the last piece keeps the word's space."""
    out_words: list[str] = []
    out_spaces: list[bool] = []
    for word, space in zip(words, spaces, strict=True):
        cuts = rules.get(word)
        if not cuts:  # nearly every word: keep this path free of work
            out_words.append(word)
            out_spaces.append(space)
            continue
        pieces = cut_word(word, cuts)
        out_words.extend(pieces)
        out_spaces.extend([False] * (len(pieces) - 1) + [space])
    return out_words, out_spaces


def entry_prefixes(lexicon: Iterable[str]) -> frozenset[str]:
    return frozenset(entry[:k] for entry in lexicon for k in range(1, len(entry)))


class NewsgraphChineseTokenizer(ChineseTokenizer):
    """The pkuseg tokenizer of spaCy, cutting long texts first and merging lexicon words after."""

    def __init__(self, vocab: Vocab, segmenter: str = "pkuseg", max_chunk: int = 4000) -> None:
        super().__init__(vocab, segmenter=segmenter)
        self.max_chunk = max_chunk
        self.set_merge_words(())
        self.set_split_words({})

    def set_merge_words(self, words: Iterable[str]) -> None:
        """The words to keep whole where the segmentation allows (see the module doc)."""
        self.merge_lexicon = frozenset(w for w in words if w)
        self._prefixes = entry_prefixes(self.merge_lexicon)
        long = sorted((w for w in self.merge_lexicon if len(w) >= LONG_ENTRY), key=lambda w: (-len(w), w))
        self._long_entries = re.compile("|".join(map(re.escape, long))) if long else None

    def set_split_words(self, rules: dict[str, Iterable[int]], fixed: dict[str, Iterable[int]] | None = None) -> None:
        """Words to cut, each at its character offsets (see the module doc), with the fixed
        ones (联合区 → 联合 | 区): `fixed`, else those of `patterns/split_words.tsv` now."""
        fixed_rules = {w: tuple(c) for w, c in (fixed_split_words() if fixed is None else fixed).items()}
        learned = {w: tuple(sorted({c for c in cuts if 0 < c < len(w)})) for w, cuts in rules.items()}
        self.fixed_split_rules = fixed_rules
        self.learned_split_rules = {w: cuts for w, cuts in learned.items() if cuts and w not in fixed_rules}
        self.split_rules = {**self.learned_split_rules, **fixed_rules}  # the fixed ones win

    def __call__(self, text: str) -> Doc:
        if self.segmenter != Segmenter.pkuseg:
            return super().__call__(text)
        if self.pkuseg_seg is None:
            raise ValueError(Errors.E1000)
        words: list[str] = []
        for chunk in text_chunks(text, self.max_chunk):
            words.extend(self.pkuseg_seg.cut(chunk))
        words, spaces = util.get_words_and_spaces(words, text)
        if self.merge_lexicon:
            words, spaces = cut_at_entries(words, spaces, self._long_entries)
            words, spaces = self._merge(words, spaces)
        if self.split_rules:
            words, spaces = split_words(words, spaces, self.split_rules)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _merge(self, words: list[str], spaces: list[bool]) -> tuple[list[str], list[bool]]:
        """Merge within runs of words with no space between them (a space is never inside a word)."""
        out_words: list[str] = []
        out_spaces: list[bool] = []
        run: list[str] = []
        for word, space in zip(words, spaces, strict=True):
            run.append(word)
            if space or word.isspace():
                merged = merge_words(run, self.merge_lexicon, self._prefixes)
                out_words.extend(merged)
                out_spaces.extend([False] * (len(merged) - 1) + [space])
                run = []
        if run:
            merged = merge_words(run, self.merge_lexicon, self._prefixes)
            out_words.extend(merged)
            out_spaces.extend([False] * len(merged))
        return out_words, out_spaces

    def to_bytes(self, **kwargs: Any) -> bytes:
        return srsly.msgpack_dumps(
            {
                "zh": super().to_bytes(**kwargs),
                "merge_words": sorted(self.merge_lexicon),
                "split_words": self.learned_split_rules,
                "fixed_split_words": self.fixed_split_rules,
            }
        )

    def from_bytes(self, data: bytes, **kwargs: Any) -> NewsgraphChineseTokenizer:
        msg = srsly.msgpack_loads(data)
        super().from_bytes(msg["zh"], **kwargs)
        self.set_merge_words(msg["merge_words"])
        self.set_split_words(msg.get("split_words", {}), msg.get("fixed_split_words"))
        return self

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        super().to_disk(path, **kwargs)
        srsly.write_json(Path(path) / "merge_words.json", sorted(self.merge_lexicon))
        learned = sorted(self.learned_split_rules.items())
        srsly.write_json(Path(path) / "split_words.json", {w: list(c) for w, c in learned})
        fixed = sorted(self.fixed_split_rules.items())  # the model keeps the rule files' cuts it was built with
        srsly.write_json(Path(path) / FIXED_SPLIT_FILE, {w: list(c) for w, c in fixed})

    def from_disk(self, path: str | Path, **kwargs: Any) -> NewsgraphChineseTokenizer:
        super().from_disk(path, **kwargs)
        self.set_merge_words(srsly.read_json(Path(path) / "merge_words.json"))
        split_file = Path(path) / "split_words.json"  # absent in a core-only model
        fixed_file = Path(path) / FIXED_SPLIT_FILE  # absent in a model saved before it was kept
        self.set_split_words(
            srsly.read_json(split_file) if split_file.exists() else {},
            srsly.read_json(fixed_file) if fixed_file.exists() else None,
        )
        return self


@registry.tokenizers(TOKENIZER_NAME)
def create_tokenizer(
    segmenter: str = "pkuseg", max_chunk: int = 4000
) -> Callable[[Language], NewsgraphChineseTokenizer]:
    def tokenizer_factory(nlp: Language) -> NewsgraphChineseTokenizer:
        return NewsgraphChineseTokenizer(nlp.vocab, segmenter=segmenter, max_chunk=max_chunk)

    return tokenizer_factory
