"""Events: what an article reports, each with its type, trigger, extent and roles (docs/ANNOTATION.md).

Pure functions over an article's text, its body ranges, its tokens (offsets and PKU tags), its
entity spans and its officials, like officials.py and places.py. The words are data:
`patterns/event_triggers.tsv` (triggers and type cues) and `patterns/event_cues.tsv`.

1. **Sentences.** Body paragraphs are cut after 。！？ (with any closing quote). An attribution
   after a quote (…摸排。”丁广明介绍。) stays with the quote, and marks its speaker.
2. **The trigger of a sentence**, the first rule that finds one:
   - a gathering held (举行, 召开): the verb, typed by the last cue of the gathering's noun
     phrase, after the verb or else before it (举行…主题党日活动暨聘任仪式 → ceremony;
     …书画笔会在王台街道举行 → cultural), or by the noun's last word (召开点评会 → meeting);
   - a named activity in quotes that the sentence is built on (通过“邻聚力议事汇”活动,
     在“干群连心会”上): the name, typed by its head (会, 汇 → meeting);
   - a light verb's object (开展燃气安全专项检查行动, 进行全面摸排): the last activity word in it;
   - else the sentence's first activity or result word (签订, 参观了, 提供帮扶).
   Words inside an entity (联合整治小组) or at the front of a longer word (检查人员) are none.
3. **Extents.** A sentence with a trigger starts an event, unless it goes on with the open
   one: the same type, and a continuation cue (行动中，检查人员详细检查了…), the same trigger
   word, or a result (已暂扣液化气罐103个). A sentence without one goes on with the open event
   in its paragraph, or in the next paragraph if that starts with a continuation cue
   (活动现场，…). Plans (下一步，…将…), a paragraph break and a non-body line (a byline) end it.
4. **Roles**, from the mentions inside the extent, but not a quoted speaker's
   (…”丁广明介绍) and not a modifier (中国共产党党旗, 2023青岛红色旅游书画笔会, 王台街道的发展):
   - participants: the ORGs, the officials (the person and the titles, or the titles alone),
     and the PLACEs that act as a body, at the head of a clause before a verb (泊里镇举行…,
     滨海街道联合中铁-阅唐小区、东方时尚小区开展…);
   - places: the PLACEs, except the leading agent where the event names another place
     (滨海街道 above is the organiser; the drill is in the 小区), and except the parties of an
     agreement (the parties are not where it is signed);
   - quantities: the QUANTITYs; date: the first DATE. An event with no DATE of its own inherits
     the nearest one before it in the body (`date_inherited`), or the article's date (records.py).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from newsgraph.officials import Mention
from newsgraph.patterns import TriggerWord, event_cues, event_lead_verbs, event_triggers, tag_sets
from newsgraph.rule_data import rule_cache

SENTENCE_ENDS = "。！？!?"
CLOSERS = "”’」』）)"
CLAUSE_ENDS = "，,；;：:。！？!?\n"
MAX_ATTRIBUTION = 40  # characters: 薛家岛街道党工委委员、办事处副主任丁广明介绍。
PHRASE_STOPS = frozenset({"p", "w", "u", "y"})
VERBISH_TAGS = frozenset({"v", "vd", "vn", "d", "p", "ad", "c"})
AGENT_LABELS = frozenset({"ORG", "PLACE"})
ACTOR_LABELS = frozenset({"ORG", "PLACE", "PERSON"})
NO_PLACE_AGENTS = frozenset({"agreement"})  # the parties of an agreement are not where it is signed
QUOTE = re.compile(r"“([^“”\n]{2,30})”")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    tag: str


class Tokens(Sequence[Token]):
    """An article's tokens in compact arrays, for an article annotated in pieces: a Token object
    each costs about 150 bytes, and a 1 M-character article has 600 k tokens."""

    def __init__(self) -> None:
        self.starts = array("q")
        self.ends = array("q")
        self.tags: list[str] = []

    def extend(self, rows: Iterable[tuple[int, int, str]]) -> None:
        """Append (start, end, tag) rows, after every token already held."""
        for start, end, tag in rows:
            self.starts.append(start)
            self.ends.append(end)
            self.tags.append(tag)

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, i: int) -> Token: ...
    @overload
    def __getitem__(self, i: slice) -> list[Token]: ...
    def __getitem__(self, i: int | slice) -> Token | list[Token]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return Token(self.starts[i], self.ends[i], self.tags[i])

    def __iter__(self) -> Iterator[Token]:
        return map(Token, self.starts, self.ends, self.tags)

    def at(self, offset: int) -> Token | None:
        """The token that starts at `offset`, if any."""
        i = bisect_left(self.starts, offset)
        return self[i] if i < len(self.starts) and self.starts[i] == offset else None


class Offsets:
    """A set of text offsets, one byte per character: a set of ints costs 60 bytes an offset."""

    def __init__(self, size: int, offsets: Iterable[int]) -> None:
        self._marks = bytearray(size + 1)
        for offset in offsets:
            if 0 <= offset <= size:
                self._marks[offset] = 1

    def __contains__(self, offset: int) -> bool:
        return 0 <= offset < len(self._marks) and self._marks[offset] == 1


def token_offsets(size: int, tokens: Sequence[Token]) -> tuple[Offsets, Offsets]:
    """Where the tokens start and where they end, as offset sets over a text of `size` characters."""
    if isinstance(tokens, Tokens):
        return Offsets(size, tokens.starts), Offsets(size, tokens.ends)
    return Offsets(size, (t.start for t in tokens)), Offsets(size, (t.end for t in tokens))


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: int
    speaker_from: int | None = None  # where an attribution after a quote starts


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    type: str
    word: str
    kind: str


@dataclass
class _Event:
    trigger: Trigger
    start: int
    end: int
    sentences: list[Sentence] = field(default_factory=list)


class _Index:
    """The article's mentions, sorted, for lookups in log time: events of a long article must not
    scan every mention for every sentence (a 79 k-character article took 47 s that way)."""

    def __init__(self, mentions: Sequence[Mention], officials: Sequence[dict[str, Any]]) -> None:
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.mentions]
        self.by_start = {m.start: m for m in reversed(self.mentions)}  # the first mention at each start
        self.entities = [m for m in self.mentions if m.label not in ("DATE", "QUANTITY")]
        self.entity_starts = [m.start for m in self.entities]
        self.agents = {m.start: m for m in self.mentions if m.label in AGENT_LABELS}
        self.by_text: dict[str, list[Mention]] = defaultdict(list)  # in text order
        for m in self.mentions:
            self.by_text[m.text].append(m)
        self.by_text_starts = {t: [m.start for m in ms] for t, ms in self.by_text.items()}
        self.official_names = {o["name"] for o in officials if o.get("name")}
        self.official_mentions = {t["mention"] for o in officials for t in o.get("titles", [])}
        self.official_mentions |= {o["person"] for o in officials if o.get("person") is not None}

    def within(self, start: int, end: int) -> list[Mention]:
        """The mentions inside [start, end), in text order."""
        out = []
        for i in range(bisect_left(self.starts, start), len(self.mentions)):
            mention = self.mentions[i]
            if mention.start >= end:
                break
            if mention.end <= end:
                out.append(mention)
        return out

    def has_text_within(self, text: str, start: int, end: int) -> bool:
        """Whether a mention of this text lies inside [start, end)."""
        same = self.by_text.get(text, ())
        for i in range(bisect_left(self.by_text_starts.get(text, ()), start), len(same)):
            if same[i].start >= end:
                return False
            if same[i].end <= end:
                return True
        return False

    def overlaps_entity(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps an entity (entities never overlap one another)."""
        i = bisect_left(self.entity_starts, end) - 1
        return i >= 0 and self.entities[i].end > start


