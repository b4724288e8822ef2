"""End to end: the real content built by MkDocs, with every seed fact on the built pages."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import PROJECT, ROOT, SOURCE_DATE_EPOCH, copy_project, run_cli, write_tree, reader_pages


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


# Calls to action of the source pages that give no address: a reader would find a dead end, so they
# are not shown; they stay in the content as open items, which the check reports to editors.
OPEN_CALLS_TO_ACTION = ["Read more about the physician response"]


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_every_seed_fact_is_on_the_site(all_text, fact):
    assert fact in all_text


@pytest.mark.parametrize("call", OPEN_CALLS_TO_ACTION)
def test_a_call_to_action_without_an_address_stays_with_the_editors(all_text, call):
    assert call not in all_text
    check = run_cli("--check")
    assert re.search(r"content/\S+: warning: open item in 'links\[\d+\]\.url'", check.stdout)
    assert any(call in path.read_text(encoding="utf-8") for path in (PROJECT / "content").rglob("*.md"))


@pytest.fixture(scope="module")
def catalog():
    """The real content, checked in this process (for invariants: what the pages must show)."""
    from helpers import check
    return check(PROJECT).catalog


def entity_pages(site: Path, catalog) -> list[tuple[object, Path]]:
    return [(e, site / e.page.removesuffix(".md") / "index.html") for e in catalog.entries.values()
            if e.spec.has_pages]


def test_home_shows_the_next_events_or_else_the_latest(site, catalog, monkeypatch):
    from oirsite.collections.events import split_by_date
    import datetime as dt
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)  # the build's day
    upcoming, past = split_by_date(catalog.in_collection("events"),
                                   dt.datetime.fromtimestamp(int(SOURCE_DATE_EPOCH), dt.timezone.utc).date())
    heading, shown = ("Upcoming events", upcoming[:3]) if upcoming else ("Recent events", past[:3])
    text = page_text(site, "index.html").split(heading, 1)[1]
    positions = [text.index(e.title) for e in shown]
    assert shown and positions == sorted(positions)


def test_home_has_a_card_with_a_count_for_each_main_section(site, catalog):
    home = (site / "index.html").read_text(encoding="utf-8")
    cards = re.search(r'<div class="grid cards">(.*?)</div>', home, re.S).group(1)
    for folder, href in (("activities", "activities/"), ("organizations", "organizations/"),
                         ("events", "events/"), ("committees", "organizations/ifmsa/")):
        assert f'href="{href}"' in cards
        count = len(catalog.in_collection(folder))
        assert re.search(rf"\b{count} \w+", re.sub(r"<[^>]+>", "", cards))


def test_mentions_are_grouped_by_collection_with_plain_words(site, catalog):
    from oirsite import collections
    titles = {spec.title for spec in collections.registry().values()} | {"Pages"}
    grouped = 0
    for entry, path in entity_pages(site, catalog):
        html_text = path.read_text(encoding="utf-8")
        assert "Referenced by" not in html_text
        if 'id="mentioned-in"' not in html_text:
            continue
        section = html_text.split('id="mentioned-in"', 1)[1].split('id="sources"', 1)[0]
        groups = [html.unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in re.findall(r"<h3[^>]*>(.*?)</h3>", section)]
        assert groups and set(groups) <= titles, (path, groups)
        assert "glossary/" not in section and 'href="../../"' not in section  # no home page, no glossary
        grouped += 1
    assert grouped > 0


def test_every_event_page_shows_its_summary_exactly_once(site, catalog):
    for entry, path in entity_pages(site, catalog):
        if entry.collection == "events":
            text = page_text(site, str(path.relative_to(site)))
            summary = " ".join(entry.data.summary.split())
            assert text.count(summary) == 1, path


def test_every_entity_page_ends_with_its_sources_and_review_day(site, catalog):
    sources_page = (site / "sources/index.html").read_text(encoding="utf-8")
    for entry, path in entity_pages(site, catalog):
        html_text = path.read_text(encoding="utf-8")
        assert 'id="sources"' in html_text, path
        section = html_text.split('id="sources"', 1)[1].split("</article>", 1)[0]
        links = re.findall(r'href="([^"]*sources/#([a-z0-9-]+))"', section)
        assert {anchor for _, anchor in links} == set(entry.data.sources), path
        for href, anchor in links:  # each link resolves: the sources page and the anchor on it
            assert (path.parent / href.split("#")[0] / "index.html").resolve() == (site / "sources/index.html").resolve()
            assert f'id="{anchor}"' in sources_page
        assert "Checked against its sources on" in section


def test_no_page_holds_text_addressed_to_editors(site, catalog):
    """What the renderers once wrote for open items and source notes, and every open item's reason
    and every editor's note of the content itself: none of it on any page of the built site."""
    from oirsite.model.fields import open_items
    markers = ["not available", "the source page", "source pages", "public record", "will show it once",
               "once it is known", "has no target", "left out of it", "open item", "TODO"]
    notes = [reason for e in catalog.entries.values() for _, reason in open_items(e.data)]
    notes += [e.data.source_note for e in catalog.entries.values() if getattr(e.data, "source_note", None)]
    assert notes  # the content has editor notes: the test looks for something real
    found = []
    for path in reader_pages(site):
        text = html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
        text = re.sub(r"\s+", " ", text)
        for marker in markers + [" ".join(n.split()) for n in notes]:
            if marker.lower() in text.lower():
                found.append(f"{path.relative_to(site)}: {marker!r}")
    assert found == []


def test_open_items_show_no_dead_link(site):
    for path in reader_pages(site):
        source = path.read_text(encoding="utf-8")
        assert 'href=""' not in source and 'href="#"' not in source, path


