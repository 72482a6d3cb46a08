"""What a save, an editor's scratch file, a failed check or `doit clean` does to the next build:
it rebuilds what changed and only that, and never keeps something it did not read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
import typst
from lxml import html as lxml_html

from paperbuild import chapters, csljson, pandoc, steps
from paperbuild.errors import BibliographyError, ManuscriptError
from paperbuild.project import Project

from conftest import PNG, doit, make_project

BIB = "@book{a, author = {Alpha, A.}, title = {Alpha Book}, publisher = {P}, year = {2001}}\n"
OTHER_PNG = typst.compile(b"#set page(width: 9pt, height: 5pt)", format="png")
TEXT = "---\ntitle: T\nlang: en\n---\n\n# Intro\n\nFIRST text [@a].\n"


def ran(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line.split()[-1] for line in result.stdout.splitlines() if line.startswith(".")]


def test_an_editors_scratch_files_are_no_sources(tmp_path: Path) -> None:
    """vim's swap file, Emacs's autosave and backup, LibreOffice's lock, Obsidian's folder:
    written as the author types, they rebuild nothing."""
    root = make_project(tmp_path, {"paper.md": TEXT}, BIB)
    assert doit(root).returncode == 0
    for name in (".paper.md.swp", "#paper.md#", "paper.md~", ".~lock.x.odt#"):
        (root / "manuscript" / name).write_bytes(b"\x00scratch")
    (root / "templates" / "article").mkdir(exist_ok=True)
    (root / "templates" / "article" / ".typst.j2.swp").write_bytes(b"\x00")
    (root / "manuscript" / ".obsidian").mkdir()  # an editor's folder, rewritten as one works
    (root / "manuscript" / ".obsidian" / "workspace.json").write_text("{}")
    result = doit(root)
    assert result.returncode == 0, result.stderr
    assert ran(result) == []


def test_a_chapter_saved_while_pandoc_reads_it_is_not_kept_under_the_old_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path, {"paper.md": TEXT}, BIB)
    chapter = root / "manuscript" / "paper.md"
    real = pandoc.run

    def saved_meanwhile(*args: Any, **kwargs: Any) -> Any:
        chapter.write_text(TEXT.replace("FIRST", "SECOND"), encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(pandoc, "run", saved_meanwhile)
    cache = root / "build" / ".cache" / "chapters"
    with pytest.raises(ManuscriptError, match="it changed while pandoc read it") as error:
        chapters.read(Project.discover(root), cache)
    assert error.value.hint == "run doit again"
    assert not list(cache.glob("*.json"))  # nothing kept under the first text's name


def test_a_bib_saved_while_pandoc_reads_it_is_not_kept_under_the_old_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    real = pandoc.run

    def saved_meanwhile(*args: Any, **kwargs: Any) -> Any:
        bib.write_text(BIB.replace("Alpha Book", "Beta Book"), encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(pandoc, "run", saved_meanwhile)
    with pytest.raises(BibliographyError, match="it changed while pandoc read it"):
        csljson.csl_file(bib, "refs.bib", tmp_path, tmp_path / "cache", "en")
    assert not list((tmp_path / "cache").glob("*.json"))


def test_a_chapter_saved_during_the_check_is_checked_again_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """doit records a source as it is when the task ends: had the check passed, the next build
    would have found the new text built."""
    root = make_project(tmp_path, {"paper.md": TEXT}, BIB)
    from paperbuild import check

    real = check.run

    def saved_meanwhile(project: Project, *args: Any, **kwargs: Any) -> Any:
        outcome = real(project, *args, **kwargs)
        chapter = root / "manuscript" / "paper.md"
        chapter.write_text(TEXT.replace("FIRST", "SECOND"), encoding="utf-8")
        return outcome

    monkeypatch.setattr(check, "run", saved_meanwhile)
    failed = steps.check(root, None, False, False)
    assert failed is not None
    assert str(failed.message) == (
        "manuscript/paper.md: error: it changed while the check read it; run doit again"
    )
    assert not (root / "build" / "paper.checked.json").exists()
    monkeypatch.undo()
    assert doit(root, "html").returncode == 0
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert "SECOND text" in page.text_content()


def test_a_failed_check_says_the_outputs_left_are_the_last_good_builds(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"paper.md": TEXT}, BIB)
    assert doit(root).returncode == 0
    (root / "manuscript" / "paper.md").write_text(TEXT.replace("[@a]", "[@nobody]"))
    result = doit(root)
    assert result.returncode != 0
    summary = result.stderr.splitlines()[-1]
    assert summary == (
        "1 error, 1 warning; build/paper.html, build/paper.docx, build/paper.pdf are from the "
        "last build that passed"
    )
    (root / "build" / "paper.pdf").unlink()
    (root / "build" / "paper.docx").unlink()
    assert doit(root).stderr.splitlines()[-1] == (
        "1 error, 1 warning; build/paper.html is from the last build that passed"
    )


def test_clean_removes_the_submission_and_the_diff_too(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"paper.md": TEXT}, BIB)
    assert doit(root).returncode == 0
    for folder in ("submission", "diff"):
        (root / "build" / folder).mkdir()
        (root / "build" / folder / "made.zip").write_bytes(b"PK")
    assert doit(root, "clean").returncode == 0
    left = sorted(p.name for p in (root / "build").rglob("*") if p.is_file())
    assert left == [".doit.db"]
    assert (root / "manuscript" / "paper.md").is_file()


def test_a_figure_outside_the_manuscript_folder_is_watched_like_one_inside(
    tmp_path: Path,
) -> None:
    """A figures/ folder beside manuscript/: replaced, every format shows the new picture (the
    HTML's kept pieces too); deleted, the build stops and says which."""
    text = f"{TEXT}\n![Outer figure.](../figures/outer.png)\n"
    root = make_project(tmp_path, {"paper.md": text}, BIB)
    figure = root / "figures" / "outer.png"
    figure.parent.mkdir()
    figure.write_bytes(PNG)

    def shown() -> tuple[str, bytes]:
        page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
        pictures = docx.Document(str(root / "build" / "paper.docx")).inline_shapes
        blob = pictures[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
        part = docx.Document(str(root / "build" / "paper.docx")).part.related_parts[blob]
        return page.xpath("//img")[0].get("src"), part.blob

    assert doit(root).returncode == 0
    assert ran(doit(root)) == []  # watched from the first build on, not a build late
    before = shown()
    assert before[1] == PNG
    figure.write_bytes(OTHER_PNG)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    after = shown()
    assert after[0] != before[0] and after[1] == OTHER_PNG
    assert ran(doit(root)) == []
    figure.unlink()
    result = doit(root)
    assert result.returncode != 0
    assert "manuscript/paper.md:10:18: error: figure '../figures/outer.png' not found" in (
        result.stderr
    )


def test_a_layout_edited_writes_its_own_format_again_and_no_other(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"paper.md": TEXT}, BIB)
    assert doit(root).returncode == 0
    html = root / "templates" / "_shared" / "partials" / "base.html.j2"
    html.write_text(html.read_text(encoding="utf-8") + "<!-- LAYOUT-EDIT -->\n")
    result = doit(root)
    assert result.returncode == 0, result.stderr
    assert ran(result) == ["html"]
    assert "LAYOUT-EDIT" in (root / "build" / "paper.html").read_text(encoding="utf-8")
    typst_layout = root / "templates" / "_shared" / "partials" / "base.typ.j2"
    typst_layout.write_text(typst_layout.read_text(encoding="utf-8") + "\n// LAYOUT-EDIT\n")
    assert ran(doit(root)) == ["pdf"]
    assert "// LAYOUT-EDIT" in (root / "build" / "paper.typ").read_text(encoding="utf-8")


def test_an_uncited_entry_edited_rewrites_no_format_that_does_not_show_it(
    tmp_path: Path,
) -> None:
    """Only the HTML reads the .bib (to describe the listed works to indexers); the document
    citeproc made is the same."""
    uncited = "@book{u, author = {Unc, U.}, title = {UNCITED One}, publisher = {P}, year = {2}}\n"
    root = make_project(tmp_path, {"paper.md": TEXT}, BIB + uncited)
    assert doit(root).returncode == 0
    bib = root / "bibliography" / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("UNCITED One", "UNCITED Two"))
    result = doit(root)
    assert result.returncode == 0, result.stderr
    assert sorted(ran(result)) == ["check", "html"]  # and citeproc, unannounced


