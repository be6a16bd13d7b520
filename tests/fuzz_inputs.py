"""Hostile inputs for every reader, and the readers as fuzz targets.

One engine serves the hypothesis tests (tests/test_fuzz.py) and the million-input run
(bench/fuzz.py): real seeds (the sample page, its gold records, article lines, a manifest)
are mutated byte-, character- and structure-wise, and each target reads the result the
way a command does. A target may return anything or raise `InputError`; any other
exception is a crash.
"""

from __future__ import annotations

import io
import json
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsgraph.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SEED_PAGE = ROOT / "corpus" / "pages" / "page-000.txt"
GOLD = ROOT / "corpus" / "gold" / "page-000.jsonl"
CASES = Path(__file__).parent / "fixtures" / "event_cases.jsonl"

# characters that break parsers: quotes, escapes, brackets, controls, separators, surrogate
# escapes, full-width forms, CJK and page furniture
NASTY = [
    '"', "\\", "{", "}", "[", "]", ":", ",", "\x00", "\x1b", "\x07", "\r", "\n", "\t", "\u2028", "\u2029",
    "\ufeff", "\\ud800", "\\u0000", "NaN", "Infinity", "-0", "1e999", "9" * 40, "　", "，", "。", "“", "”",
    "（", "）", "社区", "街道", "本报讯", "记者", "年", "月", "日", "万", "亿", "%", "·", "\U0001f600", "̀",
    "<script>", "../", "%2e", "true", "null", "1" * 4400, "/", "m1/", "\\u00",
]  # fmt: skip


def _seed_texts() -> dict[str, list[str]]:
    page = SEED_PAGE.read_text(encoding="utf-8")
    records = GOLD.read_text(encoding="utf-8").splitlines()
    cases = CASES.read_text(encoding="utf-8").splitlines()[:12]
    articles = [json.dumps({"id": c["id"], "title": "标题", "text": c["text"]}, ensure_ascii=False) for c in map(
        json.loads, cases)]
    return {"page": [page, *page.split("\n\n")[:6]], "records": records, "articles": articles}


SEEDS = _seed_texts()


# ---------------------------------------------------------------- mutations


def mutate_text(rng: random.Random, text: str, pool: list[str] | None = None) -> str:
    """A few random edits of `text`: inserts of nasty pieces, deletions, repeats, splices, cuts."""
    pool = pool or [text]
    out = text
    for _ in range(rng.randint(1, 4)):
        n = len(out)
        i = rng.randint(0, n)
        op = rng.random()
        if op < 0.35:
            out = out[:i] + rng.choice(NASTY) * rng.choice((1, 1, 2, 50)) + out[i:]
        elif op < 0.55 and n:
            out = out[:i] + out[min(n, i + rng.randint(1, 40)) :]
        elif op < 0.7 and n:
            piece = out[i : i + rng.randint(1, 200)]
            out = out[:i] + piece * rng.randint(2, 5) + out[i:]
        elif op < 0.85:
            other = rng.choice(pool)
            j = rng.randint(0, len(other))
            out = out[:i] + other[j : j + rng.randint(1, 300)] + out[i:]
        else:
            out = out[:i]
    return out


def random_json(rng: random.Random, depth: int = 0) -> Any:
    """A JSON value of any type, sometimes hostile (huge, negative, nested, wrong kind)."""
    roll = rng.random()
    if roll < 0.12:
        return None
    if roll < 0.24:
        return rng.choice([True, False])
    if roll < 0.45:
        return rng.choice([0, -1, 1, 2**31, 2**63, 2**64 + 1, -(2**70), 10**400, 3.5, 1e308, rng.randint(-5, 5000)])
    if roll < 0.7 or depth > 3:
        return rng.choice(["", "m1", "e1", "PLACE", "社区", "a" * 300, "\x1b[31m", "<b>", "../../x", "2019-02-30"])
    if roll < 0.85:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(["id", "text", "start", "end", "label", "x"]): random_json(rng, depth + 1) for _ in range(2)}


