"""Loading .bib files: entries with their file and line, and each problem as the author reads it."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from paperbuild.bibliography import Bibliography, Entry, load

from conftest import doit, make_project

REPO = Path(__file__).resolve().parents[1]

RUSSIAN = """\
@book{mironenko,
  author    = {Мироненко, М. Б.},
  title     = {Гражданин и государство: взаимная ответственность},
  publisher = {Наука},
  address   = {Москва},
  year      = 2001
}
"""


def write(root: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = root / "bibliography" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def load_texts(root: Path, **texts: str) -> Bibliography:
    """`load` over files written from `texts`, in order: name (without .bib) -> content."""
    return load([write(root, f"{name}.bib", text) for name, text in texts.items()], root)


def lines(bibliography: Bibliography) -> list[str]:
    return [str(problem) for problem in bibliography.problems]


def entry(type: str, **fields: str) -> Entry:
    return Entry("k", type, fields, "bibliography/references.bib", 1)


# ---------------------------------------------------------------------------------------------
# The sample


def test_the_sample_loads_six_entries_four_of_them_to_be_supplied() -> None:
    bibliography = load([REPO / "bibliography" / "references.bib"], REPO)
    assert bibliography.problems == []
    assert list(bibliography.entries) == [
        "mironenko",
        "sapargaliev-salimbaeva",
        "ref3",
        "ref4",
        "ref5",
        "ref6",
    ]
    placeholders = [key for key, e in bibliography.entries.items() if e.to_be_supplied()]
    assert placeholders == ["ref3", "ref4", "ref5", "ref6"]
    mironenko = bibliography.entries["mironenko"]
    assert mironenko.missing() == ["title", "year"]
    assert (mironenko.type, mironenko.path, mironenko.line) == (
        "misc",
        "bibliography/references.bib",
        6,
    )
    assert mironenko.fields["author"] == "Мироненко, М. Б."
    assert mironenko.fields["langid"] == "russian"


# ---------------------------------------------------------------------------------------------
# Entries as parsed


def test_types_and_field_names_are_lower_case_and_values_lose_their_delimiters(
    tmp_path: Path,
) -> None:
    bibliography = load_texts(
        tmp_path,
        references='@ARTICLE{Smith2020,\n  TITLE = {On {DNA}},\n  Year = 2020,\n  note = "x"\n}\n',
    )
    smith = bibliography.entries["Smith2020"]
    assert smith.type == "article"
    assert smith.fields == {"title": "On {DNA}", "year": "2020", "note": "x"}


def test_lines_are_one_based_with_crlf_a_bom_and_entries_sharing_a_line(tmp_path: Path) -> None:
    text = "\ufeff% comment\r\n\r\n@misc{a, title={x}} @misc{b, title={y}}\r\n@misc{c,\r\n}\r\n"
    bibliography = load_texts(tmp_path, references=text)
    assert bibliography.problems == []
    assert {key: e.line for key, e in bibliography.entries.items()} == {"a": 3, "b": 3, "c": 4}


def test_strings_comments_and_preambles_are_not_entries(tmp_path: Path) -> None:
    text = (
        '@string{jr = "Journal of Results"}\n'
        '@preamble{"\\newcommand{\\x}{y}"}\n'
        "@comment{anything}\n"
        "@article{a, journal = jr}\n"
    )
    bibliography = load_texts(tmp_path, references=text)
    assert bibliography.problems == []
    assert list(bibliography.entries) == ["a"]
    assert bibliography.entries["a"].fields["journal"] == "Journal of Results"


def test_a_bare_word_no_string_defines_is_a_warning_at_its_field(tmp_path: Path) -> None:
    text = (
        '@string{pub = "Press"}\n'
        "@article{a, journal = {J}, year = 2002, month = jan,\n"
        "  publisher = pub, series = jnl,\n"
        '  note = pub # " and " # Ed}\n'
    )
    bibliography = load_texts(tmp_path, references=text)
    assert [(p.line, p.severity) for p in bibliography.problems] == [(3, "warning"), (4, "warning")]
    first, second = lines(bibliography)
    assert "series = jnl names a @string that this file does not define" in first
    assert "@string{jnl = {...}}" in first
    assert "note = Ed names a @string" in second


def test_a_string_another_file_defines_is_said_to_be_there(tmp_path: Path) -> None:
    """pandoc reads each .bib on its own: "Jnl" printed, and the author had defined it."""
    bibliography = load_texts(
        tmp_path,
        strings='@string{jnl = "Journal of Tests"}\n',
        references="@article{a, journal = JNL, year = 2002}\n",
    )
    (said,) = lines(bibliography)
    assert said.startswith("bibliography/references.bib:1: warning: entry 'a': journal = JNL")
    assert "that is defined in bibliography/strings.bib, but pandoc reads each .bib on its" in said
    assert "define @string{JNL = {...}} in this file" in said


def test_a_percent_sign_is_an_error_where_it_starts_a_comment(tmp_path: Path) -> None:
    """pandoc printed the title as "Reducing Costs by 50", with nothing said."""
    text = (
        "@misc{a, author = {Doe, J.}, year = 2002,\n"
        "  title = {Reducing costs\n    by 50% in Europe},\n"
        "  note = {a 10\\% cut}, url = {http://x.org/a%20b}, doi = {10.1/a%b},\n"
        "  howpublished = {\\url{https://x.org/a%20b}}}\n"
    )
    bibliography = load_texts(tmp_path, references=text)
    (problem,) = bibliography.problems
    assert (problem.severity, problem.line) == ("error", 3)
    assert problem.message == (
        "entry 'a': title holds a % that pandoc and LaTeX read as the start of a comment, "
        "dropping the rest of its line; write \\% for a percent sign"
    )


@pytest.mark.parametrize(
    ("value", "said"),
    [
        # BibTeX reads a name without a comma as first names, then surname: "И. И. И.".
        ("Иванов И. И.", "reads as first names 'Иванов И.' and surname 'И.'"),
        ("Иванов И.И.", "write Иванов, И.И."),
        (
            "Иванов И. И., Петров П. П.",
            "separate names with 'and': Иванов, И. И. and Петров, П. П.",
        ),
        ("Иван Иванов и Петр Петров", "joins names with a word BibTeX does not read as one"),
    ],
)
def test_names_written_as_printed_are_errors_that_say_how_to_write_them(
    tmp_path: Path, value: str, said: str
) -> None:
    text = f"@book{{a, title = {{T}}, year = 2019,\n  author = {{{value}}}}}\n"
    (problem,) = load_texts(tmp_path, references=text).problems
    assert (problem.severity, problem.line) == ("error", 2)
    assert problem.message.startswith(f"entry 'a': author '{value}'") and said in problem.message


@pytest.mark.parametrize(
    "value",
    [
        "Иванов, И. И. and П. П. Петров",
        "{Министерство юстиции и права} and Smith, John and others",
        "von Neumann, Jr., John",
        "Ortega y Gasset, José",
    ],
)
def test_names_bibtex_reads_as_meant_are_fine(tmp_path: Path, value: str) -> None:
    text = f"@book{{a, author = {{{value}}}, title = {{T}}, year = 2019}}\n"
    assert load_texts(tmp_path, references=text).problems == []


@pytest.mark.parametrize(
    ("field", "value", "bare"),
    [
        ("pages", "С. 12--18", "12--18"),
        ("pages", "c. 5", "5"),
        ("number", "№ 2", "2"),
        ("volume", "Т. 3", "3"),
    ],
)
def test_a_label_typed_before_a_number_is_an_error(
    tmp_path: Path, field: str, value: str, bare: str
) -> None:
    """The style prints its own: "С. С. 12–18", "№ № 2"."""
    text = f"@article{{a, title = {{T}}, year = 2019, {field} = {{{value}}}}}\n"
    (problem,) = load_texts(tmp_path, references=text).problems
    assert problem.message.endswith(f"give the numbers alone: {field} = {{{bare}}}")


@pytest.mark.parametrize("pages", ["S6", "e102", "C723--42", "12--18"])
def test_a_page_of_its_own_is_no_label(tmp_path: Path, pages: str) -> None:
    text = f"@article{{a, title = {{T}}, year = 2019, pages = {{{pages}}}}}\n"
    assert load_texts(tmp_path, references=text).problems == []


@pytest.mark.parametrize(
    ("field", "said"),
    [
        (
            "автор = {Иванов, И. И.}",
            "field 'автор' is not a BibTeX field, so pandoc ignores it; write author",
        ),
        (
            "рубрика = {x}",
            "field 'рубрика' is not a BibTeX field, so pandoc ignores it; give it its BibTeX name",
        ),
        (
            "month = {мая}",
            "month 'мая' is not one pandoc reads, so it is dropped; write it as a "
            "number (month = 5 for May)",
        ),
    ],
)
def test_a_field_no_reader_takes_is_a_warning(tmp_path: Path, field: str, said: str) -> None:
    text = f"@book{{a, author = {{Doe, J.}}, title = {{T}}, year = 2019,\n  {field}}}\n"
    (problem,) = load_texts(tmp_path, references=text).problems
    assert (problem.severity, problem.line) == ("warning", 2)
    assert problem.message.startswith(f"entry 'a': {said}")


@pytest.mark.parametrize("month", ["5", "may", "{May}", "{September}", "dec"])
def test_a_month_pandoc_reads_is_fine(tmp_path: Path, month: str) -> None:
    text = f"@book{{a, author = {{Doe, J.}}, title = {{T}}, year = 2019, month = {month}}}\n"
    assert load_texts(tmp_path, references=text).problems == []


def test_a_string_defined_in_another_file_is_still_undefined_in_this_one(tmp_path: Path) -> None:
    # pandoc reads each .bib on its own: the other file's @string does not reach this one.
    bibliography = load_texts(
        tmp_path, strings='@string{jr = "Journal"}\n', references="@article{a, journal = jr}\n"
    )
    assert [p.path for p in bibliography.problems] == ["bibliography/references.bib"]


def test_paths_are_shown_relative_to_the_root_or_whole_outside_it(tmp_path: Path) -> None:
    inside = write(tmp_path / "paper", "a.bib", "@misc{a, title={x}}\n")
    outside = write(tmp_path / "elsewhere", "b.bib", "@misc{b, title={x}}\n")
    bibliography = load([inside, outside], tmp_path / "paper")
    assert bibliography.entries["a"].path == "bibliography/a.bib"
    assert bibliography.entries["b"].path == str(outside)


# ---------------------------------------------------------------------------------------------
# Errors, each at its line


def test_an_entry_that_does_not_parse_is_an_error_at_its_first_line(tmp_path: Path) -> None:
    text = (
        "@misc{good, title = {x}}\n"  # 1
        "\n"  # 2
        "@book{broken,\n"  # 3
        "  title = {unclosed\n"  # 4
        "  year = 2000\n"  # 5
        "}\n"  # 6
        "\n"  # 7
        "@misc{after, title = {y}}\n"  # 8
    )
    bibliography = load_texts(tmp_path, x=text)
    assert lines(bibliography) == [
        "bibliography/x.bib:3: error: entry 'broken' does not parse: Unexpected block start: "
        "`@misc`. Was still looking for field-value closing `,` or `}`; "
        "check its braces, quotes and commas"
    ]
    assert list(bibliography.entries) == ["good", "after"]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        (
            "% one\n@misc{a, title = {x}\n",
            2,
            "entry 'a' does not parse: Unexpectedly reached end of file",
        ),
        (
            "\n\n@misc{c title = x}\n",
            3,
            "entry does not parse: Expected comma after entry key, but found =",
        ),
        (
            '@misc{q,\n  title = "x}\n@misc{r, title={y}}\n',
            1,
            "entry 'q' does not parse: Unexpected block start",
        ),
    ],
)
def test_parse_errors_name_the_line_and_bibtexparsers_reason(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    [problem] = load_texts(tmp_path, x=text).problems
    assert (problem.severity, problem.path, problem.line) == ("error", "bibliography/x.bib", line)
    assert problem.message.startswith(reason)
    assert problem.message.endswith("; check its braces, quotes and commas")
    assert "\n" not in problem.message


def test_a_duplicate_key_in_one_file_is_an_error_at_the_second_definition(tmp_path: Path) -> None:
    text = "@misc{a,\n  title = {first}\n}\n\n@book{a,\n  title = {second}\n}\n"
    bibliography = load_texts(tmp_path, references=text)
    assert lines(bibliography) == [
        "bibliography/references.bib:5: error: duplicate key 'a' (first defined at line 1)"
    ]
    assert bibliography.entries["a"].fields["title"] == "first"


def test_a_duplicate_key_across_files_names_the_first_file(tmp_path: Path) -> None:
    bibliography = load_texts(
        tmp_path,
        a="@misc{shared, title = {first}}\n",
        b="@misc{other, title = {x}}\n\n@misc{shared,\n  title = {second}\n}\n",
    )
    assert lines(bibliography) == [
        "bibliography/b.bib:3: error: duplicate key 'shared' "
        "(first defined at bibliography/a.bib:1)"
    ]
    assert bibliography.entries["shared"].fields["title"] == "first"
    assert bibliography.entries["shared"].path == "bibliography/a.bib"


def test_keys_differing_in_case_are_different_keys_and_a_warning(tmp_path: Path) -> None:
    """pandoc keeps them apart; BibTeX, biber and citeproc-py (the check's table, which named
    the other work) take them for one."""
    bibliography = load_texts(tmp_path, x="@misc{A, title={x}}\n@misc{a, title={y}}\n")
    assert list(bibliography.entries) == ["A", "a"]
    assert lines(bibliography) == [
        "bibliography/x.bib:2: warning: key 'a' differs from 'A' (line 1) in letter case alone: "
        "pandoc keeps them apart, but BibTeX, biber and reference managers take them for one; "
        "rename one of them"
    ]


def test_a_field_given_twice_is_an_error_at_the_second_and_the_first_wins(tmp_path: Path) -> None:
    text = "@misc{a,\n  title = {first},\n  year = 2000,\n  Title = {second}\n}\n"
    bibliography = load_texts(tmp_path, x=text)
    assert lines(bibliography) == [
        "bibliography/x.bib:4: error: entry 'a' has field 'title' twice; keep one"
    ]
    assert bibliography.entries["a"].fields == {"title": "first", "year": "2000"}


def test_a_field_given_twice_in_the_same_case_is_the_same_error(tmp_path: Path) -> None:
    # bibtexparser reports this one itself (DuplicateFieldKeyBlock), leaving the values raw.
    text = '@misc{a,\n  title = {first},\n  title = "second"\n}\n'
    bibliography = load_texts(tmp_path, x=text)
    assert lines(bibliography) == [
        "bibliography/x.bib:3: error: entry 'a' has field 'title' twice; keep one"
    ]
    assert bibliography.entries["a"].fields == {"title": "first"}


def test_an_entry_without_a_key_is_an_error(tmp_path: Path) -> None:
    bibliography = load_texts(tmp_path, x="\n@misc{, title = {x}}\n")
    [problem] = bibliography.problems
    assert (problem.line, problem.message.split(";")[0]) == (2, "@misc entry has no key")
    assert bibliography.entries == {}


# ---------------------------------------------------------------------------------------------
# Files that are not UTF-8, or cannot be read


def test_a_windows_1251_file_is_an_error_at_the_first_bad_byte(tmp_path: Path) -> None:
    path = write(tmp_path, "old.bib", RUSSIAN, encoding="cp1251")
    bibliography = load([path], tmp_path)
    assert lines(bibliography) == [
        "bibliography/old.bib:2: error: not UTF-8 (it looks like Windows-1251); convert it: "
        "`iconv -f CP1251 -t UTF-8 bibliography/old.bib > bibliography/old.bib.utf-8 && "
        "mv bibliography/old.bib.utf-8 bibliography/old.bib`"
    ]
    assert bibliography.entries == {}


def test_a_kazakh_8_bit_file_is_named_for_iconv(tmp_path: Path) -> None:
    text = "@misc{a,\n  title = {Қазақстан Республикасының конституциялық құқығы}\n}\n"
    bibliography = load([write(tmp_path, "kk.bib", text, encoding="kz1048")], tmp_path)
    [problem] = bibliography.problems
    assert problem.line == 2
    assert "`iconv -f RK1048 -t UTF-8 bibliography/kk.bib > " in problem.message


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Müller, Jürgen", "latin-1"),
        ("Étude des systèmes complexes à grande échelle", "cp1252"),
        ("La educación en América Latina: análisis y reflexión", "latin-1"),
        ("Größenordnung der Überprüfung für Straße", "cp1252"),
        ("« L’économie » — c’est ça, œuvre", "cp1252"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy", "cp1250"),
        (
            "Prawo administracyjne w Polsce: zagadnienia ogólne, źródła prawa, organy władzy "
            "i ich kompetencje",
            "cp1250",
        ),
        (
            "Lietuvos Respublikos įstatymai ir jų taikymas: teisės aktų šaltiniai, žinios",
            "cp1257",
        ),
    ],
)
@pytest.mark.skipif(shutil.which("iconv") is None, reason="needs iconv")
def test_the_iconv_command_given_gives_back_the_text(
    tmp_path: Path, text: str, encoding: str
) -> None:
    """A wrong code page converts into valid UTF-8 that checks, with its letters garbled: the
    command an author is told to run, pasted as it is, must give back what they wrote."""
    entry = f"@book{{a,\n  author = {{{text}}},\n  title = {{T}}, year = {{2020}}\n}}\n"
    path = write(tmp_path, "my refs.bib", entry, encoding=encoding)
    [problem] = load([path], tmp_path).problems
    command = re.search(r"`(iconv [^`]+)`", problem.message)
    assert command, problem.message
    subprocess.run(command[1], shell=True, cwd=tmp_path, check=True)
    assert path.read_bytes().decode("utf-8") == entry
    assert load([path], tmp_path).problems == []


def test_a_utf16_file_is_an_error_at_line_one(tmp_path: Path) -> None:
    bibliography = load([write(tmp_path, "u.bib", RUSSIAN, encoding="utf-16")], tmp_path)
    assert lines(bibliography) == [
        "bibliography/u.bib:1: error: not UTF-8 (it looks like UTF-16); convert it: "
        "`iconv -f UTF-16 -t UTF-8 bibliography/u.bib > bibliography/u.bib.utf-8 && "
        "mv bibliography/u.bib.utf-8 bibliography/u.bib`"
    ]


def test_utf16_without_a_bom_is_caught_though_its_bytes_are_valid_utf8(tmp_path: Path) -> None:
    # ASCII and Cyrillic in UTF-16LE are all bytes below 0x80: valid UTF-8, with NULs.
    path = write(tmp_path, "u.bib", RUSSIAN, encoding="utf-16-le")
    path.read_bytes().decode("utf-8")
    [problem] = load([path], tmp_path).problems
    assert (problem.line, problem.severity) == (1, "error")
    assert problem.message.startswith("not UTF-8 (it looks like UTF-16")


def test_the_bad_byte_line_counts_from_the_file_start_after_a_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bibliography" / "x.bib"
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbf@misc{a,\n  title = {caf\xe9}\n}\n")
    [problem] = load([path], tmp_path).problems
    assert (problem.path, problem.line) == ("bibliography/x.bib", 2)


def test_an_unreadable_file_is_an_error_with_the_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.bib", "@misc{a, title={x}}\n")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("this user (root?) reads files whatever their mode")
        bibliography = load([path], tmp_path)
    finally:
        path.chmod(0o644)
    assert lines(bibliography) == [
        "bibliography/secret.bib: error: cannot read the file: Permission denied; "
        "check that it exists and that you may read it"
    ]


def test_a_missing_file_is_an_error_and_the_others_still_load(tmp_path: Path) -> None:
    good = write(tmp_path, "good.bib", "@misc{a, title={x}}\n")
    bibliography = load([tmp_path / "bibliography" / "gone.bib", good], tmp_path)
    assert [p.message.split(";")[0] for p in bibliography.problems] == [
        "cannot read the file: No such file or directory"
    ]
    assert list(bibliography.entries) == ["a"]


# ---------------------------------------------------------------------------------------------
# Nothing printed


def test_nothing_is_printed_or_logged(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bibliography = load_texts(
        tmp_path,
        a="@misc{a, title = {x}\n@misc{b title = x}\n@misc{a, title={y}, title={z}}\n",
        b="@misc{, title={x}}\n@book{a,\n",
    )
    write(tmp_path, "w.bib", RUSSIAN, encoding="cp1251")
    load([tmp_path / "bibliography" / "w.bib"], tmp_path)
    assert len(bibliography.problems) >= 5
    assert capfd.readouterr() == ("", "")
    assert caplog.records == []
    for name in ("bibtexparser", "charset_normalizer"):  # as they were
        assert logging.getLogger(name).propagate


# ---------------------------------------------------------------------------------------------
# What an entry lacks for its type

FULL = {
    "author": "A",
    "title": "T",
    "year": "2020",
    "journal": "J",
    "volume": "1",
    "pages": "1--2",
    "publisher": "P",
    "address": "Almaty",
    "booktitle": "B",
    "school": "S",
    "institution": "I",
    "url": "https://example.org",
}


@pytest.mark.parametrize(
    ("type", "needs"),
    [
        ("misc", ["author or editor", "title", "year"]),
        ("unpublished", ["author or editor", "title", "year"]),
        ("article", ["author or editor", "title", "year", "journal", "pages"]),
        ("book", ["author or editor", "title", "year", "publisher", "address"]),
        ("inbook", ["author or editor", "title", "year", "booktitle", "pages", "publisher"]),
        ("incollection", ["author or editor", "title", "year", "booktitle", "pages", "publisher"]),
        ("inproceedings", ["author or editor", "title", "year", "booktitle", "pages"]),
        ("conference", ["author or editor", "title", "year", "booktitle", "pages"]),
        ("thesis", ["author or editor", "title", "year", "school"]),
        ("phdthesis", ["author or editor", "title", "year", "school"]),
        ("mastersthesis", ["author or editor", "title", "year", "school"]),
        ("techreport", ["author or editor", "title", "year", "institution"]),
        ("report", ["author or editor", "title", "year", "institution"]),
        ("online", ["title", "year or urldate", "url"]),
        ("webpage", ["title", "year or urldate", "url"]),
        ("electronic", ["title", "year or urldate", "url"]),
        ("legislation", ["title", "year"]),
        ("standard", ["title", "year"]),
    ],
)
def test_missing_names_what_each_type_needs(type: str, needs: list[str]) -> None:
    assert entry(type).missing() == needs
    assert entry(type, **FULL).missing() == []
    assert entry(type, **{k: v for k, v in FULL.items() if k != "title"}).missing() == ["title"]


BIBLATEX = {"editor": "E", "title": "T", "date": "2020-05"}


@pytest.mark.parametrize(
    ("type", "fields"),
    [
        ("misc", BIBLATEX),
        ("article", BIBLATEX | {"journaltitle": "J", "volume": "1", "pages": "1--2"}),
        ("book", BIBLATEX | {"publisher": "P", "location": "Almaty"}),
        ("phdthesis", BIBLATEX | {"institution": "KazNU"}),
        ("online", {"author": "A", "title": "T", "urldate": "2024-01-02", "url": "https://x.kz"}),
        # pandoc links an arXiv eprint, and a DOI, as the entry's URL.
        ("online", {"author": "A", "title": "T", "year": "2021", "eprint": "2101.00001"}),
        ("online", {"author": "A", "title": "T", "year": "2021", "doi": "10.1/x"}),
    ],
)
def test_biblatex_names_are_accepted(type: str, fields: dict[str, str]) -> None:
    assert entry(type, **fields).missing() == []


@pytest.mark.parametrize(
    ("parent", "child", "lacks"),
    [
        ("book", "inbook", []),  # the book's title is the chapter's booktitle
        ("collection", "incollection", []),
        ("proceedings", "inproceedings", []),
        ("book", "incollection", ["booktitle"]),  # not by biblatex's rules, nor pandoc's
    ],
)
def test_a_crossref_parents_title_is_the_childs_booktitle_where_biblatex_says(
    parent: str, child: str, lacks: list[str]
) -> None:
    """An @inbook of a @book was said to lack the booktitle pandoc printed."""
    book = Entry(
        "vol",
        parent,
        {"editor": "E", "title": "Vol", "publisher": "P", "year": "2005"},
        "bibliography/references.bib",
        1,
    )
    chapter = entry(child, author="A", title="Ch", pages="5--10", crossref="vol")
    assert chapter.inheriting(book).missing() == lacks


def test_a_url_date_does_not_date_a_book() -> None:
    fields = {k: v for k, v in FULL.items() if k != "year"} | {"urldate": "2024-01-02"}
    assert entry("book", **fields).missing() == ["year"]


@pytest.mark.parametrize("empty", ["", "   ", "{}", "{ }", "{{}}", "\n\t"])
def test_empty_values_count_as_missing(empty: str) -> None:
    assert entry("misc", author="A", title=empty, year="2020").missing() == ["title"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("To be supplied: author(s), title", True),
        ("  to BE supplied", True),
        ("{To be supplied}", True),
        ("{To} be {S}upplied later", True),
        ("Incomplete: to be supplied by the author", False),
        ("Supplied", False),
    ],
)
def test_to_be_supplied_reads_a_placeholder_at_the_start_of_any_field(
    value: str, expected: bool
) -> None:
    assert entry("misc", title="T", note=value).to_be_supplied() is expected
    assert entry("misc", title="T").to_be_supplied() is False


def test_a_reading_kept_in_the_cache_is_the_reading(tmp_path: Path) -> None:
    bib = tmp_path / "bibliography" / "references.bib"
    bib.parent.mkdir()
    bib.write_text(
        "@book{a, author = {A}, title = {T}, year = 2000}\n@book{a, title = {Again}}\n"
        "@misc{b, title = {Only a title}}\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    fresh = load([bib], tmp_path)
    assert load([bib], tmp_path, cache) == fresh  # written to the cache
    assert load([bib], tmp_path, cache) == fresh  # read from it
    assert len(list(cache.iterdir())) == 1

    bib.write_text("@book{c, author = {C}, title = {U}, year = 2001}\n", encoding="utf-8")
    edited = load([bib], tmp_path, cache)
    assert list(edited.entries) == ["c"] and not edited.problems
    assert len(list(cache.iterdir())) == 1  # the earlier reading is gone


def test_stray_carriage_returns_in_a_small_bib_file_are_read(tmp_path: Path) -> None:
    """Lone CRs pasted into an abstract are no classic Mac OS file: that has no LF at all."""
    text = "@misc{a,\n  title = {T},\n  abstract = {" + "line\r" * 12 + "}\n}\n"
    bibliography = load([write(tmp_path, "x.bib", text)], tmp_path)
    assert list(bibliography.entries) == ["a"]


LOOPS = r"""@inbook{d, author = {Roe, R}, title = {D}, crossref = {d}}
@inbook{b, author = {Roe, R}, title = {B}, crossref = {c}}
@inbook{c, author = {Roe, R}, title = {C}, xdata = {x, b}}
@inbook{e, author = {Roe, R}, title = {E}, crossref = {nowhere}}
"""


def test_an_entry_that_takes_its_fields_from_itself_is_an_error_not_a_hang(
    tmp_path: Path,
) -> None:
    """pandoc's reader follows such a loop for ever, taking all the memory there is: the check
    says where it is, and the build stops before pandoc reads the file."""
    said = [line for line in lines(load_texts(tmp_path, references=LOOPS)) if "lack" not in line]
    assert said == [
        "bibliography/references.bib:1: error: entry 'd' takes its fields from itself (d → d, "
        "by crossref or xdata), which pandoc would read for ever; remove the crossref that "
        "closes the loop",
        "bibliography/references.bib:2: error: entry 'b' takes its fields from itself "
        "(b → c → b, by crossref or xdata), which pandoc would read for ever; remove the "
        "crossref that closes the loop",
        "bibliography/references.bib:3: warning: entry 'c' takes fields from 'x', which this "
        "file does not have (pandoc reads each .bib file alone); add 'x' here, or remove the "
        "reference to it",
        "bibliography/references.bib:4: warning: entry 'e' takes fields from 'nowhere', which "
        "this file does not have (pandoc reads each .bib file alone); add 'nowhere' here, or "
        "remove the reference to it",
    ]
    root = make_project(tmp_path / "p", {"paper.md": "---\ntitle: T\n---\n\nText [@d].\n"}, LOOPS)
    result = doit(root)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in errors] == [
        "bibliography/references.bib:1",
        "bibliography/references.bib:2",
    ]
    assert not (root / "build" / "paper.pdf").exists()


def test_a_line_in_another_encoding_in_a_utf8_file_is_said_so(tmp_path: Path) -> None:
    """The whole file was said to be Mac-Icelandic, and the command given for it garbled the
    rest (Мироненко)."""
    path = tmp_path / "references.bib"
    path.write_bytes(
        "@book{a, author = {Мироненко, Ю. В.}, title = {Право}, year = {2001}}\n".encode()
        + b"@article{lat, author = {M\xfcller, J\xf6rg}, title = {\xdcber Stra\xdfen}}\n"
    )
    (problem,) = load([path], tmp_path).problems
    assert (problem.severity, problem.line) == ("error", 2)
    assert problem.message.startswith("not UTF-8 here, in a file that otherwise is")
