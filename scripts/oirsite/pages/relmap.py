"""The map of how the organizations relate: drawn from the reference graph, as a picture and a list.

The relations are the ones the content states in fields: an organization's ``parent`` and a
committee's ``organization`` ("part of"), and an organization's ``member_of`` ("a member of", drawn
dashed, for one that is part of none). Every such reference in the catalog is an edge; nothing else
is inferred. The map is two things side by side, both generated from the same tree:

* an inline SVG, a layered layout computed here (each family a tree growing left to right: the
  organization, then the ones that are part of it, a column per level), with real text labels
  and colours from the theme's CSS variables (the stylesheet), so the dark scheme works. It is
  ``aria-hidden`` and holds no links: it is a picture of the list beside it;
* the same tree as a nested Markdown list of links, which screen readers read as lists within
  lists and the keyboard reaches in reading order (MkDocs and any engine of the export resolve
  its links, in both address styles).

The layout is deterministic: the same catalog gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.markdown_text import esc
from ..graph.catalog import Catalog
from ..read.loader import Entry
from ..safety.sanitize import escape_text

# The fields that say "this entry is part of that organization", by the collection that has them,
# and the one that says "this organization is a member of that one".
PART_OF = {"organizations": "parent", "committees": "organization"}
MEMBER_OF = {"organizations": "member_of"}

FONT = 14  # px, the labels' size (the stylesheet says the same)
PAD = 8  # inside a box, either side of its label
BOX_H = 24
ROW = 32  # from one row to the next
GAP = 28  # between a column's boxes and the next column
FAMILY_GAP = 12  # between two families that have parts
MARGIN = 2  # around the drawing, so that a box's border is not cut off

# A generous estimate of a label's width in the site's system sans-serif fonts, in em per character.
_WIDE = set("MWmw@%")
_NARROW = set("iIjlt.,:;'!|()[] -")


@dataclass
class Node:
    entry: Entry
    children: list[Node] = field(default_factory=list)
    member: bool = False  # a member of the node above it, not a part
    depth: int = 0
    row: float = 0.0
    x: float = 0.0
    y: float = 0.0

    @property
    def label(self) -> str:
        return getattr(self.entry.data, "acronym", None) or self.entry.title

    @property
    def width(self) -> float:
        return round(text_width(self.label) + 2 * PAD)


def text_width(text: str) -> float:
    em = 0.0
    for ch in text:
        em += 0.8 if ch in _WIDE else 0.34 if ch in _NARROW else 0.7 if ch.isupper() or ch.isdigit() else 0.53
    return em * FONT


def part_of(catalog: Catalog, relation: dict[str, str] = PART_OF) -> dict[str, str]:
    """Child id -> the id of the organization it is part of (or, with MEMBER_OF, a member of), from
    the reference graph."""
    parents: dict[str, str] = {}
    for ref in catalog.references:
        if ref.entry is None or ref.field is None:
            continue
        entry = catalog.get(ref.entry)
        target = catalog.get(ref.target, "organizations")
        if entry is not None and target is not None and relation.get(entry.collection) == ref.field:
            parents[entry.id] = target.id
    return parents


def above(catalog: Catalog) -> dict[str, tuple[str, bool]]:
    """Child id -> (the organization drawn above it, whether as a member): the one it is part of,
    else the one it is a member of (unless that would close a circle). Worked out once per catalog:
    every organization's page asks."""
    return catalog.derived("relmap.above", lambda: _above(catalog))


def _above(catalog: Catalog) -> dict[str, tuple[str, bool]]:
    links = {child: (parent, False) for child, parent in part_of(catalog).items()}
    for child, parent in sorted(part_of(catalog, MEMBER_OF).items()):
        if child in links:
            continue
        ancestor = parent
        while ancestor in links and ancestor != child:
            ancestor = links[ancestor][0]
        if ancestor != child:
            links[child] = (parent, True)
    return links


def _order(entry: Entry) -> tuple:
    spec = entry.spec
    return (list(PART_OF).index(entry.collection), spec.sort_key(entry) if spec.sort_key else (), entry.id)


def forest(catalog: Catalog) -> list[Node]:
    """Every organization and committee as a tree of parts: the roots, families first (in the
    organizations' order), then the organizations that are part of none and have no parts."""
    parents = above(catalog)
    nodes = {e.id: Node(e) for name in PART_OF for e in catalog.in_collection(name)}
    for child_id, (parent_id, member) in parents.items():
        nodes[child_id].member = member
        nodes[parent_id].children.append(nodes[child_id])
    for node in nodes.values():
        node.children.sort(key=lambda n: _order(n.entry))
    roots = sorted((n for i, n in nodes.items() if i not in parents), key=lambda n: (not n.children, _order(n.entry)))
    return roots


