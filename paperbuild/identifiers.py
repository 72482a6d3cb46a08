"""Identifiers unique across the chapters, as pandoc makes them in one file.

pandoc reads each chapter alone, so two chapters with a heading "Method" both get `method`;
read as one file, the second would get `method-1`. The merged document gets pandoc's rule back.
An identifier the author wrote twice (`{#method}`) names no one place: that is the author's to
mend, and a link to it would fail in the PDF.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

from paperbuild import jsonio
from paperbuild.chapters import Chapter
from paperbuild.pandoc_ast import stringify
from paperbuild.positions import Finder
from paperbuild.report import Problem, error

# What citeproc and the writers name themselves: the reference list and its entries, the notes.
_WRITERS = re.compile(r"(?:refs|footnotes|ref-.*|fn\d+|fnref\d+)\Z")
# pandoc's JSON is compact: an element with attributes starts `"c":[["id",[` (a heading,
# `"c":[2,["id",[`). An empty identifier is not matched.
_ID = re.compile(rb'"c":\[(?:\d+,)?\["((?:[^"\\]|\\.)+)",\[')


def make_unique(parts: list[Chapter]) -> list[Problem]:
    """Rename the identifiers pandoc generated for headings where another chapter's (or one
    written anywhere) is the same; report an identifier that is still not unique: one the
    author wrote more than once."""
    found = [[_decoded(raw) for raw in _ID.findall(part.source)] for part in parts]
    counts = Counter(ident for idents in found for ident in idents)
    doubled = {ident for ident, n in counts.items() if n > 1 or _WRITERS.match(ident)}
    if not doubled:
        return []  # the usual case: nothing to decode
    # In the chapters where one collides, the headings whose identifiers pandoc generated
    # may be renamed; every other identifier stays as it is, and is kept free.
    generated = {
        i: _generated_in(parts[i], idents)
        for i, idents in enumerate(found)
        if doubled.intersection(idents)
    }
    final = Counter(counts)
    for attrs in generated.values():
        final.subtract(attr[0] for attr in attrs)
    used = {ident for ident, n in final.items() if n > 0}
    for attrs in generated.values():  # in reading order
        own = {attr[0] for attr in attrs}  # as pandoc gave them in this chapter
        for attr in attrs:
            if attr[0] in used or _WRITERS.match(attr[0]):
                attr[0] = next_free(_base(attr[0], own), used)
            used.add(attr[0])
            final[attr[0]] += 1
    return [
        problem
        for ident in sorted(i for i, n in final.items() if n > 1)
        for problem in _written_twice(parts, found, ident)
    ]


def all_identifiers(parts: list[Chapter]) -> set[str]:
    """Every identifier the chapters give, whatever element has it."""
    return {_decoded(raw) for part in parts for raw in _ID.findall(part.source)}


def _generated_in(part: Chapter, idents: list[str]) -> list[list[Any]]:
    """The chapter's headings whose identifiers pandoc generated: as many of those with each
    identifier as it occurs more often than the author writes it out in the prose (comments,
    code and other elements' identifiers aside); those spelt as pandoc makes them from their
    text first."""
    by_ident: dict[str, list[tuple[list[Any], str]]] = {}
    for attr, text in _headings(part.doc["blocks"]):
        by_ident.setdefault(attr[0], []).append((attr, text))
    generated = []
    for ident, headings in by_ident.items():
        written = len(_offsets(part, _written(ident))[0])
        headings.sort(key=lambda heading: not _is_generated(*heading))
        generated += [attr for attr, _ in headings[: max(0, idents.count(ident) - written)]]
    return generated


def _is_generated(attr: list[Any], text: str) -> bool:
    """Whether pandoc made the heading's identifier from its text (`method`, or `method-1`
    for a second "Method" in the file), as the author could not tell from writing it."""
    made = generated(text)
    ident = attr[0]
    return ident == made or (ident.startswith(made + "-") and ident[len(made) + 1 :].isdigit())


def generated(text: str) -> str:
    """pandoc's identifier for a heading's text (its manual: "Extension: auto_identifiers")."""
    lowered = "".join(c.lower() for c in text)  # one by one: Σ is σ, never a final ς
    kept = "".join(c for c in lowered if c.isalnum() or c in "_-." or c.isspace())
    ident = "-".join(kept.split())
    while ident and not ident[0].isalpha():
        ident = ident[1:]
    return ident or "section"


def _written_twice(parts: list[Chapter], found: list[list[str]], ident: str) -> list[Problem]:
    """An error at each place the identifier is written after the first."""
    places = _places(parts, ident)
    if len(places) < 2:  # written in a way not looked for: name the files
        chapters = [part.name for part, idents in zip(parts, found, strict=True) if ident in idents]
        places = [(name, None, None) for name in chapters]
    return [_twice(ident, place, places[0]) for place in places[1:]]


def _places(parts: list[Chapter], ident: str) -> list[tuple[str, int | None, int | None]]:
    """Where the chapters write the identifier, in reading order."""
    pattern = _written(ident)
    places = []
    for part in parts:
        offsets, finder = _offsets(part, pattern)
        places.extend((part.name, *finder.line_col(offset)) for offset in offsets)
    return places


def _offsets(part: Chapter, pattern: re.Pattern[str]) -> tuple[list[int], Finder]:
    """Where the chapter writes what `pattern` finds: in the prose (not in code, comments or
    front matter), and on a fenced code block's opening line."""
    if not pattern.search(part.text):
        return [], Finder("")
    finder = _finder(part.text)
    raw = part.text.replace("\r\n", "\n").replace("\r", "\n")  # as the Finder reads it
    offsets = [match.start() for match in pattern.finditer(finder.text)] + [
        match.start()
        for fence in _FENCE.finditer(raw)
        for match in pattern.finditer(raw, fence.start(), fence.end())
    ]
    return sorted(set(offsets)), finder


