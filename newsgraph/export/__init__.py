"""Formats made from the records (the contract), and the way back for corrections.

Each format is a small module with the same shape: `write_<format>(records, out) -> count`
and, for those annotators edit, `read_<format>(path) -> records`:

- `brat`: a folder of `.txt` + `.ann` (+ `.json`), relations included;
- `label_studio`: tasks with predictions and a labelling config;
- `docbin`: spaCy's `.spacy`, with our custom attributes (export only: it is for training);
- `rdf`: the knowledge graph (newsgraph/graph.py) as Turtle, JSON-LD or N-Triples;
- `neo4j`: the same graph as Neo4j import CSVs and a Cypher script.
"""

from __future__ import annotations

EXPORT_FORMATS = ("label-studio", "brat", "spacy", "ttl", "jsonld", "nt", "neo4j")
IMPORT_FORMATS = ("label-studio", "brat")
