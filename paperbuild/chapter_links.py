"""Footnotes, link references and headings named across chapter files.

pandoc reads each chapter alone (so an edit parses one file again), and a name resolves only
within its file: `[^note]` whose text is in another file, `[site]` defined as
`[site]: https://…` in another, `[Methods]` naming another file's heading would each print
as written, brackets and all. The check says where, and what to write instead.

The texts are searched as they are, which is cheap; only a name that looks used in one file
and given in another is looked at again with code, comments and front matter hidden (hiding
them in a whole book would cost more than the rest of this together).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote, unquote

from paperbuild.chapters import Chapter
from paperbuild.pandoc_ast import elements
from paperbuild.positions import hide
from paperbuild.report import Problem, error, warning

# Each searched in the text after a "\n": a pattern that starts with a literal is found fast.
# A definition or heading may stand in a quote, a list item or a note (after `>`, `-`, `1.`).
_NEST = r"(?:[ \t>]|[-+*][ \t]|\d+[.)][ \t])*"
_NOTE_DEF = re.compile(rf"\n{_NEST}\[\^([^\]\s]+)\]:")
_LINK_DEF = re.compile(rf"\n{_NEST}\[([^\]^\n][^\]\n]*)\]:[ \t]*\S")
# A heading: its line, with what it is nested in (checked apart: a loose class is faster to
# search); it comes after a blank line. Group 1 is where its line starts, 3 its attributes.
_HEADING = re.compile(
    r"\n([ \t>*+\d.)-]*)#{1,6}[ \t]+([^\n]+?)(?:[ \t]+(\{[^}\n]*\}))?(?:[ \t]+#+)?[ \t]*(?=\n|\Z)"
)
_NESTED = re.compile(_NEST)
# What may stand on the line before a heading: nothing, another heading, the end of the front
# matter or a code fence.
_BEFORE_HEADING = re.compile(r"[ \t>]*(?:#.*|---[ \t]*|\.\.\.[ \t]*|(?:`{3,}|~{3,}).*)?")
_ATTRIBUTES = re.compile(r"[ \t]+(\{[^}\n]*\})[ \t]*$")
_SETEXT = re.compile(r"\n(?:=+|-+)[ \t]*(?=\n|\Z)")  # the line under a heading's text
_NOTE_USE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
# `[label]`, `[text][label]`, `[label][]`, and images so (`![alt][label]`); not `[text](url)`,
# `[text]{.attrs}`. `^[inline note]` and `\[` are told by the character before (a lookbehind is
# ten times slower).
_LINK_USE = re.compile(r"\[([^\]\n]+)\](?:\[([^\]\n]*)\])?(?![(:{\[])")
_EXAMPLE = re.compile(r"\n[ \t>]*\n[ \t>]*(\(@[\w-]*\))[ \t]")
# Any item of an example list that has a label, at the start of its line.
_EXAMPLE_LABEL = re.compile(r"\n[ \t>]*\(@([\w-]+)\)[ \t]")
_LIST_MARK = re.compile(r"[ \t>]*(?:[-+*]|\d+[.)])[ \t]+")
# A bracket the check reads as numbered citations (`[1]`, `[2, p. 5]`), or a citation.
_CITATION_LIKE = re.compile(r"^(?:@|\d)")

Key = tuple[str, str]  # ("note" or "link", the label folded)


@dataclass(frozen=True)
class _Name:
    kind: str  # "note", "link", "heading"
    label: str  # as written
    chapter: int  # its index in the chapters
    offset: int  # where its line starts, in the text with a "\n" before it
    ident: str = ""  # a heading's identifier, as written ({#methods}) or as pandoc makes it


def check(parts: list[Chapter]) -> list[Problem]:
    """An error at each name used in one chapter file and given only in another; a warning
    where an example list starts numbering again in a later file."""
    if len(parts) < 2:
        return []
    texts = [_normal(part.text) for part in parts]
    given = [_given(text, i) for i, text in enumerate(texts)]
    hidden = _Hidden(texts)
    problems = _examples(parts, texts, hidden)
    for i, part in enumerate(parts):
        elsewhere: dict[Key, list[_Name]] = defaultdict(list)
        for j, names in enumerate(given):
            if j != i:
                for key, found in names.items():
                    if key not in given[i]:
                        elsewhere[key] += found
        if elsewhere:
            problems += _used(part, i, texts, elsewhere, hidden, parts)
    return problems


class _Hidden:
    """Each text with code, comments and front matter blanked, made when first asked for."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.made: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        if i not in self.made:
            self.made[i] = "\n" + hide(self.texts[i][1:])
        return self.made[i]


