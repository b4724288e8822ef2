#!/usr/bin/env python3
"""Benchmark the content layer against the floor that MkDocs and Material set.

    python scripts/bench.py                        N = 100, 1,000 and 5,000 entries, 3 runs each
    python scripts/bench.py --sizes 1000 --repeat 5

For each N it writes a synthetic content tree (events, organizations and people, with references
between them and Markdown bodies of realistic length) into a temporary folder, then measures,
interleaved, ``--repeat`` times each:

  (a) check   python scripts/build.py --check             our layer alone
  (b) build   python scripts/build.py                      our layer and MkDocs, strict
  (c) floor   mkdocs build of the same pages exported as plain Markdown, with the same theme,
              plugins, extensions and navigation, and no hooks

and the peak memory of each process. It prints a Markdown table: median seconds, milliseconds
per entry, peak MiB, and the ratios (b)/(c) and (a)/(b).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

WORDS = ("health physicians association international members policy global students exchange "
         "assembly resolution committee education medical public rights delegates countries care "
         "workers access vaccines equity training research council national federation support").split()
KINDS = ["national-medical-association", "international-medical-association", "intergovernmental-organization",
         "medical-students-association", "ama-council", "global-health-initiative"]
BENCH_NAV = """nav:
  - Home: index.md
  - Events: events/index.md
  - Organizations: organizations/index.md
  - People: people/index.md
  - Glossary: glossary/index.md
