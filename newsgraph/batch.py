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

import errno
import fcntl
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from newsgraph.errors import InputError, printable
from newsgraph.jsonl import JsonProblem, parse
from newsgraph.output import AtomicWriter, check_writable, is_stdout, new_file_mode, output_target
from newsgraph.record_check import given_twice, record_problem
from newsgraph.records import ArticleInput, dumps, empty_record

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
        return printable(f"{where}: {self.id + ': ' if self.id else ''}{self.reason}")


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

    @property
    def lock(self) -> Path:
        return self.output.with_name(f".{self.output.name}.lock")

    def orphan_temporaries(self) -> list[Path]:
        """Temporary files of OUT or its error list that a killed run's writer left (an
        AtomicWriter's `.NAME.XXXXXXXX.part`): under the run lock, no writer owns them."""
        names = [
            re.compile(rf"\.{re.escape(p.name[:40])}\.[A-Za-z0-9_]{{8}}\.part") for p in (self.output, self.errors)
        ]
        folder = self.output.parent
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if any(n.fullmatch(p.name) for n in names) and p.is_file())


SYMLINKED_WORK_FILE = "is a symbolic link: a run's work files are never followed; delete it"
_MODES = {
    "rb": os.O_RDONLY,
    "r+b": os.O_RDWR,
    "ab": os.O_WRONLY | os.O_APPEND | os.O_CREAT,
    "wb": os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
}


def open_work(path: Path, mode: str) -> IO[bytes]:
    """A run's work file, never through a symbolic link: in a shared folder a planted link would
    make the run write its records over the link's target."""
    try:
        fd = os.open(path, _MODES[mode] | os.O_NOFOLLOW, 0o666)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise InputError(str(path), SYMLINKED_WORK_FILE) from None
        raise InputError(str(path), f"cannot open a work file: {err.strerror or err}") from None
    return os.fdopen(fd, mode)


@contextmanager
def run_lock(files: WorkFiles) -> Iterator[None]:
    """One run at a time writes OUT: a second one (a --resume while the first still runs) would
    append the same records again."""
    handle = open_work(files.lock, "ab")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise InputError(str(files.output), "another run is writing it now: wait for that run, or stop it") from None
    try:
        yield
    finally:
        files.lock.unlink(missing_ok=True)
        handle.close()


def check_space(output: Path, text_chars: int) -> None:
    """Fail before work if the output's disk cannot hold the records (a generous estimate)."""
    folder = output.parent if str(output.parent) else Path(".")
    need = text_chars * RECORD_BYTES_PER_CHAR
    free = shutil.disk_usage(folder).free
    if free < need:
        raise InputError(str(output), f"not enough disk space: {free:,} bytes free, about {need:,} needed")


MANIFEST_FORMAT = "newsgraph-batch-manifest/1"


