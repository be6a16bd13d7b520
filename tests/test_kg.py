"""The knowledge graph: RDF exports, the pyoxigraph store and its queries, Neo4j files.

The seed page goes through the shipped pipeline, out as RDF and into a store, and the three
queries of the README must give the page's answers. Hostile names must come through export and
load unchanged, and never as code.
"""

from __future__ import annotations

import csv
import json
import re

import pytest
from pyoxigraph import RdfFormat, parse
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.errors import InputError
from newsgraph.export.neo4j import FORMULA_STARTS, GUARD, write_neo4j
from newsgraph.export.rdf import DEFAULT_BASE, graph_triples, iri, write_rdf
from newsgraph.graph import build_graph
from newsgraph.kg import load_records, query

from .conftest import SEED_PAGE

runner = CliRunner()
README = (SEED_PAGE.parent.parent.parent / "README.md").read_text(encoding="utf-8")


def readme_queries() -> dict[str, str]:
    """The README's example queries, by the heading line before each."""
    return dict(re.findall(r"<!-- query: (\w+) -->\n```sparql\n(.*?)```", README, flags=re.S))


@pytest.fixture(scope="module")
def seed_records(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "records.jsonl"
    assert runner.invoke(app, ["annotate", str(SEED_PAGE), "-o", str(out)]).exit_code == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def seed_store(seed_records, tmp_path_factory):
    store = tmp_path_factory.mktemp("store")
    load_records(seed_records, store)
    return store


def test_the_readme_shows_three_queries():
    assert set(readme_queries()) == {"enforcement_orgs", "quantities_per_place", "officials"}


def test_organisations_taking_part_in_enforcement_events(seed_store):
    _columns, rows = query(seed_store, readme_queries()["enforcement_orgs"])
    assert {row[0] for row in rows} == {"薛家岛街道安委会办公室", "联合整治小组"}


def test_quantities_reported_per_place(seed_store):
    columns, rows = query(seed_store, readme_queries()["quantities_per_place"])
    assert columns == ["place", "value", "unit", "object"]
    got = {tuple(row) for row in rows}
    assert ("维湾小区", "90", "%", "瓶改电率") in got
    assert ("泊里镇", "4", "名", "观察员") in got
    assert ("薛家岛街道", "3", "次", "安全生产专题会议") in got


def test_officials_with_their_posts_and_organisations(seed_store):
    _columns, rows = query(seed_store, readme_queries()["officials"])
    assert {tuple(row) for row in rows} == {
        ("丁广明", "薛家岛街道党工委委员", "薛家岛街道党工委"),
        ("丁广明", "办事处副主任", "薛家岛街道办事处"),
    }


def test_provenance_gives_the_article_and_the_characters(seed_store, seed_records):
    sparql = """SELECT ?article ?start ?end ?exact WHERE {
      ?a oa:hasBody ?thing ; oa:hasTarget ?t . ?thing schema:name "联合整治小组"@zh .
      ?t oa:hasSource ?article ; oa:hasSelector ?p, ?q .
      ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact }"""
    _columns, rows = query(seed_store, sparql)
    (article, start, end, exact) = rows[0]
    record = next(r for r in seed_records if article.endswith(r["id"]))
    assert record["text"][int(start) : int(end)] == exact == "联合整治小组"


def test_loading_again_changes_nothing(seed_records, tmp_path):
    load_records(seed_records, tmp_path)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    first = query(tmp_path, count)[1]
    load_records(seed_records, tmp_path)
    assert query(tmp_path, count)[1] == first


def test_turtle_and_json_ld_hold_the_same_triples(seed_records, tmp_path):
    triples = {}
    for fmt, rdf_format in (("ttl", RdfFormat.TURTLE), ("jsonld", RdfFormat.JSON_LD), ("nt", RdfFormat.N_TRIPLES)):
        path = tmp_path / f"seed.{fmt}"
        write_rdf(seed_records, path, fmt)
        triples[fmt] = {quad.triple for quad in parse(path.read_bytes(), rdf_format)}
    expected = {q.triple for q in graph_triples(build_graph(seed_records))}
    assert triples["ttl"] == triples["jsonld"] == triples["nt"] == expected
    assert len(expected) > 1000


HOSTILE = ['王"强', "a>b<c", "第一行\n第二行", "=cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "x\\y", "'quoted"]


def hostile_records() -> list[dict]:
    """One article whose entities, headline and id carry what breaks naive writers."""
    text = "，".join(HOSTILE) + "。"
    entities, at = [], 0
    for i, name in enumerate(HOSTILE, start=1):
        start = text.index(name, at)
        entities.append(
            {"id": f"m{i}", "label": "ORG", "start": start, "end": start + len(name), "text": name, "event_id": "e1"}
        )
        at = start + len(name)
    event = {
        "id": "e1",
        "type": "meeting",
        "trigger": "，",
        "trigger_start": 0,
        "trigger_end": 1,
        "start": 0,
        "end": len(text),
        "date": None,
        "date_inherited": None,
        "places": [],
        "participants": [e["id"] for e in entities],
        "quantities": [],
    }
    return [
        {
            "id": 'a/"1" <x>',
            "headline": '=HYPERLINK("http://x")',
            "text": text,
            "entities": entities,
            "quantities": [],
            "officials": [],
            "events": [event],
            "relations": [],
        }
    ]


def test_hostile_names_survive_rdf_export_and_load_unchanged(tmp_path):
    records = hostile_records()
    for fmt, rdf_format in (("ttl", RdfFormat.TURTLE), ("jsonld", RdfFormat.JSON_LD), ("nt", RdfFormat.N_TRIPLES)):
        path = tmp_path / f"h.{fmt}"
        write_rdf(records, path, fmt)
        quads = parse(path.read_bytes(), rdf_format)
        names = {q.object.value for q in quads if q.predicate.value.endswith("/name") and "/org/" in q.subject.value}
        assert names == set(HOSTILE)
    load_records(records, tmp_path / "store")
    _columns, rows = query(tmp_path / "store", "SELECT ?n WHERE { ?e ng:participant ?o . ?o schema:name ?n }")
    assert {row[0] for row in rows} == set(HOSTILE)


def test_iris_are_percent_encoded_never_raw_text():
    node = iri(DEFAULT_BASE, 'article/a/"1" <x>/第')
    assert node.value == DEFAULT_BASE + "article/a/%221%22%20%3Cx%3E/%E7%AC%AC"


def test_hostile_names_in_neo4j_files_are_inert_and_come_back(tmp_path):
    write_neo4j(hostile_records(), tmp_path)
    with (tmp_path / "Organization.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = [row["name"] for row in rows]
    assert not any(n.startswith(FORMULA_STARTS) for n in names)  # no cell a spreadsheet would run
    unguarded = {n[1:] if n.startswith(GUARD) else n for n in names}
    assert unguarded == set(HOSTILE)  # what load.cypher and unguard.cypher give back
    with (tmp_path / "relationships.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
    cypher = (tmp_path / "load.cypher").read_text(encoding="utf-8")
    assert all(name not in cypher for name in HOSTILE if len(name) > 3)  # values never go into the script
    assert 'STARTS WITH "\'" THEN substring' in cypher


def test_neo4j_files_of_the_seed_page(seed_records, tmp_path):
    write_neo4j(seed_records, tmp_path)
    with (tmp_path / "Post.csv").open(encoding="utf-8", newline="") as handle:
        posts = {row["title"]: row["organization"] for row in csv.DictReader(handle)}
    assert posts["办事处副主任"] == "薛家岛街道办事处"
    with (tmp_path / "relationships.csv").open(encoding="utf-8", newline="") as handle:
        types = {row[":TYPE"] for row in csv.DictReader(handle)}
    assert {
        "MENTIONS",
        "REPORTS",
        "PARTICIPANT",
        "PLACE",
        "QUANTITY",
        "HOLDS",
        "POST_IN",
        "LOCATED_IN",
        "AUTHOR",
    } <= types
    assert "--nodes=Article=Article.csv" in (tmp_path / "import.sh").read_text(encoding="utf-8")


def test_export_and_kg_on_the_command_line(seed_records, tmp_path):
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in seed_records), encoding="utf-8")
    result = runner.invoke(app, ["export", str(records), "--format", "ttl", "-o", str(tmp_path / "g.ttl")])
    assert result.exit_code == 0, result.output
    assert "@prefix schema: <https://schema.org/>" in (tmp_path / "g.ttl").read_text(encoding="utf-8")
    bad = runner.invoke(app, ["export", str(records), "--format", "ttl", "-o", str(tmp_path / "x"), "--base", "no iri"])
    assert bad.exit_code != 0 and "--base" in bad.output
    store = tmp_path / "store"
    assert runner.invoke(app, ["kg", "load", str(records), "--store", str(store)]).exit_code == 0
    result = runner.invoke(app, ["kg", "query", "--store", str(store), readme_queries()["officials"], "--json"])
    assert result.exit_code == 0, result.output
    assert {json.loads(line)["post"] for line in result.stdout.splitlines()} == {"薛家岛街道党工委委员", "办事处副主任"}
    broken = runner.invoke(app, ["kg", "query", "--store", str(store), "SELECT ?x WHERE { ?x"])
    assert broken.exit_code != 0 and "not valid SPARQL" in broken.output
    missing = runner.invoke(app, ["kg", "query", "--store", str(tmp_path / "none"), "SELECT * WHERE { ?s ?p ?o }"])
    assert missing.exit_code != 0 and "newsgraph kg load" in missing.output


def test_records_annotated_without_resolution_still_name_their_things(seed_records, tmp_path):
    unresolved = [{**r, "entities": [{**m, "entity_id": None} for m in r["entities"]]} for r in seed_records]
    resolved_graph = build_graph(seed_records)
    assert {k for k, n in build_graph(unresolved).nodes.items() if n.label == "Organization"} == {
        k for k, n in resolved_graph.nodes.items() if n.label == "Organization"
    }


def test_reloading_an_article_drops_what_it_no_longer_says(seed_records, tmp_path):
    load_records(seed_records, tmp_path)
    holds = "SELECT ?p ?x WHERE { ?p org:holds ?x }"
    assert query(tmp_path, holds)[1]
    stripped = [{**r, "officials": [], "relations": []} for r in seed_records]
    load_records(stripped, tmp_path)
    assert query(tmp_path, holds)[1] == []
    assert query(tmp_path, "SELECT ?a ?b WHERE { ?a schema:containedInPlace ?b }")[1] == []


def test_a_place_named_by_a_relation_is_the_node_of_its_mention():
    record = {
        "id": "r1",
        "text": "隐珠街道月亮湾路社区开展活动。月亮湾路社区党委组织学习。",
        "entities": [
            {"id": "m1", "label": "PLACE", "start": 0, "end": 4, "text": "隐珠街道"},
            {"id": "m2", "label": "PLACE", "start": 4, "end": 10, "text": "月亮湾路社区"},
            {"id": "m3", "label": "ORG", "start": 15, "end": 23, "text": "月亮湾路社区党委"},
        ],
        "relations": [
            {"type": "located_in", "head": "m2", "tail": "m1"},
            {"type": "located_in", "head": "m3", "tail_name": "月亮湾路社区"},
        ],
    }
    graph = build_graph([record])
    places = [k for k, n in graph.nodes.items() if n.label == "Place" and n.props["name"] == "月亮湾路社区"]
    assert len(places) == 1
    org = next(k for k, n in graph.nodes.items() if n.label == "Organization")
    assert any(e.start == org and e.end == places[0] and e.type == "LOCATED_IN" for e in graph.edges)


def test_edges_without_a_range_of_text_come_once_per_batch(seed_records, tmp_path):
    copies = [{**r, "id": f"{r['id']}#{i}"} for i in range(3) for r in seed_records]
    write_neo4j(copies, tmp_path)
    with (tmp_path / "relationships.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r[":TYPE"] in ("LOCATED_IN", "HOLDS", "POST_IN")]
    assert len(rows) == len({(r[":START_ID"], r[":END_ID"], r[":TYPE"]) for r in rows}) > 0
    cypher = (tmp_path / "load.cypher").read_text(encoding="utf-8")
    assert "CREATE (a)" not in cypher and "MATCH (a:Organization {id:" in cypher


def test_a_quantity_that_is_no_number_is_left_out_not_written_wrong(tmp_path):
    record = {
        "id": "q",
        "text": "暂扣液化气罐若干个。",
        "entities": [{"id": "m1", "label": "QUANTITY", "start": 2, "end": 9, "text": "液化气罐若干个"}],
        "quantities": [{"mention": "m1", "value": float("nan"), "unit": "个", "object": "液化气罐"}],
    }
    write_rdf([record], tmp_path / "q.nt", "nt")
    assert "NaN" not in (tmp_path / "q.nt").read_text(encoding="utf-8")
    write_neo4j([record], tmp_path / "neo")
    assert "nan" not in (tmp_path / "neo" / "Quantity.csv").read_text(encoding="utf-8")


def test_a_query_that_reaches_out_is_a_clear_error(seed_store):
    with pytest.raises(InputError, match="cannot run it here"):
        query(seed_store, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


def test_a_base_with_a_fragment_is_refused_and_nothing_is_written(seed_records, tmp_path):
    records = tmp_path / "records.jsonl"
    records.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in seed_records), encoding="utf-8")
    out = tmp_path / "g.ttl"
    result = runner.invoke(
        app, ["export", str(records), "--format", "ttl", "-o", str(out), "--base", "https://e.org/kg#"]
    )
    assert result.exit_code != 0 and "--base" in result.output and not out.exists()
