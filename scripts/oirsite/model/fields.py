"""The parts the content models share; each collection's own model is in ``oirsite.collections``.

Unknown keys are errors (a typo in a field name is caught). A reference is an id annotated with
``Ref(collection)``; a fact the sources leave open is written ``{open: "why"}``, never guessed.
"""

from __future__ import annotations

import functools
import html
import re
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Iterator, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema


@dataclass(frozen=True)
class Ref:
    """Marks a field as a reference to an entry of ``collection``."""

    collection: str


_HTML_TAG = re.compile(r"<\s*[A-Za-z/!?]")


def _plain_text(value: str) -> str:
    """Fields are plain text: markup in them would reach the page (and its <head>) unfiltered. A tag
    written with character references (&lt;b&gt;) is markup too: pages and tooltips decode them."""
    decoded = html.unescape(value)
    if _HTML_TAG.search(value) or _HTML_TAG.search(decoded):
        raise ValueError("HTML tags are not allowed in a field: write plain text")
    if re.search(r"(?i)\b(javascript|vbscript)\s*:", decoded):
        raise ValueError("'javascript:' is not allowed in content")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_plain_text)]
# An https address of the characters RFC 3986 allows, and no others: nothing in it can end a Markdown
# link or an HTML attribute, or open an attribute list ({), whatever page it is written into.
_URL_CHARS = r"[A-Za-z0-9\-._~%!$&'()*+,;=:@/]"
HttpsUrl = Annotated[str, StringConstraints(
    pattern=rf"^https://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{{1,5}})?(?:/{_URL_CHARS}*)?"
            rf"(?:\?(?:{_URL_CHARS}|\?)*)?(?:#(?:{_URL_CHARS}|\?)*)?$")]
# An address as the Markdown autolink <address> can carry it: letters, digits and . _ % + - before
# the @, a domain of letters, digits and hyphens after it (nothing that could end the link or start markup).
Email = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")]
Year = Annotated[int, Field(ge=1000, le=9999)]
Day = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]  # YYYY-MM-DD
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40,
                                       pattern=r"^[\w][\w .'’-]*$")]

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# An id names a file (its entry's, and its page's folder in the site: at most 255 bytes each) and
# goes into every address of the entry: a name of a few words is all an id needs.
MAX_ID_LENGTH = 100


def ref_to(collection: str, what: str) -> Any:
    """The type of a field that holds the id of an entry of ``collection`` ("*": any entry)."""
    folder = "content/" if collection == "*" else f"content/{collection}/"
    description = f"The id of {what} (a file name in {folder})."
    return Annotated[str, Ref(collection), WithJsonSchema({"type": "string", "pattern": ID_PATTERN,
                                                           "description": description})]


OrganizationRef = ref_to("organizations", "an organization")
PersonRef = ref_to("people", "a person")
AnyRef = ref_to("*", "any entry")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


IdText = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
PagePath = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*){0,4}\.md$", max_length=200)]
SourceRef = ref_to("sources", "a source")


class Locator(Strict):
    """A few words of a source that mark the passage a fact comes from (not a copied paragraph)."""

    source: SourceRef
    text: Text = Field(max_length=200, description="The words as the source has them (a link to the source opens it there).")


class EntryModel(Strict):
    """The fields every entry may have, whatever its collection (each collection's model extends it)."""

    sources: list[SourceRef] = Field(default=[], description="The sources its facts come from (ids of content/sources/).")
    locators: list[Locator] = Field(default=[], description="Passages of its sources that its facts come from.")
    reviewed: Day | None = Field(
        default=None, description="The day an editor last checked it against its sources (YYYY-MM-DD).")
    formerly: list[IdText] = Field(
        default=[], description="Its former ids: the pages at their old addresses lead to this one.")
    former_pages: list[PagePath] = Field(
        default=[], description="Addresses of hand-written pages it replaced (e.g. oir.md): they lead to its page.")


class Open(Strict):
    """A fact the sources leave open. ``open`` says what is missing and why."""

    open: Text


class Link(Strict):
    """A call to action or further reading; ``url`` may be open where the source gives no target."""

    text: Text
    url: Union[HttpsUrl, Open]


class Contact(Strict):
    role: Text
    person: PersonRef | None = None
    email: Union[Email, Open, None] = None


class Place(Strict):
    city: Text
    country: Text


