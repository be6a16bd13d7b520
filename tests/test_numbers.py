"""The numeral parser: every written form news text uses, and no input that crashes it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.numbers import CN_NUMERAL_CHARS, as_json_number, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("103", 103),
        ("1,200", 1200),
        ("12,345,678", 12345678),
        ("3.5", 3.5),
        ("0.25", 0.25),
        ("一百零三", 103),
        ("两千", 2000),
        ("三万五千", 35000),
        ("十五", 15),
        ("二十", 20),
        ("一千零一", 1001),
        ("一万零五百", 10500),
        ("一亿五千万", 150_000_000),
        ("三亿", 300_000_000),
        ("二〇二三", 2023),
        ("一点五", 1.5),
        ("1.2万", 12000),
        ("165万", 1_650_000),
        ("3亿", 300_000_000),
        ("百分之九十", 90),
        ("百分之五十五", 55),
        ("千分之三", 3),
        ("三分之一", 1 / 3),
        ("四分之三", 0.75),
        ("零", 0),
        ("四", 4),
    ],
)
def test_numerals(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text", ["", "几十", "数十", "三五", "七八", "三十五百", "万万", "1,2,3", "1.2.3", "abc", "百分之", "零分之一"]
)
def test_not_numbers(text):
    assert parse_number(text) is None


def test_json_numbers_drop_a_zero_fraction():
    assert as_json_number(103.0) == 103 and isinstance(as_json_number(103.0), int)
    assert as_json_number(2.5) == 2.5


@settings(max_examples=500)
@given(
    st.text(alphabet=st.sampled_from(CN_NUMERAL_CHARS + "0123456789.,点分之余 "), max_size=12) | st.text(max_size=12)
)
def test_no_input_crashes_the_parser(text):
    value = parse_number(text)
    assert value is None or value >= 0


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_integers_and_thousands_separators_round_trip(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
