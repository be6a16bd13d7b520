"""The graph store against hostile queries and records.

`kg query` must never reach out: a listener on 127.0.0.1 stands where a SERVICE would go, and
must see no connection, whatever the spelling, the case, the comments, strings and IRIs the
SERVICE hides behind; updates are refused the same way. A SERVICE written inside a string is
text, and that query runs. Fuzzed text and keyword soups get rows or an InputError, never another
exception. Output escapes what a terminal would run; JSON values are typed. On the graph side,
ids never make dot segments, dates are typed only when they are dates, and `kg load` counts what
the store holds.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, RdfFormat, parse
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.errors import InputError
from newsgraph.export.rdf import DEFAULT_BASE, XSD, iri, write_rdf
from newsgraph.kg import REFUSED, fuzz_query, json_line, load_records, printable, query, query_terms, tsv_line

from .conftest import GOLD

runner = CliRunner()


class Listener:
    """A plain socket server on 127.0.0.1 that counts the connections it is offered."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.05)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def seen(self) -> int:
        time.sleep(0.1)  # a connection under way is counted
        return self.connections

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.server.close()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def fuzz_listener():
    """The fuzz tests' own listener: no connection at all may reach it."""
    server = Listener()
    yield server
    made = server.seen()
    server.close()
    assert made == 0, f"fuzzed queries made {made} connection(s)"


@pytest.fixture(scope="module")
def gold_store(tmp_path_factory):
    """A small store: the seed page's gold records."""
    store = tmp_path_factory.mktemp("gold-store")
    load_records([json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()], store)
    return store


def test_the_listener_does_see_a_connection(listener):
    """The control: what the tests below count would be counted."""
    before = listener.seen()
    socket.create_connection(("127.0.0.1", listener.port)).close()
    assert listener.seen() == before + 1


REACHING_OUT = {
    "plain": "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "lowercase": "select * where { service <{url}> { ?s ?p ?o } }",
    "mixed case": "SELECT * WHERE { ?s ?p ?o . sErViCe silent <{url}> { ?s ?p ?o } }",
    "no spaces": "SELECT*WHERE{?s ?p ?o.SERVICE<{url}>{?s ?p ?o}}",
    "glued SILENT": "SELECT * WHERE { ?s ?p ?o SERVICESILENT <{url}> { ?s ?p ?o } }",
    "glued prefix": "PREFIX ex: <{base}> SELECT * WHERE { ?s ?p ?o SERVICEex:sparql { ?s ?p ?o } }",
    "empty prefix": "PREFIX : <{base}> SELECT * WHERE { ?s ?p ?o SERVICE:sparql { ?s ?p ?o } }",
    "prefixed name": "PREFIX e: <{base}> SELECT * WHERE { ?s ?p ?o service e:sparql { ?s ?p ?o } }",
    "glued after true": "SELECT * WHERE { ?s ?p ?o . ?s ?p true SERVICE <{url}> { ?s ?p ?o } }",
    "after a string": 'SELECT * WHERE { ?s ?p ?o FILTER(?o != "a\\u0022b")SERVICE <{url}> { ?s ?p ?o } }',
    "in EXISTS": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "in OPTIONAL": "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } }",
    "by a variable": "SELECT * WHERE { ?s ?p ?o SERVICE ?u { ?s ?p ?o } VALUES ?u { <{url}> } }",
    "after a comment with quotes": "SELECT * WHERE { ?s ?p ?o # it's a \"comment\n SERVICE <{url}> { ?s ?p ?o } }",
    "after a comment ended by CR": "SELECT * WHERE { ?s ?p ?o # \r SERVICE <{url}> { ?s ?p ?o } }",
    "ASK": "ASK { SERVICE <{url}> { ?s ?p ?o } }",
    "CONSTRUCT": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
}
# a reader that takes every `<…>` for an IRI would find a string here, not the SERVICE that
# pyoxigraph runs (`?o < '''>'''` is a comparison); the query must not run
DISGUISED = {
    "string behind a less-than": "SELECT * WHERE { ?s ?p ?o FILTER(?o<'''>''') SERVICE <{url}> { ?s ?p ?o }\n# '''\n}",
    "comment behind a less-than": "SELECT * WHERE { ?s ?p ?o FILTER(?o<?x#>'''\n) SERVICE <{url}> { ?s ?p ?o } #'''\n}",
}
UPDATES = {
    "insert data": "INSERT DATA { <http://x/s> <http://x/p> <http://x/o> }",
    "lowercase insert": "prefix ex: <http://x/> insert data { ex:s ex:p ex:o }",
    "delete where": "DELETE WHERE { ?s ?p ?o }",
    "delete insert": "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "with": "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "load": "LOAD <{url}>",
    "load silent into": "LOAD SILENT <{url}> INTO GRAPH <http://x/g>",
    "clear": "CLEAR ALL",
    "drop": "DROP GRAPH <https://newsgraph.invalid/graph/shared>",
    "create": "CREATE GRAPH <http://x/g>",
    "add": "ADD DEFAULT TO <http://x/g>",
    "move": "MOVE DEFAULT TO <http://x/g>",
    "copy": "COPY DEFAULT TO <http://x/g>",
    "after a query": "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <http://x/s> <http://x/p> 1 }",
}


