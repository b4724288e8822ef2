#!/usr/bin/env python3
"""Benchmark the content layer against the floor that MkDocs and Material set, and Zensical.

    python scripts/bench.py                        N = 1,000 and 5,000 entries, 3 runs each
    python scripts/bench.py --sizes 1000 --repeat 5

README ("Performance") says what it measures: for each N, a clone of the real content (every
collection but the glossary, whose terms must stay unique) with N entries, then --repeat times,
interleaved: the check, the build, the floor (a plain mkdocs build of the export, without our
plugin) and Zensical from a clean cache; their peak memory; the search index's size; then the
live preview's start-up and edit times.
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

NOT_CLONED = {"glossary"}  # terms (acronyms) are unique site-wide: the clones share the real ones
REFERENCE = re.compile(r"\[\[\s*([^\]|#\s]+)")  # [[id]], [[id|text]], [[id#anchor]]


def _entries(content: Path) -> dict[Path, str]:
    """Every entry file of ``content`` (relative path) with its id."""
    return {path.relative_to(content): path.stem for path in sorted(content.rglob("*"))
            if path.is_file() and path.suffix in (".md", ".yml", ".yaml")}


def _clone_value(value, rename, suffix: str, top: bool = True):
    """``value`` of a clone: ids renamed (exact strings and [[references]]), titles told apart."""
    if isinstance(value, str):
        return rename(value) if rename(value) != value else REFERENCE.sub(lambda m: m.group(0).replace(
            m.group(1), rename(m.group(1).strip())), value)
    if isinstance(value, list):
        return [_clone_value(item, rename, suffix, False) for item in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if top and key in ("title", "name") and isinstance(item, str):
                out[key] = f"{item} {suffix.lstrip('-')}"
            elif key == "formerly":  # former ids are unique: each clone has its own
                out[key] = [f"{old}{suffix}" for old in item]
            elif key == "former_pages":  # an old page's address leads to one entry: the original
                continue
            elif key == "acronym" and isinstance(item, str):  # unique site-wide too: the clone's own
                out[key] = item + "X" + "".join(chr(65 + int(d)) for d in suffix if d.isdigit())  # SCOMEXAAAB
            else:
                out[key] = _clone_value(item, rename, suffix, False)
        return out
    return value


def _dump(data) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def generate(root: Path, n: int) -> int:
    """A project of about ``n`` entries cloned from the real content; returns how many entries."""
    from oirsite.read.source import front_matter_bounds
    real = ROOT / "content"
    entries = _entries(real)
    ids = set(entries.values())
    cloned = [rel for rel in entries if rel.parts[0] not in NOT_CLONED]
    content = root / "content"
    shutil.copytree(real, content)
    count, k = len(entries), 0
    while count < n:
        k += 1
        suffix = f"-c{k:04d}"
        batch = cloned[: n - count]
        present = {entries[rel] for rel in batch}  # a last, partial clone points at the originals

        def rename(value: str, present=present, suffix=suffix) -> str:
            return f"{value}{suffix}" if value in ids and value in present else value

        for rel in batch:
            text = (real / rel).read_text(encoding="utf-8")
            target = content / rel.parent / f"{rel.stem}{suffix}{rel.suffix}"
            if rel.suffix == ".md":
                bounds = front_matter_bounds(text)
                meta = yaml.safe_load(text[bounds[0]:bounds[1]]) if bounds else {}
                body = text[bounds[2]:] if bounds else text
                text = f"---\n{_dump(_clone_value(meta, rename, suffix))}---\n{_clone_value(body, rename, suffix)}"
            else:
                text = _dump(_clone_value(yaml.safe_load(text), rename, suffix))
            target.write_text(text, encoding="utf-8")
        count += len(batch)
    for name in ("docs", "overrides", "records"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copytree(ROOT / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return count


def export_floor(project: Path, floor: Path, zensical: Path) -> None:
    """The same pages as plain Markdown, and the same configuration without our plugin; and the
    Zensical project of the same export."""
    from oirsite.core.diagnostics import Diagnostics
    from oirsite.tools.export import export
    from oirsite.site import build_site
    import zensical_build

    site = build_site(project, diagnostics=Diagnostics())
    assert site.ok, [d.format_text() for d in site.diagnostics.errors][:5]
    export(site, floor / "docs")  # each page with the abbreviations it uses, as Markdown definitions
    shutil.copytree(project / "overrides", floor / "overrides")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?:\n  #[^\n]*)*\n  - oirsite\n", "\n", config)  # our plugin (and its comment lines)
    assert "- oirsite" not in config, "the benchmark expects our plugin as '  - oirsite' in mkdocs.yml"
    # Without a repository, our plugin leaves out the edit links; MkDocs alone warns about them.
    config = re.sub(r"^edit_uri:.*\n", "", config, flags=re.M)
    (floor / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(floor / "docs", zensical / "docs")
    (zensical / "mkdocs.yml").write_text(
        zensical_build.zensical_config(project / "mkdocs.yml", zensical_build.OVERRIDES), encoding="utf-8")


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(command)}\n"
                         + process.stderr.read().decode(errors="replace")[-2000:])
    return elapsed, usage.ru_maxrss / 1024


def search_index(site: Path) -> tuple[float, float]:
    """KiB of Material's search index, raw and gzipped (what a reader's browser downloads)."""
    raw = (site / "search" / "search_index.json").read_bytes()
    return len(raw) / 1024, len(gzip.compress(raw, 9)) / 1024


def measure(n: int, repeat: int, work: Path) -> tuple[int, dict[str, tuple[float, float]], tuple[float, float]]:
    """(entries, {name: (median seconds, peak MiB)}, search index KiB raw and gzipped)."""
    import zensical_build

    project, floor, zensical = work / f"project-{n}", work / f"floor-{n}", work / f"zensical-{n}"
    entries = generate(project, n)
    export_floor(project, floor, zensical)
    python, build = sys.executable, str(project / "scripts" / "build.py")
    site = work / f"site-{n}"
    commands = {
        "check": ([python, build, "--check", "--root", str(project)], project),
        "build": ([python, build, "--root", str(project), "--site-dir", str(site)], project),
        "floor": ([python, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(floor / "mkdocs.yml"),
                   "-d", str(work / f"floor-site-{n}")], floor),
        "zensical": ([*zensical_build.zensical_command(zensical / "mkdocs.yml", python), "--clean"], zensical),
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):  # interleaved, so that a slow moment of the machine hits all of them
        for name, (command, cwd) in commands.items():
            samples[name].append(run(command, cwd))
    result = {name: (statistics.median(s[0] for s in runs), max(s[1] for s in runs)) for name, runs in samples.items()}
    return entries, result, search_index(site)


def serve_latency(project: Path, edited: Path, page: str, repeat: int) -> tuple[float, list[float]]:
    """`mkdocs serve` in ``project``: seconds from its start to the first page served, and from
    each save of ``edited`` (a paragraph appended) to the page at ``page`` showing it."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/{page}"
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def fetch() -> str:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.read().decode()
        except OSError:
            return ""

    def wait(text: str, since: float, limit: float = 600) -> float:
        while text not in fetch():
            if server.poll() is not None:
                raise SystemExit(f"mkdocs serve stopped in {project} (run it there to see why)")
            if time.perf_counter() - since > limit:
                raise SystemExit(f"mkdocs serve did not show {text!r} within {limit} s")
            time.sleep(0.02)
        return time.perf_counter() - since

    latencies = []
    original = edited.read_text(encoding="utf-8")
    try:
        startup = wait("<html", started)
        for run_number in range(repeat):
            marker = f"Edit number {run_number} of the benchmark."
            edited.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
            latencies.append(wait(marker, time.perf_counter()))
    finally:
        edited.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
    return startup, latencies


