"""Swedish first, English too: every text has a Swedish translation, compiled for use."""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "platsa" / "locale"


def test_swedish_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))
    assert len(po) > 400
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    mo = polib.mofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.mo"))
    assert {e.msgid for e in mo} >= {e.msgid for e in po.translated_entries()}, (
        "run compilemessages"
    )


def test_placeholders_survive_translation():
    import re

    po = polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))
    pattern = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sd]")
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        assert set(pattern.findall(entry.msgid)) == set(pattern.findall(entry.msgstr)), entry.msgid


def test_english_catalogue_exists():
    assert (LOCALE / "en" / "LC_MESSAGES" / "django.mo").exists()