"""


def paragraph(rng: random.Random, words: int, refs: list[str]) -> str:
    text = [rng.choice(WORDS) for _ in range(words)]
    for ref in refs:
        text.insert(rng.randrange(len(text)), f"[[{ref}]]")
    return " ".join(text).capitalize() + "."


def generate(root: Path, n: int, seed: int = 1) -> None:
    """A synthetic project of ``n`` entries: 60% events, 25% organizations, 15% people."""
    rng = random.Random(seed)
    n_orgs, n_people = max(1, n * 25 // 100), max(1, n * 15 // 100)
    n_events = max(1, n - n_orgs - n_people)
    orgs = [f"org-{i:05d}" for i in range(n_orgs)]
    people = [f"person-{i:05d}" for i in range(n_people)]
    content = root / "content"
    for folder in ("organizations", "people", "events"):
        (content / folder).mkdir(parents=True)
    for i, org in enumerate(orgs):
        parent = f"parent: {orgs[rng.randrange(i)]}\n" if i and rng.random() < 0.3 else ""
        (content / "organizations" / f"{org}.yml").write_text(
            f"name: Organization {i}\nacronym: O{i}\nkind: {rng.choice(KINDS)}\n{parent}"
            f"summary: {paragraph(rng, 25, [])}\nwebsite: https://org{i}.example.org/\ntags: [{rng.choice(WORDS)}]\n")
    for i, person in enumerate(people):
        roles = "".join(f"  - organization: {rng.choice(orgs)}\n    title: {rng.choice(['President', 'Delegate', 'Chair'])}\n"
                        f"    years: {2000 + i % 20}–{2001 + i % 20}\n" for _ in range(rng.randint(1, 2)))
        (content / "people" / f"{person}.yml").write_text(
            f"name: Person {i}\ncredentials: [MD]\nroles:\n{roles}summary: {paragraph(rng, 20, [])}\n")
    for i in range(n_events):
        year, month, day = 2000 + i % 25, 1 + i % 12, 1 + i % 28
        date = rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"])
        event_orgs = rng.sample(orgs, min(len(orgs), rng.randint(1, 3)))
        event_people = rng.sample(people, min(len(people), rng.randint(0, 2)))
        body = "\n\n".join(paragraph(rng, 80, [rng.choice(orgs)]) for _ in range(3))
        (content / "events" / f"event-{i:05d}.md").write_text(
            f"---\ntitle: Event {i} on {rng.choice(WORDS)}\ndate: {date}\n"
            f"place: {{city: City {i % 50}, country: Country {i % 20}}}\n"
            f"organizations: [{', '.join(event_orgs)}]\npeople: [{', '.join(event_people)}]\n"
            f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\nsummary: {paragraph(rng, 20, [])}\n---\n\n{body}\n")
    docs = root / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Benchmark\n\nThe newest events:\n\n{{ recent_events }}\n")
    for folder in ("stylesheets", "javascripts"):
        shutil.copytree(ROOT / "docs" / folder, docs / folder)
    shutil.copytree(ROOT / "overrides", root / "overrides")
    shutil.copytree(ROOT / "scripts", root / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config[: config.index("\nnav:")] + "\n" + BENCH_NAV, encoding="utf-8")


def export_floor(project: Path, floor: Path) -> None:
    """The same pages as plain Markdown, and the same configuration without our hooks."""
    from oirsite.diagnostics import Diagnostics
    from oirsite.export import export
    from oirsite.site import build_site

    site = build_site(project, diagnostics=Diagnostics())
    assert site.ok, [d.format_text() for d in site.diagnostics.errors][:5]
    export(site, floor / "docs")  # each page with the abbreviations it uses, as Markdown definitions
    shutil.copytree(project / "overrides", floor / "overrides")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\nhooks:\n  - scripts/mkdocs_hooks.py\n", "\n", config)
    (floor / "mkdocs.yml").write_text(config, encoding="utf-8")


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


def measure(n: int, repeat: int, work: Path) -> dict[str, tuple[float, float]]:
    project, floor = work / f"project-{n}", work / f"floor-{n}"
    generate(project, n)
    export_floor(project, floor)
    python, build = sys.executable, str(project / "scripts" / "build.py")
    commands = {
        "check": [python, build, "--check", "--root", str(project)],
        "build": [python, build, "--root", str(project), "--site-dir", str(work / f"site-{n}")],
        "floor": [python, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(floor / "mkdocs.yml"),
                  "-d", str(work / f"floor-site-{n}")],
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):  # interleaved, so that a slow moment of the machine hits all three
        for name, command in commands.items():
            samples[name].append(run(command, project if name != "floor" else floor))
    return {name: (statistics.median(s[0] for s in runs), max(s[1] for s in runs)) for name, runs in samples.items()}


def serve_latency(work: Path, repeat: int) -> list[float]:
    """Seconds from saving an edited content file of the real site to `mkdocs serve` serving it."""
    import socket
    import urllib.request

    project = work / "serve"
    for name in ("content", "docs", "scripts", "overrides"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/organizations/wma/"
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            return ""

    def wait(text: str, limit: float = 60) -> float:
        start = time.perf_counter()
        while text not in page():
            if time.perf_counter() - start > limit:
                raise SystemExit(f"mkdocs serve did not show {text!r} within {limit} s")
            time.sleep(0.05)
        return time.perf_counter() - start

    latencies = []
    try:
        wait("World Medical Association")
        entry = project / "content" / "organizations" / "wma.yml"
        original = entry.read_text()
        for run_number in range(repeat):
            marker = f"Edit number {run_number} "
            entry.write_text(original.replace("summary: >-\n  ", f"summary: >-\n  {marker}"))
            latencies.append(wait(marker))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return latencies


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/bench.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000], metavar="N",
                        help="numbers of entries (default: 100 1000 5000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (default: 3)")
    parser.add_argument("--keep", metavar="FOLDER", help="keep the generated projects in FOLDER")
    parser.add_argument("--no-serve", action="store_true",
                        help="skip measuring how soon `mkdocs serve` shows an edited content file")
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.sizes) or args.repeat < 1:
        parser.error("sizes and --repeat must be 1 or more")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="oir-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"Machine: {machine()}")
    print(f"Median of {args.repeat} interleaved runs; peak memory is the largest resident set.\n")
    print("| N | check s | build s | floor s | check ms/entry | build ms/entry | floor ms/entry "
          "| check MiB | build MiB | floor MiB | build/floor | check/build |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    try:
        for n in args.sizes:
            result = measure(n, args.repeat, work)
            (a, a_mem), (b, b_mem), (c, c_mem) = result["check"], result["build"], result["floor"]
            print(f"| {n:,} | {a:.2f} | {b:.2f} | {c:.2f} | {a / n * 1000:.2f} | {b / n * 1000:.2f} | "
                  f"{c / n * 1000:.2f} | {a_mem:.0f} | {b_mem:.0f} | {c_mem:.0f} | {b / c:.2f} | {a / b:.3f} |",
                  flush=True)
        if not args.no_serve:
            latencies = serve_latency(work, args.repeat)
            print(f"\nmkdocs serve on the real site: an edited content file is served after "
                  f"{statistics.median(latencies):.2f} s (median of {len(latencies)}; max {max(latencies):.2f} s).")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
