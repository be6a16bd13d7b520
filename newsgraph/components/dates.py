"""`newsgraph_dates`: DATE entities with a normalised value in `Span._.date` (see `newsgraph/dates.py`).

Rule spans win over the statistical DATE spans they overlap; DATE spans they do not overlap
stay, and so do spans of other labels (a rule date that would overlap one is dropped). The year of a date
that writes none, and the anchor of a relative date, come from the article's date when the
record is built (`complete_year`), since a Doc does not know its article.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import filter_spans

from newsgraph.components.carried_rules import CarriesRules
from newsgraph.components.rule_spans import score_label, without_overlapped
from newsgraph.dates import find_dates
from newsgraph.extensions import register_extensions

LABEL = "DATE"


@Language.factory(
    "newsgraph_dates",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type", "span._.date"],
    default_config={},
    default_score_weights={"date_f": 1.0, "date_p": 0.0, "date_r": 0.0},
)
def make_dates(nlp: Language, name: str) -> DateComponent:
    return DateComponent(name)


class DateComponent(CarriesRules):
    def __init__(self, name: str = "newsgraph_dates") -> None:
        register_extensions()
        self.name = name
        self._start_rules()

    def __call__(self, doc: Doc) -> Doc:
        with self.rules():
            matches = find_dates(doc.text)
        spans = []
        for match in matches:
            span = doc.char_span(match.start, match.end, label=LABEL, alignment_mode="expand")
            if span is not None:
                span._.date = match.value
                spans.append(span)
        # another component's DATE gives way to ours where they overlap, and stays elsewhere
        others = without_overlapped(doc.ents, spans, LABEL)
        dates = without_overlapped(spans, others)  # and gives way to the other labels
        doc.ents = filter_spans(others + dates)
        return doc

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return score_label(examples, LABEL, "date", **kwargs)
