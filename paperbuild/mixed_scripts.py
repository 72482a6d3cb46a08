"""Mixed-script words found in a manuscript's chapters, each with its place: what the check
reports and `doit fix_script` corrects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from paperbuild import prose, scripts
from paperbuild.chapters import Chapter


@dataclass(frozen=True)
class Located:
    finding: scripts.Finding
    path: str
    line: int | None
    col: int | None


def find(parts: list[Chapter], meta: dict[str, Any], lang: str) -> list[Located]:
    """Every finding in the front matter and the chapters' prose, in reading order."""
    located: list[Located] = []
    for chapter in parts:
        if not _may_mix(chapter.text, lang):
            continue
        words = prose.paragraphs(chapter, lang)
        located += _located(chapter, words, scripts.check(words), front_matter=False)
    if parts:
        words = prose.meta_paragraphs(meta, lang)
        located = _located(parts[0], words, scripts.check(words), front_matter=True) + located
    return located


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
