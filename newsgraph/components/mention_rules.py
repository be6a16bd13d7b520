"""The shape shared by components that read an article's entities and set one `Doc._` value.

`newsgraph_officials` and `newsgraph_places` are pure functions of the text and `doc.ents`
(newsgraph/officials.py, newsgraph/places.py); this base turns such a function into a spaCy
component. They read only the entities, so they run after every component that makes them,
and `annotate` runs them again on an article that was tagged in pieces, once joined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spacy.tokens import Doc

from newsgraph.components.carried_rules import CarriesRules
from newsgraph.extensions import register_extensions
from newsgraph.officials import Mention


def doc_mentions(doc: Doc) -> list[Mention]:
    """The Doc's entities as Mentions; `index` is the position in `doc.ents`."""
    return [Mention(i, e.start_char, e.end_char, e.label_, e.text) for i, e in enumerate(doc.ents)]


class MentionRule(CarriesRules):
    """Sets `Doc._.<attribute>` to `finder(doc.text, doc_mentions(doc))`, with its own rule files."""

    attribute: str
    finder: Callable[[str, Sequence[Mention]], Any]

    def __init__(self, name: str) -> None:
        self.name = name
        register_extensions()
        self._start_rules()

    def __call__(self, doc: Doc) -> Doc:
        setattr(doc._, self.attribute, self.find(doc.text, doc_mentions(doc)))
        return doc

    def find(self, text: str, mentions: Sequence[Mention]) -> Any:
        """What `__call__` sets, from plain values (`annotate` asks it for an article tagged in pieces)."""
        with self.rules():
            return type(self).finder(text, mentions)
