"""The .bib files as citeproc gets them: read as pandoc reads a bibliography (biblatex), in the
document's language, so that the printed list is the one pandoc itself would print."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from paperbuild import csljson
from paperbuild.errors import PaperError

from conftest import doit, kz_front_matter, make_project

BIB = r"""
@book{place, author = {Jones, Mary}, title = {The Big Book}, publisher = {Academic Press},
  location = {New York}, year = {2019}, addendum = {In print}}
@book{old, author = {Roe, R.}, title = {Old Style}, publisher = {P}, address = {London},
  year = {2001}}
@article{ru, author = {Петрова, А.}, title = {Ответственность Министерства Юстиции},
  journal = {Вестник}, year = {2019}}
@article{tagged, author = {Smith, J.}, title = {State Liability in Europe},
  journal = {J}, year = {2019}, langid = {english}}
"""


def items(tmp_path: Path, lang: str) -> dict[str, dict]:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    found = csljson.csl_items(bib, "refs.bib", tmp_path, tmp_path / "cache", lang)
    return {item["id"]: item for item in found}


def test_biblatex_fields_are_read(tmp_path: Path) -> None:
    read = items(tmp_path, "en-US")
    assert read["place"]["publisher-place"] == "New York"
    assert "In print" in read["place"]["note"]
    assert read["old"]["publisher-place"] == "London"  # BibTeX's address too


@pytest.mark.parametrize("lang", ["ru-RU", "de", "kk-KZ", "kk", "uz", "sw", "be"])
def test_titles_stay_as_written_outside_english(tmp_path: Path, lang: str) -> None:
    read = items(tmp_path, lang)
    assert read["ru"]["title"] == "Ответственность Министерства Юстиции"
    assert read["place"]["title"] == "The Big Book"
    assert read["tagged"]["title"] == "State Liability in Europe"  # as pandoc reads it


def test_english_titles_are_sentence_cased_as_pandoc_does(tmp_path: Path) -> None:
    read = items(tmp_path, "en-GB")
    assert read["place"]["title"] == "The big book"


def test_a_russian_gost_list_prints_the_place_and_the_title_as_written(tmp_path: Path) -> None:
    text = f"---\n{kz_front_matter('ru-RU')}---\n\nТекст [@place; @ru; @old; @tagged].\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    result = doit(root, "html")
    assert result.returncode == 0, result.stderr
    page = lxml_html.fromstring((root / "build" / "paper.html").read_bytes())
    listed = " ".join(" ".join(e.text_content().split()) for e in page.find_class("csl-entry"))
    assert "New York: Academic Press" in listed
    assert "Ответственность Министерства Юстиции" in listed


def test_math_in_a_field_becomes_text_and_a_dollar_stays(tmp_path: Path) -> None:
    """CSL JSON has no math: pandoc's `$\\alpha$` printed as TeX (and title-cased `\\Alpha`)."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        r"@article{m, title = {The {$\alpha$}-Effect of {H$_2$O} and {$\frac{a}{b}$}}, "
        r"journal = {Costs \$5 and \$10}, author = {A, B.}, year = {2001}}",
        encoding="utf-8",
    )
    (item,) = csljson.csl_items(bib, "refs.bib", tmp_path, tmp_path / "cache", "de")
    assert item["title"] == "The α-Effect of H₂O and $\\frac{a}{b}$"
    assert item["container-title"] == "Costs $5 and $10"


def test_a_formula_that_writes_nothing_does_not_shift_the_others(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        r"@article{a, title = {Films 10{$\,$}nm thick}, author = {A, B.}, year = {2001}}"
        "\n"
        r"@article{b, title = {The {$\alpha$} decay of {$^{212}$}Po}, author = {A, B.}, "
        "year = {2002}}",
        encoding="utf-8",
    )
    items = {i["id"]: i for i in csljson.csl_items(bib, "refs.bib", tmp_path, tmp_path / "c", "de")}
    assert items["b"]["title"] == "The α decay of ²¹²Po"
    assert "α" not in items["a"]["title"]