def test_a_figure_in_a_hidden_folder_is_watched(tmp_path: Path) -> None:
    """Only files are scratch by their names: a folder such as `.assets/` holds figures."""
    root = make_project(tmp_path, {"paper.md": f"{TEXT}\n![Hidden.](.assets/fig.png)\n"}, BIB)
    figure = root / "manuscript" / ".assets" / "fig.png"
    figure.parent.mkdir()
    figure.write_bytes(PNG)
    assert doit(root).returncode == 0
    figure.write_bytes(OTHER_PNG)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    assert sorted(ran(result)) == ["check", "docx", "html", "pdf"]


def test_the_outputs_say_whether_the_paper_differs_from_its_commit(tmp_path: Path) -> None:
    """An edit no output shows still makes the outputs say "modified"; an editor's scratch
    file does not."""
    root = make_project(tmp_path, {"paper.md": TEXT}, BIB)
    git = ["git", "-c", "user.name=A", "-c", "user.email=a@b"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=root, check=True)

    def modified() -> list[str]:
        pdf = pypdf.PdfReader(root / "build" / "paper.pdf").metadata["/PaperbuildModified"]
        page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
        html = page.xpath("//meta[@name='paperbuild-modified']/@content")[0]
        props = docx.Document(str(root / "build" / "paper.docx")).core_properties.comments
        return [pdf, html, "true" if "uncommitted" in props else "false"]

    assert doit(root).returncode == 0
    assert modified() == ["false"] * 3
    (root / "manuscript" / "paper.md~").write_text("a backup")
    assert ran(doit(root)) == []
    chapter = root / "manuscript" / "paper.md"
    chapter.write_text(TEXT + "\n<!-- a note to self -->\n")
    assert doit(root).returncode == 0
    assert modified() == ["true"] * 3


