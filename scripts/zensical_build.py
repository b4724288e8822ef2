#!/usr/bin/env python3
"""Build the site with Zensical, the successor engine of MkDocs and Material, from the export.

    python scripts/zensical_build.py                     export, then build into site-zensical/
    python scripts/zensical_build.py --site-dir DIR      build into DIR instead

Zensical runs no plugins of ours, so it gets the export (README, "The engine hedge"). This script
writes a small Zensical project into a work folder, docs/ (the export) and mkdocs.yml (the
project's, without our plugin, with custom_dir overrides-zensical/, Material's classic look and the
site's sanitizer as the last Markdown extension), and runs ``zensical build`` on it. The templates
of overrides-zensical/ are Zensical's own (MiniJinja, which fails on any undefined value). Both
folders, --site-dir and --work, pass the output-folder rule (oirsite/outputs/outdir.py) first.
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
sys.path.insert(0, str(ROOT / "scripts"))

from oirsite.core.diagnostics import Diagnostics  # noqa: E402
from oirsite.outputs import outdir  # noqa: E402
from oirsite.read.settings import read_settings  # noqa: E402

# The site's sanitizer, run by Zensical's own Markdown at its output (scripts/ is on its path).
PLUGIN = "oirsite"  # the name mkdocs.yml gives our plugin (pyproject.toml's entry point)
SANITIZER = "oirsite.tools.export:SanitizeExtension"


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's ``!ENV`` values are kept as their YAML nodes, so that Zensical resolves them at build time."""


class _Dumper(yaml.SafeDumper):
    pass


_Loader.add_constructor("!ENV", lambda loader, node: node)
_Dumper.add_multi_representer(yaml.Node, lambda dumper, node: node)  # written back as they were read


def zensical_config(mkdocs_yml: Path, overrides: Path) -> str:
    """mkdocs.yml for Zensical: no plugin of ours, its own templates, docs/ and site/ inside its project
    folder (where it builds), Material's classic look (not its "modern" one), the sanitizer last."""
    config = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (a SafeLoader)
    config["plugins"] = [p for p in config.get("plugins") or [] if (p if isinstance(p, str) else next(iter(p))) != PLUGIN]
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    theme = config.setdefault("theme", {})
    theme["custom_dir"] = str(overrides)
    theme.setdefault("variant", "classic")
    config["markdown_extensions"] = [*(config.get("markdown_extensions") or []), SANITIZER]
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def prepare(root: Path, work: Path) -> Path:
    """The export of ``root`` into ``work``/docs (checked again by its command) and ``work``/mkdocs.yml."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), "--root", str(root), "export",
                             str(work / "docs")], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"The export failed, so there is nothing for Zensical to build:\n{result.stdout}{result.stderr}")
    config = work / "mkdocs.yml"
    config.write_text(zensical_config(root / "mkdocs.yml", OVERRIDES), encoding="utf-8")
    return config


def zensical_command(config: Path, python: str = sys.executable) -> list[str]:
    return [python, "-m", "zensical", "build", "--strict", "--config-file", str(config)]


def build(config: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """Zensical run in the work folder of ``config``; its site/ then takes the place of ``site_dir``."""
    built = config.parent / "site"
    if built.exists():
        shutil.rmtree(built)  # inside the work folder, which is ours
    # Zensical keeps a cache beside its configuration; it works from there.
    path = os.pathsep.join(filter(None, [str(ROOT / "scripts"), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(zensical_command(config), cwd=config.parent, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": path})
    if result.returncode == 0:
        staging = outdir.make_staging(site_dir)
        try:
            for item in built.iterdir():
                shutil.move(str(item), str(staging / item.name))
        except BaseException:
            outdir.discard(staging)
            raise
        outdir.replace(site_dir, staging)
    return result


def checked_folders(root: Path, site_dir: Path, work: Path | None) -> tuple[Path, Path | None]:
    """``site_dir`` and ``work`` resolved, once outdir accepts both and neither holds the other."""
    settings = read_settings(root, Diagnostics())
    reads = (settings.docs_dir, settings.content_dir)
    site = outdir.check_output_dir(site_dir, root, reads=reads)
    if work is None:
        return site, None
    folder = outdir.check_output_dir(work, root, reads=reads)
    if folder == site or folder.is_relative_to(site) or site.is_relative_to(folder):
        raise outdir.OutputRefused(f"'{site_dir}' and '{work}' overlap: the site and the work folder "
                                   "must be two separate folders")
    return site, folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/zensical_build.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--site-dir", default="site-zensical", help="where to build the site (default: site-zensical)")
    parser.add_argument("--work", metavar="FOLDER",
                        help="keep the Zensical project (export and configuration) in FOLDER (default: a temporary folder)")
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    try:  # checked first: a refused folder is left as it is, and nothing else is written
        site_dir, work = checked_folders(root, Path(args.site_dir), Path(args.work) if args.work else None)
    except outdir.OutputRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if work is None:
        work = Path(tempfile.mkdtemp(prefix="oir-zensical-"))
    work.mkdir(parents=True, exist_ok=True)
    (work / outdir.MARKER).write_text(outdir.MARKER_TEXT, encoding="utf-8")  # the next run may use it again
    try:
        config = prepare(root, work)
        result = build(config, site_dir)
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            print("Zensical could not build the export (above).", file=sys.stderr)
            return 1
        print(f"Built the site with Zensical into {args.site_dir}")
        return 0
    except outdir.OutputRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
