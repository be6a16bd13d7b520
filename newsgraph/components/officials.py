"""`newsgraph_officials`: who holds which title, and for which organisation (newsgraph/officials.py).

Sets `Doc._.officials`: one dict per official, `{"person": ent index or None, "name",
"titles": [{"mention": ent index, "title", "org"}]}`, the indices into `doc.ents`.
"""

from __future__ import annotations

from spacy.language import Language

from newsgraph.components.mention_rules import MentionRule
from newsgraph.officials import find_officials


@Language.factory("newsgraph_officials", assigns=["doc._.officials"], requires=["doc.ents"], default_config={})
def make_officials(nlp: Language, name: str) -> OfficialsComponent:
    return OfficialsComponent(name)


class OfficialsComponent(MentionRule):
    attribute = "officials"
    finder = staticmethod(find_officials)
