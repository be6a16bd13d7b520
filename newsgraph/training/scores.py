"""Scores of the segmenter and tagger on held-out sentences: what the model card reports.

- segmentation P/R/F1 over word spans (the SIGHAN measure), and recall of words unseen in
  training (OOV recall);
- part-of-speech accuracy on the gold words (the tagger alone), per tag as well;
- joint word+tag F1 on the pipeline's own words (what a user gets).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.evaluate import Score
from newsgraph.training.rmrb import Sentence


def word_spans(words: Sequence[str]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for word in words:
        spans.append((start, start + len(word)))
        start += len(word)
    return spans


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Unrounded P/R/F from counts, by the same arithmetic as `newsgraph evaluate`."""
    score = Score(tp=tp, fp=n_pred - tp, fn=n_gold - tp)
    return {"p": score.precision, "r": score.recall, "f": score.f1}


@dataclass
class CoreScores:
    sentences: int = 0
    seg: dict[str, float] = field(default_factory=dict)
    oov_recall: float | None = None
    pos_acc: float = 0.0
    joint: dict[str, float] = field(default_factory=dict)
    per_tag: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def score_core(
    nlp: Language, sentences: Iterable[Sentence], train_words: set[str] | None = None, batch_size: int = 256
) -> CoreScores:
    """Score `nlp` (tokenizer, and tagger if present) against gold sentences."""
    sentences = list(sentences)
    has_tagger = "tagger" in nlp.pipe_names
    seg_tp = n_pred = n_gold = joint_tp = 0
    oov_total = oov_found = 0
    predicted = nlp.pipe((s.text for s in sentences), batch_size=batch_size)
    for sentence, doc in zip(sentences, predicted, strict=True):
        gold = dict(zip(word_spans(sentence.words), sentence.tags, strict=True))
        pred = {(t.idx, t.idx + len(t.text)): t.tag_ for t in doc if not t.is_space}
        hits = gold.keys() & pred.keys()
        seg_tp += len(hits)
        n_pred += len(pred)
        n_gold += len(gold)
        joint_tp += sum(1 for span in hits if gold[span] == pred[span])
        if train_words is not None:
            for span, word in zip(word_spans(sentence.words), sentence.words, strict=True):
                if word not in train_words:
                    oov_total += 1
                    oov_found += span in hits
    scores = CoreScores(sentences=len(sentences), seg=prf(seg_tp, n_pred, n_gold))
    if train_words is not None and oov_total:
        scores.oov_recall = oov_found / oov_total
    if has_tagger:
        scores.joint = prf(joint_tp, n_pred, n_gold)
        scores.pos_acc, scores.per_tag = _tagger_on_gold_words(nlp, sentences, batch_size)
    return scores


def _tagger_on_gold_words(
    nlp: Language, sentences: list[Sentence], batch_size: int
) -> tuple[float, dict[str, dict[str, float]]]:
    """Tag the gold words (no segmentation errors) and count agreement, overall and per tag."""
    docs = (Doc(nlp.vocab, words=s.words, spaces=[False] * len(s.words)) for s in sentences)
    gold_count: Counter[str] = Counter()
    pred_count: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for sentence, doc in zip(sentences, nlp.pipe(docs, batch_size=batch_size), strict=True):
        for gold_tag, token in zip(sentence.tags, doc, strict=True):
            gold_count[gold_tag] += 1
            pred_count[token.tag_] += 1
            right[gold_tag] += gold_tag == token.tag_
    total = sum(gold_count.values())
    per_tag = {
        tag: {**prf(right[tag], pred_count[tag], gold_count[tag]), "n": gold_count[tag]}
        for tag in sorted(gold_count, key=lambda t: -gold_count[t])
    }
    return (sum(right.values()) / total if total else 0.0), per_tag