_CLAUSE_END = re.compile("[" + "".join(re.escape(c) for c in CLAUSE_ENDS) + "]")


class _Clauses:
    """Where the article's clauses end, and where its modal words stand at a token start, for
    lookups in log time: a text with no punctuation is one clause however long, and scanning
    back to a clause's start for every word in it was quadratic."""

    def __init__(self, text: str, starts: Offsets) -> None:
        self.ends = array("q", (m.start() for m in _CLAUSE_END.finditer(text)))
        self.modals: list[tuple[int, array[int]]] = []  # (length, where it starts at a token start)
        for word in sorted(w for w in event_cues()["modal"] if w):
            found = array("q")
            at = text.find(word)
            while at >= 0:
                if at in starts:
                    found.append(at)
                at = text.find(word, at + 1)
            if found:
                self.modals.append((len(word), found))

    def end(self, at: int, stop: int) -> int:
        """The first clause end at or after `at`, but not after `stop`."""
        if at >= stop:
            return at
        i = bisect_left(self.ends, at)
        return self.ends[i] if i < len(self.ends) and self.ends[i] < stop else stop

    def start(self, at: int, stop: int) -> int:
        """Just after the last clause end before `at`, but not before `stop`."""
        if at <= stop:
            return at
        i = bisect_left(self.ends, at) - 1
        return max(stop, self.ends[i] + 1) if i >= 0 else stop

    def modal_in(self, start: int, end: int) -> bool:
        """Whether a modal word (将, 要, 拟 …) lies in text[start:end], starting a token."""
        for length, found in self.modals:
            i = bisect_left(found, start)
            if i < len(found) and found[i] + length <= end:
                return True
        return False


