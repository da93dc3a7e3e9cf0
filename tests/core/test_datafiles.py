"""YAML data files: parsed once, kept as JSON, never read stale."""

from __future__ import annotations

import datetime

from platsa.core.schema import datafiles


def _fresh(path, monkeypatch, directory):
    monkeypatch.setenv("PLATSA_CACHE_DIR", str(directory))
    datafiles._cache.clear()
    return datafiles.load_yaml(path)


def test_a_parsed_file_is_kept_and_read_back(tmp_path, monkeypatch):
    source = tmp_path / "a.yaml"
    source.write_text("id: shop\nthemes: {services: 3}\ntitle: {sv: Byabutik}\n", "utf-8")
    cache = tmp_path / "cache"
    first = _fresh(source, monkeypatch, cache)
    (entry,) = cache.glob("*.json")
    entry.write_text('{"id": "from the cache"}', encoding="utf-8")
    assert _fresh(source, monkeypatch, cache) == {"id": "from the cache"}  # it is used
    assert first == {"id": "shop", "themes": {"services": 3}, "title": {"sv": "Byabutik"}}


def test_an_edited_file_is_parsed_again(tmp_path, monkeypatch):
    source = tmp_path / "a.yaml"
    cache = tmp_path / "cache"
    source.write_text("n: 1\n", "utf-8")
    assert _fresh(source, monkeypatch, cache) == {"n": 1}
    source.write_text("n: 2\n", "utf-8")
    assert _fresh(source, monkeypatch, cache) == {"n": 2}
    assert len(list(cache.glob("*.json"))) == 2


def test_what_json_would_change_is_not_kept(tmp_path, monkeypatch):
    source = tmp_path / "a.yaml"
    cache = tmp_path / "cache"
    source.write_text("checked: 2026-01-31\nbands: {1: low}\n", "utf-8")
    data = _fresh(source, monkeypatch, cache)
    assert data == {"checked": datetime.date(2026, 1, 31), "bands": {1: "low"}}
    assert not cache.exists() or not list(cache.glob("*.json"))
    assert _fresh(source, monkeypatch, cache) == data


def test_a_broken_or_unwritable_cache_is_ignored(tmp_path, monkeypatch):
    source = tmp_path / "a.yaml"
    source.write_text("n: 1\n", "utf-8")
    cache = tmp_path / "cache"
    _fresh(source, monkeypatch, cache)
    (entry,) = cache.glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert _fresh(source, monkeypatch, cache) == {"n": 1}
    blocked = tmp_path / "file"
    blocked.write_text("", "utf-8")  # a file where the directory should be
    assert _fresh(source, monkeypatch, blocked) == {"n": 1}
    assert _fresh(source, monkeypatch, "") == {"n": 1}  # switched off
