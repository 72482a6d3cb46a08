"""citeproc runs over the citations alone, then puts them back: the result must be exactly what
citeproc gives over the whole document, wherever the citations and the list are."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn
from lxml import html as lxml_html

from paperbuild import steps, styles

from conftest import PNG, doit, make_project

BIB = r"""
@book{smith, author = {Smith, John}, title = {Alpha}, publisher = {P}, year = {2001}}
@book{doe, author = {Doe, Jane}, title = {Beta}, publisher = {P}, year = {2002}}
@article{roe, author = {Roe, Richard}, title = {Gamma}, journal = {J}, year = {2003}}
@book{poe, author = {Poe, Edgar}, title = {Delta}, publisher = {P}, year = {2004}}
"""

BODY = """
# Introduction

As @smith argues [see also @doe, p. 4; @roe].[^1] Tables cite too.

| Work | Note |
|------|------|
| x    | [@poe] |

: Sources [@roe]

[^1]: A note citing [@doe, chap. 2] and [@smith].
"""

CASES = {
    "plain": ("", BODY),
    "heading at the end": ("", BODY + "\n# References\n"),
    "list placed by the author": (
        "",
        BODY + "\n::: {#refs}\n## Sources\n:::\n\n# Appendix\n\nAfter the list [@poe].\n",
    ),
    "titled": ("reference-section-title: Works cited\n", BODY),
    "suppressed": ("suppress-bibliography: true\n", BODY),
    "metadata cites and nocite": ("abstract: As in [@roe].\nnocite: '@poe'\n", "Text [@doe].\n"),
    "no citations": ("nocite: '@*'\n", "Only text.\n"),
    # A citation ending in a period before the sentence's: one period, not "ff..".
    "a locator's period": ("", "As before [@smith, 57 ff.]. And [@doe, 3 ff.], then.\n"),
}


def _cite(root: Path, journal: str | None) -> dict:
    out = root / "build" / (journal or "")
    assert steps.check(str(root), journal, False, False) is None
    assert steps.run("cite", str(root), journal) is None
    return json.loads((out / "paper.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("journal", [None, "ieee", "apa"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_citations_alone_give_what_the_whole_document_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, journal: str | None
) -> None:
    extra, body = CASES[case]
    abstract = "" if "abstract:" in extra else "abstract: A.\n"
    text = f"---\ntitle: T\nauthor: [A. Author]\nlang: en-US\n{abstract}{extra}---\n{body}"
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    fast = _cite(root, journal)
    shutil.rmtree(root / "build")
    # A note style gets the whole document: the reference result.
    monkeypatch.setattr(styles, "citation_format", lambda profile: "note")
    whole = _cite(root, journal)
    assert fast == whole
    refs = [b for b in json.dumps(fast["blocks"]).split('"t"') if '"ref-' in b]
    assert bool(refs) == (case != "suppressed")


def built(tmp_path: Path, text: str, *args: str) -> Path:
    """A project of one chapter, `text`, with BIB, built by `doit *args`: it must succeed."""
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    result = doit(root, *args)
    assert result.returncode == 0, result.stderr
    return root


def test_the_abstracts_citations_are_numbered_first_in_every_output(tmp_path: Path) -> None:
    """IEEE numbers by first citation, and citeproc reads the front matter first: the
    abstract's hand-numbered [2] (roe) becomes [1] there and in the text, in all formats."""
    text = (
        "---\ntitle: T\nauthor: [A. Author]\nlang: en-US\nabstract: Extends the report [2].\n"
        "reference-numbers: [smith, roe]\n---\n\n# Intro\n\nThe report [2] and the book [1].\n"
    )
    root = built(tmp_path, text, "journal=ieee")
    out = root / "build" / "ieee"
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(out / "paper.pdf").pages)
    paragraphs = "\n".join(p.text for p in docx.Document(str(out / "paper.docx")).paragraphs)
    page = lxml_html.fromstring((out / "paper.html").read_text(encoding="utf-8"))
    for written in (" ".join(pdf.split()), paragraphs, " ".join(page.text_content().split())):
        assert "Extends the report [1]" in written
        assert "The report [1] and the book [2]" in written
        assert written.index("Gamma") < written.index("Alpha")  # roe's entry first


