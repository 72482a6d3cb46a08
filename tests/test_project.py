"""A manuscript in several files: their order, and citations numbered across them."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from lxml import html as lxml_html

from paperbuild.errors import ProjectError
from paperbuild.project import Project

from conftest import PNG, doit, kz_front_matter, make_project

BIB = "".join(
    f"@book{{{k}, author = {{{k.title()}, A.}}, title = {{Book {k}}}, publisher = {{P}},"
    f" address = {{X}}, year = {{2000}}}}\n"
    for k in ("a", "b", "c")
)
FRONT = "---\ntitle: T\nlang: en\n---\n\n"


def test_files_in_name_order_with_numbers_as_numbers(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"10-end.md": "E", "2-middle.md": "M", "1-start.md": "S"})
    assert [p.name for p in Project.discover(root).manuscript_files] == [
        "1-start.md",
        "2-middle.md",
        "10-end.md",
    ]


def test_declared_chapters_decide_the_order(tmp_path: Path) -> None:
    chapters = {
        "00-paper.md": "---\ntitle: T\nchapters: [results.md, methods.md]\n---\n",
        "methods.md": "M",
        "results.md": "R",
        "unused.md": "U",
    }
    root = make_project(tmp_path, chapters)
    assert [p.name for p in Project.discover(root).manuscript_files] == [
        "00-paper.md",
        "results.md",
        "methods.md",
    ]


@pytest.mark.parametrize(
    "head",
    [
        "---\ntitle: T\nchapters: [b.md, paper.md, a.md]\n---\n",
        "\ufeff---\r\ntitle: T\r\nchapters: [b.md, paper.md, a.md]\r\n---",
    ],
    ids=["plain", "byte-order-mark-crlf-no-final-newline"],
)
def test_the_file_that_declares_chapters_need_not_sort_first(tmp_path: Path, head: str) -> None:
    """Any file may give the order, and place itself in it; a file the list does not name is
    left out with a warning naming it."""
    chapters = {"00-notes.md": "N", "a.md": "A", "b.md": "B", "paper.md": head}
    root = make_project(tmp_path, chapters)
    project = Project.discover(root)
    assert [p.name for p in project.manuscript_files] == ["b.md", "paper.md", "a.md"]
    assert [p.name for p in project.left_out] == ["00-notes.md"]
    result = doit(root, "check")
    assert result.returncode == 0, result.stderr
    assert "manuscript/00-notes.md: warning: this file is not in the front matter's 'chapters'" in (
        result.stderr
    )


def test_declared_chapters_may_be_in_folders_of_manuscript_not_outside(tmp_path: Path) -> None:
    chapters = {
        "paper.md": "---\ntitle: T\nchapters: [part-1/intro.md, part-2/end.md]\n---\n",
        "part-1/intro.md": "# Intro\n",
        "part-2/end.md": "# End\n",
    }
    root = make_project(tmp_path, chapters)
    project = Project.discover(root)
    assert [project.relative(p) for p in project.manuscript_files] == [
        "manuscript/paper.md",
        "manuscript/part-1/intro.md",
        "manuscript/part-2/end.md",
    ]
    result = doit(root, "html")
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert [h.text_content() for h in page.xpath("//main//h1")] == ["Intro", "End"]
    (root / "outside.md").write_text("# Outside\n")
    (root / "manuscript" / "paper.md").write_text("---\nchapters: [../outside.md]\n---\n")
    with pytest.raises(ProjectError, match=r"'chapters' lists '\.\./outside\.md'"):
        Project.discover(root)


def test_a_listed_chapter_may_be_a_link_to_a_file_elsewhere(tmp_path: Path) -> None:
    """The chapter file is in manuscript/, where the list names it; it leads to a file shared
    with another paper. It was "not a file in manuscript/"."""
    root = make_project(tmp_path, {"paper.md": "---\ntitle: T\nchapters: [m.md]\n---\n"})
    (root / "shared").mkdir()
    (root / "shared" / "methods.md").write_text("# Methods\n")
    (root / "manuscript" / "m.md").symlink_to("../shared/methods.md")
    project = Project.discover(root)
    assert [project.relative(p) for p in project.manuscript_files] == [
        "manuscript/paper.md",
        "manuscript/m.md",
    ]
    assert project.linked == ("shared/methods.md",)


@pytest.mark.parametrize(
    "text",
    [
        "<!-- draft -->\n\n---\nchapters: [b.md, a.md]\n---\n",
        "---\ntitle: T\n---\n\n# Main\n\n---\nchapters: [b.md, a.md]\n...\n",
    ],
    ids=["after-a-comment", "a-later-block"],
)
def test_chapters_in_any_metadata_block_pandoc_reads(tmp_path: Path, text: str) -> None:
    root = make_project(tmp_path, {"a.md": "A", "b.md": "B", "paper.md": text})
    names = [p.name for p in Project.discover(root).manuscript_files]
    assert names == ["paper.md", "b.md", "a.md"]


def test_a_chapters_block_in_a_comment_or_in_code_is_not_read(tmp_path: Path) -> None:
    text = (
        "---\ntitle: T\nchapters: [b.md, a.md]\n---\n\n<!-- the old order\n\n---\n"
        "chapters: [a.md]\n---\n\n-->\n\n```yaml\n\n---\nchapters: [x.md]\n---\n```\n"
    )
    root = make_project(tmp_path, {"a.md": "A", "b.md": "B", "00.md": text})
    project = Project.discover(root)
    assert [p.name for p in project.manuscript_files] == ["00.md", "b.md", "a.md"]


def test_a_chapter_listed_twice_is_an_error(tmp_path: Path) -> None:
    chapters = {"b.md": "B", "paper.md": "---\nchapters: [part/../b.md, ./b.md]\n---\n"}
    (tmp_path / "manuscript" / "part").mkdir(parents=True)
    with pytest.raises(ProjectError, match=r"'chapters' lists '\./b\.md' a second time") as e:
        Project.discover(make_project(tmp_path, chapters))
    assert (e.value.line, e.value.col) == (2, 26)


@pytest.mark.parametrize(
    ("listed", "place"),
    [
        ("\n  - paper.md\n  - missing.md\n", (5, 5)),
        (" [paper.md, 'missing.md']\n", (3, 23)),
        (" [missing.md, missing.md]\n", (3, 12)),
        (" 5\n", (3, 1)),
    ],
)
def test_a_chapters_error_is_placed_in_the_list(
    tmp_path: Path, listed: str, place: tuple[int, int]
) -> None:
    """The check's line names the item at fault, and ends with the count, as every error."""
    root = make_project(tmp_path, {"paper.md": f"---\ntitle: T\nchapters:{listed}---\n\nText.\n"})
    with pytest.raises(ProjectError) as raised:
        Project.discover(root)
    assert (raised.value.line, raised.value.col) == place
    result = doit(root, "check")
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line.strip()] == [
        str(raised.value),
        "1 error, 0 warnings",
    ]


