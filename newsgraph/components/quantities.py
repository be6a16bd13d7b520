"""`newsgraph_quantities`: QUANTITY entities with value, unit, qualifiers and the object counted.

Matches come from the character scanner (`newsgraph/quantities.py`), so the component works
on any tokens; a match that cuts a token is widened to whole tokens. The object is read
from the tagged words around the match (PKU tags from the core tagger):

- the noun phrase right after it: 6家单位 → 单位, 召开3次安全生产专题会议 → 安全生产专题会议;
  after 家 (which counts bodies) only its first noun: 6家单位党组织 → 单位;
- else the noun phrase right before it, across linking words (已, 达, 为 …) and quotes:
  暂扣液化气罐103个 → 液化气罐, “瓶改电”率已达90%左右 → 瓶改电率, 胶管超2米 → 胶管;
- else none: 共出动704人次 → null.

Where the 1998-trained tagger misleads, word lists steer (`patterns/quantity_object_words.tsv`):
measured attributes are nouns whatever their tag (蔬菜均价/v 5元 → 蔬菜均价), so are gazetteer
names and domain terms (液化石油气); an act before the thing starts the object after it
(区财政投入/vn 资金 → 资金), a verb before a head noun is part of it (培训/v 时长 → 培训时长);
the area a figure covers is not the thing (辖区常住人口 → 常住人口);
and in a 从…到 phrase the place after 到 belongs to the phrase (从社区到医院车程 → 车程).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.training import Example
from spacy.util import filter_spans

from newsgraph.components.carried_rules import CarriesRules
from newsgraph.components.rule_spans import score_label, without_overlapped
from newsgraph.extensions import register_extensions
from newsgraph.numbers import as_json_number
from newsgraph.patterns import quantity_object_words, segmenter_words, tag_sets
from newsgraph.quantities import QuantityMatch, find_quantities
from newsgraph.rule_data import rule_cache

LABEL = "QUANTITY"
MODIFIER_ONLY_TAGS = frozenset({"a", "b"})  # with the noun tags, the words a modifier is made of
RELATIVE_CLAUSE_REACH = 3  # a verb joins the phrase only if 的 follows within this many words (选聘的观察员)
OPENING_QUOTES = frozenset("“‘「『\"'")
CLOSING_QUOTES = frozenset("”’」』\"'")
QUOTES = frozenset("“”‘’\"'「」『』")


@rule_cache
def _object_words() -> dict[str, frozenset[str]]:
    """Role → words of `quantity_object_words.tsv`: link; suffix (瓶改电率: nominal whatever the
    tagger says); body_counter; thing_counter (a verb right before them may be a mis-tagged noun);
    verb (投入资金: the object starts after the act); head (培训/v 时长: one word); scope
    (辖区常住人口 → 常住人口); noun, with the segmenter's words: 均价 (a measured attribute),
    液化石油气 (a domain term), 薛家岛街道 (a gazetteer name) are nominal whatever the tagger says.
    And two tag sets: noun_tags (`tag_sets.tsv`, quantity_object_noun) and modifier_tags."""
    words = dict(quantity_object_words())
    words["noun"] = words["noun"] | frozenset(segmenter_words())
    words["noun_tags"] = tag_sets()["quantity_object_noun"]  # not words but tags: `tag_sets.tsv`
    words["modifier_tags"] = words["noun_tags"] | MODIFIER_ONLY_TAGS
    return words


FRAME_OPENERS = frozenset({"从", "由", "自"})  # 从社区到医院车程: the place after 到 closes the frame
FRAME_CLOSERS = frozenset({"到", "至"})


@Language.factory(
    "newsgraph_quantities",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type", "doc.spans", "span._.quantity"],
    requires=["token.tag"],
    default_config={"overwrite_ents": True},
    default_score_weights={"quantity_f": 1.0, "quantity_p": 0.0, "quantity_r": 0.0},
)
def make_quantities(nlp: Language, name: str, overwrite_ents: bool) -> QuantityComponent:
    return QuantityComponent(name, overwrite_ents=overwrite_ents)


class QuantityComponent(CarriesRules):
    """Adds QUANTITY spans to `doc.ents` with `Span._.quantity`. They win over a statistical
    QUANTITY and over another label's span that ends with them or crosses them (the model's
    ORG 检查燃气灶具15台); a span that holds one inside keeps it (longest wins)."""

    def __init__(self, name: str = "newsgraph_quantities", overwrite_ents: bool = True) -> None:
        register_extensions()
        self.name = name
        self.overwrite_ents = overwrite_ents
        self._start_rules()

    def __call__(self, doc: Doc) -> Doc:
        with self.rules():
            return self._annotate(doc)

    def _annotate(self, doc: Doc) -> Doc:
        spans = []
        for match in find_quantities(doc.text):
            span = doc.char_span(match.start, match.end, label=LABEL, alignment_mode="expand")
            if span is None:
                continue
            span._.quantity = quantity_attributes(match, span)
            spans.append(span)
        kept = without_overlapped(doc.ents, spans, LABEL) if self.overwrite_ents else list(doc.ents)
        if self.overwrite_ents:  # a name does not end in a count: 检查燃气灶具15台 is no ORG
            at_token: dict[int, list[Span]] = {}  # the quantities over each token: not all of them per entity
            for q in spans:
                for i in range(q.start, q.end):
                    at_token.setdefault(i, []).append(q)
            kept = [
                e for e in kept if not any(_runs_into(e, q) for i in range(e.start, e.end) for q in at_token.get(i, ()))
            ]
        doc.ents = filter_spans(spans + kept) if self.overwrite_ents else filter_spans(kept + spans)
        doc.spans["quantities"] = [s for s in doc.ents if s.label_ == LABEL]
        return doc

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return score_label(examples, LABEL, "quantity", **kwargs)


def _runs_into(entity: Span, quantity: Span) -> bool:
    """Whether another label's span ends with the quantity or crosses it; one that holds it
    inside (a count within a name) does not, and the longer span wins there."""
    overlaps = entity.start < quantity.end and quantity.start < entity.end
    inside = entity.start <= quantity.start and quantity.end < entity.end
    return overlaps and not inside


def quantity_attributes(match: QuantityMatch, span: Span) -> dict[str, Any]:
    obj_span = object_of(span, match.unit)
    obj = None if obj_span is None else "".join(t.text for t in obj_span if t.text not in QUOTES)
    value = as_json_number(match.value)
    if match.low is not None and match.high is not None:
        amount = f"{as_json_number(match.low)}~{as_json_number(match.high)}"
    else:
        amount = str(value) if len(str(value)) <= 8 else match.number_text  # 三分之一 stays as written
    return {
        "value": value,
        "unit": match.unit,
        "approx": match.approx,
        "comparator": match.comparator,
        "low": None if match.low is None else as_json_number(match.low),
        "high": None if match.high is None else as_json_number(match.high),
        "object": obj,
        "object_span": None if obj_span is None else [obj_span.start_char, obj_span.end_char],
        "short": f"{amount}{match.unit or ''}{obj or ''}",  # the mission's form: 103个液化气罐, 90%瓶改电率
    }


def object_of(span: Span, unit: str | None) -> Span | None:
    """The words of the thing counted or measured (quotes inside it kept), or None (see module doc)."""
    counts_things = unit in _object_words()["thing_counter"]
    return _noun_run(span.doc, span.end, unit) or _noun_run_before(span.doc, span.start, counts_things)


def _is_nominal(token: Token) -> bool:
    words = _object_words()
    return token.tag_ in words["noun_tags"] or token.text in words["suffix"] or token.text in words["noun"]


def _noun_run(doc: Doc, start: int, unit: str | None) -> Span | None:
    """The noun phrase right after the quantity; across 的, only its head: 4名选聘的观察员 → 观察员."""
    lists = _object_words()  # once a call: this runs for every quantity
    words: list[Token] = []
    i = start + 1 if start < len(doc) and doc[start].text == "的" else start  # 三分之一的居民
    while i < len(doc) and doc[i].text not in lists["link"] and doc[i].text not in lists["verb"]:
        token = doc[i]
        if not (
            token.tag_ in lists["modifier_tags"]
            or token.text in lists["noun"]
            or token.text in QUOTES
            or (token.text == "的" and words)
            or (token.tag_.startswith("v") and _de_follows(doc, i))
        ):
            break
        words.append(token)
        if unit in lists["body_counter"] and token.tag_ == "n":
            break
        i += 1
    while words and not _is_nominal(words[-1]):
        words.pop()  # end on a noun: 3名表现突出 → no object from a verb
    if any(t.text == "的" for t in words):
        words = words[max(k for k, t in enumerate(words) if t.text == "的") + 1 :]
    return _as_span(doc, words)


def _de_follows(doc: Doc, i: int) -> bool:
    return any(t.text == "的" for t in doc[i + 1 : i + 1 + RELATIVE_CLAUSE_REACH])


def _noun_run_before(doc: Doc, end: int, counts_things: bool) -> Span | None:
    """The noun phrase right before it, across linking words: 瓶改电率已达90% → 瓶改电率."""
    lists = _object_words()  # once a call: this runs for every quantity
    i = end - 1
    while i >= 0 and doc[i].text in lists["link"]:
        i -= 1
    words: list[Token] = []
    if (
        counts_things
        and i > 0
        and doc[i].tag_ == "v"
        and doc[i].text not in lists["verb"]
        and _is_nominal(doc[i - 1])
        and _verb_before(doc, i - 1)
    ):
        words.append(doc[i])  # 收集群众意见建议/v 18条: the clause's verb is 收集, so 建议 is a noun here
        i -= 1
    while i >= 0 and (
        _is_nominal(doc[i])
        or doc[i].text in QUOTES
        or (doc[i].tag_ in ("a", "b") and words)
        or (doc[i].tag_ == "v" and words and words[0].text in lists["head"] and doc[i].text not in lists["verb"])
    ):
        words.insert(0, doc[i])
        if doc[i].text in OPENING_QUOTES and len(words) > 1:
            break  # a quoted term is the whole object: 餐饮商户“瓶改电”率 → 瓶改电率
        i -= 1
    acts = [k for k, t in enumerate(words[:-1]) if t.text in lists["verb"] and words[k + 1].text not in lists["suffix"]]
    if acts:
        words = words[acts[-1] + 1 :]  # 区财政投入资金 → 资金
    while len(words) > 1 and words[0].text in lists["scope"]:
        words = words[1:]
    if words and i > 0 and doc[i].text in FRAME_CLOSERS and _frame_opened(doc, i - 1):
        words = words[-1:]  # 从社区到医院车程 → 车程: 医院 ends the 从…到 phrase
    return _as_span(doc, words)


def _clause_has(doc: Doc, i: int, wanted: Callable[[Token], bool]) -> bool:
    """Whether a word from `i` back to the last punctuation mark of the clause is `wanted`."""
    while i >= 0 and doc[i].tag_ != "w":
        if wanted(doc[i]):
            return True
        i -= 1
    return False


def _verb_before(doc: Doc, i: int) -> bool:
    return _clause_has(doc, i, lambda t: t.tag_ == "v")


def _frame_opened(doc: Doc, i: int) -> bool:
    """A 从/由/自 earlier in the clause, so 到 closes a 从…到 phrase."""
    return _clause_has(doc, i, lambda t: t.text in FRAME_OPENERS)


def _as_span(doc: Doc, words: list[Token]) -> Span | None:
    """The words as one span; a quote at an edge stays only with its partner inside (“瓶改电”率)."""
    while words and words[0].text in QUOTES and not any(t.text in CLOSING_QUOTES for t in words[1:]):
        words = words[1:]
    while words and words[-1].text in QUOTES and not any(t.text in OPENING_QUOTES for t in words[:-1]):
        words = words[:-1]
    if not any(t.text not in QUOTES for t in words):
        return None
    return doc[words[0].i : words[-1].i + 1]
