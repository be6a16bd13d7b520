"""spaCy components of the newsgraph pipeline, one module each; importing registers them."""

from newsgraph.components import dates, entity_rules, officials, places, quantities  # noqa: F401
