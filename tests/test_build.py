"""The sample paper builds with one command; its PDF, DOCX and HTML say what the author wrote."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
import typst
from docx.oxml.ns import qn
from lxml import html as lxml_html

from conftest import PNG, doit, embedded_fonts, libreoffice_text, make_project, pdf_images

KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
REFERENCES_TITLE = "Пайдаланылған әдебиеттер тізімі"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_doit_writes_the_three_formats(sample: Path) -> None:
    for name in ("paper.pdf", "paper.docx", "paper.html"):
        assert (sample / "build" / name).stat().st_size > 1000


def test_pdf_has_kazakh_text_citations_and_six_references(sample: Path) -> None:
    text = pdf_text(sample / "build" / "paper.pdf")
    source = (sample / "manuscript" / "paper.md").read_text(encoding="utf-8")
    used = {letter for letter in KAZAKH_LETTERS if letter in source}
    assert len(used) >= 8
    assert {letter for letter in used if letter in text} == used
    for number in range(1, 7):
        assert f"[{number}]" in text
    references, transliterated = text.split(REFERENCES_TITLE, 1)[1].split("\nReferences\n")
    for listing in (references, transliterated):
        numbers = re.findall(r"^\s*(\d+)\.", listing, flags=re.MULTILINE)
        assert numbers == ["1", "2", "3", "4", "5", "6"]
    assert "Мироненко М. Б." in references
    assert "Mironenko M. B." in transliterated  # kz-journal's second list, for Scopus


def test_every_kazakh_letter_extracts_from_pdf_and_html(tmp_path: Path) -> None:
    words = "Әліпби: әже, ғалым, қала, аң, өмір, ұл, үй, һәм, іні; ӘҒҚҢӨҰҮҺІ."
    root = make_project(
        tmp_path / "paper", {"paper.md": f"---\nlang: kk\ntitle: Әріптер\n---\n\n{words}\n"}
    )
    result = doit(root, "pdf", "html")
    assert result.returncode == 0, result.stderr
    text = pdf_text(root / "build" / "paper.pdf")
    assert words in " ".join(text.split())
    assert words in (root / "build" / "paper.html").read_text(encoding="utf-8")


def test_pdf_embeds_every_font(sample: Path) -> None:
    fonts = embedded_fonts(sample / "build" / "paper.pdf")
    assert fonts and all(fonts.values()), fonts
    assert any("Libertinus" in name for name in fonts)


def test_pdf_fonts_embedded_per_pdffonts(sample: Path) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdffonts", str(sample / "build" / "paper.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = out.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), out


def test_docx_has_front_matter_body_and_references(sample: Path) -> None:
    document = docx.Document(sample / "build" / "paper.docx")
    texts = [p.text for p in document.paragraphs]
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Abstract", "Keywords", "Heading 2"} <= styles
    assert any(t.startswith("Аңдатпа.") for t in texts)
    assert any(t.startswith("Аннотация.") for t in texts)
    assert any(t.startswith("Abstract.") for t in texts)
    assert REFERENCES_TITLE in texts
    references = texts[texts.index(REFERENCES_TITLE) + 1 : texts.index("References")]
    assert [t.split(".")[0] for t in references] == ["1", "2", "3", "4", "5", "6"]
    body = " ".join(texts)
    assert "бағалайды[1]." in body  # citations printed where the author put them
    assert len([t for t in texts if len(t) > 200]) >= 30  # the article's paragraphs
    assert document.core_properties.language == "kk-KZ"
    assert document.core_properties.title.startswith("Қазақстан Республикасында")


def test_docx_opens_in_libreoffice(sample: Path, tmp_path: Path) -> None:
    text = libreoffice_text(sample / "build" / "paper.docx", tmp_path)
    assert REFERENCES_TITLE in text
    assert "Мироненко" in text


def test_html_is_standalone_with_languages_and_linked_citations(sample: Path) -> None:
    page = lxml_html.parse(str(sample / "build" / "paper.html")).getroot()
    assert page.get("lang") == "kk-KZ"
    assert not page.xpath(
        "//link[@rel='stylesheet'] | //script[@src] | //img[not(starts-with(@src, 'data:'))]"
    )
    russian = page.xpath("//main//div[@lang='ru']")
    assert russian and "приемлемые для Казахстана" in russian[0].text_content()
    links = page.xpath("//main//a[starts-with(@href, '#ref-')]")
    assert len(links) == 7
    for link in links:
        assert page.xpath(f"//*[@id='{link.get('href')[1:]}']"), link.get("href")
    assert [a.text_content() for a in links] == ["1", "2", "3", "4", "5", "6", "6"]
    sections = {s.get("lang"): s.text_content() for s in page.xpath("//section[@class='summary']")}
    assert list(sections) == ["kk", "ru", "en"]
    assert "Түйін сөздер:" in sections["kk"] and "Ключевые слова:" in sections["ru"]
    assert page.xpath("//h1[@id='bibliography']")[0].text_content() == REFERENCES_TITLE


def test_second_run_executes_nothing(sample: Path) -> None:
    result = doit(sample)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert [line for line in lines if line.strip()] == ["-- check", "-- pdf", "-- docx", "-- html"]


def test_list_documents_every_command(sample: Path) -> None:
    listed = doit(sample, "list").stdout
    for task in ("pdf", "docx", "html"):
        assert re.search(rf"^{task}\s+\S.*build/paper\.{task}", listed, flags=re.MULTILINE)


def test_one_format_and_clean(tmp_path: Path) -> None:
    root = make_project(tmp_path / "paper", sample=True)
    assert doit(root, "html").returncode == 0
    assert (root / "build" / "paper.html").exists()
    assert not (root / "build" / "paper.pdf").exists()
    assert doit(root, "clean").returncode == 0
    left = sorted(p.name for p in (root / "build").rglob("*") if p.is_file())
    assert left == [".doit.db"]


def test_editing_the_manuscript_rebuilds(tmp_path: Path) -> None:
    root = make_project(tmp_path / "paper", sample=True)
    assert doit(root, "html").returncode == 0
    paper = root / "manuscript" / "paper.md"
    paper.write_text(
        paper.read_text(encoding="utf-8").replace("бағалайды[1].", "бағалайды[1]. Жаңа сөйлем."),
        encoding="utf-8",
    )
    result = doit(root, "html")
    assert result.stdout.split() == [".", "check", ".", "html"]
    assert "Жаңа сөйлем." in (root / "build" / "paper.html").read_text(encoding="utf-8")


NUMERIC_BIB = """
@book{alpha, author = {Alpha, A.}, title = {Alpha Book}, publisher = {P}, year = {2001}}
@book{beta, author = {Beta, B.}, title = {Beta Book}, publisher = {P}, year = {2002}}
@book{gamma, author = {Gamma, G.}, title = {Gamma Book}, publisher = {P}, year = {2003}}
"""
NUMERIC_TEXT = """---
journal: kz-journal
lang: en
title: Numbers & *letters* \\
reference-numbers: [alpha, beta, gamma]
translated-title: {kk: Сандар, ru: Числа}
author: [A. Author]
udc: '1'
irsti: '1'
abstract: {kk: А., ru: А., en: A.}
keywords: {kk: [к], ru: [к], en: [k]}
---

