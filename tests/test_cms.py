"""The web editor's configuration, generated from the models: no drift, the right widget for every
field, and the admin page's files (the browser tests drive the editor itself)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, write_tree
from oirsite import cms
from oirsite import cms_admin
from oirsite.collections import registry
from oirsite.core.dates import DATE_PATTERN
from oirsite.read.loader import SUFFIXES
from oirsite.model.fields import ID_PATTERN

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
    assert [c["name"] for c in committed["collections"]] == list(COLLECTIONS)


def test_production_uses_github_with_pull_requests_and_only_the_local_editor_has_a_local_backend(config):
    """The committed and published configuration never points the editor at a server on the
    reader's machine; the copy scripts/cms_serve.py serves does, on 127.0.0.1 only, with its key."""
    assert config["backend"]["name"] == "github"
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config
    local = cms.generate_config(local_backend_url="http://127.0.0.1:8080/api/v1?token=k")["local_backend"]
    assert local == {"url": "http://127.0.0.1:8080/api/v1?token=k", "allowed_hosts": ["127.0.0.1"]}
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}


@pytest.mark.parametrize("name", sorted(COLLECTIONS))
def test_each_collection_is_its_folder_in_the_format_the_build_reads(config, name):
    spec = COLLECTIONS[name]
    collection = _cms_collection(config, name)
    assert collection["folder"] == f"content/{name}"
    assert "." + collection["extension"] in SUFFIXES
    assert "." + collection["extension"] == spec.file_suffix  # what `build.py new` writes too
    assert collection["format"] == ("frontmatter" if spec.file_suffix == ".md" else "yml")
    assert collection["slug"] == "{{slug}}" and collection["create"] is True
    names = [f["name"] for f in collection["fields"]]
    body = [cms.BODY_FIELD] if spec.file_suffix == ".md" else []
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
        assert field["required"] is (field["name"] in required and not inside_optional), here
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
            assert field["widget"] == "string" and field["pattern"][0] == DATE_PATTERN, here
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


@pytest.mark.parametrize("name", sorted(COLLECTIONS))
def test_every_field_has_its_widget_required_flag_pattern_and_help(config, name):
    collection = _cms_collection(config, name)
    properties, required, schema = _schema_properties(COLLECTIONS[name].model)
    if COLLECTIONS[name].fact_bearing:  # the check asks these for a source: so does the form
        required = required | {"sources"}
    fields = [f for f in collection["fields"] if f["name"] != cms.BODY_FIELD]
    _walk(fields, properties, required, schema, False, name)


def test_references_are_relations_to_their_collection(config):
    """The fields that hold ids of organizations and people, wherever they are nested."""
    def relations(fields):
        for field in fields:
            if field["widget"] == "relation":
                yield field["name"], field["collection"]
            yield from relations(field.get("fields", []))
    found = {(c["name"], name, target) for c in config["collections"] for name, target in relations(c["fields"])}
    assert ("events", "organizations", "organizations") in found
    assert ("events", "people", "people") in found
    assert ("people", "organization", "organizations") in found  # inside roles
    assert ("organizations", "person", "people") in found  # inside contacts
    assert ("committees", "organization", "organizations") in found


def test_fields_are_in_the_order_of_the_model_with_the_shared_ones_last(config):
    """Decap writes keys in the order of the form: the files keep the order editors know."""
    events = [f["name"] for f in _cms_collection(config, "events")["fields"]]
    assert events.index("title") < events.index("date") < events.index("summary") < events.index("sources")


def test_hidden_files_lists_files_of_the_other_format(tmp_path):
    root = write_tree(tmp_path, {
        "content/events/a.md": "---\ntitle: A\n---\n",
        "content/events/b.yml": "title: B\n",
        "content/people/c.yml": "name: C\n",
        "content/people/d.md": "---\nname: D\n---\n",
    })
    hidden = cms_admin.hidden_files(root)
    assert "content/events/b.yml" in hidden and "content/people/d.md" in hidden
    assert "content/events/a.md" not in hidden and "content/people/c.yml" not in hidden


def test_repo_from_url():
    assert cms_admin.repo_from_url("https://github.com/ama/oir-site") == "ama/oir-site"
    assert cms_admin.repo_from_url("https://github.com/ama/oir-site.git") == "ama/oir-site"
    assert cms_admin.repo_from_url("https://example.org/ama/oir-site") is None
    assert cms_admin.repo_from_url(None) is None


@pytest.fixture(scope="module")
def decap_installed() -> Path:
    main = ROOT / cms.DECAP_DIST / "decap-cms.js"
    if not main.is_file():
        message = "the web editor is not installed: run `npm ci`"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return main


def test_admin_files_are_the_page_its_config_and_the_cms_from_node_modules(decap_installed):
    files = cms_admin.admin_files(ROOT, repo_url="https://github.com/ama/oir-site")
    assert set(files) >= {"admin/index.html", "admin/config.yml", "admin/decap-cms.js", "admin/cms-setup.js"}
    assert all(path.startswith("admin/") and "/" not in path[len("admin/"):] for path in files)
    assert files["admin/decap-cms.js"] == decap_installed.read_bytes()
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


def test_the_built_site_has_the_admin_page_outside_search_and_sitemap(decap_installed, built_site):
    import json
    assert (built_site / "admin/index.html").is_file() and (built_site / "admin/decap-cms.js").is_file()
    assert "/admin/" not in (built_site / "sitemap.xml").read_text(encoding="utf-8")
    search = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert search["docs"] and not [d for d in search["docs"] if d["location"].startswith("admin")]