def find_events(
    text: str,
    tokens: Sequence[Token],
    mentions: Sequence[Mention],
    body: Sequence[tuple[int, int]] | None = None,
    officials: Sequence[dict[str, Any]] = (),
) -> list[dict[str, Any]]:
    """The article's events in text order: `{"type", "trigger", "trigger_start", "trigger_end",
    "start", "end", "date", "date_inherited", "places", "participants", "quantities"}`, every
    mention given by its index. `body`: the (start, end) of each line that is body text, in
    order (default: every line of `text`)."""
    if body is None:
        body = _lines(text)
    sentences = split_sentences(text, body)
    starts, ends = token_offsets(len(text), tokens)
    index = _Index(mentions, officials)
    clauses = _Clauses(text, starts)
    events: list[_Event] = []
    open_event: _Event | None = None
    previous: Sentence | None = None
    for sentence in sentences:
        new_paragraph = previous is None or sentence.paragraph != previous.paragraph
        adjacent = previous is not None and sentence.paragraph - previous.paragraph <= 1
        previous = sentence
        opening = text[sentence.start : sentence.end].lstrip()
        if _starts_with(opening, "plan"):
            open_event = None
            continue
        cue = _starts_with(opening, "continue")
        matches = _matches(text, sentence.start, sentence.speaker_from or sentence.end, starts, ends, index, clauses)
        trigger = _sentence_trigger(text, sentence, starts, ends, matches, clauses)
        if open_event is not None and not adjacent:
            open_event = None
        if trigger is not None:
            own_agent = bool(_sentence_agents(text, tokens, sentence, index.agents, clauses)[0])
            goes_on = open_event is not None and (
                _goes_on(open_event, trigger, cue, own_agent)
                or (cue and not own_agent and any(_goes_on(open_event, m, cue, own_agent) for m in matches))
            )  # 行动中，执法人员共检查经营户210户，查处…: the cue and a word of the event's own
            if goes_on:
                _extend(open_event, sentence)
                continue
            open_event = _Event(trigger, sentence.start, sentence.end)
            open_event.sentences.append(sentence)
            events.append(open_event)
        elif open_event is not None and (not new_paragraph or cue or _same_actor(sentence, open_event, index)):
            _extend(open_event, sentence)
        else:
            open_event = None
    reported_dates = [m for e in events for m in index.within(e.start, e.end) if m.label == "DATE"]
    reported_ends = [m.end for m in reported_dates]
    return [_record(text, tokens, index, clauses, event, reported_dates, reported_ends) for event in events]


def event_of(start: int, end: int, events: Sequence[dict[str, Any]], starts: Sequence[int] | None = None) -> int | None:
    """The index of the event whose report holds [start, end), if any. Reports do not overlap
    and come in text order; give `starts` (each event's start) to look up many spans in log time."""
    at = bisect_right(starts if starts is not None else [e["start"] for e in events], start) - 1
    return at if at >= 0 and end <= events[at]["end"] else None


# -- sentences ------------------------------------------------------------------------------


