"""Every `Doc._` and `Span._` attribute newsgraph uses, declared in one place."""

from __future__ import annotations

from spacy.tokens import Doc, Span


def register_extensions() -> None:
    """Idempotent: safe to call from every entry point and every worker process."""
    if not Doc.has_extension("article_id"):
        Doc.set_extension("article_id", default=None)
    if not Doc.has_extension("officials"):
        # who holds which title: see components/officials.py
        Doc.set_extension("officials", default=None)
    if not Doc.has_extension("relations"):
        # located_in relations between mentions, or to a place by name: see components/places.py
        Doc.set_extension("relations", default=None)
    if not Doc.has_extension("parts"):
        # the article's lines by kind (headline, byline, body …): set by annotate from the page reader
        Doc.set_extension("parts", default=None)
    if not Doc.has_extension("events"):
        # the events the article reports, with their roles: see components/events.py
        Doc.set_extension("events", default=None)
    if not Span.has_extension("quantity"):
        # value, unit, approx, comparator, low, high, object, short: see components/quantities.py
        Span.set_extension("quantity", default=None)
    if not Span.has_extension("date"):
        # the normalised value of a DATE span: see newsgraph/dates.py
        Span.set_extension("date", default=None)