Text cites[1] and [2, p. 7], a note,^[Footnote cites [3].] and pandoc's own [@beta].
Code `[2]`, math $[2]$ and <https://example.org/[3]> are not citations.

| Law | Source |
|-----|--------|
| One | [1; 3] |

![Caption cites [2].](fig.png)
"""


def test_links_to_every_labelled_kind_of_element_are_links_in_the_pdf(tmp_path: Path) -> None:
    """What the check lets a link lead to (a heading, div, span, figure, table, the list and
    an entry) Typst labels: the PDF builds, each a link within it."""
    text = (
        "---\ntitle: T\n---\n\n# Method {#method}\n\n::: {#box}\nBoxed.\n:::\n\n"
        "A [span]{#sp} and [@alpha].\n\n![Cap](fig.png){#fig}\n\n| A |\n|---|\n| 1 |\n\n"
        ": Caption {#tab}\n\nLinks: [a](#method) [b](#box) [c](#sp) [d](#tab) [e](#refs) "
        "[f](#ref-alpha) [g](#fig)\n"
    )
    root = make_project(tmp_path / "p", {"paper.md": text}, NUMERIC_BIB)
    (root / "manuscript" / "fig.png").write_bytes(PNG)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    links = [
        note.get_object()
        for page in pypdf.PdfReader(root / "build" / "paper.pdf").pages
        for note in page.get("/Annots") or []
    ]
    within = [link for link in links if link.get("/Subtype") == "/Link" and "/Dest" in link]
    assert len(within) == 8  # the citation's and the seven above


def test_a_pdf_figure_is_in_the_pdf_and_said_to_be_missing_elsewhere(tmp_path: Path) -> None:
    text = (
        "---\ntitle: T\n---\n\nSee [@alpha].\n\n![A plot.](figures/a-long-folder-name/plot.pdf)\n"
        "\n![The same, simpler.](figures/a-long-folder-name/plot_(simple).pdf)\n"
    )
    root = make_project(tmp_path / "p", {"paper.md": text}, NUMERIC_BIB)
    for name, color in (("plot.pdf", "red"), ("plot_(simple).pdf", "blue")):
        figure = root / "manuscript" / "figures" / "a-long-folder-name" / name
        figure.parent.mkdir(parents=True, exist_ok=True)
        figure.write_bytes(
            typst.compile(f"#set page(width: 40pt, height: 40pt)\n#rect(fill: {color})".encode())
        )
    result = doit(root)
    assert result.returncode == 0, result.stderr
    said = "is a PDF: the PDF shows it, Word and web browsers show nothing in its place; export "
    said += "it as SVG or PNG as well, and refer to that"
    for place, name in (("7:12", "plot.pdf"), ("9:23", "plot_(simple).pdf")):
        assert (
            f"manuscript/paper.md:{place}: warning: figure 'figures/a-long-folder-name/{name}' "
            + said
        ) in result.stderr.splitlines()
    # Typst places a PDF figure as a form (its drawing), not as an image.
    forms = [
        xobject.get_object()["/Subtype"]
        for page in pypdf.PdfReader(root / "build" / "paper.pdf").pages
        for xobject in (page["/Resources"].get("/XObject") or {}).values()
    ]
    assert forms == ["/Form", "/Form"]


def test_pandoc_says_nothing_the_check_says_better(tmp_path: Path) -> None:
    """A repeated identifier and a repeated field are the check's to place; an SVG figure
    without rsvg-convert is kept as SVG in the DOCX, which Word shows: no pandoc line."""
    text = (
        "---\ntitle: T\ntitle: U\n---\n\nSee [@alpha].\n\n![A.](fig.svg)\n\n"
        "# One {#x}\n\n# Two {#x}\n"
    )
    root = make_project(tmp_path / "p", {"paper.md": text}, NUMERIC_BIB)
    (root / "manuscript" / "fig.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>', encoding="utf-8"
    )
    result = doit(root, "check")
    assert "pandoc:" not in result.stderr
    assert [line.split(": ")[0] for line in result.stderr.splitlines()[:2]] == [
        "manuscript/paper.md:3:1",
        "manuscript/paper.md:12:7",
    ]
    (root / "manuscript" / "paper.md").write_text(text.replace("{#x}", ""), encoding="utf-8")
    result = doit(root)
    assert result.returncode == 0, result.stderr
    assert "pandoc:" not in result.stderr
    assert any(
        n.endswith(".svg") for n in zipfile.ZipFile(root / "build" / "paper.docx").namelist()
    )


def test_numeric_citations_everywhere_in_every_format(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"paper.md": NUMERIC_TEXT}, NUMERIC_BIB)
    (root / "manuscript" / "fig.png").write_bytes(PNG)
    result = doit(root)
    assert result.returncode == 0, result.stderr

    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert page.xpath("//title")[0].text == "Numbers & letters \\"
    assert page.xpath("//h1[@class='title']/em")[0].text == "letters"
    cites = {
        " ".join(span.text_content().split()): span.get("data-cites")
        for span in page.xpath("//span[@class='citation']")
    }
    assert cites == {
        "[1]": "alpha",
        "[2, p. 7]": "beta",
        "[3]": "gamma",
        "[2]": "beta",
        "[1,3]": "alpha gamma",  # the GOST style joins numbers with ","
    }
    assert page.xpath("//td//span[@class='citation']")  # table cell
    assert page.xpath("//figcaption//span[@class='citation']")  # caption
    assert page.xpath(
        "//*[@role='doc-endnotes' or contains(@class, 'footnotes')]//span[@class='citation']"
    )
    for code in page.xpath("//code"):
        assert code.text_content() == "[2]"

    text = " ".join(pdf_text(root / "build" / "paper.pdf").split())
    assert "Text cites[1] and [2, p. 7]" in text
    assert "Caption cites [2]." in text
    docx_text = " ".join(p.text for p in docx.Document(root / "build" / "paper.docx").paragraphs)
    assert "Text cites[1] and [2, p. 7]" in docx_text


def test_a_replaced_figure_is_embedded_afresh(tmp_path: Path) -> None:
    text = "---\ntitle: T\n---\n\n# One\n\n![A figure.](fig.png)\n"
    root = make_project(tmp_path / "p", {"paper.md": text})
    figure = root / "manuscript" / "fig.png"

    def embedded() -> str:
        result = doit(root, "html")
        assert result.returncode == 0, result.stderr
        page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
        return page.xpath("//img")[0].get("src")

    figure.write_bytes(PNG)
    first = embedded()
    figure.write_bytes(typst.compile(b"#set page(width: 9pt, height: 5pt)", format="png"))
    second = embedded()
    assert first.startswith("data:image/png;base64,") and second != first


SCRIPTED = """---
title: "Title [t]{onclick=steal()}"
---

