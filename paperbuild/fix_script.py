"""`doit fix_script`: rewrite the manuscript's mixed-script words in one script.

Each file is rewritten atomically, and only where a finding says so; the originals are copied
first to build/backups/fix_script-<time>/ with a unified diff of the change, so nothing is
lost. Running it again changes nothing.
"""

from __future__ import annotations

import difflib
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from paperbuild import atomic, chapters, frontmatter, mixed_scripts
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
    backup = backups / time.strftime("fix_script-%Y%m%d-%H%M%S")
    by_file: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_file[change.path].append(change)
    rewritten = {}
    for name, file_changes in by_file.items():
        path = project.root / name
        original = path.read_bytes().decode("utf-8")
        rewritten[name] = (path, original, _apply(original, file_changes))
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
        atomic.write_text(path, new)
    return Outcome(changes, backup, unfixable)


def _apply(text: str, changes: list[Change]) -> str:
    """Replace each word at its line and column; a word not found there is left alone."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    pieces = []
    position = 0
    for change in sorted(changes, key=lambda c: (c.line, c.col)):
        offset = starts[change.line - 1] + change.col - 1
        if offset < position or text[offset : offset + len(change.old)] != change.old:
            continue
        pieces += [text[position:offset], change.new]
        position = offset + len(change.old)
    pieces.append(text[position:])
    return "".join(pieces)
