"""`doit check`: every citation found where the author wrote it, every problem one sorted line.

Most tests call `paperbuild.check.run` on a small project in `tmp_path`; the few at the end run
`doit` there, as an author would, and read stderr, stdout and build/check.json back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from paperbuild import check
from paperbuild.pandoc_ast import elements, stringify
from paperbuild.project import Project
from paperbuild.report import Report

from conftest import PNG, REPO, doit, kz_front_matter, make_project

LINE = re.compile(
    r"^(?P<place>[^:\s]+:\d+(?::\d+)?): (?P<severity>error|warning): (?P<message>.+)$"
)
SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings?$")

KEYS = ("doe2020", "roe2021", "poe2022", "moe2023", "lee2024", "kim2025")
KZ = kz_front_matter()
PLAIN = "---\ntitle: T\n---\n\n"  # no journal: the author-date 'article' profile


def bib(*keys: str) -> str:
    """Complete @book entries, one a line: the n-th key is on line n."""
    return "".join(
        f"@book{{{key}, author = {{{key[:3].title()}, Jane}}, title = {{Book {key}}}, "
        f"publisher = {{Nauka}}, address = {{Almaty}}, year = {{{key[3:]}}}}}\n"
        for key in keys
    )


def numbered(body: str, keys: Sequence[str] = KEYS) -> str:
    """A kz-journal chapter (GOST numeric style) whose reference-numbers lists `keys`, one a
    line, followed by `body`."""
    items = "".join(f"  - {key}\n" for key in keys)
    return f"---\n{KZ}reference-numbers:\n{items}---\n\n{body}"


def listed(number: int) -> int:
    """The line where a `numbered` chapter lists reference number `number`."""
    return KZ.count("\n") + 2 + number


def first_body_line(keys: Sequence[str] = KEYS) -> int:
    return listed(len(keys)) + 3


def checked_numbered(
    tmp_path: Path, body: str, keys: Sequence[str] = KEYS[:3]
) -> tuple[Report, Callable[[int], str]]:
    """The check of a `numbered` paper of `body`, and where column n of its first line is."""
    root = project(tmp_path, {"paper.md": numbered(body, keys)}, bib(*keys))
    line = first_body_line(keys)
    return checked(root), lambda col: f"manuscript/paper.md:{line}:{col}"


def project(tmp_path: Path, chapters: dict[str, str], bibliography: str | None) -> Path:
    return make_project(tmp_path / "paper", chapters, bibliography)


def run(root: Path, journal: str | None = None, table: bool = False) -> check.Outcome:
    return check.run(Project.discover(root), journal, root / "build" / ".cache" / "chapters", table)


def checked(root: Path, journal: str | None = None) -> Report:
    return run(root, journal).report


def problems(report: Report) -> list[tuple[str, str, str]]:
    """(place, severity, message) for each line of the report, in the report's order; the last
    line is the summary."""
    *lines, summary = report.lines()
    assert SUMMARY.match(summary), summary
    return [parsed(line) for line in lines]


def parsed(line: str) -> tuple[str, str, str]:
    match = LINE.match(line)
    assert match, line
    return match["place"], match["severity"], match["message"]


def only(report: Report) -> tuple[str, str, str]:
    """The one problem of a report."""
    found = problems(report)
    assert len(found) == 1, report.lines()
    return found[0]


def places(report: Report) -> list[str]:
    return [place for place, _, _ in problems(report)]


def numeric(report: Report) -> list[tuple[int | None, str | None, str, int | None, int | None]]:
    """(number, key, locator, line, col) of each numeric citation found."""
    return [
        (c.number, c.key, c.locator.replace("\u00a0", " "), c.line, c.col)
        for c in report.citations
        if c.number is not None
    ]


def keyed(report: Report) -> list[tuple[str | None, int | None, int | None]]:
    """(key, line, col) of each `@key` citation found."""
    return [(c.key, c.line, c.col) for c in report.citations if c.number is None]


# ---------------------------------------------------------------------------------------------
# Citations found, with the place the author wrote them


def test_every_numeric_form_is_found_where_it_is_written(tmp_path: Path) -> None:
    text = numbered(
        "One [1], two [2, 3], a range [4–6].\n"
        "\n"
        "Again [3; 5], a page [1, p. 25], a Russian page [2, с. 14].\n"
    )
    report = checked(project(tmp_path, {"paper.md": text}, bib(*KEYS)))
    assert report.lines() == ["0 errors, 0 warnings"]
    line = first_body_line()
    assert numeric(report) == [
        (1, "doe2020", "", line, 5),
        (2, "roe2021", "", line, 14),
        (3, "poe2022", "", line, 14),
        (4, "moe2023", "", line, 30),
        (5, "lee2024", "", line, 30),
        (6, "kim2025", "", line, 30),
        (3, "poe2022", "", line + 2, 7),
        (5, "lee2024", "", line + 2, 7),
        (1, "doe2020", "p. 25", line + 2, 22),
        (2, "roe2021", "с. 14", line + 2, 49),
    ]


def test_every_key_form_is_found_where_it_is_written(tmp_path: Path) -> None:
    text = (
        f"{PLAIN}See [@doe2020, p. 5] and @roe2021 says.\n"
        "Also [see @poe2022; @moe2023] and [-@lee2024], @{kim2025}.\n"
    )
    report = checked(project(tmp_path, {"paper.md": text}, bib(*KEYS)))
    assert report.lines() == ["0 errors, 0 warnings"]
    assert keyed(report) == [
        ("doe2020", 5, 6),
        ("roe2021", 5, 26),
        ("poe2022", 6, 11),
        ("moe2023", 6, 21),
        ("lee2024", 6, 37),
        ("kim2025", 6, 48),
    ]


def test_citations_in_code_and_comments_are_not_citations(tmp_path: Path) -> None:
    text = (
        f"{PLAIN}```text\n[@nokey1]\n```\n\n<!-- [@nokey2], [@doe2020] -->\n\n"
        "Inline `[@nokey3]`, then [@doe2020].\n"
    )
    report = checked(project(tmp_path, {"paper.md": text}, bib("doe2020")))
    assert report.lines() == ["0 errors, 0 warnings"]
    assert keyed(report) == [("doe2020", 11, 27)]


def test_numbers_in_code_and_comments_are_not_citations(tmp_path: Path) -> None:
    text = numbered(
        "```\nx = a[9]\n```\n\n<!-- as in [9] -->\n\nText `b[7]` and [1].\n", ["doe2020"]
    )
    report = checked(project(tmp_path, {"paper.md": text}, bib("doe2020")))
    assert report.lines() == ["0 errors, 0 warnings"]
    assert numeric(report) == [(1, "doe2020", "", first_body_line(["doe2020"]) + 6, 17)]


def test_an_indented_code_block_does_not_take_the_place_of_a_citation(tmp_path: Path) -> None:
    text = f"{PLAIN}Code:\n\n    x = [@doe2020] + [@nokey]\n\nThen [@doe2020].\n"
    report = checked(project(tmp_path, {"paper.md": text}, bib("doe2020")))
    assert report.lines() == ["0 errors, 0 warnings"]
    assert keyed(report) == [("doe2020", 9, 7)]  # a key's place is its @


def test_a_figure_caption_cites_once_though_pandoc_gives_it_twice(tmp_path: Path) -> None:
    """pandoc gives the caption again as the image's description: the citations there are the
    caption's, written once. Both are formatted, so the description shows them as printed."""
    text = f"{PLAIN}![A figure, see [@doe2020; @nokey].](fig.png)\n\nText [@doe2020].\n"
    root = project(tmp_path, {"paper.md": text}, bib("doe2020"))
    (root / "manuscript" / "fig.png").write_bytes(PNG)
    outcome = run(root)
    assert keyed(outcome.report) == [("doe2020", 5, 18), ("nokey", 5, 28), ("doe2020", 7, 7)]
    assert places(outcome.report) == ["manuscript/paper.md:5:28"]
    figure = next(block for block in outcome.doc["blocks"] if block["t"] == "Figure")
    copies = elements(figure, "Cite")
    assert len(copies) == 2
    assert all(any(cite is copy for cite in outcome.cites) for copy in copies)


TABLE = "| Study | Result |\n|-------|--------|\n| [@nokey] | [@doe2020] |\n"
CAPTION = ": Results, after @roe2021.\n"


@pytest.mark.parametrize("caption_first", [True, False])
def test_a_tables_citations_are_found_whether_its_caption_is_above_or_below(
    tmp_path: Path, caption_first: bool
) -> None:
    """pandoc reads a table's caption before its cells, wherever it is written."""
    table = [CAPTION, TABLE] if caption_first else [TABLE, CAPTION]
    text = PLAIN + "\n".join(table) + "\nText [@doe2020].\n"
    report = checked(project(tmp_path, {"paper.md": text}, bib("doe2020", "roe2021")))
    caption, row = (5, 9) if caption_first else (9, 7)
    assert keyed(report) == [
        ("roe2021", caption, 18),
        ("nokey", row, 4),
        ("doe2020", row, 15),
        ("doe2020", 11, 7),
    ]
    assert places(report) == [f"manuscript/paper.md:{row}:4"]


def test_numbers_in_a_table_are_found_with_its_caption_below(tmp_path: Path) -> None:
    keys = KEYS[:2]
    body = "| Study | Result |\n|---|---|\n| [1] | [9] |\n\n: Results [2].\n\nText [1].\n"
    report = checked(project(tmp_path, {"paper.md": numbered(body, keys)}, bib(*keys)))
    row = first_body_line(keys) + 2
    assert numeric(report) == [
        (2, "roe2021", "", row + 2, 11),
        (1, "doe2020", "", row, 3),
        (1, "doe2020", "", row + 4, 6),
        (9, None, "", row, 9),  # a number that resolves to nothing is listed last
    ]
    assert f"manuscript/paper.md:{row}:9" in places(report)


def test_a_grid_table_cell_of_several_lines_keeps_its_citations_places(tmp_path: Path) -> None:
    """pandoc reads a cell's lines before the cells beside it."""
    text = (
        f"{PLAIN}+------------+------------+\n| [@doe2020] | [@roe2021] |\n"
        "| and        |            |\n| [@nokey]   |            |\n+------------+------------+\n"
    )
    report = checked(project(tmp_path, {"paper.md": text}, bib("doe2020", "roe2021")))
    assert keyed(report) == [("doe2020", 6, 4), ("nokey", 8, 4), ("roe2021", 6, 17)]
    assert places(report) == ["manuscript/paper.md:8:4"]


def test_a_cito_typed_key_cites_the_work(tmp_path: Path) -> None:
    text = f"{PLAIN}As [@uses_method_in:doe2020] and [@method:roe2021] show.\n"
    outcome = run(project(tmp_path, {"paper.md": text}, bib("doe2020", "roe2021")))
    assert outcome.report.lines() == ["0 errors, 0 warnings"]  # both cited, neither unknown
    assert keyed(outcome.report) == [("doe2020", 5, 5), ("roe2021", 5, 35)]
    assert [c.written for c in outcome.report.citations] == [
        "@uses_method_in:doe2020",
        "@method:roe2021",
    ]
    assert outcome.doc is not None
    cited = [
        item["citationId"]
        for cite in elements(outcome.doc["blocks"], "Cite")
        for item in cite["c"][0]
    ]
    assert cited == ["doe2020", "roe2021"]


def test_a_crossref_label_is_a_warning_not_an_error(tmp_path: Path) -> None:
    text = f"{PLAIN}See @fig:chart and [@tbl:data], after [@doe2020].\n"
    report = checked(project(tmp_path, {"paper.md": text}, bib("doe2020")))
    assert [(place, severity) for place, severity, _ in problems(report)] == [
        ("manuscript/paper.md:5:5", "warning"),
        ("manuscript/paper.md:5:21", "warning"),
    ]
    first, second = (message for _, _, message in problems(report))
    assert "cross-reference @fig:chart" in first and "not supported" in first
    assert "cross-reference @tbl:data" in second
    assert not report.failed()
    assert report.lines()[-1] == "0 errors, 2 warnings"


# ---------------------------------------------------------------------------------------------
# Errors: citations that do not resolve


def test_a_number_not_in_reference_numbers_is_an_error_at_its_bracket(tmp_path: Path) -> None:
    keys = ["doe2020", "roe2021"]
    text = numbered("First [1], then [2; 3].\n", keys)
    report = checked(project(tmp_path, {"paper.md": text}, bib(*keys)))
    place, severity, message = only(report)
    assert (place, severity) == (f"manuscript/paper.md:{first_body_line(keys)}:17", "error")
    assert "citation [2; 3] does not resolve" in message
    assert "reference-numbers lists 2 references" in message
    assert report.lines()[-1] == "1 error, 0 warnings"
    assert report.failed()


