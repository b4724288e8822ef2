"""The organizations' map (scripts/oirsite/pages/relmap.py): generated from the reference graph of a
content tree this file owns, drawn deterministically, passed by the one sanitizer unchanged."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from helpers import BASE_FILES, ROOT, check, messages, write_tree
from oirsite.safety.sanitize import sanitize

# Added to the helpers' small tree: an office of the AMA (a relation the map must show, through the
# `parent` field) with an ampersand in its name, a committee of it, and a page that inserts the map.
ADDED = {
    "content/organizations/rd-office.yml": """
        name: Research & Development Office
        acronym: R&D
        kind: ama-office
        parent: ama
        summary: An office of the association.
    """,
    "content/committees/scrd.yml": """
        acronym: SCRD
        name: Standing Committee on R&D
        type: project
        focus: Research.
        organization: rd-office
    """,
    "docs/index.md": """
        # Home

        {{ organization_map }}
    """,
    "mkdocs.yml": (ROOT / "mkdocs.yml").read_text(encoding="utf-8"),  # the site's Markdown extensions
}


def _svg(markdown: str) -> ET.Element:
    found = re.findall(r"<svg\b.*?</svg>", markdown, re.S)
    assert len(found) == 1, markdown
    return ET.fromstring(found[0])  # well-formed: every text escaped, every element closed


def _boxes(svg: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    """label -> (x, y, width, height) of its box."""
    boxes = {}
    for group in svg.iter("g"):
        rect, text = group.find("rect"), group.find("text")
        boxes[text.text] = tuple(float(rect.get(k)) for k in ("x", "y", "width", "height"))
    return boxes


def _edges(svg: ET.Element) -> set[tuple[tuple[float, float], tuple[float, float]]]:
    """Each line as (its start, its end): M x y H _ V _ H x."""
    path = svg.find("path")
    edges = set()
    for x1, y1, _, y2, x2 in re.findall(r"M([\d.]+) ([\d.]+)H([\d.]+)V([\d.]+)H([\d.]+)", path.get("d")):
        edges.add(((float(x1), float(y1)), (float(x2), float(y2))))
    return edges


def _joined(boxes, parent: str, child: str) -> bool:
    """Whether a line runs from the right middle of ``parent``'s box to the left middle of ``child``'s."""
    px, py, pw, ph = boxes[parent]
    cx, cy, _, ch = boxes[child]
    return ((px + pw, py + ph / 2), (cx, cy + ch / 2))


@pytest.fixture
def site(tree):
    built = check(tree(ADDED))
    assert not built.diagnostics.errors, messages(built)  # the page and its map pass the sanitizer
    return built


def test_a_new_organization_and_its_committee_are_on_the_map_with_their_lines(site):
    home = site.hand_written["index.md"].markdown
    svg = _svg(home)
    boxes = _boxes(svg)
    assert set(boxes) == {"AMA", "WMA", "R&D", "SCRD"}
    edges = _edges(svg)
    assert edges == {_joined(boxes, "AMA", "R&D"), _joined(boxes, "R&D", "SCRD")}
    assert boxes["AMA"][0] < boxes["R&D"][0] < boxes["SCRD"][0]  # a column per level, parents first
    assert svg.get("aria-hidden") == "true" and svg.find(".//a") is None  # a picture of the list beside it
    # the list says the same, nested, with links (the WMA, part of none, on its own)
    assert ("- [American Medical Association](organizations/ama.md) (AMA)\n"
            "    - [Research &amp; Development Office](organizations/rd-office.md) (R&amp;D)\n"
            "        - [Standing Committee on R&amp;D (SCRD)](committees/scrd.md)\n"
            "- [World Medical Association](organizations/wma.md) (WMA)") in home


def test_an_organization_page_shows_the_part_of_the_map_around_it(site):
    page = site.generated["organizations/rd-office.md"].markdown
    assert "## Organization map" in page
    svg = _svg(page)
    boxes = _boxes(svg)
    assert set(boxes) == {"AMA", "R&D", "SCRD"}
    assert _edges(svg) == {_joined(boxes, "AMA", "R&D"), _joined(boxes, "R&D", "SCRD")}
    here = [g.find("text").text for g in svg.iter("g") if g.get("class") == "relmap-here"]
    assert here == ["R&D"]
    assert "    - **Research &amp; Development Office** (R&amp;D)" in page  # the page itself: no link to itself
    assert "Organization map" in site.generated["organizations/ama.md"].markdown
    assert "Organization map" not in site.generated["organizations/wma.md"].markdown  # part of none, no parts


def test_a_member_hangs_under_what_it_is_a_member_of_with_a_dashed_line(tree):
    """``member_of`` is drawn (dashed, said 'a member' in the list) for an organization part of none;
    a membership that would close a circle is left out of the drawing, not looped."""
    built = check(tree({**ADDED, "content/organizations/ama.yml": (
        "name: American Medical Association\nacronym: AMA\nkind: national-medical-association\n"
        "summary: s\nmember_of: wma\n"),
        "content/organizations/wma.yml": ("name: World Medical Association\nacronym: WMA\n"
                                          "kind: international-medical-association\nsummary: s\nmember_of: ama\n")}))
    assert not built.diagnostics.errors, messages(built)
    home = built.hand_written["index.md"].markdown
    svg = _svg(home)
    boxes = _boxes(svg)
    dashed = [p for p in svg.iter("path") if p.get("class") == "relmap-member"]
    assert len(dashed) == 1
    start, end = _joined(boxes, "WMA", "AMA")
    assert f"M{start[0]:g} {start[1]:g}H" in dashed[0].get("d").replace(".0 ", " ")
    assert "- [World Medical Association](organizations/wma.md) (WMA)\n    - [American Medical Association]" \
           "(organizations/ama.md) (AMA), a member\n" in home
    clean, removed = sanitize(f'<div class="relmap">{ET.tostring(svg, encoding="unicode")}</div>')
    assert removed == [] and 'class="relmap-member"' in clean


def test_the_same_content_gives_the_same_bytes(tmp_path, site):
    files = {**BASE_FILES, **ADDED}  # written again elsewhere, in the opposite order
    again = check(write_tree(tmp_path / "again", dict(reversed(list(files.items())))))
    assert again.hand_written["index.md"].markdown == site.hand_written["index.md"].markdown
    assert again.generated["organizations/ama.md"].markdown == site.generated["organizations/ama.md"].markdown


def test_the_drawing_passes_the_sanitizer_unchanged(site):
    svg = re.search(r"<svg\b.*?</svg>", site.hand_written["index.md"].markdown, re.S).group(0)
    html = f'<div class="relmap">{svg}</div>'
    clean, removed = sanitize(html)
    assert removed == [] and "<svg" in clean and 'class="relmap-here"' not in clean


@pytest.mark.parametrize("fragment", [
    '<svg onload="alert(1)"></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<svg><foreignObject><img src="x"></foreignObject></svg>',
    '<svg><use href="https://evil.example/x.svg#a"></use></svg>',
    '<svg><image href="https://evil.example/x.png"></image></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><animate attributeName="href" to="javascript:alert(1)"></animate></svg>',
    '<svg><rect style="fill:url(https://evil.example/)"></rect></svg>',
    '<svg><g class="md-x"><text>x</text></g></svg>',
])
def test_the_drawing_allowlist_takes_no_script_style_or_other_host(fragment):
    clean, removed = sanitize(fragment)
    assert removed, fragment  # and the check says so, where it stands
    assert not re.search(r"(?i)script|href|style|onload|foreignobject|<use|<image|<animate|md-x", clean), clean