def mutate_json(rng: random.Random, value: Any) -> Any:
    """`value` with one to three nodes replaced, removed, duplicated or nested deeper."""
    value = json.loads(json.dumps(value))
    for _ in range(rng.randint(1, 3)):
        path: list[tuple[Any, Any]] = []
        node = value
        while isinstance(node, dict | list) and node and rng.random() < 0.8:
            key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
            path.append((node, key))
            node = node[key]
        if not path:
            return random_json(rng)
        parent, key = path[-1]
        op = rng.random()
        if op < 0.5:
            parent[key] = random_json(rng)
        elif op < 0.7 and isinstance(parent, dict):
            del parent[key]
        elif op < 0.8 and isinstance(parent, list):
            parent.append(parent[key])
        elif op < 0.9:
            deep: Any = parent[key]
            for _ in range(rng.choice((2, 10, 70))):
                deep = [deep]
            parent[key] = deep
        elif isinstance(parent[key], int) and not isinstance(parent[key], bool):
            parent[key] = parent[key] + rng.choice((-1, 1, 10**6, -(10**6)))
        else:
            parent[key] = random_json(rng)
    return value


def mutate_lines(rng: random.Random, lines: list[str], structured: bool = True) -> str:
    """JSON lines with some lines mutated as JSON and some as text; lines repeated or dropped."""
    out = []
    start = rng.randrange(len(lines)) if rng.random() < 0.3 else 0
    for line in lines[start : start + rng.randint(1, 3)]:
        roll = rng.random()
        if structured and roll < 0.7:
            out.append(json.dumps(mutate_json(rng, json.loads(line)), ensure_ascii=rng.random() < 0.2))
        elif roll < 0.9:
            out.append(mutate_text(rng, line, lines))
        else:
            out.append(line)
    if rng.random() < 0.1:
        out.append(out[0])
    return "\n".join(out) + rng.choice(["\n", "", "\r\n", "\n\n"])


# ---------------------------------------------------------------- targets


def read_page_text(text: str) -> int:
    """A page, as `newsgraph articles` reads one: articles, normalised, as record lines."""
    from newsgraph.inputs import page_text_articles
    from newsgraph.records import dumps, empty_record

    return sum(len(dumps(empty_record(a))) for a in page_text_articles(text, "fuzz.txt", "fuzz"))


def read_page_bytes(data: bytes) -> int:
    from newsgraph.inputs import decode

    return read_page_text(decode("fuzz.txt", data))


def read_articles(text: str) -> int:
    from newsgraph.inputs import jsonl_articles
    from newsgraph.records import ArticleInput, dumps, empty_record

    items = list(jsonl_articles(text, "fuzz.jsonl", "fuzz"))
    return sum(len(dumps(empty_record(a))) for a in items if isinstance(a, ArticleInput))


def read_records(text: str) -> int:
    """A record file as resolve, places, export and kg load read it, then what they do with it."""
    from pyoxigraph import RdfFormat, serialize

    from newsgraph.evaluate import evaluate, parse_records
    from newsgraph.export.brat import write_brat
    from newsgraph.export.label_studio import to_task
    from newsgraph.export.neo4j import write_neo4j
    from newsgraph.export.rdf import graph_triples
    from newsgraph.graph import record_graphs
    from newsgraph.places import place_hierarchy
    from newsgraph.records import dumps
    from newsgraph.resolve import resolve

    errors: list[InputError] = []
    records = list(parse_records(text, "fuzz.jsonl", errors).values())
    if not records:
        return 0
    resolved = resolve(records)
    place_hierarchy(resolved)
    quads = list(graph_triples(record_graphs(resolved)))
    serialize((q.triple for q in quads), io.BytesIO(), RdfFormat.N_TRIPLES)
    tasks = [to_task(r, "fuzz") for r in resolved]
    by_id = {r["id"]: r for r in resolved}
    evaluate(by_id, by_id)
    with tempfile.TemporaryDirectory() as tmp:
        write_neo4j(resolved, Path(tmp) / "neo4j")
        write_brat(resolved, Path(tmp) / "brat")
    return len(quads) + len(tasks) + sum(len(dumps(r)) for r in resolved)


