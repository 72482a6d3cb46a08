"""The journal's files a build reads besides its profile, checked before anything is written.

A translation, a CSL locale or a style that does not read (saved in another encoding
than UTF-8, cut short, not YAML or XML) would stop a writer with a traceback, or print a
Python list in a caption: the check names the file, and the line where it can.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from paperbuild import yamlio
from paperbuild.errors import ProfileError
from paperbuild.profiles import Profile
from paperbuild.styles import locale_files, style_path

_PLACE = re.compile(r", line \d+, column \d+$")


def check(profile: Profile, root: Path) -> None:
    """A ProfileError at the first file of the journal's that does not read as it must."""
    for path in sorted((profile.shared_dir / "translations").glob("*.yaml")):
        _terms(path, root)
    for path in [style_path(profile), *locale_files(profile)]:
        _xml(path, root)


def shown(path: Path, root: Path) -> str:
    """A journal file as the author finds it: from the project's root."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def read_yaml(path: Path, root: Path) -> object:
    """A journal's YAML file, read; a ProfileError where it is not UTF-8 or not YAML."""
    return yamlio.load_journal_file(path, shown(path, root))


def _terms(path: Path, root: Path) -> None:
    """pandoc's words for a language: each a line of text (`Figure: Сурет`)."""
    terms = read_yaml(path, root)
    if terms is None:
        return
    hint = "write one term a line, as 'Figure: Сурет'"
    if not isinstance(terms, dict):
        raise ProfileError("must be a mapping of terms", path=shown(path, root), hint=hint)
    for key, value in terms.items():
        if not isinstance(value, str | int | float):
            raise ProfileError(
                f"'{key}' must be a word or a phrase", path=shown(path, root), hint=hint
            )


def _xml(path: Path, root: Path) -> None:
    _text(path, root)
    try:
        etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (None, None)
        said = _PLACE.sub("", exc.msg)  # said apart, as the message's place
        raise ProfileError(
            f"not well-formed XML: {said}",
            path=shown(path, root),
            line=line or None,
            col=col or None,
            hint="mend the file, or copy it again from where it came",
        ) from None


def _text(path: Path, root: Path) -> None:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        data = path.read_bytes()
        line = data.count(b"\n", 0, exc.start) + 1
        raise ProfileError(
            "not UTF-8 text", path=shown(path, root), line=line, hint=yamlio.RESAVE
        ) from None