def test_entry_pages_are_not_listed_in_the_navigation(site, catalog):
    nav_entries = []
    for entry, path in entity_pages(site, catalog):
        sidebar = path.read_text(encoding="utf-8").split('class="md-sidebar md-sidebar--primary"', 1)[1]
        sidebar = sidebar.split("</nav>", 1)[0]
        if f"{entry.collection}/{entry.id}/" in sidebar:
            nav_entries.append(entry.id)
    assert nav_entries == []


def test_no_permalink_clutter_and_no_tags_tab(site):
    for path in reader_pages(site):
        source = path.read_text(encoding="utf-8")
        assert 'class="headerlink"' not in source, path
        tabs = source.split('class="md-tabs__list"', 1)[-1].split("</ul>", 1)[0]
        assert ">Tags<" not in re.sub(r"\s+", "", tabs), path


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
    ("content/events/world-health-day-2021.md", "organizers: [who, wma]", "organizers: [who, wmo]"),
    ("content/organizations/oir.md", "[[csaph]]", "[[csaphh]]"),
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
    ifmsa = (site / "organizations/ifmsa/index.html").read_text()
    assert '<abbr title="National Member Organization">NMO</abbr>' in ifmsa
    assert '<abbr title="Standing Committee on Medical Education">SCOME</abbr>' in ifmsa
    event = (site / "events/world-health-day-2021/index.html").read_text()
    assert '<abbr title="Coronavirus disease 2019">COVID-19</abbr>' in event


def test_each_acronym_is_explained_once_a_page_at_its_first_use(site):
    """A tooltip where an acronym is first used on a page, plain text after (not underlined throughout)."""
    explained = 0
    for page in reader_pages(site):
        article = page.read_text(encoding="utf-8").split("<article", 1)[-1].split("</article>", 1)[0]
        words = re.findall(r"<abbr\b[^>]*>([^<]*)</abbr>", article)
        assert len(words) == len(set(words)), f"{page}: an acronym explained more than once"
        explained += len(words)
    assert explained  # the glossary's acronyms are explained somewhere


def test_link_texts_say_where_they_go(site):
    vague = {"click here", "here", "read more", "more", "link", "this page", "learn more"}
    for page in reader_pages(site):
        for text in re.findall(r"<a\b[^>]*>(.*?)</a>", page.read_text(), re.S):
            words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text))).strip().lower()
            assert words not in vague, f"{page}: a link says only {words!r}"



# Issue 26: pages with substance, sources a reader can check.
OPENING_COLLECTIONS = ("organizations", "committees", "activities")


def _first_paragraph(site: Path, page: Path) -> str:
    source = page.read_text(encoding="utf-8")
    article = re.search(r"<article[^>]*>(.*?)</article>", source, re.S).group(1)
    after_title = article.split("</h1>", 1)[1]
    first = re.search(r"<p>(.*?)</p>", after_title, re.S).group(1)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", first))).strip()


def test_every_organization_committee_and_activity_page_opens_with_what_it_is(site, catalog):
    """The first paragraph after the title says what the entity is, in at least 30 words, and no
    reader page describes the source list instead of the entity, or shows a label that repeats the title."""
    for entry, page in entity_pages(site, catalog):
        text = page_text(site, str(page.relative_to(site)))
        assert not re.search(r"\b(on|in) the (OIR|AMA)'s list\b|\blisted (first|last)\b|\bthe last of\b", text), page
        assert "Acronym:" not in text and "Kind:" not in text and "Focus:" not in text, page
        if entry.collection in OPENING_COLLECTIONS:
            opening = _first_paragraph(site, page)
            assert len(opening.split()) >= 30, f"{page}: opens with {opening!r}"


def test_world_health_day_2021_was_called_by_the_who_and_the_wma_only():
    """The seed names COVAX and the ACT Accelerator as the means to fulfil the call, not as organizers."""
    from helpers import check
    event = check(PROJECT).catalog.get("world-health-day-2021", "events")
    assert event is not None and sorted(event.data.organizers) == ["who", "wma"]


def test_the_oir_and_ifmsa_have_one_page_each_and_the_old_addresses_lead_there(site):
    for old, new in (("oir", "organizations/oir/"), ("ifmsa", "organizations/ifmsa/")):
        redirect = (site / old / "index.html").read_text(encoding="utf-8")
        assert f'http-equiv="refresh" content="0; url=../{new}"' in redirect
        assert "<article" not in redirect
    assert not (PROJECT / "docs" / "oir.md").exists() and not (PROJECT / "docs" / "ifmsa.md").exists()


def test_a_summary_stays_on_its_own_page_and_in_lists(site, catalog):
    """'Mentioned in' links the pages that mention an entity, without their summaries."""
    summaries = {e.id: re.sub(r"\s+", " ", e.data.summary) for e in catalog.entries.values()
                 if e.spec.has_pages and getattr(e.data, "summary", None)}
    for entry, page in entity_pages(site, catalog):
        text = page_text(site, str(page.relative_to(site)))
        mentioned = text.split("Mentioned in", 1)[1].split("Sources", 1)[0] if "Mentioned in" in text else ""
        for other, summary in summaries.items():
            assert summary not in mentioned, f"{page}: the summary of {other} under 'Mentioned in'"


def test_sources_say_how_the_site_has_them_and_are_never_consulted(site, catalog):
    sources = page_text(site, "sources/index.html")
    assert "consulted" not in sources.lower()
    for entry in catalog.in_collection("sources"):
        kind = entry.data.obtained
        assert kind in {"seed", "stored copy"}
        if kind == "seed":
            assert (PROJECT / "records" / entry.data.record).is_file(), entry.source
        else:
            assert entry.data.url and entry.data.read, entry.source
