"""Stage 1, model: the field types and the annotation walker (``fields``)."""
