"""Helpers shared by the tests: small content trees, the real project, and the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from oirsite.core.diagnostics import Diagnostics  # noqa: E402
from oirsite.read.settings import Settings  # noqa: E402
from oirsite.site import SiteBuild, build_site  # noqa: E402

# The project whose content the tests over "the real content" read and build: this repository, or
# a copy with an editor's routine edits (tests/test_routine_edits.py sets OIRSITE_PROJECT).
PROJECT = Path(os.environ.get("OIRSITE_PROJECT") or ROOT).resolve()

SITE_URL = "https://oir.example.org/"  # the site URL of the test builds
SOURCE_DATE_EPOCH = "1700000000"  # their fixed build time: 2023-11-14T22:13:20Z

# A small, valid tree: every test that needs a broken file adds it to this.
BASE_FILES = {
    "content/organizations/ama.yml": """
        name: American Medical Association
        acronym: AMA
        kind: national-medical-association
        summary: A national medical association.
    """,
    "content/organizations/wma.yml": """
        name: World Medical Association
        acronym: WMA
        kind: international-medical-association
        summary: An international medical association.
    """,
    "content/people/jane-doe.yml": """
        name: Jane Doe
        credentials: [MD]
        roles:
          - organization: wma
            title: President
            years: 2023–2024
    """,
    "content/events/assembly-2023.md": """
        ---
        title: The 2023 Assembly
        date: 2023-10-04
        end: 2023-10-07
        place: {city: Kigali, country: Rwanda}
        organizers: [wma]
        people: [{person: jane-doe}]
        summary: The assembly met.
        ---

        The [[wma|WMA]] met in Kigali.
    """,
    "content/events/day-2021.md": """
        ---
        title: A day in 2021
        date: 2021-04-07
        organizers: [ama]
        summary: A day.
        ---
    """,
    "docs/index.md": """
        # Home

        Recent: {{ recent_events }}
    """,
}


def write_tree(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write ``files`` (path -> text, bytes, or None to delete) under ``root``."""
    for rel, text in files.items():
        path = root / rel
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def check(root: Path, recent_events: int = 3) -> SiteBuild:
    return build_site(root, Settings(root, recent_events=recent_events), Diagnostics())


def messages(site: SiteBuild) -> list[str]:
    return [d.format_text() for d in site.diagnostics]


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def find_chromium() -> str | None:
    """CHROMIUM_PATH, or a Chromium on the PATH (Debian's package installs /usr/bin/chromium)."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    return next((path for name in ("chromium", "chromium-browser", "google-chrome")
                 if (path := shutil.which(name))), None)


def copy_project(dest: Path) -> Path:
    """A copy of the real project (content, pages, config, code) to break on purpose."""
    for name in ("content", "docs", "records", "scripts", "overrides"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def reader_pages(site: Path) -> list[Path]:
    """Every HTML page a reader reads in a built site: all but the web editor's (admin/), which is
    Sveltia CMS's own page (checked by tests/test_cms.py and tests/browser/test_cms_published.py), and
    the redirects at former ids' addresses (checked by tests/browser/test_redirects.py)."""
    return sorted(path for path in site.rglob("*.html") if path.relative_to(site).parts[0] != "admin"
                  and 'http-equiv="refresh"' not in path.read_text(encoding="utf-8", errors="replace")[:2000])
