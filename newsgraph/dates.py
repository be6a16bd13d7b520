"""Dates in normalised text, each with a normalised value: 6月25日, 2023年6月25日晚, 19时40分, 2023,
近日, 今年以来, 截至目前, 昨天下午, “七一”.

`find_dates(text)` scans characters (any tokenizer will do) and returns spans with values:
- absolute: `{"kind": "absolute", "year", "month", "day", "hour", "minute", "part"}`, with the
  parts the text writes (None for the rest; `period` for 6月底/下旬). `year_source` says where
  the year came from: "written" in the expression, "bare" (2023 alone), "article" (the
  article's or page's date, filled in by `complete_year`, with `year_offset` for 去年12月),
  "text" (an earlier written year, used when the article has no date), or None (unknown);
- relative: `{"kind": "relative", "relation", "offset", "offset_unit", "part", "anchor"}`, where
  the anchor is what it counts from (the article's date, when known);
- a named day (“七一” → month 7, day 1) is absolute without a year;
- an absolute date followed by 以来 (6月以来) is one span, its value with `since`: true.
Relative words are data: `newsgraph/patterns/date_relative.tsv`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from newsgraph.numbers import parse_number
from newsgraph.patterns import quantity_units, read_tsv
from newsgraph.rule_data import rule_cache

_CN_NUM = "零〇○一二两三四五六七八九十"
_PARTS = "凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|夜间|晚"
_YEAR = rf"(?P<year>(?:19|20)[0-9]{{2}}|[二][〇零○][{_CN_NUM}]{{2}})年"
_MONTH = r"(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:份)?(?P<period>底|初|末|上旬|中旬|下旬)?"
_DAY = r"(?P<day>3[01]|[12][0-9]|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]"
_TIME = r"(?P<hour>[01]?[0-9]|2[0-4])[时点](?:(?P<minute>[0-5]?[0-9])分)?"
_ABSOLUTE = re.compile(
    rf"(?=[0-9{_CN_NUM}]|(?:{_PARTS})[0-9])"  # only where a number (or a part of day and a number) starts: fast
    rf"(?:{_YEAR})?(?:{_MONTH})?(?:{_DAY})?(?P<part>{_PARTS})?(?:{_TIME})?"
)
_BARE_YEAR = re.compile(r"(?<![0-9.\-:/])(?:19|20)[0-9]{2}(?![0-9.\-:/年%余多万亿千百])")
_NUMERIC_DATE = re.compile(
    r"(?<![0-9.])((?:19|20)[0-9]{2})([.\-/])(1[0-2]|0?[1-9])\2(3[01]|[12][0-9]|0?[1-9])(?![0-9])"
)
_YEAR_WORDS = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}
_NAMED_DAY_CONTEXT = ("来临", "之际", "前夕", "期间", "假期", "当天", "节")


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    value: dict[str, Any] = field(default_factory=dict)


@rule_cache
def _relative() -> tuple[dict[str, tuple[str, ...]], re.Pattern[str]]:
    rows = {row[0]: row[1:] for row in read_tsv("date_relative.tsv", 5)}
    words = "|".join(re.escape(w) for w in sorted(rows, key=len, reverse=True))
    return rows, re.compile(rf"(?P<word>{words})(?P<part>{_PARTS})?")


def find_dates(text: str) -> list[DateMatch]:
    """Every date expression in `text`, in order, never overlapping (longest first)."""
    found = _absolute(text) + _relatives(text) + _bare_years(text) + _numeric_dates(text)
    dates = _without_overlaps([_with_since(_with_range(date, text), text) for date in _without_overlaps(found)])
    dates = _join_relative_years(dates, text)
    _years_from_text(dates)
    return dates


def _without_overlaps(dates: list[DateMatch]) -> list[DateMatch]:
    """In text order; of overlapping dates the one that starts first (then the longest) stays."""
    out: list[DateMatch] = []
    for date in sorted(dates, key=lambda d: (d.start, -(d.end - d.start))):
        if not out or date.start >= out[-1].end:
            out.append(date)
    return out


_RANGE_TO = "(?:至|到|—|－|-|~|～)"
_DAY_END = re.compile(rf"{_RANGE_TO}(?:(?P<month>1[0-2]|0?[1-9])月)?(?P<day>3[01]|[12][0-9]|0?[1-9])[日号]")
_MONTH_END = re.compile(rf"{_RANGE_TO}(?P<month>1[0-2]|0?[1-9])月")
_MONTH_START = re.compile(rf"(?<![0-9])(?P<month>1[0-2]|0?[1-9]){_RANGE_TO}$")


def _with_range(date: DateMatch, text: str) -> DateMatch:
    """6月25日至27日, 6月25日至7月2日, 1至5月: one date whose value has `range_end`."""
    value = date.value
    if value["kind"] != "absolute" or value["month"] is None or value["hour"] is not None:
        return date
    if value["day"] is not None:
        end = _DAY_END.match(text, date.end)
        if end:
            month = int(end["month"]) if end["month"] else value["month"]
            return DateMatch(date.start, end.end(), value | {"range_end": {"month": month, "day": int(end["day"])}})
        return date
    end = _MONTH_END.match(text, date.end)
    if end and int(end["month"]) > value["month"]:
        return DateMatch(date.start, end.end(), value | {"range_end": {"month": int(end["month"]), "day": None}})
    start = _MONTH_START.search(text, 0, date.start)
    if start and int(start["month"]) < value["month"]:
        first = value | {"month": int(start["month"]), "range_end": {"month": value["month"], "day": None}}
        return DateMatch(start.start(), date.end, first)
    return date


_SINCE = "以来"


def _with_since(date: DateMatch, text: str) -> DateMatch:
    """6月以来, 2023年以来: the time from that date on (`since`: true), one span."""
    if date.value["kind"] == "absolute" and text.startswith(_SINCE, date.end):
        return DateMatch(date.start, date.end + len(_SINCE), date.value | {"since": True})
    return date


def _numeric_dates(text: str) -> list[DateMatch]:
    """2024.3.5, 2024-03-05, 2024/3/5."""
    out = []
    for match in _NUMERIC_DATE.finditer(text):
        year, _sep, month, day = match.groups()
        value = {"kind": "absolute", "year": int(year), "month": int(month), "day": int(day), "hour": None}
        value |= {"minute": None, "part": None, "year_source": "written"}
        out.append(DateMatch(match.start(), match.end(), value))
    return out


def _join_relative_years(dates: list[DateMatch], text: str) -> list[DateMatch]:
    """去年12月 is one date: month 12 of the year before the anchor (`year_offset` -1)."""
    out: list[DateMatch] = []
    for date in dates:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.end == date.start
            and text[previous.start : previous.end] in _YEAR_WORDS
            and date.value["kind"] == "absolute"
            and date.value["year"] is None
            and date.value["month"] is not None
        ):
            offset = _YEAR_WORDS[text[previous.start : previous.end]]
            out[-1] = DateMatch(previous.start, date.end, date.value | {"year_offset": offset, "year_source": None})
        else:
            out.append(date)
    return out


def _absolute(text: str) -> list[DateMatch]:
    out = []
    for match in _ABSOLUTE.finditer(text):
        if match.end() == match.start():
            continue
        groups = match.groupdict()
        written = [k for k in ("year", "month", "day", "hour") if groups[k]]
        clock = groups["part"] or text[match.end() : match.end() + 1] in ("许", "整")
        if not written or (written == ["hour"] and not groups["minute"] and not clock):
            continue  # a part of day alone (晚) or 3点 alone is no date; 上午9时 and 12时许 are
        if groups["day"] and not groups["month"] and not groups["year"]:
            continue  # 5日 alone: too often a count of days
        if match.start() > 0 and text[match.start() - 1] in "0123456789第":
            continue
        out.append(
            DateMatch(
                match.start(),
                match.end(),
                {
                    "kind": "absolute",
                    "year": _int(groups["year"]),
                    "month": _int(groups["month"]),
                    "day": _int(groups["day"]),
                    "hour": _int(groups["hour"]),
                    "minute": _int(groups["minute"]),
                    "part": groups["part"],
                    "year_source": "written" if groups["year"] else None,
                    **({"period": groups["period"]} if groups["period"] else {}),
                },
            )
        )
    return out


def _relatives(text: str) -> list[DateMatch]:
    rows, pattern = _relative()
    out = []
    for match in pattern.finditer(text):
        word = match["word"]
        relation, offset, unit, month_day = rows[word]
        start, end = match.span()
        if relation == "named_day" and word[0] in _CN_NUM and not _named_day_in_context(text, start, end):
            continue  # 十一 or 七一 as plain numerals
        if relation.startswith("named"):
            month, day = (int(x) for x in month_day.split("-")) if month_day != "-" else (None, None)
            value = {"kind": "absolute", "year": None, "month": month, "day": day, "hour": None, "minute": None}
            value |= {"part": match["part"], "year_source": None, "named": word}
        else:
            value = {
                "kind": "relative",
                "relation": relation,
                "offset": None if offset == "-" else int(offset),
                "offset_unit": None if unit == "-" else unit,
                "part": match["part"],
                "anchor": None,
            }
        out.append(DateMatch(start, end, value))
    return out


def _named_day_in_context(text: str, start: int, end: int) -> bool:
    quoted = start > 0 and text[start - 1] in "“\"'‘「" and text[end : end + 1] in ("”", '"', "'", "’", "」")
    after = text[end + (1 if quoted else 0) :]
    return quoted or after.startswith(_NAMED_DAY_CONTEXT)


def _bare_years(text: str) -> list[DateMatch]:
    """2023 written alone (2023青岛红色旅游书画展): a year, when no digit or unit touches it."""
    out = []
    units = quantity_units()
    for match in _BARE_YEAR.finditer(text):
        if any(text.startswith(unit, match.end()) for unit in units):
            continue  # 2000元, 2046户: a count
        value = {"kind": "absolute", "year": int(match.group()), "month": None, "day": None, "hour": None}
        out.append(DateMatch(match.start(), match.end(), value | {"minute": None, "part": None, "year_source": "bare"}))
    return out


def _years_from_text(dates: list[DateMatch]) -> None:
    """A month or day with no year takes the last year written before it in the same text."""
    year = None
    for date in dates:
        value = date.value
        if value["kind"] != "absolute" or "year_offset" in value:
            continue
        if value["year_source"] == "written":
            year = value["year"]  # a bare 2023 (a name, a count?) passes no year on
        elif value["year"] is None and year is not None and value["month"] is not None:
            value["year"], value["year_source"] = year, "text"


def complete_year(value: dict[str, Any], anchor_date: str | None) -> dict[str, Any]:
    """Fill a missing year (absolute) or the anchor (relative) from the article's or page's date.

    The date may be ISO (2024-03-05) or as a page prints it (2024年3月5日).
    """
    out = dict(value)
    match = re.search(r"((?:19|20)[0-9]{2})(?:[-/年]([0-9]{1,2})(?:[-/月]([0-9]{1,2}))?)?", anchor_date or "")
    if match is None:
        return out
    year = int(match.group(1))
    inherited = out.get("year_source") in (None, "text")  # the article's own date beats a year read earlier
    if out["kind"] == "absolute" and inherited and out["month"] is not None:
        out["year"], out["year_source"] = year + out.get("year_offset", 0), "article"
    elif out["kind"] == "relative":
        parts = [year] + [int(g) for g in match.groups()[1:] if g]
        out["anchor"] = "-".join([f"{parts[0]:04d}"] + [f"{p:02d}" for p in parts[1:]])
    return out


def _int(text: str | None) -> int | None:
    """12, 十二, 二〇二三 (digit by digit) → int."""
    value = None if text is None else parse_number(text)
    return None if value is None else int(value)