# One

<div onclick="alert(1)">
A pasted div.
</div>

Text <span onmouseover="alert(2)">hovered</span> and [spanned]{onfocus=x()},
[a link](javascript:alert(3)), ![a figure](fig.png){onerror=alert(4)} and <b>bold</b> pasted,
[c1](&#1;javascript:alert(5)), [c2](VBScript:alert(6)),
[page](data:text/html;base64,PHNjcmlwdD4=) and [picture](data:image/png;base64,iVBORw0K).

# Two {onclick=y}
"""


def test_nothing_in_the_html_runs_script(tmp_path: Path) -> None:
    """Pasted HTML and Markdown's attributes can both carry script: the page keeps the text
    and drops the handlers, the javascript: link and the raw tags, saying so in the check."""
    root = make_project(tmp_path / "p", {"paper.md": SCRIPTED})
    (root / "manuscript" / "fig.png").write_bytes(PNG)
    result = doit(root)
    assert result.returncode == 0, result.stderr + result.stdout
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    handlers = [(e.tag, a) for e in page.iter() for a in e.attrib if a.lower().startswith("on")]
    assert handlers == []
    assert page.xpath("//@href") == ["data:image/png;base64,iVBORw0K"]
    assert page.xpath("//b") == []
    assert page.xpath("//script/@type") == ["application/ld+json"]  # data, not code
    body = " ".join(page.text_content().split())
    assert "hovered and spanned, a link," in body and "Title t" in body
    assert "c1, c2, page and picture." in body
    lines = result.stderr.splitlines()
    assert any(
        line.startswith("manuscript/paper.md:2:")
        and "10 scripts left out" in line
        and 'onclick="steal()"' in line
        for line in lines
    ), result.stderr
    assert any(
        line.startswith("manuscript/paper.md:12:75: warning: 2 raw HTML passages") for line in lines
    ), result.stderr
    docx_text = " ".join(p.text for p in docx.Document(root / "build" / "paper.docx").paragraphs)
    assert "alert" not in docx_text and "javascript" not in docx_text


def test_a_figure_given_as_a_data_url_reaches_every_format(tmp_path: Path) -> None:
    """pandoc writes a data: URL for Typst as `image.decode`, which Typst no longer has: the
    PDF gets the bytes as a file of the build's instead."""
    png = typst.compile(b"#set page(width: 4pt, height: 4pt, fill: red)", format="png")
    # Any case, and the padding left off, as browsers take it.
    url = "data:image/png;BASE64," + base64.b64encode(png).decode("ascii").rstrip("=")
    text = f"---\ntitle: T\n---\n\n# One\n\n![A figure.]({url})\n"
    root = make_project(tmp_path / "p", {"paper.md": text})
    result = doit(root)
    assert result.returncode == 0, result.stderr + result.stdout
    assert pdf_images(root / "build" / "paper.pdf") == 1
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert page.xpath("//img")[0].get("src") == url
    assert len(docx.Document(root / "build" / "paper.docx").inline_shapes) == 1


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("data:image/png;base64,abcde", "is a data: URL that does not decode"),
        ("data:image/png;base64,iVBORw0K", "is a data: URL not a PNG, JPEG, GIF, WebP or SVG"),
        ("data:text/plain,hello", "is a data: URL of type text/plain; a figure is a PNG"),
    ],
    ids=["not-base64", "cut-short", "not-a-picture"],
)
def test_a_data_url_that_is_no_picture_is_a_clear_error(
    tmp_path: Path, url: str, said: str
) -> None:
    """Said by the check, in the author's file: Typst would say it of build/paper.typ."""
    text = f"---\ntitle: T\n---\n\n# One\n\n![A figure.]({url})\n"
    root = make_project(tmp_path / "p", {"paper.md": text})
    result = doit(root, "pdf")
    assert result.returncode != 0
    assert "manuscript/paper.md:7:14: error: figure 'data:" in result.stderr
    assert said in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (root / "build" / "paper.pdf").exists()


