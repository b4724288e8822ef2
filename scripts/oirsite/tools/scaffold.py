"""A new entry with the right file name, the required fields and helpful comments: it passes the
check unchanged; placeholder text starts with "TODO", which the check lists as a warning."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from ..read.loader import SLUG, SUFFIXES, slugify
from .. import collections
from ..collections import CollectionSpec, ScaffoldRequest
from ..core.escape import yaml_scalar as scalar
from ..collections import TODO, ScaffoldError  # noqa: F401  (build.py's)
from ..model.fields import MAX_ID_LENGTH


@dataclass
class Request:
    collection: str
    title: str
    entry_id: str | None = None
    date: str | None = None
    end: str | None = None
    kind: str | None = None
    acronym: str | None = None
    type: str | None = None
    expansion: str | None = None


def generic_template(spec: CollectionSpec, req: ScaffoldRequest) -> str:
    """A template made from the model, for a collection that declares none: every required field,
    with a TODO where a value is needed, and the optional fields as comments."""
    lines = [f"# A new {spec.singular}. Replace every TODO, then run: python scripts/build.py --check"]
    first = True
    for name, info in spec.model.model_fields.items():
        hint = f"  # {info.description}" if info.description else ""
        if info.is_required():
            value = scalar(req.title) if first else scalar(f"{TODO}: {name}")
            lines.append(f"{name}: {value}{hint}")
            first = False
        else:
            lines.append(f"# {name}: ...{hint}")
    text = "\n".join(lines) + "\n"
    if spec.file_suffix == ".md":
        text = f"---\n{text}---\n\n{TODO}: the text, in Markdown.\n"
    return text


# What `build.py new` accepts (the last word of each collection's singular, or its name) -> collection.
SINGULAR_TO_COLLECTION = {spec.singular.split()[-1]: name for name, spec in collections.registry().items()} | {
    spec.name: name for name, spec in collections.registry().items()}


def create(root: Path, req: Request, content_dir: str = "content") -> Path:
    """Write the new entry and return its path; raise ScaffoldError (nothing written) if it can't."""
    spec = collections.get(req.collection)
    options = {k: v for k, v in asdict(req).items() if k not in ("collection", "title", "entry_id")}  # --date, ...
    ask = ScaffoldRequest(req.title, options)
    entry_id = req.entry_id
    if not entry_id:  # from the title: its first words, as many as an id can hold
        entry_id = slugify(ask.get(spec.scaffold_id_from) or req.title)
        if len(entry_id) > MAX_ID_LENGTH:
            entry_id = entry_id[:MAX_ID_LENGTH + 1].rsplit("-", 1)[0][:MAX_ID_LENGTH].strip("-")
    if not entry_id or not SLUG.match(entry_id):
        raise ScaffoldError(f"'{entry_id}' is not a valid id: use lowercase letters, digits and single hyphens (--id)")
    if len(entry_id) > MAX_ID_LENGTH:
        raise ScaffoldError(f"the id is {len(entry_id)} characters long; an id has at most {MAX_ID_LENGTH}: "
                            "give a shorter one with --id")
    base = root / content_dir
    for existing in sorted(base.glob(f"*/{entry_id}.*")):
        if existing.suffix in SUFFIXES:
            raise ScaffoldError(f"{existing.relative_to(root).as_posix()} already exists with the id '{entry_id}': "
                                "choose another id with --id")
    text = spec.scaffold.template(ask) if spec.scaffold.template else generic_template(spec, ask)
    path = base / req.collection / f"{entry_id}{spec.file_suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return path