def test_numbers_in_an_abstract_given_per_language_are_citations(tmp_path: Path) -> None:
    """kz-journal's form, `abstract: {kk: …, en: …}`: its hand numbers were left as text,
    unchecked, and the work they cite called never cited."""
    text = (
        "---\ntitle: T\nauthor: [A. Author]\nlang: en-US\n"
        "abstract: {en: 'Extends the report [2].', ru: 'Развивает доклад [2].'}\n"
        "reference-numbers: [smith, roe]\n---\n\n# Intro\n\nThe book [1].\n"
    )
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    result = doit(root, "journal=ieee", "html")
    assert result.returncode == 0, result.stderr
    assert "'roe' is never cited" not in result.stderr
    page = lxml_html.fromstring((root / "build" / "ieee" / "paper.html").read_bytes())
    abstracts = [" ".join(a.text_content().split()) for a in page.find_class("abstract")]
    assert abstracts == ["Abstract. Extends the report [1].", "Аннотация. Развивает доклад [1]."]
    assert "The book [2]" in " ".join(page.text_content().split())


def test_the_subtitle_is_printed_under_the_title_in_every_format(tmp_path: Path) -> None:
    """pandoc's `subtitle`, citation and all: it was read and numbered, but printed nowhere."""
    text = (
        "---\ntitle: Main Title\nsubtitle: A Reply to [@roe]\nauthor: [A. Author]\n"
        "lang: en-US\nabstract: A.\n---\n\nThe book [@smith].\n"
    )
    root = built(tmp_path, text, "journal=ieee")
    out = root / "build" / "ieee"
    page = lxml_html.fromstring((out / "paper.html").read_text(encoding="utf-8"))
    (subtitle,) = page.find_class("subtitle")
    assert " ".join(subtitle.text_content().split()) == "A Reply to [1]"
    paragraphs = docx.Document(str(out / "paper.docx")).paragraphs
    styled = [(p.style.name, p.text) for p in paragraphs[:3]]
    assert ("Subtitle", "A Reply to [1]") in styled
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(out / "paper.pdf").pages)
    assert pdf.index("Main Title") < pdf.index("A Reply to [1]") < pdf.index("The book [2]")


@pytest.mark.parametrize(("journal", "printed"), [("apa", "word (Roe, 2003)"), ("ieee", "word[1]")])
def test_a_number_glued_to_its_word_is_spaced_only_where_the_style_needs_it(
    tmp_path: Path, journal: str, printed: str
) -> None:
    text = (
        "---\ntitle: T\nauthor: [A. Author]\nlang: en-US\nabstract: A.\n"
        "reference-numbers: [roe]\n---\n\nA word[1] here.\n"
    )
    root = built(tmp_path, text, f"journal={journal}", "html")
    page = lxml_html.fromstring((root / "build" / journal / "paper.html").read_bytes())
    assert f"A {printed} here." in " ".join(page.text_content().split())


def test_a_figures_description_shows_the_number_its_caption_prints(tmp_path: Path) -> None:
    """The caption's hand-numbered [2] is cited first, so IEEE prints [1]; the image's
    description (HTML alt, DOCX descr) is the caption again and must say [1] too."""
    text = (
        "---\ntitle: T\nauthor: [A. Author]\nlang: en-US\nabstract: A.\n"
        "reference-numbers: [smith, roe]\n---\n\n![Data from [2]](fig.png)\n\n"
        "The book [1].\n"
    )
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    (root / "manuscript" / "fig.png").write_bytes(PNG)
    result = doit(root, "journal=ieee", "html", "docx")
    assert result.returncode == 0, result.stderr
    out = root / "build" / "ieee"
    page = lxml_html.fromstring((out / "paper.html").read_text(encoding="utf-8"))
    (figure,) = page.iter("figure")
    caption = " ".join(figure.find(".//figcaption").text_content().split())
    assert caption == "Figure 1: Data from [1]"
    assert figure.find(".//img").get("alt") == "Data from [1]"  # the number is the caption's
    body = docx.Document(str(out / "paper.docx")).element.body
    described = [e.get("descr") for e in body.iter(qn("wp:docPr"))]
    assert described == ["Data from [1]"]


