"""spaCy components of the newsgraph pipeline, one module each; importing registers them."""

from newsgraph.components import quantities  # noqa: F401
