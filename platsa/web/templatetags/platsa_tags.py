"""Template helpers: framework texts in the page's language, vocabulary labels, numbers,
reasons as sentences, and server-drawn SVG."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from platsa.core.explain import describe_reason, number
from platsa.core.messages import label as vocab_label
from platsa.core.recommend import Reason
from platsa.core.texts import LocalText

register = template.Library()


def lang() -> str:
    return (get_language() or "sv")[:2]


@register.filter
def t(text: LocalText | None) -> str:
    """A data file's two-language text in the page's language."""
    return text.get(lang()) if text is not None else ""


@register.filter
def vocab(value: Any, kind: str) -> str:
    """``{{ action.horizon|vocab:"horizon" }}`` -> "Inom ett år"."""
    raw = getattr(value, "value", value)
    return vocab_label(f"{kind}:{raw}", gettext)


@register.filter
def num(value: float | int | None, decimals: int = 1) -> str:
    return number(value, lang(), int(decimals))


@register.filter
def pct(value: float | None, decimals: int = 0) -> str:
    return "–" if value is None else number(100 * value, lang(), int(decimals)) + "\u00a0%"


@register.simple_tag
def reason_text(reason: Reason, framework: Any, group_labels: dict[str, str] | None = None) -> str:
    return describe_reason(reason, framework, language=lang(), _=gettext, group_labels=group_labels)


@register.filter
def svg(markup: str) -> SafeString:
    """Mark chart SVG as safe: it is built by platsa.core.charts from escaped parts only."""
    return mark_safe(markup)


@register.filter
def get(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None
