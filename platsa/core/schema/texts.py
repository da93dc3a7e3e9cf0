"""Texts that data files carry in both Swedish and English."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"


class LocalText(BaseModel):
    """A text in Swedish and English; both are required so that no page falls back silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sv: str
    en: str

    @field_validator("sv", "en")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("text must not be empty")
        return value

    def get(self, language: str | None) -> str:
        """The text in ``language`` ("sv", "en", or a variant such as "en-gb"), Swedish otherwise."""
        code = (language or DEFAULT_LANGUAGE).split("-")[0].lower()
        return self.en if code == "en" else self.sv

    def __str__(self) -> str:
        return self.sv
