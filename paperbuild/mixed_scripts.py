"""Mixed-script words found in a manuscript's chapters, each with its place: what the check
reports and `doit fix_script` corrects."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperbuild import __version__, jsonio, prose, scripts
from paperbuild.chapters import Chapter

# Changed when the same text gives other findings: a build's kept findings from before are not
# read. 2: Greek symbols in Latin words and lone Latin letters (variables) are no findings.
_CACHE_FORMAT = 2


@dataclass(frozen=True)
class Located:
    finding: scripts.Finding
    path: str
    line: int | None
    col: int | None


def find(parts: list[Chapter], lang: str, cache: Cache | None = None) -> list[Located]:
    """Every finding in the front matter and the chapters' prose, in reading order: each
    chapter's front matter found in that chapter. With `cache`, each chapter's findings are
    kept by its text."""
    located: list[Located] = []
    for chapter in parts:
        if not _may_mix(chapter.text, lang):
            continue
        if cache is None:
            located += _in_chapter(chapter, lang)
        else:
            located += cache.findings(chapter, lang)
    if cache is not None:
        cache.forget_unused()
    front_matter = []
    for chapter in (chapter for chapter in parts if chapter.meta):
        words = prose.meta_paragraphs(chapter.meta, lang)
        front_matter += _located(chapter, words, scripts.check(words), front_matter=True)
    return front_matter + located


def _in_chapter(chapter: Chapter, lang: str) -> list[Located]:
    words = prose.paragraphs(chapter, lang)
    return _located(chapter, words, scripts.check(words), front_matter=False)


class Cache:
    """Findings kept in `folder` by the chapter's text and language, and `variant`: what the
    chapter's AST was made from besides its text (the reference numbers the check converted)."""

    def __init__(self, folder: Path, variant: Any) -> None:
        self.folder, self.variant = folder, variant
        self.used: set[str] = set()

    def findings(self, chapter: Chapter, lang: str) -> list[Located]:
        seed = jsonio.dumps(
            [__version__, _CACHE_FORMAT, self.variant, lang, chapter.name, chapter.text]
        )
        path = self.folder / f"{hashlib.sha256(seed).hexdigest()}.json"
        self.used.add(path.name)
        try:
            return [_from_json(item) for item in jsonio.read(path)]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        located = _in_chapter(chapter, lang)
        jsonio.write(path, [_to_json(item) for item in located])
        return located

    def forget_unused(self) -> None:
        jsonio.prune(self.folder, self.used)


def _to_json(item: Located) -> dict[str, Any]:
    finding = item.finding
    return {
        "finding": {
            "word": list(finding.word),
            "suggestion": finding.suggestion,
            "scripts": list(finding.scripts),
            "reason": finding.reason,
        },
        "path": item.path,
        "line": item.line,
        "col": item.col,
    }


def _from_json(item: dict[str, Any]) -> Located:
    finding = item["finding"]
    word = scripts.Word(*finding["word"])
    return Located(
        scripts.Finding(word, finding["suggestion"], tuple(finding["scripts"]), finding["reason"]),
        item["path"],
        item["line"],
        item["col"],
    )


def _may_mix(text: str, lang: str) -> bool:
    """Whether a chapter could hold a finding at all: a book's chapter in one alphabet cannot,
    and telling so from its characters is a hundred times cheaper than reading its words."""
    present = {scripts.script_of(char) for char in set(text)} - {None}
    if len(present) > 1:
        return True
    if present != {scripts.LATIN}:
        return False  # all Cyrillic, or all Greek
    # Latin only: a Latin word can still stand for a Cyrillic one in a Cyrillic language.
    return scripts.language_script(lang) == scripts.CYRILLIC or "lang" in text


def _located(
    chapter: Chapter,
    paragraphs: list[list[scripts.Word]],
    findings: list[scripts.Finding],
    front_matter: bool,
) -> list[Located]:
    if not findings:
        return []
    words = [word for paragraph in paragraphs for word in paragraph]
    places = {id(p.word): p for p in prose.place(chapter, words, front_matter)}
    return [
        Located(f, chapter.name, places[id(f.word)].line, places[id(f.word)].col) for f in findings
    ]
