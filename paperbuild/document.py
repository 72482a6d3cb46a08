"""The document every writer starts from: the checked manuscript with citeproc applied once.

`paperbuild.check` reads the chapters and makes the author's citations real; `cite` runs
citeproc on that and caches the AST, so pandoc reads the Markdown and formats the references
once per build, whatever the number of formats.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperbuild import frontmatter, handoff, jsonio, profiles
from paperbuild.errors import ProfileError
from paperbuild.pandoc_ast import elements
from paperbuild.paths import Paths
from paperbuild.profiles import Profile
from paperbuild.project import Project

DEFAULT_JOURNAL = "article"  # for a manuscript that names no journal


def pandoc_data_args(profile: Profile) -> list[str]:
    # translations/<lang>.yaml for languages pandoc does not know (Kazakh) live here.
    return ["--data-dir", str(profile.shared_dir)]


@dataclass(frozen=True)
class Parsed:
    """The cached AST with what every writer reads from it."""

    doc: dict[str, Any]
    front: frontmatter.FrontMatter
    profile: Profile
    has_images: bool = True  # False: certainly no figure to embed or re-root
    has_directions: bool = True  # False: certainly no Div or Span with a `dir`


def choose_profile(
    project: Project, front: frontmatter.FrontMatter, journal: str | None
) -> Profile:
    """The command line's `journal=` wins, else the manuscript's `journal:`, else the default."""
    try:
        return profiles.load(project.templates_dir, journal or front.journal or DEFAULT_JOURNAL)
    except ProfileError as error:
        if journal or not front.journal or not error.message.startswith("unknown journal"):
            raise
        # Named in the manuscript: say where.
        error.path, error.line, error.col = project.locate(
            re.compile(r"^journal:\s*['\"]?" + re.escape(front.journal))
        )
        raise


def load(project: Project, paths: Paths, journal: str | None = None) -> Parsed:
    data = paths.ast.read_bytes()
    held = handoff.take(paths.ast)  # what citeproc left, when it ran in this process
    parsed = load_doc(project, jsonio.loads(data) if held is None else held[0], journal)
    # We wrote it compact: an image shows as this, and a Str's quotes would be escaped.
    return dataclasses.replace(
        parsed, has_images=b'"t":"Image"' in data, has_directions=b'["dir","' in data
    )


def load_doc(project: Project, doc: dict[str, Any], journal: str | None = None) -> Parsed:
    front = frontmatter.read(doc["meta"], Path(project.relative(project.manuscript_files[0])))
    return Parsed(doc, front, choose_profile(project, front, journal))


def references(
    project: Project, paths: Paths, doc: dict[str, Any], lang: str
) -> list[dict[str, Any]]:
    """The works in the reference list, in its order, as CSL JSON (pandoc's reading for a
    document in `lang`)."""
    from paperbuild.csljson import csl_items

    csl = paths.cache_dir / "csl"
    items = {
        item.get("id"): item
        for bib in project.bib_files
        for item in csl_items(bib, project.relative(bib), project.root, csl, lang)
    }
    refs = find_refs(doc["blocks"])
    if refs is None:
        return []
    ids = [entry["c"][0][0].removeprefix("ref-") for entry in refs["c"][1] if entry["t"] == "Div"]
    return [items[key] for key in ids if key in items]


def find_refs(blocks: list[Any]) -> dict[str, Any] | None:
    """The reference list's Div: citeproc's, at the end, or where the author placed it."""
    # At the top level it is found without walking a book.
    top = next((b for b in reversed(blocks) if b["t"] == "Div" and is_refs(b)), None)
    return top or next((div for div in elements(blocks, "Div") if is_refs(div)), None)


def is_refs(div: dict[str, Any]) -> bool:
    # `--file-scope` prefixes ids with the file's name: pandoc's citeproc takes `x__refs` too.
    ident = div["c"][0][0]
    return bool(ident == "refs" or ident.endswith("__refs"))
