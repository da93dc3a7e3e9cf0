"""Results and recommendations as one plain dictionary (the JSON of the command line and
the API) and as text for a terminal."""

from __future__ import annotations

from typing import Any

from platsa.core.analysis.context import PlaceContext
from platsa.core.analysis.recommend import Recommendation, RecommendationSet
from platsa.core.analysis.scoring import Results, ThemeScore
from platsa.core.render.explain import (
    cost_label,
    currency_for,
    describe_notice,
    describe_reason,
    group_name,
    number,
    summarise,
)
from platsa.core.render.messages import Translate, identity, label
from platsa.core.schema.catalogue import COST_BAND_LIMITS, Catalogue, FundingSource
from platsa.core.schema.frameworks import Framework


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _theme_dict(t: ThemeScore, framework: Framework, language: str) -> dict[str, Any]:
    return {
        "id": t.theme_id,
        "title": framework.theme(t.theme_id).title.get(language),
        "score": _r(t.score),
        "n": t.n,
        "low": _r(t.low),
        "high": _r(t.high),
        "dont_know": t.dont_know,
        "dont_know_share": _r(t.dont_know_share),
        "priority_share": _r(t.priority_share),
    }


def _country(context: PlaceContext | None) -> str | None:
    country = context.country if context is not None else None
    return getattr(country, "value", country)


def _funding(
    rec: Recommendation, catalogue: Catalogue | None, country: str | None, language: str
) -> list[dict[str, str]]:
    """The action's funding sources that exist in the place's country, with their links;
    without the catalogue (older callers) only the ids are known."""
    if catalogue is None:
        return [{"id": key, "name": key, "url": ""} for key in rec.action.funding]
    sources: list[FundingSource] = catalogue.funding_for(rec.action, country)
    return [{"id": f.id, "name": f.name.get(language), "url": f.url} for f in sources]


def _cost(band: str, currency: str, language: str, _: Translate) -> dict[str, Any]:
    lower, upper = COST_BAND_LIMITS[currency][band]
    return {
        "band": band,
        "currency": currency,
        "min": lower,
        "max": upper,
        "text": cost_label(band, currency, language, _),
    }


