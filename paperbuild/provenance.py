"""Which sources and tools made an output: the git commit (and whether the tree had uncommitted
changes), paperbuild's, pandoc's and typst's versions. Stamped into every output, so an editor
knows exactly which version they hold."""

from __future__ import annotations

import functools
import re
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from paperbuild import __version__
from paperbuild.project import (
    BIBLIOGRAPHY_DIR,
    MANUSCRIPT_DIR,
    TEMPLATES_DIR,
    Project,
    is_scratch,
)


@dataclass(frozen=True)
class Provenance:
    commit: str  # full hash, or "" outside git
    modified: bool  # the paper's files differ from that commit
    version: str  # paperbuild's
    pandoc: str
    typst: str

    @property
    def revision(self) -> str:
        """`a1b2c3d`, `a1b2c3d-modified`, or `unversioned`: for file names."""
        if not self.commit:
            return "unversioned"
        return self.commit[:7] + ("-modified" if self.modified else "")

    def summary(self) -> str:
        source = f"commit {self.commit[:12]}" if self.commit else "no git commit"
        if self.commit and self.modified:
            source += " with uncommitted changes"
        return f"paperbuild {self.version}, pandoc {self.pandoc}, typst {self.typst}; {source}"

    def fields(self) -> dict[str, str]:
        return {
            f"paperbuild-{k}": str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in asdict(self).items()
        }


def collect(project: Project, also: Sequence[str] = ()) -> Provenance:
    """`also`: what else the paper reads, from the project's root (figures outside
    manuscript/)."""
    from paperbuild import pandoc

    commit, modified = git_state(project.root, tuple(also), project.not_read, project.linked)
    return Provenance(commit, modified, __version__, pandoc.version(), typst_version())


@functools.cache
def last_commit(root: Path) -> tuple[str, int | None]:
    """The commit checked out and its time, or ("", None) outside git or before the first
    commit. Asked once per process (a `doit` run): each writer wants both."""
    # A user's log.showSignature would print gpg's words before ours.
    out = git(root, "-c", "log.showSignature=false", "log", "-1", "--format=%H %ct")
    commit, _, time = out.partition(" ")
    return (commit, int(time)) if commit and time.isdigit() else ("", None)


@functools.cache
def git_state(
    root: Path,
    also: tuple[str, ...] = (),
    not_read: tuple[str, ...] = (),
    linked: tuple[str, ...] = (),
) -> tuple[str, bool]:
    """The commit checked out and whether the paper's files have uncommitted changes: its
    folders' files, and `also` (figures it shows from elsewhere) and `linked` (the files its
    chapters that are links lead to), from the project's root. None of them are an editor's
    scratch files (`ch1.md~`, `.ch1.md.swp`, anything in `.obsidian/` that is not a figure the
    paper shows), nor the files in its folders the paper does not read (`not_read`: a draft the
    `chapters:` list leaves out). A linked file git does not keep (outside the repository) is a
    change: the commit does not hold it.

    Asked once per process: the up-to-date check that decides whether a writer runs and the
    stamp it writes see the same state, and a no-op pays for git's processes once."""
    commit = last_commit(root)[0]
    if not commit:
        return "", False
    watched = (MANUSCRIPT_DIR, BIBLIOGRAPHY_DIR, TEMPLATES_DIR, *also)
    changed = _changed(git(root, *_STATUS, "--", *watched))
    if linked:
        outside = subprocess.run(
            ["git", "-C", str(root), *_STATUS, "--", *linked], capture_output=True, text=True
        )
        if outside.returncode != 0:
            return commit, True
        changed += _changed(outside.stdout)
    # git names them from the repository's root, which may hold the project in a folder.
    shown = tuple(f"/{name}" for name in (*also, *linked))
    ignored = tuple(f"/{name}" for name in not_read)
    return commit, any(
        (name in also or name in linked or name.endswith(shown))
        or (
            not any(is_scratch(part) for part in Path(name).parts)
            and name not in not_read
            and not name.endswith(ignored)
        )
        for name in changed
    )


_STATUS = ("-c", "core.quotePath=false", "status", "--porcelain", "--untracked-files=all")


def _changed(status: str) -> list[str]:
    """The paths `git status --porcelain` names (a rename's new one)."""
    return [
        match.group(1).split(" -> ")[-1].strip('"')
        for line in status.splitlines()
        if (match := re.match(r"\s*\S+\s+(.*)", line))
    ]


@functools.cache
def typst_version() -> str:
    import typst

    return typst.__version__


def git(root: Path, *args: str) -> str:
    """What a git command prints, or "" when it fails or git is missing."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""
