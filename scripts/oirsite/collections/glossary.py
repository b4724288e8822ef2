"""The glossary: every acronym of the site with its expansion.

Organizations and committees contribute their own acronyms (their specs' ``acronym_fields``); a
term here is an acronym that is neither. Terms are anchors on the glossary page, not pages.
"""

from __future__ import annotations

from ..core.escape import yaml_scalar as scalar
from ..core.markdown_text import esc, front_matter
from ..model.fields import AnyRef, EntryModel, Text
from . import CollectionSpec, Scaffold, ScaffoldError, ScaffoldRequest, View


class Term(EntryModel):
    """A glossary entry for an acronym that is not itself an organization or a committee."""

    term: Text
    expansion: Text
    refers_to: AnyRef | None = None


def render_index(ctx: PageContext) -> str:
    rows = []
    for acronym, expansion, entry in ctx.catalog.acronyms():
        if entry.spec.has_pages:
            rows.append(f"| {esc(acronym)} | {ctx.link(entry, expansion)} |")
        else:
            target = ctx.get(entry.data.refers_to)
            meaning = ctx.link(target, expansion) if target else esc(expansion)
            rows.append(f'| <span id="{entry.id}">{esc(acronym)}</span> | {meaning} |')
    table = "| Acronym | Meaning |\n| --- | --- |\n" + "\n".join(rows)
    return (front_matter(description="The acronyms used on this site and what they stand for.")
            + f"# Glossary\n\nThe acronyms used on this site.\n\n{table}\n")


def template(req: ScaffoldRequest) -> str:
    if not req.get("expansion"):
        raise ScaffoldError("a glossary term needs --expansion, for example --expansion 'National Member Organization'")
    return f"""# A new glossary term: an acronym that is not an organization's or a committee's.
term: {scalar(req.title)}
expansion: {scalar(req.get('expansion'))}
# refers_to: ifmsa        # the id of the entry the term stands for, if any
"""


SPEC = CollectionSpec(
    name="glossary", model=Term, singular="glossary term", title="Glossary", order=90,
    display_name=lambda term: term.term, has_pages=False, fact_bearing=False, acronym_fields=("term", "expansion"),
    view=View(render_index), scaffold=Scaffold(template),
)
