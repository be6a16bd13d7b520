"""Load the spaCy pipeline: a saved model folder or a config in `pipelines/`. Never from the network."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from newsgraph.errors import InputError
from newsgraph.extensions import register_extensions
from newsgraph.paths import DEFAULT_PIPELINE


def load_pipeline(model: Path | None = None) -> Language:
    """`model` is a saved pipeline folder or a `.cfg` file; None means the default pipeline."""
    register_extensions()
    path = model or DEFAULT_PIPELINE
    if not path.exists():
        raise InputError(str(path), "pipeline not found (a saved model folder or a .cfg file from pipelines/)")
    try:
        if path.is_dir():
            return spacy.load(path)
        config = spacy.util.load_config(path)
        return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    except (OSError, ValueError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise InputError(str(path), f"cannot load pipeline: {first}") from None
