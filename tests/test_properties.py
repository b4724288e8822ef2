"""Property-based tests: whatever a content file holds, the loader answers with an entry or with
diagnostics, never an exception; and valid entries survive a round trip through YAML."""

from __future__ import annotations

import datetime as dt

import string
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oirsite.core.dates import FIRST_YEAR, LAST_YEAR, PartialDate
from oirsite.core.diagnostics import Diagnostics
from oirsite.read.loader import load_content
from oirsite.collections.events import Event, Participant
from oirsite.collections.organizations import Organization
from oirsite.collections.people import Person

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def load_one(folder: Path, name: str, data: bytes):
    for old in folder.rglob("*.*"):
        old.unlink()
    path = folder / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    diagnostics = Diagnostics()
    entries = load_content(folder, diagnostics)
    return entries, diagnostics


yaml_like = st.text(alphabet=string.printable + "äé—“”\ufeff&*!%@`|>-:#[]{}'\"\t", max_size=300)


@SETTINGS
@given(st.one_of(st.binary(max_size=300), yaml_like.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       st.sampled_from(["organizations/x.yml", "events/x.md", "people/x.yml", "glossary/x.yml"]))
def test_any_bytes_give_an_entry_or_diagnostics(data, name):
    with tempfile.TemporaryDirectory() as tmp:
        entries, diagnostics = load_one(Path(tmp), name, data)
    assert len(entries) == 1 or diagnostics.errors
    for diagnostic in diagnostics:
        assert diagnostic.path == f"content/{name}" and diagnostic.line >= 1 and diagnostic.col >= 1


@SETTINGS
@given(st.text(max_size=200), st.sampled_from(["events/x.md", "activities/x.md"]))
def test_any_front_matter_text_gives_an_entry_or_diagnostics(text, name):
    with tempfile.TemporaryDirectory() as tmp:
        entries, diagnostics = load_one(Path(tmp), name, f"---\n{text}\n---\nBody\n".encode("utf-8", "surrogatepass"))
    assert len(entries) == 1 or diagnostics.errors


plain = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"),
                                       exclude_characters="<"), min_size=1, max_size=40).map(str.strip).filter(bool)
ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
# Dates as the site shows them: years FIRST_YEAR to LAST_YEAR (the models refuse the rest).
days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(LAST_YEAR, 12, 31)).map(
    lambda d: PartialDate(d.year, d.month, d.day))
partial_dates = st.one_of(st.integers(1900, 2100).map(PartialDate),
                          st.tuples(st.integers(1900, 2100), st.integers(1, 12)).map(lambda ym: PartialDate(*ym)),
                          days)
tags = st.from_regex(r"[a-z][a-z0-9 -]{0,15}", fullmatch=True).map(str.strip)

organizations = st.builds(Organization, name=plain, acronym=st.none() | plain, summary=plain,
                          kind=st.sampled_from(["ama-council", "us-federal-department", "medical-students-federation"]),
                          parent=st.none() | ids, founded=st.none() | st.integers(FIRST_YEAR, LAST_YEAR),
                          website=st.none() | st.just("https://example.org/a?b=c"), tags=st.lists(tags, max_size=3))
people = st.builds(Person, name=plain, credentials=st.lists(st.sampled_from(["MD", "MHA", "PhD"]), max_size=2),
                   summary=st.none() | plain)
events = st.builds(Event, title=plain, date=partial_dates, summary=plain, organizers=st.lists(ids, max_size=3),
                   people=st.lists(st.builds(Participant, person=ids), max_size=2), tags=st.lists(tags, max_size=3))


@SETTINGS
@given(st.one_of(organizations.map(lambda m: ("organizations/x.yml", m)),
                 people.map(lambda m: ("people/x.yml", m)),
                 events.map(lambda m: ("events/x.md", m))))
def test_valid_entries_round_trip_through_the_loader(item):
    name, model = item
    text = yaml.safe_dump(model.model_dump(mode="json", exclude_defaults=True), allow_unicode=True, sort_keys=False)
    if name.endswith(".md"):
        text = f"---\n{text}---\n"
    with tempfile.TemporaryDirectory() as tmp:
        entries, diagnostics = load_one(Path(tmp), name, text.encode("utf-8"))
    assert diagnostics.errors == [], diagnostics
    assert entries[0].data == model
