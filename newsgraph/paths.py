"""Where the project's shipped files live: `pipelines/`, `models/`, `corpus/` beside the package."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PIPELINES = PROJECT_ROOT / "pipelines"
MODELS = PROJECT_ROOT / "models"
CORPUS = PROJECT_ROOT / "corpus"
DEFAULT_PIPELINE = PIPELINES / "base.cfg"
