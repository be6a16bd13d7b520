"""Reported quantities in normalised text: 103个, 6家, 90%左右, 超2米, 3~5级, 两千余名, 百分之九十.

`find_quantities(text)` scans characters, so it works whatever the tokenizer made of the
text; the spaCy component (`components/quantities.py`) adds the object from the tagged
words around each match. Units, qualifiers and stop phrases are data in
`newsgraph/patterns/quantity_*.tsv`. What is not a quantity (docs/ANNOTATION.md): dates and years,
times, phone numbers and other bare digit strings, ordinals (第3次), indefinite counts (几十,
数百, 一批), 一 + measure word used as an article (一套), and numbers inside names and slogans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsgraph.numbers import CN_DIGITS, parse_number
from newsgraph.patterns import quantity_units, read_tsv
from newsgraph.rule_data import rule_cache

_CN = "零〇○一二两三四五六七八九十百千万亿"
_ARABIC = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_NUMBER = rf"(?:[百千]分之[{_CN}]+(?:点[{_CN}]+)?|(?:{_ARABIC})[百千]?[万亿]*|[{_CN}]+(?:点[{_CN}]+)?(?:分之[{_CN}]+)?)"
_SIGN = "零下|[-－]"
_SIGNED_UNITS = ("℃", "度")  # only temperatures go below zero in this news
_RANGE_SEP = "[~～—－-]|至|到"
_INDEFINITE = "几数"


@dataclass(frozen=True, slots=True)
class QuantityMatch:
    start: int
    end: int
    value: float
    unit: str | None
    approx: str | None = None
    comparator: str | None = None
    low: float | None = None
    high: float | None = None
    number_text: str = ""  # the number as written (二〇二三, 3~5, 百分之九十), for short forms


@dataclass(frozen=True)
class _Tables:
    units: dict[str, str]
    before: dict[str, tuple[str, str]]
    after_number: dict[str, str]
    after: dict[str, tuple[str, str]]
    stop: tuple[str, ...]
    pattern: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@rule_cache
def _tables() -> _Tables:
    units = quantity_units()
    before: dict[str, tuple[str, str]] = {}
    after_number: dict[str, str] = {}
    after: dict[str, tuple[str, str]] = {}
    for word, position, role, value in read_tsv("quantity_qualifiers.tsv", 4):
        if position == "before":
            before[word] = (role, value)
        elif position == "after_number":
            after_number[word] = value
        else:
            after[word] = (role, value)
    stop = tuple(phrase for phrase, _why in read_tsv("quantity_stop.tsv", 2))
    unit = _alternation(list(units))
    pattern = re.compile(
        rf"(?P<before>{_alternation(list(before))})?"
        rf"(?P<sign>{_SIGN})?(?P<num>{_NUMBER})"
        rf"(?:(?P<unit1>{unit})?(?:{_RANGE_SEP})(?P<sign2>{_SIGN})?(?P<num2>{_NUMBER}))?"
        rf"(?P<after_number>{_alternation(list(after_number))})?"
        rf"(?P<unit>{unit})?"
        rf"(?P<after>{_alternation(list(after))})?"
    )
    return _Tables(units, before, after_number, after, stop, pattern)


def find_quantities(text: str) -> list[QuantityMatch]:
    """Every quantity in `text`, in order, never overlapping."""
    tables = _tables()
    stopped = _stop_ranges(text, tables.stop)
    found: list[QuantityMatch] = []
    position = 0
    while True:
        match = tables.pattern.search(text, position)
        if match is None:
            return found
        quantity = _read(match, text, tables)
        if quantity is not None and not any(s < quantity.end and quantity.start < e for s, e in stopped):
            found.append(quantity)
            position = match.end()
        else:
            position = max(match.end("num"), position + 1)  # past the whole numeral: linear on long digit runs


def _stop_ranges(text: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    ranges = []
    for phrase in phrases:
        start = text.find(phrase)
        while start != -1:
            ranges.append((start, start + len(phrase)))
            start = text.find(phrase, start + 1)
    return ranges


def _read(match: re.Match[str], text: str, tables: _Tables) -> QuantityMatch | None:
    num_start, num_end = match.span("num")
    first = match.start("sign") if match["sign"] else num_start
    end = match.end()
    before = text[first - 1] if first > 0 else ""
    if before and before in f"第0123456789.,{_CN}":
        return None  # ordinal, or the tail of a longer number (数十万元: not 万元)
    if before and before in _INDEFINITE and not text[num_start].isdigit():
        return None  # indefinite: 数十, 几百; but 人数200人 counts 200
    if end < len(text) and text[end] in _INDEFINITE:
        return None  # 十几个, 三十多万 is fine but 十几 is not
    number, number2, unit = match["num"], match["num2"], match["unit"]
    if number2 is not None:
        if match["unit1"] and match["unit"] and match["unit1"] != match["unit"]:
            return None
        unit = unit or match["unit1"]
    scale_unit = _scaled_unit(number2 or number, unit, tables)
    if scale_unit:  # 165万元 → 165 万元; 3~5万元 → 3~5 万元; 万余人次 → 1 万人次
        unit = scale_unit
        number = number[:-1] if number[-1] == scale_unit[0] else number
        number2 = number2[:-1] if number2 else None
    elif number2 and number2[-1] in "万亿" and number[-1] not in "万亿":
        number = number + number2[-1]  # 3至5万人: both ends in 万
    low = high = None
    if number2 is not None:
        low, high = _number(number), _number(number2)
        if low is None or high is None:
            return None
        low, high = _signed(low, match["sign"], unit), _signed(high, match["sign2"], unit)
        if high <= low:
            return None
        value = low
    else:
        pair = _approximate_pair(number)
        if pair is not None:
            low, high = pair
            value = low
        else:
            parsed = _number(number)
            if parsed is None:
                return None
            value = _signed(parsed, match["sign"], unit)
    percent_word = "分之" in number and number[0] in "百千"
    if percent_word and unit is None:
        unit = "%" if number[0] == "百" else "‰"
    kind = tables.units.get(unit) if unit else None
    approx_inside = next((ch for ch in "多余" if unit and len(unit) > 2 and ch in unit), None)
    if approx_inside:  # 3个多月: unit 个月, approx 多
        unit = unit.replace(approx_inside, "")
    if not _is_quantity(match["num"], value, unit, kind, text, match.end("unit") if match["unit"] else num_end):
        return None
    approx = (match["after_number"] and tables.after_number[match["after_number"]]) or approx_inside
    comparator = None
    for group, table in (("before", tables.before), ("after", tables.after)):
        if match[group]:
            role, word = table[match[group]]
            if role == "approx":
                approx = approx or word
            else:
                comparator = comparator or word
    start = match.start("before") if match["before"] else first
    if match["before"] == "近" and start >= 1 and text[start - 1] in "最附临接":
        start, approx = first, match["after_number"] and tables.after_number[match["after_number"]]
    number_text = text[first : match.end("num2") if number2 is not None else num_end]
    return QuantityMatch(start, end, value, unit, approx or None, comparator, low, high, number_text)


def _scaled_unit(number: str, unit: str | None, tables: _Tables) -> str | None:
    """万元, 亿元, 万人次, 千克, 千米: a unit that takes the 万/亿/千/百 written at the end of the number."""
    if unit and number[-1] in "万亿千百" and number[-1] + unit in tables.units:
        return number[-1] + unit
    return None


def _number(text: str) -> float | None:
    return 1.0 if text == "" else parse_number(text)  # 万元 in 近万元: one 万


def _signed(value: float, sign: str | None, unit: str | None) -> float:
    return -value if sign and unit in _SIGNED_UNITS else value


def _approximate_pair(number: str) -> tuple[float, float] | None:
    """七八百 → (700, 800), 三五 → (3, 5): two neighbouring digits, then maybe one unit."""
    digits = [ch for ch in number[:2] if CN_DIGITS.get(ch)]
    if len(number) < 2 or len(digits) != 2 or CN_DIGITS[digits[1]] != CN_DIGITS[digits[0]] + 1:
        return None
    rest = number[2:]
    scale = parse_number("一" + rest) if rest else 1.0
    if scale is None:
        return None
    return CN_DIGITS[digits[0]] * scale, CN_DIGITS[digits[1]] * scale


def _is_quantity(number: str, value: float, unit: str | None, kind: str | None, text: str, after: int) -> bool:
    following = text[after : after + 1] or "\n"  # never "" (which is `in` every string)
    if unit is None:
        # a bare number counts only as a large written amount (165万, 七八百, 两千余) or a share (三分之一)
        return "分之" in number or (len(number) > 1 and number[-1] in "万亿百千" and not number.isdigit())
    if kind == "measure" and number == "一":
        return False  # 一套民宅, 一个: an article, not a count
    if unit == "年" and (value >= 1000 or following in "月度底初末级"):
        return False  # 2023年, 3年级
    if unit == "成" and following in "为员立":
        return False  # 成为, 成员, 成立
    if unit == "起" and following in "来":
        return False
    if unit == "周" and following in "年岁":
        return False  # 100周年
    return not (unit in ("次", "届") and following in "会")
