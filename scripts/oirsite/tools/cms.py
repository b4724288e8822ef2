"""The web editor's configuration (Sveltia CMS, which reads Decap CMS's), generated from the collection
models, so that the forms and the JSON Schemas never drift apart and the form refuses what the check
would. ``cms/config.yml`` is the committed copy (a test compares it with what the models generate).

Decisions, each forced by how the CMS reads and writes files:

* A CMS collection lists files of one extension: Markdown with front matter when the spec writes ``.md``
  files (as ``build.py new`` does), else YAML, and a YAML collection whose entries have pages has a
  second one for its ``.md`` files (``<name>-pages``). A reference offers the entries of the first.
* Dates are ``string`` widgets with a pattern: our dates are partial (2021, 2021-04), a picker writes days.
* A reference is a ``relation`` storing the file name (``{{slug}}``); one to any collection or to one
  that does not exist yet is a text field with the id pattern.
* A field that may hold ``{open: "why"}`` is an optional text field for the value (the form shows no
  field for the note): the local editor keeps the note, a save on the published site drops it.
* New entries get their id from the identifier field by the CMS's slug rules, cut at ``MAX_ID_LENGTH``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import yaml

from .. import collections
from ..core.dates import DATE_PATTERN, FIRST_YEAR, LAST_YEAR
from ..model import fields as models

CMS_DIR = "cms"
CONFIG_FILE = "config.yml"
ADMIN_DIR = "admin"
PACKAGE = Path("node_modules") / "@sveltia" / "cms"
BODY_FIELD = "body"
PAGES_SUFFIX = "-pages"  # the CMS collection of a YAML collection's Markdown files
LABEL_PREFIX = "decap-cms/"  # the pull requests' status labels, as Decap named them
LONG_TEXT = {"summary", "focus", "open", "expansion"}  # several lines in the form

# The title of a new entry becomes its file name by the CMS's slug rules: lowercased, accents
# removed, every character but [a-z0-9_.~-] replaced by '-', '.' made '-', repeated and outer
# hyphens dropped. What is left is a valid id unless it keeps '_' or '~' or is empty.
IDENTIFIER_PATTERN = r"^[^_~]*[A-Za-z0-9][^_~]*$"
IDENTIFIER_MESSAGE = ("The file name of a new entry is made from this field: use at least one letter or digit, "
                      "and no _ or ~")
IDENTIFIER_HINT = (f"A new entry's id (its file name) is made from this field: lowercase, accents removed, "
                   f"other characters become hyphens, at most {models.MAX_ID_LENGTH} characters (a longer one is cut).")


def _digits(low: str, high: str) -> str:
    """A regular expression for the numbers from ``low`` to ``high``, both written with as many digits."""
    if low == high:
        return low
    if low == "0" * len(low) and high == "9" * len(high):
        return rf"\d{{{len(low)}}}" if len(low) > 1 else r"\d"
    if len(low) == 1:
        return f"[{low}-{high}]"
    if low[0] == high[0]:
        return low[0] + _digits(low[1:], high[1:])
    rest = len(low) - 1
    parts = [low[0] + _digits(low[1:], "9" * rest)]
    if int(high[0]) - int(low[0]) > 1:
        parts.append(_digits(str(int(low[0]) + 1), str(int(high[0]) - 1)) + _digits("0" * rest, "9" * rest))
    parts.append(high[0] + _digits("0" * rest, high[1:]))
    return "(?:" + "|".join(parts) + ")"


# The dates the site can show (PartialDate): the check's years, months 01-12, days 01-31 (a 31 in a
# 30-day month is left to the check, which says which).
SHOWN_DATE_PATTERN = (f"^{_digits(f'{FIRST_YEAR:04d}', f'{LAST_YEAR:04d}')}"
                      r"(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
DATE_MESSAGE = (f"A date the site can show: YYYY, YYYY-MM or YYYY-MM-DD (for example 2023-10-04), "
                f"a year from {FIRST_YEAR} to {LAST_YEAR}")
URL_MESSAGE = ("An address that starts with https:// (the site links to https addresses only: not http:, "
               "mailto: or javascript:), without spaces, quotes or < >")
SOURCES_HINT = "Required: an entry that states facts names at least one source, else the check refuses it."
OPEN_HINT = ("If the sources leave it open, the file says why (an 'open' note): editing this field "
             "replaces that note.")
OPEN_DROPPED_HINT = ("The form does not show an open note: saving here drops it (edit such an entry in git "
                     "or in the local editor, which keeps it).")
REWRITE_HINT = ("Saving writes this file again as a whole: its comments are dropped and its fields follow the "
                "order of this form (to keep them, edit the file in git).")
HEADER = ("# The web editor's configuration (Sveltia CMS, in Decap CMS's format), generated from the\n"
          "# collection models by `python scripts/build.py cms`. Do not edit it: change the models and run that again.\n"
          "# The built site's admin/config.yml is this file with the repository filled in.\n")


def pattern_message(name: str, pattern: str) -> str:
    if pattern == models.ID_PATTERN:
        return "An id: lowercase letters, digits and single hyphens (the file name without .yml or .md)"
    if pattern == DATE_PATTERN:
        return DATE_MESSAGE
    if pattern.startswith("^https://"):
        return URL_MESSAGE
    if "@" in pattern:
        return "An e-mail address"
    return {
        "years": "A year (2020) or a span of years (2020–2021)",
        "reviewed": "A day: YYYY-MM-DD, for example 2024-05-27",
        "credentials": "A short abbreviation such as MD or MHA",
        "tags": "A short phrase of letters, digits, spaces, hyphens and apostrophes",
    }.get(name, "This value has the wrong form")


def _fields(model: type) -> Iterator[tuple[str, dict, str | None, str | None, type | None, bool]]:
    """(name, JSON Schema of the field, referenced collection, referenced collection of a list
    item, nested model, required) for each field, the model's own fields before the shared ones."""
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    shared = set(models.EntryModel.model_fields) if issubclass(model, models.EntryModel) else set()
    for name, direct, item, nested in sorted(models.field_plan(model), key=lambda facts: facts[0] in shared):
        yield name, _resolve(schema["properties"][name], schema), direct, item, nested, name in required


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


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _choices(node: dict) -> list[dict]:
    """The alternatives of a field without its null one (an optional field is not required)."""
    return [c for c in node.get("anyOf", [node]) if c.get("type") != "null"]


