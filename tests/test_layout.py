"""What an editor opening each format sees of the paper's layout: the date, headings told apart
by level, figures and tables numbered alike in the PDF, DOCX and HTML, page and line numbers,
table cells and line breaks set as written, and the PDF's document information."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdf
import pytest
import typst
from docx.enum.text import WD_ALIGN_PARAGRAPH
from lxml import etree
from lxml import html as lxml_html

from conftest import PNG, doit, libreoffice_text, make_project, pdf_images

TEXT = """---
title: A Layout Paper
author: [Ann Author, Ben Büthor]
date: 16 December 2015
abstract: What it is about.
keywords: [layout, "editors' view"]
---

# Chapter

Text [@a].

## Section

| A | B |
|---|---|
| plain cell | x |

### Subsection

| Name | Value |
|------|-------|
| left | 1 |

: Values measured.

#### Deeper

![The first figure.](fig.png)

![The second figure.](fig.png)

| line one
| line two of a short poem
"""
BIB = "@book{a, author = {Alpha, A.}, title = {Alpha Book}, publisher = {P}, year = {2001}}\n"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W.strip("{}")}


@dataclass(frozen=True)
class Paper:
    root: Path

    def path(self, journal: str, fmt: str) -> Path:
        folder = self.root / "build" / (journal if journal != "article" else "")
        return folder / f"paper.{fmt}"


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Paper:
    root = make_project(tmp_path_factory.mktemp("layout") / "p", {"paper.md": TEXT}, BIB)
    (root / "manuscript" / "fig.png").write_bytes(PNG)
    for args in ((), ("journal=apa",), ("journal=ieee",)):
        result = doit(root, *args)
        assert result.returncode == 0, result.stderr
    return Paper(root)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def docx_xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(part))


@pytest.mark.parametrize("journal", ["article", "apa", "ieee"])
def test_the_date_is_printed_in_every_format(paper: Paper, journal: str) -> None:
    page = lxml_html.parse(str(paper.path(journal, "html"))).getroot()
    assert page.xpath("//header//p[@class='date']/text()") == ["16 December 2015"]
    document = docx.Document(str(paper.path(journal, "docx")))
    assert [p.text for p in document.paragraphs if p.style.name == "Date"] == ["16 December 2015"]
    date = document.styles["Date"]
    assert date.font.size == document.styles["Normal"].font.size and not date.font.bold
    assert "16 December 2015" in pdf_text(paper.path(journal, "pdf"))


def test_figures_and_tables_are_numbered_alike_in_every_format(paper: Paper) -> None:
    """Captioned ones, in reading order: the uncaptioned table is not 'Table 1'."""
    wanted = ["Table 1: Values measured.", "Figure 1: The first figure.", "Figure 2: The second"]
    page = lxml_html.parse(str(paper.path("article", "html"))).getroot()
    html = [" ".join(c.text_content().split()) for c in page.xpath("//figcaption|//caption")]
    assert [h[: len(w)] for h, w in zip(html, wanted, strict=True)] == wanted
    body = docx_xml(paper.path("article", "docx"), "word/document.xml")
    captions = body.xpath(
        "//w:p[w:pPr/w:pStyle[@w:val='ImageCaption' or @w:val='TableCaption']]", namespaces=NS
    )
    words = [" ".join("".join(c.itertext()).split()) for c in captions]
    assert [w[: len(x)] for w, x in zip(words, wanted, strict=True)] == wanted  # SEQ fields
    pdf = " ".join(pdf_text(paper.path("article", "pdf")).split())
    for caption in wanted:
        assert caption.replace(" ", "") in pdf.replace(" ", "").replace("\u00a0", "")
    assert "Table2" not in pdf.replace(" ", "").replace("\u00a0", "")


@pytest.mark.parametrize(
    ("lang", "figure", "table"),
    [
        ("fr", "Figure 1: ", "Tableau 1: "),
        ("ru", "Рис. 1: ", "Таблица 1: "),
        # A script of the language's own: the PDF printed Serbian Cyrillic's, or English.
        ("sr-Latn", "Slika 1: ", "Tabela 1: "),
    ],
)
def test_captions_have_the_same_words_in_every_format(
    tmp_path: Path, lang: str, figure: str, table: str
) -> None:
    """Typst's own would be "Fig. 1. – " in French and "Рис. 1. " in Russian, where pandoc's
    DOCX writer prints its translations and a colon."""
    text = (
        f"---\ntitle: T\nlang: {lang}\nabstract: A.\n---\n\n![Schéma](fig.png)\n\n"
        "| A |\n|---|\n| 1 |\n\n: Données\n"
    )
    root = make_project(tmp_path, {"paper.md": text}, "")
    (root / "manuscript" / "fig.png").write_bytes(PNG)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    wanted = [figure + "Schéma", table + "Données"]
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    html = [" ".join(c.text_content().split()) for c in page.xpath("//figcaption|//caption")]
    body = docx_xml(root / "build" / "paper.docx", "word/document.xml")
    captions = body.xpath(
        "//w:p[w:pPr/w:pStyle[@w:val='ImageCaption' or @w:val='TableCaption']]", namespaces=NS
    )
    words = [" ".join("".join(c.itertext()).split()) for c in captions]
    found = " ".join(pdf_text(root / "build" / "paper.pdf").split())
    assert sorted(html) == sorted(wanted) and sorted(words) == sorted(wanted)
    for caption in wanted:
        assert caption in found
    # The abstract's heading is pandoc's word for the same tag.
    abstract = {"fr": "Résumé", "ru": "Аннотация", "sr-Latn": "Sažetak"}[lang]
    assert page.xpath("//div[@class='abstract']/h2")[0].text == f"{abstract}."
    assert f"{abstract}. A." in found
    paragraphs = [p.text for p in docx.Document(str(root / "build" / "paper.docx")).paragraphs]
    assert f"{abstract}. A." in paragraphs


@pytest.mark.parametrize(
    ("lang", "wanted"),
    [
        ("fr", "«\u202fbonjour “toi” là\u202f»"),  # Typst's marks, its narrow spaces too
        ("de", "„bonjour ‚toi‘ là“"),
        ("kk", "«bonjour „toi“ là»"),  # templates/_shared/quotes.yaml: Typst knows no Kazakh
        ("en", "“bonjour ‘toi’ là”"),
    ],
)
def test_quotation_marks_are_the_languages_and_alike_in_every_format(
    tmp_path: Path, lang: str, wanted: str
) -> None:
    """pandoc's HTML and DOCX writers print “…” in any language, Typst its language's."""
    text = (
        f"---\ntitle: T\nlang: {lang}\nabstract: 'Il dit \"oui\".'\n---\n\n"
        'Il dit "bonjour \'toi\' là" et ["yes"]{lang=en}.\n'
    )
    root = make_project(tmp_path, {"paper.md": text}, "")
    result = doit(root)
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    html = " ".join(page.xpath("string(//body)").split())
    words = docx.Document(str(root / "build" / "paper.docx")).paragraphs
    document = " ".join(" ".join(p.text for p in words).split())
    pdf = " ".join(pdf_text(root / "build" / "paper.pdf").split())
    said = " ".join(f"Il dit {wanted} et “yes”.".split())
    opening, closing = wanted[: wanted.index("bonjour")], wanted[wanted.index("là") + 2 :]
    yes = " ".join(f"Il dit {opening}oui{closing}.".split())
    for shown in (html, document, pdf):
        assert said in shown and yes in shown


def test_a_wide_figure_and_a_long_table_stay_within_the_ieee_columns(tmp_path: Path) -> None:
    """An image sized by its height alone (`{height=30%}`) was drawn wider than its column,
    over the other and off the page; a table longer than a column ran off the page's foot."""
    rows = "".join(f"| {i} | row {i} of the table |\n" for i in range(1, 121))
    text = (
        "---\ntitle: T\nauthor: A\nabstract: A.\nkeywords: [k]\n---\n\n# One\n\n"
        "![Wide.](wide.png){height=30%}\n\n| N | Text |\n|---|---|\n"
        f"{rows}\n: Long.\n"
    )
    root = make_project(tmp_path, {"paper.md": text}, "")
    wide = typst.compile(b"#set page(width: 400pt, height: 100pt, fill: red)", format="png")
    (root / "manuscript" / "wide.png").write_bytes(wide)
    result = doit(root, "journal=ieee", "pdf")
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(root / "build" / "ieee" / "paper.pdf")
    margin, width = 0.625 * 72, float(reader.pages[0].mediabox.width)
    column = (width - 2 * margin - 0.25 * 72) / 2
    drawn: list[tuple[float, float]] = []  # each image's left edge and width

    def image(operator: bytes, args: list, cm: list, tm: list) -> None:
        if operator == b"Do":
            drawn.append((cm[4], cm[0]))

    lowest = []

    def line(text: str, cm: list, tm: list, font: object, size: float) -> None:
        if text.strip().startswith("row"):
            lowest.append(tm[5] if cm is None else cm[5] + tm[5])

    for page in reader.pages:
        page.extract_text(visitor_operand_before=image, visitor_text=line)
    (x, w), *_ = drawn
    assert margin - 1 <= x and w <= column + 1
    assert len(lowest) == 120 and min(lowest) >= 1 * 72 - 1  # above the foot's margin
    assert "Table 1: Long." in " ".join(pdf_text(root / "build" / "ieee" / "paper.pdf").split())


