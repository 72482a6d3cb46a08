"""The DOCX reference document, generated from the profile's numbers (never a committed binary).

pandoc styles a DOCX after a reference document; we start from pandoc's own and set page size,
margins, fonts, spacing and the styles our front matter uses.
"""

from __future__ import annotations

import functools
import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.styles.style import ParagraphStyle

from paperbuild import pandoc
from paperbuild.profiles import Profile, points
from paperbuild.render import ooxml

# Paragraph styles of our front matter (see render/docx.py), with their alignment.
FRONT_STYLES = {
    "Codes": WD_ALIGN_PARAGRAPH.LEFT,
    "Author": WD_ALIGN_PARAGRAPH.CENTER,
    "Affiliation": WD_ALIGN_PARAGRAPH.CENTER,
    "Summary Title": WD_ALIGN_PARAGRAPH.CENTER,
    "Abstract": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "Keywords": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
BODY_STYLES = ("Body Text", "First Paragraph", "Compact")


@functools.cache
def _pandoc_reference() -> bytes:
    return pandoc.run(["--print-default-data-file", "reference.docx"]).output


def made(profile: Profile) -> bytes:
    """The reference document for `profile`, as the bytes of a DOCX file."""
    document = Document(io.BytesIO(_pandoc_reference()))
    _page(document, profile)
    styles = document.styles
    size = Pt(points(profile.font.size))
    normal = styles["Normal"]
    _font(normal, profile.font.docx, size)
    normal.paragraph_format.line_spacing = profile.font.line_spacing
    for name in BODY_STYLES:
        style = styles[name]
        style.paragraph_format.first_line_indent = Pt(points(profile.font.paragraph_indent))
        if profile.font.justify:
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for level in range(1, 7):
        heading = styles[f"Heading {level}"]
        _font(heading, profile.font.docx, Pt(points(profile.font.heading_size)))
        heading.font.color.rgb = None
    title = styles["Title"]
    _font(title, profile.font.docx, Pt(points(profile.font.size) * 1.35))
    title.font.bold = True
    title.font.color.rgb = None
    for name, alignment in FRONT_STYLES.items():
        style = _paragraph_style(document, name)
        style.paragraph_format.alignment = alignment
        style.paragraph_format.first_line_indent = Pt(0)
    _font(styles["Abstract"], profile.font.docx, Pt(points(profile.font.size) * 0.92))
    styles["Author"].font.bold = True
    bibliography = _paragraph_style(document, "Bibliography")
    bibliography.paragraph_format.first_line_indent = Pt(0)
    buffer = io.BytesIO()
    document.save(buffer)
    return ooxml.rewrite(buffer.getvalue(), fixed_dates=True)


def _page(document: Document, profile: Profile) -> None:
    width, height = profile.page.width_height
    for section in document.sections:
        section.page_width = Pt(points(width))
        section.page_height = Pt(points(height))
        section.top_margin = Pt(points(profile.page.margin_top))
        section.bottom_margin = Pt(points(profile.page.margin_bottom))
        section.left_margin = Pt(points(profile.page.margin_left))
        section.right_margin = Pt(points(profile.page.margin_right))


def _paragraph_style(document: Document, name: str) -> ParagraphStyle:
    try:
        return document.styles[name]
    except KeyError:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.quick_style = True
        return style


def _font(style: ParagraphStyle, name: str, size: Pt) -> None:
    style.font.name = name
    style.font.size = size
    # Theme fonts (asciiTheme…) would override the named font, and Cyrillic text may be set in
    # the complex-script or East Asian slot: name the font in every slot.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)
