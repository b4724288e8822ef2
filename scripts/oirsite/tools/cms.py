"""The web editor (Sveltia CMS, which reads Decap CMS's configuration) at ``/admin/``, its
configuration generated from the collection models.

One CMS collection per content collection, one widget per field: the same models that give the
JSON Schemas (``oirsite.schemas``) give the forms, so the two never drift apart and the CMS never
writes a file the check rejects for its shape. ``cms/config.yml`` is the committed copy (a test
compares it with what the models generate, as for ``schemas/``); ``admin_files`` gives the files of
the admin page for the built site, the CMS's JavaScript taken from ``node_modules`` (installed with
``npm ci``), so that the browser loads nothing from another host to show the editor.

Decisions, each forced by how the CMS reads and writes files:

* A collection's files are Markdown with front matter when its spec writes ``.md`` files
  (``CollectionSpec.file_suffix``, as ``build.py new`` does), else YAML. A CMS collection lists
  files of one extension only, so a collection whose entries have pages and whose files are YAML
  has a second CMS collection with the same form and the page text, for its ``.md`` files
  (``<name>-pages``). Organizations, committees, people, activities and events are Markdown (their
  pages open with their own text). A reference field offers the entries of the first one
  only (a relation widget reads one collection). ``hidden_files`` lists any file still out of
  reach (a test keeps it empty for content/).
* Dates are ``string`` widgets with the model's pattern: our dates are partial (2021, 2021-04 or
  2021-04-07) and a date picker can only write full days.
* A reference is a ``relation`` widget to its collection, storing the file name (``{{slug}}``);
  a reference to any collection (``Ref("*")``) or to a collection that does not exist yet is a
  text field with the id pattern.
* A field that may hold a value or ``{open: "why"}`` is an optional text field for the value (the
  form shows no field for the note). The local editor's writer keeps a note the form left out; on
  the published site a save drops it, and the field's hint says so.
* New entries get their id from the identifier field through the CMS's slug rules (Decap's, which
  Sveltia follows: lowercase, ASCII, accents removed, other characters become hyphens), cut at
  ``MAX_ID_LENGTH``; the identifier field's pattern refuses the few titles whose slug would not be
  a valid id (``_`` and ``~`` survive the slug rules).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import yaml

from .. import collections
from .cms_rules import (DATE_MESSAGE, IDENTIFIER_HINT, IDENTIFIER_MESSAGE, IDENTIFIER_PATTERN,  # noqa: F401
                        OPEN_DROPPED_HINT, OPEN_HINT, REWRITE_HINT, SHOWN_DATE_PATTERN, SOURCES_HINT,
                        URL_MESSAGE, all_fields, field_choices, field_hint, is_open_field, pattern_message)
from ..core.dates import DATE_PATTERN
from ..model import fields as models

CMS_DIR = "cms"
CONFIG_FILE = "config.yml"
ADMIN_DIR = "admin"
PACKAGE = Path("node_modules") / "@sveltia" / "cms"
REPO_PLACEHOLDER = "OWNER/REPOSITORY"
BODY_FIELD = "body"
PAGES_SUFFIX = "-pages"  # the CMS collection of a YAML collection's Markdown files
LABEL_PREFIX = "decap-cms/"  # the pull requests' status labels, as Decap named them

LONG_TEXT = {"summary", "focus", "open", "expansion"}  # several lines in the form


# ---------------------------------------------------------------------------------------------
# What the models say: the one place that reads them (models, their JSON Schemas, Ref markers).

def registered_collections() -> dict[str, Any]:
    return collections.registry()


def _fields(model: type) -> Iterator[tuple[str, dict, str | None, str | None, type | None, bool]]:
    """(name, JSON Schema of the field, referenced collection, referenced collection of a list
    item, nested model, required) for each field, the model's own fields before the shared ones."""
    schema = model.model_json_schema()
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    plan = {name: (direct, item) for name, direct, item, _ in models.field_plan(model)}
    shared = set(models.EntryModel.model_fields) if issubclass(model, models.EntryModel) else set()
    names = [n for n in model.model_fields if n not in shared] + [n for n in model.model_fields if n in shared]
    for name in names:
        direct, item = plan.get(name, (None, None))
        nested = models.nested_model(model.model_fields[name].annotation)
        yield name, _resolve(properties[name], schema), direct, item, nested, name in required