def test_chapters_given_in_two_files_is_an_error(tmp_path: Path) -> None:
    chapters = {"a.md": "---\nchapters: [b.md]\n---\n", "b.md": "---\nchapters: [a.md]\n---\n"}
    with pytest.raises(ProjectError, match=r"'chapters' is given in manuscript/a\.md and"):
        Project.discover(make_project(tmp_path, chapters))


def test_a_declared_chapter_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"paper.md": "---\nchapters: [missing.md]\n---\n"})
    with pytest.raises(ProjectError, match=r"'chapters' lists 'missing\.md'"):
        Project.discover(root)


def test_citations_are_numbered_across_files(tmp_path: Path) -> None:
    chapters = {
        "1-intro.md": "---\ntitle: T\nlang: en\nreference-numbers: [a, b, c]\n"
        "journal: kz-journal\ntranslated-title: {kk: Т, ru: Т}\nauthor: [A]\nudc: '1'\n"
        "irsti: '1'\nabstract: {kk: А., ru: А., en: A.}\n"
        "keywords: {kk: [к], ru: [к], en: [k]}\n---\n\n# One\n\nFirst [1] and [2].\n",
        "2-body.md": "# Two\n\nThen [3], and [1] again.\n",
    }
    root = make_project(tmp_path, chapters, BIB)
    result = doit(root, "html")
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    cites = [
        " ".join(s.text_content().split()) for s in page.xpath("//main//span[@class='citation']")
    ]
    assert cites == ["[1]", "[2]", "[3]", "[1]"]
    assert [e.get("id") for e in page.xpath("//div[@id='refs']/div")] == ["ref-a", "ref-b", "ref-c"]