def test_the_front_matters_language_is_guessed_from_the_files(tmp_path: Path) -> None:
    """The guess that lets the .bib be read while pandoc parses: the last `lang:` of a
    metadata block wins, as pandoc's last block does; one in the text is not metadata."""
    files = {
        "01-a.md": "---\r\ntitle: A\r\nlang: 'ru-RU'\r\n---\r\n\nlang: en is text here\n",
        "02-b.md": "Text.\n\n---\nlang: kk-KZ\n...\n\nMore.\n",
        "03-c.md": "Text.\n\nlang: de\n",
    }
    root = make_project(tmp_path / "p", files, BIB)
    from paperbuild.project import Project

    assert csljson.declared_lang(Project.discover(root), "en-US") == "kk-KZ"
    (root / "manuscript" / "02-b.md").write_text("Text.\n", encoding="utf-8")
    assert csljson.declared_lang(Project.discover(root), "en-US") == "ru-RU"
    (root / "manuscript" / "01-a.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    assert csljson.declared_lang(Project.discover(root), "en-US") == "en-US"


def test_a_language_the_guess_misses_is_still_the_one_the_bib_is_read_in(tmp_path: Path) -> None:
    """Given in a form the glance does not read (a flow mapping), the language is German: the
    build reads the .bib again for it, and English sentence-casing stays out of the list."""
    text = "---\n{title: Titel, lang: de}\n---\n\nText [@place].\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    result = doit(root, "html")
    assert result.returncode == 0, result.stderr
    page = lxml_html.fromstring((root / "build" / "paper.html").read_bytes())
    assert page.get("lang") == "de"
    listed = " ".join(e.text_content() for e in page.find_class("csl-entry"))
    assert "The Big Book" in listed
    # Both readings were made: the guess's (English) and the document's.
    assert len(list((root / "build" / ".cache" / "csl").glob("*.json"))) == 2


def test_an_accented_dotless_i_and_a_links_tex_escapes_read_as_meant(tmp_path: Path) -> None:
    """`{\\'\\i}` is í to whoever wrote it (pandoc reads ı with a combining accent, which no
    search for "Díaz" finds); a reference manager's `{\\&}` in a URL is `&`."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        r"@article{a, author = {D{\'\i}az, Mar{\'\i}a and Corb{\`\i}, A.}, title = {T},"
        r" journal = {J}, year = {2015},"
        r" url = {https://x.org/p?artid=26{\&}tool=pmc{\_}x\%20}, doi = {10.1/a\_b}}",
        encoding="utf-8",
    )
    (item,) = csljson.csl_items(bib, "refs.bib", tmp_path, tmp_path / "cache", "es")
    assert [a["family"] for a in item["author"]] == ["Díaz", "Corbì"]
    assert item["author"][0]["given"] == "María"
    assert item["URL"] == "https://x.org/p?artid=26&tool=pmc_x%20"
    assert item["DOI"] == "10.1/a_b"


def test_a_conference_paper_and_a_web_page_read_as_what_they_stand_for(tmp_path: Path) -> None:
    """pandoc reads @conference and @webpage as no type: the paper printed without its
    proceedings (the booktitle dropped). Lines stay: an error later in the file says where."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@Conference{c, author = {Doe, J.}, title = {T}, booktitle = {Proc. of X},\n"
        "  pages = {1--2}, year = {2001}}\n"
        "@webpage{w, title = {Page}, url = {https://example.org}, year = {2020}}\n"
        "@misc{note, title = {On @conference papers}, year = {2002}}\n",
        encoding="utf-8",
    )
    items = {i["id"]: i for i in csljson.csl_items(bib, "refs.bib", tmp_path, tmp_path / "c", "de")}
    assert items["c"]["type"] == "paper-conference"
    assert items["c"]["container-title"] == "Proc. of X"
    assert items["w"]["type"] == "webpage"
    assert items["note"]["title"] == "On @conference papers"
    bib.write_text(bib.read_text(encoding="utf-8") + "@article{bad, title = {T}, year = 2001,,}\n")
    with pytest.raises(PaperError) as raised:
        csljson.csl_items(bib, "refs.bib", tmp_path, tmp_path / "c", "de")
    assert (raised.value.path, raised.value.line) == ("refs.bib", 5)


def test_a_conference_paper_prints_its_proceedings(tmp_path: Path) -> None:
    bib = (
        "@conference{c, author = {Doe, Jane}, title = {A paper}, booktitle = {Proceedings of "
        "the Test Conference}, pages = {10--20}, year = {2003}}\n"
    )
    front = "title: T\nauthor: [{name: Ann Author}]\nabstract: A.\n"
    root = make_project(tmp_path / "p", {"paper.md": f"---\n{front}---\n\nText [@c].\n"}, bib)
    result = doit(root, "html", "journal=ieee")
    assert result.returncode == 0, result.stderr
    page = lxml_html.fromstring((root / "build" / "ieee" / "paper.html").read_bytes())
    (listed,) = [" ".join(e.text_content().split()) for e in page.find_class("csl-entry")]
    assert "in Proceedings of the test conference" in listed and "pp. 10–20" in listed
