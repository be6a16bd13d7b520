"""The knowledge graph (newsgraph/graph.py) as RDF: Turtle, JSON-LD or N-Triples.

Vocabularies: schema.org for the things (NewsArticle, Event, Organization, Person, Place,
QuantitativeValue), the W3C Organization ontology for offices (org:Post, org:holds,
org:postIn), PROV-O for where each statement comes from (prov:wasDerivedFrom), and Web
Annotation for character ranges (oa:TextPositionSelector with oa:start and oa:end, and
oa:TextQuoteSelector with the exact text). Terms of our own live under `<base>ns#`.

- **IRIs** are `<base>` + the node's key, each path segment percent-encoded (every character
  but letters, digits and `-._~`), so no text from a page ever lands raw in an IRI; a segment
  that is `.` or `..` (an id `../../etc/passwd`) has its dots encoded too (`%2E%2E`), so that no
  IRI resolves out of its place.
- **Dates** (an article's schema:datePublished, an event's schema:startDate) are typed by
  precision where they are valid ISO dates: xsd:date (2019-02-01, and 20190201 written without
  dashes, as 2019-02-01), xsd:gYearMonth (2019-02), xsd:gYear (2019). Anything else a record
  holds (6月25日, 2019-02-30, 20190231) is kept as the plain xsd:string it is, never as a date
  nor as a language-tagged string; a date that is no text at all (a number) is left out.
- **Literals** are written by pyoxigraph's serialisers, which escape them; names are
  `@zh` literals.
- **No blank nodes**: a mention's target and selectors are `<mention>#target`, `#position`,
  `#quote`, so that two exports of one batch are the same set of triples, and a Turtle and a
  JSON-LD export of it too.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from newsgraph.graph import Graph, record_graphs
from newsgraph.output import AtomicWriter

RDF_FORMATS = {"ttl": RdfFormat.TURTLE, "jsonld": RdfFormat.JSON_LD, "nt": RdfFormat.N_TRIPLES}
DEFAULT_BASE = "https://newsgraph.invalid/"  # .invalid: a name that resolves nowhere, by RFC 2606

SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {"schema": SCHEMA, "org": ORG, "prov": PROV, "oa": OA, "rdf": RDF, "rdfs": RDFS, "xsd": XSD}

CLASSES = {
    "Article": SCHEMA + "NewsArticle",
    "Event": SCHEMA + "Event",
    "Organization": SCHEMA + "Organization",
    "Person": SCHEMA + "Person",
    "Place": SCHEMA + "Place",
    "Post": ORG + "Post",
    "Quantity": SCHEMA + "QuantitativeValue",
}
A = NamedNode(RDF + "type")
ZH = "zh"


def iri(base: str, key: str) -> NamedNode:
    """`<base>` + the key with each segment percent-encoded: 'article/页 1/"x"' → article/%E9%A1%B5%201/%22x%22,
    and the dots of a `.` or `..` segment too: 'article/../x' → article/%2E%2E/x."""
    return NamedNode(base + "/".join(_segment(part) for part in str(key).split("/")))


def _segment(part: str) -> str:
    """A path segment percent-encoded, never a dot segment that an IRI resolver would remove or follow up."""
    return part.replace(".", "%2E") if part in (".", "..") else quote(part, safe="")


SHARED_LABELS = frozenset({"Organization", "Person", "Place", "Post", "Date"})  # nodes several articles name


def graph_triples(parts: Graph | Iterable[Graph], base: str = DEFAULT_BASE) -> Iterator[Quad]:
    """Every triple of a graph, or of a stream of record graphs (record_graphs), in a fixed
    order: each part's new nodes, then its edges. A node met again in a later part is not
    written again."""
    seen: set[str] = set()
    for part in [parts] if isinstance(parts, Graph) else parts:
        for quad, _shared in part_triples(part, base, seen):
            yield quad


def part_triples(part: Graph, base: str, seen: set[str] | None = None) -> Iterator[tuple[Quad, bool]]:
    """(triple, whether it describes a thing several articles name) for one part; nodes whose
    key is in `seen` are skipped, and added to it."""
    terms = _Terms(base, base + "ns#")
    terms.labels = {key: node.label for key, node in part.nodes.items()}
    for node in part.nodes.values():
        if seen is not None:
            if node.key in seen:
                continue
            seen.add(node.key)
        for quad in terms.node(node.key, node.label, node.props):
            yield quad, node.label in SHARED_LABELS
    for edge in part.edges:
        for quad in terms.edge(edge.start, edge.end, edge.type, dict(edge.props)):
            yield quad, False


def write_rdf(records: Iterable[dict[str, Any]], out: Path, fmt: str, base: str = DEFAULT_BASE) -> int:
    """Write the records' graph to `out` in `fmt` (ttl, jsonld or nt), streamed record by
    record; the number of triples written."""
    count = 0

    def triples() -> Iterator[Any]:
        nonlocal count
        for quad in graph_triples(record_graphs(records), base):
            count += 1
            yield quad.triple

    prefixes = {**PREFIXES, "ng": base + "ns#"} if fmt == "ttl" else None
    with AtomicWriter(out, binary=True) as writer:  # the file appears whole or not at all
        serialize(triples(), writer.file, RDF_FORMATS[fmt], prefixes=prefixes)
        writer.commit()
    return count


class _Terms:
    """Node and edge → triples; one place for the vocabulary choices."""

    def __init__(self, base: str, ns: str) -> None:
        self.base = base
        self.ns = ns
        self.labels: dict[str, str] = {}  # the current part's node labels

    def node_iri(self, key: str) -> NamedNode:
        return iri(self.base, key)

    def term(self, name: str) -> NamedNode:
        prefix, _, local = name.partition(":")
        return NamedNode({**PREFIXES, "ng": self.ns}[prefix] + local)

    def node(self, key: str, label: str, props: dict[str, Any]) -> Iterator[Quad]:
        s = self.node_iri(key)
        if label == "Date":
            return  # dates are literals of the events (schema:startDate), see edge()
        yield Quad(s, A, NamedNode(CLASSES[label]))
        if label in ("Organization", "Person", "Place"):
            yield Quad(s, self.term("schema:name"), Literal(props["name"], language=ZH))
            yield Quad(s, self.term("rdfs:label"), Literal(props["name"], language=ZH))
            for alias in props.get("aliases", []):
                yield Quad(s, self.term("schema:alternateName"), Literal(alias, language=ZH))
            yield Quad(s, self.term("schema:identifier"), Literal(key))
        elif label == "Article":
            yield Quad(s, self.term("schema:identifier"), Literal(props["id"]))
            if props.get("headline"):
                yield Quad(s, self.term("schema:headline"), Literal(props["headline"], language=ZH))
            published = _date_literal(props.get("date"))
            if published is not None:
                yield Quad(s, self.term("schema:datePublished"), published)
            if props.get("source"):
                yield Quad(s, self.term("schema:isBasedOn"), Literal(props["source"]))
        elif label == "Event":
            article = self.node_iri(key.rsplit("/", 1)[0].replace("event/", "article/", 1))
            yield Quad(s, self.term("ng:eventType"), Literal(props["type"]))
            yield Quad(s, self.term("schema:name"), Literal(props["trigger"], language=ZH))
            yield from self.range(s, article, props["start"], props["end"], None)
        elif label == "Post":
            yield Quad(s, self.term("rdfs:label"), Literal(props["title"], language=ZH))
        elif label == "Quantity":
            yield from self.quantity(s, key, props)

    def quantity(self, s: NamedNode, key: str, props: dict[str, Any]) -> Iterator[Quad]:
        article = self.node_iri("article/" + key.split("/", 1)[1].rsplit("/", 1)[0])
        yield Quad(s, self.term("prov:wasDerivedFrom"), article)
        yield Quad(s, self.term("rdfs:label"), Literal(props.get("short") or props["text"], language=ZH))
        if _finite(props.get("value")):
            yield Quad(s, self.term("schema:value"), _number(props["value"]))
        for name, predicate in (("low", "schema:minValue"), ("high", "schema:maxValue")):
            if _finite(props.get(name)):
                yield Quad(s, self.term(predicate), _number(props[name]))
        if props.get("unit"):
            yield Quad(s, self.term("schema:unitText"), Literal(props["unit"], language=ZH))
        if props.get("object"):
            yield Quad(s, self.term("ng:object"), Literal(props["object"], language=ZH))
        for name in ("approx", "comparator"):
            if props.get(name):
                yield Quad(s, self.term(f"ng:{name}"), Literal(props[name]))

    def range(self, s: NamedNode, article: NamedNode, start: int, end: int, exact: str | None) -> Iterator[Quad]:
        """`s` prov:wasDerivedFrom `s#target`: characters [start, end) of the article's text."""
        target, position = NamedNode(s.value + "#target"), NamedNode(s.value + "#position")
        yield Quad(s, self.term("prov:wasDerivedFrom"), target)
        yield Quad(target, A, self.term("oa:SpecificResource"))
        yield Quad(target, self.term("oa:hasSource"), article)
        yield Quad(target, self.term("oa:hasSelector"), position)
        yield Quad(position, A, self.term("oa:TextPositionSelector"))
        yield Quad(position, self.term("oa:start"), Literal(str(start), datatype=NamedNode(XSD + "nonNegativeInteger")))
        yield Quad(position, self.term("oa:end"), Literal(str(end), datatype=NamedNode(XSD + "nonNegativeInteger")))
        if exact is not None:
            quote_node = NamedNode(s.value + "#quote")
            yield Quad(target, self.term("oa:hasSelector"), quote_node)
            yield Quad(quote_node, A, self.term("oa:TextQuoteSelector"))
            yield Quad(quote_node, self.term("oa:exact"), Literal(exact, language=ZH))

    def edge(self, start: str, end: str, type_: str, props: dict[str, Any]) -> Iterator[Quad]:
        s, o = self.node_iri(start), self.node_iri(end)
        if type_ == "MENTIONS":  # a Web Annotation: the thing named at that range of the article
            yield Quad(s, self.term("schema:mentions"), o)
            annotation = self.node_iri(f"mention/{start.removeprefix('article/')}/{props['mention']}")
            yield Quad(annotation, A, self.term("oa:Annotation"))
            yield Quad(annotation, self.term("oa:hasBody"), o)
            yield Quad(annotation, self.term("oa:hasTarget"), NamedNode(annotation.value + "#target"))
            yield from self.range(annotation, s, props["start"], props["end"], props["text"])
        elif type_ == "DATE":
            date = _date_literal(end.removeprefix("date/"))
            if date is not None:
                yield Quad(s, self.term("schema:startDate"), date)
        elif type_ == "LOCATED_IN" and self.labels.get(start) != "Place":
            yield Quad(s, self.term("schema:location"), o)  # an organisation's place
        else:
            yield Quad(s, self.term(EDGE_TERMS[type_]), o)