def test_a_backward_range_and_a_zero_are_warnings_at_their_brackets(tmp_path: Path) -> None:
    """They printed as typed, "[2–1]", with nothing said; an interval [0, 1] is no citation."""
    body = "First [1], [2], then [2--1] and [0].\n\nThe interval [0, 1].\n"
    report, at = checked_numbered(tmp_path, body, ["doe2020", "roe2021"])
    assert [(place, severity) for place, severity, _ in problems(report)] == [
        (at(22), "warning"),
        (at(33), "warning"),
    ]
    backward, zero = (message for _, _, message in problems(report))
    assert backward.startswith("citation [2–1] runs down from 2 to 1")
    assert zero == "citation [0] is not read as a citation: references are numbered from 1"


def test_a_citation_inside_anothers_brackets_is_an_error_at_each_place(tmp_path: Path) -> None:
    """pandoc reads `, @b` (or a full-width or Arabic semicolon) as @a's locator: the style
    printed "Roe (2021)" alone, with nothing said."""
    text = (
        f"{PLAIN}First [@doe2020, @roe2021], then [@doe2020；@roe2021] and "
        "[see @roe2021, p. 4 and @doe2020]; fine: [@doe2020; @roe2021].\n"
    )
    report = checked(project(tmp_path, {"paper.md": text}, bib("doe2020", "roe2021")))
    errors = [
        (place, message) for place, severity, message in problems(report) if severity == "error"
    ]
    assert [(place, message[:40]) for place, message in errors] == [
        ("manuscript/paper.md:5:8", "@roe2021 is inside the citation of @doe2"),
        ("manuscript/paper.md:5:35", "@roe2021 is inside the citation of @doe2"),
        ("manuscript/paper.md:5:63", "@doe2020 is inside the citation of @roe2"),
    ]
    assert errors[0][1].endswith("separate citations with an ASCII semicolon: [@a; @b]")


def test_a_code_yaml_reads_as_a_number_is_an_error_at_its_value(tmp_path: Path) -> None:
    """`udc: 004.8` printed "УДК 4.8" in every format; a code YAML keeps as written is fine."""
    text = "---\ntitle: T\nudc: 004.80\nirsti: 10.20  # the field\n---\n\nText.\n"
    report = checked(project(tmp_path, {"paper.md": text}, None))
    assert problems(report) == [
        (
            "manuscript/paper.md:3:6",
            "error",
            'udc 004.80 is read as the number 4.8, and prints so; put it in quotes: udc: "004.80"',
        ),
        (
            "manuscript/paper.md:4:8",
            "error",
            "irsti 10.20 is read as the number 10.2, and prints so; put it in quotes: "
            'irsti: "10.20"',
        ),
    ]
    fine = "---\ntitle: T\nudc: !!str 004.8\nirsti: '10.20'\n---\n\nText.\n"
    assert problems(checked(project(tmp_path / "fine", {"paper.md": fine}, None))) == []


def test_a_cited_key_missing_from_the_bibliography_is_an_error(tmp_path: Path) -> None:
    text = f"{PLAIN}See [@doe2020] and [@smith1999].\n"
    report = checked(project(tmp_path, {"paper.md": text}, bib("doe2020")))
    place, severity, message = only(report)
    assert (place, severity) == ("manuscript/paper.md:5:21", "error")
    assert "@smith1999" in message and "not in the bibliography" in message


def test_a_listed_key_missing_from_the_bibliography_is_an_error_where_it_is_listed(
    tmp_path: Path,
) -> None:
    keys = ["doe2020", "smith1999"]
    text = numbered("See [1] and [2].\n", keys)
    report = checked(project(tmp_path, {"paper.md": text}, bib("doe2020")))
    place, severity, message = only(report)
    assert (place, severity) == (f"manuscript/paper.md:{listed(2)}:5", "error")
    assert "reference-numbers lists 'smith1999' as [2]" in message
    assert "no such entry" in message


# ---------------------------------------------------------------------------------------------
# Errors: files that cannot be read


def test_a_bib_file_that_does_not_parse_names_its_file_and_line(tmp_path: Path) -> None:
    broken = bib("doe2020") + "\n@book{roe2021,\n  author = {Roe, R},\n  title = {Unclosed\n}\n"
    report = checked(project(tmp_path, {"paper.md": f"{PLAIN}See [@doe2020].\n"}, broken))
    place, severity, message = only(report)
    assert (place, severity) == ("bibliography/references.bib:3", "error")
    assert "entry 'roe2021' does not parse" in message


def test_what_pandoc_alone_cannot_read_names_the_entry_and_its_place(tmp_path: Path) -> None:
    # bibtexparser takes the unescaped quotes; pandoc's reader, the one citeproc uses, does not.
    broken = bib("doe2020", "poe2019") + '@book{roe2021,\n  title = "A "quoted" word",\n}\n'
    text = f"{PLAIN}See [@doe2020; @poe2019].\n"
    report = checked(project(tmp_path, {"paper.md": text}, broken))
    errors = [(place, message) for place, kind, message in problems(report) if kind == "error"]
    assert len(errors) == 1, report.lines()
    assert errors[0][0] == "bibliography/references.bib:4:15"
    assert errors[0][1].startswith("entry 'roe2021': pandoc cannot read this entry: unexpected")


def test_a_value_in_typographic_quotes_is_said_so_with_the_character(tmp_path: Path) -> None:
    """pandoc named it `'\\8220'`, and the hint spoke of commas."""
    broken = bib("doe2020") + "@book{roe2021, title = “Книга о праве”, year = 2021}\n"
    report = checked(project(tmp_path, {"paper.md": f"{PLAIN}See [@doe2020].\n"}, broken))
    ((place, message),) = [(p, m) for p, kind, m in problems(report) if kind == "error"]
    assert place == "bibliography/references.bib:2:24"
    assert message.endswith(
        "pandoc cannot read this entry: unexpected '“'; put the value in braces {…}: "
        "typographic quotation marks (“…”, «…», as a word processor types them) do not "
        "delimit a value"
    )


def test_a_missing_comma_between_fields_is_a_parse_error_not_a_traceback(tmp_path: Path) -> None:
    broken = bib("doe2020") + (
        "\n@book{roe2021,\n  author = {Roe, R}\n  title = {B},\n"
        "  publisher = {P}, address = {X}, year = {2021}\n}\n"
    )
    text = f"{PLAIN}See [@doe2020] and [@roe2021].\n"
    root = project(tmp_path, {"paper.md": text}, broken)
    result = doit(root, "check")
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    errors = [parsed(line) for line in result.stderr.splitlines() if ": error: " in line]
    # The entry's own error; a second one for the citation it leaves unresolved is fine.
    assert any(
        place.startswith("bibliography/references.bib:") and "roe2021" in message
        for place, _, message in errors
    ), result.stderr


def test_a_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    text = f"{PLAIN}See [@doe2020], [@roe2021].\n"
    bibliography = bib("doe2020", "roe2021", "doe2020")
    place, severity, message = only(checked(project(tmp_path, {"paper.md": text}, bibliography)))
    assert (place, severity) == ("bibliography/references.bib:3", "error")
    assert "duplicate key 'doe2020'" in message and "first defined at line 1" in message


def test_a_key_defined_in_two_bib_files_names_both(tmp_path: Path) -> None:
    text = f"{PLAIN}See [@doe2020], [@roe2021].\n"
    root = project(tmp_path, {"paper.md": text}, bib("doe2020"))
    (root / "bibliography" / "second.bib").write_text(bib("roe2021", "doe2020"), encoding="utf-8")
    place, severity, message = only(checked(root))
    assert (place, severity) == ("bibliography/second.bib:2", "error")
    assert "duplicate key 'doe2020'" in message
    assert "first defined at bibliography/references.bib:1" in message


def test_a_manuscript_in_windows_1251_says_so_and_how_to_convert(tmp_path: Path) -> None:
    root = project(tmp_path, {}, bib("doe2020"))
    text = (
        f"{PLAIN}Юридическая ответственность государства перед гражданином рассматривается "
        "как составная часть принципа взаимной ответственности [@doe2020].\n"
    )
    (root / "manuscript").mkdir()
    (root / "manuscript" / "paper.md").write_bytes(text.encode("cp1251"))
    report = checked(root)
    place, severity, message = only(report)
    assert (place, severity) == ("manuscript/paper.md:5", "error")
    assert "not UTF-8" in message and "Windows-1251" in message
    assert "iconv -f CP1251 -t UTF-8" in message


def test_a_bib_file_in_utf16_says_so_and_how_to_convert(tmp_path: Path) -> None:
    root = project(tmp_path, {"paper.md": f"{PLAIN}Nothing cited.\n"}, None)
    entry = (
        "@book{mironenko, author = {Мироненко, М. Б.}, title = {Гражданин и государство}, "
        "publisher = {Наука}, address = {Москва}, year = {2001}}\n"
    )
    (root / "bibliography").mkdir()
    (root / "bibliography" / "references.bib").write_bytes(entry.encode("utf-16"))
    report = checked(root)
    place, severity, message = only(report)
    assert (place, severity) == ("bibliography/references.bib:1", "error")
    assert "not UTF-8" in message and "UTF-16" in message
    assert "iconv -f UTF-16 -t UTF-8" in message


@pytest.mark.parametrize(
    ("front", "place", "words"),
    [
        ("title: T\nkeywords: law: rights\n", "3:14", "mapping values are not allowed"),
        ("title: T\nauthor:\n  - A\n - B\n", "5:2", "did not find expected key"),
        ("title: T\ntags: [law, rights\nauthor: A\n", "4:7", "flow sequence"),
    ],
)
def test_front_matter_that_is_not_yaml_gives_line_and_column(
    tmp_path: Path, front: str, place: str, words: str
) -> None:
    text = f"---\n{front}---\n\nText [@doe2020].\n"
    report = checked(project(tmp_path, {"paper.md": text}, bib("doe2020")))
    found, severity, message = only(report)
    assert (found, severity) == (f"manuscript/paper.md:{place}", "error")
    assert message.startswith("front matter is not valid YAML")
    assert words in message


# ---------------------------------------------------------------------------------------------
# Errors: what the journal requires


@pytest.mark.parametrize(
    ("old", "new", "words", "key"),
    [
        ("ru: Текст аннотации., ", "", "an abstract in Russian (ru)", "abstract"),
        ("kk: [құқық], ", "", "keywords in Kazakh (kk)", "keywords"),
        ("udc: '342'\n", "", "a UDC code (udc:)", None),
    ],
)
def test_kz_journal_requires_its_front_matter(
    tmp_path: Path, old: str, new: str, words: str, key: str | None
) -> None:
    """Placed at the field that lacks a language, or at the front matter's top."""
    assert old in KZ
    text = f"---\n{KZ.replace(old, new)}---\n\nText.\n"
    report = checked(project(tmp_path, {"paper.md": text}, None))
    place, severity, message = only(report)
    lines = text.split("\n")
    line = next((i + 1 for i, t in enumerate(lines) if key and t.startswith(f"{key}:")), 1)
    assert (place, severity) == (f"manuscript/paper.md:{line}:1", "error")
    assert f"the front matter lacks {words}" in message
    assert "kz-journal" in message


def test_a_journal_named_on_the_command_line_brings_its_requirements(tmp_path: Path) -> None:
    root = project(tmp_path, {"paper.md": f"{PLAIN}Text.\n"}, None)
    assert checked(root).lines() == ["0 errors, 0 warnings"]
    messages = [message for _, _, message in problems(checked(root, "kz-journal"))]
    assert any("lacks an abstract in Russian (ru)" in m for m in messages)
    assert any("lacks an IRSTI code" in m for m in messages)


def test_an_abstract_written_as_a_section_is_named_where_the_journal_wants_one(
    tmp_path: Path,
) -> None:
    text = (
        "---\ntitle: T\nlang: es\nauthor: A\nkeywords: [a]\n---\n\n# Resumen\n\nEste "
        "trabajo.\n\n# Introducción\n\nTexto.\n"
    )
    root = project(tmp_path, {"paper.md": text}, None)
    place, severity, message = only(checked(root, "ieee"))
    assert (place, severity) == ("manuscript/paper.md:1:1", "error")
    assert message == (
        "the front matter lacks an abstract, which journal 'ieee' requires; the text has a "
        "heading 'Resumen' (manuscript/paper.md:8): move the paragraphs under it into the "
        "front matter, as 'abstract: |' with them indented below it"
    )


# ---------------------------------------------------------------------------------------------
# Warnings: numbering under a numeric style


def test_numbers_out_of_order_say_what_they_will_print_as(tmp_path: Path) -> None:
    report, at = checked_numbered(tmp_path, "First [1], then [3], then [2], and [3] again.\n")
    assert [(p, s) for p, s, _ in problems(report)] == [(at(17), "warning"), (at(27), "warning")]
    first, second = (message for _, _, message in problems(report))
    assert first.startswith("[3] will print as [2]")
    assert second.startswith("[2] will print as [3]")
    assert "order of first citation" in first
    assert report.lines()[-1] == "0 errors, 2 warnings"
    assert not report.failed() and report.failed(strict=True)


