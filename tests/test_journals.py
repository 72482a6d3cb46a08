"""Journal profiles: kz-journal, ieee and apa, each a real journal's format, switched with one
word (`doit journal=<id>`), read back from the PDF, DOCX and HTML with real parsers."""

from __future__ import annotations

import itertools
import json
import shutil
import statistics
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdf
import pytest
import yaml
from docx.shared import Pt
from lxml import etree
from lxml import html as lxml_html

from paperbuild import profiles
from paperbuild.profiles import Profile, points

from conftest import REPO, doit, embedded_fonts, kz_front_matter, make_project

JOURNALS = ("kz-journal", "ieee", "apa")
FORMATS = ("pdf", "docx", "html")
# Page sizes in points: A4 and US letter.
PAGE_SIZES = {"kz-journal": (595, 842), "ieee": (612, 792), "apa": (612, 792)}
TWIP = 635  # EMU: Word stores lengths in twentieths of a point
REFERENCES_KK = "Пайдаланылған әдебиеттер тізімі"


def profile(journal: str) -> Profile:
    return profiles.load(REPO / "templates", journal)


# ---------------------------------------------------------------------------------------------
# The sample, built once plainly and once for each journal


@dataclass(frozen=True)
class Built:
    root: Path
    plain: dict[str, tuple[bytes, int]]  # build/paper.* right after the plain `doit`
    runs: dict[str, subprocess.CompletedProcess[str]]

    def path(self, journal: str, fmt: str) -> Path:
        return self.root / "build" / journal / f"paper.{fmt}"


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    files = (root / "build" / f"paper.{fmt}" for fmt in FORMATS)
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = make_project(tmp_path_factory.mktemp("journals") / "paper", sample=True)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    plain = _snapshot(root)
    runs = {journal: doit(root, f"journal={journal}") for journal in JOURNALS}
    for journal, run in runs.items():
        assert run.returncode == 0, (journal, run.stderr)
    return Built(root, plain, runs)


