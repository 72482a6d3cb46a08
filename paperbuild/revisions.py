"""`doit diff rev=<revision>`: the manuscript at a git revision against the current one, as
"revised manuscript with changes shown": word-level, in the journal's layout, in DOCX (real
tracked changes), HTML (<ins>/<del>) and PDF (colour).

The old version is read with git alone (never touching the working tree) into a scratch
project under build/diff/ (build/<id>/diff/ with `journal=<id>`), checked and cited there like
any build, so changed citations and references show as changes too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from paperbuild import (
    atomic,
    check,
    citing,
    document,
    figures,
    frontmatter,
    jsonio,
    provenance,
    reproducible,
    typst_literal,
    worddiff,
)
from paperbuild.errors import ProjectError
from paperbuild.pandoc_ast import elements
from paperbuild.project import BIBLIOGRAPHY_DIR, MANUSCRIPT_DIR, Project


@dataclass(frozen=True)
class Result:
    counts: worddiff.Counts
    outputs: list[Path]


def diff(project: Project, journal: str | None, revision: str) -> Result:
    commit = _commit(project, revision)
    out = document.Paths.of(project, journal).out_dir / "diff"  # build/<id>/diff for a journal
    old = _checkout(project, commit, out / "old")
    # This version's is the build's own, which the diff's task waits for: made again here, it
    # would be written behind doit's back.
    new_doc = jsonio.read(document.Paths.of(project, journal).ast)
    # The earlier version in this one's journal: in its own (before a resubmission elsewhere),
    # every citation and reference would differ.
    current = document.load_doc(project, new_doc, journal)
    chosen = journal or current.profile.id
    old_doc = _processed(old, chosen)
    _figures_outside(project, commit, old, old_doc)
    figures.kept_from(old, project, old_doc["blocks"])
    author = _author(project)
    date = _date(project)
    doc, counts = worddiff.diff(old_doc, new_doc, author=author, date=date)

    from paperbuild.render import docx, html, pdf

    paths = document.Paths(out)
    parsed = document.load_doc(project, doc, journal)
    since = _described(project, revision, commit)
    changes = {
        "revision": since,
        "revision_typst": "#" + typst_literal.string(since),
        "inserted": counts.inserted,
        "deleted": counts.deleted,
    }
    targets = [out / "paper-diff.docx", out / "paper-diff.html", out / "paper-diff.pdf"]
    # Each format's metadata (window title, keywords, properties) is this version's, unmarked.
    marked = _with(project, parsed, worddiff.for_docx(doc))
    docx.render(project, paths, marked, targets[0], described=current.front)
    for render, target, wrapped in (
        (html.render, targets[1], worddiff.for_html(doc)),
        (pdf.render, targets[2], worddiff.for_typst(doc)),
    ):
        marked = _with(project, parsed, wrapped)
        render(project, paths, marked, target, {"changes": changes}, described=current.front)
    return Result(counts, targets)


def _commit(project: Project, revision: str) -> str:
    commit = _git(project.root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if not commit and _git(project.root, "rev-parse", "--is-inside-work-tree") != "true":
        raise ProjectError(
            "the paper is not in a git repository: `doit diff` compares it with a revision "
            "git keeps",
            path=f"rev={revision}",
            hint="run `git init`, commit the paper, and compare with that commit later",
        )
    if not commit:
        raise ProjectError(
            f"revision '{revision}' does not exist in this repository",
            path=project.relative(project.root) or ".",
            hint="give a tag, branch or commit: see `git log --oneline`",
        )
    return commit


def _described(project: Project, revision: str, commit: str) -> str:
    """The revision as an editor can find it again: its commit and date, after its name if it
    is a tag or a branch (`HEAD~1` would point elsewhere after the next commit)."""
    short, day = _git(project.root, "log", "-1", "--format=%h %cs", commit).split()
    named = _git(project.root, "rev-parse", "--verify", "--quiet", "--symbolic-full-name", revision)
    if named in (f"refs/tags/{revision}", f"refs/heads/{revision}"):
        return f"{revision} ({short} of {day})"
    return f"{short} of {day}"


def _checkout(project: Project, commit: str, target: Path) -> Project:
    """The paper's files at `commit`, written into `target` (a scratch project)."""
    listed = _git(
        project.root, "ls-tree", "-r", "-z", commit, "--", MANUSCRIPT_DIR, BIBLIOGRAPHY_DIR
    ).split("\0")
    # Each: "<mode> <type> <object>\t<path>"; a link's mode is 120000.
    modes = {name: meta.split()[0] for meta, _, name in (n.partition("\t") for n in listed if n)}
    names = list(modes)
    if not any(n.startswith(f"{MANUSCRIPT_DIR}/") and n.endswith(".md") for n in names):
        raise ProjectError(
            f"revision {commit[:12]} has no manuscript/ yet: it predates the paper",
            path=MANUSCRIPT_DIR,
            hint="compare with a later revision",
        )
    shutil.rmtree(target, ignore_errors=True)
    for name in names:
        data = _shown(project, commit, name)
        if modes[name] == _LINK:  # a chapter that is a link: the text of the file it names
            data = _linked(project, commit, name, data)
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    # The layout is today's: the comparison is of the text, not of the templates.
    (target / "templates").symlink_to(project.templates_dir, target_is_directory=True)
    return Project.discover(target)


