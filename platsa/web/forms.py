"""Form pieces every app uses."""

from __future__ import annotations

from typing import Any

from django import forms

from platsa.core.io.importer import clean_text


class PlainTextMixin:
    """Every text field as plain text (platsa.core.io.importer.clean_text): no control
    characters and no right-to-left overrides, which would turn a place's or a round's name
    around on the public page and in the board report; one-line fields on one line."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        fields = getattr(self, "fields", {})
        for name, value in list(data.items()):
            if isinstance(value, str):
                value = clean_text(value)
                widget = getattr(fields.get(name), "widget", None)
                if isinstance(widget, forms.TextInput):
                    # A one-line field holds one line: a pasted line break would turn up in
                    # an e-mail or a file name ("Bcc: ..." on a line of its own).
                    value = " ".join(value.split())
                data[name] = value
        return data


class CoordinateField(forms.FloatField):
    """A latitude or a longitude typed as Swedes write it ("60,48") or as the map fills it in
    ("60.48"), whatever the page's language.

    A text field with the phone's decimal keyboard, not a number field: a browser's number
    field throws away a value with a separator its own locale does not use, so the point
    would be lost without a word."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["widget"] = forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "maxlength": 24}
        )
        kwargs.pop("localize", None)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        # (django-stubs types FloatField.to_python as IntegerField's; it returns a float)
        if isinstance(value, str):
            value = value.strip().replace("\u2212", "-")  # a typographic minus
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)