def serve_rows(n: int, entries: int, work: Path, repeat: int) -> list[str]:
    """Table rows: `mkdocs serve` of the project (our incremental rebuild) and of the floor's export
    of the same pages (MkDocs's own full rebuild), for an edit of one event."""
    project, floor = work / f"project-{n}", work / f"floor-{n}"
    event = sorted((project / "content" / "events").glob("*.md"))[0]
    rows = []
    for name, folder, edited in (("ours", project, event),
                                 ("floor", floor, floor / "docs" / "events" / event.name)):
        startup, latencies = serve_latency(folder, edited, f"events/{event.stem}/", repeat)
        rows.append(f"| {entries:,} | {name} | {startup:.2f} | {statistics.median(latencies):.2f} | "
                    f"{min(latencies):.2f} | {max(latencies):.2f} |")
    return rows


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/bench.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000], metavar="N",
                        help="numbers of entries (default: 1000 5000; below the real content's count, the real content)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (default: 3)")
    parser.add_argument("--keep", metavar="FOLDER", help="keep the generated projects in FOLDER")
    parser.add_argument("--no-serve", action="store_true",
                        help="skip measuring `mkdocs serve` (start-up, and how soon it shows an edited event)")
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.sizes) or args.repeat < 1:
        parser.error("sizes and --repeat must be 1 or more")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="oir-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    names = ("check", "build", "floor", "zensical")
    print(f"Machine: {machine()}")
    print(f"Median of {args.repeat} interleaved runs; peak memory is the largest resident set of the process.\n")
    print("| N | " + " | ".join(f"{name} s" for name in names) + " | " + " | ".join(f"{name} ms/entry" for name in names)
          + " | " + " | ".join(f"{name} MiB" for name in names)
          + " | build/floor | check/build | zensical/floor | index KiB | index gzip KiB |")
    print("|" + "---:|" * (1 + 3 * len(names) + 5))
    per_entry: list[tuple[int, float]] = []
    serve: list[str] = []
    try:
        for n in args.sizes:
            entries, result, (index_raw, index_gz) = measure(n, args.repeat, work)
            seconds = [result[name][0] for name in names]
            memory = [result[name][1] for name in names]
            check, build, floor, zensical = seconds
            per_entry.append((entries, build / entries))
            cells = ([f"{entries:,}"] + [f"{x:.2f}" for x in seconds] + [f"{x / entries * 1000:.2f}" for x in seconds]
                     + [f"{x:.0f}" for x in memory]
                     + [f"{build / floor:.2f}", f"{check / build:.3f}", f"{zensical / floor:.2f}",
                        f"{index_raw:.0f}", f"{index_gz:.0f}"])
            print("| " + " | ".join(cells) + " |", flush=True)
            if not args.no_serve:
                serve += serve_rows(n, entries, work, args.repeat)
        if len(per_entry) > 1:
            (small, small_cost), (large, large_cost) = min(per_entry), max(per_entry)
            print(f"\nBuild cost per entry at {large:,} entries against {small:,}: {large_cost / small_cost:.2f}x "
                  f"(target: at most 1.30x).")
        print("Targets: build/floor at most 1.10; check/build at most 0.050.")
        if serve:
            print("\n`mkdocs serve`, an event's text edited: seconds from the start to the first page served, and "
                  "from a save to the page showing it (ours: only the pages the edit touches are made again; "
                  "floor: MkDocs's own full rebuild of the same pages).\n")
            print("| N | serve | start-up s | edit median s | edit min s | edit max s |")
            print("|---:|---|---:|---:|---:|---:|")
            print("\n".join(serve))
            print("Targets: an edit shown within 1 s at 1,000 entries, 3 s at 5,000.")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
