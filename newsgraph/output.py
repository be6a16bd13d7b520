"""Output files that appear whole or not at all, and never replace what is not a file.

An output path may be:
- `-`: standard output (written as it comes: a pipe cannot be replaced whole);
- a regular file, or a path that does not exist yet: written to a temporary file beside it
  and renamed into place, so a reader never sees half a file and a failed run leaves the
  old one;
- a symbolic link: followed, so the link stays and its target is replaced (the temporary
  file goes beside the target, on the target's file system);
- anything else (a folder, a device such as /dev/full, a FIFO, a socket) is refused before
  any work, with one line that says what it is.

New files get the permissions the user's umask gives (as `open()` would); a replaced
file keeps its own.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TypeVar

from newsgraph.errors import InputError
from newsgraph.files import file_kind

STDOUT = "-"
MAX_NAME_BYTES = 200  # file systems allow 255; a run's work files and temporary files add to the name
T = TypeVar("T")


def is_stdout(path: Path | str) -> bool:
    return str(path) in (STDOUT, "/dev/stdout")


def output_target(path: Path) -> Path:
    """The file an output path really writes: a symlink's target; refused if not a regular file."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise InputError(str(path), f"cannot write output: {err.strerror or err}") from None
    if mode is not None and not stat.S_ISREG(mode):
        via = f" (the link's target {target})" if target != path else ""
        hint = "" if stat.S_ISDIR(mode) else ": give a file path, or - for standard output"
        raise InputError(str(path), f"output path is {file_kind(mode)}{via}{hint}")
    if len(target.name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise InputError(str(path), f"file name too long: at most {MAX_NAME_BYTES} bytes (work files add to it)")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(str(path), f"cannot write output: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(str(path), f"cannot write output: folder {folder} is not writable")
    return target


def check_writable(path: Path) -> None:
    """Fail before any work if `path` cannot be written (see the module doc)."""
    if not is_stdout(path):
        output_target(path)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode(target: Path) -> int:
    """The mode a written file gets: the replaced file's own, else what the umask allows."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


class AtomicWriter:
    """Writes to a temporary file beside the output; `commit()` renames it into place.

    Leaving the `with` block without `commit()` (an error, Ctrl-C, nothing to write)
    removes the temporary file and leaves any earlier output untouched. For `-` the
    lines go straight to standard output.
    """

    def __init__(self, path: Path, binary: bool = False) -> None:
        self.path = path
        self.binary = binary
        self.target = None if is_stdout(path) else output_target(path)
        self._file: IO[Any] | None = None
        self._tmp: Path | None = None
        self.count = 0

    @property
    def file(self) -> IO[Any]:
        assert self._file is not None, "use AtomicWriter in a with block"
        return self._file

    def __enter__(self) -> AtomicWriter:
        if self.target is None:
            self._file = sys.stdout.buffer if self.binary else sys.stdout
            return self
        folder = self.target.parent if str(self.target.parent) else Path(".")
        fd, tmp = tempfile.mkstemp(prefix=f".{self.target.name[:40]}.", suffix=".part", dir=folder)
        self._tmp = Path(tmp)
        self._file = os.fdopen(fd, "wb") if self.binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self

    def write_line(self, line: str) -> None:
        self.file.write(line + "\n")
        self.count += 1

    def write(self, data: str | bytes) -> None:
        self.file.write(data)

    def commit(self) -> None:
        handle = self.file
        handle.flush()
        if self.target is None or self._tmp is None:
            self._file = None
            return
        os.fsync(handle.fileno())
        os.fchmod(handle.fileno(), new_file_mode(self.target))
        handle.close()
        os.replace(self._tmp, self.target)
        self._file = None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._file is not None:
            if self._tmp is not None:
                self._file.close()
                self._tmp.unlink(missing_ok=True)
            self._file = None


def write_file(path: Path, data: str | bytes) -> None:
    """`data` as the whole of `path` (see AtomicWriter)."""
    with AtomicWriter(path, binary=isinstance(data, bytes)) as writer:
        writer.write(data)
        writer.commit()


def write_folder(
    folder: Path, fill: Callable[[Path], T], *, force: bool, suffixes: tuple[str, ...], marker: str, what: str
) -> T:
    """A folder of files (`fill` writes them into the folder it is given) put in place whole or
    not at all: written beside `folder` and renamed to it. A `folder` that is not empty is
    refused (an export into it would mix batches) unless `force`, and even then only when it is
    an earlier export of the same kind: it holds its `marker` file and nothing but files with
    `suffixes` (so `-o pages/ --force` deletes no one's pages). A link to a folder is followed."""
    if is_stdout(folder):
        raise InputError(str(folder), f"{what} is a folder, not a stream: give a folder path")
    given = folder
    folder = Path(os.path.realpath(folder)) if folder.is_symlink() else Path(os.path.abspath(folder))
    if not folder.name:
        raise InputError(str(given), "not a folder to export into")
    _check_folder(folder, force, suffixes, marker, what)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name[:40]}.", suffix=".part", dir=folder.parent))
        staging.chmod(0o777 & ~_umask())
    except (FileExistsError, NotADirectoryError):
        raise InputError(str(folder), "cannot make it: a file stands in its path") from None
    except OSError as error:
        raise InputError(str(folder), f"cannot write here: {error.strerror or error}") from None
    try:
        result = fill(staging)
        _put_in_place(staging, folder, force)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already when it was put in place
    return result


def _check_folder(folder: Path, force: bool, suffixes: tuple[str, ...], marker: str, what: str) -> None:
    if not folder.exists() and not folder.is_symlink():
        return
    if not folder.is_dir():
        raise InputError(str(folder), f"is a file: {what} is a folder")
    try:
        entries = list(folder.iterdir())
    except OSError as error:
        raise InputError(str(folder), f"cannot read it: {error.strerror or error}") from None
    if entries and not force:
        raise InputError(str(folder), "is not empty: an export into it would mix batches; pass --force to replace it")
    foreign = next((e for e in entries if not e.is_file() or e.is_symlink() or e.suffix not in suffixes), None)
    if foreign is not None:
        problem = f"holds {foreign.name[:60]!r}, which {what} never writes: --force will not delete it"
        raise InputError(str(folder), problem)
    if entries and not (folder / marker).is_file():
        problem = f"is not an earlier export of this kind (it has no {marker}): --force will not delete it"
        raise InputError(str(folder), problem)


def _put_in_place(staging: Path, folder: Path, force: bool) -> None:
    """Rename the written folder to `folder`; with `force`, the old one is renamed aside first
    and put back if the new one cannot take its place."""
    try:
        staging.rename(folder)  # replaces an empty folder; fails on one that is not
        return
    except OSError as error:
        if not force or error.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
            raise InputError(str(folder), f"cannot put the export in place: {error.strerror or error}") from None
    old = folder.with_name(f".{folder.name[:40]}.{secrets.token_hex(4)}.old")
    try:
        folder.rename(old)
    except OSError as error:
        raise InputError(str(folder), f"cannot move the old folder aside: {error.strerror or error}") from None
    try:
        staging.rename(folder)
    except OSError as error:
        old.rename(folder)
        raise InputError(str(folder), f"cannot put the export in place ({error.strerror}): left as it was") from None
    if old.is_symlink():
        old.unlink()
    else:
        shutil.rmtree(old, ignore_errors=True)
