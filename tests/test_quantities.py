"""Properties of the quantity scanner and component: no input crashes them, spans stay sane."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.quantities import find_quantities

QUANTITY_CHARS = (
    "0123456789.,~-一二两三四五六七八九十百千万亿零点分之个家名次米%℃级元约近超过余多左右以上以下不足第几数年月日“”率 "
)


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(QUANTITY_CHARS), max_size=40) | st.text(max_size=40))
def test_no_text_crashes_the_scanner_and_matches_are_sane(text):
    found = find_quantities(text)
    assert all(0 <= q.start < q.end <= len(text) for q in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    for q in found:
        assert q.value >= 0
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