def is_open(value: Any) -> bool:
    """Whether ``value`` is an open note ``{open: why}``: a value, or the ``properties`` of its JSON Schema."""
    return isinstance(value, dict) and set(value) == {"open"}


def _is_date(choices: list[dict]) -> bool:
    return any(c.get("pattern") == DATE_PATTERN or "anyOf" in c and _is_date(c["anyOf"]) for c in choices)


def _identifier_field(spec: Any) -> str:
    """The field a new entry's id is made from: the one `build.py new` uses, else the first text."""
    model_fields = spec.model.model_fields
    if spec.scaffold_id_from in model_fields:
        return spec.scaffold_id_from
    own = [n for n in model_fields if n not in models.EntryModel.model_fields]
    return next((n for n in own if model_fields[n].is_required() and model_fields[n].annotation is str), own[0])


def _relation(target: str, known: dict[str, Any], multiple: bool) -> dict:
    spec = known[target]
    identifier = _identifier_field(spec)
    search = [identifier] + [n for n in ("acronym", "name", "title", "term")
                             if n in spec.model.model_fields and n != identifier]
    return {"widget": "relation", "collection": target, "value_field": "{{slug}}", "search_fields": search,
            "display_fields": [identifier], **({"multiple": True} if multiple else {})}


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
    choices = _choices(node)
    if direct and not item:
        if direct in known:
            return _relation(direct, known, False)
        return _string_widget({"pattern": models.ID_PATTERN}, name)
    if _is_date(choices):
        return {"widget": "string", "pattern": [SHOWN_DATE_PATTERN, DATE_MESSAGE]}
    node = next((c for c in choices if not is_open(c.get("properties"))), choices[0])
    kind = node.get("type")
    if kind == "array" and item:
        if item in known:
            return _relation(item, known, True)
        return {"widget": "list", "field": {"name": name, "label": _label(name), "widget": "string", "pattern": [
            models.ID_PATTERN, pattern_message(name, models.ID_PATTERN)]}}
    if kind == "array" and node.get("items", {}).get("type") == "object" or kind == "object":
        return {"widget": "list" if kind == "array" else "object",
                "fields": [_field(*facts, known) for facts in _fields(nested)]}
    if kind == "array":
        items = node.get("items", {})
        return {"widget": "list", "field": {"name": name, "label": _label(name), **_string_widget(items, name)}}
    if "enum" in node:
        return {"widget": "select", "options": list(node["enum"])}
    if kind == "integer":
        limits = {"min": node.get("minimum"), "max": node.get("maximum")}
        return {"widget": "number", "value_type": "int", **{k: v for k, v in limits.items() if v is not None}}
    if kind == "boolean":
        return {"widget": "boolean"}
    return _string_widget(node, name)


def _hint(*parts: str | None) -> str:
    return " ".join(filter(None, parts))


