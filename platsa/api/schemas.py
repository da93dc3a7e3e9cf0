"""The shapes the open-data API reads and writes, as its OpenAPI schema publishes them.

Every text is a plain JSON string: titles, bodies and names are never HTML here (an idea's
body is its Markdown source, as the author wrote it). A client that shows them in a page must
escape them as it would any text. E-mail addresses are never part of any shape; an author is
their chosen display name, or null.
"""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from platsa.innovation.models import BODY_MAX


class Error(Schema):
    detail: str
    code: str | None = None


class Municipality(Schema):
    name: str
    code: str
    country: str = Field(description="ISO 3166-1 alpha-2: SE, NO, FI")


class Place(Schema):
    slug: str
    name: str
    kind: str = Field(description="municipality, locality or other")
    municipality: Municipality
    processes: str = Field(description="The address of this place's public processes")


class PlaceRef(Schema):
    slug: str
    name: str


class Phase(Schema):
    id: str
    label: str


class Stop(Schema):
    id: int
    title: str
    starts_on: date
    ends_on: date
    municipality: Municipality


class Theme(Schema):
    id: int
    name: str


class Process(Schema):
    id: int
    slug: str
    title: str
    place: PlaceRef
    phase: Phase
    opens_at: datetime | None
    closes_at: datetime | None
    created_at: datetime
    stops: list[Stop]
    url: str = Field(description="The process's public web page")


class ProcessDetail(Process):
    intro: str = Field(description="Markdown source, as the organisers wrote it")
    themes: list[Theme]
    idea_count: int = Field(description="Ideas shown to the public")
    challenge_count: int
    open_to: list[str] = Field(
        description="What participants may do now: propose, comment, support"
    )


class Challenge(Schema):
    id: int
    title: str
    owner_name: str
    owner_kind: str
    story: str
    problem: str
    help_wanted: list[str] = Field(description="ideas, partners, funding, people")
    themes: list[Theme]
    stop_id: int | None
    created_at: datetime
    url: str


class Pledges(Schema):
    count: int
    money: int = Field(description="The sum of money pledged, in goal_currency")
    goal_amount: int | None
    goal_currency: str


class Idea(Schema):
    id: int
    process_id: int
    title: str
    status: str = Field(description="new, review, selected, not_selected, in_plan, done")
    themes: list[Theme]
    challenge_id: int | None
    stop_id: int | None
    support_count: int
    comment_count: int
    like_count: int
    pledges: Pledges
    author: str | None = Field(description="The author's display name, if they gave one")
    created_at: datetime
    url: str


class IdeaDetail(Idea):
    body: str = Field(description="Markdown source, as the author wrote it")
    official_answer: str
    lat: float | None
    lon: float | None
    shown: bool = Field(description="False while the idea waits for a moderator's review")


class Page(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None


class PlacePage(Page):
    results: list[Place]


class ProcessPage(Page):
    results: list[Process]


class ChallengePage(Page):
    results: list[Challenge]


class IdeaPage(Page):
    results: list[Idea]


class IdeaIn(Schema):
    """A new idea. Lengths are checked again, with a message that says the limit, when the
    idea is stored; these bounds only keep an oversized request from being read at all."""

    title: str = Field(max_length=1000)
    body: str = Field(max_length=BODY_MAX * 4)
    themes: list[int] = Field(default_factory=list, max_length=50)
    challenge: int | None = None
    stop: int | None = None
    lat: float | None = None
    lon: float | None = None
    goal_amount: int | None = None


class SupportOut(Schema):
    idea_id: int
    supported: bool
    changed: bool = Field(description="False when it already was as asked (a second click)")
    support_count: int