def split_sentences(text: str, body: Sequence[tuple[int, int]]) -> list[Sentence]:
    """Sentences of the body lines; `paragraph` is the line's position among all lines, so that
    a non-body line between two paragraphs (a byline) shows as a gap."""
    line_of = _line_numbers(text)
    out: list[Sentence] = []
    for start, end in body:
        paragraph = line_of(start)
        at = start
        i = start
        while i < end:
            if text[i] in SENTENCE_ENDS:
                j = i + 1
                while j < end and (text[j] in SENTENCE_ENDS or text[j] in CLOSERS or text[j] == "…"):
                    j += 1
                _add(out, text, at, j, paragraph)
                at = i = j
                continue
            if text[i] in "，," and any(text.startswith(w, i + 1) for w in event_cues()["sequence"]):
                _add(out, text, at, i + 1, paragraph)  # …重温入党誓词，| 随后参观了…
                at = i = i + 1
                continue
            i += 1
        _add(out, text, at, end, paragraph)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return
    before = out[-1] if out else None
    piece = text[start:end]
    if (
        before is not None
        and before.paragraph == paragraph
        and text[before.end - 1] in "”」"
        and len(piece) <= MAX_ATTRIBUTION
        and any(piece.rstrip("。！？!?").endswith(w) for w in event_cues()["speech"])
    ):
        before.speaker_from, before.end = start, end  # …摸排。”丁广明介绍。
        return
    out.append(Sentence(start, end, paragraph))


def _lines(text: str) -> list[tuple[int, int]]:
    out, at = [], 0
    for line in text.split("\n"):
        out.append((at, at + len(line)))
        at += len(line) + 1
    return out


def _line_numbers(text: str):
    breaks = [i for i, c in enumerate(text) if c == "\n"]

    def line_of(offset: int) -> int:
        lo, hi = 0, len(breaks)
        while lo < hi:
            mid = (lo + hi) // 2
            if breaks[mid] < offset:
                lo = mid + 1
            else:
                hi = mid
        return lo

    return line_of


def _starts_with(opening: str, role: str) -> bool:
    return any(opening.startswith(w) for w in event_cues()[role])


# -- triggers -------------------------------------------------------------------------------


@rule_cache
def _lexicon() -> dict[str, dict[str, TriggerWord]]:
    """Kind → word → entry."""
    out: dict[str, dict[str, TriggerWord]] = {}
    for entry in event_triggers():
        out.setdefault(entry.kind, {})[entry.word] = entry
    return out


@rule_cache
def _occurrence_words() -> tuple[dict[str, tuple[TriggerWord, ...]], re.Pattern[str]]:
    """Activity and result words (the words that name an occurrence) by first character, longest
    first; and a pattern that finds where one may start."""
    lexicon = _lexicon()
    words = [*lexicon.get("activity", {}).values(), *lexicon.get("result", {}).values()]
    by_first: dict[str, list[TriggerWord]] = {}
    for word in sorted(words, key=lambda w: (-len(w.word), w.word)):
        by_first.setdefault(word.word[0], []).append(word)
    first = re.compile("[" + re.escape("".join(sorted(by_first))) + "]")
    return {c: tuple(ws) for c, ws in by_first.items()}, first


def _matches(
    text: str, start: int, end: int, starts: Offsets, ends: Offsets, index: _Index, clauses: _Clauses
) -> list[Trigger]:
    """Occurrence words in text[start:end], longest first, left to right, none overlapping: each
    ends where a token ends and lies in no entity (联合整治小组)."""
    by_first, first = _occurrence_words()
    out: list[Trigger] = []
    taken_until = start
    for candidate in first.finditer(text, start, end):
        i = candidate.start()
        if i < taken_until:
            continue
        found = None
        for entry in by_first[text[i]]:
            stop = i + len(entry.word)
            if stop <= end and text.startswith(entry.word, i) and stop in ends and not index.overlaps_entity(i, stop):
                found = Trigger(i, stop, entry.type, entry.word, entry.kind)
                break
        if found is None:
            continue
        if not _is_reference(text, found) and not _after_modal(found, start, clauses):
            out.append(found)
        taken_until = found.end
    return out


def _is_reference(text: str, trigger: Trigger) -> bool:
    """检查中发现的问题, 文化节期间, 揭牌后: the word names a time of the event, not the event;
    检查人员, 巡查力量: the people who do it."""
    return any(text.startswith(w, trigger.end) for w in _not_the_act_after())


def _after_modal(trigger: Trigger, start: int, clauses: _Clauses) -> bool:
    """还将举办, 要持续开展排查: planned or urged in this clause, not done."""
    return clauses.modal_in(clauses.start(trigger.start, start), trigger.start)