def test_headings_alike_in_two_chapters_get_identifiers_as_in_one_file(tmp_path: Path) -> None:
    """pandoc reads each chapter alone; the book gets the identifiers pandoc gives one file,
    and the PDF (whose labels must be unique) builds."""
    chapters = {
        "1-a.md": "---\ntitle: T\n---\n\n# Method\n\nSee [the method](#method).\n",
        "2-b.md": "# Method\n\nText.\n\n# Other\n\n# Method\n",
        "3-c.md": "# Other\n",
    }
    root = make_project(tmp_path, chapters)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert [h.get("id") for h in page.xpath("//main//h1")] == [
        "method",
        "method-1",
        "other",
        "method-2",
        "other-1",
    ]
    assert page.xpath("//main//a[text()='the method']/@href") == ["#method"]
    assert (root / "build" / "paper.pdf").stat().st_size > 0


def test_a_renamed_heading_keeps_clear_of_identifiers_written_later(tmp_path: Path) -> None:
    chapters = {
        "1-a.md": "---\ntitle: T\n---\n\n# Method\n",
        "2-b.md": "# Method\n\nSee [the appendix](#method-1).\n",
        "3-c.md": "# Appendix {#method-1}\n\n::: {#method-2}\nA div.\n:::\n",
    }
    root = make_project(tmp_path, chapters)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    ids = page.xpath("//main//@id")
    assert ids[:3] == ["method", "method-3", "method-1"] and len(ids) == len(set(ids))
    assert page.xpath("//main//a[text()='the appendix']/@href") == ["#method-1"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("# Intro {#intro}\n\n<!-- # Intro {#intro} -->\n", "# Intro\n"),
        ("# Intro {#intro}\n", "# Intro\n\nWrite `# Intro {#intro}` to name it.\n"),
        ("# Figure\n", "# Figure\n\n![cap](f.png){#figure}\n\nSee [the figure](#figure).\n"),
    ],
    ids=["written-in-a-comment", "written-in-code", "a-figure-has-the-heading-identifier"],
)
def test_identifiers_end_unique_without_a_false_error(
    tmp_path: Path, first: str, second: str
) -> None:
    """Only what the author writes in the prose counts as written; a heading pandoc named
    gives way to it, and the PDF (whose labels must be unique) builds."""
    chapters = {"1-a.md": f"---\ntitle: T\n---\n\n{first}", "2-b.md": second}
    root = make_project(tmp_path, chapters)
    (root / "manuscript" / "f.png").write_bytes(PNG)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    ids = page.xpath("//main//@id")
    assert len(ids) == len(set(ids)), ids
    if "figure" in second:
        assert page.xpath("//main//a[text()='the figure']/@href") == ["#figure"]
        assert page.xpath("//main//figure/@id") == ["figure"]


def test_a_heading_and_a_code_block_given_one_identifier_is_an_error(tmp_path: Path) -> None:
    text = "---\ntitle: T\n---\n\n# Intro {#intro}\n\n```{#intro .py}\nx\n```\n"
    result = doit(make_project(tmp_path, {"paper.md": text}), "check")
    assert result.returncode != 0
    assert "manuscript/paper.md:7:4: error: identifier 'intro' is also given at " in result.stderr
    assert "manuscript/paper.md:5:9;" in result.stderr


