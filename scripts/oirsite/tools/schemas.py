"""JSON Schemas of the collections, generated from the models, for editors' YAML tooling."""

from __future__ import annotations

import json
from pathlib import Path

from .. import collections
from ..collections import CollectionSpec

SCHEMA_DIR = "schemas"


def schema_for(collection: CollectionSpec) -> dict:
    schema = collection.model.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{collection.name}.schema.json",
        **schema,
        "title": f"A {collection.singular} (content/{collection.name}/<id>.yml or the front matter of <id>.md)",
    }


def render_schemas() -> dict[str, str]:
    """File name -> JSON text, for every collection."""
    return {f"{c.name}.schema.json": json.dumps(schema_for(c), indent=2, ensure_ascii=False) + "\n"
            for c in collections.registry().values()}


def write_schemas(root: Path) -> list[Path]:
    out = root / SCHEMA_DIR
    out.mkdir(exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