def _verbs(text: str, start: int, end: int, starts: Offsets, ends: Offsets, kind: str) -> list[tuple[int, int]]:
    """Whole-token occurrences of the gather or light verbs in text[start:end]."""
    out = []
    for word in _lexicon().get(kind, {}):
        at = text.find(word, start, end)
        while at >= 0:
            if at in starts and at + len(word) in ends:
                out.append((at, at + len(word)))
            at = text.find(word, at + 1, end)
    return sorted(out)


def _sentence_trigger(
    text: str, sentence: Sentence, starts: Offsets, ends: Offsets, matches: Sequence[Trigger], clauses: _Clauses
) -> Trigger | None:
    s, e = sentence.start, sentence.speaker_from or sentence.end
    for v_start, v_end in _verbs(text, s, e, starts, ends, "gather")[:1]:
        after_end, before_start = clauses.end(v_end, e), clauses.start(v_start, s)
        after = [m for m in matches if v_end <= m.start and m.end <= after_end]
        before = [m for m in matches if before_start <= m.start and m.end <= v_start]
        cue = (after or before or [None])[-1]
        type_ = cue.type if cue else _head_type(text[v_end:after_end]) or _head_type(text[before_start:v_start])
        return Trigger(v_start, v_end, type_ or "other", text[v_start:v_end], "gather")
    named = _named_activity(text, s, e)
    if named is not None:
        return named
    match_ends = [m.end for m in matches]  # matches do not overlap: their ends rise with their starts
    for _v_start, v_end in _verbs(text, s, e, starts, ends, "light"):
        last = bisect_right(match_ends, clauses.end(v_end, e)) - 1  # the last match in the verb's clause
        if last >= 0 and matches[last].start >= v_end:
            return matches[last]
    return next((m for m in matches if not _listed(text, m)), None)


def _listed(text: str, trigger: Trigger) -> bool:
    """An item of a list (政策咨询、就业帮扶、优抚关爱等功能区): a topic, not what was done."""
    return text[trigger.start - 1 : trigger.start] == "、" or text[trigger.end : trigger.end + 1] in ("、", "等")


def _head_type(phrase: str) -> str | None:
    """The type a gathering's noun gives by its last word where it holds no activity word
    (点评会, 居民代表大会 → meeting): the name heads of the lexicon."""
    heads = _lexicon().get("name_head", {})
    phrase = phrase.rstrip("”’」』")
    head = max((h for h in heads if phrase.endswith(h)), key=len, default=None)
    return heads[head].type if head else None


def _named_activity(text: str, start: int, end: int) -> Trigger | None:
    """A named activity in quotes that the sentence is built on: 通过“邻聚力议事汇”活动,
    在“干群连心会”上 (not 发挥“干群连心会”作用)."""
    heads = _lexicon().get("name_head", {})
    cues = event_cues()
    for match in QUOTE.finditer(text, start, end):
        name = match.group(1)
        head = max((h for h in heads if name.endswith(h)), key=len, default=None)
        if head is None:
            continue
        before = match.start()  # the text before the quote, less trailing spaces, without a copy of it
        while before > start and text[before - 1].isspace():
            before -= 1
        framed = any(text.endswith(w, start, before) for w in cues["frame"]) or any(
            text.startswith(w, match.end(), end) for w in cues["frame_after"]
        )
        if framed:
            return Trigger(match.start(1), match.end(1), heads[head].type, name, "name")
    return None


def _same_actor(sentence: Sentence, event: _Event, index: _Index) -> bool:
    """A paragraph that opens on an actor of the event goes on telling it (刘建国一行先后来到…)."""
    head = index.by_start.get(sentence.start)
    if head is None or head.label not in ACTOR_LABELS:
        return False
    return index.has_text_within(head.text, event.start, event.end)  # head starts after the event: never in it


def _goes_on(event: _Event, trigger: Trigger, cue: bool, own_agent: bool) -> bool:
    """Whether a sentence with `trigger` goes on telling `event` rather than starting one: a
    continuation cue, or no agent of its own (会议审议表决了…; 展览共展出…; …“瓶改电”率已达…),
    for the same type; or a result with no agent of its own after an inspection or
    enforcement (已暂扣液化气罐103个). A named activity is an event of its own."""
    if trigger.word == event.trigger.word:
        return cue or not own_agent  # 6月3日，六汪镇召开…: another body's meeting is another event
    if trigger.kind == "result" and event.trigger.type in ("inspection", "enforcement"):
        return not own_agent
    if trigger.kind == "name" or trigger.type != event.trigger.type:
        return False
    return cue or not own_agent