def test_a_file_the_paper_does_not_read_changes_neither_its_outputs_nor_their_stamp(
    tmp_path: Path,
) -> None:
    """A draft the `chapters:` list leaves out, or an editor's folder (`.obsidian/`), made the
    outputs say "modified" and rebuilt all three; the paper is in a folder of the repository."""
    text = TEXT.replace("---\n", "---\nchapters: [paper.md]\n", 1)
    root = make_project(tmp_path / "repo" / "paper", {"paper.md": text}, BIB)
    (root / "manuscript" / "old-draft.md").write_text("A draft.\n")
    git = ["git", "-c", "user.name=A", "-c", "user.email=a@b"]
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=repo, check=True)
    assert doit(root).returncode == 0
    (root / "manuscript" / "old-draft.md").write_text("A draft, longer.\n")
    (root / "manuscript" / ".obsidian").mkdir()
    (root / "manuscript" / ".obsidian" / "workspace.json").write_text("{}")
    result = doit(root)
    assert result.returncode == 0, result.stderr
    assert [name for name in ran(result) if name != "check"] == []
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert page.xpath("//meta[@name='paperbuild-modified']/@content") == ["false"]


def test_an_uncommitted_edit_to_a_file_a_chapter_links_to_is_a_modification(
    tmp_path: Path,
) -> None:
    """The chapter is a link to a file outside manuscript/: its edit was built, and the outputs
    said they were the commit's."""
    root = make_project(tmp_path, {"paper.md": TEXT}, BIB)
    (root / "shared").mkdir()
    (root / "shared" / "methods.md").write_text("# Methods\n\nShared.\n")
    (root / "manuscript" / "02-methods.md").symlink_to("../shared/methods.md")
    git = ["git", "-c", "user.name=A", "-c", "user.email=a@b"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=root, check=True)
    assert doit(root, "html").returncode == 0
    with (root / "shared" / "methods.md").open("a") as shared:
        shared.write("Uncommitted.\n")
    assert doit(root, "html").returncode == 0
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert "Uncommitted." in page.text_content()
    assert page.xpath("//meta[@name='paperbuild-modified']/@content") == ["true"]


