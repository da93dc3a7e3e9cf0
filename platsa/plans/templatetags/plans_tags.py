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
