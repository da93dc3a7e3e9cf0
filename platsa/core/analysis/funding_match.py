"""Which funding programmes fit one action of a plan, best first, and why.

The catalogue names a few funders per action by hand; this matcher adds the programmes whose
own description fits the action (its themes, who leads it, what it costs) so that a place
sees, for each action in its plan, the programmes it could apply to in its country. It reads
only the structured fields of :class:`~platsa.core.schema.catalogue.FundingSource` and
returns structured reasons (``kind`` and values, never sentences) that the web app words in
Swedish or English.

How it ranks, and why (the weights are module constants so that tests and the page agree):

* **Country is a filter.** A programme that does not exist where the place is is never shown.
* **Named by the action** comes first, always (the sort puts named programmes before the
  rest, and :data:`NAMED_WEIGHT` shows it in the score): an editor chose that funder for
  that action after reading its rules, which beats any overlap of labels.
* **Themes**: each theme the action and the programme share adds its strength in the action
  (1-3) times :data:`THEME_WEIGHT`, so a programme that fits the action's main theme ranks
  above one that fits a side theme. A programme the action does not name must share themes
  worth at least :data:`MIN_THEME_STRENGTH` (one theme of strength 2, or two side themes):
  otherwise every funder of the country would appear under every action for a side theme.
* **Applicants**: if the programme says who may apply and the action's lead is among them,
  :data:`APPLICANT_WEIGHT` is added, less than one main theme, since being allowed to apply
  says nothing about fitting (half of it when a co-led action's partner, not the
  partnership itself, is the applicant). If the lead cannot apply, the programme is left out,
  unless the action names it (the catalogue knows that, say, the municipality applies for
  LONA on an association's behalf); then it stays, lowered by :data:`MISMATCH_PENALTY` and
  flagged. A programme that does not say who may apply gets neither bonus nor penalty.
* **Amounts** (only where the data carries a sourced amount, and only in the same currency):
  a budget inside the published range adds :data:`AMOUNT_WEIGHT`; a budget above the largest
  grant is a small penalty (the programme can still pay a part); a budget below the smallest
  grant is a larger one (the programme does not take such small projects).
* **Staged payment** is a tie-breaker (:data:`STAGED_WEIGHT`): an association without money
  in the bank can only carry a project that pays in stages or gives an advance.

Within the named and the unnamed group, higher scores first; ties are broken by the source
id, so the same input always gives the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from platsa.core.schema.catalogue import (
    CURRENCY,
    Action,
    Applicant,
    Country,
    FundingSource,
    Lead,
)

__all__ = [
    "AMOUNT_WEIGHT",
    "APPLICANT_WEIGHT",
    "LEAD_APPLICANTS",
    "LIST_STRENGTH",
    "MIN_THEME_STRENGTH",
    "MISMATCH_PENALTY",
    "NAMED_WEIGHT",
    "STAGED_WEIGHT",
    "THEME_WEIGHT",
    "Budget",
    "FundingMatch",
    "MatchReason",
    "ReasonKind",
    "currency_of",
    "match_action",
    "match_funding",
]

NAMED_WEIGHT = 100.0
THEME_WEIGHT = 5.0
MIN_THEME_STRENGTH = 2
APPLICANT_WEIGHT = 8.0
MISMATCH_PENALTY = 40.0
AMOUNT_WEIGHT = 10.0
AMOUNT_TOO_SMALL_PENALTY = 5.0
AMOUNT_TOO_LARGE_PENALTY = 15.0
STAGED_WEIGHT = 2.0

# Who can apply on behalf of an action's lead: first the applicant kind that is the lead
# itself, then (for a co-led action) the partners, any of whom can apply for the joint work.
LEAD_APPLICANTS: dict[Lead, tuple[Applicant, ...]] = {
    Lead.MUNICIPALITY: (Applicant.MUNICIPALITY,),
    Lead.INDUSTRY: (Applicant.COMPANY,),
    Lead.ASSOCIATION: (Applicant.ASSOCIATION,),
    Lead.REGION: (Applicant.REGION,),
    Lead.JOINTLY: (
        Applicant.PARTNERSHIP,
        Applicant.MUNICIPALITY,
        Applicant.ASSOCIATION,
        Applicant.COMPANY,
    ),
}


class ReasonKind(StrEnum):
    """Why a programme is shown for an action (or what to know about it)."""

    NAMED_BY_ACTION = "named_by_action"  # the catalogue action names this funder
    THEME = "theme"  # values: themes (shared, strongest first)
    APPLICANT = "applicant"  # values: lead, via (the applicant kind that matched)
    APPLICANT_MISMATCH = "applicant_mismatch"  # values: lead, applicants
    AMOUNT_FITS = "amount_fits"  # values: budget, currency, min, max
    AMOUNT_TOO_SMALL = "amount_too_small"  # the largest grant is below the budget
    AMOUNT_TOO_LARGE = "amount_too_large"  # the smallest grant is above the budget
    STAGED = "staged"  # pays in stages or gives advances
    PAID_AFTERWARDS = "paid_afterwards"  # pays only when the work is done


@dataclass(frozen=True)
class MatchReason:
    """One reason, as a kind and its values; :meth:`as_dict` is the JSON shape."""

    kind: ReasonKind
    values: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """``{"kind": "theme", "themes": [...]}``: what the web app and stored data read."""
        out: dict[str, Any] = {"kind": self.kind.value}
        for key, value in self.values.items():
            out[key] = list(value) if isinstance(value, tuple) else value
        return out


@dataclass(frozen=True)
class Budget:
    """What the action is expected to cost, in the money of ``currency``."""

    amount: float
    currency: str

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("a budget cannot be negative")
        if self.currency not in CURRENCY.values():
            raise ValueError(f"unknown currency {self.currency!r}")


@dataclass(frozen=True)
class FundingMatch:
    """A programme that fits the action, its score and the reasons for it."""

    source: FundingSource
    score: float
    reasons: tuple[MatchReason, ...]

    @property
    def named(self) -> bool:
        """The catalogue action names this programme itself."""
        return ReasonKind.NAMED_BY_ACTION in self.kinds

    @property
    def kinds(self) -> tuple[ReasonKind, ...]:
        return tuple(r.kind for r in self.reasons)

    def reason(self, kind: ReasonKind) -> MatchReason | None:
        """The reason of ``kind``, if this match has one."""
        return next((r for r in self.reasons if r.kind == kind), None)


LIST_STRENGTH = 2


def _strengths(themes: Mapping[str, int] | Iterable[str]) -> dict[str, int]:
    """Themes as theme -> strength. A plain list (a place's own action, whose themes carry no
    strength) counts each theme at :data:`LIST_STRENGTH`, the middle of the 1-3 scale: each
    was chosen as a theme the action addresses, so one shared theme is enough to match."""
    if isinstance(themes, Mapping):
        return {str(t): int(s) for t, s in themes.items()}
    return dict.fromkeys((str(t) for t in themes), LIST_STRENGTH)


def _lead(lead: Lead | str | None) -> Lead | None:
    if lead is None or isinstance(lead, Lead):
        return lead
    try:
        return Lead(lead)
    except ValueError:
        raise ValueError(
            f"unknown lead {lead!r}; expected one of {', '.join(v.value for v in Lead)}"
        ) from None


def _country(country: Country | str) -> Country:
    value = country.value if isinstance(country, Country) else str(country).upper()
    try:
        return Country(value)
    except ValueError:
        raise ValueError(f"unknown country {country!r}") from None


def _applicant(source: FundingSource, lead: Lead | None) -> tuple[float, MatchReason | None]:
    """Score and reason for whether ``lead`` can apply; a ``None`` score excludes."""
    if lead is None or not source.applicants:
        return 0.0, None
    options = LEAD_APPLICANTS[lead]
    for position, kind in enumerate(options):
        if kind in source.applicants:
            weight = APPLICANT_WEIGHT if position == 0 else APPLICANT_WEIGHT / 2
            return weight, MatchReason(
                ReasonKind.APPLICANT, {"lead": lead.value, "via": kind.value}
            )
    return -MISMATCH_PENALTY, MatchReason(
        ReasonKind.APPLICANT_MISMATCH,
        {"lead": lead.value, "applicants": tuple(a.value for a in source.applicants)},
    )


def _amount(source: FundingSource, budget: Budget | None) -> tuple[float, MatchReason | None]:
    amounts = source.amounts
    if budget is None or amounts is None or amounts.currency != budget.currency:
        return 0.0, None
    values = {
        "budget": budget.amount,
        "currency": amounts.currency,
        "min": amounts.min,
        "max": amounts.max,
    }
    if amounts.min is not None and budget.amount < amounts.min:
        return -AMOUNT_TOO_LARGE_PENALTY, MatchReason(ReasonKind.AMOUNT_TOO_LARGE, values)
    if amounts.max is not None and budget.amount > amounts.max:
        return -AMOUNT_TOO_SMALL_PENALTY, MatchReason(ReasonKind.AMOUNT_TOO_SMALL, values)
    return AMOUNT_WEIGHT, MatchReason(ReasonKind.AMOUNT_FITS, values)


def _staged(source: FundingSource) -> tuple[float, MatchReason | None]:
    if source.staged is True:
        return STAGED_WEIGHT, MatchReason(ReasonKind.STAGED)
    if source.staged is False:
        return 0.0, MatchReason(ReasonKind.PAID_AFTERWARDS)
    return 0.0, None


def match_funding(
    sources: Mapping[str, FundingSource] | Iterable[FundingSource],
    *,
    country: Country | str,
    themes: Mapping[str, int] | Iterable[str],
    lead: Lead | str | None = None,
    budget: Budget | None = None,
    named: Iterable[str] = (),
    limit: int | None = None,
) -> tuple[FundingMatch, ...]:
    """The programmes of ``country`` that fit an action, best first.

    ``themes`` is the action's themes (theme -> strength 1-3, or a list of equal themes,
    each counted at :data:`LIST_STRENGTH`);
    ``lead`` the kind of actor that leads it (:class:`Lead`: municipality, industry,
    association, region, jointly); ``budget`` what it costs; ``named`` the funding ids the
    catalogue action itself names. See the module docstring for how the score is built.
    """
    where = _country(country)
    who = _lead(lead)
    strengths = _strengths(themes)
    chosen = set(named)
    pool = sources.values() if isinstance(sources, Mapping) else sources
    matches: list[FundingMatch] = []
    for source in pool:
        if where not in source.countries:
            continue
        score = 0.0
        reasons: list[MatchReason] = []
        is_named = source.id in chosen
        if is_named:
            score += NAMED_WEIGHT
            reasons.append(MatchReason(ReasonKind.NAMED_BY_ACTION))
        shared = sorted(
            (t for t in source.themes if t in strengths), key=lambda t: (-strengths[t], t)
        )
        if shared:
            score += THEME_WEIGHT * sum(strengths[t] for t in shared)
            reasons.append(MatchReason(ReasonKind.THEME, {"themes": tuple(shared)}))
        if not is_named and sum(strengths[t] for t in shared) < MIN_THEME_STRENGTH:
            continue
        applicant_score, applicant_reason = _applicant(source, who)
        if applicant_reason is not None:
            if applicant_reason.kind is ReasonKind.APPLICANT_MISMATCH and not is_named:
                continue
            score += applicant_score
            reasons.append(applicant_reason)
        for part_score, part_reason in (_amount(source, budget), _staged(source)):
            if part_reason is not None:
                score += part_score
                reasons.append(part_reason)
        matches.append(FundingMatch(source, score, tuple(reasons)))
    matches.sort(key=lambda m: (not m.named, -m.score, m.source.id))
    return tuple(matches if limit is None else matches[:limit])


def match_action(
    action: Action,
    sources: Mapping[str, FundingSource] | Iterable[FundingSource],
    *,
    country: Country | str,
    lead: Lead | str | None = None,
    budget: Budget | None = None,
    limit: int | None = None,
) -> tuple[FundingMatch, ...]:
    """:func:`match_funding` for a catalogue action: its themes, its named funders, and the
    lead the plan chose (the action's first lead actor when the plan does not say)."""
    return match_funding(
        sources,
        country=country,
        themes=action.themes,
        lead=lead if lead is not None else action.lead_actors[0],
        budget=budget,
        named=action.funding,
        limit=limit,
    )


def currency_of(country: Country | str) -> str:
    """The money a place in ``country`` budgets in (for building a :class:`Budget`)."""
    return CURRENCY[_country(country)]
