"""The benchmark runs from a fresh clone with one command. CI runs it once at a tiny N as a smoke
test of its behaviour: its timings are read by people, never asserted."""

import re
import subprocess
import sys

from helpers import ROOT


def test_benchmark_smoke_run_prints_the_table_and_the_serve_latency():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--sizes", "6", "--repeat", "1"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if line.startswith("| N |"))
    assert "build/floor" in header and "check/build" in header
    [row] = [line for line in result.stdout.splitlines() if line.startswith("| 6 |")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert len(cells) == 12 and all(re.fullmatch(r"[\d.,]+", cell) for cell in cells)
    assert re.search(r"an edited content file is served after \d+\.\d\d s", result.stdout)


def test_benchmark_refuses_bad_sizes():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--sizes", "0"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "sizes and --repeat must be 1 or more" in result.stderr
