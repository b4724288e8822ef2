"""The check's rules as the web editor's forms say them (``oirsite.cms``): the patterns and
messages of ids, dates and links, and the hints, made from the same models and limits the check
uses (``oirsite.models``, ``oirsite.dates``), so that the form refuses what the check would.
"""

from __future__ import annotations

from typing import Any, Iterator

from ..model import fields as models
from ..core.dates import DATE_PATTERN, FIRST_YEAR, LAST_YEAR

# The title of a new entry becomes its file name by the CMS's slug rules: lowercased, accents
# removed, every character but [a-z0-9_.~-] replaced by '-', '.' made '-', repeated and outer
# hyphens dropped. What is left is a valid id unless it keeps '_' or '~' or is empty.
IDENTIFIER_PATTERN = r"^[^_~]*[A-Za-z0-9][^_~]*$"
IDENTIFIER_MESSAGE = ("The file name of a new entry is made from this field: use at least one letter or digit, "
                      "and no _ or ~")
IDENTIFIER_HINT = (f"A new entry's id (its file name) is made from this field: lowercase, accents removed, "
                   f"other characters become hyphens, at most {models.MAX_ID_LENGTH} characters (a longer one is cut).")


def _digits(low: str, high: str) -> str:
    """A regular expression for the numbers from ``low`` to ``high``, both written with as many digits."""
    if low == high:
        return low
    if low == "0" * len(low) and high == "9" * len(high):
        return rf"\d{{{len(low)}}}" if len(low) > 1 else r"\d"
    if len(low) == 1:
        return f"[{low}-{high}]"
    if low[0] == high[0]:
        return low[0] + _digits(low[1:], high[1:])
    rest = len(low) - 1
    parts = [low[0] + _digits(low[1:], "9" * rest)]
    if int(high[0]) - int(low[0]) > 1:
        parts.append(_digits(str(int(low[0]) + 1), str(int(high[0]) - 1)) + _digits("0" * rest, "9" * rest))
    parts.append(high[0] + _digits("0" * rest, high[1:]))
    return "(?:" + "|".join(parts) + ")"


# The dates the site can show (oirsite.dates.PartialDate): the check's years, months 01-12, days
# 01-31 (a 31 in a 30-day month is left to the check, which says which).
SHOWN_DATE_PATTERN = (f"^{_digits(f'{FIRST_YEAR:04d}', f'{LAST_YEAR:04d}')}"
                      r"(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
DATE_MESSAGE = (f"A date the site can show: YYYY, YYYY-MM or YYYY-MM-DD (for example 2023-10-04), "
                f"a year from {FIRST_YEAR} to {LAST_YEAR}")
URL_MESSAGE = ("An address that starts with https:// (the site links to https addresses only: not http:, "
               "mailto: or javascript:), without spaces, quotes or < >")
SOURCES_HINT = "Required: an entry that states facts names at least one source, else the check refuses it."
OPEN_HINT = ("If the sources leave it open, the file says why (an 'open' note): editing this field "
             "replaces that note.")
OPEN_DROPPED_HINT = ("The form does not show an open note: saving here drops it (edit such an entry in git "
                     "or in the local editor, which keeps it).")
REWRITE_HINT = ("Saving writes this file again as a whole: its comments are dropped and its fields follow the "
                "order of this form (to keep them, edit the file in git).")


def pattern_message(name: str, pattern: str) -> str:
    if pattern == models.ID_PATTERN:
        return "An id: lowercase letters, digits and single hyphens (the file name without .yml or .md)"
    if pattern == DATE_PATTERN:
        return DATE_MESSAGE
    if pattern.startswith("^https://"):
        return URL_MESSAGE
    if "@" in pattern:
        return "An e-mail address"
    return {
        "years": "A year (2020) or a span of years (2020–2021)",
        "reviewed": "A day: YYYY-MM-DD, for example 2024-05-27",
        "credentials": "A short abbreviation such as MD or MHA",
        "tags": "A short phrase of letters, digits, spaces, hyphens and apostrophes",
    }.get(name, "This value has the wrong form")


def field_choices(node: dict) -> list[dict]:
    """The alternatives of a field without its null one (an optional field is not required)."""
    return [c for c in node.get("anyOf", [node]) if c.get("type") != "null"]


def is_open_field(node: dict) -> bool:
    return node.get("type") == "object" and set(node.get("properties", {})) == {"open"}


def field_hint(name: str, node: dict, direct: str | None, item: str | None, known: dict[str, Any]) -> str | None:
    parts = [node.get("description", "").strip()]
    choices = field_choices(node)
    target = item or direct
    if target and target in known:
        what = known[target].singular
        parts = [parts[0] if not parts[0].startswith("The id of") else "",
                 f"Pick {'one or more' if item else 'one'} {what}{'s' if item and not what.endswith('s') else ''} "
                 f"from the list: it offers only existing ones."]
    if any(is_open_field(c) for c in choices):
        parts.append(OPEN_HINT)
    text = " ".join(p for p in parts if p)
    return text or None


def all_fields(fields: list[dict]) -> Iterator[dict]:
    for field in fields:
        yield field
        yield from all_fields(field.get("fields", []))
        if "field" in field:
            yield from all_fields([field["field"]])
