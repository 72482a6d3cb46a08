"""Quotation marks in the language of the text they are in, alike in every format.

pandoc reads `"…"` and `'…'` as quoted text and leaves the marks to each writer: its HTML and
DOCX writers print “…” whatever the language, while Typst sets the marks of the text's language
(« … » in French, „…“ in German). The marks are asked of Typst (or given by the journals'
`quotes.yaml`, for a language Typst does not know) and written into the text, by the check
(what the chapters quote, found in the walk it makes anyway) and the citation step (what
citeproc quotes), so the three formats print the same ones; a passage in another language
(`[…]{lang=en}`) gets its own language's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from paperbuild import shared_cache
from paperbuild.errors import ProfileError

QUOTES_FILE = "quotes.yaml"

# pandoc's marks, which its writers print: where Typst cannot say.
DEFAULT = ("“", "”", "‘", "’")
_LANG = re.compile(r"([A-Za-z]{2,3})(?:-[A-Za-z]{4})?(?:-([A-Za-z]{2}))?(?:-[A-Za-z0-9]+)*")


Marks = tuple[str, ...]  # double opening, closing, single opening, closing


def chooser(shared_dir: Path, root: Path) -> Callable[[str], Marks]:
    """The marks for a language: the journals' own (`quotes.yaml` in `shared_dir`, for
    languages Typst does not know), else Typst's."""
    from paperbuild.journal_files import read_yaml, shown

    path = shared_dir / QUOTES_FILE
    own = read_yaml(path, root) if path.is_file() else {}
    if not isinstance(own, dict) or not all(_valid(marks) for marks in own.values()):
        raise ProfileError(
            "each language's quotation marks must be a list of four: double opening, "
            "closing, single opening, closing",
            path=shown(path, root),
            hint='write them as kk: ["«", "»", "„", "“"]',
        )

    @functools.cache
    def chosen(lang: str) -> Marks:
        match = _LANG.fullmatch(lang.strip())
        language = match.group(1).lower() if match else lang
        return tuple(own[language]) if language in own else marks(lang)

    return chosen


def _valid(marks: Any) -> bool:
    return isinstance(marks, list) and len(marks) == 4 and all(isinstance(m, str) for m in marks)


def localize(node: Any, lang: str, chosen: Callable[[str], Marks]) -> None:
    """Every quoted passage in `node` (metadata, a reference list: a walk of everything, for
    what is small) written out with the marks `chosen` gives for its language, in place:
    `lang` at the top, a Div's or Span's own inside it."""
    stack: list[tuple[Any, str]] = [(node, lang)]
    while stack:
        value, current = stack.pop()
        if isinstance(value, dict):
            content = value.get("c")
            if value.get("t") in ("Div", "Span"):
                current = dict(content[0][2]).get("lang", current)
            if isinstance(content, list | dict):
                stack.append((content, current))
            elif value.get("t") is None:  # metadata: a map of values
                stack.extend((item, current) for item in value.values())
        elif isinstance(value, list):
            while any(isinstance(item, dict) and item.get("t") == "Quoted" for item in value):
                value[:] = list(_written_out(value, chosen(current)))  # a quotation inside one
            stack.extend((item, current) for item in value if isinstance(item, list | dict))


# A quoted passage the check found: the list it is in, the Quoted element, and the language
# of the passage around it where a Div or Span gives one.
Found = tuple[list[Any], dict[str, Any], str | None]


def language_at(root: Any, path: list[int | str]) -> str | None:
    """The language the nearest Div or Span above the element at `path` gives, if any."""
    lang = None
    node = root
    for step in path[:-1]:
        node = node[step]
        if isinstance(node, dict) and node.get("t") in ("Div", "Span"):
            lang = dict(node["c"][0][2]).get("lang", lang)
    return lang


def write_out(found: list[Found], lang: str, chosen: Callable[[str], Marks]) -> None:
    """Each quoted passage `found` (in reading order) written out between its language's marks,
    in place of its Quoted element. The last first: what it replaces leaves the places of
    those before it as they were, and a quotation inside another is done before it."""
    for siblings, node, own in reversed(found):
        index = next((i for i, item in enumerate(siblings) if item is node), None)
        if index is not None:  # else moved since it was found: the writer's marks stay
            siblings[index : index + 1] = _written_out([node], chosen(own or lang))


def _written_out(inlines: list[Any], chosen: Marks) -> Any:
    for item in inlines:
        if isinstance(item, dict) and item.get("t") == "Quoted":
            kind, quoted = item["c"]
            opening, closing = chosen[:2] if kind["t"] == "DoubleQuote" else chosen[2:]
            yield {"t": "Str", "c": opening}
            yield from quoted
            yield {"t": "Str", "c": closing}
        else:
            yield item


@functools.cache
def marks(lang: str) -> Marks:
    """Double opening, closing, single opening, closing marks for a BCP 47 tag (`fr-CH`),
    as Typst sets them; pandoc's where Typst does not know the language or says nothing."""
    match = _LANG.fullmatch(lang.strip())
    if match is None:
        return DEFAULT
    language = match.group(1).lower()
    region = match.group(2).upper() if match.group(2) else None
    from paperbuild.provenance import typst_version

    name = f"typst-{typst_version()}-quotes-{language}-{region or ''}.json"
    found = shared_cache.remembered(name, lambda: _asked(language, region))
    return tuple(found) if isinstance(found, list) and len(found) == 4 else DEFAULT


def _asked(language: str, region: str | None) -> list[str]:
    import typst

    where = f', region: "{region}"' if region else ""
    source = f'#set text(lang: "{language}"{where})\n"A \'B\' C"\n'
    try:
        page = typst.compile(source.encode(), format="html").decode("utf-8")
    except Exception:  # HTML export is new in Typst: without it, pandoc's marks
        return list(DEFAULT)
    reader = _Paragraph()
    reader.feed(page)
    text = reader.text
    # What Typst wrote around A, B and C is the marks, with any spaces it puts inside them.
    parts = re.fullmatch(r"(.*?)A (.*?)B(.*?) C(.*)", text, re.DOTALL)
    if parts is None:
        return list(DEFAULT)
    double_open, single_open, single_close, double_close = parts.groups()
    return [double_open, double_close, single_open, single_close]


class _Paragraph(HTMLParser):
    """The text of the page's paragraph."""

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = self._inside or tag == "p"

    def handle_endtag(self, tag: str) -> None:
        self._inside = self._inside and tag != "p"

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.text += data