def _filled(template: str, listener: Listener) -> str:
    base = f"http://127.0.0.1:{listener.port}/"
    return template.replace("{url}", base + "sparql").replace("{base}", base)


def _kg_query(store: Path, sparql: str, *options: str):
    return runner.invoke(app, ["kg", "query", "--store", str(store), sparql, *options])


@pytest.mark.parametrize("name", sorted(REACHING_OUT))
def test_a_service_call_is_refused_and_nothing_leaves_the_machine(name, listener, gold_store):
    before = listener.seen()
    result = _kg_query(gold_store, _filled(REACHING_OUT[name], listener))
    assert listener.seen() == before, "a connection was made"
    assert result.exit_code == 1
    assert result.output.strip() == f"error: query: {REFUSED}"  # one line, that says why
    assert "read-only and local" in result.output


@pytest.mark.parametrize("name", sorted(DISGUISED))
def test_a_service_disguised_from_a_reader_of_strings_does_not_run(name, listener, gold_store):
    before = listener.seen()
    with pytest.raises(InputError) as caught:
        query(gold_store, _filled(DISGUISED[name], listener))
    assert listener.seen() == before, "a connection was made"
    assert "\n" not in str(caught.value)
    result = _kg_query(gold_store, _filled(DISGUISED[name], listener))
    assert result.exit_code == 1 and listener.seen() == before
    assert result.output.startswith("error: query: ") and result.output.count("\n") == 1


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_an_update_is_refused_and_changes_nothing(name, listener, gold_store):
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    triples = query(gold_store, count)[1]
    before = listener.seen()
    result = _kg_query(gold_store, _filled(UPDATES[name], listener))
    assert result.exit_code == 1
    assert result.output.strip() == f"error: query: {REFUSED}"
    assert listener.seen() == before
    assert query(gold_store, count)[1] == triples


SERVICE_AS_TEXT = {
    "in a string": 'SELECT ?x WHERE { BIND("SERVICE <{url}> { ?s ?p ?o }" AS ?x) }',
    "in a long string": "SELECT ?x WHERE { BIND('''x\nservice <{url}> {}''' AS ?x) }",
    "in a string with an escaped quote": 'SELECT ?x WHERE { BIND("a\\u0022 } SERVICE <{url}> { ?s ?p ?o } #" AS ?x) }',
    "in a string with a quote escape": "SELECT ?x WHERE { BIND('it\\'s SERVICE <{url}>' AS ?x) }",
}


@pytest.mark.parametrize("name", sorted(SERVICE_AS_TEXT))
def test_service_in_a_string_is_text_and_the_query_runs(name, listener, gold_store):
    sparql = _filled(SERVICE_AS_TEXT[name], listener)
    before = listener.seen()
    _columns, rows = query(gold_store, sparql)
    assert listener.seen() == before
    (value,) = rows[0]
    assert "SERVICE" in value.upper() and str(listener.port) in value
    result = _kg_query(gold_store, sparql, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"x": value}


def test_service_in_comments_iris_variables_and_local_names_is_no_call(listener, gold_store):
    sparql = _filled(
        "# SERVICE <{url}> { ?s ?p ?o }\n"
        "SELECT ?service WHERE { ?a ?p ?o . BIND(<{base}service#x> AS ?service) "
        "OPTIONAL { ?a schema:serviceType schema:GovernmentService } }  # service\n"
        "LIMIT 1",
        listener,
    )
    before = listener.seen()
    columns, rows = query(gold_store, sparql)
    assert columns == ["service"] and rows == [[f"http://127.0.0.1:{listener.port}/service#x"]]
    assert listener.seen() == before


