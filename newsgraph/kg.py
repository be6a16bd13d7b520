"""The embedded graph store: records loaded into pyoxigraph on disk, and SPARQL over it.

Each article's triples go into a named graph of its own (the article's IRI), replaced whole
when the article is loaded again: a corrected batch reloads without leaving stale triples, and
loading a batch twice changes nothing. The descriptions of things (names, types) go into a
shared graph. Queries see the union of all graphs as the default graph.

The store is read-only and local to a query. pyoxigraph would send a `SERVICE <iri>` pattern
over HTTP, so every query is first read by a tokenizer of our own (`sparql_tokens`: strings,
IRIs, comments, names, as the SPARQL grammar draws them), and one that calls SERVICE or is an
update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) is refused before the store
is opened. pyoxigraph then runs not the text it was given but the text rebuilt from those
tokens: comments dropped, each string written again as `"…"` with every character that is not
a letter, digit or space as a \\u escape, and each `'` or `#` inside an IRI as \\u0027 or
\\u0023. In that text a string, a comment or an IRI can start only where our tokenizer saw
one, so a SERVICE that our reading missed cannot be there for pyoxigraph either (`"SERVICE"`
in a string stays a string and the query runs). pyoxigraph matches keywords without a word
boundary (`SERVICEex:x`, `trueSERVICE`), so a bare word, a prefix or a language tag that
holds `service` in any case is refused; a variable, a string, an IRI, a comment or a local name
(schema:GovernmentService) may hold it.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, Store

from newsgraph.errors import UNSAFE_CHARS, InputError, escape_char
from newsgraph.export.rdf import DEFAULT_BASE, PREFIXES, XSD, iri, part_triples
from newsgraph.graph import record_graphs

SHARED = "graph/shared"  # the descriptions of things, posts and dates that several articles name
REFUSED = (
    "cannot run it here: the store is read-only and local, so a query may not call another endpoint "
    "(SERVICE) nor change the store (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY)"
)
FUZZ_ROWS = 1000  # the rows fuzz_query reads of a result


def load_records(records: Iterable[dict[str, Any]], store_dir: Path, base: str = DEFAULT_BASE) -> int:
    """Load the records' graph into the store at `store_dir` (made if absent), record by record;
    the number of distinct triples (quads) the store holds for the batch afterwards: a triple
    given twice is stored, and counted, once. What a record says (its article, events,
    quantities, mentions, and every edge it gives, an org:holds included) goes into the
    article's own named graph, replaced when the article is loaded again; the descriptions of
    things several articles name (names, types) go into a shared graph."""
    store = _open(store_dir)
    shared = NamedNode(base + SHARED)
    in_article: dict[str, int] = {}  # article graph → its distinct quads (a repeated article: the last)
    in_shared: set[Quad] = set()  # grows with the things, not with the articles
    for part in record_graphs(records, once=False):
        article = next(key for key, node in part.nodes.items() if node.label == "Article")
        name = iri(base, article)
        store.remove_graph(name)  # an article loaded again: its old triples go
        quads = {
            Quad(q.subject, q.predicate, q.object, shared if common else name): None
            for q, common in part_triples(part, base)
        }
        store.extend(quads)
        in_article[name.value] = sum(1 for q in quads if q.graph_name == name)
        in_shared.update(q for q in quads if q.graph_name == shared)
    store.flush()
    return sum(in_article.values()) + len(in_shared)


def query(store_dir: Path, sparql: str, limit: int | None = None) -> tuple[list[str], list[list[str | None]]]:
    """Run a SELECT (or ASK, CONSTRUCT, DESCRIBE) query: (column names, rows of values as text);
    at most `limit` rows where given. Bad, refused (SERVICE, updates) or failing queries are an
    InputError, never another exception."""
    columns, rows = query_terms(store_dir, sparql, limit)
    return columns, [[term_text(term) for term in row] for row in rows]


def query_terms(store_dir: Path, sparql: str, limit: int | None = None) -> tuple[list[str], list[list[Any]]]:
    """As query(), with the RDF terms themselves (None where unbound); ASK gives one row with
    true or false as an xsd:boolean."""
    checked = checked_sparql(sparql)  # refused here, before the store is opened
    if not (store_dir / "CURRENT").exists() and not any(store_dir.glob("*")):
        raise InputError(str(store_dir), "no graph store here: load one with `newsgraph kg load RECORDS --store DIR`")
    store = _open(store_dir, read_only=True)
    declared = {**PREFIXES, "ng": DEFAULT_BASE + "ns#"}  # a PREFIX of the query's own wins
    try:
        result = store.query(checked.text, prefixes=declared, use_default_graph_as_union=True)
        if isinstance(result, QueryBoolean):
            return ["ask"], [[Literal("true" if bool(result) else "false", datatype=NamedNode(XSD + "boolean"))]]
        return _materialised(result, limit)  # read the rows here, so that errors of evaluation surface here
    except SyntaxError as err:
        where = re.sub(r"error at (\d+):(\d+)", lambda m: f"error at {checked.where(int(m[1]), int(m[2]))}", str(err))
        raise InputError("query", f"not valid SPARQL: {_one_line(where)}") from None
    except OSError as err:
        raise InputError(str(store_dir), f"cannot read the graph store ({_one_line(str(err))})") from None
    except (RuntimeError, ValueError, TypeError, OverflowError) as err:
        raise InputError("query", f"cannot evaluate it: {_one_line(str(err))}") from None


def fuzz_query(store_dir: Path, data: bytes | str) -> None:
    """One input of a fuzz driver: run `data` (bytes are read as UTF-8, a bad byte kept as a
    lone surrogate) as a query on the store at `store_dir`, reading at most FUZZ_ROWS rows. An
    InputError is the expected answer to a bad query and is swallowed; any other exception, or a
    row that does not fit its columns, is a bug and propagates."""
    text = data.decode("utf-8", "surrogateescape") if isinstance(data, bytes) else data
    try:
        columns, rows = query_terms(store_dir, text, limit=FUZZ_ROWS)
    except InputError as err:
        if "\n" in str(err):
            raise AssertionError(f"a query error of more than one line: {err!r}") from None
        return
    if len(rows) > FUZZ_ROWS or any(len(row) != len(columns) for row in rows):
        raise AssertionError(f"{len(rows)} rows, not all of {len(columns)} values")
    tsv_line(columns)
    for row in rows:
        tsv_line(row)
        json_line(columns, row)


def _materialised(result: QuerySolutions | QueryTriples, limit: int | None) -> tuple[list[str], list[list[Any]]]:
    if isinstance(result, QueryTriples):
        columns = ["subject", "predicate", "object"]
        return columns, [[t.subject, t.predicate, t.object] for t in itertools.islice(result, limit)]
    columns = [v.value for v in result.variables]
    return columns, [[row[c] for c in columns] for row in itertools.islice(result, limit)]


def term_text(term: Any) -> str | None:
    """A term's value as text: an IRI, a blank node's id, a literal's lexical form."""
    if term is None:
        return None
    if isinstance(term, Literal | NamedNode | BlankNode):
        return term.value
    return str(term)


