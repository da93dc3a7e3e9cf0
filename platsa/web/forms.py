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
