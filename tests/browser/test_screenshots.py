"""The screenshot script saves real PNG files of the requested pages at both widths."""

import os
import struct
import subprocess
import sys

from helpers import ROOT

SCRIPT = str(ROOT / "scripts" / "screenshots.py")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_screenshots_at_desktop_and_phone_widths(chromium, served_site, tmp_path):
    _, site = served_site
    result = subprocess.run([sys.executable, SCRIPT, "--site-dir", str(site), "--out", str(tmp_path),
                             "--pages", "home", "event"], capture_output=True, text=True,
                            env={**os.environ, "CHROMIUM_PATH": chromium})
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "event-desktop.png", "event-phone.png", "home-desktop.png", "home-phone.png"]
    assert png_size((tmp_path / "home-desktop.png").read_bytes()) == (1280, 800)
    width, _ = png_size((tmp_path / "home-phone.png").read_bytes())
    assert width in (390, 780, 1170)  # a phone context may render at a device pixel ratio


def test_screenshots_without_a_built_site_say_what_to_do(tmp_path):
    result = subprocess.run([sys.executable, SCRIPT, "--site-dir", str(tmp_path / "nothing")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "run python scripts/build.py first" in result.stderr
    assert "Traceback" not in result.stderr