def test_a_code_blocks_identifier_written_twice_is_an_error(tmp_path: Path) -> None:
    block = "```{#listing .python}\nx = 1\n```\n"
    chapters = {"1-a.md": f"---\ntitle: T\n---\n\n{block}", "2-b.md": f"# B\n\n{block}"}
    result = doit(make_project(tmp_path, chapters), "check")
    assert result.returncode != 0
    assert "manuscript/2-b.md:3:4: error: identifier 'listing' is also given at " in result.stderr


def test_an_identifier_written_twice_is_an_error_at_the_second(tmp_path: Path) -> None:
    chapters = {
        "1-a.md": "---\ntitle: T\n---\n\n# Method {#m}\n\nSee [it](#m).\n",
        "2-b.md": "# Results\n\n![A figure.](f.png){#m}\n",
    }
    root = make_project(tmp_path, chapters)
    # There, and a PNG: only its identifier is wrong.
    (root / "manuscript" / "f.png").write_bytes(PNG)
    result = doit(root)
    assert result.returncode != 0
    assert result.stderr.endswith("1 error, 0 warnings\n"), result.stderr
    assert (
        "manuscript/2-b.md:3:20: error: identifier 'm' is also given at manuscript/1-a.md:5:10;"
        in result.stderr
    ), result.stderr
    assert not (root / "build" / "paper.pdf").exists()


def test_headings_pandoc_names_oddly_or_like_the_writers_build(tmp_path: Path) -> None:
    """A heading with a note (pandoc names it from the note's label too), Greek capitals, and
    headings named like citeproc's list or the notes (`refs`, `footnotes`, `ref-a`) are
    renamed, not errors; a horizontal rule reaches the PDF."""
    bib = "@book{a, author = {Doe, A.}, title = {T}, publisher = {P}, year = {2000}}\n"
    head = "## Data[^1]\n\n# ΣΚΟΠΟΣ\n\nText [@a].\n\n[^1]: A note.\n"
    chapters = {
        "1-a.md": f"---\ntitle: T\n---\n\n{head}\n---\n\nMore.\n",
        "2-b.md": f"{head}\n# Refs\n\n# Footnotes\n\n# Ref a\n",
    }
    root = make_project(tmp_path, chapters, bib)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), ids
    assert "ref-a" in ids and (root / "build" / "paper.pdf").stat().st_size > 0


def test_a_chapter_comes_before_its_sections_and_a_name_before_its_longer_forms(
    tmp_path: Path,
) -> None:
    names = [
        *("1.md", "1.1.md", "1.2.md", "2_methods.md", "2.1_sampling.md", "2.10_tests.md"),
        *("10.md", "intro.md", "intro-2.md"),
    ]
    root = make_project(tmp_path, {name: "x" for name in reversed(names)})
    assert [p.name for p in Project.discover(root).manuscript_files] == names
    # The same number written two ways: an order every machine agrees on, not the folder's.
    root = make_project(tmp_path / "two", {"1-a.md": "x", "01-a.md": "y"})
    assert [p.name for p in Project.discover(root).manuscript_files] == ["01-a.md", "1-a.md"]


def test_hidden_files_are_not_chapters(tmp_path: Path) -> None:
    """An editor's lock (a link to nowhere), macOS's `._` file (binary), a hidden backup."""
    root = make_project(tmp_path, {"01-intro.md": f"{FRONT}# Intro\n\nOne [@a].\n"}, BIB)
    folder = root / "manuscript"
    (folder / ".#01-intro.md").symlink_to("root@host.1234:1700000000")
    (folder / "._01-intro.md").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (folder / ".01-old.md").write_text("# Old backup\n\nOLD.\n", encoding="utf-8")
    (root / "bibliography" / "._references.bib").write_bytes(b"\x00\x05\x16\x07")
    project = Project.discover(root)
    assert [p.name for p in project.manuscript_files] == ["01-intro.md"]
    assert [p.name for p in project.bib_files] == ["references.bib"]
    result = doit(root, "html")
    assert result.returncode == 0, result.stderr
    assert "OLD" not in (root / "build" / "paper.html").read_text(encoding="utf-8")