def test_what_the_query_rewrite_keeps(gold_store):
    """Strings, IRIs with # and ', prefixes of the query's own: the same values as written."""
    sparql = (
        "PREFIX my: <http://x/a#> BASE <http://b/>\n"
        "SELECT ?s ?i ?j ?k ?l WHERE { BIND('''tab\there\n\"q\" \\\\ 中文 #''' AS ?s) "
        'BIND(<http://x/it\'s#frag> AS ?i) BIND(my:b AS ?j) BIND(<#rel> AS ?k) BIND(STR("x"@zh) AS ?l) }'
    )
    _columns, rows = query(gold_store, sparql)
    assert rows == [['tab\there\n"q" \\ 中文 #', "http://x/it's#frag", "http://x/a#b", "http://b/#rel", "x"]]


def test_a_syntax_error_names_the_place_in_the_query_as_written(gold_store):
    sparql = "SELECT ?x WHERE {\n  # a comment with 'quotes' and \"more\"\n  ?x ?y '''a\nb''' ; ?z }"
    with pytest.raises(InputError, match=r"not valid SPARQL: error at 4:\d+:"):  # after the long string
        query(gold_store, sparql)
    with pytest.raises(InputError, match=r"not valid SPARQL: error at 2:8:"):
        query(gold_store, "SELECT ?x WHERE {\n  ?x ?y")
    with pytest.raises(InputError, match="not closed at 1:25"):
        query(gold_store, "SELECT ?x WHERE { ?x ?y 'abc }")


def test_ask_answers_true_or_false(gold_store):
    assert query(gold_store, "ASK { ?a a schema:NewsArticle }") == (["ask"], [["true"]])
    assert query(gold_store, "ASK { ?a a schema:Nothing }") == (["ask"], [["false"]])
    result = _kg_query(gold_store, "ASK { ?a a schema:NewsArticle }")
    assert result.exit_code == 0 and result.stdout == "ask\ntrue\n"
    result = _kg_query(gold_store, "ASK { ?a a schema:Nothing }", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == {"ask": False}


def test_json_values_are_typed_by_their_datatype(gold_store):
    sparql = (
        "SELECT ?n ?d ?f ?b ?z ?s ?i ?u ?bad ?inf WHERE { "
        "{ SELECT (COUNT(*) AS ?n) WHERE { ?a a schema:NewsArticle } } "
        'BIND(2.50 AS ?d) BIND(1.5e3 AS ?f) BIND(true AS ?b) BIND("0"^^xsd:boolean AS ?z) BIND("42" AS ?s) '
        'BIND(<http://x/1> AS ?i) BIND("x"^^xsd:integer AS ?bad) BIND("INF"^^xsd:double AS ?inf) }'
    )
    result = _kg_query(gold_store, sparql, "--json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert row == {
        "n": 6,
        "d": 2.5,
        "f": 1500.0,
        "b": True,
        "z": False,
        "s": "42",
        "i": "http://x/1",
        "u": None,
        "bad": "x",
        "inf": "INF",
    }
    assert isinstance(row["n"], int) and not isinstance(row["n"], bool)


def test_control_characters_are_escaped_in_tsv_and_json(gold_store):
    sparql = 'SELECT ?v ?w WHERE { BIND("a\\tb\\nc\\rd\\u001b[31me\\u0007f\\\\g\\u009bh\\u202ei" AS ?v) }'
    result = _kg_query(gold_store, sparql)
    assert result.exit_code == 0, result.output
    assert result.stdout == "v\tw\n" + "a\\tb\\nc\\rd\\x1b[31me\\x07f\\\\g\\x9bh\\u202ei\t\n"
    assert not any(c in result.stdout for c in "\x1b\x07\r\x9b\u202e")
    result = _kg_query(gold_store, sparql, "--json")
    assert result.exit_code == 0
    assert not any(c in result.stdout for c in "\x1b\x07\r\x9b\u202e")
    assert json.loads(result.stdout) == {"v": "a\tb\nc\rd\x1b[31me\x07f\\g\x9bh\u202ei", "w": None}


def test_printable_is_reversible_text_on_one_line():
    assert printable("a\\x1b") == "a\\\\x1b"  # a backslash of the value is escaped: no mistaking it for ESC
    assert printable("\x1b") == "\\x1b"
    assert tsv_line([None, "", "x\ty", Literal("1", datatype=NamedNode(XSD + "integer"))]) == "\t\tx\\ty\t1"
    assert json_line(["a"], [Literal("\u2028")]) == '{"a": "\\u2028"}'


def test_a_query_that_is_no_utf8_text_is_an_input_error(gold_store):
    with pytest.raises(InputError, match="not UTF-8"):
        query(gold_store, "SELECT * WHERE { ?s ?p '\udc80' }")


# --- fuzzing the SPARQL entry point ------------------------------------------------------------

SOUP = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FROM", "NAMED", "GRAPH", "OPTIONAL", "UNION", "MINUS",
    "FILTER", "EXISTS", "NOT", "BIND", "AS", "VALUES", "UNDEF", "SERVICE", "SILENT", "service", "SERVICEex:x",
    "LIMIT", "OFFSET", "ORDER", "BY", "GROUP", "HAVING", "DISTINCT", "COUNT", "STR", "REGEX", "PREFIX", "BASE",
    "INSERT", "DELETE", "DATA", "LOAD", "CLEAR", "DROP", "CREATE", "WITH", "a", "true", "{", "}", "(", ")", "[",
    "]", ".", ";", ",", "*", "?s", "?p", "?o", "$x", "<", ">", "<=", "!=", "=", "&&", "||", "!", "^", "^^",
    "/", "|", "+", "-", "@zh", "_:b", "1", "2.5", "1e3", "'", '"', "'''", '"""', "'x'", '"SERVICE"', "#", "\n",
    "\r", "\\", "\\u0053", "<<", ">>", "<<(", ")>>", "schema:name", "ng:participant", "ex:", ":", "%2E",
    "<{url}>", "<{base}>", "{url}", "<'>", "<#>", "<http://x/#'>", "中文", "\x00", "\x1b", "\ud800",
]  # fmt: skip
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rows_or_input_error(store: Path, sparql: str) -> None:
    try:
        columns, rows = query(store, sparql, limit=50)
    except InputError as err:
        assert "\n" not in str(err)
        return
    assert all(isinstance(c, str) for c in columns)
    assert all(len(row) == len(columns) and all(v is None or isinstance(v, str) for v in row) for row in rows)


