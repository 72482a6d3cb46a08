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
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
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
    "Date": WD_ALIGN_PARAGRAPH.CENTER,
    "Summary Title": WD_ALIGN_PARAGRAPH.CENTER,
    "Abstract": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "Keywords": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
BODY_STYLES = ("Body Text", "First Paragraph")


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
    # pandoc gives table cells and tight lists this style, based on Body Text: no paragraph's
    # first-line indent or justification in a cell.
    compact = styles["Compact"]
    compact.paragraph_format.first_line_indent = Pt(0)
    compact.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    for level in range(1, 7):
        heading = styles[f"Heading {level}"]
        _font(heading, profile.font.docx, Pt(profile.font.heading_points(level)))
        heading.font.color.rgb = None
        heading.font.bold = True
        heading.font.italic = level >= 3
    title = styles["Title"]
    _font(title, profile.font.docx, Pt(points(profile.font.size) * 1.35))
    title.font.bold = True
    title.font.color.rgb = None
    for name, alignment in FRONT_STYLES.items():
        style = _paragraph_style(document, name)
        style.paragraph_format.alignment = alignment
        style.paragraph_format.first_line_indent = Pt(0)
    _font(styles["Abstract"], profile.font.docx, Pt(points(profile.font.size) * 0.92))
    # pandoc's Date is based on its Title: set as the authors' lines are, not as a title.
    date = styles["Date"]
    _font(date, profile.font.docx, Pt(points(profile.font.size)))
    date.font.bold = False
    styles["Author"].font.bold = True
    bibliography = _paragraph_style(document, "Bibliography")
    bibliography.paragraph_format.first_line_indent = Pt(0)
    buffer = io.BytesIO()
    document.save(buffer)
    return ooxml.rewrite(buffer.getvalue(), fixed_dates=True)


def _page(document: Document, profile: Profile) -> None:
    """Size and margins; page numbers where the PDF prints them, and line numbers where the
    journal reviews by line (pandoc keeps the reference document's section, with its header
    and footer)."""
    width, height = profile.page.width_height
    for section in document.sections:
        section.page_width = Pt(points(width))
        section.page_height = Pt(points(height))
        section.top_margin = Pt(points(profile.page.margin_top))
        section.bottom_margin = Pt(points(profile.page.margin_bottom))
        section.left_margin = Pt(points(profile.page.margin_left))
        section.right_margin = Pt(points(profile.page.margin_right))
        if profile.page.number_position != "none":
            _page_number(section, profile)
        if profile.line_numbers:
            # After the margins, in the schema's order (pgSz, pgMar, paperSrc, pgBorders).
            numbers = OxmlElement("w:lnNumType")
            numbers.set(qn("w:countBy"), "1")
            numbers.set(qn("w:restart"), "continuous")
            margins = section._sectPr.find(qn("w:pgMar"))
            margins.addnext(numbers)


_ALIGNMENTS = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _page_number(section: Section, profile: Profile) -> None:
    """The page's number, as a field Word and LibreOffice fill in, where the profile puts it."""
    place = section.header if profile.page.number_vertical == "top" else section.footer
    place.is_linked_to_previous = False
    paragraph = place.paragraphs[0]
    paragraph.alignment = _ALIGNMENTS.get(profile.page.number_horizontal, WD_ALIGN_PARAGRAPH.CENTER)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


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
