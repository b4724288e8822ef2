"""Validation: a pydantic model over the values as read, every error translated into one located
message in plain words (never pydantic's own wording, never a union member's name)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.diagnostics import Diagnostics, did_you_mean
from ..model.fields import Strict, fields_at
from .source import SourceFile
from .yamlread import Positions


def field_label(path: tuple) -> str:
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else str(part))
    return label or "the file"


def validate(model: type[Strict], data: dict, positions: Positions, source: SourceFile,
             diagnostics: Diagnostics) -> Strict | None:
    """Validate ``data`` into ``model``; translate every pydantic error into a located diagnostic."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [(_data_path(error["loc"], data, error["type"]), error) for error in exc.errors(include_url=False)]
        paths = {path for path, _ in errors}
        reported: set[tuple] = set()
        for path, error in errors:
            if path in reported:  # a union reports once per alternative; one message is enough
                continue
            if any(other[:len(path)] == path and len(other) > len(path) for other in paths):
                continue  # another alternative of a union got further into the value: its message is the one
            reported.add(path)
            _report(error, path, model, positions, source.path, diagnostics)
        return None


def _data_path(loc: tuple, data: Any, kind: str = "missing") -> tuple:
    """The part of a pydantic ``loc`` that names real keys and indexes of ``data`` (and, for a
    missing or unknown field, its name; any other name is a union member's, such as 'str')."""
    path: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif (kind in ("missing", "extra_forbidden") and isinstance(node, dict) and isinstance(part, str)
              and part not in node and len(path) == len(loc) - 1):
            path.append(part)  # a missing or unknown field: its name is the last part
            break
        else:
            continue  # a union member's name, such as 'str' or 'Open'
        path.append(part)
    return tuple(path)


def _report(error: dict, path: tuple, model: type[BaseModel], positions: Positions, file: str,
            diagnostics: Diagnostics) -> None:
    kind = error["type"]
    label = field_label(path)
    if kind == "missing":
        line, col = positions.of_value(path[:-1])
        diagnostics.error(file, line, col, "missing-field", f"the required field '{label}' is missing",
                          f"add a line '{path[-1]}: ...'")
        return
    if kind == "extra_forbidden":
        line, col = positions.of_key(path)
        known = fields_at(model, path[:-1])
        diagnostics.error(file, line, col, "unknown-field", f"unknown field '{label}'",
                          did_you_mean(str(path[-1]), known, "the fields here are: " + ", ".join(known)))
        return
    line, col = positions.of_value(path)
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        message = _pattern_message(next((p for p in reversed(path) if isinstance(p, str)), ""))
    elif kind == "string_too_short":
        message = "this is empty: write a value"
    elif kind == "model_type" or kind == "dict_type":
        message = "this should be a group of fields ('name: value' lines, indented)"
    elif kind == "list_type":
        message = "this should be a list (lines starting with '- ')"
    elif kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        message = f"'{error['input']}' is not allowed here; write one of: {expected}"
    elif kind == "string_type":
        message = "this should be text (put it in quotes if it looks like a number or a date)"
    elif kind in ("int_type", "int_parsing"):
        message = "this should be a whole number"
    else:
        message = message.replace("Input should be", "this should be")
    diagnostics.error(file, line, col, "invalid-value", f"'{label}': {message}")


def _pattern_message(field: Any) -> str:
    return {
        "url": "an address must start with https://",
        "website": "an address must start with https://",
        "email": "this is not an e-mail address",
        "years": "write a year (2020) or a span of years (2020–2021)",
        "credentials": "a credential is a short abbreviation such as MD or MHA",
        "tags": "a tag is a short phrase of letters, digits, spaces, hyphens and apostrophes",
        "reviewed": "write the day as YYYY-MM-DD, for example 2024-05-27",
        "consulted": "write the day as YYYY-MM-DD, for example 2024-05-27",
        "formerly": "a former id is lowercase letters, digits and single hyphens",
        "sources": "a source is the id of a file in content/sources/",
    }.get(field, "this value has the wrong form") if isinstance(field, str) else "this value has the wrong form"
