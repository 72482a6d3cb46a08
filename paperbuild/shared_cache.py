"""What paperbuild makes from its own inputs alone (a journal's reference DOCX, its compiled
templates, its YAML files as read, the table of look-alike letters), kept per user, outside
build/, so an empty build/ does not make it again.

Everything here is named by a digest of what it is made from, and written whole under a
temporary name: a project, a journal or a version of paperbuild never reads another's. Nothing
made from the manuscript is kept here; that stays in build/.cache.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from paperbuild import atomic

# Where, in the order looked at: $PAPERBUILD_CACHE, then the XDG cache folder (~/.cache).
VARIABLE = "PAPERBUILD_CACHE"


def path(name: str) -> Path | None:
    """Where `name` is kept, or None where there is no writable shared cache: then the caller
    keeps it in build/.cache or makes it each time. A cache costs speed, never the build (see
    also `keep`)."""
    shared = _shared()
    return shared / name if shared is not None else None


@functools.cache
def version_of(distribution: str) -> str:
    """An installed package's version, for the names of what is made with it."""
    from importlib import metadata

    return metadata.version(distribution)


def remembered(name: str, make: Callable[[], Any]) -> Any:
    """`make()`, a JSON value, made once and read back from `name` after. What would not read
    back the same (dates, NaN, keys that are not strings) is made each time."""
    kept = path(name)
    if kept is not None and kept.is_file():
        try:
            return orjson.loads(kept.read_bytes())
        except orjson.JSONDecodeError:
            pass  # damaged: made again below
    value = make()
    if kept is not None:
        try:
            encoded = orjson.dumps(value)
        except TypeError:
            return value
        if orjson.loads(encoded) == value:
            keep(kept, encoded)
    return value


def keep(target: Path, data: bytes) -> bool:
    """Write `data` as `target` if the cache can take it: a full disk or a folder another user
    made costs speed, never the build."""
    try:
        atomic.write_bytes(target, data)
    except OSError:
        return False
    return True


@functools.cache
def _shared() -> Path | None:
    chosen = os.environ.get(VARIABLE)
    try:
        if chosen:
            place = Path(chosen)
        else:
            home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
            place = Path(home) / "paperbuild"
        place.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    return place if os.access(place, os.W_OK) else None
