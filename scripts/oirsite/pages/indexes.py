"""Index pages and generated lists: each collection renders its own; this collects them."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from .. import collections
from ..graph.catalog import Catalog
from .context import PageContext
from .relmap import organization_map
from ..core.markdown_text import plural


def index_pages(catalog: Catalog, site_url: str = "/") -> dict[str, str]:
    """Every collection's index page: site path -> Markdown."""
    return {spec.index_path: spec.view.render_index(PageContext(catalog, spec.index_path, site_url))
            for spec in collections.registry().values()}


def index_paths() -> list[str]:
    return [spec.index_path for spec in collections.registry().values()]


def blocks(catalog: Catalog, options: Mapping[str, Any]) -> dict[str, Callable[[str], str]]:
    """The generated lists that a page may insert with ``{{ name }}``, from every collection, and
    the count of each collection's entries (``{{ count_events }}``: '3 events'), for the home page's
    cards."""
    found = {name: _block(view, catalog, options)
             for spec in collections.registry().values() for name, view in spec.view.blocks.items()}
    for spec in collections.registry().values():
        found.setdefault(f"count_{spec.name}", _counter(catalog, spec.name, spec.singular))
    found.setdefault("organization_map", _block(organization_map, catalog, options))  # pages/relmap.py
    return found


def _block(view: Callable[[PageContext], str], catalog: Catalog, options: Mapping[str, Any]) -> Callable[[str], str]:
    return lambda page: view(PageContext(catalog, page, options=options))


def _counter(catalog: Catalog, name: str, singular: str) -> Callable[[str], str]:
    count = plural(len(catalog.in_collection(name)), singular)
    return lambda page: count
