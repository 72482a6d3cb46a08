"""Footnotes, link references and headings named across chapter files.

pandoc reads each chapter alone (so an edit parses one file again), and a name resolves only
within its file: `[^note]` whose text is in another file, `[site]` defined as
`[site]: https://…` in another, `[Methods]` naming another file's heading would each print
as written, brackets and all. The check says where, and what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paperbuild.chapters import Chapter
from paperbuild.positions import Finder
from paperbuild.report import Problem, error, warning

_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)
_LINK_DEF = re.compile(r"^ {0,3}\[([^\]^\n][^\]\n]*)\]:[ \t]*\S", re.MULTILINE)
# Searched in the text after a "\n": a pattern that starts with a literal is found fast.
_HEADING = re.compile(r"\n#{1,6}[ \t]+([^\n]+?)(?:[ \t]+\{[^}\n]*\})?(?:[ \t]+#+)?[ \t]*(?=\n|\Z)")
_NOTE_USE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
# `[label]`, `[text][label]`, `[label][]`; not `[text](url)`, `[text]{.attrs}`; `![image]`
# and `\[` are told by the character before (a lookbehind here would be ten times slower).
_LINK_USE = re.compile(r"\[([^\]\n]+)\](?:\[([^\]\n]*)\])?(?![(:{\[])")
_EXAMPLE = re.compile(r"(?:^|\n)[ \t]*(\(@[\w-]*\))[ \t]")
# A bracket the check reads as numbered citations (`[1]`, `[2, p. 5]`), or a citation.
_CITATION_LIKE = re.compile(r"^(?:@|\d)")


@dataclass(frozen=True)
class _Name:
    kind: str  # "note", "link", "heading"
    label: str  # as written
    chapter: str
    line: int


def check(parts: list[Chapter]) -> list[Problem]:
    """An error at each name used in one chapter file and given only in another; a warning
    where an example list starts numbering again in a later file."""
    if len(parts) < 2:
        return []
    given = [_given(part.text, part.name) for part in parts]
    problems = _examples(parts)
    for part, own in zip(parts, given, strict=True):
        elsewhere = {
            key: name
            for other in given
            if other is not own
            for key, name in other.items()
            if key not in own
        }
        if elsewhere:
            problems += _used(part, elsewhere)
    return problems


def _examples(parts: list[Chapter]) -> list[Problem]:
    """pandoc numbers example lists, `(@)`, within one file: a second file's start at (1)."""
    firsts = []
    for part in (part for part in parts if "(@" in part.text):
        finder = Finder(part.text)  # code, comments and front matter hidden
        match = _EXAMPLE.search(finder.text)
        if match:
            firsts.append((part.name, *finder.line_col(match.start(1))))
    return [
        warning(
            "this example list is numbered from (1) again: pandoc numbers examples within one "
            f"file, and the first are in {firsts[0][0]}; keep the numbered examples in one file",
            *place,
        )
        for place in firsts[1:]
    ]


def _given(text: str, chapter: str) -> dict[tuple[str, str], _Name]:
    """What the chapter defines: notes, link references, headings, by (kind, label)."""
    found: dict[tuple[str, str], _Name] = {}
    for kind, pattern in (("note", _NOTE_DEF), ("link", _LINK_DEF), ("heading", _HEADING)):
        if kind != "heading" and "]:" not in text:
            continue
        searched = "\n" + text if kind == "heading" else text
        for match in pattern.finditer(searched):
            label = match.group(1).strip()
            line = searched.count("\n", 0, match.start()) + 1
            key = (kind if kind == "note" else "link", _folded(label))
            found.setdefault(key, _Name(kind, label, chapter, line))
    return found


def _used(part: Chapter, elsewhere: dict[tuple[str, str], _Name]) -> list[Problem]:
    text = part.text.replace("\r\n", "\n").replace("\r", "\n")  # as the Finder reads it
    candidates = [
        (match, ("note", _folded(match.group(1))))
        for match in _NOTE_USE.finditer(text)
        if ("note", _folded(match.group(1))) in elsewhere
    ] + [
        (match, ("link", _folded(label)))
        for match in _LINK_USE.finditer(text)
        if text[match.start() - 1 : match.start()] not in ("]", "!", "\\")
        and (label := match.group(2) or match.group(1))
        and not _CITATION_LIKE.match(label)
        and ("link", _folded(label)) in elsewhere
    ]
    if not candidates:
        return []
    finder = Finder(part.text)  # code, comments and front matter hidden
    problems, reported = [], set()
    for match, key in sorted(candidates, key=lambda c: c[0].start()):
        if key in reported or finder.text[match.start()] != "[":
            continue  # reported once per chapter; or in code, where it is not a link
        reported.add(key)
        line, col = finder.line_col(match.start())
        problems.append(error(_message(elsewhere[key]), part.name, line, col))
    return problems


def _message(name: _Name) -> str:
    where = f"{name.chapter}:{name.line}"
    if name.kind == "note":
        return (
            f"footnote [^{name.label}] is written in {where}, but each chapter file is read "
            "alone: move the note's text into this file"
        )
    if name.kind == "link":
        return (
            f"link reference [{name.label}] is defined in {where}, but each chapter file is "
            "read alone: define it in this file too"
        )
    return (
        f"[{name.label}] names a heading in {where}, but a chapter file links to another's "
        "heading only by its identifier: give the heading one ({#name}) and write "
        f"[{name.label}](#name)"
    )


def _folded(label: str) -> str:
    """Labels match as pandoc matches them: case and runs of spaces aside."""
    return " ".join(label.split()).casefold()