def _resolve(node: Any, schema: dict) -> Any:
    """``node`` with every ``$ref`` to the schema's ``$defs`` replaced by the definition."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
            return _resolve({**target, **{k: v for k, v in node.items() if k != "$ref"}}, schema)
        return {key: _resolve(value, schema) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(item, schema) for item in node]
    return node


# ---------------------------------------------------------------------------------------------
# From the models to widgets.

def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _is_date(choices: list[dict]) -> bool:
    return any(c.get("pattern") == DATE_PATTERN for c in choices) or any(
        _is_date(c["anyOf"]) for c in choices if "anyOf" in c)


def _identifier_field(spec: Any) -> str:
    """The field a new entry's id is made from: the one `build.py new` uses, else the first text."""
    model_fields = spec.model.model_fields
    if spec.scaffold_id_from in model_fields:
        return spec.scaffold_id_from
    own = [n for n in model_fields if n not in getattr(models.EntryModel, "model_fields", {})]
    for name in own:
        if model_fields[name].is_required() and model_fields[name].annotation is str:
            return name
    return own[0]


def _relation(target: str, known: dict[str, Any], multiple: bool) -> dict:
    spec = known[target]
    identifier = _identifier_field(spec)
    search = [identifier] + [n for n in ("acronym", "name", "title", "term")
                             if n in spec.model.model_fields and n != identifier]
    widget = {"widget": "relation", "collection": target, "value_field": "{{slug}}",
              "search_fields": search, "display_fields": [identifier]}
    if multiple:
        widget["multiple"] = True
    return widget


def _string_widget(node: dict, name: str) -> dict:
    widget: dict[str, Any] = {"widget": "text" if name in LONG_TEXT else "string"}
    if "pattern" in node:
        widget["pattern"] = [node["pattern"], pattern_message(name, node["pattern"])]
    if node.get("pattern") == models.ID_PATTERN:
        widget["maxlength"] = models.MAX_ID_LENGTH  # the check's limit on an id
    elif "maxLength" in node:
        widget["maxlength"] = node["maxLength"]
    return widget


def _widget(name: str, node: dict, direct: str | None, item: str | None, nested: type | None,
            known: dict[str, Any]) -> dict:
    """The widget of one field (without name, label, required and hint)."""
    choices = field_choices(node)
    values = [c for c in choices if not is_open_field(c)]
    if direct and not item:
        if direct in known:
            return _relation(direct, known, multiple=False)
        return _string_widget({"pattern": models.ID_PATTERN}, name)
    if _is_date(choices):
        return {"widget": "string", "pattern": [SHOWN_DATE_PATTERN, DATE_MESSAGE]}
    node = values[0] if values else choices[0]
    kind = node.get("type")
    if kind == "array":
        items = node.get("items", {})
        if item:
            if item in known:
                return _relation(item, known, multiple=True)
            return {"widget": "list", "field": {"name": name, "label": _label(name), "widget": "string",
                                                "pattern": [models.ID_PATTERN,
                                                            pattern_message(name, models.ID_PATTERN)]}}
        if items.get("type") == "object":
            return {"widget": "list", "fields": _object_fields(nested, known)}
        return {"widget": "list", "field": {"name": name, "label": _label(name), **_string_widget(items, name)}}
    if kind == "object":
        return {"widget": "object", "fields": _object_fields(nested, known)}
    if "enum" in node:
        return {"widget": "select", "options": list(node["enum"])}
    if kind == "integer":
        widget = {"widget": "number", "value_type": "int"}
        if "minimum" in node:
            widget["min"] = node["minimum"]
        if "maximum" in node:
            widget["max"] = node["maximum"]
        return widget
    if kind == "boolean":
        return {"widget": "boolean"}
    return _string_widget(node, name)


def _object_fields(model: type | None, known: dict[str, Any]) -> list[dict]:
    assert model is not None, "an object field without its model"
    return [_field(*facts, known) for facts in _fields(model)]


def _field(name: str, node: dict, direct: str | None, item: str | None, nested: type | None, required: bool,
           known: dict[str, Any]) -> dict:
    field: dict[str, Any] = {"name": name, "label": node.get("title") or _label(name)}
    field.update(_widget(name, node, direct, item, nested, known))
    # A value that may be an open note ({open: why}) is not the text field's: the form cannot
    # require the text, or an entry whose sources leave it open could not be saved.
    may_be_open = any(is_open_field(c) for c in field_choices(node))
    field["required"] = required and not may_be_open
    hint = field_hint(name, node, direct, item, known)
    if required and may_be_open:
        hint = " ".join(filter(None, [hint, "Required: fill it in, or keep the file's open note."]))
    if field["widget"] == "object" and not required:
        # The CMS may check the fields of an object even when the object itself is optional (Decap
        # does), so that an empty optional object could not be saved: its fields are optional in
        # the form, an empty one is left out of the file (output.omit_empty_optional_fields), and
        # a half-filled one is reported by the check, located by file and line.
        needed = [sub["label"] for sub in field["fields"] if sub["required"]]
        for sub in field["fields"]:
            sub["required"] = False
        if needed:
            hint = " ".join(filter(None, [hint, f"Leave it empty, or fill in at least: {', '.join(needed)}."]))
    if hint:
        field["hint"] = hint
    return field