_LINK = "120000"  # git's mode for a symbolic link, whose blob is the path it names


def _shown(project: Project, commit: str, name: str) -> bytes:
    """The file `name` (from the paper's folder) as `commit` has it."""
    # `./`: ls-tree names paths from the paper's folder, which may be a repository's
    # subfolder; `commit:path` alone reads from the repository's top.
    shown = subprocess.run(
        ["git", "-C", str(project.root), "show", f"{commit}:./{name}"], capture_output=True
    )
    if shown.returncode != 0:
        said = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ProjectError(
            f"git cannot show {name} at {commit[:12]}: {said[0] if said else 'no reason'}",
            path=name,
        )
    return shown.stdout


def _linked(project: Project, commit: str, name: str, link: bytes) -> bytes:
    """What the link `name` led to at `commit`: the file it names there, as git kept it (the
    diff read the link's own text, the path, as the chapter's)."""
    for _ in range(8):  # a link to a link, but not round and round
        named = os.path.normpath(Path(name).parent / os.fsdecode(link)).replace(os.sep, "/")
        if os.path.isabs(named):
            raise ProjectError(
                f"at {commit[:12]} it is a link to {named}, outside the repository, which git "
                "does not keep",
                path=name,
                hint="compare with a revision where the chapter is a file",
            )
        mode = _git(project.root, "ls-tree", commit, "--", named).split(" ", 1)[0]
        link = _shown(project, commit, named)
        if mode != _LINK:
            return link
        name = named
    raise ProjectError(f"at {commit[:12]} it is a link that leads round in a circle", path=name)


def _figures_outside(project: Project, commit: str, old: Project, doc: dict[str, Any]) -> None:
    """The files outside manuscript/ the earlier version's figures show (`../figures/a.png`),
    written from `commit` into its copy: the diff shows them as they were."""
    for image in elements(doc["blocks"], "Image"):
        url = urlparse(image["c"][2][0])
        if url.scheme or url.netloc:
            continue
        name = os.path.normpath(Path(MANUSCRIPT_DIR, unquote(url.path)).as_posix())
        if name.startswith((f"{MANUSCRIPT_DIR}/", "..")) or os.path.isabs(name):
            continue  # checked out already, or outside the project
        shown = subprocess.run(
            ["git", "-C", str(project.root), "show", f"{commit}:./{name}"], capture_output=True
        )
        if shown.returncode == 0:
            target = old.root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(shown.stdout)


def _processed(project: Project, journal: str | None) -> dict[str, Any]:
    """A version's document as the build makes it: checked, numbers resolved, citeproc run."""
    paths = document.Paths.of(project, journal)
    outcome = check.run(project, journal, paths.cache_dir / "chapters", table=False)
    if outcome.doc is None:  # the version could not be read at all
        first = outcome.report.sorted_problems()[0]
        raise ProjectError(
            f"cannot read the manuscript at this revision: {first.message}",
            path=first.path,
            line=first.line,
            col=first.col,
        )
    paths.out_dir.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(paths.checked, jsonio.dumps(outcome.doc))
    citing.cite(project, paths, journal)
    return jsonio.read(paths.ast)


def _with(project: Project, parsed: document.Parsed, doc: dict[str, Any]) -> document.Parsed:
    """`doc` in `parsed`'s journal, its front matter read again: its changes are marked as the
    writer needs them too."""
    source = Path(project.relative(project.manuscript_files[0]))
    return document.Parsed(doc, frontmatter.read(doc["meta"], source), parsed.profile)


def _author(project: Project) -> str:
    """Who made the changes: the git user here, else the last commit's author."""
    return (
        _git(project.root, "config", "user.name")
        or _git(project.root, "log", "-1", "--format=%an")
        or "paperbuild"
    )


def _date(project: Project) -> str:
    import time

    epoch = reproducible.source_date_epoch(project.root, list(project.manuscript_files))
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _git(root: Path, *args: str) -> str:
    return provenance.git(root, *args)