def _walk(node: Node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _place_rows(node: Node, depth: int, next_row: list[float]) -> None:
    node.depth = depth
    if not node.children:
        node.row = next_row[0]
        next_row[0] += 1
        return
    for child in node.children:
        _place_rows(child, depth + 1, next_row)
    node.row = (node.children[0].row + node.children[-1].row) / 2


def layout(roots: list[Node]) -> tuple[float, float]:
    """Give every node its place; returns the drawing's width and height."""
    top = MARGIN
    width = 0.0
    previous_had_parts = False
    for index, root in enumerate(roots):
        if index and (root.children or previous_had_parts):
            top += FAMILY_GAP
        rows = [0.0]
        _place_rows(root, 0, rows)
        members = list(_walk(root))
        columns: dict[int, float] = {}
        for node in members:
            columns[node.depth] = max(columns.get(node.depth, 0), node.width)
        lefts = [float(MARGIN)]
        for depth in range(1, len(columns)):
            lefts.append(lefts[-1] + columns[depth - 1] + GAP)
        for node in members:
            node.x = lefts[node.depth]
            node.y = top + node.row * ROW
            width = max(width, node.x + node.width)
        top += rows[0] * ROW - (ROW - BOX_H)
        previous_had_parts = bool(root.children)
    return width + MARGIN, top + MARGIN


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def svg(roots: list[Node], here: str | None = None) -> str:
    """The drawing: boxes with text labels, and a line from each organization to each of its parts."""
    width, height = layout(roots)
    edges, member_edges, boxes = [], [], []
    for root in roots:
        for node in _walk(root):
            for child in node.children:
                x1, y1 = node.x + node.width, node.y + BOX_H / 2
                x2, y2 = child.x, child.y + BOX_H / 2
                middle = x2 - GAP / 2
                (member_edges if child.member else edges).append(
                    f"M{_num(x1)} {_num(y1)}H{_num(middle)}V{_num(y2)}H{_num(x2)}")
            css = ' class="relmap-here"' if node.entry.id == here else ""
            boxes.append(f'<g{css}><rect x="{_num(node.x)}" y="{_num(node.y)}" width="{_num(node.width)}" '
                         f'height="{BOX_H}" rx="4"></rect><text x="{_num(node.x + PAD)}" '
                         f'y="{_num(node.y + BOX_H / 2 + FONT * 0.35)}">{escape_text(node.label)}</text></g>')
    lines = f'<path d="{" ".join(edges)}"></path>' if edges else ""
    if member_edges:
        lines += f'<path class="relmap-member" d="{" ".join(member_edges)}"></path>'
    return (f'<svg viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" height="{_num(height)}" '
            f'aria-hidden="true">{lines}{"".join(boxes)}</svg>')


def _item(ctx, node: Node, here: str | None, indent: str) -> list[str]:
    entry = node.entry
    acronym = getattr(entry.data, "acronym", None)
    name = f"**{esc(entry.title)}**" if entry.id == here else ctx.link(entry)
    shown = acronym and f"({acronym})" not in entry.title  # a committee's title holds its acronym
    lines = [f"{indent}- {name}" + (f" ({esc(acronym)})" if shown else "") + (", a member" if node.member else "")]
    for child in node.children:
        lines += _item(ctx, child, here, indent + "    ")
    return lines


def render(ctx, roots: list[Node], here: str | None = None) -> str:
    """The picture and the list of the same trees, as Markdown (a block of the page)."""
    items = [line for root in roots for line in _item(ctx, root, here, "")]
    # Left out of search, each part (the map names every organization, whose own page should come first).
    return (f'<div class="relmap" markdown>\n<div data-search-exclude>{svg(roots, here)}</div>\n'
            '<div data-search-exclude markdown>\n\n' + "\n".join(items) + "\n\n</div>\n</div>")


def organization_map(ctx) -> str:
    """The whole map: every organization and committee, each under the organization it is part of."""
    roots = forest(ctx.catalog)
    return render(ctx, roots) if roots else ""


def _parts(catalog: Catalog) -> dict[str, list[tuple[Entry, bool]]]:
    """Organization id -> what is drawn under it (each entry, whether as a member), in the map's order."""
    def make() -> dict[str, list[tuple[Entry, bool]]]:
        found: dict[str, list[tuple[Entry, bool]]] = {}
        for child_id, (parent_id, member) in above(catalog).items():
            found.setdefault(parent_id, []).append((catalog.entries[child_id], member))
        for children in found.values():
            children.sort(key=lambda pair: _order(pair[0]))
        return found
    return catalog.derived("relmap.parts", make)


def map_around(ctx, entry: Entry) -> str:
    """The part of the map around ``entry``: the organization it is part of, itself and its parts;
    empty when it is part of none and has none."""
    parents = above(ctx.catalog)
    children = _parts(ctx.catalog).get(entry.id, [])
    if entry.collection not in PART_OF or (not children and entry.id not in parents):
        return ""
    own = Node(entry, [Node(child, member=member) for child, member in children],
               member=parents.get(entry.id, ("", False))[1])
    parent = ctx.catalog.get(parents.get(entry.id, ("", False))[0])
    root = Node(parent, [own]) if parent is not None else own
    return render(ctx, [root], here=entry.id)