@functools.lru_cache(maxsize=4)
def _finder(text: str) -> Finder:
    """One Finder a chapter, however many of its identifiers are looked for (hiding its code
    and comments is what costs)."""
    return Finder(text)


def _decoded(raw: bytes) -> str:
    return raw.decode("utf-8") if b"\\" not in raw else jsonio.loads(b'"' + raw + b'"')


_FENCE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[^\n]*", re.MULTILINE)  # a code block's first line


def _written(ident: str) -> re.Pattern[str]:
    """The identifier as an author writes it: `{#id}`, `{.class #id}`, `<div id="id">`."""
    escaped = re.escape(ident)
    return re.compile(rf"\{{[^}}\n]*#{escaped}(?=[\s}}])|\bid=[\"']?{escaped}(?=[\"'\s>])")


def _twice(
    ident: str,
    place: tuple[str, int | None, int | None],
    before: tuple[str, int | None, int | None],
) -> Problem:
    where = ":".join(str(part) for part in before if part is not None)
    return error(
        f"identifier '{ident}' is also given at {where}; an identifier names one place "
        "(a link to it goes to one of them): rename one",
        *place,
    )


def _base(ident: str, own: set[str]) -> str:
    """`method` for the `method-1` pandoc gave a chapter's second "Method" heading."""
    base, dash, number = ident.rpartition("-")
    return base if dash and number.isdigit() and base in own else ident


def next_free(ident: str, used: set[str]) -> str:
    """pandoc's rule: the identifier with -1, -2, … until one is free."""
    n = 1
    while f"{ident}-{n}" in used:
        n += 1
    return f"{ident}-{n}"


def _headings(blocks: list[Any]) -> list[tuple[list[Any], str]]:
    """The attributes and text of the headings, in document order: at the top, in divs,
    quotes, lists and figures (a heading in a table or a note gets no generated identifier
    to mend)."""
    found: list[tuple[list[Any], str]] = []
    stack: list[Any] = [blocks]
    while stack:
        item = stack.pop()
        if type(item) is list:
            stack.extend(reversed(item))
            continue
        if type(item) is not dict:
            continue
        kind, content = item.get("t"), item.get("c")
        if kind == "Header":
            if content[1][0]:
                found.append((content[1], stringify(content[2])))
        elif kind in ("BlockQuote", "BulletList"):
            stack.append(content)
        elif kind == "Div" or kind == "OrderedList":
            stack.append(content[1])
        elif kind == "Figure":
            stack.append(content[2])
        elif kind == "DefinitionList":
            stack.extend(reversed([blocks for _, blocks in content]))
    return found
