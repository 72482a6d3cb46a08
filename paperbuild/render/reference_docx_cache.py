"""Where a journal's reference DOCX is: made once (python-docx is imported only then) and kept
in the shared cache, named by everything it is made from."""

from __future__ import annotations

import hashlib
from pathlib import Path

from paperbuild import __version__, pandoc, shared_cache
from paperbuild.profiles import Profile

# The code that makes it: a change to it makes a new one, whatever the version says.
_MAKERS = ("reference_docx.py", "ooxml.py")


def path(profile: Profile, fallback: Path) -> Path:
    """The profile's reference DOCX, made if no build made it yet; kept in `fallback`
    (build/.cache) where there is no shared cache."""
    here = Path(__file__).parent
    parts = [
        (profile.folder / "profile.yaml").read_bytes(),
        __version__.encode(),
        pandoc.version().encode(),  # its default reference.docx is the starting point
        *((here / name).read_bytes() for name in _MAKERS),
    ]
    digest = hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]
    target = shared_cache.folder(fallback) / f"reference-{profile.id}-{digest}.docx"
    if not target.exists():
        from paperbuild.render import reference_docx

        reference_docx.write(profile, target)
    return target
