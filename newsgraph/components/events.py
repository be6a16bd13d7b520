"""`newsgraph_events`: the events an article reports, with their roles (newsgraph/events.py).

Sets `Doc._.events`: one dict per event, `{"type", "trigger", "trigger_start", "trigger_end",
"start", "end", "date", "date_inherited", "places", "participants", "quantities"}`, mentions
given as indices into `doc.ents`. It reads the tagger's tags, the entities and
`Doc._.officials`, so it runs after `newsgraph_officials`. Where `Doc._.parts` says which
lines are body text (`annotate` sets it from the page reader), only those report events;
otherwise every line does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.attrs import IDX, LENGTH, TAG
from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.components.carried_rules import CarriesRules
from newsgraph.components.mention_rules import doc_mentions
from newsgraph.events import Token, find_events
from newsgraph.extensions import register_extensions
from newsgraph.officials import Mention

BODY_KINDS = frozenset({"body"})


@Language.factory(
    "newsgraph_events",
    assigns=["doc._.events"],
    requires=["doc.ents", "token.tag", "doc._.officials"],
    default_config={},
)
def make_events(nlp: Language, name: str) -> EventsComponent:
    return EventsComponent(name)


class EventsComponent(CarriesRules):
    def __init__(self, name: str) -> None:
        self.name = name
        register_extensions()
        self._start_rules()

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        # one array read instead of a Token object per word (spaCy builds each anew)
        tokens = [Token(i, i + n, strings[tag]) for i, n, tag in doc.to_array([IDX, LENGTH, TAG]).tolist()]
        doc._.events = self.find(doc.text, tokens, doc_mentions(doc), doc._.parts, doc._.officials or [])
        return doc

    def find(
        self,
        text: str,
        tokens: Sequence[Token],
        mentions: Sequence[Mention],
        parts: Sequence[dict[str, Any]] | None,
        officials: Sequence[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """What `__call__` sets, from plain values: `annotate` asks it for an article that was
        tagged in pieces, whose Docs are gone."""
        body = None if parts is None else [(p["start"], p["end"]) for p in parts if p["kind"] in BODY_KINDS]
        with self.rules():
            return find_events(text, tokens, mentions, body, officials)