def _extend(event: _Event, sentence: Sentence) -> None:
    event.end = sentence.end
    event.sentences.append(sentence)


# -- roles ----------------------------------------------------------------------------------


def _record(
    text: str,
    tokens: Sequence[Token],
    index: _Index,
    clauses: _Clauses,
    event: _Event,
    reported_dates: Sequence[Mention],
    reported_ends: Sequence[int],
) -> dict[str, Any]:
    speaker = [(s.speaker_from, s.end) for s in event.sentences if s.speaker_from is not None]
    speaker_starts = [a for a, _ in speaker]  # in text order, apart
    inside = [
        m
        for m in index.within(event.start, event.end)
        if not _in_spans(m.start, speaker, speaker_starts) and not _is_modifier(text, tokens, index, m)
    ]
    leading, co_agents = _agents(text, tokens, event, inside, clauses)
    official_mentions = _official_mentions(index, inside)
    participants = {m.index for m in inside if m.label == "ORG"} | leading | co_agents | official_mentions
    places = [m.index for m in inside if m.label == "PLACE"]
    if event.trigger.type in NO_PLACE_AGENTS:
        places = [i for i in places if i not in leading | co_agents]
    elif any(i not in leading for i in places):
        places = [i for i in places if i not in leading]  # the organiser, where the event names its place
    dates = [m.index for m in inside if m.label == "DATE"]
    inherited = None
    if not dates:  # the nearest date another event reports (not a headline's, a plan's or background's)
        at = bisect_right(reported_ends, event.start)
        inherited = reported_dates[at - 1].index if at else None
    t = event.trigger
    return {
        "type": t.type,
        "trigger": t.word,
        "trigger_start": t.start,
        "trigger_end": t.end,
        "start": event.start,
        "end": event.end,
        "date": dates[0] if dates else None,
        "date_inherited": inherited,
        "places": places,
        "participants": sorted(participants),
        "quantities": [m.index for m in inside if m.label == "QUANTITY"],
    }


def _in_spans(offset: int, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    """Whether `offset` lies in one of `spans`, sorted and apart (`starts`: their starts)."""
    at = bisect_right(starts, offset) - 1
    return at >= 0 and offset < spans[at][1]


def _token_at(tokens: Sequence[Token], offset: int) -> Token | None:
    if isinstance(tokens, Tokens):
        return tokens.at(offset)
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].start < offset:
            lo = mid + 1
        else:
            hi = mid
    return tokens[lo] if lo < len(tokens) and tokens[lo].start == offset else None


def _is_modifier(text: str, tokens: Sequence[Token], index: _Index, mention: Mention) -> bool:
    """An ORG or PLACE that only qualifies a noun: 中国共产党党旗, 王台街道的发展变化, and a name
    at the head of an activity's name (2023青岛红色旅游书画笔会, 退役军人服务站揭牌仪式). A place
    before the things it holds (维湾小区餐饮商户) is still a place."""
    if mention.label not in AGENT_LABELS or mention.end >= len(text):
        return False
    if text[mention.end] == "的":
        return True
    if mention.end in index.by_start:
        return False  # 汉江路社区维湾小区: adjacent names
    token = _token_at(tokens, mention.end)
    if token is None:
        return False
    noun_tags = tag_sets()["event_noun"]
    if mention.label == "ORG" and token.tag in noun_tags:
        return True  # 中国共产党 + 党旗
    # a name at the head of an activity's name: the words after it, up to a preposition or a
    # stop, end in an activity noun (青岛 + 红色旅游书画笔会 + 在…举行, 退役军人服务站 + 揭牌仪式);
    # the tagger is too unsure of words like 旅游 to ask for nouns all the way; an activity word
    # used as a verb ends the phrase (青岛农业大学 + 签订/v 合作协议: the ORG acts)
    verbs = event_lead_verbs()
    occurrences = _occurrence_set()
    last = None
    while token is not None and token.tag not in PHRASE_STOPS and text[token.start : token.end] not in verbs:
        if token.start in index.by_start:
            return False
        if token.tag == "v" and text[token.start : token.end] in occurrences:
            return False
        last = token
        token = _token_at(tokens, token.end)
    if last is None or last.tag not in noun_tags | {"vn"} or token is None or token.tag not in ("p", "w"):
        return False
    phrase = text[mention.end : last.end]
    return any(phrase.endswith(h) for h in _activity_name_ends())