def test_a_build_asks_git_each_question_once(tmp_path: Path) -> None:
    """The up-to-date check and the three writers share one reading of git: the commit, its
    time and the tree's state, and the outputs still carry them."""
    root = make_project(tmp_path / "paper", {"paper.md": TEXT}, BIB)
    git = ["git", "-c", "user.name=A", "-c", "user.email=a@b"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    env = {"GIT_COMMITTER_DATE": "2021-03-04T05:06:07Z"}
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=root, check=True, env={**os.environ, **env})
    real = shutil.which("git")
    shims = tmp_path / "bin"
    shims.mkdir()
    log = tmp_path / "git.log"
    (shims / "git").write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    (shims / "git").chmod(0o755)
    built = subprocess.run(
        [sys.executable, "-m", "doit"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}"},
    )
    assert built.returncode == 0, built.stderr
    asked = [line.split(" ", 2)[2] for line in log.read_text().splitlines()]
    assert len(asked) == 2, asked
    assert any(" log " in f" {line} " for line in asked)
    assert any(" status " in f" {line} " for line in asked)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, text=True, capture_output=True)
    info = pypdf.PdfReader(root / "build" / "paper.pdf").metadata
    assert info["/PaperbuildCommit"] == commit.stdout.strip()
    assert info["/CreationDate"].startswith("D:20210304050607")


def test_a_chapters_edit_leaves_the_figures_stamp_alone_whatever_its_extension(
    tmp_path: Path,
) -> None:
    """The stamp the written pieces are kept by counted a `.txt` chapter as a figure: an edit
    to it wrote every piece of a book's HTML again."""
    from paperbuild import figures
    from paperbuild.project import Project

    text = "---\ntitle: T\nchapters: [paper.md, two.txt]\n---\n\n![F](fig.png)\n"
    root = make_project(tmp_path, {"paper.md": text, "two.txt": "# Two\n"}, BIB)
    (root / "manuscript" / "fig.png").write_bytes(PNG)
    project = Project.discover(root)
    before = figures.stamp(project, "")
    (root / "manuscript" / "two.txt").write_text("# Two, longer\n")
    assert figures.stamp(project, "") == before
    (root / "manuscript" / "fig.png").write_bytes(OTHER_PNG)
    assert figures.stamp(project, "") != before


def test_a_link_to_nothing_added_after_a_build_is_the_checks_to_report(tmp_path: Path) -> None:
    """doit's dependencies are the files that exist: a chapter or .bib that is a link to
    nothing, added after a build, left everything "up to date", and only `doit check` said."""
    root = make_project(tmp_path, {"paper.md": TEXT}, BIB)
    assert doit(root).returncode == 0
    for broken in (root / "manuscript" / "02-gone.md", root / "bibliography" / "gone.bib"):
        broken.symlink_to(tmp_path / "nowhere" / broken.name)
        result = doit(root)
        assert result.returncode != 0
        assert f"{broken.parent.name}/{broken.name}: error: cannot read" in result.stderr
        broken.unlink()
        assert doit(root).returncode == 0


def test_a_figure_in_a_hidden_folder_and_a_chapter_outside_git_are_changes(
    tmp_path: Path,
) -> None:
    """An edited figure in `.assets/` said "not modified" once hidden folders were an
    editor's; so did the paper when a chapter linked to a file outside the repository."""
    text = TEXT + "\n![A figure.](.assets/fig.png)\n"
    root = make_project(tmp_path / "repo", {"paper.md": text}, BIB)
    (root / "manuscript" / ".assets").mkdir()
    (root / "manuscript" / ".assets" / "fig.png").write_bytes(PNG)
    git = ["git", "-c", "user.name=A", "-c", "user.email=a@b"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=root, check=True)

    def modified() -> list[str]:
        assert doit(root, "html").returncode == 0
        page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
        return page.xpath("//meta[@name='paperbuild-modified']/@content")

    assert modified() == ["false"]
    (root / "manuscript" / ".assets" / "fig.png").write_bytes(OTHER_PNG)
    assert modified() == ["true"]
    subprocess.run([*git, "commit", "-qam", "v2"], cwd=root, check=True)
    assert modified() == ["false"]
    (tmp_path / "outside.md").write_text("# Outside\n")
    (root / "manuscript" / "02-out.md").symlink_to(tmp_path / "outside.md")
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "v3"], cwd=root, check=True)
    assert modified() == ["true"]  # git keeps the link, not what it leads to
