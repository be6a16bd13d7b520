"""Where the project's shipped files live: `pipelines/`, `models/`, `corpus/` beside the package."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PIPELINES = PROJECT_ROOT / "pipelines"
MODELS = PROJECT_ROOT / "models"
CORPUS = PROJECT_ROOT / "corpus"
TRAINING = PROJECT_ROOT / "training"  # converted corpora and checkpoints, never committed
SHARED_CORPORA = PROJECT_ROOT.parent / "shared" / "corpora"
DEFAULT_RMRB = SHARED_CORPORA / "peoples_daily_1998_pos" / "RMRB.txt"
BASE_PIPELINE = PIPELINES / "base.cfg"
CORE_MODEL = MODELS / "zh_core"
NEWS_MODEL = MODELS / "zh_news"  # core + entity recogniser + rules: what `annotate` uses
DEFAULT_PIPELINE = NEWS_MODEL
RETRAIN_HINT = "rebuild it with `newsgraph train core` and `newsgraph train ner` (see models/MODEL_CARD.md)"
