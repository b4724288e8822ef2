"""Diagnostics: every problem found in the content is data, never an exception.

Every stage appends to one list and goes on, so one run reports everything. Printers turn the
list into text for people or into GitHub workflow commands for pull-request annotations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Iterable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem (or open item) at a place in a file. Lines and columns count from 1."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format_text(self) -> str:
        """``path:line:col: severity: message [code]`` and an indented hint, each on one line.

        Every field may hold an editor's text: line breaks and other control characters are shown
        escaped (``\\n``), so that no printed line can start with ``::`` or ``##[`` (GitHub
        Actions reads such lines of a log as workflow commands)."""
        path = shown(self.path)
        if path.lstrip().startswith((":", "#")):  # ' :' would print ' ::3:4: ...', read as a command
            path = "./" + path
        text = f"{path}:{self.line}:{self.col}: {self.severity.value}: {_one_line(self.message)} [{_one_line(self.code)}]"
        if self.hint:
            text += f"\n    hint: {_one_line(self.hint)}"
        return text

    def format_github(self) -> str:
        """One workflow command; every property and the message escaped as GitHub Actions decodes them."""
        command = "error" if self.is_error else "warning"
        message = _one_line(self.message) + (f" ({_one_line(self.hint)})" if self.hint else "")
        return (
            f"::{command} file={_gh_property(_one_line(self.path))},line={self.line},col={self.col},"
            f"title={_gh_property(_one_line(self.code))}::{_gh_data(message)}"
        )


# Characters that end a line in some reader of a log (Python's str.splitlines breaks at all of
# them), and the other control characters: shown as escapes, never printed as they are.
# The bidirectional controls too: they reorder what a reader sees of the rest of the line.
_NOT_PRINTED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def _one_line(text: str) -> str:
    """``text`` on one line: control characters and line separators written as escapes."""
    return _NOT_PRINTED.sub(_escape, str(text))


def shown(text: object) -> str:
    """A path or name from the content (or the command line) as the scripts print it outside a
    diagnostic: on one line, and never at the start of a line as a CI log's workflow command."""
    text = _one_line(str(text))
    return "./" + text if text.startswith((":", "#")) else text


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


# Every code a diagnostic may carry; CONTRIBUTING.md explains each one to editors (a test checks).
CODES = frozenset({
    # reading files
    "unreadable", "encoding", "symlink-outside", "file-type", "misplaced-file", "unknown-collection", "no-content",
    "bad-id", "duplicate-id", "front-matter", "empty", "not-a-mapping", "control-character", "file-too-large",
    # docs/ files
    "symlink", "reserved-path",
    # YAML
    "yaml-syntax", "yaml-tag", "yaml-alias", "yaml-key", "duplicate-key", "yaml-depth",
    # fields
    "missing-field", "unknown-field", "invalid-value",
    # references and links
    "unknown-reference", "wrong-reference-type", "empty-reference", "parent-cycle", "duplicate-acronym",
    "unknown-block", "too-complex", "broken-link", "insecure-link", "page-clash", "unsafe-html", "unsafe-url", "dead-link",
    # settings
    "config",
    # warnings
    "open-item", "placeholder", "stale-review", "old-sources", "short-opening",
    # sources
    "missing-source", "missing-record", "locator-source", "locator-not-found",
})


class Diagnostics(list[Diagnostic]):
    """The one list every stage appends to."""

    def error(self, path: str, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        assert code in CODES, f"undocumented diagnostic code {code!r}"
        self.append(Diagnostic(path, line, col, Severity.ERROR, code, message, hint))

    def warning(self, path: str, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        assert code in CODES, f"undocumented diagnostic code {code!r}"
        self.append(Diagnostic(path, line, col, Severity.WARNING, code, message, hint))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self if not d.is_error]


def did_you_mean(word: str, choices: Iterable[str], fallback: str = "") -> str:
    """A hint naming the closest (up to 3) of ``choices`` to ``word``, or ``fallback`` when none is
    close: a typo or two (one edit per four letters), never a different short name."""
    wanted = word.lower()
    limit = max(1, len(wanted) // 4)
    close = sorted((distance(wanted, c), c) for c in choices if abs(len(c) - len(wanted)) <= limit)
    close = [c for d, c in close if d <= limit][:3]
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?" if close else fallback


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from ``a`` to ``b``."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def format_report(diagnostics: list[Diagnostic], style: str = "text") -> str:
    """Every diagnostic, sorted by file and position (warnings after errors at the same place), then a count."""
    ordered = sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.col, d.severity is Severity.WARNING, d.code, d.message))
    if style == "github":
        lines = [d.format_github() for d in ordered]
    else:
        lines = [d.format_text() for d in ordered]
    lines.append(summary(ordered))
    return "\n".join(lines)
