"""People named in the sources, with their roles in organizations."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from ..core.escape import yaml_scalar as scalar
from ..core.markdown_text import esc, front_matter, section
from ..model.fields import Role, EntryModel, Text
from . import CollectionSpec, Scaffold, ScaffoldRequest, TODO, View
from .organizations import org_ref, schema_org


class Person(EntryModel):
    name: Text
    credentials: list[Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z.]{0,9}$")]] = []
    roles: list[Role] = []
    summary: Text | None = None

    @property
    def display_name(self) -> str:
        return ", ".join([self.name, *self.credentials])


def when(role: Role) -> str:
    """A role's years where the sources give them: ' (2023–2024)', or ' (in 2021)' for a role stated then."""
    years = role.years or (f"in {role.as_of}" if role.as_of else "")
    return f" ({esc(years)})" if years else ""


def render(ctx: PageContext, entry: Entry, body: str) -> list[str]:
    person: Person = entry.data  # type: ignore[assignment]
    roles = []
    for role in person.roles:
        org = ctx.get(role.organization, "organizations")
        roles.append(f"- {esc(role.title)}, {ctx.link(org) if org else esc(role.organization)}{when(role)}")
    return [body or esc(person.summary or ""), section("Roles", "\n".join(roles)).lstrip("\n")]


def _sort_key(entry: Entry) -> str:
    return entry.data.name.split()[-1].lower()


def render_index(ctx: PageContext) -> str:
    items = []
    for entry in sorted(ctx.in_collection("people"), key=_sort_key):
        roles = "; ".join(f"{esc(r.title)}, {esc(org.title)}{when(r)}" for r in entry.data.roles
                          if (org := ctx.get(r.organization, "organizations")) is not None)
        items.append(f"- {ctx.link(entry)}" + (f": {roles}" if roles else ""))
    return (front_matter(description="The people named on this site, with their roles and years.")
            + "# People\n\nThe people named on this site, with their roles.\n\n" + "\n".join(items) + "\n")


def json_ld(ctx: PageContext, entry: Entry) -> dict:
    person: Person = entry.data  # type: ignore[assignment]
    affiliations: list[dict] = []
    for ref in (org_ref(ctx, role.organization) for role in person.roles):
        if ref is not None and ref not in affiliations:
            affiliations.append(ref)
    return schema_org("Person", name=person.name, url=ctx.url(entry), honorificSuffix=", ".join(person.credentials),
                      affiliation=affiliations, description=person.summary)


def template(req: ScaffoldRequest) -> str:
    return f"""---
# A new person. Replace every TODO, then run: python scripts/build.py --check
name: {scalar(req.title)}
credentials: []           # for example [MD, MHA]
roles: []
#  - organization: wma    # the id of an organization
#    title: President
#    years: 2023–2024
summary: {scalar(TODO + ": who they are, in one sentence.")}
sources: []               # ids of files in content/sources/ that its facts come from
---

{TODO}: who they are and their part in the OIR's or IFMSA's work, from their sources.
"""


SPEC = CollectionSpec(
    name="people", model=Person, singular="person", title="People", order=30,
    display_name=lambda person: person.display_name, sort_key=_sort_key,
    view=View(render_index, render, json_ld=json_ld), scaffold=Scaffold(template, file_suffix=".md"),
)