def read_manifest_text(text: str, folder: Path | None = None) -> int:
    """A manifest (and the part file of a real run) as `annotate --resume` checks them."""
    from newsgraph.batch import WorkFiles, prepare

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(folder or tmp)
        files = WorkFiles(base / "out.jsonl")
        files.part.write_bytes(MANIFEST_PART)
        files.manifest.write_text(text, encoding="utf-8", errors="surrogatepass")
        done, _ = prepare(files, True, MANIFEST_DIGEST, dict.fromkeys(MANIFEST_IDS, 0))
        return len(done)


MANIFEST_IDS = ["a0", "a1", "a2", "a3"]
MANIFEST_DIGEST = "d" * 64
_PART_LINES = [json.dumps({"id": i, "text": "x", "entities": []}) + "\n" for i in MANIFEST_IDS]  # records, whole
MANIFEST_PART = "".join(_PART_LINES).encode()
MANIFEST = "\n".join(
    [
        json.dumps({"format": "newsgraph-batch-manifest/1", "digest": MANIFEST_DIGEST}),
        json.dumps({"ids": ["a0", "a1"], "bytes": len("".join(_PART_LINES[:2]).encode())}),
        json.dumps({"ids": ["a2", "a3"], "bytes": len(MANIFEST_PART)}),
    ]
) + "\n"


QUERIES = [
    "SELECT ?name WHERE { ?place a schema:Place ; schema:name ?name } LIMIT 20",
    "SELECT ?event ?type (COUNT(?p) AS ?n) WHERE { ?event a schema:Event ; schema:additionalType ?type ; "
    "schema:location ?p } GROUP BY ?event ?type ORDER BY DESC(?n)",
    'ASK { ?s schema:name "隐珠街道"@zh }',
    "CONSTRUCT { ?s schema:name ?o } WHERE { ?s schema:name ?o FILTER(CONTAINS(STR(?o), '社区')) }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o org:postIn ?org } } LIMIT 5",
    "DESCRIBE ?s WHERE { ?s a org:Post }",
]
SPARQL_NASTY = [
    " SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } ", " SERVICE SILENT <http://127.0.0.1:9/> {} ", "INSERT DATA {",
    "# comment\n", "'''", '"""', "<", ">", "?x", "\\u0053ERVICE", "LOAD <http://127.0.0.1:9/>", "}", "{", "FILTER(",
]  # fmt: skip
_STORE: dict[str, Path] = {}


def run_query(text: str) -> None:
    """A query as `kg query` runs it, on a store of the gold page made once per process."""
    from newsgraph.evaluate import load_records
    from newsgraph.kg import fuzz_query
    from newsgraph.kg import load_records as load_graph

    if "gold" not in _STORE:
        folder = Path(tempfile.mkdtemp(prefix="newsgraph-fuzz-kg-"))
        load_graph(load_records(GOLD).values(), folder)
        _STORE["gold"] = folder
    fuzz_query(_STORE["gold"], text)


_EXPORTS: dict[str, Any] = {}


def exports() -> dict[str, Any]:
    """The gold page exported for annotators once per process: brat files, Label Studio tasks
    as an export of them (each with the prediction taken as its annotation)."""
    if not _EXPORTS:
        from newsgraph.evaluate import load_records
        from newsgraph.export.brat import write_brat
        from newsgraph.export.label_studio import write_label_studio

        records = list(load_records(GOLD).values())[:2]
        with tempfile.TemporaryDirectory() as tmp:
            write_brat(records, Path(tmp) / "brat")
            _EXPORTS["brat"] = {p.name: p.read_text(encoding="utf-8") for p in (Path(tmp) / "brat").iterdir()}
            write_label_studio(records, Path(tmp) / "tasks.json")
            tasks = json.loads((Path(tmp) / "tasks.json").read_text(encoding="utf-8"))
        for n, task in enumerate(tasks, start=1):
            task["id"] = n
            task["annotations"] = [{"id": n, "result": task["predictions"][0]["result"], "was_cancelled": False}]
        _EXPORTS["label_studio"] = tasks
    return _EXPORTS


