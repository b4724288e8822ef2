"""The site's one MkDocs plugin (``oirsite``, pyproject.toml's entry point, last under ``plugins:``): the
thin adapter between the content layer, which never imports MkDocs, and the engine, so that ``mkdocs build``,
``mkdocs serve`` and ``scripts/build.py`` all run the same checks. ``plugin`` (content, sanitizer,
Content-Security-Policy, wayfinding), ``live`` (the live preview), ``offline`` (the offline search shim)."""
