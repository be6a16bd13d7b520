"""A newspaper page's plain text → articles and page furniture.

The OCR of a page gives one line per printed paragraph, with a space where each printed
column line ended, and the articles of the page one after another. We read it line by
line and tell apart:

- furniture (weather boxes, hotlines, web addresses, credits, page dates): rule data in
  `patterns/page_furniture.tsv`; never part of an article, wherever the OCR dropped it;
- section marks: a symbol and a short place (❷ 泊里镇, 🔘 滨海街道, ○ 王台街道);
- bylines: a role word and names (□本报记者 X, □记者 X 报道, 通讯员 X), words from
  `patterns/bylines.tsv`; body text that follows on the same line is split off;
- subheads marked >>…<<;
- title lines: short lines without sentence punctuation; a run of them opens an article
  (the longest is the headline, lines before it the kicker, lines after it subheads);
- body paragraphs. A paragraph that stops without sentence punctuation on a full column
  line was cut by the layout (a column break, a furniture box): it is joined to the next.

Every part keeps, character by character, its offsets in the page text.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from newsgraph.errors import InputError
from newsgraph.mapped import MappedText, MappedTextBuilder
from newsgraph.normalize import SPACE_LIKE
from newsgraph.patterns import byline_words, furniture_labels

SENTENCE_END = "。！？!?…；;"
CLOSING_QUOTES = '”’"』」）)'
MAX_TITLE_CHARS = 32
MAX_TITLE_LINES = 4
_SPACES = "".join(SPACE_LIKE) + "\ufeff"
# OCR junk glued to a line start: one letter and an opening bracket that never closes
# (`X(党建引领…`), or a lone bar. `AI（人工智能）` is text, not junk.
_OCR_JUNK = re.compile(r"[A-Za-z][(（\[](?![^)）\]]*[)）\]])|[|丨]\s*")
# In-article section heads: 一、强化组织领导 · （二）… · 3. …
_NUMBERED_HEAD = re.compile(r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.、．])\S")
_SUBTITLE = re.compile(r"[—-]{2}")  # ——记某某社区党委书记张三
_SUBHEAD = re.compile(
    r"(?:>>|》》|＞＞)\s*(?P<label>.*?)\s*(?:<<|《《|＜＜)\s*(?P<rest>.*)"  # >>label<< rest
    r"|(?:>>|》》|＞＞)\s*(?P<only>.+)"  # >>label, never closed
)
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff·]+")
_LEAD_BYLINE = re.compile(r"本报讯\s*[（(](?P<inner>[^）)]{2,40})[）)]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# A lead that only body text opens with: 本报讯, a dateline (本报北京1月20日电), 据…报道.
_BODY_START = re.compile(
    r"本报讯|(?:本报|新华社|人民网)[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日(?:电|讯)|据[\u4e00-\u9fff]{1,8}(?:报道|消息)"
)


@dataclass(frozen=True)
class Furniture:
    """A piece of page furniture: weather, hotline, web address, credits, page date …"""

    kind: str
    text: str
    start: int
    end: int


@dataclass
class Part:
    """One line of an article: kicker, headline, subhead, byline or body paragraph."""

    kind: str
    raw: MappedText  # page characters of the part (markers and junk left out)

    @property
    def start(self) -> int:
        return self.raw.origin[0]

    @property
    def end(self) -> int:
        return self.raw.origin[-1] + 1


@dataclass
class PageArticle:
    index: int
    parts: list[Part]
    section_place: str | None = None
    section_span: tuple[int, int] | None = None
    authors: dict[str, list[str]] = field(default_factory=dict)  # role → names

    @property
    def start(self) -> int:
        return min(p.start for p in self.parts)

    @property
    def end(self) -> int:
        return max(p.end for p in self.parts)

    def _texts(self, kind: str) -> list[str]:
        return [p.raw.text for p in self.parts if p.kind == kind]

    @property
    def headline(self) -> str | None:
        heads = self._texts("headline")
        return heads[0] if heads else None

    @property
    def kicker(self) -> str | None:
        kickers = self._texts("kicker")
        return " ".join(kickers) if kickers else None

    @property
    def subheads(self) -> list[str]:
        return self._texts("subhead")

    @property
    def bylines(self) -> list[str]:
        return self._texts("byline")

    @property
    def body(self) -> list[str]:
        return self._texts("body")

    @property
    def reporters(self) -> list[str]:
        return self.authors.get("reporter", [])


@dataclass
class Page:
    path: str
    text: str
    articles: list[PageArticle]
    furniture: list[Furniture]


# ---------------------------------------------------------------- line reading


@dataclass
class _Item:
    kind: str  # furniture, section, byline, subhead, title, body
    raw: MappedText | None = None
    furniture: list[Furniture] = field(default_factory=list)
    place: str | None = None
    span: tuple[int, int] | None = None
    authors: dict[str, list[str]] = field(default_factory=dict)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACES:
        start += 1
    while end > start and text[end - 1] in _SPACES:
        end -= 1
    return start, end


def _skip_ocr_junk(text: str, start: int, end: int) -> int:
    """`X(党建引领…`: a Latin letter or bar glued to the start of a Chinese line."""
    junk = _OCR_JUNK.match(text, start, end)
    if junk and junk.end() < end and _HAN.match(text, junk.end()):
        return junk.end()
    return start


def _furniture(text: str, start: int, end: int) -> list[Furniture]:
    """Furniture items of a line that opens with a furniture label, else []."""
    labels = furniture_labels()
    marks: list[tuple[int, str]] = []
    for label in labels:
        for m in label.pattern.finditer(text, start, end):
            if m.start() == start or text[m.start() - 1] in _SPACES:
                marks.append((m.start(), label.kind))
    if not marks or min(marks)[0] != start:
        return []
    marks.sort()
    starts: list[tuple[int, str]] = []
    for pos, kind in marks:  # a URL inside a web item is not a new item
        if starts and (pos == starts[-1][0] or (kind == "web" and starts[-1][1] == "web")):
            continue
        starts.append((pos, kind))
    items = []
    for (pos, kind), nxt in zip(starts, [*(p for p, _ in starts[1:]), end], strict=True):
        s, e = _strip(text, pos, nxt)
        items.append(Furniture(kind, text[s:e], s, e))
    return items


def _is_mark_symbol(char: str) -> bool:
    return unicodedata.category(char) in ("So", "No", "Sm") and not char.isascii()


def _section(text: str, start: int, end: int) -> _Item | None:
    """❷ 泊里镇: a symbol, then a short place name and nothing else."""
    if not _is_mark_symbol(text[start]):
        return None
    s, e = _strip(text, start + 1, end)
    name = text[s:e]
    if 2 <= len(name) <= 12 and _NAME_CHARS.fullmatch(name):
        return _Item("section", place=name, span=(start, end))
    return None


def _match_word(text: str, pos: int, end: int, kinds: tuple[str, ...]) -> tuple[str, str] | None:
    for word in byline_words():
        if word.kind in kinds and text.startswith(word.surface, pos) and pos + len(word.surface) <= end:
            return word.kind, word.surface
    return None


ROLES = ("reporter", "correspondent", "photographer")


def _is_name(token: str) -> bool:
    """2–4 Han characters (阿依古丽·买买提: up to 12 with a middle dot), not a lead word."""
    longest = 12 if "·" in token else 4
    if not 2 <= len(token) <= longest or token.startswith("·") or token.endswith("·"):
        return False
    return not any(w.kind == "lead" and token.startswith(w.surface) for w in byline_words())


def _read_names(text: str, pos: int, end: int, authors: dict[str, list[str]]) -> int:
    """Read `role names… [role names…] [closing]` from `pos`; return where the byline ends."""
    role: str | None = None
    consumed = pos
    while True:
        p = pos
        while p < end and text[p] in _SPACES + "、":
            p += 1
        if p >= end:
            return consumed
        word = _match_word(text, p, end, (*ROLES, "closing"))
        if word and word[0] != "closing":
            role, pos = word[0], p + len(word[1])
            consumed = pos
            continue
        if word and role is not None:  # closing word ends the byline
            return p + len(word[1])
        name = _NAME_CHARS.match(text, p, end)
        if role is None or not name:
            return consumed
        token = name.group()
        closing = next((w.surface for w in byline_words() if w.kind == "closing" and token.endswith(w.surface)), None)
        if closing and _is_name(token[: -len(closing)]):  # 丁霞报道, glued by the OCR
            authors.setdefault(role, []).append(token[: -len(closing)])
            return name.end()
        follows = text[name.end()] if name.end() < end else " "
        if not _is_name(token) or follows not in _SPACES + "、":
            return consumed  # not a name: the body starts here
        authors.setdefault(role, []).append(token)
        pos = consumed = name.end()


def _byline(text: str, start: int, end: int) -> tuple[_Item, int] | None:
    """□记者 丁霞 报道 [body…] → the byline item and where the body starts (or `end`)."""
    pos = start
    if text[pos] in "□■▲△◆◇":
        pos += 1
        while pos < end and text[pos] in _SPACES:
            pos += 1
    if not _match_word(text, pos, end, ROLES):
        return None
    authors: dict[str, list[str]] = {}
    stop = _read_names(text, pos, end, authors)
    if not authors:
        return None
    builder = MappedTextBuilder()
    builder.add(text, pos, stop)
    rest, _ = _strip(text, stop, end)
    return _Item("byline", raw=builder.build(), authors=authors), rest


def _subhead(text: str, start: int, end: int) -> _Item | None:
    m = _SUBHEAD.fullmatch(text, start, end)
    if not m:
        return None
    builder = MappedTextBuilder()
    if m.group("only") is not None:
        builder.add(text, m.start("only"), m.end("only"))
    else:
        builder.add(text, m.start("label"), m.end("label"))
        if m.group("rest"):
            builder.add_char(" ", m.end("label"))
            builder.add(text, m.start("rest"), m.end("rest"))
    raw = builder.build()
    return _Item("subhead", raw=raw) if raw.text.strip() else None


def _is_title_like(line: str) -> bool:
    """Short, Chinese, no sentence punctuation (a headline may end in ？ or ！)."""
    chars = "".join(c for c in line if c not in _SPACES).rstrip("？！?!")
    return 0 < len(chars) <= MAX_TITLE_CHARS and not any(c in "。！？!?；;" for c in chars) and bool(_HAN.search(chars))


def _read_line(text: str, start: int, end: int) -> list[_Item]:
    start, end = _strip(text, start, end)
    if start == end:
        return []
    start = _skip_ocr_junk(text, start, end)
    furniture = _furniture(text, start, end)
    if furniture:
        return [_Item("furniture", furniture=furniture)]
    byline = _byline(text, start, end)
    if byline:
        item, rest = byline
        return [item, *(_read_line(text, rest, end) if rest < end else [])]
    for reader in (_section, _subhead):
        item = reader(text, start, end)
        if item:
            return [item]
    raw = MappedText.identity(text[start:end], start)
    if not any(c.isalnum() for c in raw.text):  # stray marks: >><<, ……, ——
        return [_Item("furniture", furniture=[Furniture("other", raw.text, start, end)])]
    kind = "title" if _is_title_like(raw.text) and not _BODY_START.match(raw.text) else "body"
    if kind == "title" and _NUMBERED_HEAD.match(raw.text):
        kind = "subhead"
    item = _Item(kind, raw=raw)
    lead = _LEAD_BYLINE.match(text, start, end)
    if lead:  # 本报讯（记者 张三 通讯员 李四）: authors inside the lead, the line stays body
        _read_names(text, lead.start("inner"), lead.end("inner"), item.authors)
    return [item]


def _lines(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\r\n]+", text)]


# ---------------------------------------------------------------- grouping


@dataclass
class _Draft:
    section: _Item | None
    parts: list[Part] = field(default_factory=list)
    titles: list[MappedText] = field(default_factory=list)
    authors: dict[str, list[str]] = field(default_factory=dict)
    title_closed: bool = False

    @property
    def has_body(self) -> bool:
        return any(p.kind == "body" for p in self.parts)

    @property
    def has_byline(self) -> bool:
        return any(p.kind == "byline" for p in self.parts)

    def close_titles(self) -> None:
        if self.title_closed:
            return
        self.title_closed = True
        if not self.titles:
            return
        candidates = [i for i, t in enumerate(self.titles) if not _SUBTITLE.match(t.text)] or [0]
        head = max(candidates, key=lambda i: (len(self.titles[i].text.replace(" ", "")), -i))
        kinds = ["kicker"] * head + ["headline"] + ["subhead"] * (len(self.titles) - head - 1)
        # only kickers (>>…<< before any title) can be in parts yet: titles go after them
        self.parts.extend(Part(kind, raw) for kind, raw in zip(kinds, self.titles, strict=True))

    def add_authors(self, authors: dict[str, list[str]]) -> None:
        for role, names in authors.items():
            known = self.authors.setdefault(role, [])
            known.extend(n for n in names if n not in known)


def _column_width(parts: list[Part]) -> float | None:
    """Typical printed column line, in characters, from the spaces the OCR left."""
    inner: list[int] = []
    fallback: list[int] = []
    for part in parts:
        if part.kind != "body":
            continue
        segments = part.raw.text.split()
        inner.extend(len(s) for s in segments[1:-1])
        fallback.extend(len(s) for s in segments[:-1])
    widths = inner or fallback
    return statistics.median(widths) if len(widths) >= 3 else None


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(_SPACES)
    while stripped and stripped[-1] in CLOSING_QUOTES:
        if len(stripped) >= 2 and stripped[-2] in SENTENCE_END:
            return True
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in SENTENCE_END


def _continues(draft: _Draft) -> bool:
    """Was the draft's last paragraph cut at a full column line without closing it?"""
    if not draft.parts or draft.parts[-1].kind != "body":
        return False
    last = draft.parts[-1].raw.text
    if _ends_sentence(last):
        return False
    width = _column_width(draft.parts)
    segments = last.split()
    return width is not None and len(segments) > 1 and len(segments[-1]) >= width - 2


