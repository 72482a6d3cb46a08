"""Identifiers unique across the chapters, as pandoc makes them in one file.

pandoc reads each chapter alone, so two chapters with a heading "Method" both get `method`;
read as one file, the second would get `method-1`. The merged document gets pandoc's rule back.
An identifier the author wrote twice (`{#method}`) names no one place: that is the author's to
mend, and a link to it would fail in the PDF.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from paperbuild import jsonio
from paperbuild.chapters import Chapter
from paperbuild.positions import Finder
from paperbuild.report import Problem, error

# pandoc's JSON is compact: an element with attributes starts `"c":[["id",[` (a heading,
# `"c":[2,["id",[`). An empty identifier is not matched.
_ID = re.compile(rb'"c":\[(?:\d+,)?\["((?:[^"\\]|\\.)+)",\[')


def make_unique(parts: list[Chapter]) -> list[Problem]:
    """Rename headings' generated identifiers that an earlier chapter (or an identifier written
    anywhere) already uses; report identifiers written more than once."""
    found = [[_decoded(raw) for raw in _ID.findall(part.source)] for part in parts]
    counts = Counter(ident for idents in found for ident in idents)
    doubled = {ident for ident, n in counts.items() if n > 1}
    if not doubled:
        return []  # the usual case: nothing to decode
    places = {ident: _places(parts, ident) for ident in sorted(doubled)}
    problems = [
        _twice(ident, place, where[0]) for ident, where in places.items() for place in where[1:]
    ]
    # The headings whose identifiers pandoc generated, in the chapters where one collides,
    # may be renamed; every other identifier stays as it is, and is kept free.
    generated: dict[int, list[list[Any]]] = {}
    for i, (part, idents) in enumerate(zip(parts, found, strict=True)):
        if doubled.intersection(idents):
            generated[i] = [
                attr
                for attr in _headings(part.doc["blocks"])
                if not _written(attr[0]).search(part.text)
            ]
    fixed = Counter(counts)
    for attrs in generated.values():
        fixed.subtract(attr[0] for attr in attrs)
    used = {ident for ident, n in fixed.items() if n > 0}
    for attrs in generated.values():  # in reading order
        own = {attr[0] for attr in attrs}  # as pandoc gave them in this chapter
        for attr in attrs:
            if attr[0] in used:
                attr[0] = _next_free(_base(attr[0], own), used)
            used.add(attr[0])
    return problems


def _places(parts: list[Chapter], ident: str) -> list[tuple[str, int | None, int | None]]:
    """Where the chapters write the identifier, in reading order. Code is searched too: a
    fenced block's identifier is written on its opening line."""
    pattern = _written(ident)
    places = []
    for part in parts:
        if not pattern.search(part.text):
            continue
        finder = Finder(part.text, hidden=False)
        places.extend(
            (part.name, *finder.line_col(match.start())) for match in pattern.finditer(finder.text)
        )
    return places


def _decoded(raw: bytes) -> str:
    return raw.decode("utf-8") if b"\\" not in raw else jsonio.loads(b'"' + raw + b'"')


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


def _next_free(ident: str, used: set[str]) -> str:
    """pandoc's rule: the identifier with -1, -2, … until one is free."""
    n = 1
    while f"{ident}-{n}" in used:
        n += 1
    return f"{ident}-{n}"


def _headings(blocks: list[Any]) -> list[list[Any]]:
    """The attributes of the headings, in document order: at the top, in divs, quotes, lists
    and figures (a heading in a table or a note gets no generated identifier to mend)."""
    found: list[list[Any]] = []
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
                found.append(content[1])
        elif kind in ("BlockQuote", "BulletList"):
            stack.append(content)
        elif kind == "Div" or kind == "OrderedList":
            stack.append(content[1])
        elif kind == "Figure":
            stack.append(content[2])
        elif kind == "DefinitionList":
            stack.extend(reversed([blocks for _, blocks in content]))
    return found
