"""Right-to-left languages: `dir` wherever the direction changes, in HTML and DOCX (browsers and
Word do not tell it from `lang`); Typst finds it from `lang` itself."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn
from lxml import html as lxml_html

from paperbuild import pandoc, writing_direction

from conftest import doit, make_project


@pytest.mark.parametrize(
    ("lang", "way"),
    [
        ("ar", "rtl"),
        ("he", "rtl"),
        ("fa-IR", "rtl"),
        ("ur", "rtl"),
        ("yi", "rtl"),
        ("ckb", "rtl"),
        ("uz-Arab-AF", "rtl"),
        ("ar-Latn", "ltr"),
        ("en", "ltr"),
        ("kk", "ltr"),
        ("ru_RU", "ltr"),
        ("zh-Hant", "ltr"),
        ("ar-u-nu-latn", "rtl"),  # an extension names no script
        ("en-x-arab", "ltr"),
    ],
)
def test_the_way_a_language_is_written(lang: str, way: str) -> None:
    assert writing_direction.of(lang) == way


def parse(markdown: str) -> list:
    result = pandoc.run(["--from", "markdown", "--to", "json"], data=markdown.encode())
    return json.loads(result.output)["blocks"]


def dirs(blocks: list) -> list[tuple[str, str | None]]:
    """Each Div's and Span's (lang, dir), in order."""
    found = []
    stack = [blocks]
    while stack:
        value = stack.pop(0)
        if isinstance(value, list):
            stack[:0] = value
        elif isinstance(value, dict):
            if value.get("t") in ("Div", "Span", "Header"):
                attrs = dict(value["c"][1 if value["t"] == "Header" else 0][2])
                found.append((attrs.get("lang", ""), attrs.get("dir")))
            if isinstance(value.get("c"), list | dict):
                stack.insert(0, value["c"])
    return found


def test_a_part_written_the_other_way_gets_dir_and_an_authors_dir_stays() -> None:
    blocks = parse(
        "English [עברית]{lang=he} and [English]{lang=en-GB}.\n\n"
        "::: {lang=ar}\nعربي [English inside]{lang=en} and [مكتوب]{lang=ar}.\n:::\n\n"
        "::: {lang=fa dir=ltr}\nfarsi set left to right [inside]{lang=en}\n:::\n\n"
        "# A heading in English {lang=en}\n"
    )
    writing_direction.mark(blocks, "ltr")
    assert dirs(blocks) == [
        ("he", "rtl"),
        ("en-GB", None),
        ("ar", "rtl"),
        ("en", "ltr"),
        ("ar", None),
        ("fa", "ltr"),
        ("en", None),
        ("en", None),
    ]
    writing_direction.mark(blocks, "rtl")  # the same text in a paper written right to left
    assert dirs(blocks)[-1] == ("en", "ltr")  # the heading: it was right-aligned


ARABIC = """---
title: عنوان المقال
author: [أحمد علي]
lang: ar
abstract:
  ar: هذا ملخص المقال [@smith].
  en: The English abstract.
---

# مقدمة

نص عربي [@smith] وفيه [English words]{lang=en}.

::: {lang=en}
An English paragraph.
:::