def read_brat_export(files: dict[str, str]) -> int:
    """A brat folder as `import-corrections --format brat` reads it."""
    from newsgraph.export.brat import read_brat_files

    return len(read_brat_files(files))


def read_label_studio_export(data: str) -> int:
    """A Label Studio JSON export as `import-corrections --format label-studio` reads it."""
    from newsgraph.export.label_studio import read_export_bytes

    return len(read_export_bytes(data))


def _mutated_brat(rng: random.Random) -> dict[str, str]:
    files = dict(exports()["brat"])
    name = rng.choice(sorted(files))
    if name.endswith(".json") and rng.random() < 0.6:
        files[name] = json.dumps(mutate_json(rng, json.loads(files[name])), ensure_ascii=False)
    elif rng.random() < 0.1:
        del files[name]
    else:
        lines = files[name].split("\n")
        i = rng.randrange(len(lines))
        lines[i] = mutate_text(rng, lines[i], lines)
        files[name] = "\n".join(lines)
    return files


def _mutated_label_studio(rng: random.Random) -> str:
    tasks = exports()["label_studio"]
    if rng.random() < 0.8:
        return json.dumps(mutate_json(rng, tasks), ensure_ascii=False)
    return mutate_text(rng, json.dumps(tasks, ensure_ascii=False)[: rng.randint(0, 20000)])


def fast_path(text: str) -> int:
    """The pipeline's pure pieces on any text: normalising, numbers, dates, quantities."""
    from newsgraph.dates import find_dates
    from newsgraph.normalize import normalize
    from newsgraph.numbers import parse_number
    from newsgraph.quantities import find_quantities

    norm = normalize(text).text
    parse_number(text[:20])
    return len(find_dates(norm)) + len(find_quantities(norm))


def crashes(target: Callable[[Any], Any], value: Any) -> BaseException | None:
    """The exception `target(value)` raised that is not an InputError (None: no crash)."""
    try:
        target(value)
    except InputError:
        return None
    except Exception as error:  # the crash the fuzzing looks for
        return error
    return None


def input_rng(seed: int, kind: str, index: int) -> random.Random:
    """The random source of input `index` of a kind: any one input can be made again alone."""
    return random.Random(f"{seed}/{kind}/{index}")


def generate(rng: random.Random, kind: str) -> Any:
    """One hostile input for the target `kind` (see TARGETS)."""
    if kind == "page":
        return mutate_text(rng, rng.choice(SEEDS["page"]), SEEDS["page"])
    if kind == "page_bytes":
        data = mutate_text(rng, rng.choice(SEEDS["page"])).encode(rng.choice(["utf-8", "utf-16", "gb18030"]), "replace")
        i = rng.randint(0, len(data))
        return data[:i] + bytes(rng.randrange(256) for _ in range(rng.randint(0, 4))) + data[i:]
    if kind == "articles":
        return mutate_lines(rng, SEEDS["articles"])
    if kind == "records":
        return mutate_lines(rng, SEEDS["records"])
    if kind == "manifest":
        return mutate_lines(rng, MANIFEST.splitlines(), structured=True)
    if kind == "brat":
        return _mutated_brat(rng)
    if kind == "label_studio":
        return _mutated_label_studio(rng)
    if kind == "sparql":
        return mutate_text(rng, rng.choice(QUERIES), QUERIES + SPARQL_NASTY * 3)
    if kind == "fast_path":
        return mutate_text(rng, rng.choice(SEEDS["page"])[: rng.randint(0, 400)], NASTY)
    raise ValueError(kind)


TARGETS: dict[str, Callable[[Any], Any]] = {
    "page": read_page_text,
    "page_bytes": read_page_bytes,
    "articles": read_articles,
    "records": read_records,
    "manifest": read_manifest_text,
    "fast_path": fast_path,
    "sparql": run_query,
    "brat": read_brat_export,
    "label_studio": read_label_studio_export,
}
# how the million inputs of bench/fuzz.py are shared out (by what each kind costs and hides)
SHARES = {
    "page": 15, "page_bytes": 15, "articles": 20, "records": 12, "manifest": 5, "fast_path": 20, "sparql": 1,
    "brat": 3, "label_studio": 2,
}  # fmt: skip
