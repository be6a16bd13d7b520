"""Output files that appear whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO

from newsgraph.errors import InputError


def check_writable(path: Path) -> None:
    """Fail before any work if `path` cannot be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(str(path), "output path is a folder")
    if not folder.is_dir():
        raise InputError(str(path), f"cannot write output: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(str(path), f"cannot write output: folder {folder} is not writable")


class AtomicWriter:
    """Writes to a temporary file beside `path`; `commit()` renames it into place.

    Leaving the `with` block without `commit()` (an error, Ctrl-C, nothing to write)
    removes the temporary file and leaves any earlier `path` untouched.
    """

    def __init__(self, path: Path) -> None:
        check_writable(path)
        self.path = path
        self._file: IO[str] | None = None
        self.count = 0

    def __enter__(self) -> AtomicWriter:
        folder = self.path.parent if str(self.path.parent) else Path(".")
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=folder)
        self._tmp = Path(tmp)
        self._file = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self

    def write_line(self, line: str) -> None:
        assert self._file is not None
        self._file.write(line + "\n")
        self.count += 1

    def commit(self) -> None:
        assert self._file is not None
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self._tmp, self.path)
        self._file = None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._file is not None:
            self._file.close()
            self._tmp.unlink(missing_ok=True)
            self._file = None
