"""JSON values from untrusted lines: one bad line is one error, never a crash.

Python's `json` recurses once per level of nesting, so a line nested a few thousand deep
raises `RecursionError` (in `loads`, and later in `dumps` or any walk over the value). No
record, article, task or manifest of ours nests deeper than a dozen levels, so anything
deeper than `MAX_DEPTH` is refused here, at the reader, with the reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

MAX_DEPTH = 64  # records nest ~6 levels (record → events → places → …); room to spare


class JsonProblem(ValueError):
    """A value that is no JSON, or nested too deeply to be one of ours; `str()` says which."""


def parse(text: str) -> Any:
    """`json.loads`, with every failure a `JsonProblem` and nesting bounded by MAX_DEPTH."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise JsonProblem(f"not valid JSON ({err.msg} at column {err.colno})") from None
    except RecursionError:
        raise JsonProblem(f"not valid here: nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as err:  # an integer of more than 4,300 digits, say
        raise JsonProblem(f"not valid here: {str(err)[:100]}") from None
    if depth(value) > MAX_DEPTH:
        raise JsonProblem(f"not valid here: nested deeper than {MAX_DEPTH} levels")
    if _SURROGATE_ESCAPE.search(text) and has_lone_surrogate(value):
        raise JsonProblem("not valid here: a string holds an unpaired surrogate (\\ud800…), which is no text")
    return value


# UTF-8 text cannot hold a surrogate; only a JSON escape can put one in a string
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(value: Any) -> bool:
    """Whether a string (or key) anywhere in `value` holds a surrogate no pair made a character of:
    it cannot be written as UTF-8, so no output could hold the record."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _LONE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def depth(value: Any) -> int:
    """How deep lists and objects nest in `value` (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level) for child in children if isinstance(child, dict | list))
    return deepest


def lines(text: str) -> list[str]:
    """JSON-lines split on newlines only (U+2028 may sit inside a string), BOM and CR dropped."""
    return [line.removesuffix("\r") for line in text.removeprefix("\ufeff").split("\n")]


def values(text: str) -> Iterator[tuple[int, Any | JsonProblem]]:
    """(line number, value or its problem) for each non-blank line of `text`."""
    for lineno, line in enumerate(lines(text), start=1):
        if not line.strip():
            continue
        try:
            yield lineno, parse(line)
        except JsonProblem as problem:
            yield lineno, problem
