"""`newsgraph_places`: *located in* relations between places and the bodies named after them.

Sets `Doc._.relations`: `{"type": "located_in", "head": ent index, "tail": ent index}` or
`{…, "tail_name": place}` (newsgraph/places.py), the indices into `doc.ents`.
"""

from __future__ import annotations

from spacy.language import Language

from newsgraph.components.mention_rules import MentionRule
from newsgraph.places import located_in


@Language.factory("newsgraph_places", assigns=["doc._.relations"], requires=["doc.ents"], default_config={})
def make_places(nlp: Language, name: str) -> PlacesComponent:
    return PlacesComponent(name)


class PlacesComponent(MentionRule):
    attribute = "relations"
    finder = staticmethod(located_in)
