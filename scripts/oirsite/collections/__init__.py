"""The collections: each module of this package declares one with a ``SPEC``.

A new collection is one new module here (its model and its ``CollectionSpec``) plus its folder
under ``content/``: the registry finds it, and every stage reads it from here.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from ..model.collection import CollectionSpec, FeedItem, ScaffoldRequest

__all__ = ["CollectionSpec", "FeedItem", "ScaffoldRequest", "registry", "get"]


@functools.cache
def registry() -> dict[str, CollectionSpec]:
    """Every collection, by folder name, in display order."""
    specs: list[CollectionSpec] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "spec":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        spec = getattr(module, "SPEC", None)
        if not isinstance(spec, CollectionSpec):
            raise TypeError(f"{module.__name__} declares no SPEC = CollectionSpec(...)")
        specs.append(spec)
    names = [spec.name for spec in specs]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise TypeError(f"two collection modules declare the same name: {', '.join(sorted(duplicates))}")
    return {spec.name: spec for spec in sorted(specs, key=lambda s: (s.order, s.name))}


def get(name: str) -> CollectionSpec:
    return registry()[name]
