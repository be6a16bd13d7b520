"""The knowledge graph (newsgraph/graph.py) as Neo4j import files.

`write_neo4j(records, folder)` writes:
- one node file per label (`Article.csv`, `Organization.csv` …) with `id:ID` and `:LABEL`
  columns, and one `relationships.csv` with `:START_ID`, `:END_ID` and `:TYPE`, for
  `neo4j-admin database import full` (the command is in `import.sh`); two `:IGNORE` columns
  give the labels of each relationship's ends;
- `load.cypher`, the same files through `LOAD CSV`, for a running database: nodes and
  relationships are MERGEd on labelled, indexed ids, so a second run adds nothing.

Every field is quoted, and quotes inside are doubled (RFC 4180); line breaks stay inside
quoted fields (`--multiline-fields=true`). A value that a spreadsheet would take for a
formula (it starts with = + - @, a tab or a carriage return) is written with a leading `'`,
so opening a file in a spreadsheet runs nothing. `load.cypher` takes that `'` off again, so
the database holds the value as written; after `neo4j-admin import`, `unguard.cypher` does
the same.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from newsgraph.graph import record_graphs
from newsgraph.output import write_folder

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
NODE_COLUMNS = {
    "Article": ["headline", "date", "source"],
    "Event": ["type", "trigger", "start:int", "end:int"],
    "Organization": ["name", "aliases"],
    "Person": ["name", "aliases"],
    "Place": ["name", "aliases"],
    "Post": ["title", "organization"],
    "Quantity": [
        "text",
        "value:double",
        "unit",
        "object",
        "approx",
        "comparator",
        "low:double",
        "high:double",
        "short",
    ],
    "Date": ["value", "text"],
}
EDGE_COLUMNS = ["mention", "start:int", "end:int", "text"]
# the labels of a relationship's ends: neo4j-admin skips :IGNORE columns; load.cypher matches by them
END_LABEL_COLUMNS = ["start_label:IGNORE", "end_label:IGNORE"]


def guarded(value: Any) -> str:
    """A cell's text: JSON for lists, and a leading ' where a spreadsheet would see a formula in
    a text (=cmd|…, +1, @SUM); numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value) if math.isfinite(value) else ""  # a number stays a number (-5 ℃); NaN is none
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)
    return GUARD + text if text.startswith(FORMULA_STARTS) or text.startswith(GUARD) else text


NEO4J_SUFFIXES = (".csv", ".cypher", ".sh")  # what --force may replace: an export's files


def write_neo4j(records: Iterable[dict[str, Any]], folder: Path, force: bool = False) -> int:
    """Write the import files into `folder`, streamed record by record (each node once), whole
    or not at all; the number of nodes and relationships. A `folder` that is not empty is an
    InputError unless `force` (see output.write_folder)."""
    fill = lambda staging: _write_files(records, staging)  # noqa: E731
    return write_folder(folder, fill, force=force, suffixes=NEO4J_SUFFIXES, marker="load.cypher", what="a Neo4j export")


def _write_files(records: Iterable[dict[str, Any]], folder: Path) -> int:
    seen: set[str] = set()
    label_of: dict[str, str] = {}
    edge_kinds: set[tuple[str, str, str]] = set()  # (type, start label, end label)
    count = 0
    with ExitStack() as stack:
        writers: dict[str, Any] = {}

        def writer(name: str, header: list[str]) -> Any:
            if name not in writers:
                handle = stack.enter_context((folder / f"{name}.csv").open("w", encoding="utf-8", newline=""))
                writers[name] = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
                writers[name].writerow(header)
            return writers[name]

        edges = writer("relationships", [":START_ID", ":END_ID", ":TYPE", *EDGE_COLUMNS, *END_LABEL_COLUMNS])
        for part in record_graphs(records):
            for node in part.nodes.values():
                if node.key in seen:
                    continue
                seen.add(node.key)
                label_of[node.key] = node.label
                columns = NODE_COLUMNS[node.label]
                row = [node.key, *(node.props.get(c.split(":")[0]) for c in columns), node.label]
                writer(node.label, ["id:ID", *columns, ":LABEL"]).writerow([guarded(v) for v in row])
                count += 1
            for e in part.edges:
                props = dict(e.props)
                ends = [label_of[e.start], label_of[e.end]]
                cells = [e.start, e.end, e.type, *(props.get(c.split(":")[0]) for c in EDGE_COLUMNS), *ends]
                edges.writerow([guarded(v) for v in cells])
                edge_kinds.add((e.type, *ends))
                count += 1
        labels = sorted(n for n in writers if n != "relationships")
    (folder / "load.cypher").write_text(_cypher(labels, sorted(edge_kinds)), encoding="utf-8")
    (folder / "import.sh").write_text(_import_script(labels), encoding="utf-8")
    (folder / "unguard.cypher").write_text(_unguard_script(labels), encoding="utf-8")
    return count