def _normal(text: str) -> str:
    """The text with one kind of line break, after a "\n" (see the patterns)."""
    return "\n" + text.replace("\r\n", "\n").replace("\r", "\n")


def _examples(parts: list[Chapter], texts: list[str], hidden: _Hidden) -> list[Problem]:
    """pandoc numbers example lists, `(@)`, within one file: a second file's start at (1)."""
    firsts = []
    for i, part in enumerate(parts):
        match = _EXAMPLE.search("\n" + hidden[i]) if "(@" in texts[i] else None
        if match:
            firsts.append((part.name, *_line_col(texts[i], match.start(1) - 1)))
    return [
        warning(
            "this example list is numbered from (1) again: pandoc numbers examples within one "
            f"file, and the first are in {firsts[0][0]}; keep the numbered examples in one file",
            *place,
        )
        for place in firsts[1:]
    ]


def example_labels(parts: list[Chapter]) -> dict[str, str]:
    """Each example's label, `(@good)`, and the file it is given in (the first, if in two):
    pandoc resolves `@good` only within that file, and elsewhere reads it as a citation."""
    labels: dict[str, str] = {}
    if len(parts) < 2:
        return labels
    for part in parts:
        if "(@" in part.text:
            text = _Hidden([_normal(part.text)])[0]
            for match in _EXAMPLE_LABEL.finditer(text):
                labels.setdefault(match.group(1), part.name)
    return labels


def _given(text: str, chapter: int) -> dict[Key, list[_Name]]:
    """What the chapter defines (notes, link references, headings), by key, as written
    anywhere in it (code included: looked at again only when it matters)."""
    found: dict[Key, list[_Name]] = defaultdict(list)

    def add(kind: str, label: str, offset: int, attributes: str | None = None) -> None:
        if kind == "heading" and attributes is None:  # a setext heading's ends its line
            written = _ATTRIBUTES.search(label)
            attributes = written.group(1) if written else ""
            label = label[: written.start()] if written else label
        key = ("note" if kind == "note" else "link", _folded(label))
        ident = _identifier(label, attributes or "") if kind == "heading" else ""
        found[key].append(_Name(kind, label.strip(), chapter, offset, ident))

    if "]:" in text:
        for kind, pattern in (("note", _NOTE_DEF), ("link", _LINK_DEF)):
            for match in pattern.finditer(text):
                add(kind, match.group(1), match.start())
    for match in _HEADING.finditer(text):
        before = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        if _NESTED.fullmatch(match.group(1)) and _BEFORE_HEADING.fullmatch(before):
            add("heading", match.group(2), match.start(), match.group(3) or "")
    for match in _SETEXT.finditer(text):
        start = text.rfind("\n", 0, match.start())
        label = text[start + 1 : match.start()]
        if label.strip() and start >= 0:
            add("heading", label, start)
    return found


