"""Records → one knowledge graph of nodes and edges, the model both graph exports render.

Nodes (`label`, keyed by a path-like `key`):
- **Article** `article/<record id>`: headline, date, source path;
- **Organization**, **Place**, **Person** `org/…`, `place/…`, `person/…`: the record's
  `entity_id` (resolve.py), so the same thing is one node across the batch; `name` is its
  longest written form, `aliases` the others;
- **Event** `event/<record id>/<event id>`: type, trigger, and its report's range;
- **Post** `post/<digest of title and organisation>`: an office (街道党工委委员 of 薛家岛街道党工委);
- **Quantity** `quantity/<record id>/<mention id>`: value, unit, object and the other attributes;
- **Date** `date/<value>`: a day (2023-06-25) or, where the text gives less, the text itself.

Edges (`type`, from `start` to `end`):
- MENTIONS article → thing, one per mention, with the mention's id, range and text (provenance);
- REPORTS article → event, with the report's range;
- PARTICIPANT, PLACE, DATE, QUANTITY event → node;
- HOLDS person → post; POST_IN post → organisation;
- LOCATED_IN place → place, organisation → place;
- AUTHOR article → reporter (a Person).

Records without entity ids are resolved first (ids depend only on content, so records that
already have them get the same ones). A mention with no id (an unresolved anaphor) names no
thing and adds no edge. Building is two passes over the records (the names of each thing,
then each record's part of the graph): linear, and the exports stream the parts.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from newsgraph.places import anaphor_level
from newsgraph.resolve import entity_id, resolve

ENTITY_LABELS = {"ORG": "Organization", "PLACE": "Place", "PERSON": "Person"}
ROLE_EDGES = {"participants": "PARTICIPANT", "places": "PLACE", "quantities": "QUANTITY"}
QUANTITY_FIELDS = ("value", "unit", "object", "approx", "comparator", "low", "high", "short")


@dataclass
class Node:
    key: str
    label: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Edge:
    start: str
    end: str
    type: str
    props: tuple[tuple[str, Any], ...] = ()


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def node(self, key: str, label: str, **props: Any) -> Node:
        """The node of `key`, made on first use; props fill in what it lacks."""
        node = self.nodes.get(key)
        if node is None:
            node = self.nodes[key] = Node(key, label)
        for name, value in props.items():
            if value is not None and name not in node.props:
                node.props[name] = value
        return node

    def edge(self, source: str, target: str, type_: str, /, **props: Any) -> None:
        self.edges.append(Edge(source, target, type_, tuple((k, v) for k, v in props.items() if v is not None)))


def build_graph(records: Iterable[dict[str, Any]]) -> Graph:
    """The graph of a batch of records, whole (see the module doc)."""
    graph = Graph()
    for part in record_graphs(records, once=True):
        for key, node in part.nodes.items():
            graph.node(key, node.label, **node.props)
        graph.edges.extend(part.edges)
    return graph


UNSOURCED_EDGES = frozenset({"LOCATED_IN", "HOLDS", "POST_IN", "AUTHOR"})  # edges with no range of text


def record_graphs(records: Iterable[dict[str, Any]], once: bool = True) -> Iterator[Graph]:
    """The graph of each record in turn, its things named from the whole batch: a first pass
    collects the written forms of each thing, so that memory grows with the things, not with
    the triples (the exports stream these parts). With `once`, an edge that carries no range
    of text (LOCATED_IN, HOLDS, POST_IN, AUTHOR) comes only with the first record that gives it,
    so a graph database gets one such edge, not one per article."""
    records = list(records)
    if _unresolved(records):
        records = resolve(records)
    written: dict[str, list[str]] = defaultdict(list)
    for record in records:
        keys = _keys(record)
        for key, name in _written_names(record, keys):
            written[key].append(name)
    names = {key: sorted(set(forms), key=lambda n: (-len(n), n)) for key, forms in written.items()}
    given: set[tuple[str, str, str]] = set()
    for record in records:
        graph = Graph()
        _add_record(graph, record, names, _keys(record))
        if once:
            edges = []
            for edge in graph.edges:
                if edge.type in UNSOURCED_EDGES:
                    if (edge.start, edge.end, edge.type) in given:
                        continue
                    given.add((edge.start, edge.end, edge.type))
                edges.append(edge)
            graph.edges = edges
        yield graph


def _unresolved(records: list[dict[str, Any]]) -> bool:
    """Whether entity ids are missing: a key absent, or null on a name (`annotate --no-resolve`);
    an anaphor (本社区) may stay null."""
    return any(
        "entity_id" not in m
        or (m["entity_id"] is None and m["label"] in ENTITY_LABELS and not anaphor_level(m["text"]))
        for r in records
        for m in r.get("entities", [])
    )


def _keys(record: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(label, name) → the id of the record's own mention of that name, so that a place or body
    named outside the entities (a located_in tail_name, a post's organisation, a reporter) is
    the node its mention is (月亮湾路社区 keeps its parent place)."""
    keys: dict[tuple[str, str], str] = {}
    for mention in record.get("entities", []):
        if mention["label"] in ENTITY_LABELS and mention.get("entity_id"):
            keys.setdefault((mention["label"], mention["text"]), mention["entity_id"])
    return keys