def _field(name: str, node: dict, direct: str | None, item: str | None, nested: type | None, required: bool,
           known: dict[str, Any]) -> dict:
    field: dict[str, Any] = {"name": name, "label": node.get("title") or _label(name)}
    field.update(_widget(name, node, direct, item, nested, known))
    # A value that may be an open note ({open: why}) is not the text field's: the form cannot
    # require the text, or an entry whose sources leave it open could not be saved.
    may_be_open = any(is_open(c.get("properties")) for c in _choices(node))
    field["required"] = required and not may_be_open
    description = node.get("description", "").strip()
    target = item or direct
    if target in known:
        what = known[target].singular + ("s" if item and not known[target].singular.endswith("s") else "")
        pick = f"Pick {'one or more' if item else 'one'} {what} from the list: it offers only existing ones."
        description = _hint("" if description.startswith("The id of") else description, pick)
    hint = _hint(description, OPEN_HINT if may_be_open else None,
                 "Required: fill it in, or keep the file's open note." if required and may_be_open else None)
    if field["widget"] == "object" and not required:
        # The CMS may check the fields of an object even when the object itself is optional (Decap
        # does), so that an empty optional object could not be saved: its fields are optional in
        # the form, an empty one is left out of the file (output.omit_empty_optional_fields), and
        # a half-filled one is reported by the check, located by file and line.
        needed = [sub["label"] for sub in field["fields"] if sub["required"]]
        for sub in field["fields"]:
            sub["required"] = False
        if needed:
            hint = _hint(hint, f"Leave it empty, or fill in at least: {', '.join(needed)}.")
    if hint:
        field["hint"] = hint
    return field


def collection_config(spec: Any, known: dict[str, Any], markdown: bool) -> dict:
    """The CMS collection of one content collection's files of one format: Markdown (front matter) or YAML."""
    identifier = _identifier_field(spec)
    fields = [_field(*facts, known) for facts in _fields(spec.model)]
    for field in fields:
        if field["name"] == identifier:
            field["pattern"] = [IDENTIFIER_PATTERN, IDENTIFIER_MESSAGE]
            field["hint"] = _hint(field.get("hint"), IDENTIFIER_HINT)
        if field["name"] == "sources" and spec.fact_bearing:
            field["required"] = True  # the check asks every fact-bearing entry for a source
            field["hint"] = _hint(field.get("hint"), SOURCES_HINT)
    if markdown:
        fields.append({"name": BODY_FIELD, "label": "Page text", "widget": "markdown", "modes": ["raw"],
                       "required": False,
                       "hint": "Markdown. [[id]] links to an entry, [[id|text]] with your own text."})
    own = markdown == (spec.file_suffix == ".md")
    return {
        "name": spec.name if own else spec.name + PAGES_SUFFIX,
        "label": spec.title if own else f"{spec.title} (pages with text)",
        "label_singular": spec.singular.capitalize() if own else f"{spec.singular.capitalize()} with page text",
        "folder": f"content/{spec.name}",
        "create": True,
        "extension": "md" if markdown else "yml",
        "format": "frontmatter" if markdown else "yml",
        "slug": "{{slug}}",
        "identifier_field": identifier,
        "summary": "{{" + identifier + "}}",
        "fields": fields,
    }


def all_fields(fields: list[dict]) -> Iterator[dict]:
    for field in fields:
        yield field
        yield from all_fields(field.get("fields", []))
        if "field" in field:
            yield from all_fields([field["field"]])


def generate_config(repo: str | None = None, api_root: str | None = None, site_url: str | None = None,
                    local: bool = False) -> dict:
    """The whole CMS configuration. ``repo`` is "owner/name" on GitHub (a placeholder if None).
    ``api_root`` only for another API than GitHub's: the tests' fake, or the local web editor
    (``local``: scripts/cms_serve.py's GitHub-like API on 127.0.0.1, saving straight into the
    working tree, no pull request); never in the committed or published copy."""
    known = collections.registry()
    backend: dict[str, Any] = {"name": "github", "repo": repo or "OWNER/REPOSITORY", "branch": "main",
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
    config["collections"] = []
    for spec in known.values():
        config["collections"].append(collection_config(spec, known, spec.file_suffix == ".md"))
        if spec.file_suffix == ".yml" and spec.has_pages:  # its entries may have a page text
            config["collections"].append(collection_config(spec, known, True))
    if not local:  # the browser writes to GitHub: the file is written again, and the form says so first
        for collection in config["collections"]:
            first = collection["fields"][0]
            first["hint"] = _hint(first.get("hint"), REWRITE_HINT)
            for field in all_fields(collection["fields"]):
                if OPEN_HINT in field.get("hint", ""):
                    field["hint"] += " " + OPEN_DROPPED_HINT
    return config


def render_config(config: dict | None = None) -> str:
    config = generate_config() if config is None else config
    return HEADER + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)


def write_config(root: Path) -> Path:
    """Write ``cms/config.yml`` (the committed copy, as for ``schemas/``)."""
    path = root / CMS_DIR / CONFIG_FILE
    path.parent.mkdir(exist_ok=True)
    path.write_text(render_config(), encoding="utf-8")
    return path
