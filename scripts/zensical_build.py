#!/usr/bin/env python3
"""Build the site with Zensical, the successor engine of MkDocs and Material, from the export.

    python scripts/zensical_build.py                     export, then build into site-zensical/
    python scripts/zensical_build.py --site-dir DIR      build into DIR instead

Zensical reads ``mkdocs.yml`` but runs no hooks or plugins of ours, so the content layer hands
it the export instead (``python scripts/build.py export``: every page as plain Markdown, references
resolved, each page ending with the definitions of the abbreviations it uses, and the feed and
calendars as files). This script writes a small Zensical project into a work folder:

  docs/        the export
  mkdocs.yml   the project's mkdocs.yml without its hooks, with the theme's custom_dir pointing at
               overrides-zensical/ and the classic look of Material

and runs ``zensical build`` on it. The templates of overrides-zensical/ are Zensical's own
(MiniJinja): they add the same Open Graph tags, footer and plain repository link as overrides/
does for MkDocs, written for an engine that fails on any undefined value.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "overrides-zensical"


class EnvTag:
    """A ``!ENV`` value of mkdocs.yml, kept as it is so that Zensical resolves it at build time."""

    def __init__(self, value):
        self.value = value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _load_env(loader: yaml.SafeLoader, node: yaml.Node) -> EnvTag:
    if isinstance(node, yaml.SequenceNode):
        return EnvTag(loader.construct_sequence(node))
    return EnvTag(loader.construct_scalar(node))


def _dump_env(dumper: yaml.SafeDumper, tag: EnvTag) -> yaml.Node:
    if isinstance(tag.value, list):
        return dumper.represent_sequence("!ENV", tag.value, flow_style=True)
    return dumper.represent_scalar("!ENV", tag.value)


_Loader.add_constructor("!ENV", _load_env)
_Dumper.add_representer(EnvTag, _dump_env)


def zensical_config(mkdocs_yml: Path, overrides: Path) -> str:
    """The project's MkDocs configuration as Zensical should read it, as YAML text.

    Dropped: the hooks (Zensical runs none; the export did their work). Changed: the theme's
    custom_dir (Zensical's own templates), the docs and site folders (Zensical builds only inside
    its project folder: into site/ beside the configuration). Added: the classic variant,
    which is the look of Material for MkDocs (Zensical's default is its new "modern" look)."""
    config = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (a SafeLoader)
    config.pop("hooks", None)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    theme = config.setdefault("theme", {})
    theme["custom_dir"] = str(overrides)
    theme.setdefault("variant", "classic")
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def _is_replaceable(site_dir: Path) -> bool:
    """An absent or empty folder, or one that an earlier Zensical build wrote (so it may go)."""
    if not site_dir.exists():
        return True
    if not site_dir.is_dir():
        return False
    if not any(site_dir.iterdir()):
        return True
    index = site_dir / "index.html"
    return index.is_file() and 'content="zensical-' in index.read_text(encoding="utf-8", errors="replace")


def prepare(root: Path, work: Path, python: str = sys.executable) -> Path:
    """Export the project at ``root`` into ``work``/docs and write ``work``/mkdocs.yml; returns it."""
    docs = work / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    result = subprocess.run([python, str(ROOT / "scripts" / "build.py"), "--root", str(root), "export", str(docs)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"The export failed, so there is nothing for Zensical to build:\n{result.stdout}{result.stderr}")
    config = work / "mkdocs.yml"
    config.write_text(zensical_config(root / "mkdocs.yml", OVERRIDES), encoding="utf-8")
    return config


def zensical_command(config: Path, python: str = sys.executable) -> list[str]:
    """The command that builds ``config`` with Zensical (its own command line, strict)."""
    return [python, "-m", "zensical", "build", "--strict", "--config-file", str(config)]


def build(config: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """Run Zensical in the project folder of ``config``, then move its site/ to ``site_dir``."""
    built = config.parent / "site"
    if built.exists():
        shutil.rmtree(built)
    # Zensical keeps a cache beside its configuration; it works from there.
    result = subprocess.run(zensical_command(config), cwd=config.parent, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode == 0:
        if site_dir.exists():
            shutil.rmtree(site_dir)  # checked by _is_replaceable: empty or an earlier Zensical build
        shutil.move(built, site_dir)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/zensical_build.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--site-dir", default="site-zensical", help="where to build the site (default: site-zensical)")
    parser.add_argument("--work", metavar="FOLDER",
                        help="keep the Zensical project (export and configuration) in FOLDER (default: a temporary folder)")
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root, site_dir = Path(args.root).resolve(), Path(args.site_dir).resolve()
    if not _is_replaceable(site_dir):
        parser.error(f"{args.site_dir} is not empty and is not an earlier Zensical build: "
                     "choose another --site-dir, or empty it yourself")
    work = Path(args.work).resolve() if args.work else Path(tempfile.mkdtemp(prefix="oir-zensical-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        config = prepare(root, work)
        result = build(config, site_dir)
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            print("Zensical could not build the export (above).", file=sys.stderr)
            return 1
        print(f"Built the site with Zensical into {args.site_dir}")
        return 0
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