def test_an_author_date_style_does_not_care_about_number_order(tmp_path: Path) -> None:
    keys = ", ".join(KEYS[:3])
    text = f"---\ntitle: T\nreference-numbers: [{keys}]\n---\n\nFirst [1], then [3], then [2].\n"
    report = checked(project(tmp_path, {"paper.md": text}, bib(*KEYS[:3])))
    assert report.lines() == ["0 errors, 0 warnings"]


def test_a_gap_in_the_numbering(tmp_path: Path) -> None:
    keys = KEYS[:3]
    text = numbered("First [1], then [3].\n", keys)
    report = checked(project(tmp_path, {"paper.md": text}, bib(*keys)))
    assert [(p, s) for p, s, _ in problems(report)] == [
        (f"manuscript/paper.md:{listed(2)}:5", "warning"),
        (f"manuscript/paper.md:{first_body_line(keys)}:17", "warning"),
    ]
    gap, renumbered = (message for _, _, message in problems(report))
    assert gap.startswith("[2] (roe2021) is listed in reference-numbers but never cited")
    assert renumbered.startswith("[3] will print as [2]")


def test_a_listed_number_never_cited(tmp_path: Path) -> None:
    keys = KEYS[:3]
    text = numbered("Only [1] and [2].\n", keys)
    report = checked(project(tmp_path, {"paper.md": text}, bib(*keys)))
    place, severity, message = only(report)
    assert (place, severity) == (f"manuscript/paper.md:{listed(3)}:5", "warning")
    assert "[3] (poe2022) is listed in reference-numbers but never cited" in message


@pytest.mark.parametrize(
    "body",
    [
        "See [1] and [@uses_method_in:roe2021].\n",  # [2] said to be never cited
        "See [@method:doe2020], then [2] and [1].\n",  # [1] said to print as [3]
    ],
)
def test_a_cito_typed_citation_counts_for_the_numbering(tmp_path: Path, body: str) -> None:
    keys = KEYS[:2]
    report = checked(project(tmp_path, {"paper.md": numbered(body, keys)}, bib(*keys)))
    assert report.lines() == ["0 errors, 0 warnings"]


# A note defined at the end of the file is read (and numbered by citeproc) where it is
# referenced: in the built paper, [1] in the note prints first, then [2].
FOOTNOTED = "Text[^n] then [2].\n\n[^n]: A note on [1].\n"


def test_citations_after_a_footnote_reference_keep_their_place(tmp_path: Path) -> None:
    keys = KEYS[:2]
    report = checked(project(tmp_path, {"paper.md": numbered(FOOTNOTED, keys)}, bib(*keys)))
    line = first_body_line(keys)
    assert numeric(report) == [
        (1, "doe2020", "", line + 2, 17),
        (2, "roe2021", "", line, 15),
    ]


def test_numbering_follows_notes_where_they_are_referenced(tmp_path: Path) -> None:
    keys = KEYS[:2]
    report = checked(project(tmp_path, {"paper.md": numbered(FOOTNOTED, keys)}, bib(*keys)))
    assert report.lines() == ["0 errors, 0 warnings"]


# ---------------------------------------------------------------------------------------------
# Warnings: entries


def test_an_entry_never_cited_is_a_warning_at_its_line(tmp_path: Path) -> None:
    root = project(tmp_path, {"paper.md": f"{PLAIN}See [@doe2020].\n"}, bib("doe2020", "roe2021"))
    place, severity, message = only(checked(root))
    assert (place, severity) == ("bibliography/references.bib:2", "warning")
    assert message == "entry 'roe2021' is never cited"
    (root / "manuscript" / "paper.md").write_text(
        "---\ntitle: T\nnocite: '@roe2021'\n---\n\nSee [@doe2020].\n", encoding="utf-8"
    )
    assert checked(root).lines() == ["0 errors, 0 warnings"]


@pytest.mark.parametrize(
    ("entry", "lacks"),
    [
        (
            "@article{doe2020, author = {Doe, J}, title = {T}, year = {2020}}",
            "(article) lacks journal, pages",
        ),
        (
            "@book{doe2020, author = {Doe, J}, title = {T}, year = {2020}}",
            "(book) lacks publisher, address",
        ),
        ("@online{doe2020, author = {Doe, J}, title = {T}, year = {2020}}", "(online) lacks url"),
        ("@misc{doe2020, title = {T}}", "(misc) lacks author or editor, year"),
    ],
)
def test_an_entry_missing_fields_its_type_needs(tmp_path: Path, entry: str, lacks: str) -> None:
    bibliography = bib("kim2025") + entry + "\n"
    text = f"{PLAIN}See [@kim2025; @doe2020].\n"
    place, severity, message = only(checked(project(tmp_path, {"paper.md": text}, bibliography)))
    assert (place, severity) == ("bibliography/references.bib:2", "warning")
    assert message == f"entry 'doe2020' {lacks}"


def test_entries_to_be_supplied_are_each_listed(tmp_path: Path) -> None:
    bibliography = (
        bib("doe2020")
        + "@misc{ref2,\n  note = {To be supplied: author, title, year.}\n}\n"
        + "@book{ref3, author = {Roe, R}, title = {To be supplied}, publisher = {P},\n"
        + "  address = {X}, year = {2021}}\n"
    )
    text = f"{PLAIN}See [@doe2020; @ref2; @ref3].\n"
    report = checked(project(tmp_path, {"paper.md": text}, bibliography))
    assert [(p, s) for p, s, _ in problems(report)] == [
        ("bibliography/references.bib:2", "warning"),
        ("bibliography/references.bib:5", "warning"),
    ]
    ref2, ref3 = (message for _, _, message in problems(report))
    assert ref2.startswith("entry 'ref2' is marked 'To be supplied'")
    assert ref3 == "entry 'ref3' is marked 'To be supplied'"


def test_the_sample_checks_with_no_errors_and_lists_what_is_to_be_supplied(
    tmp_path: Path,
) -> None:
    report = checked(make_project(tmp_path / "sample", sample=True))
    source = (REPO / "bibliography" / "references.bib").read_text(encoding="utf-8")
    line = {
        match[1]: source.count("\n", 0, match.start()) + 1
        for match in re.finditer(r"^@\w+\{([^,\s]+),", source, re.MULTILINE)
    }
    found = problems(report)
    assert report.lines()[-1] == "0 errors, 6 warnings"
    assert {severity for _, severity, _ in found} == {"warning"}
    to_be_supplied = [
        (place, message.split("'")[1]) for place, _, message in found if "To be supplied" in message
    ]
    assert to_be_supplied == [
        (f"bibliography/references.bib:{line[key]}", key)
        for key in ("ref3", "ref4", "ref5", "ref6")
    ]
    incomplete = [
        (place, message) for place, _, message in found if "To be supplied" not in message
    ]
    assert [place for place, _ in incomplete] == [
        f"bibliography/references.bib:{line['mironenko']}",
        f"bibliography/references.bib:{line['sapargaliev-salimbaeva']}",
    ]
    assert incomplete[0][1].startswith("entry 'mironenko' (misc) lacks title")
    assert incomplete[1][1].startswith("entry 'sapargaliev-salimbaeva' (misc) lacks title")
    assert [c.number for c in report.citations] == [1, 2, 3, 4, 5, 6, 6]


# ---------------------------------------------------------------------------------------------
# The report: sorted lines, a summary, the same as JSON


def test_report_lines_are_sorted_by_position_with_a_summary_and_the_same_json(
    tmp_path: Path,
) -> None:
    text = (
        "---\ntitle: T\nreference-numbers: [doe2020]\n---\n\n"
        "A key [@nokey] first, a label @fig:x.\n\nThen [2], and [1].\n"
    )
    bibliography = bib("doe2020", "roe2021", "doe2020")  # roe2021 never cited; doe2020 twice
    report = checked(project(tmp_path, {"paper.md": text}, bibliography))
    # The manuscript's chapters in reading order, then the bibliography.
    assert places(report) == [
        "manuscript/paper.md:6:8",
        "manuscript/paper.md:6:31",
        "manuscript/paper.md:8:6",
        "bibliography/references.bib:2",
        "bibliography/references.bib:3",
    ]
    assert [severity for _, severity, _ in problems(report)] == [
        "error",
        "warning",
        "error",
        "warning",
        "error",
    ]
    assert report.lines()[-1] == "3 errors, 2 warnings"
    data = json.loads(report.to_json())
    assert data["summary"] == {"errors": 3, "warnings": 2}
    assert [p["text"] for p in data["problems"]] == report.lines()[:-1]
    nokey = data["problems"][0]
    assert (nokey["path"], nokey["line"], nokey["col"]) == ("manuscript/paper.md", 6, 8)
    assert nokey["severity"] == "error" and "@nokey" in nokey["message"]
    assert [(c["key"], c["line"], c["col"]) for c in data["citations"] if c["key"] == "nokey"] == [
        ("nokey", 6, 8)
    ]


def test_problems_in_later_chapters_name_their_chapter(tmp_path: Path) -> None:
    chapters = {
        "01-intro.md": "---\ntitle: T\nreference-numbers: [doe2020, roe2021]\n---\n\nSee [1].\n",
        "02-body.md": "# Body\n\nMore [3] and [@nokey].\n\nThen [2].\n",
    }
    report = checked(project(tmp_path, chapters, bib("doe2020", "roe2021")))
    assert places(report) == ["manuscript/02-body.md:3:6", "manuscript/02-body.md:3:15"]
    assert [c.path for c in report.citations if c.key == "roe2021"] == ["manuscript/02-body.md"]


def test_invalid_yaml_in_a_later_chapter_names_that_chapter(tmp_path: Path) -> None:
    chapters = {
        "01-intro.md": f"{PLAIN}Text [@doe2020].\n",
        "02-body.md": "# Two\n\n---\nabstract: a: b\n---\n\nMore.\n",
    }
    place, severity, message = only(checked(project(tmp_path, chapters, bib("doe2020"))))
    assert (place, severity) == ("manuscript/02-body.md:4:12", "error")
    assert "not valid YAML" in message


def test_a_later_chapters_front_matter_errors_name_that_chapter_and_line(tmp_path: Path) -> None:
    chapters = {
        "01-intro.md": f"{PLAIN}Text.\n",
        "02-body.md": "---\nabstract: Body.\nreference-numbers:\n  - a b\n---\n\nMore.\n",
    }
    place, severity, message = only(checked(project(tmp_path, chapters, None)))
    assert (place, severity) == ("manuscript/02-body.md:3:1", "error")
    assert "'reference-numbers' item 1 is not a BibTeX key" in message


def test_a_later_chapters_front_matter_words_are_found_in_it(tmp_path: Path) -> None:
    """A mixed-script word in the second file's abstract is reported there, where
    `doit fix_script` can mend it."""
    chapters = {
        "01-intro.md": "---\ntitle: Тақырып\nlang: kk\n---\n\nМәтін.\n",
        "02-body.md": "---\nabstract: Қaзақ тілі.\n---\n\nМәтін.\n",
    }
    root = project(tmp_path, chapters, None)
    place, _, message = only(checked(root))
    assert place == "manuscript/02-body.md:2:11" and "'Қазақ'" in message
    result = doit(root, "fix_script")
    assert result.returncode == 0, result.stderr
    assert "abstract: Қазақ тілі." in (root / "manuscript" / "02-body.md").read_text()


def test_a_missing_figure_is_reported_in_the_chapter_that_shows_it(tmp_path: Path) -> None:
    chapters = {
        "01-intro.md": f"{PLAIN}The file fig.png is described below.\n",
        "02-body.md": "# Two\n\nThe file other.png below; see [it](fig.png).\n\n"
        "![A figure.](fig.png)\n\n![Another.][ref]\n\n![Again.](fig.png)\n\n"
        "![Spaced.](<my fig.png>)\n\n[ref]: other.png\n",
    }
    report = checked(project(tmp_path, chapters, None))
    assert [(p, m.split(";")[0]) for p, _, m in problems(report)] == [
        ("manuscript/02-body.md:5:14", "figure 'fig.png' not found"),
        ("manuscript/02-body.md:9:11", "figure 'fig.png' not found"),
        ("manuscript/02-body.md:11:13", "figure 'my fig.png' not found"),
        ("manuscript/02-body.md:13:8", "figure 'other.png' not found"),
    ]


