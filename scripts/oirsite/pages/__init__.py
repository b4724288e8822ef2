"""Stage 7, pages: the page context, entry and index pages, abbreviations; applies each collection's view."""
