"""Where the tools the build runs are, and what tells their versions apart, found without
starting or importing them: the up-to-date checks of every `doit` ask."""

from __future__ import annotations

import functools
import importlib.util
import shutil
from pathlib import Path


@functools.cache
def pandoc_path() -> str:
    # Locating the bundled binary without importing pypandoc keeps start-up cheap.
    spec = importlib.util.find_spec("pypandoc")
    if spec and spec.origin:
        for name in ("pandoc", "pandoc.exe"):
            bundled = Path(spec.origin).parent / "files" / name
            if bundled.exists():
                return str(bundled)
    import pypandoc

    found = pypandoc.get_pandoc_path()
    return shutil.which(found) or found  # a bare name, as the system's pandoc is found


@functools.cache
def pandoc_identity() -> str:
    """pandoc's binary: where it is, its size and time. What pandoc made is kept under names
    that include it, so an upgrade (a new file in the same place) makes it again; cheaper than
    asking its version, a run of its own."""
    return _stamp(pandoc_path())


@functools.cache
def identity() -> str:
    """pandoc's and the typst package's: an upgrade of either rebuilds what they made. Where
    pandoc cannot be found, the build's first step says so, in its words."""
    try:
        pandoc = pandoc_identity()
    except OSError:
        pandoc = "pandoc:?"
    return f"{pandoc}\0{_stamp(_typst_path())}"


def _stamp(path: str) -> str:
    try:
        found = Path(path).stat()
    except OSError:
        return f"{path}:?"
    return f"{path}:{found.st_size}:{found.st_mtime_ns}"


def _typst_path() -> str:
    spec = importlib.util.find_spec("typst")
    # Its compiled module, which a new version replaces.
    locations = list(spec.submodule_search_locations or []) if spec else []
    folder = Path(locations[0]) if locations else None
    if folder is None:
        return "typst"
    compiled = sorted(folder.glob("_typst*"))
    return str(compiled[0] if compiled else folder)
