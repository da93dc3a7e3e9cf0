"""Participants' text before it is stored: no control characters, no direction overrides or
zero-width characters (an empty-looking title, a reversed name), normalised; lines of a
body kept, runs of blank lines shortened. Markdown is rendered, and sanitised, only by
``platsa.core.render.markdown_safe``; everything else is escaped where it is shown."""

from __future__ import annotations

import re

from platsa.core.io.importer import clean_text as _clean_plain

_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
_BLANK_RUNS = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """A body of several lines: cleaned, line ends as ``\\n``, at most one blank line."""
    plain = _clean_plain(_INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    return _BLANK_RUNS.sub("\n\n", plain).strip()


def clean_line(text: str) -> str:
    """One line (a title, a name, a reason): cleaned and its spaces collapsed."""
    return " ".join(clean_text(text).split())
