"""The activities of the Office of International Relations, in the order the office lists them."""

from __future__ import annotations

from pydantic import Field

from ..core.escape import yaml_scalar as scalar
from ..core.markdown_text import esc, facts, front_matter
from ..model.fields import OrganizationRef, EntryModel, Text
from . import CollectionSpec, Scaffold, ScaffoldRequest, TODO, View


class Activity(EntryModel):
    title: Text
    summary: Text
    order: int = Field(ge=1, le=10_000, description="Position in the list of the OIR's activities.")
    organizations: list[OrganizationRef] = []


def render(ctx: PageContext, entry: Entry, body: str) -> list[str]:
    activity: Activity = entry.data  # type: ignore[assignment]
    return [body or esc(activity.summary),
            facts([("Organizations", ctx.links(activity.organizations, "organizations"))])]


def _sort_key(entry: Entry) -> tuple:
    return entry.data.order, entry.id


def _list(ctx: PageContext) -> str:
    activities = sorted(ctx.in_collection("activities"), key=_sort_key)
    return "\n".join(f"- {ctx.link(e)}: {esc(e.data.summary)}" for e in activities)


def render_index(ctx: PageContext) -> str:
    oir = ctx.get("oir", "organizations")
    intro = f"What the {ctx.link(oir)} does." if oir else "What the Office of International Relations does."
    return (front_matter(description="What the AMA's Office of International Relations does.")
            + f"# OIR activities\n\n{intro}\n\n{_list(ctx)}\n")


def template(req: ScaffoldRequest) -> str:
    return f"""---
# A new OIR activity. Replace every TODO, then run: python scripts/build.py --check
title: {scalar(req.title)}
order: 99                 # its place in the list of activities
organizations: []         # ids of files in content/organizations/
sources: []               # ids of files in content/sources/ that its facts come from
summary: {scalar(TODO + ": what the OIR does, in one sentence.")}
---
"""


SPEC = CollectionSpec(
    opening_words=30,
    name="activities", model=Activity, singular="activity", title="OIR activities", order=50, sort_key=_sort_key,
    view=View(render_index, render, blocks={"oir_activities": _list}),
    scaffold=Scaffold(template, file_suffix=".md"),
)
