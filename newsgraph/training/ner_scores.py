"""Entity scores on a dev set of character-span examples: exact span and label, per label.

Only the labels the corpus annotates are scored (a TITLE predicted in an MSRA sentence is
neither right nor wrong there), and a prediction inside a region the corpus leaves unknown
(CLUENER's book, game and movie names) is not counted. The pipeline is the whole shipped
one, rules included: what a user gets. Spans that no sequence of our words can form are counted too, as the
ceiling our tokenizer puts on recall.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language

from newsgraph.evaluate import Score
from newsgraph.training.ner_corpora import ANNOTATES, CharExample

SCORED = ("PERSON", "PLACE", "ORG", "TITLE")


def score_examples(nlp: Language, examples: Iterable[CharExample], batch_size: int = 64) -> dict[str, Any]:
    """Per-label and micro P/R/F1 of `nlp` on `examples`, plus the word-boundary ceiling."""
    examples = list(examples)
    by_label: dict[str, Score] = defaultdict(Score)
    unreachable = total = 0
    for ex, doc in zip(examples, nlp.pipe((ex.text for ex in examples), batch_size=batch_size), strict=True):
        labels = ANNOTATES.get(ex.corpus, frozenset(SCORED)) & set(SCORED)
        bounds = {t.idx for t in doc} | {t.idx + len(t) for t in doc}
        gold = {(s, e, label) for s, e, label in ex.spans if label in labels}
        pred = {(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents if ent.label_ in labels}
        # inside what the corpus leaves unknown (CLUENER's book, game, movie) a span is neither right nor wrong
        pred = {p for p in pred if not any(p[0] < e and s < p[1] for s, e in ex.missing)}
        total += len(gold)
        unreachable += sum(1 for s, e, _ in gold if s not in bounds or e not in bounds)
        for label in labels:
            by_label[label].add((g for g in gold if g[2] == label), (p for p in pred if p[2] == label))
    overall = Score.sum(by_label.values())
    return {
        "sentences": len(examples),
        "labels": {label: s.to_dict() for label, s in sorted(by_label.items())},
        "ALL": overall.to_dict(),
        "unreachable_spans": unreachable,
        "gold_spans": total,
    }


GOLD_LABELS = ("ORG", "PLACE", "PERSON", "TITLE", "DATE")


def score_gold_page(nlp: Language, page: Path, gold: Path, labels: tuple[str, ...] = GOLD_LABELS) -> dict[str, Any]:
    """Annotate a page and score its entities against the gold records (`corpus/gold/`)."""
    from newsgraph.annotate import annotate
    from newsgraph.errors import InputError
    from newsgraph.evaluate import evaluate, load_records
    from newsgraph.inputs import read_inputs

    articles = [a for a in read_inputs([page], "utf-8") if not isinstance(a, InputError)]
    predicted = {record["id"]: record for record in annotate(nlp, articles)}
    entities = evaluate(load_records(gold), predicted)["entities"]
    rows = {label: entities[label] for label in labels if entities.get(label)}
    overall = Score.sum(Score(row["tp"], row["fp"], row["fn"]) for row in rows.values())
    return {"labels": rows, "ALL": overall.to_dict()}
