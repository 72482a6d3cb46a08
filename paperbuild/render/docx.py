"""DOCX: pandoc's writer over the shared AST, styled by the generated reference document.

pandoc's own DOCX title block knows one abstract; a Kazakh bulletin wants codes, title, authors
and a summary per language, so we put those in front of the body as styled blocks.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from lxml import etree

from paperbuild import (
    atomic,
    document,
    figures,
    frontmatter,
    pandoc,
    provenance,
    reproducible,
    writing_direction,
)
from paperbuild.frontmatter import FrontMatter
from paperbuild.pandoc_ast import (
    Blocks,
    Div,
    Inlines,
    Link,
    Para,
    Space,
    Str,
    stringify,
    text_inlines,
)
from paperbuild.profiles import Profile
from paperbuild.project import Project
from paperbuild.render import ooxml, reference_docx_cache, svg_fallback, tracked

_SVG_FALLBACK = re.compile(r"Could not convert image .*\.svg.*rsvg-convert")


def write(project: Project, paths: document.Paths, journal: str | None = None) -> None:
    render(project, paths, document.load(project, paths, journal), paths.output("docx"))


def render(
    project: Project,
    paths: document.Paths,
    parsed: document.Parsed,
    target: Path,
    described: FrontMatter | None = None,
) -> None:
    """Write `parsed` as the DOCX `target`. `described`: the front matter its properties give,
    if not `parsed`'s (a diff's, whose title holds its changes)."""
    doc, front, profile = parsed.doc, parsed.front, parsed.profile
    plain = described or front
    # Figures go in as data: URLs, so pandoc's writer reads no file of the author's.
    if parsed.has_images:
        figures.embed(project, doc["blocks"])
    blocks = [*front_blocks(front, profile), *doc["blocks"]]
    # Only what DOCX core properties use: every other key would become a custom property.
    meta = {
        key: doc["meta"][key] for key in ("lang", "subject", "description") if key in doc["meta"]
    }
    keywords = [
        stringify(k) for s in plain.summaries if s.lang == plain.base_lang for k in s.keywords
    ]
    if front.dir == "rtl":  # pandoc's writer then sets each paragraph right to left
        meta["dir"] = {"t": "MetaString", "c": "rtl"}
    if keywords:
        meta["keywords"] = {
            "t": "MetaList",
            "c": [{"t": "MetaInlines", "c": text_inlines(k)} for k in keywords],
        }
    epoch = reproducible.source_date_epoch(project.root, list(project.manuscript_files))
    stamp = provenance.collect(project, paths.figures_elsewhere_names())
    # pandoc writes metadata it does not know as DOCX custom properties.
    meta.update({key: {"t": "MetaString", "c": value} for key, value in stamp.fields().items()})
    ast = {**doc, "meta": meta, "blocks": blocks}
    with atomic.replacing(target) as temporary:
        result = pandoc.convert(
            ast,
            # Figures and tables numbered as Word numbers them (SEQ fields), as the PDF does.
            "docx+native_numbering",
            [
                "--reference-doc",
                str(reference_docx_cache.path(profile, paths.cache_dir)),
                *document.pandoc_data_args(profile),
                *(["--number-sections"] if profile.heading_numbering else []),
                "--output",
                str(temporary),
            ],
            cwd=project.root,
            env={"SOURCE_DATE_EPOCH": str(epoch)},
        )
        # Without rsvg-convert pandoc keeps an SVG figure as SVG alone: the PNG beside it is
        # ours (svg_fallback).
        pandoc.report([w for w in result.warnings if not _SVG_FALLBACK.search(w)])
        properties = {
            "description": f"Built by {stamp.summary()}",
            "title": stringify(plain.title),
            "creator": "; ".join(stringify(a.name) for a in plain.authors),
        }
        package = temporary.read_bytes()
        fallbacks = svg_fallback.Fallbacks(package, paths.cache_dir / "svg-png")

        def edit(name: str, data: bytes) -> bytes:
            return _edit(name, fallbacks.edit(name, data), properties)

        temporary.write_bytes(ooxml.rewrite(package, edit, added=fallbacks.added))
        fallbacks.forget_unused()


def front_blocks(front: FrontMatter, profile: Profile) -> Blocks:
    terms = profile.terms_for(front.lang, pandoc.translations)
    blocks: Blocks = []
    if front.udc:
        blocks.append(_styled("Codes", [Para(text_inlines(f"{terms.udc} {front.udc}"))]))
    if front.irsti:
        blocks.append(_styled("Codes", [Para(text_inlines(f"{terms.irsti} {front.irsti}"))]))
    blocks.append(_styled("Title", [Para(front.title)]))
    if front.subtitle:
        blocks.append(_styled("Subtitle", [Para(front.subtitle)]))
    for author in front.authors:
        blocks.append(_styled("Author", [Para(author.name)]))
        details = [d for d in (author.affiliation, _contact(author)) if d]
        if details:
            blocks.append(_styled("Affiliation", [Para(d) for d in details]))
    if front.date:
        blocks.append(_styled("Date", [Para(text_inlines(front.date))]))
    for summary in front.summaries_in(profile.languages):
        words = profile.terms_for(front.tag(summary.lang), pandoc.translations)
        parts: Blocks = []
        if summary.lang != front.base_lang and summary.title:
            parts.append(_styled("Summary Title", [Para(summary.title)]))
        if summary.abstract:
            parts.append(_styled("Abstract", _lead(summary.abstract, f"{words.abstract}.")))
        if summary.keywords:
            label = [{"t": "Strong", "c": [Str(f"{words.keywords}:")]}, Space()]
            line = [*_as_changed(label, summary.keywords), *_listed(summary.keywords)]
            parts.append(_styled("Keywords", [Para(line)]))
        attrs = {"lang": summary.lang}
        if writing_direction.of(summary.lang) != front.dir:
            attrs["dir"] = writing_direction.of(summary.lang)
        blocks.append(Div(parts, attrs=attrs))
    return blocks


def _styled(style: str, blocks: Blocks) -> dict[str, Any]:
    return Div(blocks, attrs={"custom-style": style})


def _lead(blocks: Blocks, label: str) -> Blocks:
    """The abstract with its label in bold at the start of its first paragraph."""
    blocks = copy.deepcopy(blocks)
    first = blocks[0] if blocks else None
    texts = [b["c"] for b in blocks if b["t"] in ("Para", "Plain")]
    strong = {"t": "Strong", "c": [Str(label)]}
    if first and first["t"] in ("Para", "Plain"):
        first["t"] = "Para"
        first["c"][:0] = _as_changed([strong, Space()], texts)
        return blocks
    return [Para(_as_changed([strong], texts)), *blocks]


# In a diff, what was added or removed is in a Span of one of these classes, with its author and
# date: pandoc's DOCX writer makes it a tracked change (worddiff).
_TRACKED = ("insertion", "deletion")


def _kind(inlines: Inlines) -> str | None:
    """Whether `inlines` were added or removed whole (a keyword, an abstract's paragraph)."""
    if len(inlines) == 1 and inlines[0]["t"] == "Span":
        return next((k for k in _TRACKED if k in inlines[0]["c"][0][1]), None)
    return None


def _marked(inlines: Inlines, kind: str, among: list[Inlines]) -> Inlines:
    """`inlines` in a change span of `kind` as the first of `among` of that kind is: by its
    author, at its time."""
    like = next(text[0] for text in among if _kind(text) == kind)
    return [{"t": "Span", "c": [like["c"][0], inlines]}]


def _as_changed(label: Inlines, texts: list[Inlines]) -> Inlines:
    """A label (Keywords:, Abstract., with the space after it) added or removed with what it
    labels, when all of it was: Accept All, or Reject All, would leave it before nothing."""
    kinds = {_kind(text) for text in texts}
    kind = kinds.pop() if len(kinds) == 1 else None
    return _marked(label, kind, texts) if kind else label


def _listed(items: list[Inlines]) -> Inlines:
    """The keywords, a comma between each two. In a diff a comma comes or goes with the
    keywords it separates: after Accept All, and after Reject All, the list has no empty place
    (it was "one, , three")."""
    kinds = [_kind(item) for item in items]
    out: Inlines = []
    for index, item in enumerate(items):
        if index:
            before = kinds[:index]
            accepted = kinds[index] != "deletion" and any(k != "deletion" for k in before)
            rejected = kinds[index] != "insertion" and any(k != "insertion" for k in before)
            comma: Inlines = [Str(","), Space()]
            if accepted and rejected:
                out += comma
            elif accepted or rejected:
                kind = "insertion" if accepted else "deletion"
                out += _marked(comma, kind, [item, *items[:index][::-1]])
        out += item
    return out


def _contact(author: frontmatter.Author) -> Inlines:
    out: Inlines = []
    if author.email:
        out.append(Link(text_inlines(author.email), f"mailto:{author.email}"))
    if author.orcid:
        if out:
            out += [Str(","), Space()]
        out += [
            Str("ORCID:"),
            Space(),
            Link(text_inlines(author.orcid), f"https://orcid.org/{author.orcid}"),
        ]
    return out


_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
}