def _used(
    part: Chapter,
    i: int,
    texts: list[str],
    elsewhere: dict[Key, list[_Name]],
    hidden: _Hidden,
    parts: list[Chapter],
) -> list[Problem]:
    text = texts[i]
    candidates = [
        (match.start(), ("note", _folded(match.group(1))))
        for match in _NOTE_USE.finditer(text)
        if ("note", _folded(match.group(1))) in elsewhere
    ] + [
        (match.start(), ("link", _folded(label)))
        for match in _LINK_USE.finditer(text)
        if (label := match.group(2) or match.group(1))
        and not _CITATION_LIKE.match(label)
        and ("link", _folded(label)) in elsewhere
        and text[match.start() - 1] not in "]\\^"
        and not _inert(text, match.start(), match.group(1))
    ]
    problems, reported = [], set()
    for offset, key in sorted(candidates):
        image = text[offset - 1] == "!"  # `![logo][logo]`: only a definition gives its file
        if (key, image) in reported or hidden[i][offset] != "[":
            continue  # reported once per chapter; or in code, where it is no link
        names = [n for n in elsewhere[key] if _visible(n, hidden)]
        name = next((n for n in names if not image or n.kind == "link"), None)
        if name is None:
            continue  # given only in code or comments
        reported.add((key, image))
        where = f"{parts[name.chapter].name}:{_line_col(texts[name.chapter], name.offset + 1)[0]}"
        message = _message(name, where)
        if image:
            message = message.replace("link reference", "image reference", 1)
        problems.append(error(message, part.name, *_line_col(text, offset - image)))
    return problems


def file_links(parts: list[Chapter]) -> list[Problem]:
    """A link to another chapter's file, as GitHub and editors write one
    (`[Methods](02-methods.md#methods)`), made a link to its place in the paper: the outputs
    are one document, beside which no chapter file is (the link was dead in all three). To the
    file alone, it leads to its first heading; a chapter without one is an error."""
    by_path = {part.path.resolve(): part for part in parts}
    # As written, or as pandoc writes a name with a space in a URL (`03%20notes.md`).
    files = {form.encode() for part in parts for form in (part.path.name, quote(part.path.name))}
    problems = []
    for part in parts:
        if not any(name in part.source for name in files):
            continue  # the usual case: nothing to decode
        for link in elements([part.doc["meta"], part.doc["blocks"]], "Link"):
            target = link["c"][2]
            path, _, fragment = target[0].partition("#")
            if not path or _SCHEME.match(path):
                continue
            chapter = by_path.get((part.path.parent / unquote(path)).resolve())
            if chapter is None:
                continue
            ident = fragment or _first_heading(chapter)
            if ident:
                target[0] = f"#{ident}"
                continue
            written = unquote(path)
            text = _normal(part.text)
            offset = max(text.find(path), text.find(written))
            line, col = _line_col(text, offset) if offset >= 0 else (0, 0)
            problems.append(
                error(
                    f"the link to {written} leads to a chapter without a heading, and the outputs "
                    "are one document, where a link leads to an identifier: give the place one "
                    f"(a heading, or ::: {{#id}}) and link to it ({written}#id)",
                    part.name,
                    line or None,
                    col if line else None,
                )
            )
    return problems


# A URL's scheme (https:, mailto:), or a path from the root: not a chapter beside this one.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|/")


def _first_heading(part: Chapter) -> str:
    return next((h["c"][1][0] for h in elements(part.doc["blocks"], "Header") if h["c"][1][0]), "")


def _inert(text: str, offset: int, label: str) -> bool:
    """Whether the bracket is no link: inside an HTML tag or an autolink (`<… [x] …>`), or a
    task list's box (`- [x]`)."""
    before = text[text.rfind("\n", 0, offset) + 1 : offset]
    if before.rfind("<") > before.rfind(">"):
        return True
    return label.strip() in ("", "x", "X") and _LIST_MARK.fullmatch(before) is not None


def _visible(name: _Name, hidden: _Hidden) -> bool:
    """Whether the name is given outside code, comments and front matter."""
    line = hidden[name.chapter][name.offset + 1 :].split("\n", 1)[0]
    return bool(line.strip())


def _message(name: _Name, where: str) -> str:
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
        f"heading only by its identifier: write [{name.label}](#{name.ident})"
    )


def _identifier(label: str, attributes: str) -> str:
    """The heading's identifier: the one written in its attributes, else pandoc's."""
    from paperbuild.identifiers import generated

    written = re.search(r"(?:^|\s)#([^\s}]+)", attributes.strip("{}"))
    return written.group(1) if written else generated(label.strip())


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based) of `offset` in a text made by `_normal`."""
    start = text.rfind("\n", 0, offset)
    return text.count("\n", 0, offset), offset - start


def _folded(label: str) -> str:
    """Labels match as pandoc matches them: case and runs of spaces aside."""
    return " ".join(label.split()).casefold()
