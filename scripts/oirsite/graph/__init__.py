"""Stage 5, graph: the catalog of entries, reference resolution and the rules that hold for every collection."""