class Membership(Strict):
    """How many member organizations, from how many countries (as the source states it)."""

    organizations: int = Field(ge=1)
    countries: int = Field(ge=1)
    term: Text = "member organizations"
    as_of: Year | None = Field(default=None, description="The year the source gave the figures in.")


class Role(Strict):
    organization: OrganizationRef
    title: Text
    years: Annotated[str, StringConstraints(pattern=r"^\d{4}([–-]\d{4})?$")] | None = Field(
        default=None, description="Years in office: 2020, or 2020–2021.")
    as_of: Year | None = Field(default=None, description="The year the source stated the role in.")


def _walk(model: type[BaseModel], data: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any, str | None]]:
    """Every value in ``data`` (a validated ``model``, or its fields as read) with its path and the
    collection it refers to, depth first: lists are opened and nested models entered (an Open value is
    yielded, not entered). The one walk of values: data as read is followed only where it has the shape
    the field expects."""
    values = dict(data) if isinstance(data, BaseModel) else data if isinstance(data, dict) else {}
    for name, direct, item, nested in field_plan(model):
        value = values.get(name)
        if isinstance(value, list):
            elements = [((name, index), item, element) for index, element in enumerate(value)]
        else:
            elements = [((name,), direct, value)]
        for here, collection, element in elements:
            yield path + here, element, collection
            if isinstance(element, BaseModel) and not isinstance(element, Open):  # a validated value: its own model
                yield from _walk(type(element), element, path + here)
            elif isinstance(element, dict) and nested is not None:  # as read: the model the field expects
                yield from _walk(nested, element, path + here)


def references(model: BaseModel) -> Iterator[tuple[tuple, str, str]]:
    """Every reference in ``model``: (path of the field, target collection, id)."""
    return data_references(type(model), model)


def data_references(model: type[BaseModel], data: Any) -> Iterator[tuple[tuple, str, str]]:
    """The references in fields as read (not validated): for an entry with errors, whose other
    references are still checked."""
    return ((path, collection, value) for path, value, collection in _walk(model, data)
            if collection and isinstance(value, str))


def open_items(model: BaseModel) -> Iterator[tuple[tuple, str]]:
    """Every field marked open in ``model``: (path of the field, the reason given)."""
    return ((path, value.open) for path, value, _ in _walk(type(model), model) if isinstance(value, Open))


def text_values(model: BaseModel) -> Iterator[tuple[tuple, str]]:
    """Every text value in ``model`` with its path (for checks such as leftover placeholders)."""
    return ((path, value) for path, value, _ in _walk(type(model), model) if isinstance(value, str))


@functools.cache
def nested_model(annotation: Any, skip_open: bool = True) -> type[BaseModel] | None:
    """The model a field holds (directly, in a list or as one choice of a union), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = nested_model(arg, skip_open)
        if found is not None and not (skip_open and found is Open):
            return found
    return None


@functools.cache
def field_plan(model: type[BaseModel]) -> tuple[tuple[str, str | None, str | None, type[BaseModel] | None], ...]:
    """For each field: its name, the collection a plain value refers to, the one a list item refers
    to, and the model it holds (the one walk of annotations, for references, validation and the CMS)."""
    plan = []
    for name, info in model.model_fields.items():
        item = next((typing.get_args(candidate)[0] for candidate in (info.annotation, *typing.get_args(info.annotation))
                     if typing.get_origin(candidate) is list), Any)  # a list's item type (or an optional list's)
        plan.append((name, _ref_collection(info.annotation, tuple(info.metadata)), _ref_collection(item),
                     nested_model(info.annotation)))
    return tuple(plan)


def fields_at(model: type[BaseModel], path: tuple) -> list[str]:
    """The field names allowed at ``path`` inside ``model`` (for suggestions), shared ones last."""
    current: type[BaseModel] | None = model
    for part in (p for p in path if not isinstance(p, int)):
        info = current.model_fields.get(part) if current else None
        current = nested_model(info.annotation, skip_open=False) if info else None
    return sorted(current.model_fields, key=lambda name: name in EntryModel.model_fields) if current else []


def _ref_collection(annotation: Any, markers: tuple = ()) -> str | None:
    """The collection that ``annotation`` (or the Annotated type of an Optional) refers to, if any."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is Annotated:
            markers += candidate.__metadata__
    return next((marker.collection for marker in markers if isinstance(marker, Ref)), None)