def test_markdown_named_otherwise_is_not_read_and_the_check_says_so(tmp_path: Path) -> None:
    chapters = {
        "01-intro.md": f"{FRONT}# Intro\n\nOne [@a].\n",
        "02-methods.markdown": "# Methods\n\nMETHODS [@b].\n",
        "03-results.MD": "# Results\n\nRESULTS.\n",
    }
    root = make_project(tmp_path, chapters, BIB)
    result = doit(root, "html")
    assert result.returncode == 0, result.stderr
    for name, stem in (("02-methods.markdown", "02-methods"), ("03-results.MD", "03-results")):
        assert (
            f"manuscript/{name}: warning: this file is not read: chapter files end in .md; "
            f"rename it to {stem}.md"
        ) in result.stderr
    assert "METHODS" not in (root / "build" / "paper.html").read_text(encoding="utf-8")
    (root / "manuscript" / "01-intro.md").unlink()
    with pytest.raises(ProjectError, match="no Markdown files") as error:
        Project.discover(root)
    assert error.value.hint == "rename manuscript/02-methods.markdown to end in .md"


def test_a_new_file_the_chapters_list_leaves_out_is_warned_of_by_the_next_build(
    tmp_path: Path,
) -> None:
    """Not only by `doit check`: the next `doit` reads the manuscript folder again."""
    meta = "---\ntitle: T\nlang: en\nchapters: [a.md]\nnocite: '@*'\n---\n"
    chapters = {"meta.md": meta, "a.md": "# A\n\nA [@a].\n"}
    root = make_project(tmp_path, chapters, BIB)
    assert doit(root).returncode == 0
    (root / "manuscript" / "y-discussion.md").write_text("# Discussion\n\nNEW.\n")
    result = doit(root)
    assert result.returncode == 0, result.stderr
    assert "manuscript/y-discussion.md: warning: this file is not in the front matter's" in (
        result.stderr
    )
    assert doit(root, "strict=1").returncode != 0


def test_files_beside_listed_ones_in_a_folder_are_left_out_with_a_warning(
    tmp_path: Path,
) -> None:
    chapters = {
        "paper.md": "---\ntitle: T\nchapters: [part-1/intro.md]\n---\n",
        "part-1/intro.md": "# Intro\n",
        "part-1/extra.md": "# Extra\n",
        "drafts/old.md": "# Old\n",  # a folder the list never reads from: not the paper's
    }
    project = Project.discover(make_project(tmp_path, chapters))
    assert [project.relative(p) for p in project.left_out] == ["manuscript/part-1/extra.md"]


def test_a_listed_name_matches_a_file_whose_accents_are_stored_decomposed(
    tmp_path: Path,
) -> None:
    """macOS and some zip files store `é` as e + U+0301; the list is typed with `é`."""
    decomposed = unicodedata.normalize("NFD", "02 méthodes.md")
    chapters = {"00.md": "---\nchapters: ['02 méthodes.md']\n---\n", decomposed: "# M\n"}
    project = Project.discover(make_project(tmp_path, chapters))
    assert [p.name for p in project.manuscript_files] == ["00.md", decomposed]


