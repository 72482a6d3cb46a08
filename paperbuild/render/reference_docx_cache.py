"""Where a journal's reference DOCX is: made once (python-docx is imported only then) and kept
in the shared cache, named by everything it is made from."""

from __future__ import annotations

import hashlib
from pathlib import Path

from paperbuild import __version__, atomic, pandoc, shared_cache
from paperbuild.profiles import Profile

# The code that makes it, and that reads the profile (its defaults): a change to it makes a new
# one, whatever the version says.
_PACKAGE = Path(__file__).parents[1]
_MAKERS = ("render/reference_docx.py", "render/ooxml.py", "profiles.py")


def path(profile: Profile, fallback: Path) -> Path:
    """The profile's reference DOCX, made if no build made it yet; kept in the shared cache, or
    in `fallback` (build/.cache) where that cannot take it."""
    parts = [
        (profile.folder / "profile.yaml").read_bytes(),
        __version__.encode(),
        pandoc.version().encode(),  # its default reference.docx is the starting point
        shared_cache.version_of("python-docx").encode(),
        *((_PACKAGE / name).read_bytes() for name in _MAKERS),
    ]
    digest = hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]
    name = f"reference-{profile.id}-{digest}.docx"
    shared, own = shared_cache.path(name), fallback / name
    for made in (shared, own):
        if made is not None and made.exists():
            return made
    from paperbuild.render import reference_docx

    data = reference_docx.made(profile)
    if shared is not None and shared_cache.keep(shared, data):
        return shared
    atomic.write_bytes(own, data)
    return own