def test_an_svg_figure_has_a_png_beside_it_in_the_docx(tmp_path: Path) -> None:
    """Without one LibreOffice and Word before 2016 show an empty box; Word since keeps the
    SVG."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
        '<rect width="200" height="100" fill="blue"/></svg>'
    )
    text = "---\ntitle: T\n---\n\n![A box.](box.svg)\n\n![Another.](red.svg){width=40%}\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, "")
    (root / "manuscript" / "box.svg").write_text(svg)
    (root / "manuscript" / "red.svg").write_text(svg.replace("blue", "red"))
    result = doit(root, "docx")
    assert result.returncode == 0, result.stderr
    target = root / "build" / "paper.docx"
    R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    with zipfile.ZipFile(target) as package:
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        parts = {r.get("Id"): r.get("Target") for r in rels}
        body = etree.fromstring(package.read("word/document.xml"))
        blips = body.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
        shown = [(parts[b.get(f"{R}embed")], b[0][-1][0].get(f"{R}embed")) for b in blips]
        assert len(shown) == 2
        for png, svg_id in shown:
            assert png.endswith(".png") and package.read(f"word/{png}").startswith(b"\x89PNG")
            assert parts[svg_id].endswith(".svg")
        assert b'Extension="png"' in package.read("[Content_Types].xml")
    libreoffice_text(target, tmp_path)
    assert pdf_images(tmp_path / "paper.pdf") == 2
    # The PNGs are kept for the next build, and only while a figure shows them.
    kept = root / "build" / ".cache" / "svg-png"
    assert len(list(kept.glob("*.png"))) == 2
    (root / "manuscript" / "paper.md").write_text(text.replace("{width=40%}", ""), "utf-8")
    assert doit(root, "docx").returncode == 0
    assert len(list(kept.glob("*.png"))) == 2  # the red one drawn at its new size alone


def test_the_pdf_says_the_language_with_its_country_as_the_html_does(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"paper.md": "---\ntitle: T\nlang: es-MX\n---\n\nTexto.\n"})
    assert doit(root, "pdf", "html").returncode == 0
    assert pypdf.PdfReader(root / "build" / "paper.pdf").trailer["/Root"]["/Lang"] == "es-MX"
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert page.get("lang") == "es-MX"


def test_heading_levels_differ_in_the_docx_and_the_pdf(paper: Paper) -> None:
    styles = docx.Document(str(paper.path("article", "docx"))).styles
    looks = [
        (styles[f"Heading {n}"].font.size.pt, styles[f"Heading {n}"].font.italic) for n in (1, 2, 3)
    ]
    assert len(set(looks)) == 3 and all(styles[f"Heading {n}"].font.bold for n in (1, 2, 3))
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    words = subprocess.run(
        ["pdftotext", "-bbox", str(paper.path("article", "pdf")), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    heights: dict[str, float] = {}
    for line in words.splitlines():
        for name in ("Chapter", "Section", "Subsection"):
            if f">{name}</word>" in line:
                top = float(line.split('yMin="')[1].split('"')[0])
                bottom = float(line.split('yMax="')[1].split('"')[0])
                heights.setdefault(name, bottom - top)
    assert heights["Chapter"] > heights["Section"] > heights["Subsection"]


def test_table_cells_are_neither_indented_nor_justified(paper: Paper) -> None:
    style = docx.Document(str(paper.path("apa", "docx"))).styles["Compact"]
    assert style.paragraph_format.first_line_indent == 0
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_a_line_ending_in_a_break_is_not_stretched(paper: Paper) -> None:
    settings = docx_xml(paper.path("article", "docx"), "word/settings.xml")
    assert settings.find(f"{W}compat/{W}doNotExpandShiftReturn") is not None
    names = [child.tag.removeprefix(W) for child in settings]
    assert names.index("compat") < names.index("rsids")  # where the schema wants it


@pytest.mark.parametrize(("journal", "place"), [("article", "footer"), ("apa", "header")])
def test_the_docx_numbers_its_pages_where_the_pdf_does(
    paper: Paper, journal: str, place: str
) -> None:
    path = paper.path(journal, "docx")
    with zipfile.ZipFile(path) as package:
        parts = [n for n in package.namelist() if n.startswith(f"word/{place}")]
        xml = [etree.fromstring(package.read(name)) for name in parts]
    fields = [part.xpath("//@w:instr", namespaces=NS) for part in xml]
    assert ["PAGE"] in fields
    numbered = docx_xml(path, "word/document.xml").xpath("//w:sectPr/w:lnNumType", namespaces=NS)
    assert bool(numbered) == (journal == "apa")  # APA reviews by line


def test_the_pdf_says_who_wrote_it_and_its_keywords(paper: Paper) -> None:
    info = pypdf.PdfReader(paper.path("article", "pdf")).metadata
    assert info["/Author"] == "Ann Author, Ben Büthor"
    assert info["/Keywords"] == "layout, editors’ view"


def test_ieee_numbers_each_heading_level_on_its_own(paper: Paper) -> None:
    lines = pdf_text(paper.path("ieee", "pdf")).splitlines()
    for heading in ("I. Chapter", "A. Section", "1) Subsection", "a) Deeper"):
        assert heading in lines


def test_front_matter_notes_are_numbered_with_the_bodys_in_every_format(tmp_path: Path) -> None:
    """The HTML wrote them into a paragraph of the header, twice, numbered 3, 2, 1, with the
    body's note as a second fn1; the PDF's title said the note's text."""
    text = (
        "---\ntitle: A Paper^[Funded by X.]\nauthor: Ann Author\n"
        "abstract: |\n  An abstract.^[Abstract note.]\n\n  Second paragraph.\n---\n\n"
        "Text.^[Body note.]\n"
    )
    root = make_project(tmp_path, {"paper.md": text})
    assert doit(root).returncode == 0
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    marks = page.xpath("//a[@class='footnote-ref']")
    assert [(a.get("href"), a.get("id"), a.text_content()) for a in marks] == [
        ("#fn1", "fnref1", "1"),
        ("#fn2", "fnref2", "2"),
        ("#fn3", "fnref3", "3"),
    ]
    assert [a.getparent().tag for a in marks[:1]] == ["h1"]
    (notes,) = page.xpath("//section[@role='doc-endnotes']")
    assert notes.xpath("ancestor::header") == []
    assert [li.get("id") for li in notes.xpath(".//li")] == ["fn1", "fn2", "fn3"]
    assert [li.text_content().rstrip("↩︎") for li in notes.xpath(".//li")] == [
        "Funded by X.",
        "Abstract note.",
        "Body note.",
    ]
    assert page.findtext("head/title") == "A Paper"
    (abstract,) = page.xpath("//meta[@name='citation_abstract']/@content")
    assert abstract == "An abstract. Second paragraph."
    assert not page.xpath("//header//p[@class='codes']")
    reader = pypdf.PdfReader(root / "build" / "paper.pdf")
    assert reader.metadata.title == "A Paper"
    assert "1Funded by X.\n2Abstract note.\n3Body note." in reader.pages[0].extract_text()
    with zipfile.ZipFile(root / "build" / "paper.docx") as package:
        xml = package.read("word/footnotes.xml").decode()  # python-docx reads no notes
    assert xml.index("Funded by X.") < xml.index("Abstract note.") < xml.index("Body note.")


