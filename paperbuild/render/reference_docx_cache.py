"""Where a journal's reference DOCX is: made once (python-docx is imported only then) and kept
in the shared cache, named by everything it is made from."""

from __future__ import annotations

import hashlib
from pathlib import Path

from paperbuild import __version__, pandoc, shared_cache
from paperbuild.profiles import Profile

# The code that makes it, and that reads the profile (its defaults): a change to it makes a new
# one, whatever the version says.
_PACKAGE = Path(__file__).parents[1]
_MAKERS = ("render/reference_docx.py", "render/ooxml.py", "profiles.py")


def path(profile: Profile, fallback: Path) -> Path:
    """The profile's reference DOCX, made if no build made it yet; kept in `fallback`
    (build/.cache) where there is no shared cache."""
    parts = [
        (profile.folder / "profile.yaml").read_bytes(),
        __version__.encode(),
        pandoc.version().encode(),  # its default reference.docx is the starting point
        *((_PACKAGE / name).read_bytes() for name in _MAKERS),
    ]
    digest = hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]
    target = shared_cache.folder(fallback) / f"reference-{profile.id}-{digest}.docx"
    if not target.exists():
        from paperbuild.render import reference_docx

        reference_docx.write(profile, target)
    return target