def build_report(
    framework: Framework,
    results: Results,
    recs: RecommendationSet,
    context: PlaceContext | None = None,
    *,
    language: str = "sv",
    _: Translate = identity,
    limit: int | None = None,
    catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    """Everything a reader needs, as JSON-ready data; every ``why`` carries both the
    structured reason and its sentence, and ``notices`` the guardrails the reader must know
    first. ``catalogue`` (the one the recommendations came from) gives each action's funding
    sources with names and links, filtered to the place's country."""
    labels = {g.group.key: group_name(g.group.label, framework, language) for g in results.groups}
    country = _country(context)
    currency = currency_for(country)
    recommendations = []
    for rec in recs.recommendations[:limit]:
        action = rec.action
        examples = getattr(rec, "examples", None) or action.examples
        recommendations.append(
            {
                "rank": rec.rank,
                "action": action.id,
                "title": action.title.get(language),
                "summary": action.summary.get(language),
                "themes": sorted(action.themes, key=lambda t: (-action.themes[t], t)),
                "strengths": dict(action.themes),
                "score": round(rec.score, 4),
                "standalone_score": round(rec.standalone_score, 4),
                "in_portfolio": rec.in_portfolio,
                "effort": action.effort.value,
                "cost_band": action.cost_band.value,
                "cost": _cost(action.cost_band.value, currency, language, _),
                "horizon": action.horizon.value,
                "lead_actors": [a.value for a in action.lead_actors],
                "funding": _funding(rec, catalogue, country, language),
                "why": [
                    {
                        **reason.as_dict(),
                        "text": describe_reason(
                            reason, framework, language=language, _=_, group_labels=labels
                        ),
                    }
                    for reason in rec.reasons
                ],
                "examples": [
                    {
                        "place": e.place,
                        "country": e.country,
                        "year": e.year,
                        "text": e.text.get(language),
                        "source": e.source.model_dump(exclude_none=True),
                    }
                    for e in examples
                ],
            }
        )
    summary = summarise(
        results, recs, framework, language=language, _=_, group_labels=labels, currency=currency
    )
    return {
        "framework": framework.id,
        "framework_version": framework.version,
        "scale": {"min": framework.scale.min, "max": framework.scale.max},
        "respondents": results.respondents,
        "notices": [
            {
                "code": n.code,
                "text": describe_notice(n, framework, language, _, labels),
                "values": {
                    k: ([labels.get(g, g) for g in v] if k == "groups" else v)
                    for k, v in n.values.items()
                },
            }
            for n in recs.notices
        ],
        "summary": summary.as_dict(),
        "currency": currency,
        "themes": [_theme_dict(t, framework, language) for t in results.themes],
        "groups": {
            labels[g.group.key]: {
                "key": g.group.key,
                "side": g.group.side,
                "respondents": g.respondents,
                "themes": [_theme_dict(t, framework, language) for t in g.themes],
            }
            for g in results.groups
        },
        "gaps": [
            {
                "theme": gap.theme_id,
                "high_group": labels.get(gap.high_group, gap.high_group),
                "high_score": _r(gap.high_score),
                "low_group": labels.get(gap.low_group, gap.low_group),
                "low_score": _r(gap.low_score),
                "difference": _r(gap.difference),
                "cross_side": gap.cross_side,
            }
            for gap in results.gaps
        ],
        "context": None
        if context is None
        else {
            "name": context.name,
            "country": country,
            "size_class": context.size_class.value if context.size_class else None,
            "remoteness": context.remoteness.value if context.remoteness else None,
            "trend": context.trend.value if context.trend else None,
            "tags": sorted(t.value for t in context.tags()),
            "facts": [
                {
                    "key": f.key,
                    "value": f.value,
                    "period": f.period,
                    "source": f.source,
                    "area": f.area,
                }
                for f in context.facts
            ],
        },
        "recommendations": recommendations,
        "excluded": [
            {
                "action": e.action.id,
                "why": [
                    {
                        **r.as_dict(),
                        "text": describe_reason(
                            r, framework, language=language, _=_, group_labels=labels
                        ),
                    }
                    for r in e.reasons
                ],
            }
            for e in recs.excluded
        ],
    }


def format_text(
    report: dict[str, Any], *, language: str = "sv", _: Translate = identity, top: int = 10
) -> str:
    """A terminal-friendly rendering of :func:`build_report`'s dictionary."""
    lines: list[str] = []
    scale = report["scale"]
    lines.append(
        _("{framework}: {n} respondents, scale {min}–{max}").format(
            framework=report["framework"],
            n=report["respondents"],
            min=scale["min"],
            max=scale["max"],
        )
    )
    for notice in report.get("notices", []):
        lines.append(f"! {notice['text']}")
    summary = report.get("summary") or {}
    if summary.get("weakest_themes") or summary.get("actions"):
        lines.append("")
        lines.append(_("Summary"))
        if summary.get("weakest_themes"):
            lines.append("  " + _("The three weakest themes"))
            lines += [f"    - {item['text']}" for item in summary["weakest_themes"]]
        if summary.get("disagreement"):
            lines.append("  " + _("The biggest disagreement"))
            lines.append(f"    - {summary['disagreement']['text']}")
        if summary.get("actions"):
            lines.append("  " + _("Recommended actions"))
            lines += [f"    {i}. {a['text']}" for i, a in enumerate(summary["actions"], 1)]
    lines.append("")
    lines.append(_("Themes"))
    width = max(len(t["title"]) for t in report["themes"])
    for t in sorted(report["themes"], key=lambda t: (t["score"] is None, t["score"] or 0)):
        interval = (
            f"[{number(t['low'], language)}–{number(t['high'], language)}]"
            if t["score"] is not None
            else ""
        )
        lines.append(
            f"  {t['title']:<{width}}  {number(t['score'], language):>4} {interval:<11} "
            f"n={t['n']:<6} {_('don’t know')} {number(100 * t['dont_know_share'], language, 0)} %"
        )
    if report["gaps"]:
        lines.append("")
        lines.append(_("Largest disagreements between groups"))
        for gap in report["gaps"][:5]:
            title = next(t["title"] for t in report["themes"] if t["id"] == gap["theme"])
            lines.append(
                f"  {title}: {gap['high_group']} {number(gap['high_score'], language)}, "
                f"{gap['low_group']} {number(gap['low_score'], language)}"
            )
    lines.append("")
    lines.append(_("Recommended actions"))
    said: set[str] = set()
    for rec in report["recommendations"][:top]:
        lines.append(
            f"{rec['rank']:>3}. {rec['title']}  ({label('horizon:' + rec['horizon'], _)}; "
            f"{label('effort:' + rec['effort'], _)}; "
            f"{rec.get('cost', {}).get('text') or label('cost_band:' + rec['cost_band'], _)})"
        )
        # Each sentence once, on the first action that gives it (as on the results page).
        for why in rec["why"]:
            if why["text"] and why["text"] not in said:
                said.add(why["text"])
                lines.append(f"       - {why['text']}")
    return "\n".join(lines) + "\n"