def _join(part: Part, more: MappedText) -> None:
    builder = MappedTextBuilder()
    builder.extend(part.raw)
    builder.extend(more)
    part.raw = builder.build()


def read_page(text: str, path: str = "<page>") -> Page:
    """Split a page's text into articles and furniture; raise InputError if it holds no article."""
    items = [item for start, end in _lines(text) for item in _read_line(text, start, end)]
    furniture: list[Furniture] = []
    drafts: list[_Draft] = []
    section: _Item | None = None  # a section mark waiting for its article

    for i, item in enumerate(items):
        if item.kind == "furniture":
            furniture.extend(item.furniture)
            continue
        if item.kind == "section":
            if section is not None:  # two marks in a row: keep the first as furniture
                furniture.append(_as_furniture(section))
            section = item
            continue
        assert item.raw is not None
        if not drafts or section is not None:
            drafts.append(_Draft(section))
            section = None
        draft = drafts[-1]
        if item.kind == "subhead" and not draft.parts and not draft.titles:
            draft.parts.append(Part("kicker", item.raw))  # a column label above the headline
            continue
        if item.kind == "title" and draft.title_closed and not draft.has_body and draft.has_byline:
            item.kind = "body"  # titles come before bylines: a short line after one is body
        if item.kind == "title":
            if not draft.title_closed and len(draft.titles) < MAX_TITLE_LINES:
                draft.titles.append(item.raw)
                continue
            follower = _after_title_run(items, i)
            # A byline after the run means a new article, even after a cut paragraph;
            # body after it means a new article unless the last paragraph was cut.
            if follower == "byline" or (follower in ("subhead", "body") and not _continues(draft)):
                drafts.append(_Draft(None, titles=[item.raw]))
                continue
            if _continues(draft):
                _join(draft.parts[-1], item.raw)
                continue
            item.kind = "body"
        draft.close_titles()
        draft.add_authors(item.authors)
        if item.kind == "body" and _continues(draft):
            _join(draft.parts[-1], item.raw)
        else:
            draft.parts.append(Part(item.kind, item.raw))

    if section is not None:  # a mark with no article after it
        furniture.append(_as_furniture(section))
    orphans: list[Furniture] = []
    articles: list[PageArticle] = []
    for draft in drafts:
        draft.close_titles()
        if not draft.has_body:
            orphans.extend(Furniture("other", p.raw.text, p.start, p.end) for p in draft.parts)
            continue
        sec = draft.section
        articles.append(
            PageArticle(
                index=len(articles),
                parts=draft.parts,
                section_place=sec.place if sec else None,
                section_span=sec.span if sec else None,
                authors=draft.authors,
            )
        )
    if not articles:
        raise InputError(path, "no article found: no paragraph of body text on the page")
    furniture.extend(orphans)
    furniture.sort(key=lambda f: f.start)
    return Page(path=path, text=text, articles=articles, furniture=furniture)


def _as_furniture(section: _Item) -> Furniture:
    """A section mark that opens no article is kept, as furniture."""
    start, end = section.span or (0, 0)
    return Furniture("section", section.place or "", start, end)


def _after_title_run(items: list[_Item], i: int) -> str | None:
    """The kind of the first item after the run of title lines that starts at `i`."""
    j = i + 1
    titles = 1
    while j < len(items):
        kind = items[j].kind
        if kind == "furniture":
            j += 1
            continue
        if kind == "title" and titles < MAX_TITLE_LINES:
            titles += 1
            j += 1
            continue
        return kind
    return None


def byline_names(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of the author names in a byline line (□记者 董梅雪 丁霞 报道); [] if it is none."""
    end = len(text) if end is None else end
    while start < end and text[start] in _SPACES:
        start += 1
    if start >= end:
        return []
    found = _byline(text, start, end)
    if found is None:
        return []
    item, _ = found
    spans: set[tuple[int, int]] = set()
    for names in item.authors.values():  # each name where it stands, whatever its role's order
        for name in names:
            hit = text.find(name, start, end)
            if hit >= 0:
                spans.add((hit, hit + len(name)))
    return sorted(spans)
