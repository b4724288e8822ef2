"""A live preview's view of a change: which pages it touches (README, "Live preview"). The content flow
runs again with a ``BuildCache`` (its result equals a clean build's), and a page is touched if its HTML's
inputs differ: its Markdown, JSON-LD, table of contents, source file (the edit link), the abbreviations it
uses and which other pages exist. No list of dependencies kept by hand. Never imports MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..pages.abbreviations import used_abbreviations
from ..site import SiteBuild


@dataclass
class PageChanges:
    changed: list[str] = field(default_factory=list)  # pages in both builds that must be made again
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __len__(self) -> int:  # and no change at all is false
        return len(self.changed) + len(self.added) + len(self.removed)


def pages_of(site: SiteBuild) -> dict[str, str]:
    """Every page's Markdown, by its path in the site."""
    return {path: page.markdown for path, page in {**site.hand_written, **site.generated}.items()}


def page_changes(old: SiteBuild, new: SiteBuild) -> PageChanges:
    """The pages of ``new`` that differ from ``old``, for the reasons in this module's docstring."""
    before, after = {**old.hand_written, **old.generated}, {**new.hand_written, **new.generated}
    changes = PageChanges(added=sorted(after.keys() - before.keys()), removed=sorted(before.keys() - after.keys()))
    glossary_changed = old.abbreviations != new.abbreviations
    # A page that links to a page that came or went: its link now resolves, or no longer does.
    # 'index.md' is every folder's: a page of that name came or went only with a hand-written
    # page (a structural change the engine rebuilds in full); entries' pages are named by their ids.
    names = {PurePosixPath(path).name for path in (*changes.added, *changes.removed)} - {"index.md"}
    for path in sorted(before.keys() & after.keys()):
        markdown = after[path].markdown
        if (before[path].markdown != markdown or before[path].jsonld != after[path].jsonld
                or before[path].hide_toc != after[path].hide_toc
                or before[path].source != after[path].source  # its edit link: 'x.yml' became 'x.md'
                or (glossary_changed and used_abbreviations(markdown, old.abbreviations)
                    != used_abbreviations(markdown, new.abbreviations))
                or (names and any(name in markdown for name in names))):
            changes.changed.append(path)
    return changes
