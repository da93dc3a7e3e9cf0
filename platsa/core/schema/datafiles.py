"""Reading the repo's YAML data files quickly and the same way everywhere.

Parsing YAML is slow even with libyaml (the catalogue takes a tenth of a second, each time
``platsa assess`` starts), so what a file parses to is also kept as JSON, which reads in a
few milliseconds, in a cache directory: ``$PLATSA_CACHE_DIR`` (empty: no cache), else
``$XDG_CACHE_HOME/platsa`` or ``~/.cache/platsa``. An entry is named by the SHA-256 of the
file's bytes, so an edited file is never read stale; an entry that cannot be read or
written is ignored, and only data that JSON gives back unchanged is kept (no dates, no
number keys).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's C parser is ~10x faster; the quick start must not depend on it
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only without libyaml
    _Loader = yaml.SafeLoader

_cache: dict[tuple[str, int, int], Any] = {}
_FORMAT = f"yaml-{yaml.__version__}-1"  # a new PyYAML may parse differently


def load_yaml(path: Path) -> Any:
    """Parse a YAML file (safe subset), cached until the file changes."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _cache:
        _cache[key] = _parse(path.read_bytes())
    return _cache[key]


def cache_dir() -> Path | None:
    """Where parsed files are kept, or None when that is switched off."""
    configured = os.environ.get("PLATSA_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "platsa"


def _parse(raw: bytes) -> Any:
    directory = cache_dir()
    digest = hashlib.sha256(_FORMAT.encode() + b"\0" + raw).hexdigest()
    entry = directory / f"{digest}.json" if directory else None
    if entry is not None:
        with contextlib.suppress(OSError, ValueError):
            return json.loads(entry.read_bytes())
    data = yaml.load(raw.decode("utf-8"), Loader=_Loader)  # noqa: S506 - a safe loader
    if entry is not None:
        _keep(entry, data)
    return data


def _keep(entry: Path, data: Any) -> None:
    """Write ``data`` as the cache entry, atomically, if JSON keeps it as it is."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # a date, a set, NaN: left to YAML every time
        return
    if json.loads(text) != data:  # number keys would come back as text
        return
    with contextlib.suppress(OSError):
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, entry)