EDGE_TERMS = {
    "REPORTS": "ng:reports",
    "PARTICIPANT": "ng:participant",
    "PLACE": "schema:location",
    "QUANTITY": "ng:quantity",
    "HOLDS": "org:holds",
    "POST_IN": "org:postIn",
    "LOCATED_IN": "schema:containedInPlace",
    "AUTHOR": "schema:author",
}


_ISO_DATE = re.compile(r"([0-9]{4})(?:(-?)([0-9]{2})(?:\2([0-9]{2}))?)?", flags=re.ASCII)


def _date_literal(value: Any) -> Literal | None:
    """A date as the module doc says: xsd:date, xsd:gYearMonth or xsd:gYear for a valid ISO date
    (20190201 read as 2019-02-01), a plain xsd:string for other text, None for no text."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    match = _ISO_DATE.fullmatch(text)
    if match and not (match[2] == "" and match[4] is None):  # 201902 is no ISO date; 2019, 2019-02, 20190201 are
        year = int(match[1])
        try:
            if match[4] is not None:
                day = datetime.date(year, int(match[3]), int(match[4]))
                return Literal(day.isoformat(), datatype=NamedNode(XSD + "date"))
            if match[3] is not None:
                month = datetime.date(year, int(match[3]), 1)
                return Literal(month.isoformat()[:7], datatype=NamedNode(XSD + "gYearMonth"))
            if year >= 1:
                return Literal(match[1], datatype=NamedNode(XSD + "gYear"))
        except ValueError:
            pass  # 2019-02-30, 2019-13, year 0: no date
    return Literal(text)


def _finite(value: Any) -> bool:
    """A number RDF can hold (NaN and infinities are no xsd:decimal)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _number(value: float) -> Literal:
    if isinstance(value, int) or float(value).is_integer():
        return Literal(str(int(value)), datatype=NamedNode(XSD + "integer"))
    return Literal(format(Decimal(repr(float(value))), "f"), datatype=NamedNode(XSD + "decimal"))