def test_a_note_style_makes_footnotes_of_citations(tmp_path: Path) -> None:
    # A cross-reference is a key citeproc does not find: its link must not point at nothing.
    text = f"---\ntitle: T\n---\n{BODY}\nSee [@fig:map].\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    profile = root / "templates" / "notes" / "profile.yaml"
    shutil.copytree(root / "templates" / "article", profile.parent)
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("chicago-author-date", "chicago-notes-bibliography"), "utf-8")
    doc = _cite(root, "notes")
    paragraph = json.dumps(doc["blocks"][1], ensure_ascii=False)
    assert '"t": "Note"' in paragraph and "Smith" in paragraph
    assert "#ref-fig:map" not in json.dumps(doc)


def test_an_author_placed_list_keeps_its_heading_and_place(tmp_path: Path) -> None:
    _, body = CASES["list placed by the author"]
    root = make_project(tmp_path / "p", {"paper.md": f"---\ntitle: T\n---\n{body}"}, BIB)
    doc = _cite(root, None)
    kinds = [(b["t"], b["c"][0][0] if b["t"] == "Div" else None) for b in doc["blocks"]]
    refs = kinds.index(("Div", "refs"))
    assert doc["blocks"][refs]["c"][1][0]["t"] == "Header"  # "## Sources" stays first
    assert [k for k, _ in kinds[refs + 1 :]] == ["Header", "Para"]  # the appendix follows
    entries = [e["c"][0][0] for e in doc["blocks"][refs]["c"][1] if e["t"] == "Div"]
    assert sorted(entries) == ["ref-doe", "ref-poe", "ref-roe", "ref-smith"]


def test_citeproc_is_not_run_again_for_an_edit_of_the_text_alone(tmp_path: Path) -> None:
    chapter = tmp_path / "p" / "manuscript" / "paper.md"
    root = make_project(tmp_path / "p", {"paper.md": f"---\ntitle: T\n---\n{BODY}"}, BIB)
    cache = root / "build" / ".cache" / "citeproc"
    _cite(root, None)
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert before
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA new sentence.\n", "utf-8")
    doc = _cite(root, None)
    assert "sentence." in json.dumps(doc, ensure_ascii=False)
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before

    # A new citation is formatted afresh, and the result it replaces is not kept.
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nMore [@poe, p. 9].\n", "utf-8")
    doc = _cite(root, None)
    assert "9" in json.dumps(doc["blocks"][-3], ensure_ascii=False)
    after = {p.name for p in cache.iterdir()}
    assert len(after) == len(before) and after != set(before)


def test_the_transliterated_list_follows_an_edited_entry(tmp_path: Path) -> None:
    from conftest import kz_front_matter

    bib = "@book{a, author = {Иванов, Иван}, title = {Мемлекет}, publisher = {Ғылым}, year = 2001}"
    text = f"---\n{kz_front_matter()}reference-numbers: [a]\n---\n\nМәтін [1].\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, bib)
    first = json.dumps(_cite(root, None), ensure_ascii=False)
    assert "vanov" in first
    (root / "bibliography" / "references.bib").write_text(
        bib.replace("Иванов", "Петров"), encoding="utf-8"
    )
    second = json.dumps(_cite(root, None), ensure_ascii=False)
    assert "Petrov" in second and "vanov" not in second


