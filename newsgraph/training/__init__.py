"""Training: converters from the public corpora, and the commands that train the shipped models."""
