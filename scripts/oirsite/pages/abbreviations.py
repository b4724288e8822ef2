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


_ABBR = re.compile(r"<abbr\b[^>]*>([^<]*)</abbr>")


def first_use_only(html: str) -> str:
    """The page's HTML with each acronym explained (its ``<abbr title>`` tooltip) where it is first
    used, and plain text at every later use: a reader learns it once, and the text is not underlined
    throughout. Runs on sanitized HTML, in which an ``<abbr>`` holds text only."""
    seen: set[str] = set()

    def keep_first(match: re.Match) -> str:
        word = match.group(1)
        if word in seen:
            return word
        seen.add(word)
        return match.group(0)

    return _ABBR.sub(keep_first, html)