def test_a_warm_check_reads_what_a_cold_one_does(tmp_path: Path) -> None:
    """The check keeps each chapter's citations by content: warm, after an edit, it must give
    exactly the report and document a check from nothing gives."""
    chapters = {
        "01-intro.md": "---\ntitle: T\nreference-numbers: [smith, doe, roe]\n---\n\n"
        "# One\n\nFirst [1], then [2, p. 4].[^a]\n\n[^a]: In a note [3].\n",
        "02-body.md": "# Two\n\nAgain [1; 3] and [@doe] and [@method:poe].\n",
        "03-end.md": "# Three\n\nLast [2].\n",
    }
    root = make_project(tmp_path / "p", chapters, BIB)
    build = root / "build"

    def outputs() -> tuple[str, str]:
        assert steps.check(str(root), None, False, False) is None
        return (build / "check.json").read_text("utf-8"), (build / "paper.checked.json").read_text(
            "utf-8"
        )

    cold = outputs()
    assert outputs() == cold  # from the cache
    body = root / "manuscript" / "02-body.md"
    body.write_text("# Two\n\nNew first line.\n\n" + body.read_text("utf-8")[7:], "utf-8")
    warm = outputs()
    shutil.rmtree(build)
    assert warm == outputs()
    assert '"line": 5' in warm[0]  # the citations of chapter two moved down two lines


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_checks_handoff_gives_what_the_file_gives(tmp_path: Path, case: str) -> None:
    """In one process the check hands citeproc its document and where the citations are (from
    its cache too, after an edit); read from the file instead, the result is the same."""
    from paperbuild import handoff

    extra, body = CASES[case]
    chapters = {
        "01.md": f"---\ntitle: T\nlang: en-US\n{extra}---\n{body}",
        "02.md": "# More\n\nA second file cites [@roe] and [@smith, p. 2].\n",
    }
    root = make_project(tmp_path / "p", chapters, BIB)
    _cite(root, None)  # fills the check's caches
    second = root / "manuscript" / "02.md"
    second.write_text(second.read_text("utf-8") + "\nEdited [@doe].\n", "utf-8")
    handed = _cite(root, None)  # chapter one from the cache, two afresh, handed over
    assert steps.check(str(root), None, False, False) is None
    handoff._held.clear()
    assert steps.run("cite", str(root), None) is None
    read = json.loads((root / "build" / "paper.json").read_text(encoding="utf-8"))
    assert handed == read


def test_the_collector_runs_rarely_in_the_check_and_citeproc_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from paperbuild import check, citing

    root = make_project(tmp_path / "p", {"paper.md": f"---\ntitle: T\n---\n{BODY}"}, BIB)
    seen = []
    for module, name in ((check, "run"), (citing, "cite")):
        original = getattr(module, name)

        def spy(*args: object, _original=original, **kwargs: object) -> object:
            seen.append(gc.get_threshold()[0])
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    default = gc.get_threshold()
    _cite(root, None)
    assert seen == [200_000, 200_000]
    assert gc.get_threshold() == default  # the writers that follow keep it


def test_what_reads_as_a_citation_in_an_authors_name_or_affiliation_prints_as_written(
    tmp_path: Path,
) -> None:
    """citeproc formatted it, linked to a reference that is not there: Typst stopped on the link
    (naming build/paper.typ), and the HTML and DOCX said "(nosuchkey?)"."""
    text = (
        "---\ntitle: T\nauthor:\n  - name: A. Author [@nosuchkey]\n    affiliation: Lab @smith\n"
        "---\n\nText [@doe].\n"
    )
    root = built(tmp_path, text)
    pdf = pypdf.PdfReader(root / "build" / "paper.pdf").pages[0].extract_text()
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    paragraphs = [p.text for p in docx.Document(str(root / "build" / "paper.docx")).paragraphs]
    for shown in ("A. Author [@nosuchkey]", "Lab @smith"):
        assert shown in pdf and shown in paragraphs and shown in page.text_content()
    assert not page.xpath("//header//a[starts-with(@href, '#ref-')]")


@pytest.mark.parametrize(
    ("lang", "written"),
    [("pt-BR", "pp. 3-5"), ("kk", "б. 3-5"), ("en", "pp. 3-5"), ("ru", "с. 3-5")],
)
def test_a_page_label_in_any_of_our_languages_is_the_styles_page(
    tmp_path: Path, lang: str, written: str
) -> None:
    """pandoc reads a label only in the document's language: in a Portuguese paper IEEE printed
    "[1], pp. 3-5", the label and hyphen as typed, where `[1, pp. 3-5]` gave "[1, p. 3–5]"."""
    text = f"---\ntitle: T\nlang: {lang}\njournal: ieee\nabstract: A.\nauthor: [A]\n---\n\n"
    root = built(tmp_path, text + f"Text [@doe, {written}] and [@smith].\n", "html")
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    paragraph = " ".join(page.xpath("//main//p")[0].text_content().split())
    assert written not in paragraph
    assert "3–5]" in paragraph and "[1, " in paragraph


def test_a_page_of_its_own_keeps_its_letter(tmp_path: Path) -> None:
    """`S6` is a supplement's page 6, not page 6: the label rule took its S off."""
    text = "---\ntitle: T\njournal: ieee\nabstract: A.\nauthor: [A]\n---\n\nText [@doe, S6].\n"
    root = built(tmp_path, text, "html")
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert "S6" in page.xpath("//main//p")[0].text_content()
