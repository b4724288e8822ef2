#!/usr/bin/env python3
"""Check the content and build the site; scaffold new entries; write the JSON Schemas.

    python scripts/build.py                   check everything, then build the site into site/
    python scripts/build.py --check           only check (fast: no site is built)
    python scripts/build.py new event "Title" --date 2024-05-27
                                              write a new entry from a template
    python scripts/build.py schemas           write schemas/*.schema.json from the models
    python scripts/build.py export FOLDER     write every page as plain Markdown into FOLDER
    python scripts/build.py rename organizations/old-id new-id [--dry-run]
                                              rename an entry: its file, every reference, its old address
    python scripts/build.py cms               write cms/config.yml (the web editor's forms) from the models

Problems are printed as ``path:line:col: error: message [code]``, every one in one run, sorted,
with a count; the exit code is 1 if there is any error. Open items (facts the sources leave open)
and leftover TODO placeholders are listed as warnings and do not fail the build. ``--format
github`` prints GitHub workflow commands instead, so that problems show up on the lines of a
pull request.

The site and export folders must be new, empty, or made by an earlier run (holding .oirsite-output),
and not a folder of the project: otherwise nothing is touched and the exit code is 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from oirsite.outputs import outdir
from oirsite.tools import rename, scaffold  # noqa: E402
from oirsite.core.diagnostics import Diagnostics, format_report, shown  # noqa: E402
from oirsite.collections.organizations import KINDS  # noqa: E402
from oirsite.read.settings import Settings, read_settings  # noqa: E402
from oirsite.site import SiteBuild, build_site  # noqa: E402
# The commands' own modules are imported when their command runs: the check (pre-commit's) waits for none.


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python scripts/build.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:3]))
    parser.add_argument("--check", action="store_true", help="only check the content and pages; build nothing")
    parser.add_argument("--format", choices=["text", "github"], default="text",
                        help="how to print problems: text for people (default), github for pull-request annotations")
    parser.add_argument("--site-dir", default="site", help="where to build the site (default: site)")
    parser.add_argument("--offline", action="store_true",
                        help="build the site that works opened from a folder (mkdocs.offline.yml): the pull-request preview")
    parser.add_argument("--check-external", action="store_true",
                        help="also check that every link to another site answers (needs the network; slow)")
    parser.add_argument("--external-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="with --check-external: how long to wait for each answer (default: 10)")
    parser.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="{new,schemas,export,rename,cms}")

    new = commands.add_parser("new", help="write a new entry from a template",
                              description="Write a new content entry from a template. It refuses to overwrite.")
    new.add_argument("kind_of_entry", metavar="COLLECTION", choices=sorted(scaffold.SINGULAR_TO_COLLECTION),
                     help="event, organization, person, activity, committee or term")
    new.add_argument("title", metavar="TITLE", help="the title (event, activity), name, or the term (glossary)")
    new.add_argument("--id", dest="entry_id", help="the id (file name); made from the title if left out")
    new.add_argument("--date", help="event: YYYY, YYYY-MM or YYYY-MM-DD")
    new.add_argument("--end", help="event: the last day of an event that spans days, YYYY-MM-DD")
    new.add_argument("--kind", choices=list(KINDS), metavar="KIND", help="organization: " + ", ".join(KINDS))
    new.add_argument("--acronym", help="organization or committee: its acronym")
    new.add_argument("--type", choices=["exchange", "project"], help="committee: exchange or project")
    new.add_argument("--expansion", help="term: what the acronym stands for")

    commands.add_parser("schemas", help="write schemas/*.schema.json from the models",
                        description="Write the JSON Schema of every collection into schemas/.")
    export_parser = commands.add_parser(
        "export", help="write every page as plain Markdown into a folder",
        description="Check, then write every page (generated and hand-written, references resolved) and "
                    "every generated file into FOLDER: a docs folder that any engine can build.")
    export_parser.add_argument("folder", metavar="FOLDER")
    rename_parser = commands.add_parser(
        "rename", help="rename an entry: its file, every reference to it, and its old address",
        description="Rename an entry: its file, every reference to it (fields and [[id]] in content/ and docs/), "
                    "and a 'formerly' line so that its old address leads to the new page. Nothing changes if "
                    "anything fails.")
    rename.add_arguments(rename_parser)
    commands.add_parser("cms", help="write cms/config.yml (the web editor's forms) from the models",
                        description="Write the web editor's configuration, cms/config.yml, from the models.")
    return parser.parse_args(argv)


def check(root: Path, style: str, external: bool = False, timeout: float = 10.0, render: bool = True,
          settings: Settings | None = None, diagnostics: Diagnostics | None = None) -> SiteBuild:
    """Run every content check and print the report; ``render`` also renders the pages, for a build."""
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    site = build_site(root, settings, diagnostics, render_pages=render)
    if external:
        from oirsite.tools.external import check_external
        count = check_external(site.external_links, diagnostics, timeout=timeout)
        print(f"Checked {count} external addresses.", file=sys.stderr)
    print(format_report(diagnostics, style))
    return site


class _Shown(logging.Formatter):
    """MkDocs's messages printed as ours: control characters escaped, no line starting a workflow command."""

    def format(self, record: logging.LogRecord) -> str:
        return shown(super().format(record))


