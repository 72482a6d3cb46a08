"""`doit fix_script`: rewrite the manuscript's mixed-script words in one script.

Each file is rewritten atomically, and only where a finding says so; the originals are copied
first to build/backups/fix_script-<time>/ with a unified diff of the change, so nothing is
lost. Running it again changes nothing.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from paperbuild import atomic, chapters, frontmatter, mixed_scripts
from paperbuild.errors import ManuscriptError
from paperbuild.project import Project


@dataclass(frozen=True)
class Change:
    path: str
    line: int
    col: int
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.old} → {self.new}"


@dataclass
class Outcome:
    changes: list[Change]
    backup: Path | None
    unfixable: list[mixed_scripts.Located]


def plan(project: Project, cache_dir: Path) -> tuple[list[Change], list[mixed_scripts.Located]]:
    parts = chapters.read(project, cache_dir)
    meta = chapters.metadata(parts)
    front = frontmatter.read(meta, Path(parts[0].name))
    changes, unfixable = [], []
    for found in mixed_scripts.find(parts, front.lang):
        if found.finding.suggestion and found.line is not None and found.col is not None:
            changes.append(
                Change(
                    found.path,
                    found.line,
                    found.col,
                    found.finding.word.text,
                    found.finding.suggestion,
                )
            )
        else:
            unfixable.append(found)
    return changes, unfixable


def fix(project: Project, cache_dir: Path, backups: Path) -> Outcome:
    changes, unfixable = plan(project, cache_dir)
    if not changes:
        return Outcome([], None, unfixable)
    by_file: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_file[change.path].append(change)
    rewritten = {}
    applied: list[Change] = []
    for name, file_changes in by_file.items():
        # A chapter that is a link is fixed in the file it links to, which stays linked.
        path = (project.root / name).resolve()
        original = path.read_bytes().decode("utf-8")
        new, done = _apply(original, file_changes)
        applied += done
        if done:
            rewritten[name] = (path, original, new)
    if not rewritten:
        return Outcome([], None, unfixable)
    for name, (path, _, _) in rewritten.items():
        # Each file is written whole, beside itself, then renamed over the original: a file or
        # folder that cannot be written would leave the fix half made, some files fixed.
        if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            where = name if path == project.root / name else f"{name} (a link to {path})"
            raise ManuscriptError(
                f"cannot write {where}: it or its folder is read-only",
                path=name,
                hint="make it writable, then run fix_script again; nothing is changed until "
                "every file it fixes can be written",
            )
    backup = _new_folder(backups, time.strftime("fix_script-%Y%m%d-%H%M%S"))
    diff = []
    for name, (path, original, new) in rewritten.items():
        copy = backup / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
        diff += difflib.unified_diff(
            original.splitlines(keepends=True),
            new.splitlines(keepends=True),
            f"a/{name}",
            f"b/{name}",
        )
    atomic.write_text(backup / "changes.diff", "".join(diff))
    for path, _, new in rewritten.values():
        mode = path.stat().st_mode & 0o7777
        atomic.write_text(path, new)
        path.chmod(mode)  # the author's file keeps who may read it
    return Outcome(applied, backup, unfixable)


def _new_folder(backups: Path, name: str) -> Path:
    """A folder of its own for this run's originals: a second run in the same second must not
    write over the first's, which may be the only copy of the true originals."""
    backups.mkdir(parents=True, exist_ok=True)
    for count in range(1, 10_000):
        folder = backups / (name if count == 1 else f"{name}-{count}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise FileExistsError(backups / name)


def _apply(text: str, changes: list[Change]) -> tuple[str, list[Change]]:
    """Each word replaced at its line and column, and the changes made; a word not found
    there is left alone. Lines end where the check ends them, at LF, CR LF or CR (not at
    U+2028 or a form feed, as str.splitlines has it)."""
    starts = [0, *(match.end() for match in re.finditer("\r\n|\r|\n", text))]
    pieces, done = [], []
    position = 0
    for change in sorted(changes, key=lambda c: (c.line, c.col)):
        offset = starts[change.line - 1] + change.col - 1 if change.line <= len(starts) else -1
        if offset < position or text[offset : offset + len(change.old)] != change.old:
            continue
        pieces += [text[position:offset], change.new]
        position = offset + len(change.old)
        done.append(change)
    pieces.append(text[position:])
    return "".join(pieces), done
