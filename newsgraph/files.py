"""What a path is, and the bytes of a regular file: one reader for every input.

A device (/dev/zero behind a link) would be read without end and a FIFO blocks its reader, so
every input is read only when it is a regular file. The kind is looked at before the open
(so that no device is opened) and again on the open descriptor (the open does not wait for a
FIFO's writer), so a name changed in between is not read either.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def file_kind(mode: int) -> str:
    """What a `st_mode` is, as a message says it."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


class NotRegularFile(OSError):
    """The path is a folder, a device, a FIFO or a socket; `mode` says which."""

    def __init__(self, path: Path, mode: int) -> None:
        super().__init__(f"{path}: {file_kind(mode)}")
        self.mode = mode


def regular_bytes(path: Path) -> bytes:
    """The bytes of `path` if it is a regular file, else NotRegularFile (or the OSError of the
    stat or the open: FileNotFoundError and the like)."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFile(path, mode)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, mode)
        return handle.read()
