"""Funding for a plan's actions: the programmes of the plan's country (the funding data
files) and the place's own (bygdemedel, vindkraftsmedel), as choices for a funding line and
as matches ranked for one action, each with its reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from platsa.core.analysis.funding_match import (
    Budget,
    FundingMatch,
    ReasonKind,
    currency_of,
    match_funding,
)
from platsa.core.schema.catalogue import FundingSource, load_funding
from platsa.plans.models import Action, LocalFunding, Plan


@cache
def _sources() -> dict[str, FundingSource]:
    return load_funding()


def plan_country(plan: Plan) -> str:
    municipality = plan.process.place.municipality
    return getattr(municipality, "country", "") or "SE"


def _language() -> str:
    return (get_language() or "sv")[:2]


def funding_choices(plan: Plan) -> list[tuple[str, str]]:
    country = plan_country(plan)
    language = _language()
    local = [(f"local:{f.pk}", f.name) for f in _local_rows(plan)]
    shared = sorted(
        ((s.id, s.name.get(language)) for s in _sources().values() if country in s.countries),
        key=lambda pair: pair[1].lower(),
    )
    return local + shared


@dataclass
class Match:
    source_id: str
    name: str
    publisher: str
    funds: str
    url: str
    staged: bool | None
    local: bool
    score: float
    reasons: list[dict[str, Any]] = field(default_factory=list)
    why: str = ""


_APPLICANT = {"industry": "company", "jointly": "partnership"}


def _local_rows(plan: Plan) -> list[LocalFunding]:
    """The own programmes of every place of the plan (each village's bygdemedel too)."""
    from platsa.plans.selectors import plan_places

    ids = [p.pk for p in plan_places(plan)]
    return list(LocalFunding.objects.filter(place_id__in=ids).order_by("name", "pk"))


def _local_sources(plan: Plan, country: str) -> dict[str, FundingSource]:
    """The place's own programmes as the matcher's records (built without the data files'
    validation: a local programme may have no link, and its texts are in one language)."""
    from platsa.core.schema.catalogue import Applicant, FundingAmounts
    from platsa.core.schema.texts import LocalText

    out = {}
    currency = currency_of(country)
    for row in _local_rows(plan):
        key = f"local_{row.pk}"
        amounts = (
            FundingAmounts.model_construct(
                min=None, max=row.amount_max, currency=currency, note=None, source=row.url
            )
            if row.amount_max
            else None
        )
        out[key] = FundingSource.model_construct(
            id=key,
            name=LocalText.model_construct(sv=row.name, en=row.name),
            publisher=row.publisher,
            countries=(country,),
            funds=LocalText.model_construct(sv=row.funds, en=row.funds),
            url=row.url,
            applicants=tuple(
                Applicant(_APPLICANT.get(a, a))
                for a in row.applicants
                if _APPLICANT.get(a, a) in Applicant.__members__.values()
            ),
            amounts=amounts,
            staged=row.staged or None,
            staged_note=None,
            staged_source=None,
            themes=tuple(row.themes),
        )
    return out


def _why(match: FundingMatch, language: str) -> str:
    """The match's reasons in a sentence or two."""
    from platsa.core.render.explain import number
    from platsa.plans.selectors import theme_label

    parts = []
    for reason in match.reasons:
        values = reason.values
        if reason.kind == ReasonKind.NAMED_BY_ACTION:
            parts.append(_("The catalogue names it for this action."))
        elif reason.kind == ReasonKind.THEME:
            parts.append(
                _("It funds {themes}.").format(
                    themes=", ".join(theme_label(t) for t in values.get("themes", ()))
                )
            )
        elif reason.kind == ReasonKind.APPLICANT:
            parts.append(_("The action's lead may apply."))
        elif reason.kind == ReasonKind.APPLICANT_MISMATCH:
            parts.append(_("Check who applies: the programme names other applicants."))
        elif reason.kind == ReasonKind.AMOUNT_FITS:
            parts.append(_("The budget is within what it usually grants."))
        elif reason.kind == ReasonKind.AMOUNT_TOO_SMALL:
            parts.append(
                _("It grants at most {max} {currency}: it can pay only a part.").format(
                    max=number(values.get("max"), language, 0), currency=values.get("currency", "")
                )
            )
        elif reason.kind == ReasonKind.AMOUNT_TOO_LARGE:
            parts.append(_("It usually funds larger projects than this."))
        elif reason.kind == ReasonKind.PAID_AFTERWARDS:
            parts.append(_("It pays afterwards: the money must be found for the meantime."))
    return " ".join(parts)


def matches_for(action: Action, plan: Plan, *, limit: int = 6) -> list[Match]:
    """The programmes of the plan's country (and the place's own) that fit ``action``,
    best first, each with why (platsa.core.analysis.funding_match)."""
    country = plan_country(plan)
    language = _language()
    named: tuple[str, ...] = ()
    themes: dict[str, int] | list[str] = list(action.themes or [])
    if action.catalogue_action_id:
        spec = _catalogue_action(action)
        if spec is not None:
            named = spec.funding
            themes = dict(spec.themes)
    budget = Budget(float(action.budget), action.currency) if action.budget else None
    pool = {**_sources(), **_local_sources(plan, country)}
    taken = {line.source_id for line in action.funding.all()}
    found = match_funding(
        pool, country=country, themes=themes, lead=action.lead or None, budget=budget, named=named
    )
    out = []
    for match in found:
        source = match.source
        if source.id in taken or f"local:{source.id.removeprefix('local_')}" in taken:  # noted
            continue
        out.append(
            Match(
                source_id=(
                    f"local:{source.id.removeprefix('local_')}"
                    if source.id.startswith("local_")
                    else source.id
                ),
                name=source.name.get(language),
                publisher=source.publisher,
                funds=source.funds.get(language),
                url=source.url,
                staged=source.staged,
                local=source.id.startswith("local_"),
                score=match.score,
                reasons=[r.as_dict() for r in match.reasons],
                why=_why(match, language),
            )
        )
        if len(out) >= limit:
            break
    return out


def _catalogue_action(action: Action) -> Any:
    from platsa.catalogue.selectors import catalogue_for_place, frameworks
    from platsa.core.schema.frameworks import default_framework

    catalogue = catalogue_for_place(action.plan.process.place, default_framework(frameworks()))
    return catalogue.get(action.catalogue_action_id)
