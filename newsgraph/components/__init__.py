"""spaCy components of the newsgraph pipeline, one module each; importing registers them."""

from newsgraph.components import dates, entity_rules, events, officials, places, quantities  # noqa: F401
