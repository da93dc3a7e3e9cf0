"""Template helpers: framework texts in the page's language, vocabulary labels, numbers,
reasons as sentences, and server-drawn SVG."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from platsa.core.analysis.recommend import Reason
from platsa.core.render.explain import describe_reason, number
from platsa.core.render.messages import label as vocab_label
from platsa.core.schema.texts import LocalText

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
    """Mark chart SVG as safe: it is built by platsa.core.render.charts from escaped parts only."""
    return mark_safe(markup)


@register.filter
def get(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None


# Icons: a few files from lucide-static (ISC), vendored in static/platsa/vendor/lucide/.
# Each is read once and inlined (a few hundred bytes), so an icon costs no request and
# takes the text colour (stroke="currentColor").
ICON_DIR = (
    Path(__file__).resolve().parents[2] / "static" / "platsa" / "vendor" / "lucide" / "1.62.0"
)
_ICON_SHAPES: dict[str, str] = {}


def _icon_shape(name: str) -> str:
    if name not in _ICON_SHAPES:
        source = (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")
        inner = source[source.index(">", source.index("<svg")) + 1 : source.rindex("</svg>")]
        _ICON_SHAPES[name] = re.sub(r"\s*\n\s*", "", inner).replace(" />", "/>")
    return _ICON_SHAPES[name]


@register.simple_tag
def icon(name: str, label: str = "", size: str = "") -> SafeString:
    """``{% icon "download" %}``: a decorative inline icon, hidden from screen readers (the
    text next to it says what it means). ``label="…"`` makes it a meaningful image with that
    name, for an icon that stands alone. ``size="lg"`` draws it larger than the text."""
    classes = "icon" + (f" icon-{size}" if size else "")
    a11y = format_html(' role="img" aria-label="{}"', label) if label else ' aria-hidden="true"'
    return mark_safe(
        f'<svg class="{classes}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" '
        f'width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" '
        f'stroke-linecap="round" stroke-linejoin="round" focusable="false"{a11y}>'
        f"{_icon_shape(name)}</svg>"
    )


@register.filter
def ds_widget(bound_field: Any, extra: str = "") -> SafeString:
    """A form field's own widget with Designsystemet's input class (``{{ form.x|ds_widget }}``),
    so that widgets rendered by Django look like the ones written out in templates. Django
    adds ``aria-invalid`` and the help text's ``aria-describedby`` itself.

    ``|ds_widget:"-placeholder"`` drops the widget's placeholder (a label is always shown, and
    a placeholder that repeats it is only noise)."""
    existing = bound_field.field.widget.attrs.get("class", "")
    attrs: dict[str, Any] = {"class": f"{existing} ds-input".strip()}
    if extra == "-placeholder":
        attrs["placeholder"] = False
    return bound_field.as_widget(attrs=attrs)


@register.filter
def ds_choice(bound_widget: Any) -> SafeString:
    """One radio button or checkbox of a choice field (``{% for r in form.kind %}{{ r|ds_choice }}``)
    with Designsystemet's input class, without its label (the template writes the label)."""
    attrs = {**bound_widget.data["attrs"]}
    attrs["class"] = f"{attrs.get('class', '')} ds-input".strip()
    context = {"widget": {**bound_widget.data, "attrs": attrs, "wrap_label": False}}
    return bound_widget.parent_widget._render(
        bound_widget.template_name, context, bound_widget.renderer
    )


@register.simple_tag
def icon_names() -> list[str]:
    """The names of the vendored icons (for the design system page)."""
    return sorted(p.stem for p in ICON_DIR.glob("*.svg"))
