"""The prose words of a manuscript, paragraph by paragraph, with their language and place.

Only prose: code, math, raw blocks, URLs, e-mails, citation keys and DOIs are not words here.
The language of a word is its span's, div's or the document's `lang`; in the front matter, an
abstract or keyword list under a language key (`abstract: {ru: …}`) is in that language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from paperbuild.chapters import Chapter
from paperbuild.pandoc_ast import INLINES, STYLES
from paperbuild.positions import Finder, yaml_only
from paperbuild.scripts import Word, prose_tokens

_SKIPPED_BLOCKS = {"CodeBlock", "RawBlock", "HorizontalRule", "Null"}
_SKIPPED_INLINES = {"Code", "Math", "RawInline", "Cite"}
# Front-matter fields that are prose; others (keys, codes, e-mails, ORCIDs) are not.
_META_PROSE = {
    "title",
    "subtitle",
    "translated-title",
    "abstract",
    "keywords",
    "author",
    "name",
    "affiliation",
    "institute",
    "description",
}
_META_NOT_PROSE = {"email", "orcid", "url", "doi", "id"}


@dataclass(frozen=True)
class Placed:
    word: Word
    path: str
    line: int | None
    col: int | None


def paragraphs(chapter: Chapter, lang: str) -> list[list[Word]]:
    """The chapter's body as paragraphs of words, footnotes as paragraphs of their own."""
    collector = _Collector()
    collector.blocks(chapter.doc["blocks"], lang, False)
    return [p for p in collector.paragraphs if p]


def meta_paragraphs(meta: dict[str, Any], lang: str) -> list[list[Word]]:
    collector = _Collector()
    for key, value in meta.items():
        if key in _META_PROSE:
            collector.meta(value, lang, key)
    return [p for p in collector.paragraphs if p]


def place(chapter: Chapter, words: list[Word], front_matter: bool = False) -> list[Placed]:
    """Where each word (in reading order) is written in the chapter's source."""
    finder = Finder(
        yaml_only(chapter.text) if front_matter else chapter.text, hidden=not front_matter
    )
    placed = []
    for word in words:
        line, col = finder.next_word(word.text, word.in_note and not front_matter)
        placed.append(Placed(word, chapter.name, line, col))
    return placed


class _Collector:
    def __init__(self) -> None:
        self.paragraphs: list[list[Word]] = []

    def blocks(self, blocks: list[Any], lang: str, in_note: bool) -> None:
        for block in blocks:
            self.block(block, lang, in_note)

    def block(self, node: Any, lang: str, in_note: bool) -> None:
        if isinstance(node, list):
            if node and isinstance(node[0], dict) and node[0].get("t") in INLINES:
                self.paragraph(node, lang, in_note)
            else:
                for child in node:
                    self.block(child, lang, in_note)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("t")
        if kind in _SKIPPED_BLOCKS:
            return
        if kind in ("Para", "Plain"):
            self.paragraph(node["c"], lang, in_note)
        elif kind == "Header":
            self.paragraph(node["c"][2], _lang(node["c"][1], lang), in_note)
        elif kind == "Div":
            self.blocks(node["c"][1], _lang(node["c"][0], lang), in_note)
        elif "c" in node:
            self.block(node["c"], lang, in_note)

    def paragraph(self, inlines: list[Any], lang: str, in_note: bool) -> None:
        words: list[Word] = []
        self.paragraphs.append(words)
        self.inlines(inlines, lang, True, in_note, words)

    def inlines(
        self, inlines: list[Any], lang: str, plain: bool, in_note: bool, words: list[Word]
    ) -> None:
        for inline in inlines:
            kind = inline.get("t")
            content = inline.get("c")
            if kind == "Str":
                words.extend(Word(t, lang, plain, in_note) for t in prose_tokens(content))
            elif kind in _SKIPPED_INLINES:
                continue
            elif kind in STYLES:
                self.inlines(content, lang, False, in_note, words)
            elif kind == "Quoted":
                self.inlines(content[1], lang, False, in_note, words)
            elif kind == "Span":
                self.inlines(content[1], _lang(content[0], lang), plain, in_note, words)
            elif kind == "Link":
                if not {"uri", "email"} & set(content[0][1]):  # an autolink's text is its URL
                    self.inlines(content[1], lang, False, in_note, words)
            elif kind == "Image":
                self.inlines(content[1], lang, False, in_note, words)
            elif kind == "Note":
                self.blocks(content, lang, True)

    def meta(self, value: Any, lang: str, key: str) -> None:
        kind = value.get("t")
        if kind == "MetaInlines":
            self.paragraph(value["c"], lang, False)
        elif kind == "MetaBlocks":
            self.blocks(value["c"], lang, False)
        elif kind == "MetaString":
            self.paragraph([{"t": "Str", "c": value["c"]}], lang, False)
        elif kind == "MetaList":
            for item in value["c"]:
                self.meta(item, lang, key)
        elif kind == "MetaMap":
            for name, item in value["c"].items():
                if name in _META_NOT_PROSE:
                    continue
                # Under abstract/keywords/translated-title, keys are languages.
                by_language = key in ("abstract", "keywords", "translated-title")
                self.meta(item, name if by_language else lang, key)


def _lang(attr: list[Any], default: str) -> str:
    for name, value in attr[2]:
        if name == "lang":
            return value
    return default
