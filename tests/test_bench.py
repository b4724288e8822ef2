"""The benchmark runs from a fresh clone with one command. CI runs it once at a tiny N as a smoke
test of its behaviour: its timings are read by people, never asserted."""

import re

import yaml
import subprocess
import sys

import pytest

from helpers import ROOT

pytestmark = pytest.mark.slow  # end-to-end: in the full suite and CI, not in the fast lane


def test_benchmark_smoke_run_prints_the_tables_of_builds_and_of_serve():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--sizes", "6", "--repeat", "1"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if line.startswith("| N |"))
    for column in ("zensical s", "floor MiB", "build/floor", "check/build", "zensical/floor", "index gzip KiB"):
        assert f" {column} |" in header
    # Below the real content's size the benchmark measures the real content itself: one row.
    [row] = [line for line in result.stdout.splitlines() if re.match(r"\| \d[\d,]* \| \d", line)]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert len(cells) == header.count("|") - 1 and all(re.fullmatch(r"[\d.,]+", cell) for cell in cells)
    assert int(cells[0].replace(",", "")) > 6
    # `mkdocs serve`: ours and MkDocs's own rebuild of the same pages, start-up and an edit shown.
    serve = [line for line in result.stdout.splitlines() if re.match(r"\| [\d,]+ \| (ours|floor) \|", line)]
    assert [line.split("|")[2].strip() for line in serve] == ["ours", "floor"]
    for line in serve:
        assert all(re.fullmatch(r"\d+\.\d\d", cell.strip()) for cell in line.strip("|").split("|")[2:])


def test_clones_have_their_own_ids_titles_and_acronyms_and_check_clean(tmp_path):
    """The synthetic content is the real content cloned: every clone checks without an error."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench
    from oirsite.core.diagnostics import Diagnostics
    from oirsite.site import build_site

    entries = bench._entries(ROOT / "content")
    cloneable = sum(rel.parts[0] not in bench.NOT_CLONED for rel in entries)
    count = bench.generate(tmp_path, len(entries) + cloneable + 5)  # one whole clone, then a partial one
    assert count == len(entries) + cloneable + 5
    first, second = (sorted((tmp_path / "content").rglob(f"*-c000{k}.*")) for k in (1, 2))
    assert (len(first), len(second)) == (cloneable, 5)
    site = build_site(tmp_path, diagnostics=Diagnostics())  # every reference resolves, every id is unique
    assert site.ok, [d.format_text() for d in site.diagnostics.errors][:5]
    text = "\n".join(p.read_text(encoding="utf-8") for p in first)
    assert re.search(r"\[\[[a-z0-9-]+-c0001\b", text)  # the whole clone's references point into it
    assert "c0002" not in text
    for path in first:  # each clone's title or name is told apart from the original's
        raw = path.read_text(encoding="utf-8")
        meta = yaml.safe_load(raw.split("---\n")[1] if raw.startswith("---\n") else raw)
        assert str(meta.get("title") or meta.get("name") or meta.get("term") or "c0001").endswith("c0001"), path


def test_benchmark_refuses_bad_sizes():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--sizes", "0"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "sizes and --repeat must be 1 or more" in result.stderr
