"""The one error type for bad input: it names the input, the line, and what is wrong."""

from __future__ import annotations


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
        return f"{where}: {self.problem}"

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "id": self.id, "problem": self.problem}
