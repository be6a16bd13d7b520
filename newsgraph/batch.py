"""Annotation at scale: worker processes, a per-item error list, and runs that resume.

`annotate` (annotate.py) is the pure core; this module runs it over many articles and writes
the records safely:

- **Work files.** Records are appended, in input order, to `.OUT.part` beside OUT. After each
  chunk is flushed to disk, a line `{"ids": [...], "bytes": N}` is appended to the manifest
  `.OUT.done`: those articles are done and the part file holds N bytes for them. A run that
  finishes renames the part file to OUT (so OUT appears whole, as before) and removes the
  manifest.
- **Resume.** A killed run leaves both work files. `resume=True` cuts the part file back to the
  last manifest entry, which drops a half-written chunk, and skips the ids the manifest lists.
  So nothing is lost and nothing is written twice. Without `resume`, an interrupted run is an
  error that says so, never silently overwritten.
- **Errors.** An input that cannot be read, or an article the pipeline fails on, costs that
  item only. Each goes to `OUT.errors.jsonl` (input, line, id, reason), and the rest are written.
- **Processes.** With `n_process > 1`, a pool of workers each loads the model once and
  annotates chunks of articles; chunks come back in input order. The output is byte-identical
  whatever the number of processes (tested).
- **Resolution.** When every chunk is in, `entity_id` is filled across the whole batch
  (newsgraph/resolve.py), unless `resolve_entities=False`. The ids are derived from content,
  so they too are the same whatever the number of processes.
- **A cluster.** With `scheduler="tcp://HOST:PORT"`, the chunks go to a Dask distributed
  cluster instead (the `dask` extra). Each worker process loads the model the first time it
  gets a chunk and keeps it. The model path must be valid on the workers, as it is on one
  machine or a shared file system. Results are gathered in input order, so the output is the
  local run's, byte for byte (tested on a `LocalCluster` of two worker processes).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from newsgraph.errors import InputError
from newsgraph.output import AtomicWriter, check_writable
from newsgraph.records import ArticleInput, dumps

CHUNK_ARTICLES = 32  # articles a worker annotates per task; also the manifest's grain
RECORD_BYTES_PER_CHAR = 8  # a record's JSON is ~3.3 bytes a character of text: room to spare


@dataclass
class ItemError:
    """One input or article that failed: where it is and why."""

    input: str
    reason: str
    line: int | None = None
    id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"input": self.input, "line": self.line, "id": self.id, "reason": self.reason}

    def __str__(self) -> str:
        where = self.input + (f":{self.line}" if self.line is not None else "")
        return f"{where}: {self.id + ': ' if self.id else ''}{self.reason}"


@dataclass
class BatchResult:
    written: int = 0  # records written by this run
    resumed: int = 0  # records an earlier, interrupted run had written
    errors: list[ItemError] = field(default_factory=list)


@dataclass(frozen=True)
class WorkFiles:
    """The files of a run that writes OUT."""

    output: Path

    @property
    def part(self) -> Path:
        return self.output.with_name(f".{self.output.name}.part")

    @property
    def manifest(self) -> Path:
        return self.output.with_name(f".{self.output.name}.done")

    @property
    def errors(self) -> Path:
        return self.output.with_name(f"{self.output.stem}.errors.jsonl")


def check_space(output: Path, text_chars: int) -> None:
    """Fail before work if the output's disk cannot hold the records (a generous estimate)."""
    folder = output.parent if str(output.parent) else Path(".")
    need = text_chars * RECORD_BYTES_PER_CHAR
    free = shutil.disk_usage(folder).free
    if free < need:
        raise InputError(str(output), f"not enough disk space: {free:,} bytes free, about {need:,} needed")


def read_manifest(files: WorkFiles) -> tuple[set[str], int]:
    """Ids done and the part file's length for them; a half-written last line is ignored."""
    done: set[str] = set()
    length = 0
    if not files.manifest.is_file():
        return done, length
    for line in files.manifest.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            break  # killed while writing this line: the chunk it names is not done
        done.update(entry["ids"])
        length = entry["bytes"]
    return done, length


def prepare(files: WorkFiles, resume: bool) -> tuple[set[str], int]:
    """Check OUT can be written; return the ids already done (resume) and the records they fill."""
    check_writable(files.output)
    if files.manifest.exists() and not files.part.exists():
        files.manifest.unlink()  # killed after OUT was put in place: that run had finished
    interrupted = files.part.exists() or files.manifest.exists()
    if interrupted and not resume:
        raise InputError(
            str(files.output),
            f"an interrupted run left {files.part.name}: pass --resume to continue it, "
            f"or delete {files.part.name} and {files.manifest.name} to start over",
        )
    if not resume or not interrupted:
        return set(), 0
    done, length = read_manifest(files)
    with files.part.open("ab") as part:
        part.truncate(length)  # drop what was written after the last finished chunk
    records = sum(1 for _ in files.part.open(encoding="utf-8")) if length else 0
    return done, records


def chunks(articles: Iterable[ArticleInput], size: int = CHUNK_ARTICLES) -> Iterator[list[ArticleInput]]:
    chunk: list[ArticleInput] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- the worker side: one model per process ------------------------------------------------

_NLP: Any = None
_NLP_FROM: tuple[Path | None] | None = None  # which model _NLP is


def _load_worker(model: Path | None) -> None:
    global _NLP, _NLP_FROM
    from newsgraph.pipeline import load_pipeline

    _NLP = load_pipeline(model)
    _NLP_FROM = (model,)


