"""The site's one MkDocs plugin (``oirsite``, the entry point in pyproject.toml, listed last under
``plugins:`` in mkdocs.yml): the thin adapter between the content layer (``oirsite``, which never
imports MkDocs) and the engine. ``mkdocs build``, ``mkdocs serve`` and ``scripts/build.py`` all run
the same checks through it: a content error aborts every one of them, with the file and line of
each problem. Its parts: ``plugin`` (content, sanitizer, Content-Security-Policy, wayfinding),
``live`` (the live preview) and ``offline`` (the offline build's search shim)."""
