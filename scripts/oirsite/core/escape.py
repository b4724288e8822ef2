"""One escaper per output format, each total: no text can break the format it writes into.

* ``ics_text`` and ``ics_lines``: iCalendar (RFC 5545) TEXT values and content lines;
* ``xml_text``: text for XML 1.0 (the Atom feed);
* ``script_json``: JSON inside an HTML ``<script>`` element (JSON-LD).

Each one is tested with generated text against the real parser of its format (tests/test_escape.py).
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable

__all__ = ["ics_text", "ics_lines", "xml_text", "script_json", "yaml_scalar", "REPLACEMENT"]

REPLACEMENT = "\ufffd"  # what a character that a format cannot carry becomes: visible, never silent

# Line breaks of every kind: CRLF, a lone CR, a lone LF, and the Unicode ones a reader sees as breaks.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
# RFC 5545 3.3.11: TEXT may hold any character but the controls (except HTAB); we also drop the
# noncharacters U+FFFE/U+FFFF and lone surrogates, which cannot be written as UTF-8.
_ICS_INVALID = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
# XML 1.0 (2.2 Char): tab, LF, CR, and U+0020 and above except surrogates and U+FFFE/U+FFFF; and the
# C1 controls U+007F-U+009F, which 2.2 asks authors to avoid: feed readers take them for the
# Windows-1252 characters of the same bytes (feedparser reads U+0085 as '…').
_XML_BREAKS = re.compile("[\x0b\x0c\x85]")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def ics_text(value: str) -> str:
    """An RFC 5545 TEXT value (3.3.11): backslash, ';' and ',' escaped, every line break written as
    '\\n' (also VT, FF, NEL, U+2028, U+2029, which some readers split on: README, "One escaper per
    format"), other control characters replaced."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = _LINE_BREAK.sub(r"\\n", value)
    return _ICS_INVALID.sub(REPLACEMENT, value)


def _fold(line: str) -> str:
    """One content line folded at 75 octets (RFC 5545, 3.1), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    pieces, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte: step back
            end -= 1
        pieces.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines begin with one space
    return "\r\n ".join(pieces) + "\r\n"


def ics_lines(lines: Iterable[str]) -> str:
    """Content lines joined as RFC 5545 requires: each folded at 75 octets, each ended by CRLF.

    A line must not hold a line break or a control character itself (its values went through
    ``ics_text``); if one does, it is replaced rather than allowed to start a new property."""
    return "".join(_fold(_ICS_INVALID.sub(REPLACEMENT, _LINE_BREAK.sub(" ", line))) for line in lines)


def xml_text(value: str) -> str:
    """``value`` with every character XML 1.0 cannot hold, or that readers do not read back as
    written, replaced; VT, FF and NEL written as LF; U+2028/2029 kept (README, "One escaper per
    format"). Markup characters are left to the XML writer, which escapes them."""
    return _XML_INVALID.sub(REPLACEMENT, _XML_BREAKS.sub("\n", value))


_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def script_json(value: Any) -> str:
    """JSON for the inside of a ``<script>`` element: ``<``, ``>``, ``&``, U+2028 and U+2029 written as
    \\u escapes, so that no '</script', '<!--' or line separator can appear, and the same value is read
    back. Lone surrogates (which UTF-8 cannot carry) are written as \\u escapes too."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = _SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group(0)], text)
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group(0)):04x}", text)


def yaml_scalar(value: object) -> str:
    """A YAML scalar, quoted only where YAML needs it."""
    import yaml
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).removesuffix("\n...\n").strip()
