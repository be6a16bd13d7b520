"""OCR clean-up that keeps an offset map back to the page.

What it does, and why:
- removes spaces the OCR left inside Chinese text (以民生需求为 导向 → 以民生需求为导向):
  they mark printed line ends, not words, and they break segmentation;
- keeps one space between Latin words or numbers (0532-87139933 87139920), and, in
  title-like lines (headlines, bylines), one space between phrases, where it is meant;
- folds full-width digits and letters to ASCII (２０２３ → 2023) so numbers parse one way;
- turns ASCII punctuation that sits against Chinese into the full-width forms the
  training corpora use (, → ，  : → ：  "…" → “…”), one character for one;
- drops control and zero-width characters.
Every output character keeps the offset of the input character it came from.
"""

from __future__ import annotations

import unicodedata
from array import array

from newsgraph.mapped import MappedText

_HALF_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# Folded to a plain space. U+2028/U+2029 too: a line separator inside a paragraph is layout,
# and JSON-lines readers that split on it would tear records apart.
SPACE_LIKE = frozenset("\t \u3000\u00a0\u2002\u2003\u2009\u202f\u2028\u2029")
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


def is_cjk(char: str) -> bool:
    """Han ideographs and the CJK punctuation and full-width blocks."""
    code = ord(char)
    return (
        0x3000 <= code <= 0x303F  # CJK symbols and punctuation
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x2FA1F
        or char in "“”‘’…—·"
    )


def fold_width(char: str) -> str:
    """Full-width digits, letters and %, and the ideographic space, to ASCII."""
    code = ord(char)
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return chr(code - 0xFEE0)
    if char == "％":
        return "%"
    if char in SPACE_LIKE:
        return " "
    return char


def _is_dropped(char: str) -> bool:
    if char in _ZERO_WIDTH or char == "\r":
        return True
    return unicodedata.category(char) in ("Cc", "Cs") and char not in "\n\t"


def normalize(text: str, *, keep_phrase_spaces: bool = False) -> MappedText:
    """Normalise `text`; the result's origins are offsets into `text`.

    `keep_phrase_spaces` keeps one space between Chinese phrases, for headlines and
    bylines where a space separates parts (四名观察员上岗 为营商环境“把脉”).
    """
    # Pass 1: fold widths and drop invisible characters.
    source = array("q", (i for i, c in enumerate(text) if not _is_dropped(c)))
    folded = [fold_width(text[i]) for i in source]
    # Pass 2: punctuation against Chinese, one character for one (before spaces go,
    # so that a second run sees the same neighbours and changes nothing).
    _fold_punctuation(folded)
    # Pass 3: decide each run of spaces by its neighbours on the same line.
    chars: list[str] = []
    origin = array("q")
    n = len(folded)
    k = 0
    while k < n:
        c = folded[k]
        if c != " ":
            chars.append(c)
            origin.append(source[k])
            k += 1
            continue
        run_end = k
        while run_end < n and folded[run_end] == " ":
            run_end += 1
        before = chars[-1] if chars and chars[-1] != "\n" else None
        after = folded[run_end] if run_end < n and folded[run_end] != "\n" else None
        inside_line = before is not None and after is not None
        if inside_line and (keep_phrase_spaces or not (is_cjk(before) or is_cjk(after))):
            chars.append(" ")
            origin.append(source[k])
        k = run_end
    return MappedText("".join(chars), origin)


def _fold_punctuation(chars: list[str]) -> None:
    line_start = 0
    for end in [*(j for j, c in enumerate(chars) if c == "\n"), len(chars)]:
        _fold_line_punctuation(chars, line_start, end)
        line_start = end + 1


def _fold_line_punctuation(chars: list[str], start: int, end: int) -> None:
    line = chars[start:end]
    if not any(is_cjk(c) and not c.isspace() for c in line):
        return
    open_quote = True
    for j in range(start, end):
        if chars[j] == '"':
            chars[j] = "“" if open_quote else "”"
            open_quote = not open_quote
    for j in range(start, end):
        if chars[j] in _HALF_PUNCT and _touches_cjk(chars, j, start, end):
            chars[j] = _HALF_PUNCT[chars[j]]


def _touches_cjk(chars: list[str], j: int, start: int, end: int) -> bool:
    for step in (-1, 1):
        k = j + step
        while start <= k < end and chars[k] == " ":
            k += step
        if start <= k < end and is_cjk(chars[k]) and chars[k] not in _HALF_PUNCT.values():
            return True
    return False


def normalize_mapped(piece: MappedText, *, keep_phrase_spaces: bool = False) -> MappedText:
    """Normalise a piece that already maps to a source; the result maps to the same source."""
    return normalize(piece.text, keep_phrase_spaces=keep_phrase_spaces).compose(piece)
