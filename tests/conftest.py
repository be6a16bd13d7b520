from __future__ import annotations

import itertools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_PAGE = ROOT / "corpus" / "pages" / "page-000.txt"
GOLD = ROOT / "corpus" / "gold" / "page-000.jsonl"
GOLD_SPEC = ROOT / "corpus" / "gold" / "page-000.spec.json"
RMRB_FIXTURE = Path(__file__).parent / "fixtures" / "rmrb_sample.txt"  # 150 hand-written sentences
# The real corpus, beside the project; tests that read it skip where it is absent.
RMRB = ROOT.parent / "shared" / "corpora" / "peoples_daily_1998_pos" / "RMRB.txt"


def quantity(mention: str | None, value: float, unit: str | None, obj: str | None, **attrs: object) -> dict:
    """A quantity record with every attribute of docs/ANNOTATION.md; those not given are null."""
    base = {"approx": None, "comparator": None, "low": None, "high": None}
    return {"mention": mention, "value": value, "unit": unit, **base, **attrs, "object": obj}


def assert_ordered_spans(found, text: str) -> None:
    """Matches (with .start/.end) lie inside `text`, are not empty, and follow one another without overlap."""
    assert all(0 <= m.start < m.end <= len(text) for m in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_page(seed_text):
    from newsgraph.page import read_page

    return read_page(seed_text, str(SEED_PAGE))