## English heading {lang=en}
"""

BIB = "@book{smith, author = {Smith, John}, title = {Alpha}, publisher = {P}, year = {2001}}\n"


def test_an_arabic_paper_runs_right_to_left_in_every_format(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"paper.md": ARABIC}, BIB)
    result = doit(root, "journal=article")
    assert result.returncode == 0, result.stderr
    out = root / "build" / "article"

    page = lxml_html.fromstring((out / "paper.html").read_bytes())
    assert (page.get("lang"), page.get("dir")) == ("ar", "rtl")
    summaries = {s.get("lang"): s.get("dir") for s in page.find_class("summary")}
    assert summaries == {"ar": None, "en": "ltr"}
    (span,) = page.xpath("//span[@lang='en']")
    assert span.get("dir") == "ltr"
    div, entry = page.xpath("//div[@lang='en']")  # the English paragraph, the English work
    assert div.get("dir") == "ltr" and entry.get("dir") == "ltr"
    assert entry.get("id") == "ref-smith"

    paragraphs = docx.Document(str(out / "paper.docx")).paragraphs
    right_to_left = {
        p.text: p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None
        for p in paragraphs
        if p.text.strip()
    }
    assert right_to_left["عنوان المقال"]
    assert right_to_left["مقدمة"]
    assert not right_to_left["An English paragraph."]
    assert not next(v for k, v in right_to_left.items() if "The English abstract" in k)

    text = "".join(page.extract_text() for page in pypdf.PdfReader(out / "paper.pdf").pages)
    assert "مقدمة" in text and "An English paragraph." in text


def test_an_english_paper_says_no_direction(tmp_path: Path) -> None:
    text = "---\ntitle: T\nauthor: [A]\nlang: en\nabstract: A.\n---\n\nText [@smith].\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    result = doit(root, "journal=article", "html")
    assert result.returncode == 0, result.stderr
    page = lxml_html.fromstring((root / "build" / "article" / "paper.html").read_bytes())
    assert page.get("dir") is None and not page.xpath("//*[@dir]")


def starts(pdf: Path) -> dict[str, float]:
    """Where each line's first text run starts, from the left edge of the page (in points)."""
    found: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found.setdefault(text.strip(), tm[4] * cm[0] + cm[4])

    pypdf.PdfReader(pdf).pages[0].extract_text(visitor_text=visit)
    return found


def test_a_paragraph_is_set_flush_to_its_own_directions_start_in_the_pdf(tmp_path: Path) -> None:
    """Typst aligns a paragraph to the start of the page's direction: a Hebrew paragraph in an
    English paper, or one marked `dir=rtl`, must start at the right margin, an English one in
    an Arabic paper (and its English abstract) at the left."""
    english = (
        "---\ntitle: T\nauthor: [A]\nlang: en\nabstract: An abstract.\n---\n\n"
        "A short paragraph.\n\n::: {lang=he}\nשלום עולם\n:::\n\n"
        "::: {dir=rtl}\nMarked right to left.\n:::\n"
    )
    root = make_project(tmp_path / "en", {"paper.md": english}, BIB)
    assert doit(root, "journal=article", "pdf").returncode == 0
    at = starts(root / "build" / "article" / "paper.pdf")
    assert at["A short paragraph."] < 100
    assert min(x for text, x in at.items() if text in ("שלום", "עולם")) > 300
    assert at["Marked right to left"] > 300

    root = make_project(tmp_path / "ar", {"paper.md": ARABIC}, BIB)
    assert doit(root, "journal=article", "pdf").returncode == 0
    at = starts(root / "build" / "article" / "paper.pdf")
    assert at["An English paragraph."] < 100
    assert at["Abstract."] < 100
    assert at["English heading"] < 100  # it was set flush right


@pytest.mark.parametrize("front", ["lang: ckb", "lang: uz-Arab", "lang: en\ndir: rtl"])
def test_a_page_typst_would_set_left_to_right_runs_right_to_left(
    tmp_path: Path, front: str
) -> None:
    """Typst knows the direction of fewer languages than CLDR, and none from a script subtag
    or pandoc's `dir`: the page is told it."""
    text = f"---\ntitle: T\nauthor: [A]\n{front}\n---\n\nShort line.\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    assert doit(root, "journal=article", "pdf").returncode == 0
    at = starts(root / "build" / "article" / "paper.pdf")
    assert at["Short line"] > 300  # the full stop, at its left, is a run of its own


def test_an_english_work_in_a_hebrew_papers_list_runs_left_to_right(tmp_path: Path) -> None:
    """Its full stop was set at the left, and the PDF set it flush right: the entry had neither
    a language nor a way of its own."""
    text = "---\ntitle: מאמר\nlang: he\n---\n\nטקסט [@smith; @cohen].\n"
    bib = BIB + (
        "@book{cohen, author = {כהן, דוד}, title = {ספר}, publisher = {הוצאה}, year = {2010}}\n"
    )
    root = make_project(tmp_path, {"paper.md": text}, bib)
    assert doit(root).returncode == 0
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    (english,) = page.xpath("//div[@id='ref-smith']")
    (hebrew,) = page.xpath("//div[@id='ref-cohen']")
    assert (english.get("lang"), english.get("dir")) == ("en", "ltr")
    assert hebrew.get("dir") is None  # the paper's own way
    at = starts(root / "build" / "paper.pdf")
    assert at["Smith, John. 2001."] < 100  # at the left margin
