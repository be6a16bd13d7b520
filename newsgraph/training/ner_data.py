"""Character-span examples → spaCy Docs on our own tokens, for training and scoring the NER.

The NER runs on the words our pkuseg tokenizer makes, so training data is cut the same
way. Where a span boundary falls inside one of our words (在京 with 京 a place), the word
is split at the boundary: the span is repaired, never dropped, and each repair is counted
per corpus. Overlapping spans (CLUENER nests a few) keep the longest.

Partial labels: a corpus that does not annotate TITLE (MSRA) must not teach that titles
are nothing, so in its sentences every title-lexicon match that is made of whole words and
lies outside its entities is *missing* (no loss), not `O`. `missing_titles=False` writes them as `O`
instead, for the comparison in the model card.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsgraph.tokenizer import cut_word
from newsgraph.training.ner_corpora import ANNOTATES, LABELS, CharExample


@dataclass
class AlignStats:
    """Per corpus: spans that matched our words as they were, and spans whose words were split."""

    aligned: Counter[str] = field(default_factory=Counter)
    repaired: Counter[str] = field(default_factory=Counter)
    overlapping: Counter[str] = field(default_factory=Counter)
    title_gaps: Counter[str] = field(default_factory=Counter)

    def table(self) -> dict[str, dict[str, int]]:
        corpora = sorted(set(self.aligned) | set(self.repaired))
        return {
            c: {
                "aligned": self.aligned[c],
                "repaired": self.repaired[c],
                "overlap_dropped": self.overlapping[c],
                "title_gaps": self.title_gaps[c],
            }
            for c in corpora
        }


def find_all(text: str, words: Iterable[str], longest_first: bool = True) -> list[tuple[int, int]]:
    """Non-overlapping occurrences of any of `words` in `text`, longest match at each start."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        if word:
            by_first.setdefault(word[0], []).append(word)
    for options in by_first.values():
        options.sort(key=len, reverse=longest_first)
    found: list[tuple[int, int]] = []
    at = 0
    while at < len(text):
        for word in by_first.get(text[at], ()):
            if text.startswith(word, at):
                found.append((at, at + len(word)))
                at += len(word)
                break
        else:
            at += 1
    return found


def to_doc(
    example: CharExample,
    vocab: Vocab,
    tokenize: Callable[[str], list[tuple[str, bool]]],
    titles: Iterable[str],
    stats: AlignStats,
    *,
    missing_titles: bool = True,
) -> Doc:
    """One example as a Doc on our words (split where a span needs it), with entities and gaps."""
    spans = _non_overlapping(example.spans, example.corpus, stats)
    tokens = tokenize(example.text)
    bounds = set(_word_bounds(tokens))
    gaps = list(example.missing)
    if missing_titles and "TITLE" not in ANNOTATES.get(example.corpus, frozenset(LABELS)):
        taken = [(s, e) for s, e, _ in spans]
        for s, e in find_all(example.text, titles):
            # whole words only: 委员会 is no 委员 + 会, and a gap never cuts a word our tokenizer makes
            if s in bounds and e in bounds and not any(s < te and ts < e for ts, te in taken):
                gaps.append((s, e))
                stats.title_gaps[example.corpus] += 1
    gaps = [(s, e) for s, e in gaps if not any(s < se and ss < e for ss, se, _ in spans)]  # entities win
    gaps = _merged(gaps)  # set_ents refuses overlapping missing spans
    cuts = {b for s, e, _ in spans for b in (s, e)} | {b for s, e in gaps for b in (s, e)}
    words, spaces, starts = _split_words(tokens, cuts)
    doc = Doc(vocab, words=words, spaces=spaces)
    doc.user_data["ex_id"] = example.ex_id
    index = {start: i for i, start in enumerate(starts)}
    ends = {s + len(w): i + 1 for i, (s, w) in enumerate(zip(starts, words, strict=True))}
    ents = []
    for s, e, label in spans:
        ents.append(doc[index[s] : ends[e]])
        ents[-1].label_ = label
        (stats.aligned if s in bounds and e in bounds else stats.repaired)[example.corpus] += 1
    missing = [doc[index[s] : ends[e]] for s, e in gaps if s in index and e in ends]
    doc.set_ents(ents, missing=missing, default="outside")
    return doc


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def _word_bounds(tokens: list[tuple[str, bool]]) -> Iterator[int]:
    at = 0
    for word, space in tokens:
        yield at
        at += len(word)
        yield at
        at += int(space)


def _split_words(tokens: list[tuple[str, bool]], cuts: set[int]) -> tuple[list[str], list[bool], list[int]]:
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[int] = []
    at = 0
    for word, space in tokens:
        piece_at = at
        for piece in cut_word(word, sorted(c - at for c in cuts if at < c < at + len(word))):
            words.append(piece)
            spaces.append(False)
            starts.append(piece_at)
            piece_at += len(piece)
        spaces[-1] = space
        at += len(word) + int(space)
    return words, spaces, starts


def _non_overlapping(spans: list[tuple[int, int, str]], corpus: str, stats: AlignStats) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for s, e, label in sorted(spans, key=lambda x: (x[0] - x[1], x[0])):
        if any(s < ke and ks < e for ks, ke, _ in kept):
            stats.overlapping[corpus] += 1
            continue
        kept.append((s, e, label))
    return sorted(kept)


def learn_split_words(
    examples: Iterable[CharExample],
    tokenize: Callable[[str], list[tuple[str, bool]]],
    *,
    min_count: int = 2,
    min_share: float = 0.5,
) -> dict[str, list[int]]:
    """Words an entity boundary falls inside, with the cut seen most often (tokenizer.py).

    A word is kept when that cut was seen at least `min_count` times and in at least
    `min_share` of the word's occurrences, so a word that is mostly whole stays whole.
    """
    seen: Counter[str] = Counter()
    cuts: dict[str, Counter[tuple[int, ...]]] = {}
    for ex in examples:
        bounds = sorted({b for s, e, _ in ex.spans for b in (s, e)})
        at = 0
        for word, space in tokenize(ex.text):
            seen[word] += 1
            inner = tuple(b - at for b in bounds if at < b < at + len(word))
            if inner:
                cuts.setdefault(word, Counter())[inner] += 1
            at += len(word) + int(space)
    rules: dict[str, list[int]] = {}
    for word, counter in cuts.items():
        cut, n = counter.most_common(1)[0]
        if n >= min_count and n >= min_share * seen[word]:
            rules[word] = list(cut)
    return dict(sorted(rules.items()))