# --- rows as text: TSV and JSON lines -------------------------------------------------------

_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TSV_UNSAFE = re.compile(f"[\\\\{UNSAFE_CHARS}]")
_JSON_UNSAFE = re.compile(f"[{UNSAFE_CHARS}]")  # json.dumps escapes C0 itself, but not DEL, C1 or the others


def _escape(char: str) -> str:
    return _TSV_ESCAPES.get(char) or escape_char(char)


def printable(text: str) -> str:
    """The text with a backslash escape for each control character (\\t, \\n, \\r, \\x1b, \\u2028 …) and
    for the backslash itself (\\\\): one line that a terminal shows as it is."""
    return _TSV_UNSAFE.sub(lambda m: _escape(m[0]), text)


def tsv_line(values: Iterable[Any]) -> str:
    """One TSV line (no line end) of terms or texts: unbound is an empty field, and every value
    is printable() (a tab, a line break or an ESC in a name cannot break the table or reach the
    terminal)."""
    return "\t".join("" if value is None else printable(term_text(value) or "") for value in values)


def json_line(columns: list[str], terms: Iterable[Any]) -> str:
    """One JSON object (no line end) of a row: each value typed by its literal's datatype
    (json_value), and no control character left raw."""
    text = json.dumps(dict(zip(columns, map(json_value, terms), strict=True)), ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


_INTEGERS = {
    XSD + name
    for name in [
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
}
_DECIMALS = {XSD + "decimal", XSD + "double", XSD + "float"}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def json_value(term: Any) -> Any:
    """A term as JSON: a number for an xsd integer, decimal, double or float literal (a finite
    one in its lexical form), true or false for an xsd:boolean, null where unbound, else the
    text (term_text)."""
    if isinstance(term, Literal):
        datatype, value = term.datatype.value, term.value
        if datatype in _INTEGERS and _INTEGER.fullmatch(value):
            return int(value)
        if datatype in _DECIMALS and _DECIMAL.fullmatch(value):
            number = float(value)
            if math.isfinite(number):
                return number
        if datatype == XSD + "boolean" and value in ("true", "false", "1", "0"):
            return value in ("true", "1")
    return term_text(term)


def _one_line(text: str, most: int = 300) -> str:
    """The first line of a message from pyoxigraph, printable(), cut at `most` characters."""
    line = printable(text.strip().splitlines()[0] if text.strip() else text)
    return line if len(line) <= most else line[: most - 1] + "…"


# --- the query as read before it runs --------------------------------------------------------

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)  # PN_CHARS_BASE
_CHARS = f"{_BASE}_\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"  # PN_CHARS
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    "|".join(
        (
            r"(?P<ws>[ \t\r\n]+)",
            r"(?P<comment>#[^\r\n]*)",
            f'(?P<iri><(?:[^<>"{{}}|^`\\\\\\x00-\\x20]|{_UCHAR})*>)',
            r"(?P<string>'''(?:(?:''?)?(?:[^'\\]|\\.))*'''"
            r'|"""(?:(?:""?)?(?:[^"\\]|\\.))*"""'
            r"|'(?:[^'\\\n\r]|\\.)*'"
            r'|"(?:[^"\\\n\r]|\\.)*")',
            f"(?P<var>[?$][{_BASE}_0-9][{_BASE}_0-9\u00b7\u0300-\u036f\u203f-\u2040]*)",
            f"(?P<bnode>_:[{_BASE}_0-9](?:[{_CHARS}.]*[{_CHARS}])?)",
            f"(?P<pname>(?P<prefix>[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?:"
            f"(?:(?:[{_BASE}_:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?)?)",
            r"(?P<langtag>@[A-Za-z0-9]+(?:-[A-Za-z0-9]*)*)",
            r"(?P<number>[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.[0-9]*[eE][+-]?[0-9]+|[0-9]+(?:[eE][+-]?[0-9]+)?)",
            f"(?P<word>[{_BASE}_][{_CHARS}]*)",
            r"(?P<other>.)",
        )
    ),
    flags=re.S,
)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", flags=re.S)
UPDATE_WORDS = frozenset({"insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with"})


