"""Form pieces every app uses."""

from __future__ import annotations

from typing import Any

from platsa.core.io.importer import clean_text


class PlainTextMixin:
    """Every text field as plain text (platsa.core.io.importer.clean_text): no control
    characters and no right-to-left overrides, which would turn a place's or a round's name
    around on the public page and in the board report."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = clean_text(value)
        return data
