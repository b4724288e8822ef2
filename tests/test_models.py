"""Each model accepts what the content needs and rejects what it must not hold."""

import re

import pytest
from pydantic import ValidationError

from oirsite.core.dates import PartialDate, Precision, format_range
from oirsite.collections.activities import Activity
from oirsite.collections.committees import Committee
from oirsite.collections.events import Event
from oirsite.collections.glossary import Term
from oirsite.collections.organizations import Organization
from oirsite.collections.people import Person
from oirsite.model.fields import Open, open_items, references


def test_partial_dates_know_their_precision():
    assert PartialDate.parse(2021).precision is Precision.YEAR
    assert PartialDate.parse("2021-01").precision is Precision.MONTH
    assert PartialDate.parse("2021-04-07").precision is Precision.DAY
    assert PartialDate.parse("2021") < PartialDate.parse("2021-04-07") < PartialDate.parse("2023-10")


@pytest.mark.parametrize("text, why", [
    ("2023-02-30", "February 2023 has 28 days"),
    ("2024-13", "there is no month 13"),
    ("23-10-04", "write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("next week", "write YYYY, YYYY-MM or YYYY-MM-DD"),
])
def test_impossible_dates_are_refused_with_a_reason(text, why):
    with pytest.raises(ValueError, match=why):
        PartialDate.parse(text)


def test_leap_day_is_a_date():
    assert PartialDate.parse("2024-02-29").day == 29


def test_date_ranges_read_well():
    start, end = PartialDate.parse("2023-10-04"), PartialDate.parse("2023-10-07")
    assert format_range(start, end) == "4–7 October 2023"
    assert format_range(PartialDate.parse("2021-01"), None) == "January 2021"
    assert format_range(PartialDate.parse("2023-09-30"), PartialDate.parse("2023-10-02")) == "30 September – 2 October 2023"


def test_organization_requires_name_kind_and_summary():
    with pytest.raises(ValidationError, match="3 validation errors") as err:
        Organization.model_validate({"acronym": "X"})
    assert {e["loc"][0] for e in err.value.errors()} == {"name", "kind", "summary"}


def test_organization_kind_must_be_known():
    with pytest.raises(ValidationError, match="kind"):
        Organization.model_validate({"name": "X", "kind": "club", "summary": "s"})


@pytest.mark.parametrize("model, data", [
    (Organization, {"name": "X", "kind": "ama-council", "summary": "s", "nmae": "typo"}),
    (Person, {"name": "X", "role": []}),
    (Event, {"title": "X", "date": 2021, "summary": "s", "tag": ["a"]}),
    (Activity, {"title": "X", "summary": "s", "order": 1, "org": "a"}),
    (Committee, {"acronym": "A", "name": "N", "type": "project", "focus": "f", "organization": "o", "x": 1}),
    (Term, {"term": "A", "expansion": "B", "extra": 1}),
])
def test_unknown_keys_are_errors_in_every_model(model, data):
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        model.model_validate(data)


def test_event_range_must_not_end_before_it_starts():
    with pytest.raises(ValidationError, match="ends .* before it starts"):
        Event.model_validate({"title": "X", "date": "2023-10-07", "end": "2023-10-04", "summary": "s"})


def test_event_range_needs_days():
    with pytest.raises(ValidationError, match="full days"):
        Event.model_validate({"title": "X", "date": "2023-10", "end": "2023-10-07", "summary": "s"})


def test_person_display_name_carries_credentials():
    person = Person.model_validate({"name": "David Barbe", "credentials": ["MD", "MHA"]})
    assert person.display_name == "David Barbe, MD, MHA"


def test_committee_type_is_exchange_or_project():
    with pytest.raises(ValidationError, match="'exchange' or 'project'"):
        Committee.model_validate({"acronym": "A", "name": "N", "type": "other", "focus": "f", "organization": "o"})


def test_website_must_be_https():
    with pytest.raises(ValidationError, match="website"):
        Organization.model_validate({"name": "X", "kind": "ama-council", "summary": "s", "website": "http://x.org"})


def test_references_are_found_with_their_field_paths():
    person = Person.model_validate({"name": "X", "roles": [{"organization": "wma", "title": "T"}]})
    assert list(references(person)) == [(("roles", 0, "organization"), "organizations", "wma")]
    event = Event.model_validate({"title": "X", "date": 2021, "summary": "s", "organizers": ["a", "b"],
                                  "people": [{"person": "p"}]})
    assert list(references(event)) == [(("organizers", 0), "organizations", "a"),
                                       (("organizers", 1), "organizations", "b"),
                                       (("people", 0, "person"), "people", "p")]
    org = Organization.model_validate({"name": "X", "kind": "ama-council", "summary": "s", "parent": "ama"})
    assert list(references(org)) == [(("parent",), "organizations", "ama")]


def test_open_items_are_listed_with_their_paths():
    org = Organization.model_validate({
        "name": "X", "kind": "ama-council", "summary": "s",
        "contacts": [{"role": "Secretary General", "email": {"open": "no address given"}}],
        "links": [{"text": "More", "url": {"open": "no target"}}],
    })
    assert isinstance(org.contacts[0].email, Open)
    assert list(open_items(org)) == [(("contacts", 0, "email"), "no address given"),
                                     (("links", 0, "url"), "no target")]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_an_address_that_passes_cannot_break_the_markdown_it_is_written_into(tail):
    """Whatever follows https://x.org/: either the field refuses it, or the link it makes is one <a>
    with that address and nothing else (no attribute list, no raw HTML, no second link)."""
    import markdown
    from pydantic import TypeAdapter

    from oirsite.model.fields import HttpsUrl
    from oirsite.core.markdown_text import link_list

    url = "https://x.org/" + tail
    try:
        TypeAdapter(HttpsUrl).validate_python(url)
    except ValidationError:
        return
    item = type("Link", (), {"text": "Read more", "url": url})()
    html = markdown.markdown(link_list([item]), extensions=["attr_list", "md_in_html", "abbr", "tables"])
    import html as html_module
    found = re.findall(r"<a ([^>]*)>", html)
    assert found == [f'href="{html_module.escape(url, quote=True)}"'] or found == [f'href="{url}"'], html
