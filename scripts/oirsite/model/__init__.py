"""Stage 1, model: the field types, the annotation walker and what a collection declares (``Collection``)."""
