"""Text that remembers where each of its characters came from.

Every transformation between the page file and the text the models read (cutting
articles out of a page, dropping OCR junk, removing spaces) keeps, for each output
character, the offset of the source character it came from. Offsets never go down, so a
span of the output maps to a span of the source and back. A character inserted with no
source of its own (the newline between two parts that touch on the page) shares the
offset of the character before it; every other character has an offset of its own.
Offsets are kept in a compact integer array: a page costs 8 bytes a character.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MappedText:
    """`text[i]` came from source offset `origin[i]`; origins never decrease."""

    text: str
    origin: Sequence[int]

    def __post_init__(self) -> None:
        if not isinstance(self.origin, array):
            object.__setattr__(self, "origin", array("q", self.origin))
        if len(self.text) != len(self.origin):
            raise ValueError(f"text has {len(self.text)} chars but {len(self.origin)} origins")

    @classmethod
    def identity(cls, text: str, offset: int = 0) -> MappedText:
        return cls(text, array("q", range(offset, offset + len(text))))

    def slice(self, start: int, end: int) -> MappedText:
        return MappedText(self.text[start:end], self.origin[start:end])

    def __len__(self) -> int:
        return len(self.text)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source range covering `text[start:end]` (end exclusive)."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span {start}:{end} outside text of length {len(self.text)}")
        if start == end:
            anchor = self.origin[start] if start < len(self.origin) else self._source_end()
            return anchor, anchor
        return self.origin[start], self.origin[end - 1] + 1

    def target_offset(self, source_offset: int) -> int:
        """First text offset whose origin is at or after `source_offset`."""
        return bisect_left(self.origin, source_offset)

    def target_span(self, source_start: int, source_end: int) -> tuple[int, int]:
        """Text range of the characters that came from `source[source_start:source_end]`."""
        return self.target_offset(source_start), self.target_offset(source_end)

    def compose(self, outer: MappedText) -> MappedText:
        """Re-express origins of `self` (offsets into `outer.text`) as offsets into `outer`'s source."""
        return MappedText(self.text, array("q", (outer.origin[i] for i in self.origin)))

    def _source_end(self) -> int:
        return self.origin[-1] + 1 if self.origin else 0

    def runs(self) -> list[list[int]]:
        """Compact form for records: `[text_start, source_start, length]` per contiguous run."""
        out: list[list[int]] = []
        for i, src in enumerate(self.origin):
            if out and out[-1][1] + out[-1][2] == src and out[-1][0] + out[-1][2] == i:
                out[-1][2] += 1
            else:
                out.append([i, src, 1])
        return out

    @classmethod
    def from_runs(cls, text: str, runs: Sequence[Sequence[int]]) -> MappedText:
        origin = array("q")
        for text_start, source_start, length in runs:
            if text_start != len(origin):
                raise ValueError(f"run at {text_start} does not follow the previous run")
            origin.extend(range(source_start, source_start + length))
        return cls(text, origin)


class MappedTextBuilder:
    """Accumulates pieces of a source string (and single inserted characters)."""

    def __init__(self) -> None:
        self._chars: list[str] = []
        self._origin = array("q")

    def __len__(self) -> int:
        return len(self._chars)

    @property
    def last_origin(self) -> int | None:
        return self._origin[-1] if self._origin else None

    def add(self, source: str, start: int, end: int) -> None:
        self._check_order(start)
        self._chars.extend(source[start:end])
        self._origin.extend(range(start, end))

    def add_char(self, char: str, origin: int) -> None:
        """An inserted character: it may share the previous character's origin."""
        if self._origin and origin < self._origin[-1]:
            raise ValueError(f"origin {origin} goes back from {self._origin[-1]}")
        self._chars.append(char)
        self._origin.append(origin)

    def extend(self, piece: MappedText) -> None:
        if piece.origin:
            self._check_order(piece.origin[0])
        self._chars.extend(piece.text)
        self._origin.extend(piece.origin)

    def _check_order(self, origin: int) -> None:
        if self._origin and origin <= self._origin[-1]:
            raise ValueError(f"origin {origin} does not follow {self._origin[-1]}")

    def build(self) -> MappedText:
        return MappedText("".join(self._chars), array("q", self._origin))


def join_lines(lines: Iterable[MappedText]) -> MappedText:
    """Join lines with "\\n"; a newline maps just past its line's last character, or onto
    that character when the next line starts right there (a byline glued to its body)."""
    builder = MappedTextBuilder()
    for line in lines:
        if not line.text:
            continue
        last = builder.last_origin
        if last is not None:
            builder.add_char("\n", last + 1 if line.origin[0] > last + 1 else last)
        builder.extend(line)
    return builder.build()