def _unguard(expression: str) -> str:
    """Cypher that takes the spreadsheet guard off a value read by LOAD CSV."""
    return f'CASE WHEN {expression} STARTS WITH "\'" THEN substring({expression}, 1) ELSE {expression} END'


def _cypher(labels: list[str], edge_kinds: list[tuple[str, str, str]]) -> str:
    lines = [
        "// Load the newsgraph CSVs into a running Neo4j: put them in its import folder, then",
        "// cypher-shell -f load.cypher. Values keep their text: the spreadsheet guard (') is taken off.",
        "// MERGE throughout: running it again adds nothing.",
    ]
    for label in labels:
        lines.append(f"CREATE CONSTRAINT IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE;")
    for label in labels:
        sets = []
        for column in NODE_COLUMNS[label]:
            name, _, kind = column.partition(":")
            value = _unguard(f"row.`{column}`")
            if kind == "int":
                value = f"toInteger(row.`{column}`)"
            elif kind == "double":
                value = f"toFloat(row.`{column}`)"
            sets.append(f"n.{name} = CASE WHEN row.`{column}` = '' THEN null ELSE {value} END")
        lines.append(
            f"LOAD CSV WITH HEADERS FROM 'file:///{label}.csv' AS row\n"
            f"MERGE (n:{label} {{id: {_unguard('row.`id:ID`')}}})\nSET " + ",\n    ".join(sets) + ";"
        )
    for edge_type, start_label, end_label in edge_kinds:  # labelled ends: the id constraints' indexes serve
        lines.append(
            "LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row\n"
            f"WITH row WHERE row.`:TYPE` = '{edge_type}' AND row.`start_label:IGNORE` = '{start_label}'"
            f" AND row.`end_label:IGNORE` = '{end_label}'\n"
            f"MATCH (a:{start_label} {{id: {_unguard('row.`:START_ID`')}}})\n"
            f"MATCH (b:{end_label} {{id: {_unguard('row.`:END_ID`')}}})\n"
            f"MERGE (a)-[r:{edge_type} {{mention: coalesce(row.mention, '')}}]->(b)\n"
            "SET r.start = toInteger(row.`start:int`), r.end = toInteger(row.`end:int`),\n"
            f"    r.text = CASE WHEN row.text = '' THEN null ELSE {_unguard('row.text')} END;"
        )
    return "\n".join(lines) + "\n"


def _import_script(labels: list[str]) -> str:
    nodes = " ".join(f"--nodes={label}={label}.csv" for label in labels)
    return (
        "#!/bin/sh\n"
        "# Bulk import into an empty database (run in this folder, with the database stopped),\n"
        "# then take the spreadsheet guard (') off the values that carry it: unguard.cypher.\n"
        f"neo4j-admin database import full {nodes} --relationships=relationships.csv "
        "--multiline-fields=true neo4j\n"
    )


def _unguard_script(labels: list[str]) -> str:
    """After neo4j-admin import: every text property that carries the guard loses it."""
    lines = ["// After `neo4j-admin database import`: cypher-shell -f unguard.cypher"]
    for label in labels:
        for column in ["id:ID", *NODE_COLUMNS[label]]:
            name, _, kind = column.partition(":")
            name = "id" if column == "id:ID" else name
            if kind in ("", "ID"):
                lines.append(
                    f'MATCH (n:{label}) WHERE n.{name} STARTS WITH "\'" SET n.{name} = substring(n.{name}, 1);'
                )
    lines.append('MATCH ()-[r]->() WHERE r.text STARTS WITH "\'" SET r.text = substring(r.text, 1);')
    return "\n".join(lines) + "\n"
