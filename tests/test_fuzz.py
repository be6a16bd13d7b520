"""No input crashes a reader: hypothesis over page text and bytes, article and record JSONL,
resume manifests and the pipeline's pure pieces. Each reader returns or raises InputError.

The mutations of real seeds live in tests/fuzz_inputs.py, shared with bench/fuzz.py (a million
inputs); here hypothesis adds its own generated values and shrinks any failure it finds.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fuzz_inputs import MANIFEST, SEEDS, TARGETS, crashes, generate, mutate_json

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def no_crash(kind: str, value) -> None:
    error = crashes(TARGETS[kind], value)
    assert error is None, f"{kind} crashed on {value!r:.300}: {type(error).__name__}: {error}"


@pytest.mark.parametrize("kind", sorted(TARGETS))
@FUZZ
@given(rng=st.randoms(use_true_random=False))
def test_mutated_seeds_never_crash_a_reader(kind, rng):
    no_crash(kind, generate(rng, kind))


@FUZZ
@given(text=st.text())
def test_any_text_is_a_page_or_one_error(text):
    no_crash("page", text)
    no_crash("fast_path", text)


@FUZZ
@given(data=st.binary())
def test_any_bytes_are_a_page_or_one_error(data):
    no_crash("page_bytes", data)


@FUZZ
@given(values=st.lists(json_values, min_size=1, max_size=4))
def test_any_json_lines_are_articles_records_or_errors(values):
    text = "\n".join(json.dumps(v) for v in values)
    no_crash("articles", text)
    no_crash("records", text)
    no_crash("manifest", text)


@FUZZ
@given(rng=st.randoms(use_true_random=False), key=st.sampled_from(["id", "text", "title", "date"]), value=json_values)
def test_any_value_of_an_article_field_is_read_or_refused(rng, key, value):
    article = json.loads(rng.choice(SEEDS["articles"]))
    article[key] = value
    no_crash("articles", json.dumps(article))


@FUZZ
@given(rng=st.randoms(use_true_random=False), value=json_values)
def test_any_value_anywhere_in_a_record_is_read_or_refused(rng, value):
    record = mutate_json(rng, json.loads(rng.choice(SEEDS["records"])))
    node = record
    while isinstance(node, dict | list) and node and rng.random() < 0.7:
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        if not isinstance(node[key], dict | list):
            node[key] = value
            break
        node = node[key]
    no_crash("records", json.dumps(record))


def test_the_manifest_seed_is_a_manifest_the_reader_accepts():
    """The fuzzing starts from a manifest that is right, so what it finds is in the checks."""
    assert TARGETS["manifest"](MANIFEST) == 4
    assert TARGETS["records"]("\n".join(SEEDS["records"])) > 0
