"""A run killed at random moments (SIGKILL: no handler runs) and resumed each time gives
every record exactly once, byte for byte the records of a run never killed."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
KILLS = 20


def newsgraph(*args: str) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("newsgraph")
    return subprocess.Popen([str(exe), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def articles(path: Path, copies: int = 2) -> Path:
    """The hand-written event cases, twice with other ids: about four chunks of articles."""
    lines = []
    for name in ("event_cases.jsonl", "event_cases_heldout.jsonl"):
        for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            lines.extend(
                json.dumps({"id": f"{case['id']}/{i}", "text": case["text"]}, ensure_ascii=False) for i in range(copies)
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_twenty_random_kills_each_resumed_lose_and_repeat_nothing(tmp_path):
    source = articles(tmp_path / "arts.jsonl")
    clean = tmp_path / "clean.jsonl"
    started = time.perf_counter()
    assert newsgraph("annotate", str(source), "-o", str(clean)).wait() == 0
    whole_run = time.perf_counter() - started
    out = tmp_path / "out.jsonl"
    rng = random.Random(20261204)
    killed = 0
    for _ in range(KILLS):
        run = newsgraph("annotate", str(source), "-o", str(out), "--resume")
        time.sleep(rng.uniform(0.0, whole_run))
        if run.poll() is None:
            os.kill(run.pid, signal.SIGKILL)
            killed += 1
        run.wait()
        if run.returncode not in (0, -signal.SIGKILL):
            pytest.fail(f"a resumed run failed: {run.stderr.read().decode()}")
        part = tmp_path / ".out.jsonl.part"
        if part.exists():  # what a kill left: each record once, whole lines only up to the manifest
            ids = [json.loads(line)["id"] for line in part.read_text(encoding="utf-8").splitlines()[:-1]]
            assert len(ids) == len(set(ids))
    last = newsgraph("annotate", str(source), "-o", str(out), "--resume")
    assert last.wait() == 0, last.stderr.read().decode()
    assert killed >= KILLS // 2  # most runs were killed before they finished, not after
    assert out.read_bytes() == clean.read_bytes()
    assert not list(tmp_path.glob(".out.jsonl.*"))
