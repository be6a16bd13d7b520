"""Load the spaCy pipeline: a saved model folder or a config in `pipelines/`. Never from the network.

A missing or broken model is an error that names the folder and how to rebuild it: there
is no silent fall-back to another segmenter, whose words (and so every span) would differ.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

import newsgraph.components  # registers our components for configs and saved models
import newsgraph.tokenizer  # noqa: F401 - registers our tokenizer
from newsgraph.errors import InputError
from newsgraph.extensions import register_extensions
from newsgraph.paths import DEFAULT_PIPELINE, RETRAIN_HINT


def load_pipeline(model: Path | None = None) -> Language:
    """`model` is a saved pipeline folder or a `.cfg` file; None means the shipped core model."""
    register_extensions()
    path = model or DEFAULT_PIPELINE
    fix = RETRAIN_HINT if path == DEFAULT_PIPELINE else "check the folder or config given with --model"
    if not path.exists():
        raise InputError(str(path), f"model not found: {fix}")
    try:
        if path.is_dir():
            nlp = spacy.load(path)
        else:
            config = spacy.util.load_config(path)
            nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
        # a folder missing a part (vocab/, say) loads, then fails on first use: use it once
        _ = [(t.tag_, t.ent_type_) for t in nlp("检查。")]
    except ImportError as err:
        raise InputError(str(path), f"cannot load model: {err}") from None
    except Exception as err:  # any other failure to load means a broken model
        text = str(err).strip()
        first = text.splitlines()[0] if text else type(err).__name__
        raise InputError(str(path), f"cannot load model ({type(err).__name__}: {first}); {fix}") from None
    return nlp
