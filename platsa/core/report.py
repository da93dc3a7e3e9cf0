"""Results and recommendations as one plain dictionary (the JSON of the command line and
the API) and as text for a terminal."""

from __future__ import annotations

from typing import Any

from platsa.core.context import PlaceContext
from platsa.core.explain import describe_reason, number
from platsa.core.frameworks import Framework
from platsa.core.messages import Translate, identity, label
from platsa.core.recommend import RecommendationSet
from platsa.core.scoring import Results, ThemeScore


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


def build_report(
    framework: Framework,
    results: Results,
    recs: RecommendationSet,
    context: PlaceContext | None = None,
    *,
    language: str = "sv",
    _: Translate = identity,
    limit: int | None = None,
) -> dict[str, Any]:
    """Everything a reader needs, as JSON-ready data; every ``why`` carries both the
    structured reason and its sentence."""
    group_labels = {g.group.key: g.group.label for g in results.groups}
    recommendations = []
    for rec in recs.recommendations[:limit]:
        action = rec.action
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
                "horizon": action.horizon.value,
                "lead_actors": [a.value for a in action.lead_actors],
                "funding": [f.value for f in action.funding],
                "why": [
                    {
                        **reason.as_dict(),
                        "text": describe_reason(
                            reason, framework, language=language, _=_, group_labels=group_labels
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
                    for e in action.examples
                ],
            }
        )
    return {
        "framework": framework.id,
        "framework_version": framework.version,
        "scale": {"min": framework.scale.min, "max": framework.scale.max},
        "respondents": results.respondents,
        "themes": [_theme_dict(t, framework, language) for t in results.themes],
        "groups": {
            g.group.label: {
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
                "high_group": group_labels.get(gap.high_group, gap.high_group),
                "high_score": _r(gap.high_score),
                "low_group": group_labels.get(gap.low_group, gap.low_group),
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
            "size_class": context.size_class.value if context.size_class else None,
            "remoteness": context.remoteness.value if context.remoteness else None,
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
                    {**r.as_dict(), "text": describe_reason(r, framework, language=language, _=_)}
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
    for rec in report["recommendations"][:top]:
        lines.append(
            f"{rec['rank']:>3}. {rec['title']}  ({label('horizon:' + rec['horizon'], _)}; "
            f"{label('effort:' + rec['effort'], _)}; {label('cost_band:' + rec['cost_band'], _)})"
        )
        for why in rec["why"]:
            lines.append(f"       - {why['text']}")
    return "\n".join(lines) + "\n"
