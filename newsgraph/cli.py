"""`newsgraph` subcommands: thin wrappers over pure functions that return data."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from newsgraph.errors import InputError
from newsgraph.paths import CORE_MODEL, DEFAULT_RMRB, NEWS_MODEL, SHARED_CORPORA, TRAINING
from newsgraph.records import ArticleInput, dumps, empty_record

app = typer.Typer(
    help="Chinese local-government news pages → linked entity and event records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

Inputs = Annotated[list[Path], typer.Argument(help="Pages (.txt), article files (.jsonl) or folders of them.")]
Encoding = Annotated[str, typer.Option(help="Text encoding of the inputs, e.g. gb18030.")]
Strict = Annotated[bool, typer.Option(help="Exit 1 if any input or line failed, not only when all did.")]


class ErrorLog:
    """Collects per-input errors: printed as they come, listed again at the end."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def add(self, error: InputError) -> None:
        self.errors.append(error)
        err_console.print(f"error: {error}", markup=False)

    def articles(self, items: Iterable[ArticleInput | InputError]) -> Iterator[ArticleInput]:
        for item in items:
            if isinstance(item, InputError):
                self.add(item)
            else:
                yield item

    def records(self, path: Path) -> list[dict[str, Any]]:
        """The records of a JSONL file; each bad line is listed here and the others are read."""
        from newsgraph.evaluate import load_records

        errors: list[InputError] = []
        rows = list(load_records(path, errors).values())
        for error in errors:
            self.add(error)
        return rows

    def finish(self, written: int, strict: bool) -> None:
        if self.errors and written:
            err_console.print(f"{len(self.errors)} input(s) failed, the rest were written:", markup=False)
            for error in self.errors:
                err_console.print(f"  {error}", markup=False)
        if self.errors and (strict or not written):
            raise typer.Exit(1)


def _fail(error: InputError) -> None:
    err_console.print(f"error: {error}", markup=False)
    raise typer.Exit(1)


@app.command()
def articles(inputs: Inputs, encoding: Encoding = "utf-8", strict: Strict = False) -> None:
    """Print article records, not yet annotated, as JSONL on stdout."""
    from newsgraph.inputs import read_inputs

    log = ErrorLog()
    written = 0
    for article in log.articles(read_inputs(inputs, encoding)):
        sys.stdout.write(dumps(empty_record(article)) + "\n")
        written += 1
    log.finish(written, strict)


@app.command()
def page(
    path: Annotated[Path, typer.Argument(help="A page (.txt).")],
    encoding: Encoding = "utf-8",
) -> None:
    """Print how a page splits: articles with their parts and page offsets, and furniture (JSON)."""
    from newsgraph.inputs import decode, read_bytes
    from newsgraph.page import read_page

    try:
        text = decode(str(path), read_bytes(path), encoding)
        layout = read_page(text, str(path))
    except InputError as error:
        _fail(error)
    out = {
        "path": str(path),
        "articles": [
            {
                "index": a.index + 1,
                "section_place": a.section_place,
                "section_span": a.section_span,
                "authors": a.authors,
                "start": a.start,
                "end": a.end,
                "parts": [{"kind": p.kind, "start": p.start, "end": p.end, "text": p.raw.text} for p in a.parts],
            }
            for a in layout.articles
        ],
        "furniture": [f.__dict__ for f in layout.furniture],
    }
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")