def test_names_given_only_in_another_chapter_file_are_errors_where_used(tmp_path: Path) -> None:
    """pandoc reads each file alone: a note, a link reference or a heading named across files
    would print as written, brackets and all."""
    chapters = {
        "01-intro.md": f"{PLAIN}# Intro\n\nSee the [site], a claim[^far] and [Methods].\n\n"
        "Again [the site][Site] and [Intro].\n\n```\n[site] in code\n```\n",
        "02-body.md": "## Methods\n\nBody [1].\n\n[site]: https://example.org\n\n"
        "[^far]: The note.\n",
    }
    report = checked(project(tmp_path, chapters, None))
    found = [(place, message.split(",")[0]) for place, _, message in problems(report)]
    assert found == [
        (
            "manuscript/01-intro.md:7:9",
            "link reference [site] is defined in manuscript/02-body.md:5",
        ),
        ("manuscript/01-intro.md:7:24", "footnote [^far] is written in manuscript/02-body.md:7"),
        ("manuscript/01-intro.md:7:35", "[Methods] names a heading in manuscript/02-body.md:1"),
    ]


def test_an_image_whose_reference_another_chapter_defines_is_an_error_where_shown(
    tmp_path: Path,
) -> None:
    """`![The logo][logo]` printed as written, with `[logo]: logo.png` in another file."""
    chapters = {
        "01-intro.md": f"{PLAIN}# Intro\n\n![Our logo][logo]\n\n[logo]: logo.png\n",
        "02-body.md": "# Results\n\nSee [Results] and ![The logo, again][logo], ![logo][].\n",
    }
    root = project(tmp_path, chapters, None)
    (root / "manuscript" / "logo.png").write_bytes(PNG)
    found = [(place, message.split(",")[0]) for place, _, message in problems(checked(root))]
    assert found == [
        (
            "manuscript/02-body.md:3:19",
            "image reference [logo] is defined in manuscript/01-intro.md:9",
        )
    ]


def test_a_heading_named_across_files_is_to_be_linked_by_the_identifier_it_has(
    tmp_path: Path,
) -> None:
    chapters = {
        "01-intro.md": f"{PLAIN}See [Introduction], [Méthodes et données] and [Results].\n",
        "02-body.md": "# Introduction {#sec:intro .unnumbered}\n\n# Méthodes et données\n\n"
        "Results {#sec:res}\n=======\n",
    }
    found = [message for _, _, message in problems(checked(project(tmp_path, chapters, None)))]
    wanted = [
        "[Introduction](#sec:intro)",
        "[Méthodes et données](#méthodes-et-données)",
        "[Results](#sec:res)",
    ]
    assert [m.split(": write ")[-1] for m in found] == wanted


def test_names_given_in_code_or_by_the_file_itself_are_not_errors(tmp_path: Path) -> None:
    chapters = {
        "01-intro.md": f"{PLAIN}# Methods\n\n# Summary\n\n```bash\n# TODO\n"
        "[docs]: https://example.com\n```\n\n<!--\n[^n]: hidden\n-->\n\n# x\n\n# Site\n\n"
        "Text line\n# Para\n",
        "02-body.md": "Methods\n=======\n\nAs [Methods] shows. [TODO] cite. See [docs].\n\n"
        "A note.^[Summary] And [^n].\n\n> [^1]: A quoted note.\n>\n> # Quoted\n\n"
        "- An item.\n\n  [site]: https://example.org\n\nUse [^1], [Quoted] and [site].\n\n"
        '<span title="[Summary]">s</span> <https://example.org/[Summary]>\n\n'
        "- [x] done\n- [ ] to do\n\nAnd [Para] is no heading.\n",
    }
    assert problems(checked(project(tmp_path, chapters, None))) == []


def test_a_heading_right_after_the_front_matter_or_a_heading_is_named_across(
    tmp_path: Path,
) -> None:
    chapters = {
        "01-intro.md": "---\ntitle: T\n---\n# Introduction\n## Scope\n\nText.\n",
        "02-body.md": "# Results\n\nAs in [Scope] and [Introduction].\n",
    }
    found = [place for place, _, _ in problems(checked(project(tmp_path, chapters, None)))]
    assert found == ["manuscript/02-body.md:3:7", "manuscript/02-body.md:3:19"]


def test_a_figure_name_no_file_can_have_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    chapters = {"01.md": f"{PLAIN}![x](a%00b.png) ![y]({'a' * 300}.png)\n"}
    found = problems(checked(project(tmp_path, chapters, None)))
    assert [m.split(";")[0].endswith("' is not a file name") for _, _, m in found] == [True] * 2


def test_an_example_list_in_a_second_file_is_a_warning_it_starts_again(tmp_path: Path) -> None:
    chapters = {
        "01-intro.md": f"{PLAIN}(@) The first example.\n",
        "02-body.md": "# Two\n\n```\n(@) in code\n```\n\nAs we saw in\n(@) the claim holds.\n\n"
        "> (@b) Meant to be (2).\n",
    }
    place, severity, message = only(checked(project(tmp_path, chapters, None)))
    assert (place, severity) == ("manuscript/02-body.md:10:3", "warning")
    assert "numbered from (1) again" in message and "manuscript/01-intro.md" in message


def test_an_examples_label_used_in_another_file_says_so_not_a_missing_citation(
    tmp_path: Path,
) -> None:
    chapters = {
        "01-intro.md": f"{PLAIN}(@good) The cat sleeps.\n\nAs @good shows.\n\n"
        "```\n(@code) not an example\n```\n",
        "02-body.md": "# Two\n\nCompare @good, and @code.\n",
    }
    found = [
        (place, message)
        for place, severity, message in problems(checked(project(tmp_path, chapters, None)))
        if severity == "error"
    ]
    assert [place for place, _ in found] == [
        "manuscript/02-body.md:3:9",
        "manuscript/02-body.md:3:20",
    ]
    assert "@good is the label of an example in manuscript/01-intro.md" in found[0][1]
    assert "@code is not in the bibliography" in found[1][1]  # in code: no example


@pytest.mark.parametrize(
    ("chapters", "wanted"),
    [
        (  # not closed, in the third file: its fields would print as the chapter's text
            {"03-results.md": '---\nabstract: "Ours."\nkeywords: [a, b]\n\n# Results\n'},
            ("manuscript/03-results.md:1:1", "the front matter that starts here is not closed"),
        ),
        (
            {"03-results.md": '---\n- title: "x"\n---\n\n# Results\n'},
            ("manuscript/03-results.md:2:1", "the front matter is not fields of YAML"),
        ),
        (  # the first file's not closed, a later one's read: the first is the one to mend
            {
                "01-intro.md": "---\ntitle: T\n\n# Intro\n",
                "03-results.md": "---\nabstract: A.\n---\n\n# Results\n",
            },
            ("manuscript/01-intro.md:1:1", "the front matter that starts here is not closed"),
        ),
    ],
)
def test_front_matter_pandoc_did_not_read_is_an_error_in_any_file(
    tmp_path: Path, chapters: dict[str, str], wanted: tuple[str, str]
) -> None:
    files = {"01-intro.md": f"{PLAIN}Intro.\n", "02-methods.md": "# Methods\n", **chapters}
    place, severity, message = only(checked(project(tmp_path, files, None)))
    assert (place, severity) == (wanted[0], "error") and message.startswith(wanted[1])


def test_a_citation_in_an_inline_note_after_a_referenced_note_is_placed(tmp_path: Path) -> None:
    """pandoc reads `[^a]`'s text, written at the end, before the inline note beside it."""
    text = (
        f"{PLAIN}Text with note.[^a] And an inline note.^[Inline [@inline].]\n\n"
        "[^a]: The note cites [@defined, p. 3].\n"
    )
    found = places(checked(project(tmp_path, {"c.md": text}, None)))
    assert found == ["manuscript/c.md:5:50", "manuscript/c.md:7:23"]


def test_report_follows_the_chapters_in_reading_order(tmp_path: Path) -> None:
    chapters = {"2-intro.md": f"{PLAIN}See [@x].\n", "10-end.md": "End [@y].\n"}
    report = checked(project(tmp_path, chapters, None))
    assert places(report) == ["manuscript/2-intro.md:5:6", "manuscript/10-end.md:1:6"]


def test_windows_line_endings_keep_citation_places(tmp_path: Path) -> None:
    root = project(tmp_path, {}, bib("doe2020"))
    text = (
        "---\ntitle: T\nabstract: Unlike [2], we argue.\nreference-numbers: [doe2020]\n---\n\n"
        "See [2].\n"
    )
    (root / "manuscript").mkdir()
    (root / "manuscript" / "paper.md").write_bytes(text.replace("\n", "\r\n").encode())
    report = checked(root)
    # The abstract's [2] is a citation too, and comes first, as citeproc numbers them.
    assert places(report) == ["manuscript/paper.md:3:18", "manuscript/paper.md:7:5"]
    assert all("citation [2] does not resolve" in message for _, _, message in problems(report))


def test_a_stray_carriage_return_among_unix_lines_is_no_error(tmp_path: Path) -> None:
    """Pasted text leaves a lone CR now and then (one of the French thesis's .bib files has
    two): pandoc drops it, and the file checks; the place counts it as a line break, as most
    editors show it."""
    root = project(tmp_path, {}, bib("doe2020").replace("}", "}\r", 1))
    text = "---\ntitle: T\nreference-numbers: [doe2020]\n---\n\nPasted\rtext.\n\nSee [2].\n"
    (root / "manuscript").mkdir()
    (root / "manuscript" / "paper.md").write_bytes(text.encode())
    place, _, message = only(checked(root))
    assert place == "manuscript/paper.md:9:5"
    assert "citation [2] does not resolve" in message


def test_the_front_matter_cites_first_and_is_checked_like_the_text(tmp_path: Path) -> None:
    """citeproc formats the citations of the abstract (any field but `nocite` and the numbers'
    keys) before the text's: the check finds them, in that order, at their places."""
    text = (
        "---\ntitle: T\nabstract: |\n  Builds on @doe2020\n  and [@nosuch].\n---\n\n"
        "Body [@roe2021].\n"
    )
    root = project(tmp_path, {"paper.md": text}, bib("doe2020", "roe2021"))
    for _ in range(2):  # the second check reads its cache
        report = checked(root)
        assert problems(report) == [
            (
                "manuscript/paper.md:5:8",
                "error",
                "citation @nosuch is not in the bibliography; add it to a .bib file in "
                "bibliography/ or correct the key",
            )
        ]
        assert [c.key for c in report.citations] == ["doe2020", "nosuch", "roe2021"]
        assert [(c.line, c.col) for c in report.citations] == [(4, 13), (5, 8), (8, 7)]


def test_numeric_citations_in_the_abstract_are_made_real(tmp_path: Path) -> None:
    text = (
        "---\ntitle: T\nabstract: Extends the report [2].\n"
        "reference-numbers: [doe2020, roe2021]\n---\n\nThe report [2] and the book [1].\n"
    )
    root = project(tmp_path, {"paper.md": text}, bib("doe2020", "roe2021"))
    report = checked(root)
    assert numeric(report) == [
        (2, "roe2021", "", 3, 30),
        (2, "roe2021", "", 7, 12),
        (1, "doe2020", "", 7, 29),
    ]
    # Cited first in the abstract, [2] is the first entry of a numeric style's list.
    renumbered = [
        (place, message.split(":")[0])
        for place, _, message in problems(checked(root, "ieee"))
        if "will print as" in message
    ]
    assert renumbered == [
        ("manuscript/paper.md:3:30", "[2] will print as [1]"),
        ("manuscript/paper.md:7:29", "[1] will print as [2]"),
    ]


def test_a_field_a_later_chapter_gives_again_is_that_chapters(tmp_path: Path) -> None:
    chapters = {
        "1-intro.md": "---\ntitle: T\nabstract: See [@doe2020].\n---\n\nText.\n",
        "2-end.md": "---\nabstract: See [@roe2021].\n---\n\nEnd.\n",
    }
    root = project(tmp_path, chapters, bib("doe2020", "roe2021"))
    report = checked(root)
    assert [(c.key, c.path) for c in report.citations] == [("roe2021", "manuscript/2-end.md")]


PDF_LINKS = "a PDF links only to a heading, a div, a span, a figure or a table"


def test_links_within_the_paper_lead_to_what_the_pdf_labels(tmp_path: Path) -> None:
    """Typst stops at a link to a label it lacks, and labels only headings, divs, spans,
    figures, tables and citeproc's list and entries: the check names every other link."""
    text = (
        "---\ntitle: T\nabstract: See [the end](#nowhere).\n---\n\n# Method\n\n"
        "::: {#box}\nBoxed.\n:::\n\nA [span]{#sp}, `code`{#co} and [@doe2020].\n\n"
        "| A |\n|---|\n| 1 |\n\n: Caption {#tab}\n\n"
        "Links: [a](#method) [b](#box) [c](#sp) [d](#tab) [e](#refs) [f](#ref-doe2020) "
        "[g](#next)\n[h](#co) [i](#ref-roe2021) [j](#nowhere) [k](#)\n"
    )
    chapters = {"1-a.md": text, "2-b.md": "# Next\n\nEnd [back](#method).\n"}
    root = project(tmp_path, chapters, bib("doe2020", "roe2021"))
    found = [(place, message.split(";")[0]) for place, _, message in problems(checked(root))]
    assert found == [
        ("manuscript/1-a.md:3:25", "link to #nowhere: nothing in the paper has that identifier"),
        (
            "manuscript/1-a.md:21:5",
            f"link to #co: {PDF_LINKS}, and 'co' names something else "
            "(code, an image in a line, a link)",
        ),
        (
            "manuscript/1-a.md:21:14",
            "link to #ref-roe2021: the reference list has no entry 'ref-roe2021'",
        ),
        ("manuscript/1-a.md:21:32", "link to #nowhere: nothing in the paper has that identifier"),
        ("manuscript/1-a.md:21:46", "a link to '#' alone leads nowhere"),
        ("bibliography/references.bib:2", "entry 'roe2021' is never cited"),
    ]


