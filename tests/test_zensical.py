"""The engine hedge: the export of the real content built by Zensical is the same site.

The link, privacy and facts checks run on both outputs, MkDocs's (the ``built_site`` fixture) and
Zensical's, so that the two are held to one standard; the browser checks (axe-core, search,
tooltips) are in tests/browser/test_zensical_site.py."""

from __future__ import annotations

import html
import os
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from helpers import ROOT, SITE_URL, SOURCE_DATE_EPOCH, reader_pages
from test_site_build import SEED_FACTS, page_text

sys.path.insert(0, str(ROOT / "scripts"))
import zensical_build  # noqa: E402

# The attributes through which a page makes the browser load something (not plain links: <a href>).
LOADING = {("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
           ("iframe", "src"), ("video", "src"), ("video", "poster"), ("audio", "src"), ("embed", "src"),
           ("object", "data"), ("input", "src"), ("track", "src")}
LOADING_RELS = {"stylesheet", "preconnect", "dns-prefetch", "preload", "prefetch", "modulepreload", "icon",
                "apple-touch-icon", "manifest", "mask-icon"}


class _Page(HTMLParser):
    """The ids, links and loaded resources of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.loads: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("id", "name"):
            if values.get(name):
                self.ids.add(values[name])
        if tag == "a" and values.get("href") is not None:
            self.links.append(values["href"])
        if tag == "link" and values.get("href") is not None:
            rels = set((values.get("rel") or "").lower().split())
            (self.loads if rels & LOADING_RELS else self.links).append(values["href"])
        for element, attribute in LOADING:
            if tag == element and values.get(attribute):
                urls = values[attribute]
                self.loads.extend(part.strip().split()[0] for part in urls.split(",") if part.strip()) \
                    if attribute == "srcset" else self.loads.append(urls)
        if values.get("style"):
            self.styles.append(values["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _css_urls(text: str) -> list[str]:
    return re.findall(r"""url\(\s*['"]?([^'")]+)""", text) + re.findall(r"""@import\s+['"]([^'"]+)""", text)


def _foreign(url: str, site_url: str) -> bool:
    """Whether the browser would ask another host than the site's for ``url``."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about") or url.startswith("#"):
        return False
    if url.startswith("//") or parts.scheme:
        return not url.startswith(site_url)
    return False


def _target(site: Path, page: Path, url: str, site_url: str) -> tuple[Path, str] | None:
    """The file and fragment that an internal link of ``page`` points at (None: not internal)."""
    if url.startswith(site_url):
        url = "/" + url[len(site_url):]
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//"):
        return None
    path = unquote(parts.path)
    base = "/" + page.relative_to(site).parent.as_posix()
    site_path = urlsplit(site_url).path.rstrip("/")
    if path.startswith("/"):  # absolute on the host: the 404 page's links start at the site's path
        path = path[len(site_path):] if site_path and path.startswith(site_path) else path
        resolved = posixpath.normpath(path)
    elif path:
        resolved = posixpath.normpath(posixpath.join(base, path))
    else:
        resolved = "/" + page.relative_to(site).as_posix()
    target = site / resolved.lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Path:
    """The real content exported and built by Zensical, with the fixed site URL and build time."""
    out = tmp_path_factory.mktemp("zensical") / "site"
    env = {**os.environ, "SITE_URL": SITE_URL, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "zensical_build.py"), "--site-dir", str(out)],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def engine_site(request) -> Path:
    return request.getfixturevalue("built_site" if request.param == "mkdocs" else "zensical_site")


def test_every_internal_link_and_anchor_resolves(engine_site):
    site = engine_site
    pages = {path: _parse(path) for path in reader_pages(site)}
    broken = []
    for path, page in pages.items():
        for url in page.links + page.loads:
            found = _target(site, path, url, SITE_URL)
            if found is None:
                continue
            target, fragment = found
            if not target.is_file():
                broken.append(f"{path.relative_to(site)}: {url} (no file {target.relative_to(site)})")
            elif fragment and target.suffix == ".html" and fragment not in (pages.get(target) or _parse(target)).ids:
                broken.append(f"{path.relative_to(site)}: {url} (no anchor #{fragment})")
    assert len(pages) > 40
    assert broken == [], "\n".join(broken)


def test_no_page_loads_anything_from_another_host(engine_site):
    site = engine_site
    foreign = []
    for path in reader_pages(site):
        page = _parse(path)
        urls = page.loads + [url for style in page.styles for url in _css_urls(style)]
        foreign += [f"{path.relative_to(site)}: {url}" for url in urls if _foreign(url, SITE_URL)]
    for path in site.rglob("*.css"):  # the stylesheets' own imports and fonts
        foreign += [f"{path.relative_to(site)}: {url}" for url in _css_urls(path.read_text(encoding="utf-8"))
                    if _foreign(url, SITE_URL)]
    assert foreign == [], "\n".join(foreign)


def test_the_privacy_check_sees_a_font_from_another_host(tmp_path):
    """The check above would fail: a page that loads Google Fonts, as Zensical's template does
    when the theme's font is not false, is caught."""
    page = tmp_path / "index.html"
    page.write_text('<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>'
                    '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
                    "<style>@import 'https://example.net/a.css'; body{background:url(/local.png)}</style>"
                    '<a href="https://www.wma.net/">a plain link is no request</a>')
    parsed = _parse(page)
    urls = parsed.loads + [url for style in parsed.styles for url in _css_urls(style)]
    assert [url for url in urls if _foreign(url, SITE_URL)] == [
        "https://fonts.gstatic.com", "https://fonts.googleapis.com/css?family=Roboto", "https://example.net/a.css"]


@pytest.fixture(scope="module")
def zensical_text(zensical_site) -> str:
    return " ".join(page_text(zensical_site, str(p.relative_to(zensical_site))) for p in zensical_site.rglob("index.html")
                    if "<article" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_every_seed_fact_is_on_the_zensical_site(zensical_text, fact):
    assert fact in zensical_text


def _title(path: Path) -> str:
    """The title a reader sees (the engines escape quotes differently: &#39; or ')."""
    return html.unescape(re.search(r"<title>(.*?)</title>", path.read_text(encoding="utf-8"), re.S).group(1).strip())


def test_every_page_of_the_mkdocs_site_is_there_with_the_same_title(built_site, zensical_site):
    mkdocs_pages = {p.relative_to(built_site).as_posix() for p in reader_pages(built_site)}
    zensical_pages = {p.relative_to(zensical_site).as_posix() for p in reader_pages(zensical_site)}
    assert mkdocs_pages == zensical_pages
    for page in mkdocs_pages - {"404.html"}:
        assert _title(built_site / page) == _title(zensical_site / page), page


def test_feed_and_calendars_are_the_same_files(built_site, zensical_site):
    generated = [p.relative_to(built_site) for p in built_site.rglob("*") if p.suffix in (".xml", ".ics")
                 and p.name not in ("sitemap.xml",)]
    assert any(p.suffix == ".ics" for p in generated) and Path("feed.xml") in generated
    for rel in generated:
        assert (zensical_site / rel).read_bytes() == (built_site / rel).read_bytes(), rel


def test_the_old_addresses_redirect_on_both_engines_with_the_same_pages(built_site, zensical_site):
    """The redirect pages (former ids, replaced hand-written pages such as oir.md) are the MkDocs build's."""
    redirects = [p.relative_to(built_site) for p in built_site.rglob("index.html")
                 if 'http-equiv="refresh"' in p.read_text(encoding="utf-8")[:2000]]
    assert redirects  # the real content replaced hand-written pages: their addresses lead on
    for rel in redirects:
        assert (zensical_site / rel).read_bytes() == (built_site / rel).read_bytes(), rel


def test_overrides_take_effect_on_zensical_pages(zensical_site):
    source = (zensical_site / "organizations/wma/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:title" content="World Medical Association (WMA)">' in source
    assert f'<meta property="og:url" content="{SITE_URL}organizations/wma/"' in source.replace("&#x2f;", "/")
    assert '<script type="application/ld+json">{"@context":"https://schema.org"' in source
    assert 'class="oir-footer-actions"' in source and "Made with" not in source  # no generator credit
    assert 'content="zensical-' in source  # it is Zensical's output, not MkDocs's
    assert "Page not found" in (zensical_site / "404.html").read_text(encoding="utf-8")


def test_glossary_tooltips_and_search_are_on_the_zensical_site(zensical_site):
    wma = (zensical_site / "organizations/wma/index.html").read_text(encoding="utf-8")
    assert '<abbr title="World Medical Association">WMA</abbr>' in wma
    assert '"content.tooltips"' in wma
    import json
    search = json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))
    locations = {item["location"] for item in search["items"]}
    assert "events/wma-general-assembly-2023/" in locations and "organizations/wma/" in locations


def test_the_zensical_configuration_keeps_everything_but_our_plugin(tmp_path):
    text = zensical_build.zensical_config(ROOT / "mkdocs.yml", tmp_path / "overrides")
    assert "!ENV [SITE_URL," in text  # resolved by Zensical at build time, as MkDocs does
    config = yaml.load(text, Loader=zensical_build._Loader)  # noqa: S506 (a SafeLoader)
    original = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=zensical_build._Loader)  # noqa: S506
    assert "oirsite" in original["plugins"] and "oirsite" not in config["plugins"]
    assert config["plugins"] == [p for p in original["plugins"] if p != "oirsite"]
    assert config["theme"]["custom_dir"] == str(tmp_path / "overrides")
    assert config["theme"]["font"] is False and config["theme"]["variant"] == "classic"
    for key in ("nav", "extra_css", "extra_javascript", "site_name"):
        assert config[key] == original[key]
    # the site's Markdown, then the one sanitizer at the end of Zensical's own rendering
    assert config["markdown_extensions"] == [*original["markdown_extensions"], zensical_build.SANITIZER]


def test_zensical_build_refuses_a_folder_it_did_not_write(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "zensical_build.py"), "--site-dir", str(folder)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "was not made by this tool" in result.stderr
    assert (folder / "notes.txt").read_text() == "keep me"


def test_the_organizations_map_is_the_same_drawing_and_list_on_both_engines(built_site, zensical_site):
    """The map (scripts/oirsite/pages/relmap.py) survives the export: its SVG and its list of links."""
    for path in ("index.html", "organizations/who/index.html"):
        found = []
        for site in (built_site, zensical_site):
            block = re.search(r'<div class="relmap">(.*?)</ul>\s*</div>', (site / path).read_text(encoding="utf-8"), re.S)
            assert block, (site, path)
            svg = re.search(r"<svg\b.*?</svg>", block.group(1), re.S).group(0)
            found.append((svg, re.findall(r'<a href="([^"]+)"', block.group(1))))
        assert found[0] == found[1] and "<text" in found[0][0] and found[0][1], path
