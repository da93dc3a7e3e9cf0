"""Reading the repo's YAML data files quickly and the same way everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's C parser is ~10x faster; the quick start must not depend on it
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only without libyaml
    _Loader = yaml.SafeLoader

_cache: dict[tuple[str, int, int], Any] = {}


def load_yaml(path: Path) -> Any:
    """Parse a YAML file (safe subset), cached until the file changes."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _cache:
        with path.open(encoding="utf-8") as handle:
            _cache[key] = yaml.load(handle, Loader=_Loader)  # noqa: S506 - a safe loader
    return _cache[key]