def test_a_later_files_field_that_replaces_an_earlier_one_is_where_the_lack_is_said(
    tmp_path: Path,
) -> None:
    """pandoc's later block replaces `keywords` whole: the one that won lacks Kazakh."""
    chapters = {
        "01-intro.md": f"---\n{kz_front_matter()}---\n\n# Кіріспе\n\nМәтін.\n",
        "02-more.md": "---\nkeywords: {ru: [право, закон]}\n---\n\n# Нәтиже\n\nМәтін.\n",
    }
    root = make_project(tmp_path, chapters)
    result = doit(root, "check")
    lacking = [line for line in result.stderr.splitlines() if "lacks keywords" in line]
    assert lacking and all(line.startswith("manuscript/02-more.md:2:1: error") for line in lacking)


def test_a_missing_figure_after_a_byte_order_mark_is_placed_at_its_column(tmp_path: Path) -> None:
    chapters = {"01.md": f"{FRONT}Text.\n", "02.md": "\ufeff![x](nofig.png)\n"}
    result = doit(make_project(tmp_path, chapters), "check")
    assert "manuscript/02.md:1:6: error: figure 'nofig.png' not found" in result.stderr


def test_a_div_closed_in_the_next_chapter_file_is_said_to_print_its_fence(
    tmp_path: Path,
) -> None:
    chapters = {
        "01.md": f"{FRONT}# Intro\n\nText.\n\n::: {{lang=ru}}\nНачало раздела.\n",
        "02.md": "Продолжение раздела.\n:::\n\nBack in English.\n\n"
        "::: note\n::: inner\nX\n:::\n:::\n\n- ::: aside\n  In a list item's div.\n  :::\n",
    }
    root = make_project(tmp_path, chapters)
    result = doit(root, "check")
    assert result.returncode == 0, result.stderr
    fences = [line for line in result.stderr.splitlines() if "closes no div" in line]
    assert fences == [
        "manuscript/02.md:2:1: warning: ':::' closes no div, so it prints as text; a div opens "
        "and closes in one chapter file (each file is read alone)"
    ]


def test_chapters_of_the_same_text_are_two_chapters_in_a_cold_build(tmp_path: Path) -> None:
    """Two stubs read alike share pandoc's parse, not one AST the check would edit twice:
    their headings get an id each, and the PDF's labels do not clash."""
    stub = "# To do\n\nDraft.\n"
    chapters = {
        "01-intro.md": f"{FRONT}See [the second](#to-do-1).\n",
        "02-results.md": stub,
        "03-discussion.md": stub,
    }
    root = make_project(tmp_path, chapters, "")
    result = doit(root)
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert page.xpath("//h1[normalize-space()='To do']/@id") == ["to-do", "to-do-1"]


def test_files_in_folders_without_a_chapters_list_are_warned_of_as_unread(
    tmp_path: Path,
) -> None:
    chapters = {
        "00-front.md": f"{FRONT}Front text.\n",
        "part1/intro.md": "# Intro\n\nINTRO.\n",
        "part2/methods.md": "# Methods\n",
        "part2/.hidden.md": "# Scratch\n",
    }
    root = make_project(tmp_path, chapters, BIB)
    result = doit(root, "html")
    assert result.returncode == 0, result.stderr
    for shown in ("part1/intro.md", "part2/methods.md"):
        assert (
            f"manuscript/{shown}: warning: this file is in a folder of manuscript/, so it is not "
            f"read: without a 'chapters' list only manuscript/*.md are; to make it part of the "
            f"paper, list the chapters in reading order in the front matter, as "
            f"'chapters: [{shown}]'"
        ) in result.stderr
    assert ".hidden" not in result.stderr
    assert "INTRO" not in (root / "build" / "paper.html").read_text(encoding="utf-8")
    (root / "manuscript" / "00-front.md").unlink()
    with pytest.raises(ProjectError, match="no Markdown files directly in manuscript/") as error:
        Project.discover(root)
    assert error.value.hint == (
        "those in its folders are read when a file in manuscript/ lists them in its front "
        "matter, as 'chapters: [part1/intro.md]'"
    )


