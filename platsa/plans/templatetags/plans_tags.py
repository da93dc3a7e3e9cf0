"""Template filters of the plan's pages."""

from __future__ import annotations

from django import template

from platsa.plans.selectors import theme_label

register = template.Library()


@register.filter
def theme_title(theme_id: str) -> str:
    """``{{ "housing"|theme_title }}`` -> "Boende" (the visitor's language)."""
    return theme_label(str(theme_id))
