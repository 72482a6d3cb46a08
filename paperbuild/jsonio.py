"""JSON in and out of the build, through orjson.

A book's AST is ten megabytes of JSON that passes between the steps and pandoc several times
per build; orjson writes it about ten times faster than the standard library (bench/).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import orjson

from paperbuild import atomic

DecodeError = orjson.JSONDecodeError  # a ValueError, as json's is
# JSON already written, to be embedded as it is in what `dumps` writes.
Fragment = orjson.Fragment


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


def dumps(value: Any) -> bytes:
    """Compact UTF-8, keys in the order they were made."""
    return orjson.dumps(value)


def dumps_indented(value: Any) -> bytes:
    """UTF-8, two spaces an indent: for files people read too."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2)


def prune(folder: Path, kept: Collection[str], pattern: str = "*.json") -> None:
    """Delete the files of `pattern` in `folder` not named in `kept`: the entries of a cache
    kept by content that this build did not use (each edit would otherwise leave one more)."""
    for path in folder.glob(pattern):
        if path.name not in kept:
            path.unlink(missing_ok=True)


def read(path: Path) -> Any:
    return orjson.loads(path.read_bytes())


def write(path: Path, value: Any) -> None:
    """Write `path` atomically (see `atomic`)."""
    atomic.write_bytes(path, orjson.dumps(value))