@pytest.mark.parametrize(
    ("args", "workers"),
    [
        ([], 3),  # the three formats, side by side
        (["html", "pdf"], 3),
        (["submission"], 3),
        (["html"], 0),  # check, _cite and html depend on one another: nothing to run beside
        (["journal=ieee", "pdf"], 0),
        (["run", "check", "strict=1"], 0),
    ],
)
def test_workers_only_where_tasks_can_run_side_by_side(args: list[str], workers: int) -> None:
    from paperbuild import tasks

    if (os.cpu_count() or 1) == 1:
        pytest.skip("one core: one process whatever is asked")
    assert tasks._processes(args) == workers


def test_writers_run_as_threads_for_a_paper_and_as_processes_for_a_book(tmp_path: Path) -> None:
    """Threads share the start-up a paper's build mostly is; a book's writers each hold its AST,
    which three threads of one process would hold at once."""
    from paperbuild import tasks

    paper = make_project(tmp_path / "paper", {"paper.md": "---\ntitle: T\n---\n\nText.\n"})
    assert tasks._worker_type(paper) == "thread"
    chapter = "Text of a long chapter. " * (tasks.THREADS_UP_TO // 40)
    book = make_project(tmp_path / "book", {"01.md": "# One\n\n" + chapter, "02.md": chapter})
    assert tasks._worker_type(book) == "process"
    assert tasks._worker_type(tmp_path / "nothing-here") == "thread"


@pytest.mark.parametrize(
    ("args", "ahead"),
    [
        ([], ["html", "docx", "pdf"]),  # a paper: the writers are threads of this process
        (["html"], ["html"]),  # in line, in this process
        (["submission"], ["html", "docx", "pdf"]),
        (["check"], []),
        (["diff", "rev=v1"], []),
    ],
)
def test_the_check_loads_the_modules_of_the_writers_that_follow_in_its_process(
    tmp_path: Path, args: list[str], ahead: list[str]
) -> None:
    from paperbuild import tasks

    paper = make_project(tmp_path / "paper", {"paper.md": "---\ntitle: T\n---\n\nText.\n"})
    assert tasks._writers_ahead(args, paper) == ahead


def test_a_book_loads_nothing_ahead_its_writers_run_in_processes_of_their_own(
    tmp_path: Path,
) -> None:
    from paperbuild import tasks

    if (os.cpu_count() or 1) == 1:
        pytest.skip("one core: one process whatever is asked")
    chapter = "Text of a long chapter. " * (tasks.THREADS_UP_TO // 20)
    book = make_project(tmp_path / "book", {"01.md": "# One\n\n" + chapter})
    assert tasks._writers_ahead([], book) == []
    assert tasks._writers_ahead(["pdf"], book) == ["pdf"]  # one task: in line, in this process


def test_a_new_figure_rebuilds_every_format_side_by_side(tmp_path: Path) -> None:
    """The figure is the check's and the writers' dependency, not citeproc's: the three
    writers start together, as threads, each waiting for what the check loaded for them."""
    text = "---\ntitle: T\n---\n\n# One\n\n![A figure.](fig.png)\n"
    root = make_project(tmp_path / "p", {"paper.md": text})
    figure = root / "manuscript" / "fig.png"
    figure.write_bytes(PNG)
    assert doit(root).returncode == 0
    before = {f: (root / "build" / f"paper.{f}").read_bytes() for f in ("html", "docx", "pdf")}
    figure.write_bytes(typst.compile(b"#set page(width: 9pt, height: 5pt)", format="png"))
    result = doit(root)
    assert result.returncode == 0, result.stderr
    ran = [line.split()[-1] for line in result.stdout.splitlines() if line.startswith(". ")]
    assert "_cite" not in ran and {"pdf", "docx", "html"} <= set(ran)
    for fmt, old in before.items():
        assert (root / "build" / f"paper.{fmt}").read_bytes() != old, fmt


def test_a_partial_both_layouts_include_is_escaped_for_html_only(tmp_path: Path) -> None:
    """Compiled templates are kept between builds; the compiled code holds the escaping, so the
    HTML and the Typst layouts must not share what they kept."""
    root = make_project(tmp_path / "p", {"paper.md": "---\ntitle: T\n---\n\nText.\n"})
    article = root / "templates" / "article"
    (article / "probe.j2").write_text('{{ "R&D" }}\n', encoding="utf-8")
    for name in ("html.j2", "typst.j2"):
        (article / name).write_text('{% include "probe.j2" %}', encoding="utf-8")
    assert doit(root, "pdf").returncode == 0  # the Typst layout compiles the partial first
    assert doit(root, "html").returncode == 0
    assert (root / "build" / "paper.typ").read_text(encoding="utf-8").strip() == "R&D"
    assert (root / "build" / "paper.html").read_text(encoding="utf-8").strip() == "R&amp;D"


def test_a_cached_chapter_ast_damaged_on_disk_is_parsed_again(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"paper.md": "---\ntitle: T\n---\n\nText.\n"})
    assert doit(root, "check").returncode == 0
    cache = root / "build" / ".cache"
    for ast in (cache / "chapters").glob("*.json"):
        if not ast.name.endswith(".outline.json"):
            ast.write_bytes(ast.read_bytes()[:20])  # cut short; its outline is whole
    shutil.rmtree(cache / "citations")  # so the check needs the chapter's own AST
    result = doit(root, "check")  # named, the check runs
    assert result.returncode == 0, result.stderr
    assert doit(root, "html").returncode == 0
    assert "Text." in (root / "build" / "paper.html").read_text(encoding="utf-8")


def test_the_docx_holds_each_figure_once(tmp_path: Path) -> None:
    """Figures reach pandoc's DOCX writer as data: URLs, which it also wrote as the picture's
    description: the whole image again, as base64 text."""
    png = typst.compile(b"#set page(width: 40pt, height: 40pt, fill: red)", format="png")
    text = "---\ntitle: T\n---\n\n![A red square.](fig.png)\n\n![](fig.png)\n"
    root = make_project(tmp_path / "p", {"paper.md": text})
    (root / "manuscript" / "fig.png").write_bytes(png)
    result = doit(root, "docx")
    assert result.returncode == 0, result.stderr + result.stdout
    with zipfile.ZipFile(root / "build" / "paper.docx") as package:
        document = package.read("word/document.xml")
    assert b"data:" not in document and b"base64" not in document
    body = docx.Document(str(root / "build" / "paper.docx")).element.body
    assert [e.get("descr") for e in body.iter(qn("wp:docPr"))] == ["A red square.", ""]


def test_a_lang_left_empty_is_the_default_without_a_word_from_pandoc(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"paper.md": "---\ntitle: T\nlang:\n---\n\nText.\n"})
    result = doit(root)
    assert result.returncode == 0 and result.stderr == ""
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert page.get("lang") == "en-US"
