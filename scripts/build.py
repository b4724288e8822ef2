#!/usr/bin/env python3
"""Check the content and build the site.

    python scripts/build.py            check everything, then build the site into site/
    python scripts/build.py --check    only check (fast: no site is built)

Problems are printed as ``path:line:col: error: message [code]``, every one in one run, sorted,
with a count; the exit code is 1 if there is any error. Open items (facts the sources leave open)
are listed as warnings and do not fail the build. ``--format github`` prints GitHub workflow
commands instead, so that problems show up on the lines of a pull request.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from oirsite.diagnostics import Diagnostics, format_report  # noqa: E402
from oirsite.site import build_site  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python scripts/build.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check the content and pages; build nothing")
    parser.add_argument("--format", choices=["text", "github"], default="text",
                        help="how to print problems: text for people (default), github for pull-request annotations")
    parser.add_argument("--site-dir", default="site", help="where to build the site (default: site)")
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def check(root: Path, style: str) -> bool:
    """Run every content check and print the report; True when there is no error."""
    diagnostics = Diagnostics()
    build_site(root, diagnostics=diagnostics)
    print(format_report(diagnostics, style))
    return not diagnostics.errors


def build(root: Path, site_dir: Path) -> bool:
    """Build the site in strict mode into a new folder, then swap it into place only if it succeeded."""
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--quiet",
               "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(staging)]
    result = subprocess.run(command, cwd=root, env=env)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print("The site was not built; the previous site (if any) is unchanged.", file=sys.stderr)
        return False
    staging.chmod(0o755)  # mkdtemp makes it private; a published site is world-readable
    old = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    print(f"Built the site into {site_dir}")
    return True


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = Path(args.root).resolve()
    if not check(root, args.format):
        return 1
    if args.check:
        return 0
    return 0 if build(root, Path(args.site_dir)) else 1


if __name__ == "__main__":
    sys.exit(main())