def collection_config(spec: Any, known: dict[str, Any], markdown: bool | None = None) -> dict:
    """The CMS collection of one content collection, for its files of one format: Markdown with
    front matter (``markdown``) or YAML; by default the format ``build.py new`` writes."""
    identifier = _identifier_field(spec)
    fields = [_field(*facts, known) for facts in _fields(spec.model)]
    for field in fields:
        if field["name"] == identifier:
            field["pattern"] = [IDENTIFIER_PATTERN, IDENTIFIER_MESSAGE]
            field["hint"] = " ".join(filter(None, [field.get("hint"), IDENTIFIER_HINT]))
        if field["name"] == "sources" and getattr(spec, "fact_bearing", False):
            field["required"] = True  # the check asks every fact-bearing entry for a source
            field["hint"] = " ".join(filter(None, [field.get("hint"), SOURCES_HINT]))
    own = spec.file_suffix == ".md"
    markdown = own if markdown is None else markdown
    if markdown:
        fields.append({"name": BODY_FIELD, "label": "Page text", "widget": "markdown", "modes": ["raw"],
                       "required": False,
                       "hint": "Markdown. [[id]] links to an entry, [[id|text]] with your own text."})
    config: dict[str, Any] = {
        "name": spec.name if markdown == own else spec.name + PAGES_SUFFIX,
        "label": spec.title if markdown == own else f"{spec.title} (pages with text)",
        "label_singular": spec.singular.capitalize() if markdown == own else
        f"{spec.singular.capitalize()} with page text",
        "folder": f"content/{spec.name}",
        "create": True,
        "extension": "md" if markdown else "yml",
        "format": "frontmatter" if markdown else "yml",
        "slug": "{{slug}}",
        "identifier_field": identifier,
        "summary": "{{" + identifier + "}}",
        "fields": fields,
    }
    return config


def cms_collections(known: dict[str, Any]) -> list[dict]:
    """Every CMS collection: one per content collection, and one more for the Markdown files of a
    YAML collection whose entries have pages (its entries may have a page text: IFMSA, the OIR)."""
    found = []
    for spec in known.values():
        found.append(collection_config(spec, known))
        if spec.file_suffix == ".yml" and spec.has_pages:
            found.append(collection_config(spec, known, markdown=True))
    return found


def generate_config(repo: str | None = None, api_root: str | None = None, site_url: str | None = None,
                    local: bool = False) -> dict:
    """The whole CMS configuration. ``repo`` is "owner/name" on GitHub (a placeholder if None).
    ``api_root`` only for another API than GitHub's: the tests' fake, or the local web editor
    (``local``: scripts/cms_serve.py's GitHub-like API on 127.0.0.1, saving straight into the
    working tree, no pull request); never in the committed or published copy."""
    known = registered_collections()
    backend: dict[str, Any] = {"name": "github", "repo": repo or REPO_PLACEHOLDER, "branch": "main",
                               "auth_methods": ["token"], "cms_label_prefix": LABEL_PREFIX}
    if api_root:
        backend["api_root"] = api_root
    config: dict[str, Any] = {
        "backend": backend,
        "publish_mode": "simple" if local else "editorial_workflow",
        "media_folder": "docs/assets/uploads",
        "public_folder": "/assets/uploads",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-",
                 "maxlength": models.MAX_ID_LENGTH},
        # An optional field the editor left empty is not written (the check refuses '' and {}).
        "output": {"omit_empty_optional_fields": True},
    }
    if site_url:
        config["site_url"] = config["display_url"] = site_url
    config["collections"] = cms_collections(known)
    if not local:  # the browser writes to GitHub: the file is written again, and the form says so first
        for collection in config["collections"]:
            first = collection["fields"][0]
            first["hint"] = " ".join(filter(None, [first.get("hint"), REWRITE_HINT]))
            for field in all_fields(collection["fields"]):
                if OPEN_HINT in field.get("hint", ""):
                    field["hint"] += " " + OPEN_DROPPED_HINT
    return config


HEADER = ("# The web editor's configuration (Sveltia CMS, in Decap CMS's format), generated from the\n"
          "# collection models by `python scripts/build.py cms`. Do not edit it: change the models and run that again.\n"
          "# The built site's admin/config.yml is this file with the repository filled in.\n")


def render_config(config: dict | None = None) -> str:
    config = generate_config() if config is None else config
    return HEADER + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)


def write_config(root: Path) -> Path:
    """Write ``cms/config.yml`` (the committed copy, as for ``schemas/``)."""
    path = root / CMS_DIR / CONFIG_FILE
    path.parent.mkdir(exist_ok=True)
    path.write_text(render_config(), encoding="utf-8")
    return path


__all__ = ["cms_collections", "collection_config", "generate_config", "render_config",
           "write_config"]