@FUZZ
@given(sparql=st.text(max_size=200))
def test_any_text_gives_rows_or_an_input_error(sparql, gold_store, fuzz_listener):
    before = fuzz_listener.connections
    _rows_or_input_error(gold_store, sparql)
    assert fuzz_listener.connections == before


@FUZZ
@given(words=st.lists(st.sampled_from(SOUP), max_size=24), glue=st.sampled_from([" ", "", "\n"]))
def test_keyword_soups_give_rows_or_an_input_error(words, glue, gold_store, fuzz_listener):
    before = fuzz_listener.connections
    _rows_or_input_error(gold_store, _filled(glue.join(words), fuzz_listener))
    assert fuzz_listener.connections == before


@FUZZ
@given(
    prefix=st.sampled_from(["SELECT * WHERE { ?s ?p ?o ", "ASK { ", "SELECT ?x WHERE { BIND(", "CONSTRUCT WHERE { "]),
    middle=st.lists(st.sampled_from(SOUP), max_size=12).map(" ".join),
    suffix=st.sampled_from(["}", ") }", " } LIMIT 3", ""]),
)
def test_almost_valid_queries_give_rows_or_an_input_error(prefix, middle, suffix, gold_store, fuzz_listener):
    before = fuzz_listener.connections
    _rows_or_input_error(gold_store, _filled(prefix + middle + suffix, fuzz_listener))
    assert fuzz_listener.connections == before


@FUZZ
@given(data=st.binary(max_size=120) | st.text(max_size=120).map(lambda t: t.encode("utf-8")))
def test_the_fuzz_driver_entry_takes_bytes(data, gold_store):
    fuzz_query(gold_store, data)  # raises only on a bug


