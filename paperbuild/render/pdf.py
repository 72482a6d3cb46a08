"""PDF: pandoc writes Typst, the profile's `typst.j2` lays it out, the typst package compiles it
in-process (no TeX, no subprocess)."""

from __future__ import annotations

import importlib
import re
import threading
from pathlib import Path
from typing import Any

from paperbuild import (
    atomic,
    document,
    figures,
    glyphs,
    provenance,
    reproducible,
    typst_literal,
)
from paperbuild.errors import RenderError
from paperbuild.frontmatter import FrontMatter
from paperbuild.pandoc_ast import stringify
from paperbuild.profiles import Profile
from paperbuild.project import MANUSCRIPT_DIR, Project
from paperbuild.render import captions, chunks, layout, pdf_info


def write(project: Project, paths: document.Paths, journal: str | None = None) -> None:
    render(project, paths, document.load(project, paths, journal), paths.output("pdf"))


def render(
    project: Project,
    paths: document.Paths,
    parsed: document.Parsed,
    target: Path,
    extra: dict[str, Any] | None = None,
    described: FrontMatter | None = None,
) -> None:
    """Write `parsed` as the PDF `target` (its Typst source beside it); `extra` goes to the
    layout (the diff's change counts). `described`: the front matter the document information
    gives, if not `parsed`'s (a diff's, whose title holds its changes' markup)."""
    # Imported while pandoc writes the Typst source, not after.
    threading.Thread(target=_import, args=("typst", "pypdf"), daemon=True).start()
    doc, front, profile = parsed.doc, parsed.front, parsed.profile
    if parsed.has_directions:
        _set_directions(doc["blocks"])
    # Citations are already formatted by citeproc; without `-citations` pandoc would emit
    # Typst's own `@key` citations and a second bibliography.
    context = layout.write_pieces(
        project,
        profile,
        front,
        doc["meta"],
        doc["blocks"],
        "typst-citations",
        [],
        paths.cache_dir / f"{target.stem}-typst",
        figures=chunks.Figures(
            lambda blocks: figures.from_root(project, blocks, paths.cache_dir / "figures"),
            b"data: URLs unpacked",
        ),
        described=described,
    )
    context.update(
        _typst_terms(profile, context["lang"]),  # zh-Hans's words, not zh's (pandoc has none)
        region=_region(front.lang),
        **_document_info(described or front),
        **{"changes": None, **(extra or {})},
    )
    env = layout.environment(profile, False, paths.cache_dir)
    source = layout.render(env, "typst.j2", context)
    typ = target.with_suffix(".typ")
    atomic.write_text(typ, source)
    pdf = _stamped(
        _compile(project, typ), provenance.collect(project, paths.figures_elsewhere_names())
    )
    atomic.write_bytes(target, pdf)


def _set_directions(blocks: list[Any]) -> None:
    """pandoc's Typst writer drops a Div's `dir`, and Typst aligns a paragraph to the start of
    the page's direction, whatever its own: an English paragraph in an Arabic paper was set
    flush right. Each Div and heading with a `dir` goes in a full-width block of that
    direction."""
    stack: list[Any] = [blocks]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            if any(_direction(item) for item in value):
                value[:] = [wrapped for item in value for wrapped in _in_direction(item)]
            stack.extend(item for item in value if isinstance(item, list | dict))
        elif isinstance(value, dict) and isinstance(value.get("c"), list | dict):
            stack.append(value["c"])


def _direction(node: Any) -> str | None:
    if isinstance(node, dict) and node.get("t") in ("Div", "Header"):
        way = dict(node["c"][1 if node["t"] == "Header" else 0][2]).get("dir")
        return way if way in ("rtl", "ltr") else None
    return None


def _in_direction(node: Any) -> list[Any]:
    way = _direction(node)
    if way is None:
        return [node]
    return [
        {"t": "RawBlock", "c": ["typst", f"#block(width: 100%)[#set text(dir: {way})"]},
        node,
        {"t": "RawBlock", "c": ["typst", "]"]},
    ]


def _import(*names: str) -> None:
    for name in names:
        importlib.import_module(name)


def _stamped(pdf: bytes, stamp: provenance.Provenance) -> bytes:
    """The PDF's document information says what made it."""
    info = {f"/{key.title().replace('-', '')}": value for key, value in stamp.fields().items()}
    return pdf_info.update(pdf, {**info, "/Creator": stamp.summary()})


