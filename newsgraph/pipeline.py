"""Load the spaCy pipeline: a saved model folder or a config in `pipelines/`. Never from the network.

A missing or broken model is an error that names the folder and how to rebuild it: there
is no silent fall-back to another segmenter, whose words (and so every span) would differ.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

import newsgraph.tokenizer  # noqa: F401 - registers our tokenizer for configs and saved models
from newsgraph.errors import InputError
from newsgraph.extensions import register_extensions
from newsgraph.paths import DEFAULT_PIPELINE, RETRAIN_HINT


def load_pipeline(model: Path | None = None) -> Language:
    """`model` is a saved pipeline folder or a `.cfg` file; None means the shipped core model."""
    register_extensions()
    path = model or DEFAULT_PIPELINE
    if not path.exists():
        raise InputError(str(path), f"model not found: {RETRAIN_HINT}, or pass --model")
    try:
        if path.is_dir():
            return spacy.load(path)
        config = spacy.util.load_config(path)
        return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    except Exception as err:
        text = str(err).strip()
        first = text.splitlines()[0] if text else type(err).__name__
        hint = f"; {RETRAIN_HINT}" if path.is_dir() else ""
        raise InputError(str(path), f"cannot load model ({type(err).__name__}: {first}){hint}") from None