@contextmanager
def staged(target: Path):
    """A staging folder that takes the place of ``target`` (which outdir accepted) if the block succeeds."""
    staging = outdir.make_staging(target)
    try:
        yield staging
    except BaseException:
        outdir.discard(staging)
        raise
    outdir.replace(target, staging)


def build(site: SiteBuild, site_dir: Path, config_file: str = "mkdocs.yml") -> bool:
    """Build the site with MkDocs in strict mode, in this process (its hooks reuse the checked content)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Shown("%(levelname)-7s -  %(message)s"))
    handler.setLevel(logging.WARNING)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    try:
        with staged(site_dir) as staging:
            config = load_config(str(site.settings.root / config_file), site_dir=str(staging), strict=True)
            plugin = config.plugins.get("oirsite")
            if plugin is not None:  # the content checked and rendered above, not made a second time
                plugin.preloaded = site
            mkdocs_build(config)
    except (MkDocsException, SystemExit) as exc:
        message = getattr(exc, "message", None) or str(exc)
        if message:
            print(f"error: {shown(message)}", file=sys.stderr)
        print("The site was not built; the previous site (if any) is unchanged.", file=sys.stderr)
        return False
    finally:
        logger.removeHandler(handler)
    print(f"Built the site into {shown(site_dir)}")
    return True


def new_entry(root: Path, args: argparse.Namespace) -> int:
    """Write a new entry from its template, or say why not (nothing is written then)."""
    request = scaffold.Request(
        collection=scaffold.SINGULAR_TO_COLLECTION[args.kind_of_entry], title=args.title, entry_id=args.entry_id,
        date=args.date, end=args.end, kind=args.kind, acronym=args.acronym, type=args.type, expansion=args.expansion)
    try:
        path = scaffold.create(root, request)
    except scaffold.ScaffoldError as exc:
        print(f"error: {shown(exc)}", file=sys.stderr)
        return 1
    print(f"Created {shown(path.relative_to(root).as_posix())}: replace its TODOs, then run python scripts/build.py --check")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = Path(args.root).resolve()
    if args.command == "new":
        return new_entry(root, args)
    if args.command == "rename":
        return rename.run_args(root, args)
    if args.command == "cms":
        from oirsite.tools.cms import write_config
        print(f"Wrote {write_config(root).relative_to(root).as_posix()}")
        return 0
    if args.command == "schemas":
        from oirsite.tools.schemas import write_schemas
        for path in write_schemas(root):
            print(f"Wrote {path.relative_to(root).as_posix()}")
        return 0
    target, diagnostics = None, Diagnostics()
    settings = read_settings(root, diagnostics)  # mkdocs.yml, read once: its problems are the check's
    if args.command == "export" or not args.check:  # the folder is checked first: a refusal touches nothing
        # --site-dir is relative to the project folder; export FOLDER to the current one, as an argument reads.
        folder = Path(args.folder) if args.command == "export" else root / args.site_dir
        try:
            target = outdir.check_output_dir(folder, root, reads=(settings.docs_dir, settings.content_dir))
        except outdir.OutputRefused as exc:
            print(f"error: {shown(exc)}", file=sys.stderr)
            return 2
    site = check(root, args.format, args.check_external, args.external_timeout, not args.check, settings, diagnostics)
    if not site.ok:
        return 1
    if args.check and args.command != "export":
        return 0
    try:
        if args.command == "export":
            from oirsite.tools.export import export
            with staged(target) as staging:
                count = export(site, staging)
            print(f"Exported {count} files into {shown(args.folder)}")
            return 0
        return 0 if build(site, target, "mkdocs.offline.yml" if args.offline else "mkdocs.yml") else 1
    except outdir.OutputRefused as exc:
        print(f"error: {shown(exc)}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk, a folder without write permission: nothing was replaced
        print(f"error: cannot write into '{shown(exc.filename or target)}': {shown(exc.strerror or exc)}", file=sys.stderr)
        print("The previous output (if any) is unchanged.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # the reader went away (as with `| head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
