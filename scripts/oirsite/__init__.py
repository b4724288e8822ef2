"""The site's content layer: read, validate, resolve and render the entries in ``content/``.

Nothing in this package imports MkDocs: ``scripts/mkdocs_hooks.py`` is the one thin adapter
between this package and the engine. The data flows one way::

    source (safe reading, YAML with positions) -> models (pydantic) -> loader (entries)
    -> catalog (references, backlinks) -> markup (inline references, links, unsafe HTML)
    -> render (pages) and syndication (feed, calendars, JSON-LD)

``oirsite.site.build_site`` runs the whole flow and returns pages plus diagnostics; ``export``
writes them out as plain Markdown; ``scaffold``, ``schemas`` and ``external`` serve the editors.
"""