def test_a_link_written_with_spaces_or_percent_signs_is_placed_and_shown_as_written(
    tmp_path: Path,
) -> None:
    text = f"{PLAIN}See [there](<#my sec>) and [x](#r%C3%A9s).\n"
    found = [(p, m) for p, _, m in problems(checked(project(tmp_path, {"paper.md": text}, None)))]
    assert found == [
        (
            "manuscript/paper.md:5:14",
            "link to #my sec: an identifier has no spaces; link to #my-sec and give that to a "
            "heading ({#my-sec} after its text)",
        ),
        (
            "manuscript/paper.md:5:32",
            "link to #rés: nothing in the paper has that identifier; give it to a heading "
            "({#rés} after its text), or correct the link",
        ),
    ]


def test_left_out_raw_passages_name_the_first_written(tmp_path: Path) -> None:
    text = f"{PLAIN}Text <b>BOLD</b> here.\n\nLater \\newpage.\n"
    root = project(tmp_path, {"paper.md": text}, None)
    assert problems(checked(root)) == [
        (
            "manuscript/paper.md:5:6",
            "warning",
            "3 raw HTML and TeX passages left out of every output (the first: '<b>'); "
            "paperbuild renders Markdown, not embedded HTML or LaTeX",
        )
    ]
    (root / "manuscript" / "paper.md").write_text(f"{PLAIN}Only \\newpage.\n", "utf-8")
    assert "(the first: '\\newpage')" in problems(checked(root))[0][2]  # one backslash


def test_raw_passages_in_the_front_matter_are_warned_of_too(tmp_path: Path) -> None:
    text = "---\ntitle: 'A title<br>broken'\nabstract: 'With <b>bold</b>.'\n---\n\nText.\n"
    (found,) = problems(checked(project(tmp_path, {"paper.md": text}, None)))
    assert found[:2] == ("manuscript/paper.md:2:16", "warning")
    assert found[2].startswith("3 raw HTML passages left out of every output (the first: '<br>')")


def test_left_out_raw_passages_that_hold_the_papers_words_are_named_apart(
    tmp_path: Path,
) -> None:
    """A dedication, a heading, an included file: not only the \\vspace before them."""
    text = (
        f"{PLAIN}\\vspace*{{\\fill}}\n\n\\begin{{flushright}}\nA los ateos y los "
        "irreligiosos.\n\\end{flushright}\n\n\\newpage\n\n\\section*{Resumen}\n\n"
        "\\includepdf{article.pdf}\n\nTexto.\n"
    )
    (found,) = problems(checked(project(tmp_path, {"paper.md": text}, None)))
    assert found[0] == "manuscript/paper.md:5:1"
    assert found[2] == (
        "5 raw TeX passages left out of every output (the first: '\\vspace*{\\fill}'); 3 of "
        "them with text of the paper (the first: '\\begin{flushright} A los ateos y los "
        "irreligiosos. \\end{flus'); paperbuild renders Markdown, not embedded HTML or LaTeX"
    )


def test_pandoc_crossref_labels_pandoc_reads_as_text_are_left_out(tmp_path: Path) -> None:
    text = (
        f"{PLAIN}Text $$ x = 1 $$ {{#eq:larmor}} more.\n\n$$ y $$ {{#eq:b}}\n\n"
        "```\ncode {#eq:incode}\n```\n"
    )
    root = project(tmp_path, {"paper.md": text}, None)
    report = checked(root)
    assert problems(report) == [
        (
            "manuscript/paper.md:5:18",
            "warning",
            "2 pandoc-crossref labels left out of every output (the first: '{#eq:larmor}'); "
            "paperbuild does not run pandoc-crossref, so they number nothing",
        )
    ]
    assert doit(root, "html").returncode == 0
    page = (root / "build" / "paper.html").read_text(encoding="utf-8")
    assert "{#eq:larmor}" not in page and "{#eq:b}" not in page and "{#eq:incode}" in page
    assert "</math> more." in page


@pytest.mark.parametrize(
    ("text", "place", "first"),
    [
        (
            f"{PLAIN}<!-- Use the \\newpage command to force a new page -->\n\n\\newpage\n",
            "7:1",
            None,
        ),
        (f"{PLAIN}Write `\\newpage` for a page.\n\n\\newpage\n", "7:1", None),
        # A raw block is a raw passage, though fenced like code: the first written.
        (f"{PLAIN}```{{=latex}}\n\\clearpage\n```\n\n\\newpage\n", "6:1", "\\clearpage"),
        # Columns in a file whose lines end in CR LF.
        (f"{PLAIN}Text \\newpage here.\n".replace("\n", "\r\n"), "5:6", None),
    ],
    ids=["comment", "inline-code", "raw-block", "crlf"],
)
def test_a_raw_passage_is_placed_where_it_is_written_not_where_it_is_mentioned(
    tmp_path: Path, text: str, place: str, first: str | None
) -> None:
    root = project(tmp_path, {"paper.md": text}, None)
    (found,) = problems(checked(root))
    assert found[0] == f"manuscript/paper.md:{place}"
    if first:
        assert f"(the first: '{first}')" in found[2]


@pytest.mark.parametrize(
    ("body", "places"),
    [
        # The path in a comment, then in the figure: the figure's place.
        ("<!-- old version: ![Old](fig.png) -->\n\nReal: ![Fig](fig.png)\n", ["7:14"]),
        # Named in the text, then by a caption over two lines.
        (
            "The data for fig.png came from the lab.\n\n![A long caption that\n"
            "wraps onto a second line](fig.png)\n",
            ["8:27"],
        ),
        # Twice, the first caption wrapped: each at its own place.
        ("![A long caption that\nwraps](fig.png)\n\nAgain: ![Short](fig.png)\n", ["6:8", "8:17"]),
        # In code: not a figure, and not its place.
        ("```\n![x](fig.png)\n```\n\n![y](fig.png)\n", ["9:6"]),
        # A link to the same file after another figure: not the figure.
        ("![x](other.png)\n\n[data](fig.png)\n\n![y](fig.png)\n", ["9:6"]),
    ],
    ids=["comment", "wrapped-caption", "twice", "code", "link-after-a-figure"],
)
def test_a_missing_figure_is_placed_at_the_figure(
    tmp_path: Path, body: str, places: list[str]
) -> None:
    root = project(tmp_path, {"paper.md": f"{PLAIN}{body}"}, None)
    found = [(place, message.split(";")[0]) for place, _, message in problems(checked(root))]
    assert [f for f in found if "'fig.png'" in f[1]] == [
        (f"manuscript/paper.md:{place}", "figure 'fig.png' not found") for place in places
    ]


def test_a_file_raw_latex_includes_is_said_once_as_the_raw_passage_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pandoc (sandboxed) warns it could not read `\\input`'s file, in its own words; the check
    already says the passage is left out, at its line."""
    text = f"{PLAIN}Text.\n\n\\input{{chapter.tex}}\n\n\\lstinputlisting{{code.R}}\n"
    root = project(tmp_path, {"paper.md": text}, None)
    assert [(place, kind) for place, kind, _ in problems(checked(root))] == [
        ("manuscript/paper.md:7:1", "warning")
    ]
    assert "include file" not in capsys.readouterr().err


def test_a_field_given_twice_in_one_block_is_placed_at_the_second(tmp_path: Path) -> None:
    text = "---\ntitle: T\nabstract: A.\n'title': U\n---\n\nText.\n\n---\ntitle: V\n---\n"
    root = project(tmp_path, {"paper.md": text}, None)
    assert problems(checked(root)) == [
        (
            "manuscript/paper.md:4:1",
            "warning",
            "'title' is given again (first on line 2), and pandoc takes this one; remove the "
            "one you do not mean",
        )
    ]


CROSSREF = """@incollection{child, author = {C, C.}, title = {I}, pages = {1}, crossref = {parent}}
@book{parent, editor = {P, P.}, title = {Vol}, booktitle = {Vol}, publisher = {E},
  address = {A}, year = {2010}}
