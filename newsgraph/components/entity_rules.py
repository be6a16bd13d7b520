"""`newsgraph_entity_rules`: the rule layer over the statistical NER, its rules all data.

Runs after `ner` and before the quantity and date components. What it does, in order:

0. **Checks on the model's spans**: a surface of `patterns/entity_stop.tsv` (党员, 物业,
   新区) is never an entity, nor an ORG of four or more common words (n, vn, a …) that
   ends in no organisation word (防汛救灾应急处置能力); a name does not end in a verb that
   leads an event (海滨社区 | 组织网格员…, the events' light verbs and 联合); an ORG or
   PLACE takes the label of its head word (东方时尚小区 PLACE, 公用事业集团 ORG).

1. **Gazetteer** (`patterns/gazetteer.tsv`): a listed place or body is found wherever our
   words spell it, and wins over the NER spans it overlaps (rule-first), except a longer
   ORG or TITLE that contains it: 珠海街道城管办 stays one ORG though 珠海街道 is listed,
   as docs/ANNOTATION.md wants an organisation named after its place to be one span (the
   `gazetteer_policy` setting offers `longest` and `model_first` instead, for measuring). A longer
   PLACE is cut around it, and what is left stays PLACE where it ends like a place
   (汉江路社区维湾小区 → 汉江路社区 | 维湾小区: adjacent places are separate spans).
2. **Bylines**: the author names of a byline line (□记者 董梅雪 丁霞 报道) are PERSONs.
3. **Names made of plain words and a head word**, where the model has nothing: up to two
   content words before an organisation or place head word (区立医院, 安全监管中心,
   东方时尚小区); a body named after the place before it is one ORG (六汪镇乡村振兴工作队).
   Then a PLACE or ORG followed by organisation words (`patterns/org_suffixes.tsv`) becomes
   one ORG: 薛家岛街道 + 安委会 + 办公室. Level words the model leaves at a name's edge join it
   (东庄 + 社区, 区 + 农业农村局), and a proper word ending in 村 is a PLACE (王家庄村).
4. **Titles** (`patterns/titles.tsv`, `patterns/org_suffixes.tsv`): a post (书记, 副主任)
   becomes a TITLE with the prefix written against it: the organisation words before it
   (党委, 办事处, 社区) and at most one ORG or PLACE span (薛家岛街道党工委委员: the
   place is part of the title; higher places in a chain stay PLACE). A post counts only when
   it belongs to one person: it has such a prefix or a PERSON beside it, and no plural or
   generic word before it (各, 全体) or 们 after it. Rule titles win over NER spans they
   overlap; NER TITLEs that end in no post are dropped (记者, 专家, 工作人员).

Where the rules say nothing, the NER's spans stand (model-first).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import filter_spans

from newsgraph.components.carried_rules import CarriesRules
from newsgraph.components.rule_spans import without_overlapped
from newsgraph.page import byline_names
from newsgraph.patterns import (
    event_cues,
    event_lead_verbs,
    gazetteer,
    name_words,
    never_entities,
    org_words,
    place_name_heads,
    place_suffix_words,
    site_words,
    title_words,
)

PLURAL_AFTER = frozenset({"们"})
PREFIX_LABELS = frozenset({"ORG", "PLACE"})
NAMED_AFTER = frozenset({"ORG", "TITLE"})  # labels whose span may hold a place name inside
VERB_TAGS = frozenset({"v", "vd", "vn"})
TITLE = "TITLE"
# how a gazetteer hit meets the model's spans it overlaps: it wins (rule_first), the longer
# wins (longest; the rule on a tie), or the model's spans stay (model_first). Measured in bench/ner_rules_ablation.py.
GAZETTEER_POLICIES = ("rule_first", "longest", "model_first")
MAX_NAME_WORDS = 2
VILLAGE_TAGS = frozenset({"ns", "nz", "nr", "nt", "j", "s", "l"})  # names (王家庄村/l), not idioms (鱼米之乡/i)
MAX_SITE_WORDS = 12  # a visited site's name, in words (京东方…青岛生产基地 is 10)
MIN_PHRASE_WORDS = 4  # shorter ORGs of common words are names often enough (天天基金): measured on the dev sets
COMMON_WORD_TAGS = frozenset({"n", "v", "vn", "a", "an", "ad", "d", "Ng", "Vg"})  # no name is made of these alone
HEAD_TAGS = frozenset({"n", "nz", "nt", "ns", "j", "l", "Ng", "vn"})
PROPER_TAGS = frozenset({"ns", "nz", "nr", "nt", "j", "l", "s", "nx", "m", "i"})  # words that can name a place
NAME_WORD_TAGS = frozenset({"n", "nz", "vn", "an", "j", "ns", "nr", "nt", "l", "i", "nx", "b", "s", "m"})


@Language.factory(
    "newsgraph_entity_rules",
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    requires=["token.tag"],
    default_config={
        "checks": True,
        "gazetteer": True,
        "gazetteer_policy": "rule_first",
        "bylines": True,
        "orgs": True,
        "titles": True,
        "sites": True,
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0},
)
def make_entity_rules(
    nlp: Language,
    name: str,
    checks: bool,
    gazetteer: bool,
    gazetteer_policy: str,
    bylines: bool,
    orgs: bool,
    titles: bool,
    sites: bool,
) -> EntityRules:
    return EntityRules(
        name,
        use_checks=checks,
        use_gazetteer=gazetteer,
        gazetteer_policy=gazetteer_policy,
        use_bylines=bylines,
        use_orgs=orgs,
        use_titles=titles,
        use_sites=sites,
    )


class EntityRules(CarriesRules):
    def __init__(
        self,
        name: str = "newsgraph_entity_rules",
        *,
        use_checks: bool = True,
        use_gazetteer: bool = True,
        gazetteer_policy: str = "rule_first",
        use_bylines: bool = True,
        use_orgs: bool = True,
        use_titles: bool = True,
        use_sites: bool = True,
    ) -> None:
        self.name = name
        self.use_checks = use_checks
        self.use_gazetteer = use_gazetteer
        if gazetteer_policy not in GAZETTEER_POLICIES:
            raise ValueError(
                f"gazetteer_policy must be one of {', '.join(GAZETTEER_POLICIES)}, not {gazetteer_policy!r}"
            )
        self.gazetteer_policy = gazetteer_policy
        self.use_bylines = use_bylines
        self.use_orgs = use_orgs
        self.use_titles = use_titles
        self.use_sites = use_sites
        self._start_rules()

    def rules_changed(self) -> None:
        self.name_words = name_words()
        self.generic_before_names = self.name_words["generic_before"] | self.name_words["generic_name"]
        self.sites = site_words()
        entries = gazetteer()
        self.gazetteer = {e.surface: e.label for e in entries}
        self._by_first: dict[str, list[str]] = {}  # first character → surfaces, longest first
        for surface in sorted(self.gazetteer, key=len, reverse=True):
            self._by_first.setdefault(surface[0], []).append(surface)
        self.never = never_entities()
        # verbs a span must not end in (海滨社区组织网格员…): the events' gather and light verbs, 联合 …
        self.acts = event_lead_verbs() | event_cues()["co_agent"]
        self.posts = title_words()
        self._post_ends = frozenset(post[-1] for post in self.posts)
        self.org_words = org_words()
        self.place_words = place_suffix_words()
        self.prefix_words = self.org_words | self.place_words
        self.name_heads = {w: "ORG" for w in self.org_words} | {w: "PLACE" for w in place_name_heads()}

    def __call__(self, doc: Doc) -> Doc:
        with self.rules():
            return self._annotate(doc)

    def _annotate(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        # Doc.text and Token objects are built anew on each access: read them once
        text = doc.text
        words, tags, starts = [], [], []
        for token in doc:  # one pass: each Token object is made anew
            words.append(token.text)
            tags.append(token.tag_)
            starts.append(token.idx)
        if self.use_checks:
            ents = self._checked(doc, ents)
        if self.use_gazetteer:
            ents = self._gazetteer(doc, text, words, starts, ents)
        if self.use_bylines:
            ents = self._bylines(doc, text, ents)
        if self.use_orgs:
            ents = self._named_by_suffix(doc, words, tags, ents)
            ents = self._org_extension(doc, words, ents)
            ents = self._level_edges(doc, words, tags, ents)
        if self.use_titles:
            ents = self._titles(doc, words, ents)
        if self.use_sites:
            ents = self._sites(doc, words, tags, ents)
        if self.use_checks:
            ents = self._joined_pieces(doc, filter_spans(ents))
        doc.ents = filter_spans(ents)
        return doc

    # -- 0. checks on the model's spans ---------------------------------------------------

    def _checked(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Drop what is never an entity (`patterns/entity_stop.tsv`: 党员, 物业, 新区) and an ORG of
        four or more common words that ends in no organisation word; give an ORG or PLACE the
        label of its head word: 东方时尚小区 is a PLACE, 西海岸公用事业集团 an ORG, whatever the model said."""
        out = []
        for e in ents:
            if e.text in self.never:
                continue
            if e.label_ == "ORG" and self._is_noun_phrase(e):
                continue  # 防汛/vn 救灾/vn 应急/vn 处置/vn 能力/n: a noun phrase, not a body's name
            if e.label_ in PREFIX_LABELS and len(e) > 1 and e[-1].text in self.acts and self._head_of(e[-2].text):
                e = Span(doc, e.start, e.end - 1, label=e.label_)  # 海滨社区 + 组织: the verb is not in the name
            if e.label_ in PREFIX_LABELS:
                head = self.name_heads.get(e[-1].text)
                if head and head != e.label_ and len(e) > 1:
                    e = Span(doc, e.start, e.end, label=head)
            out.append(e)
        return out

    def _joined_pieces(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Touching PLACE pieces of one name are one PLACE when one piece is a single character
        or ends in a hyphen, and the last ends like a place: 中 | 铁- | 阅唐小区 → 中铁-阅唐小区.
        Two whole names side by side (汉江路社区 | 维湾小区) stay two."""
        ents = sorted(ents, key=lambda e: e.start)
        out: list[Span] = []
        run: list[Span] = []
        for e in [*ents, None]:
            if e is not None and e.label_ == "PLACE" and run and run[-1].end == e.start:
                run.append(e)
                continue
            if len(run) > 1 and self._one_name(run):
                out.append(Span(doc, run[0].start, run[-1].end, label="PLACE"))
            else:
                out.extend(run)
            run = [e] if e is not None and e.label_ == "PLACE" else []
            if e is not None and e.label_ != "PLACE":
                out.append(e)
        return out

    def _one_name(self, run: list[Span]) -> bool:
        cut = any(len(p.text) == 1 or p.text.endswith(("-", "－")) for p in run)
        return cut and any(run[-1].text.endswith(w) for w in self.place_words)

    def _is_noun_phrase(self, span: Span) -> bool:
        return (
            len(span) >= MIN_PHRASE_WORDS
            and not self._head_of(span[-1].text)
            and all(t.tag_ in COMMON_WORD_TAGS for t in span)
        )

    # -- 1. gazetteer ------------------------------------------------------------------

    def _gazetteer(self, doc: Doc, text: str, words: list[str], starts: list[int], ents: list[Span]) -> list[Span]:
        for span in self._gazetteer_hits(doc, text, words, starts):
            overlapping = [e for e in ents if e.start < span.end and span.start < e.end]
            if self.gazetteer_policy == "model_first" and overlapping:
                continue
            if self.gazetteer_policy == "longest" and any(len(e.text) > len(span.text) for e in overlapping):
                continue
            if any(self._named_after(e, span) for e in overlapping):
                continue
            rest = []
            for e in ents:
                if e.end <= span.start or e.start >= span.end:
                    rest.append(e)
                elif e.label_ == "PLACE" and e.start <= span.start and span.end <= e.end:
                    rest.extend(self._place_pieces(doc, e, span))  # 汉江路社区|维湾小区
            ents = [*rest, span]
        return ents

    def _gazetteer_hits(self, doc: Doc, text: str, words: list[str], starts: list[int]) -> list[Span]:
        """At each word start, the longest listed name that ends on a word end too (a longer
        name our words cut elsewhere does not hide a shorter one that fits)."""
        ends = {start + len(word) for start, word in zip(starts, words, strict=True)}
        hits: list[Span] = []
        i = 0
        while i < len(words):
            at = starts[i]
            options = self._by_first.get(words[i][:1], ())
            surface = next((s for s in options if text.startswith(s, at) and at + len(s) in ends), None)
            if surface is None:
                i += 1
                continue
            span = doc.char_span(at, at + len(surface), label=self.gazetteer[surface])
            hits.append(span)
            i = span.end
        return hits

    def _named_after(self, outer: Span, inner: Span) -> bool:
        """Whether `outer` is an ORG or TITLE named after `inner` (珠海街道城管办), not a span that
        ran on into a verb (薛家岛街道组织 in 薛家岛街道组织开展…)."""
        return (
            outer.label_ in NAMED_AFTER
            and outer.start <= inner.start
            and inner.end <= outer.end
            and len(outer) > len(inner)
            and outer[-1].tag_ not in VERB_TAGS
        )

    def _place_pieces(self, doc: Doc, outer: Span, inner: Span) -> list[Span]:
        """What is left of a PLACE span either side of a gazetteer name, where it still ends like a place."""
        pieces = [Span(doc, outer.start, inner.start, label="PLACE"), Span(doc, inner.end, outer.end, label="PLACE")]
        return [p for p in pieces if len(p) > 1 and len(p.text) >= 3 and p[-1].text in self.place_words]

    # -- 2. bylines ------------------------------------------------------------------------

    def _bylines(self, doc: Doc, text: str, ents: list[Span]) -> list[Span]:
        """Author names in a byline line are PERSONs (□记者 董梅雪 丁霞 报道), whatever the NER said."""
        names: list[Span] = []
        start = 0
        for line in text.split("\n"):
            for s, e in byline_names(text, start, start + len(line)):
                span = doc.char_span(s, e, label="PERSON", alignment_mode="expand")
                if span is not None:
                    names.append(span)
            start += len(line) + 1
        return _rule_wins(ents, names)

    # -- 3. names made of plain words and a head word ---------------------------------------

    def _named_by_suffix(self, doc: Doc, words: list[str], tags: list[str], ents: list[Span]) -> list[Span]:
        """安全+监管+中心, 区立+医院, 东方+时尚+小区: up to two content words before an organisation
        or place head word (one word, or a word ending in a one-character head: 监管所) name a
        body or place, where no entity is there already."""
        covered = {t for e in ents for t in range(e.start, e.end)}
        by_end = {e.end: e for e in ents}
        found: list[Span] = []
        for j, word in enumerate(words):
            label = self._head_label(word)
            if label is None or j in covered or tags[j] not in HEAD_TAGS:
                continue  # 群众所(u)关心: a particle, not an institute
            start = j
            while start > 0 and j - start < MAX_NAME_WORDS and self._is_name_word(start - 1, words, tags, covered):
                start -= 1
            if start == j and len(word) == len(self._head_of(word)):
                continue  # a head word alone (医院, 小区) names nothing
            if start > 0 and words[start - 1] in self.generic_before_names:
                continue
            if label == "PLACE" and not any(tags[i] in PROPER_TAGS for i in range(start, j)):
                continue  # 居民社区: common nouns before 社区 name no place
            before = by_end.get(start)
            if label == "ORG" and before is not None and before.label_ in PREFIX_LABELS:
                start = before.start  # 六汪镇 + 乡村振兴工作队: a body named after its place is one ORG
            found.append(Span(doc, start, j + 1, label=label))
        return _rule_wins(ents, filter_spans(found))

    def _head_of(self, word: str) -> str:
        if word in self.name_heads:
            return word
        return word[-1] if len(word) >= 3 and word[-1] in self.name_heads else ""

    def _head_label(self, word: str) -> str | None:
        head = self._head_of(word)
        return self.name_heads[head] if head else None

    def _is_name_word(self, i: int, words: list[str], tags: list[str], covered: set[int]) -> bool:
        return (
            i not in covered
            and not words[i].isspace()  # a name never runs over a line break or space
            and tags[i] in NAME_WORD_TAGS
            and words[i] not in self.name_words["generic_name"]
            and words[i] not in self.name_heads
        )

    # -- 3. organisations named after a place -------------------------------------------

    def _org_extension(self, doc: Doc, words: list[str], ents: list[Span]) -> list[Span]:
        """A PLACE or ORG followed by organisation words is one ORG (薛家岛街道 + 安委会 + 办公室,
        海滨社区 + 文艺队)."""
        by_start = {e.start: e for e in ents}
        starts = set(by_start)
        absorbed: set[int] = set()
        out = []
        for e in sorted(ents, key=lambda x: x.start):
            if e.start in absorbed:
                continue
            end = e.end
            follower = by_start.get(end)
            if e.label_ in PREFIX_LABELS and follower is not None and self._bare_body(follower):
                absorbed.add(end)  # 海滨社区 + 文艺队: a body of the place, named by the rule above
                end = follower.end
            while end < len(words) and end not in starts:
                if words[end] in self.org_words or (len(words[end]) >= 3 and self._head_label(words[end]) == "ORG"):
                    end += 1  # 安委会, 办公室; 文艺队 (a word that ends in one)
                elif end + 1 < len(words) and words[end] + words[end + 1] in self.org_words and end + 1 not in starts:
                    end += 2  # 应急/办: an organisation word the segmenter cut in two
                else:
                    break
            out.append(e if end == e.end or e.label_ not in PREFIX_LABELS else Span(doc, e.start, end, label="ORG"))
        return out

    def _bare_body(self, span: Span) -> bool:
        """An ORG of one word that ends in an organisation word (文艺队, 服务站): a body with no
        name of its own, named by the place before it."""
        return span.label_ == "ORG" and len(span) == 1 and len(span.text) >= 3 and self._head_label(span.text) == "ORG"

    def _level_edges(self, doc: Doc, words: list[str], tags: list[str], ents: list[Span]) -> list[Span]:
        """The level words the model leaves at a name's edges: a PLACE followed by a place word
        is one PLACE (东庄 + 社区, 董家口 + 港区); a one-character level word before an ORG or
        TITLE is part of it (区 + 农业农村局, 区 + 退役军人事务局副局长); and a proper word
        ending in 村/镇/乡 is a PLACE where nothing is (王家庄村)."""
        covered = {t for e in ents for t in range(e.start, e.end)}
        out = []
        for e in sorted(ents, key=lambda x: x.start):
            start, end = e.start, e.end
            if e.label_ == "PLACE" and end < len(words) and words[end] in self.place_words and end not in covered:
                end += 1
            level_before = (
                start > 0 and words[start - 1] in self.name_words["level_prefix"] and start - 1 not in covered
            )
            if e.label_ in ("ORG", "TITLE") and level_before:
                start -= 1
            out.append(e if (start, end) == (e.start, e.end) else Span(doc, start, end, label=e.label_))
        covered = {t for e in out for t in range(e.start, e.end)}
        for i, word in enumerate(words):
            village = word[-1] in self.name_words["village_end"] and tags[i] in VILLAGE_TAGS and "之" not in word
            if i not in covered and len(word) >= 3 and village:
                out.append(Span(doc, i, i + 1, label="PLACE"))
        return out

    # -- 4. titles ---------------------------------------------------------------------

    def _titles(self, doc: Doc, words: list[str], ents: list[Span]) -> list[Span]:
        by_end = {e.end: e for e in ents}
        persons_start = {e.start for e in ents if e.label_ == "PERSON"}
        persons_end = {e.end for e in ents if e.label_ == "PERSON"}
        covered = {t for e in ents if e.label_ in PREFIX_LABELS for t in range(e.start, e.end)}
        titles: list[Span] = []
        for j, word in enumerate(words):
            if word[-1:] not in self._post_ends:
                continue
            head = self._post_ending_at(words, j, covered)
            if head is None:
                continue
            model_title = by_end.get(j + 1)
            if model_title is not None and model_title.label_ == TITLE and model_title.start < head:
                continue  # the model's title ends here with a prefix of its own (薛家岛街道党工委委员): it stays
            start, prefixed = self._extend_left(doc, head, by_end)
            prefixed = prefixed or self._has_own_prefix("".join(words[head : j + 1]))
            if self._belongs_to_one(doc, start, j + 1, prefixed, persons_start, persons_end):
                titles.append(Span(doc, start, j + 1, label=TITLE))
        return _rule_wins([e for e in ents if e.label_ != TITLE or self._ends_in_post(e)], filter_spans(titles))

    def _post_ending_at(self, words: list[str], j: int, covered: set[int]) -> int | None:
        """Where the longest post ending with word j starts (副+主任, 党委书记), never inside an ORG or PLACE."""
        best = None
        text = ""
        for k in range(j, max(j - 3, -1), -1):
            text = words[k] + text
            if text in self.posts and k not in covered:
                best = k
        return best

    def _extend_left(self, doc: Doc, start: int, by_end: dict[int, Span]) -> tuple[int, bool]:
        prefixed = False
        took_entity = False
        while start > 0:
            before = doc[start - 1]
            entity = by_end.get(start)
            if entity is not None and entity.label_ in PREFIX_LABELS and not took_entity:
                start, prefixed, took_entity = entity.start, True, True
                if entity.label_ == "PLACE":
                    break  # a place ends the prefix: higher places stay PLACE
                continue
            if before.text in self.prefix_words and not took_entity:
                start, prefixed = start - 1, True
                continue
            break
        return start, prefixed

    def _belongs_to_one(
        self, doc: Doc, start: int, end: int, prefixed: bool, persons_start: set[int], persons_end: set[int]
    ) -> bool:
        before = doc[start - 1] if start > 0 else None
        if (
            before is not None
            and not before.is_space
            and (before.text in self.name_words["generic_before"] or before.tag_ in ("m", "q"))
        ):
            return False  # 各社区党委书记, 3名委员: generic or counted, not one person's office
        if end < len(doc) and doc[end].text in PLURAL_AFTER:
            return False
        return prefixed or end in persons_start or start in persons_end

    def _has_own_prefix(self, post: str) -> bool:
        """社区书记, 党委书记: the post is written with an organisation or place word of its own."""
        return any(post.startswith(word) and len(post) > len(word) for word in self.prefix_words)

    def _ends_in_post(self, span: Span) -> bool:
        return any(span.text.endswith(word) for word in self.posts)

    # -- 5. visited sites ------------------------------------------------------------------

    def _sites(self, doc: Doc, words: list[str], tags: list[str], ents: list[Span]) -> list[Span]:
        """A site after a visit frame is one PLACE however many words it takes (参观了 +
        中共胶南县委成立旧址 、 京东方…青岛生产基地; 来到 + 杨家山里红色教育基地): from the
        frame (or a joiner, 、 和, after a site found so) to a site head word, with a name word in it."""
        heads, frames, joiners = self.sites["head"], self.sites["frame"], self.sites["joiner"]
        found: list[Span] = []
        listed_until = -1  # a list of sites after a frame goes on over 、
        start = None
        verbs_allowed = True
        for j, word in enumerate(words):
            two = words[j - 1] + word if j else ""  # 走/进: a frame the segmenter cut in two
            if word in frames or word in self.sites["at"] or two in frames:
                start, listed_until, verbs_allowed = j + 1, -1, word in frames or two in frames
                continue
            if word in joiners and listed_until == j:
                start = j + 1
                continue
            if start is None:
                continue
            if j == start and tags[j] == "u":  # 参观了
                start += 1
                continue
            if tags[j] in ("w", "m") or word.isspace() or j - start >= MAX_SITE_WORDS:
                start = None  # a site's name runs over no punctuation or number (在2023年建成3个基地)
                continue
            is_head = any(word.endswith(h) for h in heads)
            if tags[j] in VERB_TAGS and not verbs_allowed and not (is_head or word in self.sites["descriptor"]):
                start = None  # 在全区推广基地: after 在, a verb ends the name (after 参观, 成立 is in it)
                continue
            if is_head and any(self._names_a_site(words[i], tags[i]) for i in range(start, j)):
                found.append(Span(doc, start, j + 1, label="PLACE"))
                listed_until, start = j + 1, None
        return _rule_wins(ents, found)

    def _names_a_site(self, word: str, tag: str) -> bool:
        """A proper word, or a noun of three characters or more (大珠山/n): common words alone
        (种植基地) name no site."""
        return tag in PROPER_TAGS or (tag == "n" and len(word) >= 3)

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return Scorer.score_spans(examples, "ents", **kwargs)


def _rule_wins(ents: list[Span], rule_spans: list[Span]) -> list[Span]:
    """`ents` without those the rule spans overlap, plus the rule spans."""
    return without_overlapped(ents, rule_spans) + rule_spans