@app.command()
def annotate(
    inputs: Inputs,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the records (JSONL); - for standard output.")
    ],
    model: Annotated[
        Path | None,
        typer.Option(help="A saved pipeline folder or a config from pipelines/ (default: models/zh_news)."),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per nlp.pipe batch (memory grows with it).")] = 16,
    n_process: Annotated[int, typer.Option(min=1, help="Worker processes, each with its own model.")] = 1,
    resume: Annotated[bool, typer.Option(help="Continue a run that was killed or interrupted.")] = False,
    scheduler: Annotated[
        str | None, typer.Option(help="Run on a Dask cluster: its scheduler's address, tcp://HOST:PORT.")
    ] = None,
    resolve_entities: Annotated[
        bool, typer.Option("--resolve/--no-resolve", help="Fill entity_id across the batch when done.")
    ] = True,
    encoding: Encoding = "utf-8",
    strict: Strict = False,
) -> None:
    """Annotate pages and articles into OUTPUT (JSONL, one record per article, in input order).

    OUTPUT appears when the run ends. Items that fail are listed in OUTPUT's `.errors.jsonl`
    and the rest are written. A killed or interrupted run continues with --resume, and
    nothing is lost or written twice.
    """
    from newsgraph.batch import WorkFiles, run_batch
    from newsgraph.inputs import read_inputs
    from newsgraph.output import is_stdout

    def report(error: object) -> None:
        err_console.print(f"error: {error}", markup=False)

    try:
        if scheduler and n_process > 1:
            raise InputError("--scheduler", "give --n-process or --scheduler, not both: the cluster has its workers")
        # the run's own output and error list are never read as input, even inside an input folder
        own = [] if is_stdout(output) else [output, WorkFiles(Path(os.path.realpath(output))).errors]
        items = list(read_inputs(inputs, encoding, exclude=own))
        total = sum(len(item.text) for item in items if not isinstance(item, InputError))
        with _progress(total) as advance:
            result = run_batch(
                items,
                output,
                model=model,
                n_process=n_process,
                batch_size=batch_size,
                resume=resume,
                scheduler=scheduler,
                resolve_entities=resolve_entities,
                on_error=report,
                on_progress=advance,
            )
    except InputError as error:
        _fail(error)
    except KeyboardInterrupt:
        err_console.print(f"interrupted: run again with --resume to continue into {output}", markup=False)
        raise typer.Exit(130) from None
    records = result.written + result.resumed
    resumed = f" ({result.resumed} from the interrupted run)" if result.resumed else ""
    where = "standard output" if is_stdout(output) else output
    err_console.print(f"{records} record(s) → {where}{resumed}" if records else "no record written", markup=False)
    if result.errors:
        if records:
            err_console.print(f"{len(result.errors)} item(s) failed, the rest were written:", markup=False)
            for error in result.errors:
                err_console.print(f"  {error}", markup=False)
        if strict or not records:
            raise typer.Exit(1)


