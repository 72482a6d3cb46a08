"""Where the tools the build runs are, and what tells their versions apart, found without
starting or importing them: the up-to-date checks of every `doit` ask."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path


@functools.cache
def pandoc_path() -> str:
    # Locating the bundled binary without importing pypandoc keeps start-up cheap.
    spec = importlib.util.find_spec("pypandoc")
    if spec and spec.origin:
        bundled = Path(spec.origin).parent / "files" / "pandoc"
        if bundled.exists():
            return str(bundled)
    import pypandoc

    return pypandoc.get_pandoc_path()


@functools.cache
def identity() -> str:
    """pandoc's binary and the typst package: where each is, its size and time. An upgrade puts
    new files in the same places, so what was made with the old ones is made again."""
    stamps = []
    for path in (pandoc_path(), _typst_path()):
        try:
            found = Path(path).stat()
        except OSError:
            stamps.append(f"{path}:?")
            continue
        stamps.append(f"{path}:{found.st_size}:{found.st_mtime_ns}")
    return "\0".join(stamps)


def _typst_path() -> str:
    spec = importlib.util.find_spec("typst")
    # Its compiled module, which a new version replaces.
    locations = list(spec.submodule_search_locations or []) if spec else []
    folder = Path(locations[0]) if locations else None
    if folder is None:
        return "typst"
    compiled = sorted(folder.glob("_typst*"))
    return str(compiled[0] if compiled else folder)