# pandoc's writer describes a picture (pic:cNvPr) by its source: here a data: URL, so each
# figure was stored twice, the second time as base64 text. The alt text stays in wp:docPr.
_SOURCE_AS_DESCRIPTION = re.compile(rb' descr="data:[^"]*"')


def _edit(name: str, data: bytes, properties: dict[str, str]) -> bytes:
    if name == "word/document.xml":
        return tracked.whole_changes(_SOURCE_AS_DESCRIPTION.sub(b' descr=""', data))
    if name == "word/footnotes.xml":
        return tracked.whole_changes(data)
    if name == "word/settings.xml":
        return _not_stretched_at_line_breaks(data)
    return _core(name, data, properties)


# What follows w:compat in the settings, in the schema's order (pandoc writes its own settings,
# whatever the reference document's).
_AFTER_COMPAT = (
    *("docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping"),
    *("doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions"),
    *("readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults"),
    *("doNotEmbedSmartTags", "decimalSymbol", "listSeparator"),
)


def _not_stretched_at_line_breaks(data: bytes) -> bytes:
    """A justified paragraph's line that ends in a line break (a poem's or an address's: a line
    block, a `\\` at a line's end) keeps its spaces: Word and LibreOffice spread it across the
    column unless the settings say otherwise."""
    root = etree.fromstring(data)
    compat = root.find("w:compat", _NS)
    if compat is None:
        compat = etree.Element(f"{{{_NS['w']}}}compat")
        later = (root.find(f"w:{name}", _NS) for name in _AFTER_COMPAT)
        anchor = next((e for e in later if e is not None), None)
        if anchor is None:
            root.append(compat)
        else:
            anchor.addprevious(compat)
    if compat.find("w:doNotExpandShiftReturn", _NS) is None:
        compat.insert(0, etree.Element(f"{{{_NS['w']}}}doNotExpandShiftReturn"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _core(name: str, data: bytes, properties: dict[str, str]) -> bytes:
    """Fill dc:title and dc:creator, which pandoc leaves empty without its own title block, and
    dc:description with what built the file."""
    if name != "docProps/core.xml":
        return data
    root = etree.fromstring(data)
    for field, value in properties.items():
        if not value:
            continue
        element = root.find(f"dc:{field}", _NS)
        if element is None:
            element = etree.SubElement(root, f"{{{_NS['dc']}}}{field}")
        element.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
