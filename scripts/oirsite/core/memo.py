"""What a live preview keeps from one build to the next (``oirsite.site.BuildCache``)."""

from __future__ import annotations

from typing import Any


class Memo(dict):
    """Results by key, each a function of its key alone (a file's parse by its path and text, a
    check render by its settings and text), holding only what the last build used: ``recall``
    and ``keep`` mark a key as used, ``sweep`` (at the end of a build) drops the rest."""

    def __init__(self) -> None:
        super().__init__()
        self._used: set = set()

    def recall(self, key: Any) -> Any:
        """The result kept for ``key``, or None."""
        self._used.add(key)
        return self.get(key)

    def keep(self, key: Any, value: Any) -> Any:
        self._used.add(key)
        self[key] = value
        return value

    def sweep(self) -> None:
        for key in [key for key in self if key not in self._used]:
            del self[key]
        self._used = set()
