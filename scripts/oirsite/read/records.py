"""The kept text of the seed pages (``records/NAME.txt``): the record the content was made from,
against which every locator on a seed source is checked."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.diagnostics import Diagnostics
from .loader import Entry

RECORDS_DIR = "records"
MAX_RECORD_BYTES = 1_000_000
# Typographic quotes and dashes read as their plain forms: an editor types ' where the page has ’.
_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                        "\u2014": "-", "\u00a0": " "})


def comparable(text: str) -> str:
    """``text`` as locators are matched: plain quotes and dashes, one space for any run of blanks, case folded."""
    return re.sub(r"\s+", " ", text.translate(_PLAIN)).strip().casefold()


def read_records(root: Path, sources: list[Entry], diagnostics: Diagnostics) -> dict[str, str]:
    """Source id -> its record's comparable text; a record that cannot be read is an error at the
    source's ``record:`` line."""
    records: dict[str, str] = {}
    for entry in sources:
        name = getattr(entry.data, "record", None)
        if not name:
            continue
        file = root / RECORDS_DIR / name
        problem = None
        if not file.is_file() or file.is_symlink():
            problem = f"there is no file {RECORDS_DIR}/{name}"
        elif file.stat().st_size > MAX_RECORD_BYTES:
            problem = f"{RECORDS_DIR}/{name} is larger than {MAX_RECORD_BYTES:,} bytes"
        else:
            try:
                records[entry.id] = comparable(file.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                problem = f"{RECORDS_DIR}/{name} cannot be read as UTF-8 text"
        if problem:
            diagnostics.error(entry.source, *entry.location(("record",)), "missing-record", problem,
                              f"keep the page's text in {RECORDS_DIR}/ under that name, or correct the name")
    return records
