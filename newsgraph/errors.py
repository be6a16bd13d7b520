"""The one error type for bad input: it names the input, the line, and what is wrong."""

from __future__ import annotations

import re

# control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional controls
UNSAFE_CHARS = "\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{UNSAFE_CHARS}]")


def escape_char(char: str) -> str:
    """One unsafe character as text: \\x1b, \\u2028."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with each control character as an escape (\\x1b, \\x0a, \\u2028): one line that a
    terminal shows as it is, whatever an input's name or id holds."""
    return _UNSAFE.sub(lambda m: escape_char(m[0]), text)


class InputError(Exception):
    """Bad input that the user must fix; printed as one line `PATH[:LINE]: PROBLEM`.

    `id` is the article's or record's id where the bad item gave one, so that error lists
    can name it even when its line number means little to the user."""

    def __init__(self, path: str, problem: str, line: int | None = None, id: str | None = None) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        self.id = id
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return printable(f"{where}: {self.problem}")

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "id": self.id, "problem": self.problem}
