"""Wayfinding for the pages the content generates.

An entry's page (``events/x.md``) is not in the navigation: listing every entry would bury the
sections. So the theme would highlight no tab and show no breadcrumb on it. Here each such page is
given, as its parent, the section that holds its folder's index page (``events/index.md``): the
page is still not listed in the navigation, but the theme highlights that section's tab and shows
the path (Home › Events) above its title. A collection whose index is not in the navigation but
that names a section (``CollectionSpec.section``: the recurring meetings, within Events) has its
pages, index included, placed in that section; pages of other folders without an index in the
navigation are left as they are.
"""

from __future__ import annotations

from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from oirsite import collections


def place_entry_pages(nav: Navigation, files: Files) -> None:
    sections: dict[str, Section] = {}  # folder -> the section whose index page is that folder's index.md
    for page in nav.pages:
        uri = page.file.src_uri
        if uri.endswith("/index.md") and isinstance(page.parent, Section):
            sections[uri.removesuffix("/index.md")] = page.parent
    for spec in collections.registry().values():  # a collection shown within another's section
        if spec.section and spec.name not in sections and spec.section in sections:
            sections[spec.name] = sections[spec.section]
    in_nav = {id(page) for page in nav.pages}
    for file in files.documentation_pages():
        page = file.page
        if not isinstance(page, Page) or id(page) in in_nav or page.parent is not None:
            continue
        folder, _, name = file.src_uri.rpartition("/")
        if folder in sections and "/" not in name:
            page.parent = sections[folder]