@incollection{orphan, author = {Lone, L.}, title = {Two}, pages = {2}, crossref = {volume2}}
@book{volume2, editor = {Two, T.}, title = {Vol 2}, address = {A}, year = {2011}}
@incollection{cased, author = {K, K.}, title = {III}, pages = {3}, crossref = {Parent}}
"""


def test_a_crossref_gives_its_fields_and_is_no_uncited_entry(tmp_path: Path) -> None:
    """An @incollection takes the fields it lacks from the book it names, as pandoc reads it:
    by the key's exact case, and not the book's title as its booktitle. That book serves it,
    cited or not; what neither has is lacking."""
    text = f"{PLAIN}See [@child], [@orphan] and [@cased].\n"
    root = project(tmp_path, {"paper.md": text}, CROSSREF)
    lacking = [
        (
            "bibliography/references.bib:4",
            "warning",
            "entry 'orphan' (incollection) lacks booktitle, publisher",
        ),
        ("bibliography/references.bib:5", "warning", "entry 'volume2' (book) lacks publisher"),
        (
            "bibliography/references.bib:6",
            "warning",
            "entry 'cased' (incollection) lacks year, booktitle, publisher",
        ),
        (
            "bibliography/references.bib:6",
            "warning",
            "entry 'cased' takes fields from 'Parent', but this file has 'parent' (pandoc "
            "matches keys by their case); write 'parent'",
        ),
    ]
    assert problems(checked(root)) == lacking
    (root / "manuscript" / "paper.md").write_text(f"{PLAIN}See [@orphan], [@cased].\n", "utf-8")
    assert problems(checked(root)) == [
        ("bibliography/references.bib:1", "warning", "entry 'child' is never cited"),
        ("bibliography/references.bib:2", "warning", "entry 'parent' is never cited"),
        *lacking,
    ]


@pytest.mark.parametrize(
    ("field", "place", "said"),
    [
        (
            "nocite: ['*']",
            "manuscript/paper.md:3:11",
            "'*' without an @, so pandoc leaves it out "
            "of the reference list; write @*, for every entry of the bibliography",
        ),
        ("nocite: [doe2020, c]", "manuscript/paper.md:3:10", "'doe2020' without an @"),
        ("nocite: '@doe2020, c'", "manuscript/paper.md:3:20", "'c' without an @"),
    ],
)
def test_a_nocite_word_without_an_at_is_an_error_where_it_is_written(
    tmp_path: Path, field: str, place: str, said: str
) -> None:
    """pandoc reads only @keys there: the entries were left out of the list without a word."""
    text = f"---\ntitle: T\n{field}\n---\n\nText [@roe2021].\n"
    root = project(tmp_path, {"paper.md": text}, bib("doe2020", "roe2021"))
    errors = [(p, m) for p, s, m in problems(checked(root)) if s == "error"]
    assert len(errors) == 1 and errors[0][0] == place
    assert said in errors[0][1]


def test_a_key_nocite_lists_must_be_in_the_bibliography(tmp_path: Path) -> None:
    text = "---\ntitle: T\nnocite: |\n  @doe2020, @nosuch\n---\n\nText.\n"
    root = project(tmp_path, {"paper.md": text}, bib("doe2020"))
    assert problems(checked(root)) == [
        (
            "manuscript/paper.md:4:13",
            "error",
            "nocite lists @nosuch, which is not in the bibliography; add it to a .bib file in "
            "bibliography/ or correct the key",
        )
    ]


def test_characters_the_pdfs_fonts_lack_are_named_once(tmp_path: Path) -> None:
    """Typst draws them as empty boxes without a word; Kazakh, Greek or Arabic it draws."""
    text = f"{PLAIN}Қазақша, Ελληνικά, العربية [@doe2020].\n\nThen 中文 and ไทย.\n"
    entry = bib("doe2020").replace("{Book doe2020}", "{Book 书}")
    root = project(tmp_path, {"paper.md": text}, entry)
    assert problems(checked(root)) == [
        (
            "manuscript/paper.md:7:6",
            "warning",
            "the PDF's fonts have no glyph for '中' and 5 other characters: the PDF prints an "
            "empty box for each; put a font that has them (Noto Serif CJK for Chinese, "
            "Japanese and Korean) in templates/fonts/",
        )
    ]
    (root / "manuscript" / "paper.md").write_text(text.split("Then")[0], encoding="utf-8")
    assert [p[0] for p in problems(checked(root))] == ["bibliography/references.bib:1"]


@pytest.mark.parametrize(
    "text",
    [
        # An author's handle reads as a citation to pandoc, in a field no layout prints.
        "---\ntitle: T\nauthor:\n  - name: Jane Doe\n    twitter: '@janedoe'\n---\n\nText.\n",
        # A link to an entry nocite lists, and one percent-encoded as a browser copies it.
        "---\ntitle: T\nnocite: '@doe2020'\n---\n\n# Résultats\n\n"
        "See [it](#ref-doe2020) and [here](#r%C3%A9sultats).\n",
        # A raw passage of blanks after another; an emoji in a comment, which is not printed.
        "---\ntitle: T\n---\n\n```{=html}\n<div>hi</div>\n```\n\nA `  `{=html} b.\n\n<!-- 😀 -->\n",
        # `lang:` left empty is the default, as pandoc takes it.
        "---\ntitle: T\nlang:\n---\n\nText.\n",
    ],
)
def test_what_the_review_found_valid_stays_valid(tmp_path: Path, text: str) -> None:
    root = project(tmp_path, {"paper.md": text}, bib("doe2020"))
    assert [p for p in problems(checked(root)) if p[1] == "error"] == []
    assert not [p for p in problems(checked(root)) if "glyph" in p[2]]


def test_a_figure_named_without_its_kind_and_an_unprinted_abstract_pass(tmp_path: Path) -> None:
    """Typst tells a figure's kind by its bytes when its name does not; a .bib abstract is not
    printed, so its Chinese needs no font."""
    entry = bib("doe2020").replace("year = {2020}", "year = {2020}, abstract = {中文}")
    root = project(tmp_path, {"paper.md": f"{PLAIN}See [@doe2020].\n\n![P.](plot)\n"}, entry)
    (root / "manuscript" / "plot").write_bytes(PNG)
    assert problems(checked(root)) == []


def test_a_quoted_field_and_a_list_at_column_one_keep_their_citations_places(
    tmp_path: Path,
) -> None:
    text = '---\ntitle: T\n"abstract": See [@nosuch].\nkeywords:\n- a [@nokey]\n---\n\nText.\n'
    root = project(tmp_path, {"paper.md": text}, None)
    assert places(checked(root)) == ["manuscript/paper.md:3:18", "manuscript/paper.md:5:6"]


# ---------------------------------------------------------------------------------------------
# The command: `doit check`, and the build that depends on it


def build_files(root: Path) -> list[str]:
    build = root / "build"
    return sorted(p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file())


def stderr_lines(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_doit_stops_on_errors_and_writes_only_the_report(tmp_path: Path) -> None:
    text = f"{PLAIN}See [@smith1999].\n\nAnd [@doe2020].\n"
    root = project(tmp_path, {"paper.md": text}, bib("doe2020", "roe2021"))
    result = doit(root)  # the build: pdf, docx and html depend on the check
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    lines = stderr_lines(result)
    assert [parsed(line)[:2] for line in lines[:-1]] == [
        ("manuscript/paper.md:5:6", "error"),
        ("bibliography/references.bib:2", "warning"),
    ]
    assert lines[-1] == "1 error, 1 warning"
    data = json.loads((root / "build" / "check.json").read_text(encoding="utf-8"))
    assert [p["text"] for p in data["problems"]] == lines[:-1]
    assert data["summary"] == {"errors": 1, "warnings": 1}
    written = build_files(root)
    assert "check.json" in written
    assert [
        f for f in written if f not in ("check.json", ".doit.db") and not f.startswith(".cache/")
    ] == []


def test_doit_check_passes_with_warnings_and_strict_makes_them_fail(tmp_path: Path) -> None:
    text = f"{PLAIN}See [@doe2020].\n"
    root = project(tmp_path, {"paper.md": text}, bib("doe2020", "roe2021"))
    warning = "bibliography/references.bib:2: warning: entry 'roe2021' is never cited"

    result = doit(root, "check")
    assert result.returncode == 0, result.stderr
    assert stderr_lines(result) == [warning, "0 errors, 1 warning"]
    assert (root / "build" / "paper.checked.json").exists()

    strict = doit(root, "check", "strict=1")
    assert strict.returncode != 0
    assert "Traceback" not in strict.stdout + strict.stderr
    assert stderr_lines(strict) == [
        warning,
        "0 errors, 1 warning (strict: warnings count as errors)",
    ]
    assert not (root / "build" / "paper.checked.json").exists()  # the build cannot go on
    data = json.loads((root / "build" / "check.json").read_text(encoding="utf-8"))
    assert [p["text"] for p in data["problems"]] == [warning]

    build = doit(root, "strict=1")
    assert build.returncode != 0
    assert not any(name.startswith("paper.") for name in build_files(root))


MIRONENKO = (
    "@book{mironenko,\n  author = {Мироненко, М. Б.},\n"
    "  title = {Гражданин и государство: взаимная ответственность},\n"
    "  publisher = {Наука},\n  address = {Москва},\n  year = {2001},\n  langid = {russian}\n}\n"
)
DOE = (
    "@article{doe2020,\n  author = {Doe, Jane},\n  title = {On Things},\n"
    "  journal = {Journal of Law},\n  volume = {12},\n  number = {3},\n  pages = {45--67},\n"
    "  year = {2020}\n}\n"
)


def test_doit_check_prints_the_citation_table(tmp_path: Path) -> None:
    text = numbered("Қараңыз [1] және [2, б. 46].\n", ["mironenko", "doe2020"])
    root = project(tmp_path, {"paper.md": text}, MIRONENKO + DOE)
    result = doit(root, "check")
    assert result.returncode == 0, result.stderr
    assert stderr_lines(result) == []
    rows = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert len(rows) == 2, result.stdout
    assert re.fullmatch(
        r"\[1\] +mironenko +Мироненко М\. Б\. Гражданин и государство: взаимная "
        r"ответственность\. Москва: Наука, 2001\.",
        rows[0],
    ), rows[0]
    assert re.match(r"\[2\] +doe2020 +Doe J\. ", rows[1]), rows[1]
    # An English work, in English terms as kz-journal prints it (`reference-terms: entry`).
    for gost in ("// Journal of Law. 2020.", "Vol. 12, no. 3.", "P. 45–67"):
        assert gost in rows[1]
    data = json.loads((root / "build" / "check.json").read_text(encoding="utf-8"))
    assert [(row["number"], row["key"]) for row in data["table"]] == [
        (1, "mironenko"),
        (2, "doe2020"),
    ]
    assert data["table"][0]["reference"].startswith("Мироненко М. Б. Гражданин и государство")


def test_doit_names_the_chapter_a_problem_is_in(tmp_path: Path) -> None:
    chapters = {
        "01-intro.md": "---\ntitle: T\nreference-numbers: [doe2020]\n---\n\n# Intro\n\nSee [1].\n",
        "02-body.md": "# Body\n\nMore text.\n\nAnd [@nokey].\n",
    }
    root = project(tmp_path, chapters, bib("doe2020"))
    result = doit(root, "check")
    assert result.returncode != 0
    lines = stderr_lines(result)
    assert [parsed(line)[:2] for line in lines[:-1]] == [("manuscript/02-body.md:5:6", "error")]
    assert "@nokey" in lines[0]
    assert lines[-1] == "1 error, 0 warnings"


def test_after_an_edit_the_other_chapters_asts_are_not_read_again(tmp_path: Path) -> None:
    """The chapter cache keeps each AST's metadata beside it: a warm check merges metadata
    without decoding the unchanged chapters, and its result is a cold check's."""
    from paperbuild import chapters

    root = project(
        tmp_path,
        {
            "01-intro.md": numbered("# One\n\nFirst [1], then [2, с. 5].\n"),
            "02-body.md": "# Two\n\nSecond [3].\n",
            "03-end.md": "---\nabstract: {en: Ends.}\n---\n\n# Three\n\nThird [1].\n",
        },
        bib(*KEYS),
    )
    cache = root / "build" / ".cache" / "chapters"
    run(root)
    body = root / "manuscript" / "02-body.md"
    body.write_text("# Two\n\nSecond, edited [3; 4].\n", encoding="utf-8")

    parts = chapters.read(Project.discover(root), cache)
    assert ["doc" in vars(part) for part in parts] == [False, True, False]
    assert [part.meta for part in parts] == [json.loads(p.source)["meta"] for p in parts]
    assert chapters.metadata(parts)["abstract"] == parts[2].doc["meta"]["abstract"]

    warm = run(root)
    cold = check.run(Project.discover(root), None, tmp_path / "fresh", False)
    assert warm.doc is not None and warm.doc == cold.doc
    assert warm.report.to_json() == cold.report.to_json()


def test_a_chapter_cache_without_its_outline_is_parsed_again(tmp_path: Path) -> None:
    from paperbuild import chapters

    root = project(tmp_path, {"paper.md": PLAIN + "Text.\n"}, None)
    cache = root / "build" / ".cache" / "chapters"
    first = chapters.read(Project.discover(root), cache)[0]
    for outline in cache.glob("*.outline.json"):
        outline.write_text("{", encoding="utf-8")  # cut short
    again = chapters.read(Project.discover(root), cache)[0]
    assert "doc" in vars(again)  # parsed, not taken from the cache
    assert again.doc == first.doc and again.meta == first.meta


def test_the_chapter_cache_keeps_only_what_the_chapters_are_now(tmp_path: Path) -> None:
    root = project(tmp_path, {"01.md": PLAIN + "One.\n", "02.md": "Two.\n"}, None)
    cache = root / "build" / ".cache" / "chapters"
    run(root)
    assert len(list(cache.glob("*.json"))) == 4  # an AST and its outline a chapter
    for text in ("Two, edited.\n", "Two, edited again.\n"):
        (root / "manuscript" / "02.md").write_text(text, encoding="utf-8")
        run(root)
    assert len(list(cache.glob("*.json"))) == 4


def test_parses_begun_early_are_taken_not_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from paperbuild import chapters

    root = project(tmp_path, {"01.md": PLAIN + "One.\n", "02.md": "Two.\n", "03.md": "3.\n"}, None)
    cache = root / "build" / ".cache" / "chapters"
    run(root)
    (root / "manuscript" / "02.md").write_text("Two, edited.\n", encoding="utf-8")
    (root / "manuscript" / "03.md").write_text("Three, edited.\n", encoding="utf-8")
    parsed: list[str] = []
    parse = chapters._parse
    monkeypatch.setattr(
        chapters, "_parse", lambda p, name, text: parsed.append(name) or parse(p, name, text)
    )
    started = chapters.start(Project.discover(root), cache)
    assert len(started) == 2  # the edited chapters; the first is in the cache
    # Edited again after the start: that parse is of no use, and the chapter is read anew.
    (root / "manuscript" / "03.md").write_text("Three, edited twice.\n", encoding="utf-8")
    parts = chapters.read(Project.discover(root), cache, started)
    assert sorted(parsed) == ["manuscript/02.md", "manuscript/03.md", "manuscript/03.md"]
    assert [stringify_blocks(part.doc) for part in parts] == [
        "One.",
        "Two, edited.",
        "Three, edited twice.",
    ]


def test_nothing_begins_early_when_a_chapter_would_stop_the_check(tmp_path: Path) -> None:
    from paperbuild import chapters

    root = project(tmp_path, {"01.md": PLAIN + "One.\n", "02.md": "Two.\n"}, None)
    (root / "manuscript" / "02.md").write_bytes("Екі.\n".encode("cp1251"))
    assert chapters.start(Project.discover(root), root / "build" / "chapters") == {}
    report = checked(root)
    assert "manuscript/02.md" in report.lines()[0] and "UTF-8" in report.lines()[0]


def stringify_blocks(doc: dict[str, Any]) -> str:
    from paperbuild.pandoc_ast import stringify

    return " ".join(stringify(block) for block in doc["blocks"])


@pytest.mark.parametrize(
    "url",
    [
        "\x01javascript:a()",
        " \x1bJavaScript:a()",
        "java\tscript:a()",
        "vb\nscript:a()",
        "data:text/html;base64,PHA+",
        "DATA:image/svg+xml,<svg/>",
    ],
)
def test_a_url_a_browser_would_read_as_script_is_found(url: str) -> None:
    """Browsers drop control characters before a URL and tabs and line breaks in it; the
    chapter's quick search must find it in pandoc's JSON, where they are escaped."""
    from paperbuild.chapters import _SCRIPT
    from paperbuild.pandoc_ast import runs_script

    assert runs_script(url)
    assert _SCRIPT.search(json.dumps({"t": "Link", "c": [[], [], [url, ""]]}).encode())


@pytest.mark.parametrize(
    "url", ["https://example.org", "java%20script:a()", "#sec", "data:image/png;base64,iVBO"]
)
def test_a_url_that_runs_nothing_is_kept(url: str) -> None:
    from paperbuild.pandoc_ast import runs_script

    assert not runs_script(url)


