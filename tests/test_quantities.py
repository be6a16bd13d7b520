"""Properties of the quantity scanner and component: no input crashes them, spans stay sane."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.quantities import find_quantities

from .conftest import assert_ordered_spans

QUANTITY_CHARS = (
    "0123456789.,~-一二两三四五六七八九十百千万亿零点分之个家名次米%℃级元约近超过余多左右以上以下不足第几数年月日“”率 "
)


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(QUANTITY_CHARS), max_size=40) | st.text(max_size=40))
def test_no_text_crashes_the_scanner_and_matches_are_sane(text):
    found = find_quantities(text)
    assert_ordered_spans(found, text)
    for q in found:
        assert q.value >= 0 or q.unit in ("℃", "度")  # only temperatures go below zero
        assert (q.low is None) == (q.high is None)
        assert q.low is None or q.low < q.high


@pytest.fixture(scope="module")
def nlp():
    from newsgraph.pipeline import load_pipeline

    return load_pipeline()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(QUANTITY_CHARS + "液化气罐商户单位的"), max_size=40))
def test_no_text_crashes_the_component(nlp, text):
    doc = nlp(text)
    for ent in doc.ents:
        if ent.label_ == "QUANTITY":
            q = ent._.quantity
            assert q is not None
            assert q["object"] != ""
            assert isinstance(q["value"], int | float)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("开展活动3次", "3次"),
        ("工作3年", "3年"),
        ("共查处3起", "3起"),
        ("投入资金30万元", "30万元"),
        ("达到三成", "三成"),
    ],
)
def test_a_quantity_at_the_very_end_of_a_text_is_found(text, span):
    """Headlines and titles often end on the number: no following character must not matter."""
    assert [text[q.start : q.end] for q in find_quantities(text)] == [span]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 万/亿 (and 千/百 of metric units) belong to the unit when it takes them, else to the value
        ("近万元", [("近万元", 1, "万元", None, None)]),
        ("万余人次", [("万余人次", 1, "万人次", None, None)]),
        ("3~5万元", [("3~5万元", 3, "万元", 3, 5)]),
        ("3至5万人", [("3至5万人", 30000, "人", 30000, 50000)]),
        ("三四万元", [("三四万元", 3, "万元", 3, 4)]),
        ("千万元", [("千万元", 1000, "万元", None, None)]),
        ("80千克", [("80千克", 80, "千克", None, None)]),
        ("两千元", [("两千元", 2000, "元", None, None)]),
        ("3千余人", [("3千余人", 3000, "人", None, None)]),
        ("3千瓦时", [("3千瓦时", 3, "千瓦时", None, None)]),
        # temperatures below zero
        ("零下5℃", [("零下5℃", -5, "℃", None, None)]),
        ("-8℃至-2℃", [("-8℃至-2℃", -8, "℃", -8, -2)]),
        ("-5℃~3℃", [("-5℃~3℃", -5, "℃", -5, 3)]),
        ("百分之九十五点五", [("百分之九十五点五", 95.5, "%", None, None)]),
        ("3个小时", [("3个小时", 3, "个小时", None, None)]),
        ("下降3个百分点", [("3个百分点", 3, "个百分点", None, None)]),
        ("历时3个多月", [("3个多月", 3, "个月", None, None)]),
        ("工作3年多", [("3年多", 3, "年", None, None)]),
        # no quantities
        ("千方百计", []),
        ("千万不要大意", []),
        ("建党100周年", []),
        ("落实八项规定", []),
        ("服务零距离", []),
        ("0532-87139933", []),
    ],
)
def test_scaled_units_signs_and_set_phrases(text, expected):
    got = [(text[q.start : q.end], q.value, q.unit, q.low, q.high) for q in find_quantities(text)]
    assert got == expected


def test_long_numeral_runs_scan_in_linear_time():
    """A rejected match skips its whole numeral: 200,000 digits take well under a second, not 20 s."""
    import time

    for char in "1一十":
        start = time.perf_counter()
        find_quantities(char * 200_000)
        assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    ("text", "model_span", "entities"),
    [
        # the model's ORG runs into the count: the quantity wins
        ("检查燃气灶具15台。", ("检查燃气灶具15台", "ORG"), [("15台", "QUANTITY")]),
        # a name that holds a count inside keeps it (the longer span)
        ("入住七天连锁酒店。", ("七天连锁酒店", "ORG"), [("七天连锁酒店", "ORG")]),
    ],
)
def test_quantities_meet_the_model_spans(text, model_span, entities):
    from newsgraph.components.quantities import QuantityComponent
    from newsgraph.paths import CORE_MODEL
    from newsgraph.pipeline import load_pipeline

    core = load_pipeline(CORE_MODEL)
    with core.select_pipes(disable=["newsgraph_quantities", "newsgraph_dates"]):
        doc = core(text)
    start = text.index(model_span[0])
    span = doc.char_span(start, start + len(model_span[0]), label=model_span[1])
    doc.ents = [span]
    QuantityComponent()(doc)
    assert [(e.text, e.label_) for e in doc.ents] == entities