def _written_names(record: dict[str, Any], keys: dict[tuple[str, str], str]) -> Iterator[tuple[str, str]]:
    """(thing key, a form written for it) for every thing the record names."""
    for mention in record.get("entities", []):
        if mention["label"] in ENTITY_LABELS and mention.get("entity_id"):
            yield mention["entity_id"], mention["text"]
    for reporter in record.get("reporters", []):
        yield _key(keys, "PERSON", reporter), reporter
    for official in record.get("officials", []):
        for title in official.get("titles", []):
            if title.get("org"):
                yield _key(keys, "ORG", title["org"]), title["org"]
    for relation in record.get("relations", []):
        if relation.get("type") == "located_in" and "tail_name" in relation:
            yield _key(keys, "PLACE", relation["tail_name"]), relation["tail_name"]


def _key(keys: dict[tuple[str, str], str], label: str, name: str) -> str:
    """The node of a thing named outside the entities: the record's own mention of that name,
    else the id resolve.py gives a mention of that name with no parent place."""
    return keys.get((label, name)) or entity_id(label, name, None)


def _named(graph: Graph, key: str, label: str, names: dict[str, list[str]]) -> None:
    forms = names.get(key, [])
    aliases = forms[1:] or None
    graph.node(key, label, name=forms[0] if forms else None, aliases=aliases)


def _add_record(
    graph: Graph, record: dict[str, Any], names: dict[str, list[str]], keys: dict[tuple[str, str], str]
) -> None:
    rid = record["id"]
    article = f"article/{rid}"
    graph.node(
        article,
        "Article",
        id=rid,
        headline=record.get("headline"),
        date=record.get("date"),
        source=(record.get("source") or {}).get("path"),
    )
    mentions = {m["id"]: m for m in record.get("entities", [])}
    quantities = {q.get("mention"): q for q in record.get("quantities", [])}
    things: dict[str, str] = {}  # mention id → node key
    for mention in record.get("entities", []):
        key = _thing(graph, rid, mention, quantities, names)
        if key is None:
            continue
        things[mention["id"]] = key
        graph.edge(
            article,
            key,
            "MENTIONS",
            mention=mention["id"],
            start=mention["start"],
            end=mention["end"],
            text=mention["text"],
        )
    for reporter in record.get("reporters", []):
        key = _key(keys, "PERSON", reporter)
        _named(graph, key, "Person", names)
        graph.edge(article, key, "AUTHOR")
    for event in record.get("events", []):
        _add_event(graph, rid, event, things, mentions)
    for official in record.get("officials", []):
        _add_official(graph, official, things, names, keys)
    for relation in record.get("relations", []):
        if relation.get("type") != "located_in" or relation.get("head") not in things:
            continue
        if "tail" in relation:
            tail = things.get(relation["tail"])
        else:
            tail = _key(keys, "PLACE", relation["tail_name"])
            _named(graph, tail, "Place", names)
        if tail is not None and tail != things[relation["head"]]:
            graph.edge(things[relation["head"]], tail, "LOCATED_IN")


def _thing(
    graph: Graph, rid: str, mention: dict[str, Any], quantities: dict[Any, dict], names: dict[str, list[str]]
) -> str | None:
    """The node a mention names: an entity by its id, a Quantity or a Date; None for TITLE
    (posts come from the officials) and for a mention with no id."""
    label = mention["label"]
    if label in ENTITY_LABELS:
        key = mention.get("entity_id")
        if key is None:
            return None
        _named(graph, key, ENTITY_LABELS[label], names)
        return key
    if label == "QUANTITY":
        attributes = quantities.get(mention["id"], {})
        key = f"quantity/{rid}/{mention['id']}"
        graph.node(key, "Quantity", text=mention["text"], **{f: attributes.get(f) for f in QUANTITY_FIELDS})
        return key
    if label == "DATE":
        value = date_value(mention.get("date"))
        key = f"date/{value or mention['text']}"
        graph.node(key, "Date", value=value, text=mention["text"])
        return key
    return None


def date_value(date: dict[str, Any] | None) -> str | None:
    """An ISO day (2023-06-25) where the date gives year, month and day; else None."""
    if not date or date.get("kind") != "absolute" or date.get("range_end") or date.get("since"):
        return None
    year, month, day = date.get("year"), date.get("month"), date.get("day")
    if year is None or month is None or day is None:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _add_event(
    graph: Graph, rid: str, event: dict[str, Any], things: dict[str, str], mentions: dict[str, dict]
) -> None:
    key = f"event/{rid}/{event['id']}"
    graph.node(
        key,
        "Event",
        id=event["id"],
        type=event.get("type"),
        trigger=event.get("trigger"),
        start=event.get("start"),
        end=event.get("end"),
    )
    graph.edge(f"article/{rid}", key, "REPORTS", start=event.get("start"), end=event.get("end"))
    if event.get("date") in things:
        graph.edge(key, things[event["date"]], "DATE")
    for role, edge_type in ROLE_EDGES.items():
        for mention_id in dict.fromkeys(event.get(role) or []):  # a place named twice is one edge
            if mention_id in things:
                graph.edge(key, things[mention_id], edge_type)


def _add_official(
    graph: Graph,
    official: dict[str, Any],
    things: dict[str, str],
    names: dict[str, list[str]],
    keys: dict[tuple[str, str], str],
) -> None:
    person = things.get(official.get("person") or "")
    for title in official.get("titles", []):
        org = title.get("org")
        digest = hashlib.sha1(f"{title['title']}|{org or ''}".encode()).hexdigest()[:12]
        post = f"post/{digest}"
        graph.node(post, "Post", title=title["title"], organization=org)
        if person is not None:
            graph.edge(person, post, "HOLDS")
        if org:
            org_key = _key(keys, "ORG", org)
            _named(graph, org_key, "Organization", names)
            graph.edge(post, org_key, "POST_IN")
