"""Numbers as news text writes them: 103, 1,200, 3.5, 一百零三, 两千, 三万五千, 1.2万, 百分之九十, 三分之一.

`parse_number` reads one whole numeral string and returns its value, or None when the string
is no number it can read (an indefinite 几十, an empty string, stray characters): it never
raises. Finding numerals in running text, and the units and qualifiers around them, is the
quantity extractor's work (`quantities.py`).
"""

from __future__ import annotations

import re

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)

_ARABIC = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_MIXED = re.compile(r"^(\d+(?:\.\d+)?)([百千]?[万亿]*)$")
_FRACTION = re.compile(r"^(.+)分之(.+)$")


def parse_number(text: str) -> float | None:
    """The value of a numeral string, or None if it is not one (see module doc)."""
    text = text.strip()
    if not text:
        return None
    if _ARABIC.match(text):
        return _clean(float(text.replace(",", "")))
    mixed = _MIXED.match(text)
    if mixed:
        value = float(mixed.group(1))
        for unit in mixed.group(2):
            value *= CN_BIG_UNITS.get(unit) or CN_SMALL_UNITS[unit]
        return _clean(value)
    fraction = _FRACTION.match(text)
    if fraction:
        return _fraction(fraction.group(1), fraction.group(2))
    return _clean_or_none(parse_chinese(text))


def _fraction(denominator_text: str, numerator_text: str) -> float | None:
    """百分之九十 → 90 (a percent is its number), 三分之一 → 1/3, 千分之三 → 3 (per mille)."""
    numerator = parse_number(numerator_text)
    if numerator is None:
        return None
    if denominator_text in ("百", "千"):
        return numerator
    denominator = parse_number(denominator_text)
    if not denominator:
        return None
    return _clean(numerator / denominator)


def parse_chinese(text: str) -> float | None:
    """Chinese numerals: 一百零三, 两千, 三万五千, 十五, 二〇二三 (digit by digit), 一点五."""
    if not text or any(ch not in CN_NUMERAL_CHARS + "点" for ch in text):
        return None
    if "点" in text:
        whole, _, decimals = text.partition("点")
        if not decimals or any(ch not in CN_DIGITS for ch in decimals):
            return None
        integer = parse_chinese(whole) if whole else 0.0
        if integer is None:
            return None
        return integer + float("0." + "".join(str(CN_DIGITS[ch]) for ch in decimals))
    if len(text) > 1 and all(ch in CN_DIGITS for ch in text):
        if not any(CN_DIGITS[ch] == 0 for ch in text) and len(text) < 3:
            return None  # 三五, 七八: an approximate pair, not a number (the extractor reads it as a range)
        return float("".join(str(CN_DIGITS[ch]) for ch in text))
    return _positional(text)


def _positional(text: str) -> float | None:
    total = 0.0  # finished 亿 and 万 sections
    section = 0.0  # below the current 万
    digit: int | None = None
    last_small = 10_000  # units must fall within a section: 三百五十, not 三十五百
    last_big = 10**12
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None and CN_DIGITS[ch] != 0:
                return None  # two digits in a row inside a positional numeral
            digit = CN_DIGITS[ch] if CN_DIGITS[ch] else None
            continue
        if ch in CN_SMALL_UNITS:
            unit = CN_SMALL_UNITS[ch]
            if unit >= last_small:
                return None
            section += (digit if digit is not None else 1) * unit
            last_small, digit = unit, None
            continue
        unit = CN_BIG_UNITS[ch]
        if unit >= last_big and unit != 100_000_000:
            return None
        section += digit or 0
        if not section and not total:
            section = 1  # 万 alone, as in 近万名, is ten thousand
        if unit == 100_000_000:
            total = (total + section) * unit
        else:
            total += section * unit
        section, digit, last_small, last_big = 0.0, None, 10_000, unit
    return total + section + (digit or 0)


def _clean(value: float) -> float:
    return float(round(value, 10))


def _clean_or_none(value: float | None) -> float | None:
    return None if value is None else _clean(value)


def as_json_number(value: float) -> int | float:
    """103.0 → 103 for records; 2.5 stays 2.5."""
    return int(value) if value.is_integer() else value