def test_a_long_title_is_centred_whole_words_in_the_pdf(tmp_path: Path) -> None:
    """It was justified across the page and hyphenated: "граждани-" / "ном"."""
    title = (
        "Юридическая ответственность государства перед гражданином в Республике Казахстан "
        "и зарубежных странах континентального права"
    )
    text = f"---\ntitle: {title}\nauthor: [Иван Иванов]\nlang: ru\n---\n\nТекст.\n"
    root = make_project(tmp_path, {"paper.md": text}, "")
    assert doit(root, "pdf").returncode == 0
    page = pypdf.PdfReader(root / "build" / "paper.pdf").pages[0].extract_text()
    lines = page.split("Иван Иванов")[0].strip().splitlines()
    assert len(lines) > 1
    assert " ".join(line.strip() for line in lines) == title  # whole words, none broken


def test_two_authors_notes_of_one_text_are_two_notes_in_the_html(tmp_path: Path) -> None:
    """They were taken for one: the same id twice, and numbers unlike the PDF's."""
    text = (
        "---\ntitle: T\nauthor:\n  - name: Ann^[Equal contribution.]\n"
        "  - name: Ben^[Equal contribution.]\n---\n\nText.\n"
    )
    root = make_project(tmp_path, {"paper.md": text})
    assert doit(root, "html").returncode == 0
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    ids = [a.get("id") for a in page.xpath("//a[@class='footnote-ref']")]
    assert ids == ["fnref1", "fnref2"]
    assert len(page.xpath("//section[@role='doc-endnotes']//li")) == 2
