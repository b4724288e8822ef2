"""End to end: the real content built by MkDocs, with every seed fact on the built pages."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, copy_project, run_cli, write_tree


def page_text(site: Path, path: str) -> str:
    """The visible text of a built page's article, whitespace collapsed."""
    source = (site / path).read_text(encoding="utf-8")
    article = re.search(r"<article[^>]*>(.*?)</article>", source, re.S).group(1)
    inline = re.sub(r"</?(?:a|abbr|em|strong|span|code)\b[^>]*>", "", article)
    text = html.unescape(re.sub(r"<[^>]+>", " ", inline))
    return re.sub(r"\s+", " ", text).replace(" ,", ",").replace(" .", ".")


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site


@pytest.fixture(scope="module")
def all_text(site) -> str:
    return " ".join(page_text(site, str(p.relative_to(site))) for p in site.rglob("index.html")
                    if "<article" in p.read_text(encoding="utf-8"))


SEED_FACTS = [
    # The OIR pages (2021 and 2023 versions)
    "targeted areas of international activity under the guidance and direction of the Office of International Relations",
    "global neighborhood",
    "Provides a global perspective for the AMA and maintains the relationships with national medical associations and global health care organizations",
    "Builds relationships with counterpart national medical associations to leverage the AMA's expertise, develop contacts, and open opportunities",
    "Works through the World Medical Association (WMA) to promote the AMA's objectives and policies",
    "Assists in securing AMA representation at the World Health Organization's annual World Health Assembly",
    "how they deal with common issues like care in rural areas, shortages of physicians, poverty, and disparities",
    "Council on Science and Public Health", "Council on Medical Service", "Council on Medical Education",
    "Council on Ethical and Judicial Affairs", "CSAPH", "CEJA",
    "Specialty societies", "Medical education and licensure entities", "Human rights organizations",
    "United Nations", "Department of State", "Department of Defense", "Department of Health and Human Services",
    "champion of physicians in globalized health care",
    "Learn more about the AMA's international involvement", "Join the AMA",
    # 2021 events
    "unprecedented stressors and difficult working conditions",
    "World Health Professions Alliance (WHPA)",
    "David Barbe, MD, MHA", "president of the World Medical Association and AMA past president, represented physicians",
    "within the first 100 days of the year, vaccination of health workers and older people was underway in all countries",
    "April 7, 2021", "COVAX", "ACT Accelerator", "equitably distribute vaccines, treatments and diagnostics globally",
    # 2023 event
    "Lujain Alqodmani, MD", "4–7 October 2023", "Kigali, Rwanda",
    "emergency resolution to raise urgent concern about violence against Nepalese health personnel and facilities",
    "solidarity with colleagues in Nepal", "condemning the Hamas attack on Israel",
    "Read more about the physician response",
    # IFMSA
    "International Federation of Medical Students' Associations",
    "recognized by the WHO as representing the voice of medical students around the world",
    "established in 1951", "108 National Member Organizations (NMO) from 101 countries",
    "offer future physicians a comprehensive introduction to global health issues",
    "intent on influencing the trans-national inequalities that shape the health of our planet",
    "exchange people and ideas across different countries", "two for exchanges, four for projects",
    "biannual General Assemblies", "highest decision-making body",
    "Standing Committee on Medical Education", "Standing Committee on Public Health",
    "Standing Committee on Reproductive Health including AIDS", "Standing Committee on Human Rights and Peace",
    "SCOME", "SCOPH", "SCORA", "SCORP",
    "officially endorsed by IFMSA", "delegate allowance to represent their work at General Assemblies",
    "Secretary General", "IFMSA Advisory Council", "Action Committee structure",
]


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_every_seed_fact_is_on_the_site(all_text, fact):
    assert fact in all_text


def test_recent_events_on_home_and_oir_are_newest_first(site):
    for page in ("index.html", "oir/index.html"):
        text = page_text(site, page)
        recent = text.split("Recent events", 1)[1]
        assert recent.index("World Medical Association meets in Africa") < recent.index("World Health Day")
        assert "Health professionals urge public" in recent


def test_backlinks_on_the_built_organization_page(site):
    text = page_text(site, "organizations/wma/index.html")
    referenced = text.split("Referenced by", 1)[1]
    for title in ("World Medical Association meets in Africa", "World Health Day", "David Barbe, MD, MHA",
                  "Working through the World Medical Association"):
        assert title in referenced
    assert "About the Office of International Relations" in page_text(site, "organizations/csaph/index.html")
    source = (site / "organizations/wma/index.html").read_text()
    assert 'href="../../events/wma-general-assembly-2023/"' in source


def test_open_items_show_no_dead_link(site):
    source = (site / "organizations/ifmsa/index.html").read_text()
    assert "not available" in source
    assert 'href=""' not in source and 'href="#"' not in source


def test_entry_pages_are_not_in_the_navigation(site):
    # The UN's page links no event itself: any link to one would come from the navigation.
    source = (site / "organizations/un/index.html").read_text()
    assert 'href="../../events/"' in source  # the index pages are in the navigation ...
    assert "wma-general-assembly-2023" not in source  # ... the entry pages are not


def test_edit_link_of_a_generated_page_opens_its_content_file(tmp_path):
    out = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "REPO_URL": "https://github.com/example/site"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    source = (out / "events/world-health-day-2021/index.html").read_text()
    assert 'href="https://github.com/example/site/edit/main/content/events/world-health-day-2021.md"' in source
    home = (out / "index.html").read_text()
    assert 'href="https://github.com/example/site/edit/main/docs/index.md"' in home
    assert "/edit/main/" not in (out / "events/index.html").read_text()  # no one file makes an index


@pytest.mark.parametrize("path, old, new", [
    ("content/events/world-health-day-2021.md", "organizations: [who, wma,", "organizations: [who, wmo,"),
    ("docs/oir.md", "[[csaph]]", "[[csaphh]]"),
    ("content/organizations/ifmsa.md", "[[amsa]]", "[[amsaa]]"),
])
def test_mkdocs_strict_build_fails_on_a_wrong_reference(tmp_path, path, old, new):
    root = copy_project(tmp_path)
    text = (root / path).read_text()
    assert old in text
    write_tree(root, {path: text.replace(old, new, 1)})
    line = next(i for i, l in enumerate(text.splitlines(), 1) if old in l)
    wrong_id = re.search(r"(wmo|csaphh|amsaa)", new).group(1)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
                            cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True)
    assert result.returncode == 1
    assert re.search(rf"{re.escape(path)}:{line}:\d+: error: .*'{wrong_id}'", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    check = run_cli("--check", "--root", str(root))
    assert check.returncode == 1 and f"{path}:{line}:" in check.stdout


def test_acronyms_carry_their_expansion_on_every_page_that_uses_them(site):
    ifmsa = (site / "ifmsa/index.html").read_text()
    assert '<abbr title="National Member Organization">NMO</abbr>' in ifmsa
    assert '<abbr title="Standing Committee on Medical Education">SCOME</abbr>' in ifmsa
    event = (site / "events/world-health-day-2021/index.html").read_text()
    assert '<abbr title="Coronavirus disease 2019">COVID-19</abbr>' in event


def test_link_texts_say_where_they_go(site):
    vague = {"click here", "here", "read more", "more", "link", "this page", "learn more"}
    for page in site.rglob("*.html"):
        for text in re.findall(r"<a\b[^>]*>(.*?)</a>", page.read_text(), re.S):
            words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text))).strip().lower()
            assert words not in vague, f"{page}: a link says only {words!r}"

