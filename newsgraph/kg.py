"""The embedded graph store: records loaded into pyoxigraph on disk, and SPARQL over it.

Each article's triples go into a named graph of its own (the article's IRI), replaced whole
when the article is loaded again: a corrected batch reloads without leaving stale triples, and
loading a batch twice changes nothing. Queries see the union of all graphs as the default graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QuerySolutions, QueryTriples, Store

from newsgraph.errors import InputError
from newsgraph.export.rdf import DEFAULT_BASE, PREFIXES, graph_triples
from newsgraph.graph import record_graphs

SHARED = "graph/shared"  # the things, posts and dates that several articles name


def load_records(records: Iterable[dict[str, Any]], store_dir: Path, base: str = DEFAULT_BASE) -> int:
    """Load the records' graph into the store at `store_dir` (made if absent), record by record;
    the number of triples given to the store."""
    store = _open(store_dir)
    total = 0
    cleared: set[str] = set()
    for part in record_graphs(records):
        quads = list(graph_triples(part, base))
        by_graph: dict[str, list[Quad]] = {}
        for quad in quads:
            by_graph.setdefault(_article_of(quad, base), []).append(quad)
        for graph_name, members in by_graph.items():
            name = NamedNode(graph_name)
            if graph_name not in cleared and not graph_name.endswith(SHARED):
                store.remove_graph(name)  # an article loaded again: its old triples go
                cleared.add(graph_name)
            store.extend([Quad(q.subject, q.predicate, q.object, name) for q in members])
        total += len(quads)
    store.flush()
    return total


def _article_of(quad: Quad, base: str) -> str:
    """The named graph a triple goes to: its article's IRI (entities and posts: a shared graph)."""
    subject = quad.subject.value
    if not subject.startswith(base):
        return base + SHARED
    key = subject[len(base) :].split("#", 1)[0]
    kind, _, rest = key.partition("/")
    if kind == "article":
        return subject.split("#", 1)[0]
    if kind in ("event", "quantity", "mention"):
        return base + "article/" + rest.rsplit("/", 1)[0]
    return base + SHARED


def query(store_dir: Path, sparql: str) -> tuple[list[str], list[list[str | None]]]:
    """Run a SELECT (or ASK, CONSTRUCT) query: (column names, rows of values as text)."""
    if not (store_dir / "CURRENT").exists() and not any(store_dir.glob("*")):
        raise InputError(str(store_dir), "no graph store here: load one with `newsgraph kg load RECORDS --store DIR`")
    store = _open(store_dir, read_only=True)
    declared = {**PREFIXES, "ng": DEFAULT_BASE + "ns#"}
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in declared.items() if f"PREFIX {p}:" not in sparql)
    try:
        result = store.query(prologue + sparql, use_default_graph_as_union=True)
    except SyntaxError as err:
        shift = prologue.count("\n")  # say where in the user's query, not in ours with the prefixes
        where = re.sub(r"error at (\d+):", lambda m: f"error at {int(m[1]) - shift}:", str(err), count=1)
        raise InputError("query", f"not valid SPARQL: {where.splitlines()[0]}") from None
    if isinstance(result, bool):
        return ["ask"], [["true" if result else "false"]]
    if isinstance(result, QueryTriples):
        return ["subject", "predicate", "object"], [
            [_text(t.subject), _text(t.predicate), _text(t.object)] for t in result
        ]
    assert isinstance(result, QuerySolutions)
    columns = [v.value for v in result.variables]
    return columns, [[_text(row[c]) for c in columns] for row in result]


def _text(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, Literal | NamedNode | BlankNode):
        return term.value
    return str(term)


def _open(store_dir: Path, read_only: bool = False) -> Store:
    try:
        if read_only:
            return Store.read_only(str(store_dir))
        store_dir.mkdir(parents=True, exist_ok=True)
        return Store(str(store_dir))
    except OSError as err:
        raise InputError(str(store_dir), f"cannot open the graph store ({err})") from None
