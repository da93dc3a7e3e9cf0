"""Template filters of the plan's pages."""

from __future__ import annotations

from django import template

from platsa.plans.selectors import theme_label

register = template.Library()


@register.filter
def figure(value: float | int | None) -> str:
    """A figure as people read it: whole numbers without decimals ("52 178"), others with
    one ("2,8"), in the visitor's language; "–" for none."""
    from django.utils.translation import get_language

    from platsa.core.render.explain import number

    if value is None:
        return "–"
    language = (get_language() or "sv")[:2]
    whole = float(value).is_integer()
    return number(value, language, 0 if whole else 1)


@register.filter
def theme_title(theme_id: str) -> str:
    """``{{ "housing"|theme_title }}`` -> "Boende" (the visitor's language)."""
    return theme_label(str(theme_id))


_STATUS_COLOURS = {
    "done": "success",
    "under_way": "info",
    "paused": "warning",
    "stopped": "danger",
}


@register.simple_tag
def status_tag(action: object) -> str:
    """An action's status as a tag (the plans/_status.html markup, without an include per
    row: a plan of 200 actions renders it 400 times)."""
    from django.utils.html import format_html

    status = getattr(action, "status", "")
    return format_html(
        '<span class="ds-tag status-tag" data-color="{}">{}</span>',
        _STATUS_COLOURS.get(status, "neutral"),
        action.get_status_display(),  # type: ignore[attr-defined]
    )


@register.simple_tag
def progress_bar(value: float | int | str | None, label: str = "") -> str:
    """A progress figure as a bar with its number, or "No progress reported yet" (never an
    empty 0 % bar for an action that said nothing)."""
    from django.utils.html import format_html
    from django.utils.translation import gettext

    if value is None or value == "":  # "": nothing to roll up (a missing row in the template)
        return format_html(
            '<span class="small muted">{}</span>', gettext("No progress reported yet")
        )
    shown = round(float(value))
    name = gettext("Progress") + (f": {label}" if label else "")
    return format_html(
        '<span class="progress-pair"><progress class="goal-bar" max="100" value="{}" '
        'aria-label="{}">{}&nbsp;%</progress> <span class="small nowrap">{}&nbsp;%</span></span>',
        shown,
        name,
        shown,
        shown,
    )