def test_pandocs_citation_keys_in_the_front_matter_are_said_to_be_unused(tmp_path: Path) -> None:
    """paperbuild sets the style and the bibliography itself: an author's `csl:` or
    `bibliography:` was dropped without a word."""
    text = "---\ntitle: T\ncsl: apa.csl\nbibliography: [refs.bib]\n---\n\nText [@doe2020].\n"
    root = project(tmp_path, {"paper.md": text}, bib("doe2020"))
    assert problems(checked(root)) == [
        (
            "manuscript/paper.md:3:1",
            "warning",
            "'csl' in the front matter is not used: the journal's profile chooses the citation "
            "style (csl: in templates/article/profile.yaml)",
        ),
        (
            "manuscript/paper.md:4:1",
            "warning",
            "'bibliography' in the front matter is not used: every .bib file in bibliography/ "
            "is the bibliography",
        ),
    ]


def test_an_escaped_bracket_of_numbers_is_text_as_written(tmp_path: Path) -> None:
    """`\\[1\\]` is how Markdown writes brackets that are no link: pandoc reads it as [1], and
    it was made a citation (or, for `\\[2020\\]`, an unplaced error)."""
    text = (
        "---\ntitle: T\nreference-numbers: [doe2020]\n---\n\n"
        "Article \\[1\\] of the law, and \\[2020\\]; cited [1].\n"
    )
    root = project(tmp_path, {"paper.md": text}, bib("doe2020"))
    outcome = run(root)
    assert outcome.report.lines() == ["0 errors, 0 warnings"]
    assert numeric(outcome.report) == [(1, "doe2020", "", 6, 47)]
    assert stringify(outcome.doc["blocks"]).startswith("Article [1] of the law, and [2020]")
    assert len(list(elements(outcome.doc["blocks"], "Cite"))) == 1


def test_a_figure_in_the_front_matter_is_an_error_at_it(tmp_path: Path) -> None:
    """No writer embeds it: the DOCX read whatever file it named, the PDF failed."""
    text = "---\ntitle: T\nabstract: 'See ![o](/etc/hostname) here.'\n---\n\nText.\n"
    root = project(tmp_path, {"paper.md": text}, None)
    assert problems(checked(root)) == [
        (
            "manuscript/paper.md:3:21",
            "error",
            "figure '/etc/hostname' is in the front matter, which journals print as text; "
            "move it into the text",
        )
    ]


def test_a_key_listed_twice_in_reference_numbers_is_a_warning(tmp_path: Path) -> None:
    text = "---\ntitle: T\nreference-numbers: [doe2020, roe2021, doe2020]\n---\n\nA [1], B [2].\n"
    root = project(tmp_path, {"paper.md": text}, bib("doe2020", "roe2021"))
    assert problems(checked(root)) == [
        (
            "manuscript/paper.md:3:1",
            "warning",
            "'doe2020' is listed in reference-numbers 2 times, as [1] and [3]; list it once and "
            "cite it by that number",
        )
    ]


def test_the_citation_table_renders_a_key_with_capitals(tmp_path: Path) -> None:
    """citeproc-py keeps keys in lower case: a row for `Doe2020` was left blank."""
    text = numbered("Қараңыз [1].\n", ["Doe2020"])
    root = project(tmp_path, {"paper.md": text}, bib("Doe2020"))
    outcome = run(root, table=True)
    assert [(row.key, row.reference) for row in outcome.report.table] == [
        ("Doe2020", "Doe J. Book Doe2020. Almaty: Nauka, 2020.")
    ]


def test_the_citation_table_tells_keys_that_differ_in_case_alone(tmp_path: Path) -> None:
    """citeproc-py folds keys to lower case: both rows named the second work."""
    entries = bib("Doe2020").replace("Book Doe2020", "First") + bib("doe2020").replace(
        "Book doe2020", "Second"
    )
    text = numbered("See [1] and [2].\n", ["Doe2020", "doe2020"])
    outcome = run(project(tmp_path, {"paper.md": text}, entries), table=True)
    first, second = (row.reference for row in outcome.report.table)
    assert "First" in first and "Second" in second


def test_the_citation_table_prints_each_entry_in_its_languages_terms(tmp_path: Path) -> None:
    """kz-journal prints each work in its own language's terms: the table gave all Kazakh's."""
    entries = (
        "@book{ru1, author = {Иванов, И. И.}, title = {Книга о праве}, publisher = {Юрист},\n"
        "  address = {Москва}, year = 2019, pagetotal = 432}\n"
        "@book{en1, author = {Abbott, A.}, title = {State liability}, publisher = {OUP},\n"
        "  address = {Oxford}, year = 2019, pagetotal = 300}\n"
    )
    text = numbered("Мәтін [1], [2].\n", ["ru1", "en1"])
    outcome = run(project(tmp_path, {"paper.md": text}, entries), table=True)
    russian, english = (row.reference for row in outcome.report.table)
    assert russian.endswith("Москва: Юрист, 2019. 432 с.")
    assert english.endswith("Oxford: OUP, 2019. 300 p.")


def test_the_citation_table_title_cases_english_titles_only(tmp_path: Path) -> None:
    """citeproc-py title-cased every title: "Über Die Größe Von Käfern" in a German paper."""
    entries = (
        "@article{de, author = {Müller, H.}, title = {Über die Größe von Käfern},\n"
        "  journal = {Zeitschrift für Entomologie}, year = 2001, volume = 3, pages = {1--9}}\n"
        "@article{en, author = {Smith, J.}, title = {On the size of beetles}, langid = {english},\n"
        "  journal = {Journal of entomology}, year = 2002, volume = 4, pages = {2--8}}\n"
    )
    text = "---\ntitle: T\nlang: de\n---\n\nText [@de; @en].\n"
    outcome = run(project(tmp_path, {"paper.md": text}, entries), table=True)
    german, english = (row.reference for row in outcome.report.table)
    assert "Über die Größe von Käfern" in german and "Zeitschrift für Entomologie" in german
    assert "On the Size of Beetles" in english  # the article style's title case, in English


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ("", "has no type, so it prints pandoc's word for it ('phdthesis', 'PhD thesis')"),
        ("type = {дис. \\ldots{} канд. юрид. наук},", "type holds TeX ('\\ldots')"),
        ("type = {mathesis},", "type = {mathesis} is biblatex's name for a degree"),
    ],
)
def test_a_thesis_without_its_degree_or_with_tex_in_it_is_a_warning(
    tmp_path: Path, fields: str, said: str
) -> None:
    """A Russian paper printed ": phdthesis.", and `\\ldots{}` as written."""
    entry = (
        "@phdthesis{zh2010, author = {Жумабаев, С. К.}, title = {Тема}, school = {КазНУ},\n"
        f"  {fields} address = {{Алматы}}, year = 2010}}\n"
    )
    text = "---\ntitle: Т\nlang: ru\n---\n\nТекст [@zh2010].\n"
    ((place, severity, message),) = problems(checked(project(tmp_path, {"paper.md": text}, entry)))
    assert (place, severity) == ("bibliography/references.bib:1", "warning")
    assert said in message


@pytest.mark.parametrize("year", ["2020a", "б.ж.", "in press", "٢٠٢٠"])
def test_a_year_that_is_no_year_is_a_warning_at_its_entry(tmp_path: Path, year: str) -> None:
    """pandoc reads no year from it: the reference printed 'n.d.', and the check was silent."""
    entry = bib("doe2020").replace("year = {2020}", f"year = {{{year}}}")
    root = project(tmp_path, {"paper.md": f"{PLAIN}Text [@doe2020].\n"}, entry)
    assert problems(checked(root)) == [
        (
            "bibliography/references.bib:1",
            "warning",
            f"entry 'doe2020': year '{year}' is not a year, so pandoc drops it and the reference "
            "prints none; write the year alone (citeproc adds 2020a, 2020b itself), or leave it "
            "out",
        )
    ]


def test_fields_between_two_rules_in_the_text_are_said_to_print_nothing(tmp_path: Path) -> None:
    """pandoc reads them as metadata: the paragraph vanished from every output, silently."""
    text = (
        f"{PLAIN}Some text.\n\n---\nNote: this sits between two rules\n---\n\nMore text.\n\n"
        "---\n\nA rule, then text.\n"
    )
    root = project(tmp_path, {"paper.md": text}, None)
    assert problems(checked(root)) == [
        (
            "manuscript/paper.md:7:1",
            "warning",
            "lines 7-9 are read as metadata (Note), not printed; if they are text between two "
            "rules, put a blank line after the first ---",
        )
    ]


def test_an_entry_pandoc_cannot_read_is_not_also_said_to_lack_fields(tmp_path: Path) -> None:
    """A missing comma hid the title from bibtexparser: 'lacks title' beside the real error."""
    entry = (
        "@book{doe2020,\n  author = {Doe, Jane}\n  title = {Book},\n  publisher = {Nauka},\n"
        "  address = {Almaty}, year = {2020}\n}\n"
    )
    root = project(tmp_path, {"paper.md": f"{PLAIN}Text [@doe2020].\n"}, entry)
    assert [(place, kind) for place, kind, _ in problems(checked(root))] == [
        ("bibliography/references.bib:3:3", "error")
    ]


def test_an_escaped_bracket_is_text_in_a_caption_its_description_and_the_front_matter(
    tmp_path: Path,
) -> None:
    text = (
        "---\ntitle: T\nabstract: 'See Article \\[1\\] of the law.'\n"
        "reference-numbers: [doe2020]\n---\n\n![Law \\[1\\] and [1].](fig.png)\n"
    )
    root = project(tmp_path, {"paper.md": text}, bib("doe2020"))
    (root / "manuscript" / "fig.png").write_bytes(PNG)
    outcome = run(root)
    assert [(c.line, c.col) for c in outcome.report.citations] == [(7, 17)]
    figure = next(block for block in outcome.doc["blocks"] if block["t"] == "Figure")
    assert len(list(elements(figure, "Cite"))) == 2  # the caption's [1], and its copy
    assert stringify(outcome.doc["meta"]["abstract"]) == "See Article [1] of the law."


def test_a_glued_number_is_spaced_after_emphasis_but_an_escaped_one_is_left_as_written(
    tmp_path: Path,
) -> None:
    text = (
        "---\ntitle: T\njournal: apa\nreference-numbers: [doe2020]\n---\n\n"
        "The *word*[1] and Article\\[1\\] here.\n"
    )
    root = project(tmp_path, {"paper.md": text}, bib("doe2020"))
    outcome = run(root)
    (para,) = outcome.doc["blocks"]
    kinds = [i["t"] if i["t"] != "Str" else i["c"] for i in para["c"]]
    at = kinds.index("Emph")
    assert kinds[at : at + 3] == ["Emph", "Space", "Cite"]
    assert "Article[1]" in stringify(para)


def test_a_year_range_is_a_year(tmp_path: Path) -> None:
    entry = bib("doe2020").replace("year = {2020}", "year = {2020/2021}")
    root = project(tmp_path, {"paper.md": f"{PLAIN}Text [@doe2020].\n"}, entry)
    assert problems(checked(root)) == []


@pytest.mark.parametrize(
    ("entry_type", "advice"),
    [
        ("книга", "write @book"),
        ("newspaper", "write @article with entrysubtype = {newspaper}"),
        ("artcle", "write @article"),
        ("foo", "write one of @article, @book"),
    ],
)
def test_an_entry_type_pandoc_does_not_read_is_a_warning(
    tmp_path: Path, entry_type: str, advice: str
) -> None:
    """pandoc gives it no type: the reference printed as a generic work, and nothing said why."""
    entry = f"@{entry_type}{{doe2020, author = {{Doe, Jane}}, title = {{T}}, year = {{2020}}}}\n"
    root = project(tmp_path, {"paper.md": f"{PLAIN}Text [@doe2020].\n"}, entry)
    ((place, severity, message),) = problems(checked(root))
    assert (place, severity) == ("bibliography/references.bib:1", "warning")
    assert message.startswith(f"entry 'doe2020': @{entry_type} is not an entry type pandoc reads")
    assert message.endswith(advice) or f"{advice}," in message


@pytest.mark.parametrize("entry_type", ["conference", "webpage", "misc", "online", "legislation"])
def test_the_types_pandoc_reads_or_paperbuild_reads_for_it_are_not_warned_of(
    tmp_path: Path, entry_type: str
) -> None:
    entry = (
        f"@{entry_type}{{doe2020, author = {{Doe, Jane}}, title = {{T}}, year = {{2020}}, "
        "booktitle = {Proc}, pages = {1--2}, url = {https://example.org}}\n"
    )
    root = project(tmp_path, {"paper.md": f"{PLAIN}Text [@doe2020].\n"}, entry)
    assert problems(checked(root)) == []


