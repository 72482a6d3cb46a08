"""A document handed from one step to the next when doit runs them in one process.

`doit html` runs the check, citeproc and the HTML writer one after the other in doit's own
process; each writes its document to `build/` and the next reads it back, a book's ten megabytes
parsed again each time. A step that has just written a file leaves the object here, and the
next step takes it instead, once, and only while the file is the one that was written (same
inode, size and time). Any other reader, or another process, reads the file. One object is held
at a time: when doit runs the next step in another worker, this one's memory is not kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from paperbuild import jsonio

_held: dict[Path, tuple[tuple[int, int, int], Any, Any]] = {}


def write(path: Path, value: Any, extra: Any = None) -> None:
    """Write `value` to `path` (jsonio.write) and hold it for the next step, with `extra`: what
    the writer knows of it that the file does not say (where its citations are). The writer
    must not change either afterwards: the next step gets these very objects."""
    jsonio.write(path, value)
    # Whatever was held before went unclaimed (its reader ran in another process): let it go.
    _held.clear()
    _held[path] = (_identity(path), value, extra)


def take(path: Path) -> tuple[Any, Any] | None:
    """The object just written to `path` in this process and its `extra`, if the file is still
    the one written; once."""
    held = _held.pop(path, None)
    _held.clear()  # a step takes its input first: anything else held is unclaimed
    if held is not None and held[0] == _identity(path):
        return held[1], held[2]
    return None


def _identity(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_ino, info.st_size, info.st_mtime_ns
