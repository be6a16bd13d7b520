"""The embedded graph store: records loaded into pyoxigraph on disk, and SPARQL over it.

Each article's triples go into a named graph of its own (the article's IRI), replaced whole
when the article is loaded again: a corrected batch reloads without leaving stale triples, and
loading a batch twice changes nothing. The descriptions of things (names, types) go into a
shared graph. Queries see the union of all graphs as the default graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QuerySolutions, QueryTriples, Store

from newsgraph.errors import InputError
from newsgraph.export.rdf import DEFAULT_BASE, PREFIXES, iri, part_triples
from newsgraph.graph import record_graphs

SHARED = "graph/shared"  # the descriptions of things, posts and dates that several articles name


def load_records(records: Iterable[dict[str, Any]], store_dir: Path, base: str = DEFAULT_BASE) -> int:
    """Load the records' graph into the store at `store_dir` (made if absent), record by record;
    the number of triples given to the store. What a record says (its article, events,
    quantities, mentions, and every edge it gives, an org:holds included) goes into the
    article's own named graph, replaced when the article is loaded again; the descriptions of
    things several articles name (names, types) go into a shared graph."""
    store = _open(store_dir)
    shared = NamedNode(base + SHARED)
    total = 0
    for part in record_graphs(records, once=False):
        article = next(key for key, node in part.nodes.items() if node.label == "Article")
        name = iri(base, article)
        store.remove_graph(name)  # an article loaded again: its old triples go
        quads = [
            Quad(q.subject, q.predicate, q.object, shared if common else name) for q, common in part_triples(part, base)
        ]
        store.extend(quads)
        total += len(quads)
    store.flush()
    return total


def query(store_dir: Path, sparql: str) -> tuple[list[str], list[list[str | None]]]:
    """Run a SELECT (or ASK, CONSTRUCT) query: (column names, rows of values as text)."""
    if not (store_dir / "CURRENT").exists() and not any(store_dir.glob("*")):
        raise InputError(str(store_dir), "no graph store here: load one with `newsgraph kg load RECORDS --store DIR`")
    store = _open(store_dir, read_only=True)
    declared = {**PREFIXES, "ng": DEFAULT_BASE + "ns#"}
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in declared.items() if f"PREFIX {p}:" not in sparql)
    try:
        result = store.query(prologue + sparql, use_default_graph_as_union=True)
        if isinstance(result, bool):
            return ["ask"], [["true" if result else "false"]]
        return _materialised(result)  # read every row here, so that errors of evaluation surface here
    except SyntaxError as err:
        shift = prologue.count("\n")  # say where in the user's query, not in ours with the prefixes
        where = re.sub(r"error at (\d+):", lambda m: f"error at {int(m[1]) - shift}:", str(err), count=1)
        raise InputError("query", f"not valid SPARQL: {where.splitlines()[0]}") from None
    except OSError as err:  # SERVICE <remote>: this store reaches no other
        raise InputError("query", f"cannot run it here: {err}") from None


def _materialised(result: QuerySolutions | QueryTriples) -> tuple[list[str], list[list[str | None]]]:
    if isinstance(result, QueryTriples):
        columns = ["subject", "predicate", "object"]
        return columns, [[_text(t.subject), _text(t.predicate), _text(t.object)] for t in result]
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
