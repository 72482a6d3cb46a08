"""References as the journal's style prints them, rendered in Python by citeproc-py, for the
check's citation table (what does [4] stand for?)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from paperbuild import pandoc, styles
from paperbuild.profiles import Profile

_LEADING_NUMBER = re.compile(r"^\s*\[?\d+[.\]]\s*")


def render(
    profile: Profile, lang: str, bib_files: list[Path], keys: list[str], cwd: Path
) -> dict[str, str]:
    """key → reference text, for the keys that the bibliography has."""
    if not bib_files or not keys:
        return {}
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    # pandoc's BibTeX reader is the one the build uses; its CSL JSON is what citeproc-py reads.
    result = pandoc.run(
        ["--from", "bibtex", "--to", "csljson", *[str(p.relative_to(cwd)) for p in bib_files]],
        cwd=cwd,
    )
    items = json.loads(result.output)
    for item in items:
        item["type"] = item.get("type") or "document"  # @misc comes out untyped
    wanted = set(keys)
    source = CiteProcJSON([item for item in items if item.get("id") in wanted])
    style = _style(profile, lang)
    rendered: dict[str, str] = {}
    for key in keys:
        if key not in source:
            continue
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        bibliography.register(Citation([CitationItem(key)]))
        try:
            text = str(bibliography.bibliography()[0])
        except (
            Exception
        ) as exc:  # citeproc-py stumbles on some data; one row must not stop the check
            text = f"(citeproc-py could not render it: {exc})"
        rendered[key] = _LEADING_NUMBER.sub("", " ".join(text.split()))
    return rendered


def _style(profile: Profile, lang: str):
    from citeproc import CitationStylesStyle

    data = io.BytesIO(styles.localized_style(profile))
    try:
        return CitationStylesStyle(data, locale=lang, validate=False)
    except Exception:  # citeproc-py has no locale file for this language: the style's own
        data.seek(0)
        return CitationStylesStyle(data, validate=False)
