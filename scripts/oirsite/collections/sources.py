"""Sources: the pages the facts of every other entry come from, and how this site obtained each.

A seed's text is kept in ``records/``, and every locator an entry gives for it (a few words of the
source) is checked against that text. Sources are anchors on the sources page, not pages: every
entry page ends with a short "Sources" section linking there.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import quote

from pydantic import Field, StringConstraints, model_validator

from ..core.dates import PartialDate, PartialDateField, format_date
from ..core.escape import yaml_scalar as scalar
from ..core.markdown_text import esc, front_matter
from ..model.fields import Day, EntryModel, HttpsUrl, Text
from . import CollectionSpec, Scaffold, ScaffoldRequest, View

RecordName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*\.txt$", max_length=104)]


class Source(EntryModel):
    """A page that facts on this site rest on, and how this site obtained it."""

    title: Text
    publisher: Text = Field(description="Who publishes it, for example 'American Medical Association'.")
    url: HttpsUrl | None = Field(default=None, description="Its public address, where a record gives one (https only).")
    obtained: Literal["seed", "stored copy"] = Field(
        description="How this site has it: 'seed' (a page the site was made from; its text is kept in "
                    "records/) or 'stored copy' (a public page read in a stored copy).")
    as_of: PartialDateField | None = Field(default=None, description="The period the page shows (seed pages).")
    record: RecordName | None = Field(default=None, description="A seed page's text: a file name in records/.")
    dated: PartialDateField | None = Field(default=None, description="The date the page itself shows, if any.")
    read: Day | None = Field(default=None, description="The day an editor read the stored copy (YYYY-MM-DD).")

    @model_validator(mode="after")
    def _kind_has_its_fields(self) -> "Source":
        if self.obtained == "seed" and not self.record:
            raise ValueError("a seed page keeps its text: add 'record: NAME.txt' (a file in records/)")
        if self.obtained == "stored copy" and not (self.url and self.read):
            raise ValueError("a stored copy needs its address ('url:') and the day you read it ('read:')")
        return self


def source_date(source: Source) -> PartialDate | None:
    """The date of what the source says: the period a seed shows, else the page's own date."""
    return source.as_of or source.dated


def passage_url(url: str, locator: str) -> str:
    """``url`` opened at the passage ``locator`` marks (a text fragment: ``#:~:text=``)."""
    words = " ".join(locator.split())
    return f"{url.partition('#')[0]}#:~:text={quote(words, safe='').replace('-', '%2D')}"


def how_obtained(source: Source) -> str:
    """One sentence for readers: what this source is and how the site has it."""
    if source.obtained == "seed":
        when = f", as it stood in {format_date(source.as_of)}" if source.as_of else ""
        return (f"One of the pages this site was made from{when}. Its text, as this site's facts were taken "
                "from it, is kept with the site's files.")
    said = f" The page is dated {format_date(source.dated)}." if source.dated else ""
    return (f"Read in a stored copy of the page on {format_date(PartialDate.parse(source.read or ''))}"
            f" (the copy does not show when it was made).{said}")


def render_index(ctx: PageContext) -> str:
    entries = sorted(ctx.in_collection("sources"), key=lambda e: (e.data.publisher.lower(), e.data.title.lower()))
    items = []
    for entry in entries:
        source: Source = entry.data  # type: ignore[assignment]
        address = f" Address: <{source.url}>" if source.url else ""
        when = f" ({format_date(source.as_of)})" if source.as_of else ""
        items.append(f"## {esc(source.title)}{when} {{#{entry.id}}}\n\n"
                     f"Published by {esc(source.publisher)}.{address}\n\n{how_obtained(source)}")
    intro = ("The pages the facts on this site come from, and how this site has each: the pages it was made "
             "from, and public pages read in stored copies. Every page ends with the sources of what it states.")
    description = "The sources of the facts on this site: who publishes them and how this site has them."
    return front_matter(description=description) + f"# Sources\n\n{intro}\n\n" + "\n\n".join(items) + "\n"


def template(req: ScaffoldRequest) -> str:
    today = dt.date.today().isoformat()
    return f"""# A new source: a public page that facts on this site come from, read in a stored copy.
title: {scalar(req.title)}
publisher: TODO           # who publishes it
url: https://TODO         # its address
obtained: stored copy
read: {today}             # the day you read the stored copy
# dated: 2024-05          # the date the page itself shows, if any
"""


SPEC = CollectionSpec(
    name="sources", model=Source, singular="source", title="Sources", order=95,
    has_pages=False, fact_bearing=False, view=View(render_index), scaffold=Scaffold(template),
    search_boost=0,  # the sources page is left out of search: every page links its own sources
)