def test_the_fuzz_driver_entry_reads_rows(gold_store):
    fuzz_query(gold_store, "SELECT * WHERE { ?s ?p ?o }")
    fuzz_query(gold_store, b"SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    columns, rows = query_terms(gold_store, "SELECT * WHERE { ?s ?p ?o }", limit=7)
    assert len(rows) == 7 and len(columns) == 3


# --- the graph side: ids, dates, counts --------------------------------------------------------


def _record(rid: str, date: object = None, **extra: object) -> dict:
    text = "联合整治小组6月25日开展检查，2023年6月26日再查。"
    entities = [
        {"id": "m1", "label": "ORG", "start": 0, "end": 6, "text": "联合整治小组", "entity_id": "org/../../x"},
        {"id": "m2", "label": "DATE", "start": 6, "end": 11, "text": "6月25日", "entity_id": None},
        {
            "id": "m3",
            "label": "DATE",
            "start": 16,
            "end": 26,
            "text": "2023年6月26日",
            "date": {"kind": "absolute", "year": 2023, "month": 6, "day": 26},
            "entity_id": None,
        },
    ]
    event = {"id": "e1", "type": "inspection", "trigger": "检查", "start": 0, "end": 15, "date": "m2"}
    later = {"id": "e2", "type": "inspection", "trigger": "查", "start": 16, "end": 29, "date": "m3"}
    later["participants"] = event["participants"] = ["m1"]
    return {"id": rid, "text": text, "date": date, "entities": entities, "events": [event, later], **extra}


def test_ids_never_make_dot_segments_in_iris(tmp_path):
    assert iri(DEFAULT_BASE, "article/../../etc/passwd").value == DEFAULT_BASE + "article/%2E%2E/%2E%2E/etc/passwd"
    assert iri(DEFAULT_BASE, "article/./x/.../a.b").value == DEFAULT_BASE + "article/%2E/x/.../a.b"
    assert iri(DEFAULT_BASE, "article/%2E%2E").value == DEFAULT_BASE + "article/%252E%252E"  # no collision
    write_rdf([_record("../../etc/passwd"), _record("."), _record("a/./..")], tmp_path / "g.nt", "nt")
    nodes = set()
    for quad in parse((tmp_path / "g.nt").read_bytes(), RdfFormat.N_TRIPLES):
        nodes |= {t.value for t in (quad.subject, quad.object) if isinstance(t, NamedNode)}
    ours = {n for n in nodes if n.startswith(DEFAULT_BASE)}
    assert any("/%2E%2E/" in n for n in ours)
    for node in ours:
        path = node[len(DEFAULT_BASE) :].split("#")[0]
        assert not {".", ".."} & set(path.split("/")), node
        assert urljoin(node, "x").startswith(DEFAULT_BASE + path.split("/")[0] + "/"), node  # resolves in place


def _dates(records: list[dict], tmp_path: Path) -> dict[str, set[Literal]]:
    write_rdf(records, tmp_path / "d.nt", "nt")
    found: dict[str, set[Literal]] = {}
    for quad in parse((tmp_path / "d.nt").read_bytes(), RdfFormat.N_TRIPLES):
        if quad.predicate.value.endswith(("/datePublished", "/startDate")):
            found.setdefault(quad.predicate.value.rsplit("/", 1)[1], set()).add(quad.object)
    return found


@pytest.mark.parametrize(
    ("date", "literal"),
    [
        ("2019-02-01", Literal("2019-02-01", datatype=NamedNode(XSD + "date"))),
        ("20190201", Literal("2019-02-01", datatype=NamedNode(XSD + "date"))),
        ("2019-02", Literal("2019-02", datatype=NamedNode(XSD + "gYearMonth"))),
        ("2019", Literal("2019", datatype=NamedNode(XSD + "gYear"))),
        ("2019-02-30", Literal("2019-02-30")),  # no date: a plain xsd:string
        ("20190231", Literal("20190231")),
        ("201902", Literal("201902")),
        ("二〇一九年", Literal("二〇一九年")),
        (20190201, None),  # no text: left out
        ("", None),
        (None, None),
    ],
)
def test_an_article_date_is_typed_only_when_it_is_a_date(date, literal, tmp_path):
    published = _dates([_record("r1", date)], tmp_path).get("datePublished", set())
    assert published == ({literal} if literal is not None else set())
    assert all(d.language is None for d in published)


def test_event_dates_are_dates_or_plain_strings_never_language_tagged(tmp_path):
    starts = _dates([_record("r1")], tmp_path)["startDate"]
    assert starts == {Literal("2023-06-26", datatype=NamedNode(XSD + "date")), Literal("6月25日")}


def test_kg_load_counts_the_triples_the_store_holds(tmp_path):
    records = [_record("r1", "2019-02-01"), _record("r2", "20190201")]  # one organisation: shared triples
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    n = load_records(records, tmp_path / "a")
    assert str(n) == query(tmp_path / "a", count)[1][0][0]
    assert load_records([records[0], records[0], records[1]], tmp_path / "b") == n  # an article twice: once
    assert load_records(records, tmp_path / "a") == n  # again: the same triples
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    file = tmp_path / "gold.jsonl"
    file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold), encoding="utf-8")
    result = runner.invoke(app, ["kg", "load", str(file), "--store", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    held = query(tmp_path / "c", count)[1][0][0]
    assert f"{held} triple(s)" in result.output