def run_digest(articles: Sequence[ArticleInput], options: dict[str, Any]) -> str:
    """What a run's records depend on: every article as read (id, source, text, headline …) and
    the options that change records. A resume against another digest would mix runs."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True, ensure_ascii=False).encode())
    for article in articles:
        digest.update(dumps(empty_record(article)).encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()


def model_identity(model: Path | None) -> str:
    """What a run's records depend on of its model: its path and the size and time of each of its
    files, so a model retrained in place between a kill and its resume is noticed."""
    from newsgraph.paths import DEFAULT_PIPELINE

    folder = Path(model) if model is not None else DEFAULT_PIPELINE
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else [folder]
    stamps = [(str(p.relative_to(folder) if folder.is_dir() else p), p.stat().st_size, p.stat().st_mtime_ns)
              for p in files if p.exists()]  # fmt: skip
    return hashlib.sha256(json.dumps([str(folder.resolve()), stamps]).encode()).hexdigest()


class ManifestProblem(InputError):
    """Work files that cannot be trusted: the run must start over."""

    def __init__(self, files: WorkFiles, problem: str, line: int | None = None) -> None:
        how = f"to start over, delete {files.part} and {files.manifest}"
        super().__init__(str(files.manifest), f"{problem}; {how}", line)


def read_manifest(files: WorkFiles, digest: str, known: dict[str, int]) -> tuple[list[str], int]:
    """The ids done, in the order they were written, and the part file's length for them.

    Checked line by line: the header names this run's digest; each entry is `{"ids": [...],
    "bytes": N}` with ids of this input, none twice, and lengths that grow and that the part
    file holds. A half-written last line (a kill while writing it) is ignored; anything else
    is a `ManifestProblem`."""
    if not files.manifest.is_file():
        return [], 0
    try:
        with open_work(files.manifest, "rb") as handle:
            raw = handle.read().decode("utf-8")
    except UnicodeDecodeError as err:
        raise ManifestProblem(files, f"cannot read the manifest ({err})") from None
    *whole, _unfinished = raw.split("\n")  # the text after the last newline was never finished
    part_size = files.part.stat().st_size if files.part.exists() else 0
    done: list[str] = []
    seen: set[str] = set()
    length = 0
    for lineno, line in enumerate(whole, start=1):
        try:
            entry = parse(line)
        except JsonProblem as problem:
            raise ManifestProblem(files, f"manifest line is {problem}", lineno) from None
        if lineno == 1:
            if not isinstance(entry, dict) or entry.get("format") != MANIFEST_FORMAT:
                raise ManifestProblem(files, "not a manifest of this version of newsgraph", lineno)
            if entry.get("digest") != digest:
                raise ManifestProblem(files, "the interrupted run had other inputs or options", lineno)
            continue
        ids = entry.get("ids") if isinstance(entry, dict) else None
        size = entry.get("bytes") if isinstance(entry, dict) else None
        if (
            not isinstance(ids, list)
            or not all(isinstance(i, str) for i in ids)
            or not isinstance(size, int)
            or isinstance(size, bool)
            or set(entry) != {"ids", "bytes"}
        ):
            raise ManifestProblem(files, 'manifest line is not {"ids": [text, …], "bytes": integer}', lineno)
        foreign = next((i for i in ids if i not in known), None)
        if foreign is not None:
            raise ManifestProblem(files, f"manifest names {foreign!r}, which is not in this run's input", lineno)
        twice = next((i for i in ids if i in seen), None) or given_twice(ids)
        if twice:
            raise ManifestProblem(files, f"manifest names {twice!r} twice", lineno)
        if size < length or size > part_size:
            problem = f"manifest says {size} bytes of records; the part file has {part_size}"
            raise ManifestProblem(files, problem, lineno)
        done.extend(ids)
        seen.update(ids)
        length = size
    return done, length


def check_part(files: WorkFiles, done: list[str], length: int) -> None:
    """The part file's first `length` bytes (what the manifest vouches for) hold one whole,
    valid record per id done, in order: what a resume keeps must be what a run writes."""
    ids: list[str] = []
    with open_work(files.part, "rb") as part:
        kept = part.read(length)
    for lineno, raw in enumerate(kept.splitlines(keepends=True), start=1):
        try:
            record = parse(raw.decode("utf-8"))
        except (UnicodeDecodeError, JsonProblem):
            raise ManifestProblem(files, f"{files.part.name} line {lineno} is no record") from None
        problem = record_problem(record)
        if problem:
            raise ManifestProblem(files, f"{files.part.name} line {lineno} is no record ({problem})")
        ids.append(record.get("id"))
        if not raw.endswith(b"\n"):
            raise ManifestProblem(files, f"{files.part.name} ends inside a record")
    if ids != done:
        raise ManifestProblem(files, f"{files.part.name} does not hold the records the manifest lists")


def prepare(files: WorkFiles, resume: bool, digest: str, known: dict[str, int]) -> tuple[set[str], int]:
    """Check OUT can be written; return the ids already done (resume) and the records they fill."""
    check_writable(files.output)
    check_writable(files.errors)  # a folder or FIFO there would fail only when the work is done
    for work in (files.part, files.manifest):
        if work.is_symlink():
            raise InputError(str(work), SYMLINKED_WORK_FILE)
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
        start_manifest(files, digest)
        return set(), 0
    with open_work(files.manifest, "rb") as handle:
        header_written = b"\n" in handle.read()
    if not header_written:
        start_manifest(files, digest)  # killed before the header was written: nothing was done
        return set(), 0
    done, length = read_manifest(files, digest, known)
    check_part(files, done, length)
    with open_work(files.part, "r+b") as part:
        part.truncate(length)  # drop what was written after the last finished chunk
    with open_work(files.manifest, "r+b") as manifest:  # drop a half-written last line, if any
        manifest.truncate(manifest.read().rfind(b"\n") + 1)
    return set(done), len(done)


def start_manifest(files: WorkFiles, digest: str) -> None:
    """A new run's work files: an empty part file and the manifest's header."""
    with open_work(files.part, "wb"):
        pass
    with open_work(files.manifest, "wb") as manifest:
        manifest.write((json.dumps({"format": MANIFEST_FORMAT, "digest": digest}) + "\n").encode())


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


@dataclass(frozen=True)
class RunSettings:
    """How a batch runs: what `run_batch` passes on to the run itself."""

    model: Path | None
    n_process: int
    batch_size: int
    scheduler: str | None
    resolve_entities: bool
    on_error: Callable[[ItemError], None]
    on_progress: Callable[[int, int], None]


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
    """Annotate every article of `items` into `output` (`-`: standard output; see the module doc)."""
    settings = RunSettings(model, n_process, batch_size, scheduler, resolve_entities, on_error, on_progress)
    if is_stdout(output):
        return _run_to_stdout(items, resume, settings)
    return _run_batch(items, output, resume, settings)


def _run_batch(
    items: Iterable[ArticleInput | InputError], output: Path, resume: bool, settings: RunSettings
) -> BatchResult:
    files = WorkFiles(output_target(output))
    with run_lock(files):
        for orphan in files.orphan_temporaries():  # a run killed while it wrote OUT
            orphan.unlink(missing_ok=True)
        return _locked_run(files, items, resume, settings)


def _locked_run(
    files: WorkFiles, items: Iterable[ArticleInput | InputError], resume: bool, settings: RunSettings
) -> BatchResult:
    model, batch_size, on_error = settings.model, settings.batch_size, settings.on_error
    result = BatchResult()
    readable: list[ArticleInput] = []
    order: dict[str, int] = {}  # every article's place in the input, done or not
    for item in items:
        if isinstance(item, InputError):
            error = ItemError(item.path, item.problem, item.line, item.id)
            result.errors.append(error)
            on_error(error)
            continue
        order[item.id] = len(order)
        readable.append(item)
    model_key = model_identity(model)
    digest = run_digest(readable, {"model": model_key, "resolve": settings.resolve_entities})
    done, result.resumed = prepare(files, resume, digest, order)
    articles = [article for article in readable if article.id not in done]
    check_space(files.output, sum(len(a.text) for a in articles))
    batches = list(chunks(articles))
    pool: Any = None
    client: Any = None
    if settings.scheduler:
        client = connect(settings.scheduler)
        task = partial(annotate_chunk_with, model=model, batch_size=batch_size)
        futures = client.map(task, batches, pure=False)
        results: Iterable[list[tuple[str, str | ItemError]]] = (future.result() for future in futures)
    elif settings.n_process > 1:
        workers = settings.n_process
        pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_load_worker, initargs=(model,))
        results = pool.imap(partial(annotate_chunk, batch_size=batch_size), batches)
    else:
        _load_worker(model)
        results = (annotate_chunk(chunk, batch_size) for chunk in batches)
    try:
        with open_work(files.part, "ab") as part, open_work(files.manifest, "ab") as manifest:
            for chunk, annotated in zip(batches, results, strict=True):
                ids = []
                for article_id, line in annotated:
                    if isinstance(line, ItemError):
                        result.errors.append(line)
                        on_error(line)
                        continue
                    part.write(line.encode("utf-8") + b"\n")
                    ids.append(article_id)
                part.flush()
                os.fsync(part.fileno())
                manifest.write((json.dumps({"ids": ids, "bytes": part.tell()}) + "\n").encode())
                manifest.flush()
                result.written += len(ids)
                settings.on_progress(len(chunk), sum(len(a.text) for a in chunk))
    finally:
        if pool is not None:
            pool.terminate()
        if client is not None:
            client.close()
    finish(files, result, order if resume else None, settings.resolve_entities, model)
    return result


def _run_to_stdout(items: Iterable[ArticleInput | InputError], resume: bool, settings: RunSettings) -> BatchResult:
    """`-o -`: the run's work files go to a temporary folder, and the records to standard output
    when they are all in (in input order, resolved across the batch, as in a file)."""
    if resume:
        raise InputError("--resume", "a run into standard output (-o -) leaves nothing to resume: write to a file")
    with tempfile.TemporaryDirectory(prefix="newsgraph-") as folder:
        out = Path(folder) / "records.jsonl"
        result = _run_batch(items, out, False, settings)
        if out.exists():
            with out.open("rb") as records:
                shutil.copyfileobj(records, sys.stdout.buffer)
            sys.stdout.flush()
    return result


def final_file(
    part: Path, output: Path, order: dict[str, int] | None, resolve_entities: bool, model: Path | None = None
) -> None:
    """OUT from the part file: in input order if `order` is given, entity ids filled if asked
    (with the rule files the model carries, as its components had them)."""
    from newsgraph.components.carried_rules import rules_in_folder
    from newsgraph.paths import DEFAULT_PIPELINE
    from newsgraph.resolve import resolve
    from newsgraph.rule_data import using

    records = [parse(line) for line in part.read_text(encoding="utf-8").splitlines() if line]
    if order is not None:
        records.sort(key=lambda r: order.get(r["id"], len(order)))
    if resolve_entities:
        with using(rules_in_folder(model or DEFAULT_PIPELINE)):
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
    files: WorkFiles,
    result: BatchResult,
    order: dict[str, int] | None = None,
    resolve_entities: bool = True,
    model: Path | None = None,
) -> None:
    """Put OUT and its error list in place; with no record at all, leave nothing behind.

    The records are resolved across the batch and, after a resume, put back in input order (an
    article that failed before and succeeded now was appended last). OUT is written beside
    and renamed into place before the work files go, so a kill at any point leaves a state
    that `--resume` finishes."""
    if result.written + result.resumed:
        if resolve_entities or order is not None:
            final_file(files.part, files.output, order, resolve_entities, model)
        else:
            os.chmod(files.part, new_file_mode(files.output))
            os.replace(files.part, files.output)
    files.part.unlink(missing_ok=True)
    files.manifest.unlink(missing_ok=True)
    if result.errors:
        write_lines(files.errors, (json.dumps(e.to_dict(), ensure_ascii=False) for e in result.errors))
    elif files.errors.is_file() and not files.errors.is_symlink():
        files.errors.unlink()  # an earlier run's list: nothing failed this time