@contextmanager
def _progress(total_chars: int) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar (articles, characters/s, ETA) on a terminal; else a line every 10 s."""
    if not err_console.is_terminal:
        yield _progress_lines(total_chars)
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    columns = (
        TextColumn("{task.fields[articles]} articles"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]} chars/s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("annotate", total=total_chars or 1, articles=0, rate="-")
        started = time.perf_counter()
        done = {"articles": 0, "chars": 0}

        def advance(articles: int, chars: int) -> None:
            done["articles"] += articles
            done["chars"] += chars
            rate = done["chars"] / max(time.perf_counter() - started, 1e-9)
            bar.update(task, advance=chars, articles=done["articles"], rate=f"{rate:,.0f}")

        yield advance


PROGRESS_EVERY_S = 10.0


def _progress_lines(total_chars: int, every: float = PROGRESS_EVERY_S) -> Callable[[int, int], None]:
    """Progress for a log file or a pipe: one plain line at most every `every` seconds."""
    started = last = time.perf_counter()
    done = {"articles": 0, "chars": 0}

    def advance(articles: int, chars: int) -> None:
        nonlocal last
        done["articles"] += articles
        done["chars"] += chars
        now = time.perf_counter()
        if now - last < every:
            return
        last = now
        rate = done["chars"] / max(now - started, 1e-9)
        left = max(total_chars - done["chars"], 0) / rate if rate else 0.0
        share = done["chars"] / total_chars if total_chars else 1.0
        line = (
            f"annotate: {done['articles']} articles, {done['chars']:,} of {total_chars:,} chars ({share:.0%}), "
            f"{rate:,.0f} chars/s, about {left / 60:.0f} min left"
        )
        err_console.print(line, markup=False)

    return advance


@app.command()
def export(
    records: Annotated[Path, typer.Argument(help="Records (JSONL), as `annotate` writes them.")],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="File (label-studio, spacy, ttl, jsonld, nt) or folder (brat, neo4j)."),
    ],
    fmt: Annotated[str, typer.Option("--format", help="label-studio, brat, spacy, ttl, jsonld, nt or neo4j.")],
    model: Annotated[Path | None, typer.Option(help="The pipeline whose tokenizer makes the Docs (spacy).")] = None,
    base: Annotated[str, typer.Option(help="The IRI the graph's IRIs start with (ttl, jsonld, nt).")] = "",
    force: Annotated[
        bool, typer.Option(help="Replace a brat or neo4j folder that is not empty (else refused).")
    ] = False,
) -> None:
    """Write records in an annotation or training format, or as a knowledge graph."""
    from newsgraph.export import EXPORT_FORMATS
    from newsgraph.output import is_stdout

    log = ErrorLog()
    try:
        if fmt not in EXPORT_FORMATS:
            raise InputError("--format", f"unknown format {fmt!r}: choose from {', '.join(EXPORT_FORMATS)}")
        rows = log.records(records)
        if not rows:
            raise InputError(str(records), "holds no record to export")
        if fmt == "brat":
            from newsgraph.export.brat import write_brat

            n = write_brat(rows, output, force=force)
        elif fmt in ("ttl", "jsonld", "nt"):
            from newsgraph.export.rdf import DEFAULT_BASE, write_rdf

            triples = write_rdf(rows, output, fmt, _checked_base(base or DEFAULT_BASE))
            err_console.print(f"{triples} triple(s)", markup=False)
            n = len(rows)
        elif fmt == "neo4j":
            from newsgraph.export.neo4j import write_neo4j

            items = write_neo4j(rows, output, force=force)
            err_console.print(f"{items} node(s) and relationship(s); import.sh and load.cypher", markup=False)
            n = len(rows)
        elif fmt == "label-studio":
            from newsgraph.export.label_studio import write_label_studio

            n = write_label_studio(rows, output)
            if not is_stdout(output):
                err_console.print(f"labelling config → {output.with_suffix('.config.xml')}", markup=False)
        else:
            from newsgraph.export.docbin import write_docbin
            from newsgraph.pipeline import load_pipeline

            n, widened = write_docbin(rows, output, load_pipeline(model).make_doc)
            if widened:
                err_console.print(f"{widened} span(s) widened to token boundaries", markup=False)
    except InputError as error:
        _fail(error)
    err_console.print(f"{n} record(s) → {output}", markup=False)
    log.finish(n, strict=False)


def _checked_base(base: str) -> str:
    """An absolute IRI ending in /, so that node keys (article/…, event/…#target) append to it."""
    from pyoxigraph import NamedNode

    scheme, _, rest = base.partition(":")
    problem = not scheme.isascii() or not scheme.isalpha() or not rest or not base.endswith("/") or "#" in base
    try:
        NamedNode(base + "article/x")
    except ValueError:
        problem = True
    if problem:
        raise InputError("--base", f"not an absolute IRI ending in / (and without #): {base!r}")
    return base


kg_app = typer.Typer(help="The embedded graph store (pyoxigraph on disk) and SPARQL over it.", no_args_is_help=True)
app.add_typer(kg_app, name="kg")


@kg_app.command("load")
def kg_load(
    records: Annotated[Path, typer.Argument(help="Records (JSONL), as `annotate` writes them.")],
    store: Annotated[Path, typer.Option(help="The store's folder (made if absent).")],
) -> None:
    """Load the records' graph into the store; an article loaded again replaces its triples."""
    from newsgraph.kg import load_records as load_graph

    log = ErrorLog()
    try:
        rows = log.records(records)
        if not rows:
            raise InputError(str(records), "holds no record to load")
        n = load_graph(rows, store)
    except InputError as error:
        _fail(error)
    err_console.print(f"{n} triple(s) → {store}", markup=False)
    log.finish(len(rows), strict=False)


@kg_app.command("query")
def kg_query(
    sparql: Annotated[
        str, typer.Argument(help="A SPARQL query; schema:, org:, prov:, oa:, rdfs:, xsd:, ng: are predeclared.")
    ],
    store: Annotated[Path, typer.Option(help="The store's folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON objects, one a line.")] = False,
) -> None:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over every article's graph;
    rows as a tab-separated table, control characters and backslashes escaped (\\t, \\n, \\x1b, \\\\),
    or as JSON objects with numbers and booleans typed. SERVICE and updates are refused."""
    from newsgraph.kg import json_line, query_terms, tsv_line

    try:
        columns, rows = query_terms(store, sparql)
    except InputError as error:
        _fail(error)
    if as_json:
        for row in rows:
            sys.stdout.write(json_line(columns, row) + "\n")
        return
    sys.stdout.write(tsv_line(columns) + "\n")
    for row in rows:
        sys.stdout.write(tsv_line(row) + "\n")


@app.command("import-corrections")
def import_corrections(
    corrected: Annotated[Path, typer.Argument(help="A Label Studio JSON export, or a brat folder.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the gold records (JSONL).")],
    fmt: Annotated[str, typer.Option("--format", help="label-studio or brat.")],
) -> None:
    """Read annotators' corrections back into gold records that `evaluate` and training read."""
    from newsgraph.export import IMPORT_FORMATS

    if fmt not in IMPORT_FORMATS:
        _fail(InputError("--format", f"unknown format {fmt!r}: choose from {', '.join(IMPORT_FORMATS)}"))
    counts: dict[str, int] = {}
    log = ErrorLog()
    found: list[InputError] = []  # each bad task / article's files: one error, the others are read
    records: list[dict[str, Any]] = []
    try:
        if fmt == "brat":
            from newsgraph.export.brat import read_brat

            records = list(read_brat(corrected, found))
        else:
            from newsgraph.export.label_studio import read_label_studio

            records = list(read_label_studio(corrected, counts, found))
    except InputError as error:  # the whole export: no folder, no JSON, no list of tasks
        _fail(error)
    for error in found:
        log.add(error)
    if records or not found:  # all bad: the old OUTPUT stays
        _write_records(output, lambda: records)
    if counts.get("cancelled"):
        err_console.print(f"{counts['cancelled']} task(s) skipped: every annotation was cancelled", markup=False)
    if counts.get("unannotated"):
        err_console.print(f"{counts['unannotated']} task(s) not annotated: predictions taken as gold", markup=False)
    log.finish(len(records), strict=False)  # exit 1 only when no record could be written


@app.command()
def resolve(
    records: Annotated[Path, typer.Argument(help="Records (JSONL).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write them with entity ids.")],
) -> None:
    """Fill every mention's entity_id across a batch of records (annotate does this itself)."""
    from newsgraph.resolve import resolve as run

    log = ErrorLog()
    try:
        rows = log.records(records)
    except InputError as error:
        _fail(error)
    if not rows:  # nothing to write: an earlier OUT stays as it was
        log.finish(0, strict=False)
        _fail(InputError(str(records), "holds no record"))
    count = _write_records(output, lambda: run(rows))
    log.finish(count, strict=False)


def _write_records(output: Path, make: Callable[[], Iterable[dict[str, Any]]]) -> int:
    """Write the records `make()` gives to OUTPUT, whole or not at all; bad input is one line."""
    from newsgraph.batch import write_lines

    try:
        count = write_lines(output, (dumps(record) for record in make()))
    except InputError as error:
        _fail(error)
    err_console.print(f"{count} record(s) → {output}", markup=False)
    return count


@app.command()
def places(records: Annotated[Path, typer.Argument(help="Records (JSONL).")]) -> None:
    """Print the batch's place hierarchy (JSON): each place with its level and the place it lies in."""
    from newsgraph.places import place_hierarchy

    log = ErrorLog()
    try:
        rows = log.records(records)
        hierarchy = place_hierarchy(rows)
    except InputError as error:
        _fail(error)
    sys.stdout.write(json.dumps(hierarchy, ensure_ascii=False, indent=1) + "\n")
    log.finish(len(rows), strict=False)


@app.command()
def evaluate(
    gold: Annotated[Path | None, typer.Argument(help="Gold records (JSONL).")] = None,
    pred: Annotated[Path | None, typer.Argument(help="Predicted records (JSONL).")] = None,
    dev: Annotated[
        list[str] | None,
        typer.Option(
            help="Score a model on a dev set instead: msra, cluener, resume (from `newsgraph train ner`), seed, "
            "or indomain (corpus/indomain, with --split)."
        ),
    ] = None,
    cases: Annotated[
        list[Path] | None,
        typer.Option(help="Score a model's events on hand-written cases instead (JSONL: id, text, events)."),
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="The model --dev and --cases score (default: the shipped one).")
    ] = None,
    work: Annotated[Path, typer.Option(help="Where `newsgraph train ner` wrote the dev sets.")] = TRAINING / "ner",
    split: Annotated[
        str, typer.Option(help="With --dev indomain: the split to score (dev; test only when reporting).")
    ] = "dev",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """P/R/F1 per label of GOLD against PRED records, or of a model on the fixed dev sets
    (--dev), or of a model's events on hand-written cases (--cases)."""
    from newsgraph.evaluate import evaluate as score
    from newsgraph.evaluate import load_records

    try:
        if cases:
            scores = _case_scores(cases, model)
        elif dev == ["indomain"]:
            from newsgraph.corpus import score_split
            from newsgraph.pipeline import load_pipeline

            scores = score_split(load_pipeline(model), split)
        elif dev:
            scores = _dev_scores(dev, model, work)
        elif gold is None or pred is None:
            raise InputError("evaluate", "give GOLD and PRED record files, or --dev NAME")
        else:
            scores = score(load_records(gold), load_records(pred))
    except InputError as error:
        _fail(error)
    if as_json:
        sys.stdout.write(json.dumps(scores, ensure_ascii=False, indent=1) + "\n")
    elif cases:
        _print_case_scores(scores)
    elif dev and dev != ["indomain"]:
        console = Console(highlight=False)
        for name, result in scores.items():
            if "model" in result:  # a corpus's dev set: the model alone, then with the rules
                parts = [("the model alone", result["model"]), ("the whole pipeline", result["pipeline"])]
            else:
                parts = [("the whole pipeline", result)]
            for title, shown in parts:
                table = {**shown["labels"], "ALL": shown["ALL"]}
                console.print(_prf_table(f"{name}, {title}: entities (exact span and label)", table))
                if "gold_spans" in shown:
                    unreachable = f"{shown['unreachable_spans']} of {shown['gold_spans']}"
                    console.print(f"gold spans no sequence of our words can form: {unreachable}")
    else:
        _print_scores(scores)


def _case_scores(files: list[Path], model: Path | None) -> dict[str, Any]:
    from newsgraph.annotate import annotate
    from newsgraph.evaluate import load_event_cases, score_event_cases
    from newsgraph.inputs import read_inputs
    from newsgraph.pipeline import load_pipeline

    loaded = {path: load_event_cases(path) for path in files}  # every file checked before the model loads
    nlp = load_pipeline(model)
    out = {}
    for path, cases in loaded.items():
        articles = list(read_inputs([path]))
        bad = next((a for a in articles if isinstance(a, InputError)), None)
        if bad is not None:
            raise bad
        records = {r["id"]: r for r in annotate(nlp, articles)}
        try:
            out[str(path)] = score_event_cases(cases, records)
        except ValueError as err:  # a trigger that normalisation changed (召开 会议 → 召开会议)
            raise InputError(str(path), str(err)) from None
    return out


def _print_case_scores(scores: dict[str, Any]) -> None:
    console = Console(highlight=False)
    for path, result in scores.items():
        rows = {
            "event (type + trigger)": result["events"],
            "event arguments": result["arguments"],
            **{f"  role {role}": s for role, s in result["roles"].items()},
        }
        console.print(_prf_table(f"{path}: {result['cases']} cases", rows))
        for case_id, notes in result["failures"].items():
            console.print(f"  {case_id}: " + "; ".join(notes), markup=False)


def _dev_scores(names: list[str], model: Path | None, work: Path) -> dict[str, Any]:
    from newsgraph.pipeline import load_pipeline
    from newsgraph.training.ner import check_dev_set, score_named

    for name in names:  # before the model loads
        check_dev_set(name)
    nlp = load_pipeline(model)
    return {name: score_named(nlp, name, work) for name in names}


train_app = typer.Typer(
    help="Train the shipped models from the public corpora (../shared/corpora).", no_args_is_help=True
)
app.add_typer(train_app, name="train")


@train_app.command("core")
def train_core(
    rmrb: Annotated[Path, typer.Option(help="People's Daily 1998 PKU corpus (RMRB.txt).")] = DEFAULT_RMRB,
    out: Annotated[Path, typer.Option(help="Where to save the pipeline.")] = CORE_MODEL,
    work: Annotated[Path, typer.Option(help="Converted data and checkpoints; finished steps are skipped.")] = TRAINING
    / "core",
    pkuseg_iterations: Annotated[int, typer.Option(min=1, help="pkuseg training iterations.")] = 20,
    prune: Annotated[float, typer.Option(min=0.0, help="Drop pkuseg features whose weights all stay below.")] = 0.1,
    tagger_steps: Annotated[int, typer.Option(min=1, help="Most tagger training steps.")] = 9000,
    force: Annotated[bool, typer.Option(help="Redo every step, even those already done.")] = False,
) -> None:
    """Segmenter (pkuseg) + part-of-speech tagger: convert, train, prune, assemble, score on test."""
    from newsgraph.training.core import CoreSettings
    from newsgraph.training.core import train_core as run

    if rmrb.resolve() != DEFAULT_RMRB.resolve() and out.resolve() == CORE_MODEL.resolve():
        _fail(InputError(str(out), "training on another corpus would replace the shipped model: pass --out"))
    settings = CoreSettings(rmrb, out, work, pkuseg_iterations, prune, tagger_steps, force=force)
    try:
        with err_console.status("training the core pipeline"):
            run(settings, report=lambda line: err_console.print(line, markup=False))
    except InputError as error:
        _fail(error)


@train_app.command("ner")
def train_ner(
    corpora: Annotated[Path, typer.Option(help="The public corpora folder (MSRA, CLUENER, Resume).")] = SHARED_CORPORA,
    core: Annotated[
        Path, typer.Option(help="The core pipeline whose tokenizer and tagger the NER builds on.")
    ] = CORE_MODEL,
    out: Annotated[Path, typer.Option(help="Where to save the pipeline.")] = NEWS_MODEL,
    work: Annotated[Path, typer.Option(help="Converted data and checkpoints; finished steps are skipped.")] = TRAINING
    / "ner",
    rmrb_data: Annotated[
        Path, typer.Option(help="People's Daily 1998 converted by `train core` (for the shared tagger).")
    ] = TRAINING / "core" / "rmrb",
    max_steps: Annotated[int, typer.Option(min=1, help="Most NER training steps.")] = 15000,
    missing_titles: Annotated[
        bool, typer.Option(help="Leave title words unknown (not O) in corpora that do not annotate TITLE.")
    ] = True,
    vectors: Annotated[
        bool, typer.Option(help='Train floret vectors on raw text for the ner (needs pip install -e ".[train]").')
    ] = True,
    force: Annotated[bool, typer.Option(help="Redo every step, even those already done.")] = False,
) -> None:
    """Entity recogniser: convert MSRA, CLUENER and Resume, train, assemble with the rules, score every dev set."""
    from newsgraph.training.ner import NerSettings
    from newsgraph.training.ner import train_ner as run

    settings = NerSettings(corpora, core, out, work, rmrb_data, max_steps, missing_titles, vectors, force=force)
    try:
        with err_console.status("training the entity recogniser"):
            run(settings, report=lambda line: err_console.print(line, markup=False))
    except InputError as error:
        _fail(error)


@app.command("rebuild-rules")
def rebuild_rules(
    model: Annotated[Path, typer.Argument(help="A saved model folder (models/zh_news, models/zh_core …).")],
    patterns: Annotated[
        Path | None, typer.Option(help="A folder of rule files laid out as newsgraph/patterns/ (default: those).")
    ] = None,
) -> None:
    """Refresh MODEL's rule data and its tokenizer's merge words from the rule files, in one step."""
    from newsgraph.training.rules import rebuild_rules as run

    try:
        done = run(model, patterns)
    except InputError as error:
        _fail(error)
    err_console.print(
        f"{done['model']}: {len(done['components'])} rule components, {done['rule_files']} rule files, "
        f"{done['merge_words']} merge words, {done['fixed_split_words']} fixed cuts (rules {done['digest'][:12]})",
        markup=False,
    )


def _prf_table(title: str, rows: dict[str, dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("", "P", "R", "F1", "support"):
        table.add_column(column, justify="left" if not column else "right")
    for name, s in rows.items():
        table.add_row(name, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["support"]))
    return table


def _print_scores(scores: dict[str, Any]) -> None:
    console = Console(highlight=False)
    records = scores["records"]
    console.print(f"records: gold {records['gold']}, predicted {records['predicted']}", markup=False)
    for key, what in (
        ("missing", "no prediction for"),
        ("text_mismatch", "prediction of another text (scored as missed) for"),
        ("extra", "predictions not in gold (scored as spurious)"),
    ):
        if records[key]:
            console.print(f"{what}: {', '.join(records[key])}", markup=False)
    console.print(_prf_table("entities (exact span and label)", scores["entities"]))
    quantities = scores["quantities"]
    console.print(_prf_table("quantities (span and every attribute)", {"QUANTITY": quantities["all_attributes"]}))
    accuracy = ", ".join(f"{k} {v:.3f}" for k, v in quantities["attribute_accuracy"].items())
    console.print(f"attribute accuracy over {quantities['span_matched']} found spans: {accuracy}", markup=False)
    console.print(
        _prf_table(
            "officials, events, relations",
            {
                "official (name, title, org)": scores["officials"],
                "event (type + trigger)": scores["events"],
                "event arguments": scores["arguments"],
                **{f"  role {role}": s for role, s in scores["roles"].items()},
                "located_in relations": scores["relations"],
            },
        )
    )
    links = scores["links"]
    console.print(
        f"mention→event links: {links['accuracy']:.3f} ({links['right']} of {links['mentions_found']} found mentions)",
        markup=False,
    )


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `newsgraph articles … | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except OSError as err:  # stdout on a full disk, say
        print(f"error: cannot write output: {err.strerror or err}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