@dataclass(frozen=True)
class SparqlToken:
    kind: str  # ws comment iri string var bnode pname langtag number word other
    text: str  # as written
    start: int  # its offset in the query
    prefix: str | None = None  # a prefixed name's prefix


def sparql_tokens(sparql: str) -> Iterator[SparqlToken]:
    """The query's tokens, as the SPARQL grammar's terminals draw them; a quote that opens no
    string, or a backslash outside a string, an IRI or a prefixed name, is an InputError."""
    at = 0
    while at < len(sparql):
        match = _TOKEN.match(sparql, at)
        assert match is not None and match.lastgroup is not None  # `other` takes any character
        kind = "pname" if match.lastgroup == "prefix" else match.lastgroup
        if kind == "other" and match[0] in "'\"":
            raise InputError("query", f"not valid SPARQL: a string that is not closed at {_position(sparql, at)}")
        if kind == "other" and match[0] == "\\":
            raise InputError("query", f"not valid SPARQL: a \\ outside a string at {_position(sparql, at)}")
        yield SparqlToken(kind, match[0], at, match["prefix"] if kind == "pname" else None)
        at = match.end()


@dataclass(frozen=True)
class CheckedSparql:
    """A query that may run: the text pyoxigraph is given, and where each of its tokens came from."""

    source: str
    text: str
    starts: tuple[tuple[int, int, bool], ...]  # (offset in text, offset in source, written as it was)

    def where(self, line: int, column: int) -> str:
        """`line:column` in the source of a position pyoxigraph gives in the text (both 1-based)."""
        if self.text == self.source or not self.starts:
            return f"{line}:{column}"
        lines = self.text.split("\n")
        offset = sum(len(text) + 1 for text in lines[: line - 1]) + column - 1
        out_start, source_start, verbatim = self.starts[max(0, _bisect(self.starts, offset))]
        return _position(self.source, source_start + (max(0, offset - out_start) if verbatim else 0))


