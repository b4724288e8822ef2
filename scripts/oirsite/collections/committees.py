"""IFMSA's standing committees: two for exchanges, the others for projects."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..core.escape import yaml_scalar as scalar
from ..core.markdown_text import cards, esc, facts, front_matter
from ..model.fields import OrganizationRef, EntryModel, Text
from . import OPENING_TODO, CollectionSpec, Scaffold, ScaffoldError, ScaffoldRequest, TODO, View
from .organizations import org_ref, schema_org

TYPES = {"exchange": ("Exchange committee", "Exchange committees"),
         "project": ("Project committee", "Project committees")}


class Committee(EntryModel):
    acronym: Text
    name: Text
    type: Literal["exchange", "project"]
    focus: Text
    organization: OrganizationRef
    source_note: Text | None = Field(default=None, description=(
        "A note for editors on where a fact comes from or how sources disagree (never shown to readers)."))


def render(ctx: PageContext, entry: Entry, body: str) -> list[str]:
    committee: Committee = entry.data  # type: ignore[assignment]
    parent = ctx.get(committee.organization, "organizations")
    return [body or esc(committee.focus),
            facts([("Type", TYPES[committee.type][0]), ("Part of", ctx.link(parent) if parent else "")])]


def _groups(ctx: PageContext, heading: str) -> str:
    parts = []
    for kind, (_, title) in TYPES.items():
        committees = sorted((e for e in ctx.in_collection("committees") if e.data.type == kind),
                            key=lambda e: e.data.acronym)
        if committees:
            items = [f"**{ctx.link(e, e.data.acronym)}**: {esc(e.data.name)}" for e in committees]
            parts.append(f"{heading} {title}\n\n{cards(items)}")
    return "\n\n".join(parts)


def render_index(ctx: PageContext) -> str:
    ifmsa = ctx.get("ifmsa", "organizations")
    intro = (f"The standing committees of {ctx.link(ifmsa)}, grouped into exchange and project committees."
             if ifmsa else "The IFMSA standing committees, grouped into exchange and project committees.")
    return (front_matter(description="IFMSA's standing committees: those for exchanges and those for projects.")
            + f"# IFMSA standing committees\n\n{intro}\n\n{_groups(ctx, '##')}\n")


def json_ld(ctx: PageContext, entry: Entry) -> dict:
    committee: Committee = entry.data  # type: ignore[assignment]
    return schema_org("Organization", name=committee.name, url=ctx.url(entry), alternateName=committee.acronym,
                      parentOrganization=org_ref(ctx, committee.organization))


def template(req: ScaffoldRequest) -> str:
    if not req.get("acronym"):
        raise ScaffoldError("a committee needs --acronym, for example --acronym SCOME")
    if req.get("type") not in TYPES:
        raise ScaffoldError("a committee needs --type exchange or --type project")
    return f"""---
# A new IFMSA standing committee. Replace every TODO, then run: python scripts/build.py --check
acronym: {scalar(req.get('acronym'))}
name: {scalar(req.title)}
type: {req.get('type')}
focus: {scalar(TODO + ": its focus, in a few words.")}
organization: ifmsa
sources: []               # ids of files in content/sources/ that its facts come from
---

{OPENING_TODO}"""


SPEC = CollectionSpec(
    opening_words=30,
    name="committees", model=Committee, singular="committee", title="IFMSA standing committees", order=40,
    display_name=lambda committee: f"{committee.name} ({committee.acronym})",
    sort_key=lambda entry: (entry.data.type, entry.data.acronym), acronym_fields=("acronym", "name"),
    view=View(render_index, render, json_ld=json_ld, blocks={"ifmsa_committees": lambda ctx: _groups(ctx, "###")}),
    scaffold=Scaffold(template, id_from="acronym", file_suffix=".md"),
    search_boost=2.0,  # other pages' titles carry its names: its own page comes first for them
)
