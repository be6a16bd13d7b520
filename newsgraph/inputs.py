"""Inputs → articles: pages (.txt), article files (.jsonl) and folders of them.

Each input yields articles or `InputError`s; one bad file or line never stops the
others. Page articles are cut out and normalised here, so that every article reaching
the pipeline has its text and a map back to its source.
"""

from __future__ import annotations

import codecs
import datetime
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newsgraph import jsonl
from newsgraph.errors import InputError
from newsgraph.files import NotRegularFile, regular_bytes
from newsgraph.jsonl import JsonProblem
from newsgraph.mapped import MappedText, join_lines
from newsgraph.normalize import normalize, normalize_mapped
from newsgraph.page import Page, PageArticle, read_page
from newsgraph.records import ArticleInput

_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
PAGE_SUFFIXES = (".txt",)
ARTICLE_SUFFIXES = (".jsonl",)
_CONTROL_OK = "\n\r\t\f\ufeff"


def decode(path: str, data: bytes, encoding: str = "utf-8") -> str:
    """Bytes of a text input → str, or an InputError that says what the bytes are."""
    if not data.strip():
        return _fail(path, "empty file")
    wide = encoding.lower().replace("-", "").startswith(("utf16", "utf32"))
    bom = "" if wide else _bom_encoding(data)
    hint = f"; it starts with a {bom.upper()} byte-order mark: if so, pass --encoding {bom}" if bom else ""
    if b"\x00" in data and not wide:
        return _fail(path, f"binary file, not text (it holds NUL bytes){hint}")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        if encoding.lower().replace("-", "") in ("utf8", "utf8sig") and _looks_gb(data):
            return _fail(path, "not UTF-8: it looks GBK/GB18030-encoded; pass --encoding gb18030")
        return _fail(path, f"not {encoding} text: undecodable byte 0x{data[err.start]:02x} at byte {err.start}{hint}")
    except LookupError:
        return _fail(path, f"unknown encoding {encoding!r}")
    controls = sum(1 for c in text if ord(c) < 32 and c not in _CONTROL_OK)
    if controls > max(8, len(text) // 100):
        return _fail(path, f"binary file, not text ({controls} control characters)")
    return text


def _bom_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 named by the byte-order mark `data` starts with (the codec drops it)."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _looks_gb(data: bytes) -> bool:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff") >= max(1, len(text) // 10)


def _fail(path: str, problem: str, line: int | None = None) -> str:
    raise InputError(path, problem, line)


# ---------------------------------------------------------------- pages


def page_articles(page: Page, page_id: str) -> list[ArticleInput]:
    """A read page → article inputs, with ids `PAGE_ID/1`, `PAGE_ID/2`, … in page order."""
    dates = (_DATE.search(f.text) for f in page.furniture if f.kind == "page_date")
    page_date = _page_day(next((d.group() for d in dates if d), None))
    return [_page_article(page, article, page_id, page_date) for article in page.articles]


def _page_day(printed: str | None) -> str | None:
    """The page's printed date as an ISO day; a misprint (2月30日) gives none."""
    try:
        return article_date(printed)
    except ValueError:
        return None


def _page_article(page: Page, article: PageArticle, page_id: str, page_date: str | None) -> ArticleInput:
    lines: list[MappedText] = []
    parts: list[dict[str, Any]] = []
    offset = 0
    for part in article.parts:
        line = normalize_mapped(part.raw, keep_phrase_spaces=part.kind != "body")
        if not line.text:
            continue
        if lines:
            offset += 1  # the newline
        parts.append({"kind": part.kind, "start": offset, "end": offset + len(line)})
        offset += len(line)
        lines.append(line)
    text = join_lines(lines)

    def texts(kind: str) -> list[str]:
        return [text.text[p["start"] : p["end"]] for p in parts if p["kind"] == kind]

    kicker = texts("kicker")
    headline = texts("headline")
    return ArticleInput(
        id=f"{page_id}/{article.index + 1}",
        text=text,
        source={"path": page.path},
        headline=headline[0] if headline else None,
        kicker=" ".join(kicker) if kicker else None,
        subheads=texts("subhead"),
        section_place=article.section_place,
        reporters=list(article.reporters),
        authors={role: list(names) for role, names in article.authors.items()},
        date=page_date,
        parts=parts,
    )


def read_page_file(path: Path, page_id: str | None = None, encoding: str = "utf-8") -> list[ArticleInput]:
    text = decode(str(path), read_bytes(path), encoding)
    return page_text_articles(text, str(path), page_id or path.stem)


def page_text_articles(text: str, path: str, page_id: str) -> list[ArticleInput]:
    """The articles of a page's text, cut out and normalised; an InputError if it holds none."""
    return page_articles(read_page(text, path), page_id)


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file: a device (/dev/zero), FIFO or socket would be read without
    end, or block, so it is refused."""
    try:
        return regular_bytes(path)
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except NotRegularFile as err:
        if stat.S_ISDIR(err.mode):
            raise InputError(str(path), "is a folder, not a file") from None
        raise InputError(str(path), "not a regular file (a device, FIFO or socket): give a file") from None
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror}") from None


# ---------------------------------------------------------------- article files


def jsonl_article(obj: Any, path: str, line: int, default_id: str) -> ArticleInput:
    """One decoded JSONL object → an article; title (if any) becomes the headline line."""
    if not isinstance(obj, dict):
        raise InputError(path, f"expected a JSON object, got {type(obj).__name__}", line)
    try:
        return _jsonl_article(obj, path, line, default_id)
    except InputError as err:
        known = obj.get("id")
        if isinstance(known, str | int) and not isinstance(known, bool) and not _has_surrogate(str(known)):
            err.id = str(known)
        raise


def _jsonl_article(obj: dict[str, Any], path: str, line: int, default_id: str) -> ArticleInput:
    body = obj.get("text")
    if body is None:
        raise InputError(path, 'no "text" field', line)
    if not isinstance(body, str):
        raise InputError(path, f'"text" must be a string, got {type(body).__name__}', line)
    title = obj.get("title")
    if title is not None and not isinstance(title, str):
        raise InputError(path, f'"title" must be a string, got {type(title).__name__}', line)
    article_id = obj.get("id", default_id)
    if not isinstance(article_id, str | int) or isinstance(article_id, bool) or str(article_id) == "":
        raise InputError(path, '"id" must be a non-empty string or number', line)
    if isinstance(article_id, str) and _has_surrogate(article_id):
        raise InputError(path, '"id" holds an unpaired surrogate, not text', line)
    try:
        date = article_date(obj.get("date"))
    except ValueError as err:
        raise InputError(path, f'"date": {err}', line) from None
    lines: list[MappedText] = []
    parts: list[dict[str, Any]] = []
    body_start = 0
    if title is not None:
        head = normalize(title, keep_phrase_spaces=True)
        if head.text:
            lines.append(head)
        body_start = len(title) + 1
    body_norm = normalize(body).compose(MappedText.identity(body, body_start))
    lines.extend(_split_lines(body_norm))
    text = join_lines(lines)
    offset = 0
    for i, piece in enumerate(lines):
        kind = "headline" if (i == 0 and title is not None and head.text) else "body"
        parts.append({"kind": kind, "start": offset, "end": offset + len(piece)})
        offset += len(piece) + 1
    if not body_norm.text.strip():
        raise InputError(path, '"text" is empty', line)
    return ArticleInput(
        id=str(article_id),
        text=text,
        source={"path": path, "line": line},
        headline=head.text if title is not None and head.text else None,
        date=date,
        parts=parts,
    )


_DAY = re.compile(r"((?:1[6-9]|2[0-9])[0-9]{2})(?:([-/.])([0-9]{1,2})\2([0-9]{1,2})|([0-9]{2})([0-9]{2}))")
_CHINESE_DAY = re.compile(r"((?:1[6-9]|2[0-9])[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日")
_TIME_AFTER = re.compile(r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?")


def article_date(value: Any) -> str | None:
    """An article's date as an ISO day (2019-02-01), from 2019-02-01, 20190201, 2019/2/1, 2019.2.1
    or 2019年2月1日, a time after it dropped; None for none. Anything else is a ValueError:
    a date that is not one would give every relative date of the article a wrong anchor."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"must be a date such as 2019-02-01, got {type(value).__name__}")
    text = value.strip()
    match = _CHINESE_DAY.fullmatch(text)
    parts = match.groups() if match else None
    if parts is None:
        match = _DAY.match(text)
        if match and _TIME_AFTER.fullmatch(text, match.end()):
            year, _sep, month, day, month8, day8 = match.groups()
            parts = (year, month or month8, day or day8)
    if parts is None:
        raise ValueError(f"not a date: {value[:40]!r} (write 2019-02-01, 20190201, 2019/2/1 or 2019年2月1日)")
    try:
        return datetime.date(*(int(p) for p in parts)).isoformat()
    except ValueError:
        raise ValueError(f"no such day: {value[:40]!r}") from None


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def _split_lines(piece: MappedText) -> list[MappedText]:
    out: list[MappedText] = []
    start = 0
    for end in [*(i for i, c in enumerate(piece.text) if c == "\n"), len(piece.text)]:
        if end > start:
            out.append(piece.slice(start, end))
        start = end + 1
    return out


def read_jsonl_file(path: Path, encoding: str = "utf-8") -> Iterator[ArticleInput | InputError]:
    """Articles of a JSONL file; a bad line yields its InputError and the rest go on."""
    try:
        text = decode(str(path), read_bytes(path), encoding)
    except InputError as err:
        yield err
        return
    yield from jsonl_articles(text, str(path), path.stem)


def jsonl_articles(text: str, path: str, stem: str) -> Iterator[ArticleInput | InputError]:
    """Articles of the text of a JSONL file; a line without an id gets `STEM/LINE`."""
    found = False
    for lineno, obj in jsonl.values(text):
        found = True
        if isinstance(obj, JsonProblem):
            yield InputError(path, str(obj), lineno)
            continue
        try:
            yield jsonl_article(obj, path, lineno, f"{stem}/{lineno}")
        except InputError as err:
            yield err
    if not found:
        yield InputError(path, "empty file")


def _bad_name(path: Path) -> InputError:
    return InputError(str(path).encode("utf-8", "replace").decode(), "file name is not valid UTF-8")


def _dangling(link: Path) -> InputError:
    return InputError(str(link), f"a symbolic link to {os.readlink(link)}, which does not exist")


def expand(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> Iterator[tuple[Path, str] | InputError]:
    """Inputs → (file, id prefix) pairs; folders are searched for pages and article files.

    `exclude` (the run's own output files) is never read as input, even inside a folder.
    """
    skip = {p.resolve() for p in exclude}
    for path in paths:
        if _has_surrogate(str(path)):
            yield _bad_name(path)
        elif path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES + ARTICLE_SUFFIXES)
            dangling = [p for p in candidates if p.is_symlink() and not p.exists()]
            files = [p for p in candidates if p.is_file() and p.resolve() not in skip]
            if not files and not dangling:
                yield InputError(str(path), "folder holds no page (.txt) or article file (.jsonl)")
            for link in dangling:
                yield _dangling(link)
            for file in files:
                if _has_surrogate(str(file)):
                    yield _bad_name(file)
                    continue
                yield file, file.relative_to(path).with_suffix("").as_posix()
        elif path.resolve() in skip:
            yield InputError(str(path), "is this run's output file: not read as input")
        elif path.is_symlink() and not path.exists():
            yield _dangling(path)
        elif not path.exists():
            yield InputError(str(path), "no such file or folder")
        elif path.suffix.lower() in PAGE_SUFFIXES + ARTICLE_SUFFIXES:
            yield path, path.stem
        else:
            yield InputError(str(path), f"not a page (.txt) or article file (.jsonl): suffix {path.suffix!r}")


def read_inputs(
    paths: Iterable[Path], encoding: str = "utf-8", exclude: Iterable[Path] = ()
) -> Iterator[ArticleInput | InputError]:
    """Every article of every input, in input order; errors in their place; ids unique."""
    seen: dict[str, str] = {}
    for entry in expand(paths, exclude):
        if isinstance(entry, InputError):
            yield entry
            continue
        file, page_id = entry
        if file.suffix.lower() in ARTICLE_SUFFIXES:
            items: Iterable[ArticleInput | InputError] = read_jsonl_file(file, encoding)
        else:
            try:
                items = read_page_file(file, page_id, encoding)
            except InputError as err:
                items = [err]
        for item in items:
            if isinstance(item, ArticleInput):
                where = f"{item.source['path']}" + (f":{item.source['line']}" if "line" in item.source else "")
                if item.id in seen:
                    problem = f"duplicate id {item.id!r} (first at {seen[item.id]})"
                    item = InputError(item.source["path"], problem, item.source.get("line"))
                else:
                    seen[item.id] = where
            yield item
