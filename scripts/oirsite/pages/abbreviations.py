"""The glossary's acronyms as Markdown abbreviations: each page gets the ones it uses."""

from __future__ import annotations

import re

_WORDS = re.compile(r"[\w-]+|\w+")


def used_abbreviations(markdown: str, abbreviations: dict[str, str]) -> dict[str, str]:
    """The abbreviations that occur in ``markdown``: a page needs only those, and Markdown's
    cost per page grows with the number it is given (one pattern of all of them)."""
    words = set(_WORDS.findall(markdown)) | set(re.findall(r"\w+", markdown))
    return {acronym: expansion for acronym, expansion in abbreviations.items() if acronym in words}


def abbreviations_markdown(abbreviations: dict[str, str]) -> str:
    """The same abbreviations as Markdown definitions, for engines that read them from the page."""
    return "\n".join(f"*[{acronym}]: {expansion}" for acronym, expansion in abbreviations.items())
