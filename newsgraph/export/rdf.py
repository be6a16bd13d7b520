"""The knowledge graph (newsgraph/graph.py) as RDF: Turtle, JSON-LD or N-Triples.

Vocabularies: schema.org for the things (NewsArticle, Event, Organization, Person, Place,
QuantitativeValue), the W3C Organization ontology for offices (org:Post, org:holds,
org:postIn), PROV-O for where each statement comes from (prov:wasDerivedFrom), and Web
Annotation for character ranges (oa:TextPositionSelector with oa:start and oa:end, and
oa:TextQuoteSelector with the exact text). Terms of our own live under `<base>ns#`.

- **IRIs** are `<base>` + the node's key, each path segment percent-encoded (every character
  but letters, digits and `-._~`), so no text from a page ever lands raw in an IRI.
- **Literals** are written by pyoxigraph's serialisers, which escape them; names are
  `@zh` literals.
- **No blank nodes**: a mention's target and selectors are `<mention>#target`, `#position`,
  `#quote`, so that two exports of one batch are the same set of triples, and a Turtle and a
  JSON-LD export of it too.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from newsgraph.graph import Graph, record_graphs

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
    """`<base>` + the key with each segment percent-encoded: 'article/页 1/"x"' → article/%E9%A1%B5%201/%22x%22."""
    return NamedNode(base + "/".join(quote(part, safe="") for part in key.split("/")))


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
    part = out.with_name(f".{out.name}.part")  # the file appears whole or not at all
    try:
        with part.open("wb") as handle:
            serialize(triples(), handle, RDF_FORMATS[fmt], prefixes=prefixes)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
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
            if props.get("date"):
                yield Quad(s, self.term("schema:datePublished"), _date_literal(props["date"]))
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
            yield Quad(s, self.term("schema:startDate"), _date_literal(end.removeprefix("date/")))
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


def _date_literal(value: str) -> Literal:
    """xsd:date for an ISO day, else the text as written (@zh)."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.replace("-", "").isdigit():
        return Literal(value, datatype=NamedNode(XSD + "date"))
    return Literal(value, language=ZH)


def _finite(value: Any) -> bool:
    """A number RDF can hold (NaN and infinities are no xsd:decimal)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _number(value: float) -> Literal:
    if isinstance(value, int) or float(value).is_integer():
        return Literal(str(int(value)), datatype=NamedNode(XSD + "integer"))
    return Literal(format(Decimal(repr(float(value))), "f"), datatype=NamedNode(XSD + "decimal"))
