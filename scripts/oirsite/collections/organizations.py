"""Organizations: associations, offices, councils, agencies, alliances and initiatives."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Literal

from pydantic import Field

from ..core.dates import build_time
from ..core.escape import yaml_scalar as scalar
from ..core.markdown_text import cards, esc, facts, front_matter, link_list, section
from ..core.paths import calendar_path
from ..model.fields import Contact, HttpsUrl, Link, Membership, OrganizationRef, EntryModel, Tag, Text, Year
from . import CollectionSpec, OPENING_TODO, Scaffold, ScaffoldError, ScaffoldRequest, TODO, View, calendar_organizations

KINDS = {  # kind -> the heading of its group, in the order the index shows them
    "national-medical-association": "National medical associations",
    "ama-office": "AMA offices",
    "ama-council": "AMA councils",
    "international-medical-association": "International medical associations",
    "health-professions-alliance": "Health professions alliances",
    "intergovernmental-organization": "Intergovernmental organizations",
    "intergovernmental-body": "Intergovernmental bodies",
    "us-federal-department": "US federal departments",
    "medical-students-federation": "Medical students' federations",
    "medical-students-association": "Medical students' associations",
    "global-health-initiative": "Global health initiatives",
}
OrganizationKind = Literal[tuple(KINDS)]  # type: ignore[valid-type]


class Organization(EntryModel):
    name: Text
    acronym: Text | None = None
    kind: OrganizationKind
    parent: OrganizationRef | None = Field(default=None, description="The organization this one is part of.")
    member_of: OrganizationRef | None = Field(default=None, description=(
        "The federation or association it is a member of (a national association of an international one)."))
    summary: Text
    founded: Year | None = None
    members: Membership | None = None
    website: HttpsUrl | None = None
    contacts: list[Contact] = []
    links: list[Link] = []
    tags: list[Tag] = []


def _contacts(ctx: PageContext, org: Organization) -> str:
    """The contacts that lead somewhere (an address or a person's page): a role alone is not a contact."""
    lines = []
    for contact in org.contacts:
        person = ctx.get(contact.person, "people")
        email = contact.email if isinstance(contact.email, str) else None
        if person or email:
            lines.append(f"- {esc(contact.role)}" + (f" ({ctx.link(person)})" if person else "")
                         + (f": <{email}>" if email else ""))
    return "\n".join(lines)


def members(org: Organization) -> str:
    """'108 National Member Organizations from 101 countries (2021)': the figures with their year."""
    count = org.members
    if count is None:
        return ""
    year = f" ({count.as_of})" if count.as_of else " (the source gives no date)"
    return f"{count.organizations} {esc(count.term)} from {count.countries} countries{year}"


def render(ctx: PageContext, entry: Entry, body: str) -> list[str]:
    """The page opens with what the organization is (its text); then the facts a reader uses."""
    org: Organization = entry.data  # type: ignore[assignment]
    parent = ctx.get(org.parent, "organizations")
    # its own calendar: its events known to the day and its recurring meetings
    has_calendar = entry.id in calendar_organizations(ctx.catalog, build_time().date())
    calendar = f"[Its events in your calendar]({ctx.rel(calendar_path(entry))})" if has_calendar else ""
    return [body or esc(org.summary),
            facts([("Part of", ctx.link(parent) if parent else ""),
                   ("Founded", str(org.founded or "")),
                   ("Members", members(org)),
                   ("Website", f"<{org.website}>" if org.website else ""),
                   ("Calendar", calendar)]),
            section("Contacts", _contacts(ctx, org)),
            section("Links", link_list(org.links)),
            ctx.relation_map(entry)]


def _sort_key(entry: Entry) -> tuple:
    org: Organization = entry.data  # type: ignore[assignment]
    return list(KINDS).index(org.kind), org.name.lower()


def render_index(ctx: PageContext) -> str:
    orgs = sorted(ctx.in_collection("organizations"), key=_sort_key)
    parts = []
    for kind, group in groupby(orgs, key=lambda e: e.data.kind):
        items = [f"**{ctx.link(e)}**" + (f" ({esc(e.data.acronym)})" if e.data.acronym else "")
                 + f"\n\n{esc(e.data.summary)}" for e in group]
        parts.append(f"## {KINDS[kind]}\n\n{cards(items)}")
    what = "The organizations the OIR and IFMSA work with, grouped by kind."
    return front_matter(description=what) + f"# Organizations\n\n{what}\n\n" + "\n\n".join(parts) + "\n"


def schema_org(kind: str, **fields) -> dict:
    """An entry's JSON-LD: its schema.org type, then each of ``fields`` that has a value, in that order."""
    return {"@context": "https://schema.org", "@type": kind, **{name: value for name, value in fields.items() if value}}


def org_ref(ctx: PageContext, org_id: str | None) -> dict | None:
    """An organization as schema.org data, for other entries' JSON-LD."""
    org = ctx.get(org_id, "organizations")
    return {"@type": "Organization", "name": org.title, "url": ctx.url(org)} if org else None


def org_refs(ctx: PageContext, org_ids: list[str]) -> list[dict]:
    """The organizations of ``org_ids`` that exist, as schema.org data (an event's organizers)."""
    return [ref for org_id in org_ids if (ref := org_ref(ctx, org_id))]


def json_ld(ctx: PageContext, entry: Entry) -> dict:
    org: Organization = entry.data  # type: ignore[assignment]
    return schema_org("Organization", name=org.name, url=ctx.url(entry), alternateName=org.acronym,
                      description=org.summary, sameAs=org.website, foundingDate=str(org.founded or ""),
                      parentOrganization=org_ref(ctx, org.parent))


def check_parent_chain(catalog: Catalog, entry: Entry, diagnostics) -> None:
    """The chain of parents ends: no organization is its own ancestor."""
    chain = [entry.id]
    current = entry
    while current.data.parent:
        parent = catalog.get(current.data.parent, "organizations")
        if parent is None:
            return
        if parent.id in chain:
            cycle = " -> ".join([*chain[chain.index(parent.id):], parent.id])
            diagnostics.error(entry.source, *entry.location(("parent",)), "parent-cycle",
                              f"the parent organizations form a cycle: {cycle}",
                              "one organization in the chain must have no parent")
            return
        chain.append(parent.id)
        current = parent


def template(req: ScaffoldRequest) -> str:
    kind = req.get("kind")
    if kind not in KINDS:
        raise ScaffoldError("an organization needs --kind, one of: " + ", ".join(KINDS))
    acronym = f"acronym: {scalar(req.get('acronym'))}" if req.get("acronym") else "# acronym: ABC"
    return f"""---
# A new organization. Replace every TODO, then run: python scripts/build.py --check
name: {scalar(req.title)}
{acronym}
kind: {kind}
# parent: ama             # the id of the organization this one is part of
summary: {scalar(TODO + ": what it is, in one sentence of its own.")}
sources: []               # ids of files in content/sources/ that its facts come from
reviewed: {dt.date.today().isoformat()}      # the day you checked it against its sources
# website: https://...    # only an address a source of it is on
# member_of: wma          # the federation or association it is a member of
---

{OPENING_TODO}"""


SPEC = CollectionSpec(
    opening_words=30,
    name="organizations", model=Organization, singular="organization", title="Organizations", order=10,
    display_name=lambda org: org.name, sort_key=_sort_key,
    acronym_fields=("acronym", "name"), checks=(check_parent_chain,),
    view=View(render_index, render, json_ld=json_ld,
              page_title=lambda org: f"{org.name} ({org.acronym})" if org.acronym else org.name),
    scaffold=Scaffold(template, file_suffix=".md"),
    search_boost=2.0,  # other pages' titles carry its names: its own page comes first for them
)