def _agents(
    text: str, tokens: Sequence[Token], event: _Event, inside: Sequence[Mention], clauses: _Clauses
) -> tuple[set[int], set[int]]:
    """The bodies at the head of a clause, before its verb: (leading, co-agents) mention indices.
    珠海街道和薛家岛街道组织开展… → both leading; 滨海街道联合A、B开展… → 滨海街道, then A and B."""
    by_start = {m.start: m for m in inside if m.label in AGENT_LABELS}
    leading: set[int] = set()
    co_agents: set[int] = set()
    for sentence in event.sentences:
        lead, co = _sentence_agents(text, tokens, sentence, by_start, clauses)
        leading |= lead
        co_agents |= co
    return leading, co_agents


def _sentence_agents(
    text: str, tokens: Sequence[Token], sentence: Sentence, by_start: dict[int, Mention], clauses: _Clauses
) -> tuple[set[int], set[int]]:
    """The agent chains at the heads of a sentence's clauses (its attribution left out)."""
    cues = event_cues()
    leading: set[int] = set()
    co_agents: set[int] = set()
    stop = sentence.speaker_from or sentence.end
    at = sentence.start
    while at < stop:
        clause_end = clauses.end(at, stop)
        chain_lead, chain_co = _chain(text, tokens, by_start, cues, at, clause_end)
        leading |= chain_lead
        co_agents |= chain_co
        at = clause_end + 1
    return leading, co_agents


def _chain(
    text: str,
    tokens: Sequence[Token],
    by_start: dict[int, Mention],
    cues: dict[str, frozenset[str]],
    at: int,
    end: int,
) -> tuple[set[int], set[int]]:
    while at < end and text[at] in " 　“":
        at += 1
    lead: list[int] = []
    co: list[int] = []
    joined_by_co = False
    while at < end and at in by_start:
        mention = by_start[at]
        (co if joined_by_co else lead).append(mention.index)
        at = mention.end
        if at in by_start:
            continue  # a name the recogniser cut in pieces (中 | 铁- | 阅唐小区)
        joiner = next((w for w in _joiners() if text.startswith(w, at)), None)
        if joiner is None or at + len(joiner) not in by_start:
            break
        joined_by_co = joined_by_co or joiner in cues["co_agent"]
        at += len(joiner)
    if not lead:
        return set(), set()
    next_char = text[at] if at < end else ""
    token = _token_at(tokens, at)
    verbish = token is not None and (token.tag in VERBISH_TAGS or text[token.start : token.end] in event_lead_verbs())
    acts = next_char == "等" or (verbish and next_char != "的")
    if not acts and next_char in ("、", "和", "与") and co:
        acts = True  # a co-agent list that goes on with unnamed bodies (…发展保障中心等部门)
    return (set(lead), set(co)) if acts else (set(), set())


@rule_cache
def _joiners() -> tuple[str, ...]:
    cues = event_cues()
    return tuple(sorted(cues["co_agent"] | cues["coordinate"], key=len, reverse=True))


@rule_cache
def _occurrence_set() -> frozenset[str]:
    """Activity and result words, as a set."""
    return frozenset(_lexicon().get("activity", {}).keys() | _lexicon().get("result", {}).keys())


@rule_cache
def _activity_name_ends() -> frozenset[str]:
    """Words an activity's name ends in: activity words and name heads (笔会, 仪式, 会)."""
    return frozenset({*_lexicon().get("activity", {}), *_lexicon().get("name_head", {})})


@rule_cache
def _not_the_act_after() -> frozenset[str]:
    """Words after an activity word that make it a time of the event or its doers (检查中, 检查人员)."""
    cues = event_cues()
    return cues["reference_after"] | cues["doer_after"]


def _official_mentions(index: _Index, inside: Sequence[Mention]) -> set[int]:
    """Each official in the report, by every mention that names them: the person and the titles
    (区委副书记、区长刘建国), or the titles alone where no name is given (社区党委书记); and a
    later mention of the name alone (随后，刘建国主持召开座谈会)."""
    return {
        m.index
        for m in inside
        if m.index in index.official_mentions or (m.label == "PERSON" and m.text in index.official_names)
    }
