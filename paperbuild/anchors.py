"""Links to a place in the paper (`[see](#method)`): each must lead somewhere in every format.

Typst stops the PDF at a link to a label the document does not have, and pandoc's Typst writer
labels only headings, divs, spans, figures and tables, and citeproc's list (`refs`) and its
entries (`ref-key`, one for each work cited). A link to anything else would stop the PDF with
an error naming build/paper.typ; the check names the link instead.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from paperbuild.chapters import Chapter
from paperbuild.identifiers import all_identifiers
from paperbuild.pandoc_ast import elements
from paperbuild.positions import Finder, yaml_only
from paperbuild.report import Problem, error

# A link's target in pandoc's compact JSON starts so when it is a place in the document, or a
# place in another chapter's file (`02-methods.md#methods`, made `#methods` by the check).
_LOCAL_TARGET = re.compile(rb'\["(?:[^"#:/][^"#:]*)?#')
_LABELLED = ("Header", "Div", "Span", "Figure", "Table")


def check(parts: list[Chapter], listed: set[str]) -> list[Problem]:
    """An error at each link to `#id` that no labelled element of any chapter has; `listed`:
    the keys of the works in the reference list (cited, or put there by `nocite` or the
    reference numbers), whose entries are `ref-key`."""
    if not any(_LOCAL_TARGET.search(part.source) for part in parts):
        return []  # the usual case: no such link, nothing to decode
    labels = {"refs", *(f"ref-{key}" for key in listed)}
    for part in parts:
        labels.update(_identifier(node) for node in elements(part.doc["blocks"], *_LABELLED))
    labels.discard("")  # an element without an identifier
    problems = []
    for part in parts:
        places: _Places | None = None
        for target, in_front in _local_targets(part.doc):
            if unquote(target) in labels:  # `#r%C3%A9sultats`, as a browser copies it
                continue
            places = places or _Places(part.text)
            problems.append(error(_why(target, parts), part.name, *places.next(target, in_front)))
    return problems


# An empty span with an identifier, in compact JSON: a bookmark Word's headings carry
# (`[]{#_Toc5 .anchor}`, as pandoc converts them).
_EMPTY_SPAN = re.compile(rb'"t":"Span","c":\[\["[^"]+",\[[^\]]*\],\[[^\]]*\]\],\[\]\]')


def heading_anchors(parts: list[Chapter]) -> None:
    """A heading's bookmarks (`# []{#_Toc5 .anchor}Введение`, from a Word document) become
    other names of the heading: links to them lead to it. Typst labels the heading alone, and
    a label in its text labelled nothing: the PDF stopped at `[see](#_Toc5)`."""
    aliases: dict[str, str] = {}
    for part in parts:
        if not _EMPTY_SPAN.search(part.source):
            continue
        for heading in elements(part.doc["blocks"], "Header"):
            ident, inlines = heading["c"][1][0], heading["c"][2]
            marks = [n for n in inlines if n["t"] == "Span" and n["c"][0][0] and not n["c"][1]]
            if not ident or not marks:
                continue
            aliases.update((mark["c"][0][0], ident) for mark in marks)
            kept = [n for n in inlines if not any(n is mark for mark in marks)]
            while kept and kept[-1]["t"] == "Space":  # `# Two []{#_Ref7}`: the space before
                kept.pop()
            heading["c"][2] = kept
    if not aliases:
        return
    for part in parts:
        for link in elements([part.doc["meta"], part.doc["blocks"]], "Link"):
            target = link["c"][2]
            if target[0].startswith("#") and unquote(target[0][1:]) in aliases:
                target[0] = "#" + aliases[unquote(target[0][1:])]


def _identifier(node: dict[str, Any]) -> str:
    attr = node["c"][1] if node["t"] == "Header" else node["c"][0]
    return str(attr[0])


def _local_targets(doc: dict[str, Any]) -> list[tuple[str, bool]]:
    """The `#id` targets of the links, in reading order, and whether each is in the front
    matter."""
    return [
        (link["c"][2][0][1:], in_front)
        for in_front, root in ((True, doc["meta"]), (False, doc["blocks"]))
        for link in elements(root, "Link")
        if link["c"][2][0].startswith("#")
    ]


def _why(target: str, parts: list[Chapter]) -> str:
    target = unquote(target)
    if not target:
        return "a link to '#' alone leads nowhere; name its place (#identifier), or remove it"
    if target.startswith("ref-"):
        return (
            f"link to #{target}: the reference list has no entry '{target}'; "
            f"cite the work '{target[4:]}' (or list it in nocite), or correct the link"
        )
    if target in all_identifiers(parts):
        return (
            f"link to #{target}: a PDF links only to a heading, a div, a span, a figure or a "
            f"table, and '{target}' names something else (code, an image in a line, a link); "
            f"give the identifier to a div around it (::: {{#{target}}})"
        )
    if any(c.isspace() for c in target):
        made = "-".join(target.split())
        return (
            f"link to #{target}: an identifier has no spaces; link to #{made} and give that "
            f"to a heading ({{#{made}}} after its text)"
        )
    return (
        f"link to #{target}: nothing in the paper has that identifier; give it to a heading "
        f"({{#{target}}} after its text), or correct the link"
    )


class _Places:
    """Where each link to an identifier is written, in order, in the text or the front matter:
    `](#id)`, `](<#id>)`, a reference `[id]: #id`, or raw HTML's `href="#id"`."""

    def __init__(self, text: str) -> None:
        self.finders = {False: Finder(text), True: Finder(yaml_only(text), hidden=False)}
        self.cursors: dict[tuple[str, bool], int] = {}

    def next(self, target: str, in_front: bool) -> tuple[int | None, int | None]:
        # As written: `#r%C3%A9sultats`, or `<#my sec>`, which pandoc reads as `#my%20sec`.
        spelt = "|".join(re.escape(t) for t in dict.fromkeys([target, unquote(target)]))
        pattern = re.compile(
            rf"(?:\]\(\s*<?|\]:[ \t]*<?|href=[\"']?)(?:[^\s()<>#\"':]*)(#)(?:{spelt})(?![\w:.-])"
        )
        finder = self.finders[in_front]
        match = pattern.search(finder.text, self.cursors.get((target, in_front), 0))
        if match is None:
            return None, None
        self.cursors[(target, in_front)] = match.end()
        return finder.line_col(match.start(1))
