"""Front matter in the shapes authors write it, read from pandoc's parsed metadata."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from paperbuild import frontmatter, pandoc
from paperbuild.errors import FrontMatterError
from paperbuild.pandoc_ast import stringify


def read(yaml: str) -> frontmatter.FrontMatter:
    result = pandoc.run(["--from", "markdown", "--to", "json"], data=f"---\n{yaml}\n---\n".encode())
    return frontmatter.read(json.loads(result.output)["meta"], Path("manuscript/paper.md"))


def test_abstracts_and_keywords_by_language_in_profile_order() -> None:
    front = read(
        "lang: ru-RU\ntitle: Заголовок *важный*\n"
        "translated-title: {en: An *important* title, kk: Тақырып}\n"
        "abstract: {en: English., kk: Қазақша., ru: По-русски.}\n"
        "keywords: {ru: [право, государство], en: [law]}"
    )
    assert front.base_lang == "ru"
    summaries = front.summaries_in(("kk", "ru", "en"))
    assert [s.lang for s in summaries] == ["ru", "kk", "en"]  # the document's language first
    ru, kk, en = summaries
    assert stringify(ru.title) == "Заголовок важный"
    assert {"t": "Emph", "c": [{"t": "Str", "c": "важный"}]} in ru.title
    assert stringify(en.title) == "An important title"
    assert stringify(kk.abstract) == "Қазақша."
    assert [stringify(k) for k in ru.keywords] == ["право", "государство"]
    assert kk.keywords == []


def test_single_abstract_and_keywords_are_in_the_document_language() -> None:
    front = read("title: T\nabstract: Just one.\nkeywords: [a, b]")
    assert front.lang == "en-US"
    (summary,) = front.summaries
    assert summary.lang == "en"
    assert stringify(summary.abstract) == "Just one."
    assert [stringify(k) for k in summary.keywords] == ["a", "b"]


def test_author_forms() -> None:
    front = read(
        "author:\n"
        "  - Plain Name\n"
        "  - name: Map Name\n    affiliation: Uni\n    email: a@b.kz\n    orcid: 0000-0001\n"
        "  - Scholar Name:\n      institute: [x, pdt]\n      email: s@x.org\n"
        "institute:\n  - x: {name: Institute X}\n  - pdt: Team Y\n"
    )
    plain, mapped, scholar = front.authors
    assert stringify(plain.name) == "Plain Name"
    assert (stringify(mapped.name), stringify(mapped.affiliation)) == ("Map Name", "Uni")
    assert (mapped.email, mapped.orcid) == ("a@b.kz", "0000-0001")
    assert stringify(scholar.name) == "Scholar Name"
    assert stringify(scholar.affiliation) == "Institute X; Team Y"
    assert scholar.email == "s@x.org"


@pytest.mark.parametrize(
    "written",
    [
        "0000-0002-1825-0097",
        "https://orcid.org/0000-0002-1825-0097",
        "http://www.orcid.org/0000-0002-1825-0097/",
        "orcid.org/0000-0002-1825-0097",
    ],
)
def test_an_orcid_id_given_as_its_address_is_the_id(written: str) -> None:
    """Copied from orcid.org as its address, it was linked as https://orcid.org/https://…"""
    (author,) = read(f"author:\n  - name: A\n    orcid: '{written}'\n").authors
    assert author.orcid == "0000-0002-1825-0097"


def test_a_scholar_name_without_details_is_a_name() -> None:
    (author,) = read("author:\n  - Jane Doe:\n").authors
    assert stringify(author.name) == "Jane Doe"


@pytest.mark.parametrize(
    ("yaml", "number"),
    [
        # An affiliation given a dash of its own: it printed as an author named "affiliation".
        ("author:\n  - name: Ann\n  - affiliation: Uni", 2),
        ("author:\n  - orcid: 0000-0001", 1),
        ('author:\n  - name: ""\n    email: a@b.kz', 1),
        ("author:\n  - Ann\n  - {}", 2),
    ],
)
def test_an_author_without_a_name_is_an_error(yaml: str, number: int) -> None:
    with pytest.raises(FrontMatterError, match=f"author {number} has no name") as raised:
        read(yaml)
    assert "without one" in raised.value.hint


def test_a_blank_author_is_no_author() -> None:
    assert read('author: ""').authors == []


def test_reference_numbers() -> None:
    assert read("reference-numbers: [a1, '@b_2', c-3]").reference_numbers == ["a1", "b_2", "c-3"]
    with pytest.raises(FrontMatterError, match="must be a list of BibTeX keys"):
        read("reference-numbers: a1")
    with pytest.raises(FrontMatterError, match="item 2 is not a BibTeX key"):
        read("reference-numbers: [a1, two words]")


def test_abstract_keys_must_be_languages() -> None:
    with pytest.raises(FrontMatterError, match="'abstract' key 'first version' is not a language"):
        read("abstract: {first version: text}")


