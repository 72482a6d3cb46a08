"""HTML: pandoc writes the body and front matter, the profile's `html.j2` lays out the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from paperbuild import atomic, document, figures, provenance
from paperbuild.frontmatter import FrontMatter
from paperbuild.project import Project
from paperbuild.render import captions, chunks, layout, metadata


def write(project: Project, paths: document.Paths, journal: str | None = None) -> None:
    render(project, paths, document.load(project, paths, journal), paths.output("html"))


def render(
    project: Project,
    paths: document.Paths,
    parsed: document.Parsed,
    target: Path,
    extra: dict[str, Any] | None = None,
    described: FrontMatter | None = None,
) -> None:
    """Write `parsed` as the HTML page `target`; `extra` goes to the layout. `described`: the
    front matter the page's metadata and window title give, if not `parsed`'s (a diff's, whose
    title holds its changes' markup)."""
    doc, front, profile = parsed.doc, parsed.front, parsed.profile
    captions.number(doc["blocks"], profile, front.lang)
    context = layout.write_pieces(
        project,
        profile,
        front,
        doc["meta"],
        doc["blocks"],
        "html5",
        ["--mathml", *(["--number-sections"] if profile.heading_numbering else [])],
        paths.cache_dir / f"{target.stem}-html",
        wrap=Markup,
        figures=chunks.Figures(
            lambda blocks: figures.embed(project, blocks),
            figures.stamp(project, paths.figures_elsewhere_state(project.root)),
        ),
        described=described,
    )
    plain = described or front
    context["metadata"] = metadata.describe(
        plain, profile, document.references(project, paths, doc, front.lang)
    )
    context["provenance"] = provenance.collect(project, paths.figures_elsewhere_names())
    context.update({"changes": None, **(extra or {})})
    env = layout.environment(profile, True, paths.cache_dir)
    html = layout.render(env, "html.j2", context)
    atomic.write_text(target, html)
