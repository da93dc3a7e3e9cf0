"""The shapes of published action plans in the open-data API (``platsa.api.plans_api``).
Texts are plain strings, never HTML; no e-mail address is part of any shape."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from platsa.api.schemas import Municipality, Page, Phase, PlaceRef


class PlanSummary(Schema):
    id: int
    title: str
    place: PlaceRef
    municipality: Municipality
    scope: str = Field(description="place, villages, municipality or region")
    phase: Phase
    starts_on: date | None
    ends_on: date | None
    actions: dict[str, int] | None = Field(
        description="Actions by status: planned, under_way, done, paused, stopped"
    )
    page: str = Field(description="The public follow-up page")
    detail: str


class PlanPage(Page):
    results: list[PlanSummary]


class Strategy(Schema):
    level: str
    name: str
    url: str | None


class Progress(Schema):
    actions: int
    by_status: dict[str, int]
    progress: float | None = Field(
        description="Mean progress in % of the actions that reported one (done counts 100, "
        "stopped is left out); null when none reported"
    )
    reported: int
    milestones_done: int
    milestones_total: int
    milestones_overdue: int


class IndicatorValue(Schema):
    when: str
    value: float


class Indicator(Schema):
    id: int
    kind: str = Field(description="theme (an assessment theme's score), fact (open data), custom")
    name: str
    unit: str
    theme: str | None
    figure: str | None
    baseline: float | None
    baseline_year: int | None
    target: float | None
    target_year: int | None
    higher_is_better: bool
    values: list[IndicatorValue]


class Goal(Schema):
    id: int
    title: str
    description: str
    theme: str | None
    place: str | None = Field(description="A village's own goal; null when shared")
    progress: Progress | None
    indicators: list[Indicator]


class Milestone(Schema):
    title: str
    due_on: date
    done_on: date | None
    overdue: bool


class Funding(Schema):
    name: str
    programme: str | None
    status: str = Field(description="idea, applied, granted or refused")
    amount: int | None


class Action(Schema):
    id: int
    title: str
    description: str
    goals: list[int]
    themes: list[str]
    place: str | None
    status: str
    progress: int | None
    lead: str | None
    organisation: str | None
    contact: str | None = Field(description="Only where the person agreed to be named")
    partners: str | None
    starts_on: date | None
    ends_on: date | None
    budget: int | None
    currency: str
    origin: str = Field(description="own, recommendation, idea, workshop or catalogue")
    milestones: list[Milestone]
    funding: list[Funding]


class PlanDetail(PlanSummary):
    vision: str
    strategies: list[Strategy]
    progress: Progress
    goals: list[Goal]
    actions_list: list[Action]
    updates: str


class Update(Schema):
    id: int
    action: int
    at: datetime
    text: str
    progress: int | None
    status: str | None
    milestone: str | None


class UpdatePage(Page):
    results: list[Update]