def sample_front_matter() -> dict:
    text = (REPO / "manuscript" / "paper.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))


# ---------------------------------------------------------------------------------------------
# Switching journals with one word


@pytest.mark.parametrize("journal", JOURNALS)
def test_each_journal_writes_the_three_formats_into_its_folder(built: Built, journal: str) -> None:
    run = built.runs[journal]
    assert "Traceback" not in run.stderr
    for fmt in FORMATS:  # doit ran each writer (". pdf"), not skipped it as up to date
        assert f". {fmt}" in " ".join(run.stdout.split())
        assert built.path(journal, fmt).stat().st_size > 1000


def test_plain_doit_uses_the_manuscripts_journal(built: Built) -> None:
    assert sample_front_matter()["journal"] == "kz-journal"
    page = lxml_html.parse(str(built.root / "build" / "paper.html")).getroot()
    journal = page.xpath("//meta[@name='citation_journal_title']/@content")
    assert journal == [profile("kz-journal").name]
    width, height = pypdf.PdfReader(built.root / "build" / "paper.pdf").pages[0].mediabox[2:]
    assert (round(float(width)), round(float(height))) == PAGE_SIZES["kz-journal"]


def test_another_journal_leaves_build_paper_alone(built: Built) -> None:
    assert _snapshot(built.root) == built.plain


def test_unknown_journal_fails_with_one_line_listing_the_journals(tmp_path: Path) -> None:
    root = make_project(tmp_path / "paper", sample=True)
    result = doit(root, "journal=nature")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, result.stderr
    assert "unknown journal 'nature'" in errors[0]
    ids = profiles.available(REPO / "templates")
    assert set(JOURNALS) <= set(ids)
    assert ", ".join(ids) in errors[0]
    assert not [p for p in (root / "build").rglob("paper.*") if p.suffix[1:] in FORMATS]
    assert errors[0].startswith("journal=nature: error: unknown journal 'nature'")
    assert not (root / "build" / "nature").exists()  # nothing made for it to clean


# ---------------------------------------------------------------------------------------------
# PDF: page, columns, line numbers, spacing, fonts


@dataclass(frozen=True)
class Run:
    """One piece of text as pypdf reports it: where its baseline starts, and its size."""

    x: float
    y: float
    size: float
    text: str


def text_runs(page: pypdf.PageObject) -> list[Run]:
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(cm[3]) or 1.0
            runs.append(Run(x, y, abs(size) * scale, text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def body_page(path: Path) -> tuple[pypdf.PageObject, list[Run]]:
    """A page from the middle of the article: body text only, no title block or references."""
    pages = pypdf.PdfReader(path).pages
    assert len(pages) >= 3, f"{path} has {len(pages)} pages"
    page = pages[len(pages) // 2]
    return page, text_runs(page)


def is_number(run: Run) -> bool:
    return run.text.isdigit()


@pytest.mark.parametrize("journal", JOURNALS)
def test_pdf_page_size_is_the_profiles(built: Built, journal: str) -> None:
    width, height = (points(length) for length in profile(journal).page.width_height)
    assert (round(width), round(height)) == PAGE_SIZES[journal]
    for page in pypdf.PdfReader(built.path(journal, "pdf")).pages:
        box = page.mediabox
        assert abs(float(box.width) - width) < 1 and abs(float(box.height) - height) < 1


def test_ieee_body_text_is_in_two_columns(built: Built) -> None:
    page, runs = body_page(built.path("ieee", "pdf"))
    middle = float(page.mediabox.width) / 2
    lines = [run for run in runs if not is_number(run)]
    left = [run.x for run in lines if run.x < middle]
    right = [run.x for run in lines if run.x > middle]
    assert len(left) >= 20 and len(right) >= 20, (len(left), len(right))
    # Each column's lines start at its own left edge (or one paragraph indent further in).
    indent = points(profile("ieee").font.paragraph_indent)
    margin = points(profile("ieee").page.margin_left)
    assert min(left) == pytest.approx(margin, abs=1)
    start = min(right)
    assert start > middle + 2  # a gutter, not text running across the middle
    for column, edge in ((left, margin), (right, start)):
        at_edge = [x for x in column if edge - 1 <= x <= edge + indent + 1]
        assert len(at_edge) >= 0.8 * len(column), sorted(set(column))


@pytest.mark.parametrize("journal", ["kz-journal", "apa"])
def test_one_column_lines_start_only_at_the_left_margin(built: Built, journal: str) -> None:
    page, runs = body_page(built.path(journal, "pdf"))
    middle = float(page.mediabox.width) / 2
    margin = points(profile(journal).page.margin_left)
    indent = points(profile(journal).font.paragraph_indent)
    lines = [run for run in runs if not is_number(run)]
    starts = [run.x for run in lines if margin - 1 <= run.x <= margin + indent + 1]
    assert len(starts) >= 20
    # Lines start at the left margin; what starts right of the middle is an inline piece
    # (a citation) in a line that began on the left, never a second column.
    right = [run for run in lines if run.x > middle]
    assert len(right) <= 0.15 * len(lines), right
    assert {round(run.y, 1) for run in right} <= {
        round(run.y, 1) for run in lines if run.x < middle
    }


def pdftotext_words(path: Path, page_number: int) -> list[tuple[float, float, float, str]]:
    """(xMin, xMax, yMin, word) for each word of one page (1-based), by poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page_number), "-l", str(page_number), str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout
    root = etree.fromstring(out, etree.HTMLParser())
    return [
        (float(w.get("xmin")), float(w.get("xmax")), float(w.get("ymin")), w.text or "")
        for w in root.iter("word")
    ]


@pytest.mark.parametrize(("journal", "columns"), [("kz-journal", 1), ("ieee", 2), ("apa", 1)])
def test_words_cross_the_middle_only_in_one_column(
    built: Built, journal: str, columns: int
) -> None:
    path = built.path(journal, "pdf")
    pages = pypdf.PdfReader(path).pages
    width = float(pages[0].mediabox.width)
    # The page number, centred at the foot of ieee's pages, is not body text.
    words = [w for w in pdftotext_words(path, len(pages) // 2 + 1) if not w[3].isdigit()]
    middle = width / 2
    lines: dict[float, list[tuple[float, float]]] = {}
    for x_min, x_max, y_min, _ in words:
        lines.setdefault(round(y_min), []).append((x_min, x_max))
    full = [
        line
        for line in lines.values()
        if min(x for x, _ in line) < middle and max(x for _, x in line) > middle
    ]
    in_gutter = [w for w in words if w[0] < middle < w[1]]
    if columns == 2:
        assert not in_gutter, in_gutter
        # Both halves hold a column of text.
        assert sum(1 for w in words if w[1] < middle) >= 100
        assert sum(1 for w in words if w[0] > middle) >= 100
    else:
        assert len(full) >= 0.8 * len(lines) and len(full) >= 15
        assert in_gutter  # some word sits over the middle of the page


def test_apa_numbers_lines_in_the_left_margin(built: Built) -> None:
    _, runs = body_page(built.path("apa", "pdf"))
    margin = points(profile("apa").page.margin_left)
    numbers = [run for run in runs if run.x < margin - 2]
    assert len(numbers) >= 20
    assert all(is_number(run) for run in numbers), [r.text for r in numbers if not is_number(r)]
    values = [int(run.text) for run in sorted(numbers, key=lambda run: -run.y)]
    assert values == list(range(values[0], values[0] + len(values)))
    text_lines = {round(run.y, 1) for run in runs if run.x >= margin - 1 and not is_number(run)}
    assert {round(run.y, 1) for run in numbers} <= text_lines  # one number beside each line


@pytest.mark.parametrize("journal", ["kz-journal", "ieee"])
def test_other_journals_have_no_line_numbers(built: Built, journal: str) -> None:
    _, runs = body_page(built.path(journal, "pdf"))
    margin = points(profile(journal).page.margin_left)
    assert not [run for run in runs if run.x < margin - 2]


def baseline_ratio(path: Path, journal: str) -> float:
    """Median distance between baselines of body text, in units of the profile's font size."""
    _, runs = body_page(path)
    margin = points(profile(journal).page.margin_left)
    size = points(profile(journal).font.size)
    body = [run for run in runs if run.x >= margin - 1 and abs(run.size - size) < 0.1]
    baselines = sorted({round(run.y, 1) for run in body}, reverse=True)
    gaps = [above - below for above, below in itertools.pairwise(baselines)]
    assert len(gaps) >= 15
    return statistics.median(gaps) / size


def test_apa_is_double_spaced(built: Built) -> None:
    assert profile("apa").font.line_spacing == 2.0
    assert 1.8 <= baseline_ratio(built.path("apa", "pdf"), "apa") <= 2.3
    # kz-journal's 1.2 spacing, for contrast: the measurement tells the two apart.
    assert baseline_ratio(built.path("kz-journal", "pdf"), "kz-journal") < 1.6


@pytest.mark.parametrize("journal", JOURNALS)
def test_pdf_embeds_every_font(built: Built, journal: str) -> None:
    fonts = embedded_fonts(built.path(journal, "pdf"))
    assert fonts and all(fonts.values()), fonts


# ---------------------------------------------------------------------------------------------
# DOCX: page and styles from the profile's numbers


def emu(length: str) -> int:
    return Pt(points(length))


@pytest.mark.parametrize("journal", JOURNALS)
def test_docx_page_and_margins_are_the_profiles(built: Built, journal: str) -> None:
    page = profile(journal).page
    width, height = page.width_height
    document = docx.Document(built.path(journal, "docx"))
    assert document.sections
    for section in document.sections:
        measured = {
            "width": section.page_width,
            "height": section.page_height,
            "top": section.top_margin,
            "bottom": section.bottom_margin,
            "left": section.left_margin,
            "right": section.right_margin,
        }
        wanted = {
            "width": emu(width),
            "height": emu(height),
            "top": emu(page.margin_top),
            "bottom": emu(page.margin_bottom),
            "left": emu(page.margin_left),
            "right": emu(page.margin_right),
        }
        for name, value in wanted.items():
            assert abs(measured[name] - value) <= TWIP, (name, measured[name], value)


@pytest.mark.parametrize("journal", JOURNALS)
def test_docx_styles_are_the_profiles(built: Built, journal: str) -> None:
    font = profile(journal).font
    document = docx.Document(built.path(journal, "docx"))
    normal = document.styles["Normal"]
    assert normal.font.name == font.docx
    assert normal.font.size == emu(font.size)
    assert normal.paragraph_format.line_spacing == pytest.approx(font.line_spacing)
    for name in ("Body Text", "First Paragraph"):
        indent = document.styles[name].paragraph_format.first_line_indent
        assert indent is not None and abs(indent - emu(font.paragraph_indent)) <= TWIP, name
    used = {paragraph.style.name for paragraph in document.paragraphs}
    assert {"Body Text", "First Paragraph"} <= used


def test_each_docx_names_its_journals_font_one_word_has(built: Built) -> None:
    """The PDF embeds Libertinus; Word has none, and would set the DOCX in whatever it finds."""
    names = {j: docx.Document(built.path(j, "docx")).styles["Normal"].font.name for j in JOURNALS}
    assert names == {j: profile(j).font.docx for j in JOURNALS}
    assert set(names.values()) <= {"Times New Roman", "Arial", "Calibri", "Cambria"}


# ---------------------------------------------------------------------------------------------
# HTML: what indexers read


def html_page(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.parse(str(path)).getroot()


def meta(page: lxml_html.HtmlElement, name: str) -> list[str]:
    return page.xpath(f"//head/meta[@name='{name}']/@content")


def json_ld(page: lxml_html.HtmlElement) -> dict:
    (script,) = page.xpath("//script[@type='application/ld+json']")
    return json.loads(script.text)


@pytest.mark.parametrize("journal", JOURNALS)
def test_html_meta_tags_describe_the_article(built: Built, journal: str) -> None:
    front = sample_front_matter()
    (author,) = front["author"]
    page = html_page(built.path(journal, "html"))
    assert meta(page, "citation_title") == [front["title"]]
    assert meta(page, "citation_author") == [author["name"]]
    assert meta(page, "citation_author_institution") == [author["affiliation"]]
    assert meta(page, "citation_author_email") == [author["email"]]
    assert meta(page, "citation_author_orcid") == [f"https://orcid.org/{author['orcid']}"]
    assert meta(page, "citation_language") == ["kk-KZ"]
    assert meta(page, "citation_journal_title") == [profile(journal).name]
    assert meta(page, "citation_pdf_url") == ["paper.pdf"]  # beside the page, in its folder
    assert built.path(journal, "pdf").exists()
    assert meta(page, "citation_keywords") == ["; ".join(front["keywords"]["kk"])]
    assert meta(page, "citation_abstract") == [" ".join(front["abstract"]["kk"].split())]
    # Two references have data (their authors); ref3–ref6 are only notes, and get no tag.
    assert meta(page, "citation_reference") == [
        "citation_author=Мироненко, М. Б.",
        "citation_author=Сапарғалиев, Ғ. С.; citation_author=Сәлімбаева, Ж. Ш.",
    ]


@pytest.mark.parametrize("journal", JOURNALS)
def test_html_json_ld_is_a_scholarly_article(built: Built, journal: str) -> None:
    front = sample_front_matter()
    data = json_ld(html_page(built.path(journal, "html")))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ScholarlyArticle"
    assert data["headline"] == front["title"]
    assert data["inLanguage"] == "kk-KZ"
    assert [a["name"] for a in data["author"]] == [front["author"][0]["name"]]
    assert data["author"][0]["identifier"] == "https://orcid.org/0000-0000-0000-0000"
    assert data["isPartOf"]["name"] == profile(journal).name
    names = [work.get("name") for work in data["citation"]]
    assert any(
        person["name"] == "Мироненко, М. Б."
        for work in data["citation"]
        for person in work.get("author", [])
    ), names


ESCAPE_TITLE = 'Risky </script><b>x "quotes" & ampersands'
ESCAPE_TEXT = r"""---
lang: en
title: 'Risky \</script>\<b>x \"quotes\" & ampersands'
author:
  - name: 'A. \</script> & Co'
    affiliation: 'Lab \<b>one\</b> & \"two\"'
keywords: ['a \</script> b', 'x & y']
abstract: 'Abstract with \</script> and & sign.'
---

Body.
"""


def test_html_metadata_cannot_break_out_of_its_tags(tmp_path: Path) -> None:
    root = make_project(tmp_path / "paper", {"paper.md": ESCAPE_TEXT})
    result = doit(root, "html")
    assert result.returncode == 0, result.stderr
    page = html_page(root / "build" / "paper.html")
    assert len(page.xpath("//script")) == 1
    assert not page.xpath("//b")
    data = json_ld(page)
    assert data["headline"] == ESCAPE_TITLE
    assert data["author"][0]["name"] == "A. </script> & Co"
    assert meta(page, "citation_title") == [ESCAPE_TITLE]
    assert meta(page, "citation_author") == ["A. </script> & Co"]
    assert meta(page, "citation_author_institution") == ['Lab <b>one</b> & "two"']
    assert meta(page, "citation_keywords") == ["a </script> b; x & y"]
    assert meta(page, "citation_abstract") == ["Abstract with </script> and & sign."]
    assert page.xpath("//title")[0].text == ESCAPE_TITLE
    assert page.xpath("//h1[@class='title']")[0].text_content() == ESCAPE_TITLE


def test_html_metadata_keeps_a_titles_quotation_marks(tmp_path: Path) -> None:
    text = "---\nlang: en\ntitle: 'The \"Rule of Law\" and the State''s duty'\n---\n\nBody.\n"
    root = make_project(tmp_path / "paper", {"paper.md": text})
    assert doit(root, "html").returncode == 0
    page = html_page(root / "build" / "paper.html")
    shown = page.xpath("//title")[0].text
    assert shown == "The “Rule of Law” and the State’s duty"  # pandoc's smart quotes
    assert meta(page, "citation_title") == [shown]
    assert json_ld(page)["headline"] == shown


@pytest.mark.parametrize(
    ("written", "highwire", "iso"),
    [
        ("16 December 2015", "2015/12/16", "2015-12-16"),
        ("16/12/2015", "2015/12/16", "2015-12-16"),
        ("noviembre de 2020", "2020", "2020"),  # words in another language: the year
        ("spring term", None, None),  # no year: no date an indexer would misread
    ],
)
def test_html_metadata_gives_the_date_as_indexers_read_it(
    tmp_path: Path, written: str, highwire: str | None, iso: str | None
) -> None:
    text = f"---\nlang: en\ntitle: T\ndate: {written}\n---\n\nBody.\n"
    root = make_project(tmp_path / "paper", {"paper.md": text})
    assert doit(root, "html").returncode == 0
    page = html_page(root / "build" / "paper.html")
    assert meta(page, "citation_publication_date") == ([highwire] if highwire else [])
    assert json_ld(page).get("datePublished") == iso
    assert page.xpath("//header//p[@class='date']/text()") == [written]  # printed as written


# ---------------------------------------------------------------------------------------------
# kz-journal's two reference lists: GOST terms per entry, and a transliterated list for Scopus

REFERENCES_BIB = r"""
@article{ivanov,
  author = {Иванов, Иван Иванович and Петров, Пётр},
  title = {Ответственность государства перед гражданином},
  englishtitle = {State responsibility towards the citizen},
  journal = {Государство и право},
  year = {2015}, volume = {12}, number = {3}, pages = {45--67},
  langid = {russian}
}
@book{marchenko,
  author = {Марченко, Михаил Николаевич},
  title = {Теория государства и права},
  address = {Москва}, publisher = {Проспект},
  year = {2004}, pagetotal = {640},
  langid = {russian}
}
@article{smith,
  author = {Smith, John and Brown, Anna},
  title = {Liability of the State},
  journal = {Journal of Public Law},
  year = {2019}, volume = {5}, number = {2}, pages = {10--20},
  doi = {10.1000/jpl.2019.5},
  langid = {english}
}
@book{dicey,
  author = {Dicey, Albert Venn},
  title = {Introduction to the Study of the Law of the Constitution},
  address = {London}, publisher = {Macmillan},
  year = {1915}, pagetotal = {577},
  langid = {english}
}
@book{sapargaliev,
  author = {Сапарғалиев, Ғайрат},
  title = {Қазақстан Республикасының конституциялық құқығы},
  address = {Алматы}, publisher = {Жеті жарғы},
  year = {2001}, pagetotal = {320},
  langid = {kazakh}
}
@article{ibraeva,
  author = {Ибраева, Әлия},
  title = {Мемлекеттің заңдық жауапкершілігі},
  journal = {ҚазҰУ Хабаршысы. Заң сериясы},
  year = {2018}, volume = {4}, number = {88}, pages = {101--108},
  langid = {kazakh}
}
"""
REFERENCE_KEYS = ["ivanov", "marchenko", "smith", "dicey", "sapargaliev", "ibraeva"]


def references_text() -> str:
    front = kz_front_matter("kk-KZ").replace("author: [Автор А. А.]\n", "")
    return (
        f"---\n{front}"
        "author:\n"
        "  - name: Әлиев Бақыт\n"
        "    affiliation: Әл-Фараби атындағы ҚазҰУ\n"
        "    email: aliev@example.kz\n"
        "    orcid: 0000-0002-1825-0097\n"
        f"reference-numbers: [{', '.join(REFERENCE_KEYS)}]\n"
        "---\n\n"
        "Мәтін[1], [2, с. 14], [3], [4, p. 7], [5, б. 25] және [6].\n"
    )


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kk-KZ paper for kz-journal citing Russian, English and Kazakh articles and books."""
    root = make_project(
        tmp_path_factory.mktemp("references") / "paper",
        {"paper.md": references_text()},
        REFERENCES_BIB,
    )
    result = doit(root)
    assert result.returncode == 0, result.stderr
    return root


def cyrillic_letters(text: str) -> set[str]:
    return {ch for ch in text if ch.isalpha() and "CYRILLIC" in unicodedata.name(ch, "")}


def pdf_lists(root: Path) -> tuple[str, str]:
    """The two reference lists of build/paper.pdf, whitespace made single spaces."""
    reader = pypdf.PdfReader(root / "build" / "paper.pdf")
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert text.count(REFERENCES_KK) == 1, text
    first, second = text.split(REFERENCES_KK, 1)[1].split(" References ")
    return first, second


def test_pdf_has_both_lists_in_order(references: Path) -> None:
    first, second = pdf_lists(references)
    names = {
        first: ["Иванов", "Марченко", "Smith", "Dicey", "Сапарғалиев", "Ибраева"],
        second: ["Ivanov", "Marchenko", "Smith", "Dicey", "Saparğaliev", "İbraeva"],
    }
    for listing, authors in names.items():
        starts = [listing.find(f"{n}. {author} ") for n, author in enumerate(authors, 1)]
        assert -1 not in starts and starts == sorted(starts), (starts, listing)


def test_first_list_uses_each_entrys_own_language_terms(references: Path) -> None:
    first, _ = pdf_lists(references)
    # Russian: Т. and С.
    assert "Государство и право. 2015. Т. 12, № 3. С. 45–67." in first
    assert "Москва: Проспект, 2004. 640 с." in first
    # English: Vol. and P.
    assert "Journal of Public Law. 2019. Vol. 5, no. 2. P. 10–20." in first
    assert "London: Macmillan, 1915. 577 p." in first
    # Kazakh: б. (and Т., Б. in an article)
    assert "Алматы: Жеті жарғы, 2001. 320 б." in first
    assert "2018. Т. 4, № 88. Б. 101–108." in first


def test_transliterated_list_has_no_cyrillic_letter(references: Path) -> None:
    _, second = pdf_lists(references)
    assert not cyrillic_letters(second), cyrillic_letters(second)
    assert "Ivanov I. I., Petrov P." in second
    assert "Marchenko M. N." in second
    assert "Saparğaliev Ğ." in second  # Kazakh by the 2021 Latin alphabet
    assert "Smith J., Brown A." in second
    assert "Moskva: Prospekt, 2004. 640 p." in second  # English terms throughout


def test_english_title_shows_in_brackets_in_the_second_list(references: Path) -> None:
    first, second = pdf_lists(references)
    assert "[State responsibility towards the citizen]" in second
    assert "State responsibility" not in first


def test_html_lists_have_distinct_ids(references: Path) -> None:
    page = html_page(references / "build" / "paper.html")
    ids = page.xpath("//@id")
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    (refs,) = page.xpath("//div[@id='refs']")
    (latin,) = page.xpath("//div[@id='refs-transliterated']")
    first = refs.xpath(".//div/@id")
    second = latin.xpath(".//div/@id")
    assert first == [f"ref-{key}" for key in REFERENCE_KEYS]
    assert len(second) == len(first) and not set(second) & set(first)
    assert not cyrillic_letters(latin.text_content())
    # Citations link to the first list.
    targets = {a.get("href")[1:] for a in page.xpath("//main//a[starts-with(@href, '#ref-')]")}
    assert targets == set(first)


def test_html_citation_references_carry_each_entrys_data(references: Path) -> None:
    page = html_page(references / "build" / "paper.html")
    tags = meta(page, "citation_reference")
    assert len(tags) == len(REFERENCE_KEYS)
    assert tags[0] == (
        "citation_title=Ответственность государства перед гражданином; "
        "citation_author=Иванов, Иван Иванович; citation_author=Петров, Пётр; "
        "citation_journal_title=Государство и право; citation_volume=12; citation_issue=3; "
        "citation_firstpage=45; citation_publication_date=2015"
    )
    assert tags[1] == (
        "citation_title=Теория государства и права; "
        "citation_author=Марченко, Михаил Николаевич; citation_publisher=Проспект; "
        "citation_publication_date=2004"
    )
    assert "citation_doi=10.1000/jpl.2019.5" in tags[2]
    assert meta(page, "citation_author_institution") == ["Әл-Фараби атындағы ҚазҰУ"]
    assert meta(page, "citation_author_orcid") == ["https://orcid.org/0000-0002-1825-0097"]
    data = json_ld(page)
    assert [work["name"] for work in data["citation"]][:2] == [
        "Ответственность государства перед гражданином",
        "Теория государства и права",
    ]
    assert data["citation"][2]["sameAs"] == "https://doi.org/10.1000/jpl.2019.5"


def test_docx_has_both_lists_in_order(references: Path) -> None:
    texts = [p.text for p in docx.Document(references / "build" / "paper.docx").paragraphs]
    first = texts.index(REFERENCES_KK)
    second = texts.index("References")
    assert first < second
    assert len([t for t in texts[second + 1 :] if t.strip()]) == len(REFERENCE_KEYS)
    assert not cyrillic_letters(" ".join(texts[second + 1 :]))


def test_pdf_sets_the_second_list_like_the_first(references: Path) -> None:
    runs = [
        run
        for page in pypdf.PdfReader(references / "build" / "paper.pdf").pages
        for run in text_runs(page)
    ]
    first = next(i for i, run in enumerate(runs) if run.text.startswith("1. Иванов"))
    second = next(i for i, run in enumerate(runs) if run.text.startswith("1. Ivanov"))
    # Both entries take two lines: the number at the margin, the second line hanging.
    assert runs[first + 1].x > runs[first].x
    assert runs[second].x == pytest.approx(runs[first].x, abs=0.5)
    assert runs[second + 1].x == pytest.approx(runs[first + 1].x, abs=0.5)


def test_docx_sets_the_second_list_like_the_first(references: Path) -> None:
    paragraphs = docx.Document(references / "build" / "paper.docx").paragraphs
    texts = [p.text for p in paragraphs]
    first = texts.index(REFERENCES_KK) + 1
    second = texts.index("References") + 1
    assert {p.style.name for p in paragraphs[first : second - 1]} == {"Bibliography"}
    assert {p.style.name for p in paragraphs[second:] if p.text.strip()} == {"Bibliography"}


def test_unknown_transliteration_scheme_names_the_profile(tmp_path: Path) -> None:
    root = make_project(tmp_path / "paper", {"paper.md": references_text()}, REFERENCES_BIB)
    path = root / "templates" / "kz-journal" / "profile.yaml"
    source = path.read_text(encoding="utf-8")
    assert "schemes: {ru: bsi, kk: kazakh-2021}" in source
    path.write_text(source.replace("schemes: {ru: bsi,", "schemes: {ru: nosuch,"), encoding="utf-8")
    result = doit(root)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("templates/kz-journal/profile.yaml")
    assert "nosuch" in errors[0]
    assert not [fmt for fmt in FORMATS if (root / "build" / f"paper.{fmt}").exists()]


def test_html_metadata_names_the_cited_works_as_plain_text_with_whole_names(
    tmp_path: Path,
) -> None:
    """Google Scholar reads `citation_reference`: a particle or suffix is part of the name, and
    CSL's rich text (italics, superscripts) is no part of a title."""
    bib = (
        r"@book{lvb, author = {van Beethoven, Ludwig and King, Jr., Martin Luther}, "
        r"title = {Letters on \textit{E. coli} and x\textsuperscript{2}}, publisher = {P}, "
        "year = {1820}}\n"
    )
    text = "---\nlang: de\ntitle: T\nabstract: A.\n---\n\nText [@lvb].\n"
    root = make_project(tmp_path / "paper", {"paper.md": text}, bib)
    assert doit(root, "html").returncode == 0
    page = html_page(root / "build" / "paper.html")
    (reference,) = meta(page, "citation_reference")
    assert "citation_title=Letters on E. coli and x2;" in reference
    authors = [part for part in reference.split("; ") if part.startswith("citation_author=")]
    assert authors == [
        "citation_author=Beethoven, Ludwig van",
        "citation_author=King, Martin Luther, Jr.",
    ]
    (work,) = json_ld(page)["citation"]
    assert work["name"] == "Letters on E. coli and x2"
    assert [a["name"] for a in work["author"]] == [
        "Beethoven, Ludwig van",
        "King, Martin Luther, Jr.",
    ]
