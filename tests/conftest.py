from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_PAGE = ROOT / "corpus" / "pages" / "page-000.txt"
GOLD = ROOT / "corpus" / "gold" / "page-000.jsonl"
GOLD_SPEC = ROOT / "corpus" / "gold" / "page-000.spec.json"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PAGE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_page(seed_text):
    from newsgraph.page import read_page

    return read_page(seed_text, str(SEED_PAGE))
