"""Rendering: the catalog becomes Markdown pages, as plain strings keyed by their site path.

One module per page kind: ``entity`` (an entry's page), ``indexes`` (a collection's index page and
the generated lists), ``abbreviations`` (the glossary as Markdown abbreviations); ``markdown``
holds the one escaping function and the shared pieces; ``context`` what a renderer may ask.
Links between generated pages are relative Markdown links, so the engine checks and rewrites
them like any hand-written link.
"""

from .abbreviations import abbreviations_markdown, used_abbreviations  # noqa: E402,F401  (the adapters' imports)
