"""Provenance in every output, the submission zip, and builds that repeat byte for byte."""

from __future__ import annotations

import hashlib
import json
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from lxml import html as lxml_html

from conftest import PNG, doit, make_project


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        check=True,
        env={
            "GIT_AUTHOR_NAME": "A",
            "GIT_AUTHOR_EMAIL": "a@example.org",
            "GIT_COMMITTER_NAME": "A",
            "GIT_COMMITTER_EMAIL": "a@example.org",
            "GIT_AUTHOR_DATE": "2026-01-02T03:04:05Z",
            "GIT_COMMITTER_DATE": "2026-01-02T03:04:05Z",
            "PATH": "/usr/bin:/bin",
        },
    ).stdout.strip()


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample paper in a git repository of its own, committed."""
    root = make_project(tmp_path_factory.mktemp("repo") / "paper", sample=True)
    (root / ".gitignore").write_text("/build/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    return root


def build(root: Path) -> None:
    result = doit(root)
    assert result.returncode == 0, result.stderr
    result = doit(root, "submission")
    assert result.returncode == 0, result.stderr + result.stdout


def test_every_output_names_its_commit_and_tools(repository: Path) -> None:
    build(repository)
    commit = git(repository, "rev-parse", "HEAD")
    page = lxml_html.parse(str(repository / "build" / "paper.html")).getroot()
    meta = {m.get("name"): m.get("content") for m in page.xpath("//meta[@name]")}
    assert meta["paperbuild-commit"] == commit
    assert meta["paperbuild-modified"] == "false"
    assert meta["paperbuild-pandoc"].startswith("3.")
    assert meta["generator"].startswith("paperbuild ")
    info = pypdf.PdfReader(repository / "build" / "paper.pdf").metadata
    assert info["/PaperbuildCommit"] == commit and info["/PaperbuildModified"] == "false"
    assert info["/PaperbuildTypst"] and info["/PaperbuildPandoc"].startswith("3.")
    core = docx.Document(repository / "build" / "paper.docx").core_properties
    assert commit[:12] in core.comments and "pandoc" in core.comments


def test_an_uncommitted_change_is_flagged(tmp_path: Path, repository: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repository), str(clone)], check=True)
    paper = clone / "manuscript" / "paper.md"
    paper.write_text(paper.read_text(encoding="utf-8") + "\nЖаңа абзац.\n", encoding="utf-8")
    result = doit(clone, "html")
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(clone / "build" / "paper.html")).getroot()
    meta = {m.get("name"): m.get("content") for m in page.xpath("//meta[@name]")}
    assert meta["paperbuild-modified"] == "true"
    assert "uncommitted changes" in meta["generator"]


def test_the_submission_zip_holds_everything_with_matching_hashes(repository: Path) -> None:
    build(repository)
    commit = git(repository, "rev-parse", "HEAD")
    (archive,) = (repository / "build" / "submission").glob("*.zip")
    assert archive.name.endswith(f"-kz-journal-{commit[:7]}.zip")
    assert archive.name.startswith("qazaqstan-respublikasynda-")
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        manifest = json.loads(zipped.read("manifest.json"))
        for entry in manifest["files"]:
            data = zipped.read(entry["path"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["size"]
    assert {
        "paper.pdf",
        "paper.docx",
        "paper.html",
        "check.json",
        "manuscript/paper.md",
        "bibliography/references.bib",
        "manifest.json",
    } <= set(names)
    assert {e["path"] for e in manifest["files"]} == set(names) - {"manifest.json"}
    assert manifest["provenance"]["paperbuild-commit"] == commit
    assert manifest["journal"] == "kz-journal"
    for name in ("paper.pdf", "paper.docx", "paper.html"):
        built = (repository / "build" / name).read_bytes()
        assert hashlib.sha256(built).hexdigest() == next(
            e["sha256"] for e in manifest["files"] if e["path"] == name
        )


def test_two_clones_at_different_paths_build_the_same_bytes(
    tmp_path: Path, repository: Path
) -> None:
    clones = [tmp_path / "a" / "paper", tmp_path / "elsewhere" / "deeper" / "copy"]
    for clone in clones:
        clone.parent.mkdir(parents=True)
        subprocess.run(["git", "clone", "-q", str(repository), str(clone)], check=True)
        build(clone)
    for name in ("paper.pdf", "paper.docx", "paper.html", "check.json"):
        first, second = ((c / "build" / name).read_bytes() for c in clones)
        assert first == second, name
    zips = [next((c / "build" / "submission").glob("*.zip")).read_bytes() for c in clones]
    assert zips[0] == zips[1]


def test_the_submission_holds_what_the_paper_is_made_of_and_nothing_beside_it(
    tmp_path: Path,
) -> None:
    """The chapters it uses, the figures it shows, the .bib files: not a chapter left out, a
    private note, an editor's backup, nor what a link in manuscript/ points to."""

    outside = tmp_path / "secret.txt"
    outside.write_text("private\n")
    text = "---\ntitle: T\nchapters: [paper.md]\nabstract: A.\n---\n\n![F.](figs/f.png)\n\nText.\n"
    root = make_project(tmp_path / "p", {"paper.md": text, "notes.md": "# Notes\n"}, "")
    manuscript = root / "manuscript"
    (manuscript / "figs").mkdir()
    (manuscript / "figs" / "f.png").write_bytes(PNG)
    (manuscript / "figs" / "unused.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assets = root / "assets"
    assets.mkdir()
    (manuscript / "figs" / "f.png").rename(assets / "f.png")
    (manuscript / "figs" / "f.png").symlink_to(assets / "f.png")  # kept under its own name
    (manuscript / "paper.md~").write_text("old\n")
    (manuscript / ".DS_Store").write_bytes(b"\0")
    (manuscript / "link.txt").symlink_to(outside)
    build(root)
    (archive,) = (root / "build" / "submission").glob("*.zip")
    with zipfile.ZipFile(archive) as zipped:
        sources = sorted(n for n in zipped.namelist() if "/" in n)
    assert sources == [
        "bibliography/references.bib",
        "manuscript/figs/f.png",
        "manuscript/paper.md",
    ]
