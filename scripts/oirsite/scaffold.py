"""Scaffolding: a new entry with the right file name, the required fields and helpful comments.

What it writes passes the check unchanged; placeholder text starts with "TODO" and the check
lists it as a warning until it is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .dates import PartialDate
from .loader import SLUG, SUFFIXES, slugify
from .models import COLLECTIONS, KINDS

TODO = "TODO"


class ScaffoldError(ValueError):
    """A reason not to write the entry, worded for the editor."""


@dataclass
class Request:
    collection: str
    title: str
    entry_id: str | None = None
    date: str | None = None
    end: str | None = None
    kind: str | None = None
    acronym: str | None = None
    type: str | None = None
    expansion: str | None = None


def scalar(value: object) -> str:
    """A YAML scalar, quoted only where YAML needs it."""
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).removesuffix("\n...\n").strip()


def _event(req: Request) -> str:
    if not req.date:
        raise ScaffoldError("an event needs --date (YYYY, YYYY-MM or YYYY-MM-DD)")
    for value in (req.date, req.end):
        if value is not None:
            try:
                PartialDate.parse(value)
            except ValueError as exc:
                raise ScaffoldError(str(exc)) from None
    end = f"end: {req.end}" if req.end else "# end: YYYY-MM-DD     "
    return f"""---
# A new event. Replace every TODO, then run: python scripts/build.py --check
title: {scalar(req.title)}
date: {req.date}          # a year (2024), a month (2024-05) or a day (2024-05-27)
{end}  # the last day, for an event that spans days
# place: {{city: Kigali, country: Rwanda}}
organizations: []         # ids of files in content/organizations/, for example [wma]
people: []                # ids of files in content/people/
tags: []                  # short words, for example [general assembly]
summary: {scalar(TODO + ": one sentence that the lists and the feed show.")}
---

{TODO}: what happened, in Markdown. Link an entry by its id in double square brackets, `[[like-this]]`.
"""


def _organization(req: Request) -> str:
    if req.kind not in KINDS:
        raise ScaffoldError("an organization needs --kind, one of: " + ", ".join(KINDS))
    acronym = f"acronym: {scalar(req.acronym)}" if req.acronym else "# acronym: ABC"
    return f"""# A new organization. Replace every TODO, then run: python scripts/build.py --check
name: {scalar(req.title)}
{acronym}
kind: {req.kind}
# parent: ama             # the id of the organization this one is part of
summary: {scalar(TODO + ": one or two sentences on what it is and how it relates to the OIR or IFMSA.")}
# website: https://...    # only an address you are sure of
"""


def _person(req: Request) -> str:
    return f"""# A new person. Replace every TODO, then run: python scripts/build.py --check
name: {scalar(req.title)}
credentials: []           # for example [MD, MHA]
roles: []
#  - organization: wma    # the id of an organization
#    title: President
#    years: 2023–2024
summary: {scalar(TODO + ": who they are, in one sentence.")}
"""


def _activity(req: Request) -> str:
    return f"""---
# A new OIR activity. Replace every TODO, then run: python scripts/build.py --check
title: {scalar(req.title)}
order: 99                 # its place in the list of activities
organizations: []         # ids of files in content/organizations/
summary: {scalar(TODO + ": what the OIR does, in one sentence.")}
---
"""


def _committee(req: Request) -> str:
    if not req.acronym:
        raise ScaffoldError("a committee needs --acronym, for example --acronym SCOME")
    if req.type not in ("exchange", "project"):
        raise ScaffoldError("a committee needs --type exchange or --type project")
    return f"""# A new IFMSA standing committee. Replace every TODO, then run: python scripts/build.py --check
acronym: {scalar(req.acronym)}
name: {scalar(req.title)}
type: {req.type}
focus: {scalar(TODO + ": its focus, in a few words.")}
organization: ifmsa
"""


def _term(req: Request) -> str:
    if not req.expansion:
        raise ScaffoldError("a glossary term needs --expansion, for example --expansion 'National Member Organization'")
    return f"""# A new glossary term: an acronym that is not an organization's or a committee's.
term: {scalar(req.title)}
expansion: {scalar(req.expansion)}
# refers_to: ifmsa        # the id of the entry the term stands for, if any
"""


TEMPLATES = {
    "events": (_event, ".md"),
    "organizations": (_organization, ".yml"),
    "people": (_person, ".yml"),
    "activities": (_activity, ".md"),
    "committees": (_committee, ".yml"),
    "glossary": (_term, ".yml"),
}
SINGULAR_TO_COLLECTION = {c.singular.split()[-1]: name for name, c in COLLECTIONS.items()} | {
    "term": "glossary", "organization": "organizations", "event": "events"}


def create(root: Path, req: Request, content_dir: str = "content") -> Path:
    """Write the new entry and return its path; raise ScaffoldError (nothing written) if it can't."""
    template, suffix = TEMPLATES[req.collection]
    entry_id = req.entry_id or slugify(req.acronym if req.collection == "committees" and req.acronym else req.title)
    if not entry_id or not SLUG.match(entry_id):
        raise ScaffoldError(f"'{entry_id}' is not a valid id: use lowercase letters, digits and single hyphens (--id)")
    base = root / content_dir
    for existing in sorted(base.glob(f"*/{entry_id}.*")):
        if existing.suffix in SUFFIXES:
            raise ScaffoldError(f"{existing.relative_to(root).as_posix()} already exists with the id '{entry_id}': "
                                "choose another id with --id")
    text = template(req)
    path = base / req.collection / f"{entry_id}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return path
