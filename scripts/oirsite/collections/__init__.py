"""The collections: each module of this package declares one with a ``SPEC``.

A new collection is one new module here (its model and its ``CollectionSpec``) plus its folder
under ``content/``: the registry finds it, and every stage reads it from here.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import pkgutil
from typing import Any

from ..model.collection import CollectionSpec, FeedItem, Recurrence, ScaffoldRequest

__all__ = ["CollectionSpec", "FeedItem", "Recurrence", "ScaffoldRequest", "registry", "get", "calendar_items",
           "calendar_organizations"]


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


def calendar_items(catalog: Any, day: dt.date) -> list[tuple[Any, FeedItem | Recurrence]]:
    """What the calendars hold on ``day``: every dated entry known to the day (oldest first), then
    every recurring one whose months are known (by id), each with what it contributes. (Worked out
    once per catalog and day: the site's calendar and each organization's read it.)"""
    return catalog.derived(("calendar_items", day), lambda: _calendar_items(catalog, day))


def _calendar_items(catalog: Any, day: dt.date) -> list[tuple[Any, FeedItem | Recurrence]]:
    dated = sorted(((e, e.spec.feed_item(e)) for e in catalog.entries.values() if e.spec.in_calendar(e)),
                   key=lambda pair: (pair[1].date.first_day, pair[0].id))
    recurring = [(e, item) for e in sorted(catalog.entries.values(), key=lambda e: e.id)
                 if e.spec.recurrence is not None and (item := e.spec.recurrence(catalog, e, day)) is not None]
    return [*dated, *recurring]


def calendar_organizations(catalog: Any, day: dt.date) -> frozenset[str]:
    """The ids of the organizations that the calendars' items name: each has a calendar of its own.
    (Asked by every organization's page: worked out once per catalog and day.)"""
    return catalog.derived(("calendar_organizations", day), lambda: frozenset(
        org for _, item in calendar_items(catalog, day) for org in item.categories))
