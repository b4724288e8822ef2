"""JSON Schemas of the collections, generated from the models, for editors' YAML tooling."""

from __future__ import annotations

import json
from pathlib import Path

from .. import collections

SCHEMA_DIR = "schemas"


def render_schemas() -> dict[str, str]:
    """File name -> JSON text, for every collection."""
    schemas = {}
    for c in collections.registry().values():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{c.name}.schema.json",
                  **c.model.model_json_schema(),
                  "title": f"A {c.singular} (content/{c.name}/<id>.yml or the front matter of <id>.md)"}
        schemas[f"{c.name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return schemas


def write_schemas(root: Path) -> list[Path]:
    out = root / SCHEMA_DIR
    out.mkdir(exist_ok=True)
    texts = render_schemas()
    for name, text in texts.items():
        (out / name).write_text(text, encoding="utf-8")
    return [out / name for name in texts]
