"""What the rule components share: how their spans join `doc.ents`, and how they are scored."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.scorer import Scorer
from spacy.tokens import Span
from spacy.training import Example


def without_overlapped(ents: Iterable[Span], rule_spans: list[Span], label: str | None = None) -> list[Span]:
    """`ents` less those (of `label`, or of any label) that a rule span overlaps: there the rule wins."""
    ours = {i for span in rule_spans for i in range(span.start, span.end)}
    return [
        e for e in ents if (label is not None and e.label_ != label) or not ours.intersection(range(e.start, e.end))
    ]


def score_label(examples: Iterable[Example], label: str, attr: str, **kwargs: Any) -> dict[str, Any]:
    """P/R/F of the entities of one label (exact spans), as spaCy's span scorer computes them."""
    return Scorer.score_spans(
        examples, attr, getter=lambda doc, _attr: [e for e in doc.ents if e.label_ == label], **kwargs
    )