@pytest.mark.parametrize("tag", ["kk", "ru-RU", "en-US", "zh-Hans-CN", "sr-Latn"])
def test_a_language_tag_is_taken(tag: str) -> None:
    assert read(f"lang: {tag}").lang == tag


@pytest.mark.parametrize("written", ["1", "[en, ru]", "{en: x}", "Kazakh", "en_US", "true"])
def test_lang_must_be_one_language_tag(written: str) -> None:
    """Typst stops at a language it cannot read, and pandoc warns in every run: the check
    says it once, at the line."""
    with pytest.raises(FrontMatterError, match="'lang' is not a language tag") as raised:
        read(f"lang: {written}")
    assert raised.value.key == "lang"


def test_a_countrys_code_for_the_language_is_named() -> None:
    with pytest.raises(FrontMatterError, match="'lang' is 'kz', a country's code") as raised:
        read("lang: kz")
    assert raised.value.hint == "Kazakh is 'kk'"


@pytest.mark.parametrize("field", ["abstract", "keywords", "translated-title"])
def test_a_countrys_code_as_a_key_is_named_with_the_language_meant(field: str) -> None:
    said = f"'{field}' has the key 'kz', a country's code"
    with pytest.raises(FrontMatterError, match=said) as raised:
        read(f"lang: ru\n{field}: {{ru: Текст, kz: Мәтін}}")
    assert raised.value.hint == "Kazakh is 'kk'"


@pytest.mark.parametrize("written", ["[1, 2]", "{a: 1}", "true", "\n  - A\n  - B"])
def test_the_title_must_be_text(written: str) -> None:
    """A list or a mapping would print as its items run together ("12")."""
    with pytest.raises(FrontMatterError, match="'title' must be text") as raised:
        read(f"title: {written}")
    assert raised.value.key == "title"


@pytest.mark.parametrize("written", ["A Title", "'A: Title'", "|\n  A *Title*", "2024"])
def test_a_title_is_text_however_written(written: str) -> None:
    assert stringify(read(f"title: {written}").title).startswith(("A", "2024"))


def test_an_underscore_in_lang_is_named_with_the_tag_meant() -> None:
    with pytest.raises(FrontMatterError, match="'lang' is not a language tag") as raised:
        read("lang: en_US")
    assert raised.value.hint == "write en-US"


@pytest.mark.parametrize("written", ["", "''", "~"])
def test_an_empty_lang_is_the_default(written: str) -> None:
    assert read(f"lang: {written}").lang == frontmatter.DEFAULT_LANG


@pytest.mark.parametrize(
    ("yaml", "way"),
    [
        ("lang: ar", "rtl"),
        ("lang: he-IL", "rtl"),
        ("lang: en-US", "ltr"),
        ("lang: kk", "ltr"),
        ("lang: uz-Arab", "rtl"),  # a script subtag says it
        ("lang: en\ndir: rtl", "rtl"),  # pandoc's own key
        ("lang: fa\ndir: LTR", "ltr"),
    ],
)
def test_the_direction_comes_from_dir_or_the_language(yaml: str, way: str) -> None:
    assert read(yaml).dir == way


def test_dir_is_rtl_or_ltr() -> None:
    with pytest.raises(FrontMatterError, match="'dir' is 'right'") as raised:
        read("lang: ar\ndir: right")
    assert raised.value.key == "dir"
    assert "rtl" in (raised.value.hint or "")


@pytest.mark.parametrize(
    ("yaml", "said"),
    [
        ("author:\n  - name: Y", "an author's name reads as true: YAML takes yes, no, on"),
        ("author: [no]", "an author reads as false"),
        ("keywords: [economy, Norway, NO]", "a keyword reads as false"),
        ("keywords: {en: [law, on]}", "a keyword reads as true"),
        ("author:\n  - name: [Ann, Bob]", "an author's name must be text, not a list"),
        ("author:\n  - name: A\n    affiliation: {x: 1}", "an author's affiliation must be text"),
        ("abstract: [First., Second.]", "'abstract' must be text, not a list or a mapping"),
    ],
)
def test_text_fields_that_yaml_reads_otherwise_are_errors(yaml: str, said: str) -> None:
    """They printed as "true", "false", or their items run together ("AnnBob")."""
    with pytest.raises(FrontMatterError, match=re.escape(said)):
        read(yaml)


@pytest.mark.parametrize(("lang", "meant"), [("kaz", "kk"), ("rus-RU", "ru-RU"), ("eng", "en")])
def test_a_three_letter_language_code_with_a_two_letter_one_is_an_error(
    lang: str, meant: str
) -> None:
    """`lang: kaz` printed English words and was told it lacked a Kazakh title."""
    with pytest.raises(FrontMatterError) as raised:
        read(f"title: T\nlang: {lang}")
    assert raised.value.message.startswith(f"'lang' is '{lang}', a three-letter code")
    assert raised.value.hint == f"write {meant}"
