"""Front matter and body written by pandoc's own writers, ready for a Jinja layout.

Titles, names and abstracts are Markdown in the front matter; to put them into an HTML or Typst
layout they must be written by the same writer as the body, with its escaping. One pandoc call
writes the body and every front-matter piece, separated by raw marker lines we then split on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paperbuild import pandoc
from paperbuild.frontmatter import FrontMatter
from paperbuild.pandoc_ast import (
    Blocks,
    Inlines,
    Link,
    Node,
    Plain,
    RawBlock,
    elements,
    text_inlines,
)

# How each writer spells a raw marker line, and which raw format it passes through.
_MARKERS = {
    "html5": ("html", "<!--paperbuild-fragment:{}-->"),
    "typst-citations": ("typst", "// paperbuild-fragment:{}"),
}


_BLANK = ("Space", "SoftBreak", "LineBreak")


class Ref(str):
    """The name of a piece, standing in the layout context until the piece is written."""


@dataclass
class Pieces:
    """Named pieces of document to be written in one call."""

    blocks: dict[str, Blocks] = field(default_factory=dict)

    def add(self, name: str, blocks: Blocks) -> Ref:
        self.blocks[name] = blocks
        return Ref(name)

    def inline(self, name: str, inlines: Inlines) -> Ref:
        # Spaces at either end would be written as escaped spaces, which end a Typst line.
        while inlines and inlines[-1].get("t") in _BLANK:
            inlines = inlines[:-1]
        while inlines and inlines[0].get("t") in _BLANK:
            inlines = inlines[1:]
        return self.add(name, [Plain(inlines)] if inlines else [])


def write(
    pieces: Pieces, meta: dict[str, Any], to: str, args: list[str], cwd: Path
) -> dict[str, str]:
    raw_format, pattern = _MARKERS[to]
    blocks: Blocks = []
    for name, content in pieces.blocks.items():
        blocks.append(RawBlock(raw_format, pattern.format(name)))
        blocks.extend(content)
    doc = {"pandoc-api-version": pandoc.API_VERSION, "meta": meta, "blocks": blocks}
    result = pandoc.convert(doc, to, ["--wrap=none", *args], cwd=cwd)
    pandoc.report(result.warnings)
    output = result.output.decode("utf-8")
    splitter = re.compile("^" + re.escape(pattern).replace(r"\{\}", "(.+)") + "$", re.MULTILINE)
    parts = splitter.split(output)
    # parts = [preamble, name1, text1, name2, text2, ...]
    # Only the marker's own line breaks go: a trailing space or backslash may be content.
    return {name: text.strip("\n") for name, text in zip(parts[1::2], parts[2::2], strict=True)}


def front_matter_pieces(
    front: FrontMatter, order: tuple[str, ...]
) -> tuple[Pieces, dict[str, Any]]:
    """Pieces for every front-matter field, and a context that refers to them by name."""
    pieces = Pieces()
    authors = []
    for i, author in enumerate(front.authors):
        email = [Link(text_inlines(author.email), f"mailto:{author.email}")]
        orcid = [Link(text_inlines(author.orcid), f"https://orcid.org/{author.orcid}")]
        authors.append(
            {
                "name": pieces.inline(f"author.{i}.name", author.name),
                "affiliation": pieces.inline(f"author.{i}.affiliation", author.affiliation),
                "email": pieces.inline(f"author.{i}.email", email if author.email else []),
                "orcid": pieces.inline(f"author.{i}.orcid", orcid if author.orcid else []),
            }
        )
    summaries = []
    for summary in front.summaries_in(order):
        key = f"summary.{summary.lang}"
        summaries.append(
            {
                "lang": summary.lang,
                "title": pieces.inline(f"{key}.title", summary.title),
                "abstract": pieces.add(f"{key}.abstract", summary.abstract),
                "keywords": [
                    pieces.inline(f"{key}.keyword.{j}", k) for j, k in enumerate(summary.keywords)
                ],
            }
        )
    context = {
        "title": pieces.inline("title", front.title),
        "subtitle": pieces.inline("subtitle", front.subtitle),
        "date": pieces.inline("date", text_inlines(front.date)),
        "authors": authors,
        "summaries": summaries,
        "udc": pieces.inline("udc", text_inlines(front.udc)),
        "irsti": pieces.inline("irsti", text_inlines(front.irsti)),
    }
    return pieces, context


def resolve(context: Any, written: dict[str, str], wrap: Any = str) -> Any:
    """Replace piece names in `context` by their written text (wrapped, e.g. as Markup)."""
    if isinstance(context, dict):
        return {k: resolve(v, written, wrap) for k, v in context.items()}
    if isinstance(context, list):
        return [resolve(v, written, wrap) for v in context]
    if isinstance(context, Ref):
        return wrap(written.get(context, ""))
    return context


# HTML's notes: the front matter's are numbered with the body's and listed at its end, so each is
# written in the body's call (first: the title's is note 1) and its mark put back in its piece.
_NOTE_MARK = "<!--paperbuild-note:{}-->"
_NOTES_END = "<!--paperbuild-notes-end-->"
# The order the layouts print the front matter in: a note is numbered by where it is read.
_READING_ORDER = ("title", "subtitle", "author.", "summary.")


def lift_notes(pieces: Pieces) -> list[Node]:
    """Take the front matter's notes out of `pieces`, each replaced by a marker for its mark;
    a note given twice (the title's, again in the summary's title in the same language: the
    same element) is one note. Returns the notes, in reading order."""
    notes: list[Node] = []
    numbers: dict[int, int] = {}  # id of a note element: its number

    def lifted(node: Any) -> Any:
        # A copy: the pieces share their inlines with the front matter, read again after.
        if isinstance(node, list):
            return [lifted(child) for child in node]
        if not isinstance(node, dict) or "c" not in node:
            return node
        if node.get("t") != "Note":
            return {**node, "c": lifted(node["c"])}
        number = numbers.setdefault(id(node), len(notes))
        if number == len(notes):
            notes.append(node)
        return {"t": "RawInline", "c": ["html", _NOTE_MARK.format(number)]}

    def rank(name: str) -> int:
        return next(
            (i for i, start in enumerate(_READING_ORDER) if name.startswith(start)),
            len(_READING_ORDER),
        )

    for name in sorted(pieces.blocks, key=rank):  # sorted() keeps the order within a rank
        if elements(pieces.blocks[name], "Note"):
            pieces.blocks[name] = lifted(pieces.blocks[name])
    return notes


def notes_first(notes: list[Node], body: Blocks) -> Blocks:
    """`body` after the lifted notes, each between markers, for `split_marks` to find."""
    blocks: Blocks = []
    for number, note in enumerate(notes):
        blocks += [RawBlock("html", _NOTE_MARK.format(number)), Plain([note])]
    return [*blocks, RawBlock("html", _NOTES_END), *body]


def split_marks(text: str, count: int) -> tuple[str, list[str]]:
    """The body's HTML as written from `notes_first`, and the mark written for each note."""
    head, _, body = text.partition(_NOTES_END)
    parts = re.split(r"<!--paperbuild-note:(\d+)-->", head)
    marks = {
        int(number): mark.strip() for number, mark in zip(parts[1::2], parts[2::2], strict=True)
    }
    return body.lstrip("\n"), [marks[n] for n in range(count)]


def put_marks(written: dict[str, str], marks: list[str]) -> dict[str, str]:
    def mark(match: re.Match[str]) -> str:
        return marks[int(match.group(1))]

    return {
        name: re.sub(r"<!--paperbuild-note:(\d+)-->", mark, text) for name, text in written.items()
    }