def _document_info(front: FrontMatter) -> dict[str, str]:
    """The PDF's Author and Keywords, as Typst arrays of strings: the authors' names and the
    keywords in the document's language."""
    own = [s for s in front.summaries if s.lang == front.base_lang]
    keywords = own[0].keywords if own else []
    return {
        "document_authors": _typst_strings([stringify(a.name) for a in front.authors]),
        "document_keywords": _typst_strings([stringify(k) for k in keywords]),
    }


def _typst_strings(texts: list[str]) -> str:
    return "(" + "".join(f"{typst_literal.string(' '.join(t.split()))}, " for t in texts) + ")"


def _region(lang: str) -> str | None:
    """The country of a language tag (`es-MX`: MX), which Typst takes apart from the language:
    the PDF's /Lang says es-MX, as the HTML and the DOCX do, and the marks are Mexico's."""
    found = re.match(r"[A-Za-z]{2,3}(?:-[A-Za-z]{4})?-([A-Za-z]{2})(?![A-Za-z0-9])", lang.strip())
    return found.group(1).upper() if found else None


def _typst_terms(profile: Profile, lang: str) -> dict[str, str]:
    """The captions' words and separator as the DOCX and the HTML print them, as Typst
    strings."""
    terms = captions.words(profile, lang)
    return {
        "figure_term": typst_literal.string(terms["Figure"]),
        "table_term": typst_literal.string(terms["Table"]),
        "caption_separator": typst_literal.string(f"{captions.SEPARATOR} "),
    }


def _compile(project: Project, typ: Path) -> bytes:
    import typst

    epoch = reproducible.source_date_epoch(project.root, list(project.manuscript_files))
    try:
        return typst.compile(
            str(typ),
            root=str(project.root),
            font_paths=glyphs.font_paths(project.templates_dir),
            ignore_system_fonts=True,
            timestamp=epoch,
        )
    except typst.TypstError as exc:
        message = _first_line(exc)
        if _TOO_DEEP.search(message):
            files = project.manuscript_files
            raise RenderError(
                "the text nests too deeply for the PDF: Typst lays out about 16 block quotes, "
                "or 35 list levels, inside each other",
                path=project.relative(files[0]) if len(files) == 1 else MANUSCRIPT_DIR,
                hint="flatten the deepest nesting",
            ) from None
        if _IMAGE_FAILED.search(message):
            figure = _undecodable(project, typ)
            if figure is not None:
                shown = figure.removeprefix(f"/{MANUSCRIPT_DIR}/")
                raise RenderError(
                    f"figure '{shown}' does not read as a picture ({message})",
                    *project.locate(shown),
                    hint="it is damaged or cut short: export it again",
                ) from None
        line, col = _typst_place(exc)
        raise RenderError(
            f"typst: {message}",
            path=project.relative(typ),
            line=line,
            col=col,
            hint="the PDF alone was not made; that line of the Typst source shows which passage "
            "of the manuscript it comes from",
        ) from None


_IMAGE_FAILED = re.compile(r"failed to decode image|unknown image format")
_IMAGE_CALL = re.compile(r'\bimage\("((?:[^"\\]|\\.)*)"')


def _undecodable(project: Project, typ: Path) -> str | None:
    """Which figure Typst could not read (its error does not say): each is tried alone. The
    check has seen that each starts as its kind does; a file cut short gets this far."""
    import typst

    for figure in dict.fromkeys(_IMAGE_CALL.findall(typ.read_text(encoding="utf-8"))):
        try:
            typst.compile(f'#image("{figure}")'.encode(), root=str(project.root))
        except typst.TypstError:
            return figure
    return None


# Typst's own limit on nesting (its show rules and layout recurse once per level).
_TOO_DEEP = re.compile(r"maximum (?:show rule|layout|grouping) depth exceeded")


def _typst_place(exc: Exception) -> tuple[int | None, int | None]:
    """Where in the Typst source the error is, as its diagnostic draws it (`┌─ paper.typ:3:4`)."""
    found = re.search(r"┌─ [^\n]*?:(\d+):(\d+)", str(getattr(exc, "diagnostic", "") or ""))
    return (int(found.group(1)), int(found.group(2))) if found else (None, None)


def _first_line(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return re.sub(r"\s+", " ", message).strip()