def test_a_file_of_another_extension_the_chapters_list_names_is_read_unwarned(
    tmp_path: Path,
) -> None:
    meta = "---\ntitle: T\nlang: en\nchapters: [a.md, appendix.markdown]\n---\n"
    chapters = {"meta.md": meta, "a.md": "# A\n", "appendix.markdown": "# Appendix\n\nAPX.\n"}
    project = Project.discover(make_project(tmp_path, chapters, BIB))
    assert [p.name for p in project.manuscript_files] == ["meta.md", "a.md", "appendix.markdown"]
    assert project.unread == () and project.nested == ()


def test_a_chapter_named_bibliography_and_the_lists_heading_have_an_identifier_each(
    tmp_path: Path,
) -> None:
    """pandoc names the heading it puts over the list `bibliography`: the author's chapter of
    that name keeps it (their link goes there), and the PDF's labels do not clash."""
    chapters = {
        "01-intro.md": f"{FRONT}# Intro\n\nSee the [bibliography](#bibliography) [@a].\n",
        "08-bibliography.md": "# Bibliography\n\nWorks we read.\n",
        "09-appendix.md": "# Appendix\n\nMore [@b].\n",
    }
    root = make_project(tmp_path, chapters, BIB)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    headings = [(h.get("id"), h.text_content()) for h in page.xpath("//h1[@id]")]
    assert headings == [
        ("intro", "Intro"),
        ("bibliography", "Bibliography"),
        ("appendix", "Appendix"),
        ("bibliography-1", "References"),
    ]


def test_a_references_heading_ending_a_middle_chapter_is_warned_of(tmp_path: Path) -> None:
    chapters = {
        "01-intro.md": f"{FRONT}# Intro\n\nText [@a].\n",
        "08-refs.md": "# References\n",
        "09-appendix.md": "# Appendix A\n\nMore [@b].\n",
    }
    root = make_project(tmp_path, chapters, BIB)
    result = doit(root, "check")
    assert (
        "manuscript/08-refs.md:1:3: warning: this heading ends manuscript/08-refs.md with "
        "nothing under it, and the reference list goes at the end of the paper; to put the "
        "list here, write '::: {#refs}' and ':::' on two lines under the heading"
    ) in result.stderr
    (root / "manuscript" / "08-refs.md").write_text("# References\n\n::: {#refs}\n:::\n")
    result = doit(root)
    assert result.returncode == 0 and "nothing under it" not in result.stderr
    (root / "manuscript" / "08-refs.md").write_text("# Part Two\n")  # a part's title page
    assert "nothing under it" not in doit(root, "check").stderr


def test_quoted_text_keeps_its_languages_marks_when_its_chapter_comes_from_the_cache(
    tmp_path: Path,
) -> None:
    chapters = {
        "01-intro.md": "---\ntitle: T\nlang: de\n---\n\nEr sagte \"ja 'gut'\".\n",
        "02-end.md": "# Ende\n\nText.\n",
    }
    root = make_project(tmp_path, chapters, "")
    assert doit(root, "html").returncode == 0
    (root / "manuscript" / "02-end.md").write_text("# Ende\n\nNeuer Text.\n")
    result = doit(root, "html")
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert "Er sagte „ja ‚gut‘“." in page.xpath("string(//body)")
    assert "Neuer Text." in page.xpath("string(//body)")


def test_bibtex_files_not_read_are_warned_of(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"paper.md": f"{FRONT}Text [@a].\n"})
    (root / "bibliography" / "old").mkdir(parents=True)
    (root / "bibliography" / "extra.BIB").write_text(BIB)
    (root / "bibliography" / "old" / "x.bib").write_text(BIB)
    result = doit(root, "check")
    said = "warning: this file is not read: the bibliography is the files named *.bib directly "
    assert f"bibliography/extra.BIB: {said}in bibliography/; rename it to extra.bib" in (
        result.stderr.splitlines()
    )
    assert f"bibliography/old/x.bib: {said}in bibliography/; move it there" in (
        result.stderr.splitlines()
    )