def test_what_pandocs_reader_warns_of_is_a_warning_of_every_check(tmp_path: Path) -> None:
    """pandoc's warning showed on the run that parsed the chapter alone, uncounted: after an
    edit to another chapter, `doit check strict=1` passed with a Div left open."""
    chapters = {
        "01-one.md": f"{PLAIN}# One\n\nText.\n",
        "02-two.md": "# Two\n\n::: {.box}\nBoxed, never closed.\n\n# Three\n\nSwallowed.\n\n"
        "[a]: https://example.org\n[a]: https://example.com\n",
    }
    root = project(tmp_path, chapters, None)
    wanted = [
        (
            "manuscript/02-two.md:3:1",
            "warning",
            "pandoc: Div unclosed at the end of the file, closing implicitly; end it with a line "
            "of ::: (an HTML <div> with </div>)",
        ),
        (
            "manuscript/02-two.md:11:1",
            "warning",
            "pandoc: Duplicate link reference '[a]'; pandoc takes the first: rename one",
        ),
    ]
    assert problems(checked(root)) == wanted
    with (root / "manuscript" / "01-one.md").open("a", encoding="utf-8") as chapter:
        chapter.write("More.\n")
    assert problems(checked(root)) == wanted  # the second chapter's parse, from the cache
    result = doit(root, "check", "strict=1")
    assert result.returncode != 0
    assert "manuscript/02-two.md:3:1: warning: pandoc: Div unclosed" in result.stderr


def test_a_link_to_another_chapters_file_leads_to_its_place_in_the_paper(tmp_path: Path) -> None:
    """`[Methods](02-methods.md#methods)`, as GitHub and editors link chapter files, was a dead
    link in all three outputs: no chapter file is beside them."""
    chapters = {
        "01-intro.md": f"{PLAIN}# Intro\n\nSee [Methods](02-methods.md#methods), "
        "[it](./02-methods.md) and [the web](https://example.org/a.md#b).\n",
        "02-methods.md": "# Methods {#methods}\n\nText.\n",
    }
    root = project(tmp_path, chapters, None)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    hrefs = [h for h in page.xpath("//a/@href") if "methods" in h or "example" in h]
    assert hrefs == ["#methods", "#methods", "https://example.org/a.md#b"]
    assert "link(<methods>)[Methods]" in (root / "build" / "paper.typ").read_text(encoding="utf-8")


def test_a_link_into_a_chapter_file_must_lead_to_an_identifier(tmp_path: Path) -> None:
    chapters = {
        "01-intro.md": f"{PLAIN}See [it](02-notes.md), [there](02-notes.md#nope).\n",
        "02-notes.md": "Notes, no heading.\n",
    }
    found = problems(checked(project(tmp_path, chapters, None)))
    assert [(place, message.split(":")[0]) for place, _, message in found] == [
        (
            "manuscript/01-intro.md:5:10",
            "the link to 02-notes.md leads to a chapter without a heading, and the outputs are "
            "one document, where a link leads to an identifier",
        ),
        ("manuscript/01-intro.md:5:43", "link to #nope"),
    ]


def test_a_tex_macro_another_chapter_defines_is_said_to_be_there(tmp_path: Path) -> None:
    """`\\newcommand{\\R}` in the first chapter was said to be "left out" (pandoc had applied
    it to that file's math), and the second's `$\\R^m$` to be "not TeX that pandoc reads"."""
    chapters = {
        "01-intro.md": f"{PLAIN}\\newcommand*{{\\R}}{{\\mathbb{{R}}}}\n"
        "\\DeclareMathOperator{\\tr}{tr}\n\\newcommand{\\vect}[1]{\n  \\mathbf{#1}}\n\n"
        "# Intro\n\nLet $x \\in \\R^n$, $\\tr A$ and $\\vect{v}$.\n",
        "02-methods.md": "# Methods\n\nFor all $y \\in \\R^m$.\n",
    }
    assert problems(checked(project(tmp_path, chapters, None))) == [
        (
            "manuscript/02-methods.md:3:10",
            "warning",
            "math 'y \\in \\R^m' uses \\R, which manuscript/01-intro.md:5 defines, but each "
            "chapter file is read alone, so it prints as TeX in every format; define \\R in "
            "this file too",
        )
    ]


def test_an_svg_figure_linking_a_picture_is_said_where_it_is_shown(tmp_path: Path) -> None:
    """One on the web, outside the project or missing stopped the PDF after the check passed
    ("URLs are not allowed", at build/paper.typ:1); one beside it showed in the PDF alone."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="100" height="50">{}</svg>'
    )
    image = '<image {} width="10" height="10"/>'
    text = (
        f"{PLAIN}![Both.](figs/both.svg)\n\n![Gone.](figs/gone.svg)\n\n"
        "![Up.](figs/up.svg)\n\n![Held.](figs/held.svg)\n"
    )
    root = project(tmp_path, {"paper.md": text}, None)
    folder = root / "manuscript" / "figs"
    folder.mkdir()
    local, web = 'href="photo.png"', 'xlink:href="https://example.org/x.png"'
    (folder / "both.svg").write_text(svg.format(image.format(local) + image.format(web)))
    (folder / "gone.svg").write_text(svg.format(image.format('href="missing.png"')))
    (folder / "up.svg").write_text(svg.format(image.format('href="../images/p.png"')))
    (folder / "held.svg").write_text(svg.format(image.format('href="data:image/png;base64,AA"')))
    (folder / "photo.png").write_bytes(PNG)
    (root / "manuscript" / "images").mkdir()
    (root / "manuscript" / "images" / "p.png").write_bytes(PNG)
    found = [
        (place, kind, message.split(";")[0]) for place, kind, message in problems(checked(root))
    ]
    assert found == [
        (
            "manuscript/paper.md:5:10",
            "error",
            "figure 'figs/both.svg' links to the picture https://example.org/x.png, on the web "
            "or given from the root, which the PDF cannot load",
        ),
        (
            "manuscript/paper.md:7:10",
            "error",
            "figure 'figs/gone.svg' links to the picture missing.png, which does not exist",
        ),
        (
            "manuscript/paper.md:9:8",
            "warning",
            "figure 'figs/up.svg' links to the picture ../images/p.png rather than holding it: "
            "the PDF shows it, the HTML and the DOCX do not",
        ),
    ]


def test_a_misspelt_reference_numbers_is_said_and_so_are_the_numbers_it_left_as_text(
    tmp_path: Path,
) -> None:
    """`reference_numbers:` read as nothing: every [1] printed as written, no list, and the
    check said only that the works were never cited."""
    text = (
        "---\ntitle: T\nreference_numbers: [doe2020]\nkeyword: [a]\n---\n\n"
        "An interval [0, 1] of text, then the citation [1, p. 5] and [1, p. 7].\n\n"
        "A [reference link][1] and [1] again.\n\n[1]: https://example.org\n"
    )
    root = project(tmp_path, {"paper.md": text}, bib("doe2020"))
    found = [(p, m.split(";")[0]) for p, _, m in problems(checked(root)) if "never" not in m]
    assert found == [
        (
            "manuscript/paper.md:3:1",
            "'reference_numbers' in the front matter is not a field paperbuild reads, so it is "
            "read as nothing",
        ),
        (
            "manuscript/paper.md:4:1",
            "'keyword' in the front matter is not a field paperbuild reads, so it is read as "
            "nothing",
        ),
        (
            "manuscript/paper.md:7:47",
            "[1, p. 5] reads as text, not as a citation (and 1 more like it): a numbered "
            "citation is read by the front matter's reference-numbers list, and this paper has "
            "none",
        ),
    ]


def test_authors_joined_in_one_string_are_a_warning(tmp_path: Path) -> None:
    """One author named "Иванов И. И., Петров П. П." in every output and the page's metadata."""
    text = "---\ntitle: T\nauthor: Иванов И. И., Петров П. П.\n---\n\nТекст.\n"
    assert problems(checked(project(tmp_path / "a", {"paper.md": text}, None))) == [
        (
            "manuscript/paper.md:3:1",
            "warning",
            "author 'Иванов И. И., Петров П. П.' reads as one name; list each author on a line "
            "of its own under author: ('- Иванов И. И.', '- Петров П. П.')",
        )
    ]
    alone = (
        "---\ntitle: T\nauthor:\n- 'Doe, Jane'\n- Jane Roe, PhD\n- John Smith, Ph. D.\n"
        "- Van Der Berg, Anna Maria\n---\n\nText.\n"
    )
    assert problems(checked(project(tmp_path / "b", {"paper.md": alone}, None))) == []


def test_a_body_font_the_pdf_does_not_have_is_a_warning_at_the_profile(tmp_path: Path) -> None:
    """Typst reads no system fonts: `body: Times New Roman` set the PDF in Libertinus Serif,
    and nothing said."""
    root = project(tmp_path, {"paper.md": f"{PLAIN}Text.\n"}, None)
    profile = root / "templates" / "article" / "profile.yaml"
    written = profile.read_text(encoding="utf-8")
    profile.write_text(written.replace("body: Libertinus Serif", "body: Times New Roman"))
    ((place, severity, message),) = problems(checked(root))
    line = written.splitlines().index("  body: Libertinus Serif") + 1
    assert (place, severity) == (f"templates/article/profile.yaml:{line}", "warning")
    assert message.startswith("font 'Times New Roman' is not one the PDF has, so the PDF is set")
    assert message.endswith(
        "or name one it has: DejaVu Sans Mono, Libertinus Serif, New Computer Modern"
    )


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (
            "See [[Methods]].",
            "[[Methods]] is a wiki's link, not Markdown pandoc reads, so it "
            "prints as written; write [Methods](#methods)",
        ),
        (
            "![[figs/a.png]] and [[Methods|them]].",
            "![[figs/a.png]] is a wiki's embed, not "
            "Markdown pandoc reads, so it prints as written (and 1 more in this file); write "
            "![](figs/a.png)",
        ),
        (
            "![[figs/a.png|300]]",
            "![[figs/a.png|300]] is a wiki's embed, not Markdown pandoc reads, so it prints as "
            "written; write ![](figs/a.png){width=300px}",
        ),
    ],
)
def test_a_wikis_link_or_embed_is_a_warning(tmp_path: Path, written: str, said: str) -> None:
    """Obsidian's `![[a.png]]` showed no picture, `[[Methods]]` printed with its brackets."""
    text = f"{PLAIN}# Methods\n\n{written} Not [[1]], nor `[[code]]`.\n"
    ((_, severity, message),) = problems(checked(project(tmp_path, {"paper.md": text}, None)))
    assert (severity, message) == ("warning", said)


def test_a_tab_before_a_front_matter_field_is_said_at_its_line(tmp_path: Path) -> None:
    """YAML's own words named the next line and advised quotes."""
    text = '---\ntitle: T\nabstract:\n  kk: "Аңдатпа."\n\tru: "Аннотация."\n  en: "Abs."\n---\n'
    ((place, _, message),) = problems(checked(project(tmp_path, {"paper.md": text}, None)))
    assert (place, message) == (
        "manuscript/paper.md:5:1",
        "front matter is not valid YAML: this line is indented with a tab, which YAML does not "
        "allow; indent it with spaces",
    )


def test_a_tab_inside_a_block_of_text_is_not_blamed_for_a_later_error(tmp_path: Path) -> None:
    text = "---\ntitle: T\nabstract: |\n  First line.\n  \tTabbed.\nkeywords: one: two\n---\n"
    ((place, _, message),) = problems(checked(project(tmp_path, {"paper.md": text}, None)))
    assert place.startswith("manuscript/paper.md:6:")
    assert "tab" not in message


def test_a_degrees_key_in_an_english_paper_is_not_warned_of(tmp_path: Path) -> None:
    """pandoc prints type = {phdthesis} as "PhD thesis" in English."""
    entry = (
        "@thesis{t, author = {Doe, J.}, title = {T}, school = {MIT}, type = {phdthesis},\n"
        "  year = 2010}\n"
    )
    root = project(tmp_path, {"paper.md": f"{PLAIN}Text [@t].\n"}, entry)
    assert problems(checked(root)) == []


def test_an_empty_link_is_placed_in_the_text_not_in_a_code_sample(tmp_path: Path) -> None:
    text = f"{PLAIN}```\n[text]()\n```\n\nSee [the site]().\n"
    ((place, _, message),) = problems(checked(project(tmp_path, {"paper.md": text}, None)))
    assert place == "manuscript/paper.md:9:5"
    assert "(the first: '[the site]()')" in message


def test_a_link_to_a_chapter_named_with_a_space_is_placed_where_written(tmp_path: Path) -> None:
    chapters = {"01-intro.md": f"{PLAIN}See [notes](<03 notes.md>).\n", "03 notes.md": "Text.\n"}
    ((place, _, message),) = problems(checked(project(tmp_path, chapters, None)))
    assert place == "manuscript/01-intro.md:5:14"
    assert message.startswith("the link to 03 notes.md leads to a chapter without a heading")