def checked_sparql(sparql: str) -> CheckedSparql:
    """The query, read before it runs: an InputError if it is no text, calls SERVICE or is an
    update (REFUSED), else the text to run (see the module doc)."""
    try:
        sparql.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("query", "not valid SPARQL: it is not UTF-8 text") from None
    tokens = list(sparql_tokens(sparql))
    for token in tokens:
        bare = token.text if token.kind in ("word", "langtag") else token.prefix if token.kind == "pname" else None
        if bare and "service" in bare.casefold():
            raise InputError("query", REFUSED)
        if token.kind == "word" and (
            token.text.casefold() in UPDATE_WORDS or token.text.casefold().startswith(("insert", "delete"))
        ):
            raise InputError("query", REFUSED)
    parts: list[str] = []
    starts: list[tuple[int, int, bool]] = []
    size = 0
    for token in tokens:
        if token.kind == "comment":
            continue  # its line break, or the end, follows it
        text = _rewritten(token, sparql)
        starts.append((size, token.start, text == token.text))
        parts.append(text)
        size += len(text)
    return CheckedSparql(sparql, "".join(parts), tuple(starts))


def _rewritten(token: SparqlToken, sparql: str) -> str:
    if token.kind == "string":
        quotes = 3 if token.text[:3] in ("'''", '"""') else 1
        value = _unescaped(token.text[quotes:-quotes], _position(sparql, token.start))
        return '"' + "".join(c if c.isalnum() or c == " " else _uchar(c) for c in value) + '"'
    if token.kind == "iri":
        return token.text.replace("'", "\\u0027").replace("#", "\\u0023")
    return token.text


def _unescaped(body: str, where: str) -> str:
    """A string's value: its escapes (\\t \\n … \\uXXXX \\UXXXXXXXX) read; a bad one is an InputError."""

    def one(match: re.Match[str]) -> str:
        if match[3] is not None:
            if match[3] not in _ECHAR:
                problem = f"a string with the escape \\{printable(match[3])} at {where}"
                raise InputError("query", f"not valid SPARQL: {problem}")
            return _ECHAR[match[3]]
        code = int(match[1] or match[2], 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise InputError("query", f"not valid SPARQL: a string with the escape of no character at {where}")
        return chr(code)

    return _ESCAPE.sub(one, body)


def _uchar(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _bisect(starts: tuple[tuple[int, int, bool], ...], offset: int) -> int:
    low, high = 0, len(starts)
    while low < high:
        middle = (low + high) // 2
        if starts[middle][0] <= offset:
            low = middle + 1
        else:
            high = middle
    return low - 1


def _position(text: str, offset: int) -> str:
    """`line:column` (1-based) of an offset."""
    before = text[:offset]
    line = before.count("\n") + 1
    return f"{line}:{offset - (before.rfind(chr(10)) + 1) + 1}"


def _open(store_dir: Path, read_only: bool = False) -> Store:
    """The store at `store_dir`; a folder that holds other things than a store is refused, so
    that `kg load --store ~/docs` never writes the store's files among someone's documents."""
    if store_dir.is_dir() and any(store_dir.iterdir()) and not (store_dir / "CURRENT").is_file():
        raise InputError(str(store_dir), "is no graph store (it holds other files): give a new or empty folder")
    try:
        if read_only:
            return Store.read_only(str(store_dir))
        store_dir.mkdir(parents=True, exist_ok=True)
        return Store(str(store_dir))
    except (OSError, RuntimeError) as err:  # RuntimeError: RocksDB found the store's files corrupt
        raise InputError(str(store_dir), f"cannot open the graph store ({str(err)[:200]})") from None