def annotate_chunk_with(
    chunk: Sequence[ArticleInput], model: Path | None, batch_size: int = 16
) -> list[tuple[str, str | ItemError]]:
    """`annotate_chunk` on a cluster worker: the model is loaded once per worker process."""
    if (model,) != _NLP_FROM:
        _load_worker(model)
    return annotate_chunk(chunk, batch_size)


def annotate_chunk(chunk: Sequence[ArticleInput], batch_size: int = 16) -> list[tuple[str, str | ItemError]]:
    """(id, record line) for each article, or (id, its error): one bad article costs only itself."""
    from newsgraph.annotate import annotate

    try:
        return [(r["id"], dumps(r)) for r in annotate(_NLP, chunk, batch_size=batch_size)]
    except Exception:  # find the article that failed, keep the others
        out: list[tuple[str, str | ItemError]] = []
        for article in chunk:
            try:
                out.extend((r["id"], dumps(r)) for r in annotate(_NLP, [article], batch_size=1))
            except Exception as error:  # reported per item, the run goes on
                reason = f"annotation failed: {type(error).__name__}: {error}"
                out.append(
                    (
                        article.id,
                        ItemError(str(article.source.get("path")), reason, article.source.get("line"), article.id),
                    )
                )
        return out


# --- the driver --------------------------------------------------------------------------


def run_batch(
    items: Iterable[ArticleInput | InputError],
    output: Path,
    *,
    model: Path | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    resume: bool = False,
    scheduler: str | None = None,
    resolve_entities: bool = True,
    on_error: Callable[[ItemError], None] = lambda error: None,
    on_progress: Callable[[int, int], None] = lambda articles, chars: None,
) -> BatchResult:
    """Annotate every article of `items` into `output` (see the module doc)."""
    files = WorkFiles(output)
    done, resumed = prepare(files, resume)
    result = BatchResult(resumed=resumed)
    articles: list[ArticleInput] = []
    order: dict[str, int] = {}  # every article's place in the input, done or not
    for item in items:
        if isinstance(item, InputError):
            error = ItemError(item.path, item.problem, item.line)
            result.errors.append(error)
            on_error(error)
            continue
        order[item.id] = len(order)
        if item.id not in done:
            articles.append(item)
    check_space(output, sum(len(a.text) for a in articles))
    batches = list(chunks(articles))
    pool: Any = None
    client: Any = None
    if scheduler:
        client = connect(scheduler)
        task = partial(annotate_chunk_with, model=model, batch_size=batch_size)
        futures = client.map(task, batches, pure=False)
        results: Iterable[list[tuple[str, str | ItemError]]] = (future.result() for future in futures)
    elif n_process > 1:
        pool = multiprocessing.get_context("spawn").Pool(n_process, initializer=_load_worker, initargs=(model,))
        results = pool.imap(partial(annotate_chunk, batch_size=batch_size), batches)
    else:
        _load_worker(model)
        results = (annotate_chunk(chunk, batch_size) for chunk in batches)
    try:
        with files.part.open("a", encoding="utf-8", newline="\n") as part, files.manifest.open("a") as manifest:
            for chunk, annotated in zip(batches, results, strict=True):
                ids = []
                for article_id, line in annotated:
                    if isinstance(line, ItemError):
                        result.errors.append(line)
                        on_error(line)
                        continue
                    part.write(line + "\n")
                    ids.append(article_id)
                part.flush()
                os.fsync(part.fileno())
                manifest.write(json.dumps({"ids": ids, "bytes": part.tell()}) + "\n")
                manifest.flush()
                result.written += len(ids)
                on_progress(len(chunk), sum(len(a.text) for a in chunk))
    finally:
        if pool is not None:
            pool.terminate()
        if client is not None:
            client.close()
    finish(files, result, order if resume else None, resolve_entities)
    return result


def final_file(part: Path, output: Path, order: dict[str, int] | None, resolve_entities: bool) -> None:
    """OUT from the part file: in input order if `order` is given, entity ids filled if asked."""
    from newsgraph.resolve import resolve

    records = [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines() if line]
    if order is not None:
        records.sort(key=lambda r: order.get(r["id"], len(order)))
    if resolve_entities:
        records = resolve(records)
    write_lines(output, (dumps(r) for r in records))


def write_lines(path: Path, lines: Iterable[str]) -> int:
    """`path` written whole or not at all, through a temporary file beside it; the line count."""
    with AtomicWriter(path) as writer:
        for line in lines:
            writer.write_line(line)
        writer.commit()
    return writer.count


def connect(scheduler: str) -> Any:
    """A Dask client for `scheduler`, or an error that names the address."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--scheduler", "Dask is not installed: pip install -e '.[dask]'") from None
    try:
        return Client(scheduler, timeout="5s")
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError(scheduler, f"cannot reach the Dask scheduler: {error}") from None


def finish(
    files: WorkFiles, result: BatchResult, order: dict[str, int] | None = None, resolve_entities: bool = True
) -> None:
    """Put OUT and its error list in place; with no record at all, leave nothing behind.

    The records are resolved across the batch and, after a resume, put back in input order (an
    article that failed before and succeeded now was appended last). OUT is written beside
    and renamed into place before the work files go, so a kill at any point leaves a state
    that `--resume` finishes."""
    if result.written + result.resumed:
        if resolve_entities or order is not None:
            final_file(files.part, files.output, order, resolve_entities)
        else:
            os.replace(files.part, files.output)
    files.part.unlink(missing_ok=True)
    files.manifest.unlink(missing_ok=True)
    if result.errors:
        write_lines(files.errors, (json.dumps(e.to_dict(), ensure_ascii=False) for e in result.errors))
    else:
        files.errors.unlink(missing_ok=True)
