"""The web editor's configuration, generated from the models: no drift, the right widget for every
field, and the admin page's files (the browser tests drive the editor itself)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, write_tree
from oirsite.tools import cms
from oirsite.tools import cms_admin
from oirsite.collections import registry
from oirsite.core.dates import DATE_PATTERN
from oirsite.read.loader import SUFFIXES
from oirsite.model.fields import ID_PATTERN, MAX_ID_LENGTH

COLLECTIONS = registry()
REF_DESCRIPTION = re.compile(r"a file name in content/(?:(\w+)/)?\)")


@pytest.fixture(scope="module")
def config() -> dict:
    return cms.generate_config()


def _cms_collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def _schema_properties(model) -> tuple[dict, set, dict]:
    schema = model.model_json_schema()
    return schema.get("properties", {}), set(schema.get("required", [])), schema


def _resolve(node, schema):
    return cms._resolve(node, schema)


def test_committed_config_matches_the_models():
    path = ROOT / cms.CMS_DIR / cms.CONFIG_FILE
    assert path.is_file(), "cms/config.yml is missing: run python scripts/build.py cms"
    assert path.read_text(encoding="utf-8") == cms.render_config(), \
        "cms/config.yml is out of date: run python scripts/build.py cms"


def test_the_committed_config_is_yaml_that_names_every_collection():
    committed = yaml.safe_load((ROOT / cms.CMS_DIR / cms.CONFIG_FILE).read_text(encoding="utf-8"))
    names = [c["name"] for c in committed["collections"]]
    assert [n for n in names if not n.endswith(cms.PAGES_SUFFIX)] == list(COLLECTIONS)
    assert [n for n in names if n.endswith(cms.PAGES_SUFFIX)] == [
        n + cms.PAGES_SUFFIX for n, spec in COLLECTIONS.items() if spec.file_suffix == ".yml" and spec.has_pages]


CMS_COLLECTIONS = [c["name"] for c in cms.generate_config()["collections"]]


@pytest.mark.parametrize("name", CMS_COLLECTIONS)
def test_each_collection_is_its_folder_in_the_format_the_build_reads(config, name):
    collection = _cms_collection(config, name)
    spec = COLLECTIONS[name.removesuffix(cms.PAGES_SUFFIX)]
    suffix = ".md" if name.endswith(cms.PAGES_SUFFIX) else spec.file_suffix  # what `build.py new` writes
    assert collection["folder"] == f"content/{spec.name}"
    assert "." + collection["extension"] in SUFFIXES
    assert "." + collection["extension"] == suffix
    assert collection["format"] == ("frontmatter" if suffix == ".md" else "yml")
    assert collection["slug"] == "{{slug}}" and collection["create"] is True
    names = [f["name"] for f in collection["fields"]]
    body = [cms.BODY_FIELD] if suffix == ".md" else []
    assert sorted(names) == sorted([*spec.model.model_fields, *body])
    if body:
        assert collection["fields"][-1] == {**collection["fields"][-1], "widget": "markdown", "modes": ["raw"],
                                            "required": False}
    identifier = next(f for f in collection["fields"] if f["name"] == collection["identifier_field"])
    assert identifier["required"] is True
    assert identifier["pattern"][0] == cms.IDENTIFIER_PATTERN


def _walk(fields: list[dict], properties: dict, required: set, schema: dict, inside_optional: bool,
          where: str):
    """Check each widget against the JSON Schema of its field (the schemas' own source: the models)."""
    assert sorted(f["name"] for f in fields) == sorted(properties), where
    for field in fields:
        node = _resolve(properties[field["name"]], schema)
        here = f"{where}.{field['name']}"
        choices = [c for c in node.get("anyOf", [node]) if c.get("type") != "null"]
        # required: as in the model; inside an optional object every field is optional in the form
        may_be_open = any(set(c.get("properties", {})) == {"open"} for c in choices)
        assert field["required"] is (field["name"] in required and not inside_optional and not may_be_open), here
        if node.get("description") and not node["description"].startswith("The id of"):
            assert node["description"] in field.get("hint", ""), here
        items = next((c.get("items") for c in choices if c.get("type") == "array"), None)
        target = REF_DESCRIPTION.search((items or choices[0]).get("description", ""))
        if target:
            if target.group(1) in COLLECTIONS:  # a reference: only existing ids of that collection
                assert field["widget"] == "relation", here
                assert field["collection"] == target.group(1), here
                assert field["value_field"] == "{{slug}}", here
                assert field.get("multiple", False) is (items is not None), here
                assert set(field["display_fields"]) <= set(field["search_fields"]), here
            else:  # any collection, or one that does not exist yet: an id, checked by its pattern
                assert (field.get("field") or field)["pattern"][0] == ID_PATTERN, here
            continue
        flat = [c for alt in choices for c in alt.get("anyOf", [alt])]
        if any(c.get("pattern") == DATE_PATTERN for c in flat):
            assert field["widget"] == "string" and field["pattern"][0] == cms.SHOWN_DATE_PATTERN, here
            continue
        kinds = {c.get("type") for c in choices}
        if "array" in kinds:
            assert field["widget"] == "list", here
            if items.get("type") == "object":
                sub = _resolve(items, schema)
                _walk(field["fields"], sub["properties"], set(sub.get("required", [])), schema, False, here)
            elif "pattern" in items:
                assert field["field"]["pattern"][0] == items["pattern"], here
        elif "enum" in choices[0]:
            assert field["widget"] == "select" and field["options"] == choices[0]["enum"], here
        elif kinds == {"integer"}:
            assert field["widget"] == "number" and field["value_type"] == "int", here
            assert field.get("min") == choices[0].get("minimum"), here
        elif any(c.get("type") == "object" and set(c.get("properties", {})) != {"open"} for c in choices):
            sub = next(c for c in choices if c.get("type") == "object")
            assert field["widget"] == "object", here
            _walk(field["fields"], sub["properties"], set(sub.get("required", [])), schema,
                  inside_optional or not field["required"] and field["name"] not in required, here)
        else:
            assert field["widget"] in ("string", "text"), here
            pattern = next((c["pattern"] for c in choices if "pattern" in c), None)
            if pattern:
                assert field["pattern"][0] == pattern, here
            if any(set(c.get("properties", {})) == {"open"} for c in choices):
                assert "open" in field["hint"], here


@pytest.mark.parametrize("name", CMS_COLLECTIONS)
def test_every_field_has_its_widget_required_flag_pattern_and_help(config, name):
    collection = _cms_collection(config, name)
    name = name.removesuffix(cms.PAGES_SUFFIX)
    properties, required, schema = _schema_properties(COLLECTIONS[name].model)
    if COLLECTIONS[name].fact_bearing:  # the check asks these for a source: so does the form
        required = required | {"sources"}
    fields = [f for f in collection["fields"] if f["name"] != cms.BODY_FIELD]
    _walk(fields, properties, required, schema, False, name)


def all_fields(fields):
    for field in fields:
        yield field
        yield from all_fields(field.get("fields", []))
        if "field" in field:
            yield from all_fields([field["field"]])


def test_the_forms_date_rule_accepts_the_dates_the_site_can_show_and_no_other():
    """The form's pattern and the check (PartialDate) agree on every year, month and day edge,
    apart from the 31st of a shorter month, which the check reports."""
    from oirsite.core.dates import FIRST_YEAR, LAST_YEAR, PartialDate
    pattern = re.compile(cms.SHOWN_DATE_PATTERN)
    years = {f"{y:04d}" for y in (0, 999, FIRST_YEAR, FIRST_YEAR + 1, 1999, 2000, 2024, 8999, 9000, 9899, 9900,
                                    9989, 9990, LAST_YEAR - 1, LAST_YEAR, LAST_YEAR + 1)} | {"99", "20245", "2o24"}
    checked = 0
    for year in years:
        for month in (None, "00", "01", "02", "09", "10", "12", "13", "1"):
            for day in (None, "00", "01", "28", "32", "1") if month else (None,):
                value = year + (f"-{month}" if month else "") + (f"-{day}" if day else "")
                try:
                    PartialDate.parse(value)
                    shown = True
                except ValueError:
                    shown = False
                assert bool(pattern.match(value)) is shown, value
                checked += 1
    assert checked > 500
    assert pattern.match("2023-01-31") and pattern.match("2023-02-31")  # the second: the check's to refuse


def test_the_forms_say_the_checks_rules_before_the_pull_request_does(config):
    """Ids at most as long as the check allows, https links only, sources where the check asks for
    them, each with a hint that says so."""
    assert config["slug"]["maxlength"] == MAX_ID_LENGTH  # a new entry's id from a long title is cut
    for collection in config["collections"]:
        spec = COLLECTIONS[collection["name"].removesuffix(cms.PAGES_SUFFIX)]
        fields = list(all_fields(collection["fields"]))
        for field in fields:
            pattern = field.get("pattern", [None])[0]
            if pattern == ID_PATTERN:
                assert field["maxlength"] == MAX_ID_LENGTH, (collection["name"], field["name"])
            if pattern and pattern.startswith("^https://"):
                assert re.match(pattern, "https://example.org/a?b#c")
                for bad in ("http://example.org/", "javascript:alert(1)", "mailto:a@example.org",
                            "https://example.org/<script>", "//example.org/"):
                    assert not re.match(pattern, bad), bad
                assert "https://" in field["pattern"][1]
        identifier = next(f for f in collection["fields"] if f["name"] == collection["identifier_field"])
        assert str(MAX_ID_LENGTH) in identifier["hint"]
        sources = next((f for f in collection["fields"] if f["name"] == "sources"), None)
        if spec.fact_bearing:
            assert sources["required"] is True and "source" in sources["hint"]
    urls = [f for c in config["collections"] for f in all_fields(c["fields"])
            if f.get("pattern", [""])[0].startswith("^https://")]
    assert urls


def test_the_published_form_says_a_save_rewrites_the_file_and_the_local_one_does_not(config):
    """On the published site the browser writes the file whole to GitHub: every form's first field
    says so. The local editor keeps the file (only the changed fields are written)."""
    assert all(cms.REWRITE_HINT in c["fields"][0]["hint"] for c in config["collections"])
    local = cms.generate_config(api_root="http://127.0.0.1:1", local=True)
    assert not [f for c in local["collections"] for f in all_fields(c["fields"]) if cms.REWRITE_HINT in f.get("hint", "")]
    # A field that may hold an open note: the published form says a save drops the note (the
    # form cannot show it); the local editor keeps it.
    may_be_open = [f for c in config["collections"] for f in all_fields(c["fields"]) if cms.OPEN_HINT in f.get("hint", "")]
    assert may_be_open and all(cms.OPEN_DROPPED_HINT in f["hint"] and not f["required"] for f in may_be_open)
    assert not [f for c in local["collections"] for f in all_fields(c["fields"]) if cms.OPEN_DROPPED_HINT in f.get("hint", "")]


def test_references_are_relations_to_their_collection(config):
    """The fields that hold ids of organizations and people, wherever they are nested."""
    def relations(fields):
        for field in fields:
            if field["widget"] == "relation":
                yield field["name"], field["collection"]
            yield from relations(field.get("fields", []))
    found = {(c["name"], name, target) for c in config["collections"] for name, target in relations(c["fields"])}
    assert ("events", "organizers", "organizations") in found
    assert ("events", "person", "people") in found  # inside people: [{person, role}]
    assert ("people", "organization", "organizations") in found  # inside roles
    assert ("organizations", "person", "people") in found  # inside contacts
    assert ("committees", "organization", "organizations") in found


def test_fields_are_in_the_order_of_the_model_with_the_shared_ones_last(config):
    """The CMS writes a new file's keys in the order of the form: the order editors know."""
    events = [f["name"] for f in _cms_collection(config, "events")["fields"]]
    assert events.index("title") < events.index("date") < events.index("summary") < events.index("sources")


def test_hidden_files_lists_files_no_cms_collection_lists(tmp_path):
    root = write_tree(tmp_path, {
        "content/events/a.md": "---\ntitle: A\n---\n",
        "content/events/b.yml": "title: B\n",
        "content/people/c.yml": "name: C\n",
        "content/people/d.md": "---\nname: D\n---\n",
        "content/people/e.yaml": "name: E\n",
        "content/glossary/f.md": "---\nterm: F\n---\n",
    })
    hidden = cms_admin.hidden_files(root)
    assert sorted(hidden) == ["content/events/b.yml", "content/glossary/f.md", "content/people/c.yml",
                             "content/people/e.yaml"]  # people are Markdown in the editor


def test_every_content_file_is_editable_in_the_web_editor():
    """Each file of content/ is listed by a CMS collection (its folder, its extension): IFMSA's and
    the OIR's pages too. A file of another format fails here, not when an editor looks for it."""
    assert cms_admin.hidden_files(ROOT) == []
    reachable = cms_admin.reachable_suffixes()
    files = [p for p in (ROOT / "content").rglob("*") if p.is_file() and p.suffix in SUFFIXES]
    assert files and all(p.suffix in reachable[p.parent.relative_to(ROOT).as_posix()] for p in files)
    assert {"content/organizations/ifmsa.md", "content/organizations/oir.md"} <= {
        p.relative_to(ROOT).as_posix() for p in files}


def test_repo_from_url():
    assert cms_admin.repo_from_url("https://github.com/ama/oir-site") == "ama/oir-site"
    assert cms_admin.repo_from_url("https://github.com/ama/oir-site.git") == "ama/oir-site"
    assert cms_admin.repo_from_url("https://example.org/ama/oir-site") is None
    assert cms_admin.repo_from_url(None) is None


@pytest.fixture(scope="module")
def cms_installed() -> Path:
    main = ROOT / cms.PACKAGE / "dist" / "sveltia-cms.js"
    if not main.is_file():
        message = "the web editor is not installed: run `npm ci`"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return main


def test_admin_files_are_the_page_its_config_and_the_cms_from_node_modules(cms_installed):
    files = cms_admin.admin_files(ROOT, repo_url="https://github.com/ama/oir-site")
    assert set(files) >= {"admin/index.html", "admin/config.yml", "admin/sveltia-cms.js", "admin/chunks/react-dom.js"}
    assert all(re.fullmatch(r"admin/(?:(?:fonts|chunks)/)?[A-Za-z0-9_.-]+", path) for path in files), sorted(files)
    package = cms_installed.parent.parent
    assert len(files["admin/sveltia-cms.js"]) - len(cms_installed.read_bytes()) < 1000  # a few addresses replaced
    for stem in cms_admin.FONTS.values():  # the fonts are the package's own
        (font,) = (package / "npm/assets").glob(f"{stem}-*.woff2")
        assert files[f"admin/fonts/{stem}.woff2"] == font.read_bytes()
    page = files["admin/index.html"].decode()
    assert '<meta name="robots" content="noindex">' in page
    sources = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert sources and all(not re.match(r"[a-z]+://|//", s) for s in sources if s != "data:,"), sources
    for source in sources:
        assert source == "data:," or f"admin/{source}" in files
    served = yaml.safe_load(files["admin/config.yml"])
    assert served["backend"]["repo"] == "ama/oir-site"
    assert served["collections"] == cms.generate_config()["collections"]


def test_admin_files_without_npm_say_what_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="npm ci"):
        cms_admin.admin_files(tmp_path)


def test_a_bundle_whose_foreign_addresses_moved_fails_the_build(tmp_path, cms_installed):
    """Another version of the CMS that loads its fonts from elsewhere is refused, not published."""
    package = tmp_path / cms.PACKAGE
    import shutil
    shutil.copytree(cms_installed.parent.parent, package, ignore=shutil.ignore_patterns("*.map", "*.mjs", "node_modules"))
    main = package / "dist/sveltia-cms.js"
    main.write_bytes(main.read_bytes().replace(b"cdn.jsdelivr.net/fontsource/fonts/noto-mono", b"cdn.example/noto-mono"))
    with pytest.raises(RuntimeError, match="a font.*0 times"):
        cms_admin.bundle(tmp_path)


def test_the_built_site_has_the_admin_page_outside_search_and_sitemap(cms_installed, built_site):
    import json
    assert (built_site / "admin/index.html").is_file() and (built_site / "admin/sveltia-cms.js").is_file()
    assert (built_site / "admin/fonts/noto-mono-latin-400-normal.woff2").is_file()
    assert "/admin/" not in (built_site / "sitemap.xml").read_text(encoding="utf-8")
    search = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert search["docs"] and not [d for d in search["docs"] if d["location"].startswith("admin")]
