"""Numeric citations written by the author (`[1]`, `[2, с. 14]`, `[4–6]`) as real pandoc citations.

The author numbers references by hand; the front matter's `reference-numbers` list says which
BibTeX key number n stands for. We find the bracketed numbers in the AST's text runs (so code,
math, URLs and raw blocks are never touched) and replace them by `Cite` elements, so the journal's
CSL style formats them like any `[@key]` citation.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from paperbuild import __version__, jsonio, quotes
from paperbuild.chapters import Chapter
from paperbuild.document import is_refs
from paperbuild.pandoc_ast import (
    INLINES,
    Inlines,
    Node,
    Space,
    Str,
    at,
    elements,
    paths_to,
    stringify,
    text_inlines,
)
from paperbuild.positions import Finder, field_only, key_pattern
from paperbuild.report import ERROR, WARNING, Citation

# Elements whose text is not prose: their content is never searched for citations.
_OPAQUE = {"Code", "CodeBlock", "Math", "RawInline", "RawBlock", "Link", "Image", "Cite"}
_TEXT = {"Str", "Space", "SoftBreak"}
# No bracket before a number in the source, no numeric citation in the chapter.
_MAY_CITE = re.compile(r"\[\s*\d")
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_NUMBER = re.compile(rf"\s*(\d{{1,6}})(?:\s*[{_DASHES}]\s*(\d{{1,6}}))?\s*")
# A bracket, or two joined by a dash as IEEE writes a range (`[1]–[3]`: works 1 to 3).
_BRACKETS = re.compile(
    rf"\[\s*(?P<first>\d{{1,6}})\s*\]\s?[{_DASHES}]\s?\[\s*(?P<last>\d{{1,6}})\s*\]"
    r"|\[(?P<inner>[^\[\]]{1,200000})\]"
)
# Page labels in the languages our authors write (and Cyrillic с. typed as a Latin c); pandoc
# reads a bare locator as a page number whatever the document language, so these are normalised
# away and the style prints its own term ("с.", "б.", "p.").
PAGE_LABEL = re.compile(
    r"(?:p|pp|pg|pgs|page|pages|s|S|seite|seiten|pág|págs|str|с|c|стр|б|бет|беттер)\.?\s*(?=\d)",
    re.IGNORECASE,
)
# A bracket citing more works than this is a mistake (a typo in a range, a pasted list), not
# a citation: the check says so instead of making thousands of citations.
MAX_RANGE = MAX_ITEMS = 200


class Misread(Exception):
    """A bracket of numbers that is surely meant as a citation but is not one as written."""

    def __init__(self, severity: str, reason: str) -> None:
        super().__init__(reason)
        self.severity = severity
        self.reason = reason  # follows "citation [3–1] "


class TooMany(Misread):
    """A bracket of numbers citing more than MAX_ITEMS works."""

    def __init__(self, count: int) -> None:
        super().__init__(
            ERROR, f"cites {count} works; a bracket cites at most {MAX_ITEMS}: check it for a typo"
        )
        self.count = count


@dataclass(frozen=True)
class NumericCitation:
    """One number the author wrote, as found in the text."""

    number: int
    locator: str  # the locator as written ("с. 14"), or ""
    text: str  # the whole bracket as written ("[2, с. 14]")
    key: str | None = None  # None when the number is not in reference-numbers


@dataclass(frozen=True)
class Bracket:
    """One bracket the author wrote, with the numbers in it: `[2, 3]` is one bracket."""

    text: str
    items: tuple[NumericCitation, ...]
    in_note: bool = False
    table: int | None = None  # the id of the (outermost) table it is in


def source_pattern(written: str) -> re.Pattern[str]:
    """A pattern for a bracket as the author typed it, from pandoc's reading of it: pandoc turns
    `--` into `–`, `---` into `—` and the space after an abbreviation into a no-break space."""
    pieces = []
    for char in written:
        if char in " \u00a0":
            pieces.append(r"\s+")
        elif char == "\u2013":
            pieces.append("(?:\u2013|--)")
        elif char == "\u2014":
            pieces.append("(?:\u2014|---)")
        elif char in "[]":
            pieces.append(r"\\?" + re.escape(char))  # `\[1\]`: pandoc reads it as [1]
        else:
            pieces.append(re.escape(char))
    return re.compile("".join(pieces))


@dataclass(frozen=True)
class Unresolved:
    number: int
    text: str


def parse_bracket(content: str) -> list[tuple[int, str]] | None:
    """`2, с. 14; 3–5` → [(2, "с. 14"), (3, ""), (4, ""), (5, "")]; None if not a citation."""
    items: list[tuple[int, str]] = []
    for index, group in enumerate(content.split(";")):
        numbers, locator = _split_locator(group)
        if numbers is None:
            _say_what_was_meant(content, group, index)
            return None
        if locator:
            numbers[-1] = (numbers[-1][0], locator)
        items.extend(numbers)
    if len(items) > MAX_ITEMS:
        raise TooMany(len(items))
    return items or None


# Brackets an author means as citations and wrote otherwise: a page without its comma
# (`[1 p. 5]`), a word of the sentence inside (`[see 2]`).
_NO_COMMA = re.compile(r"\s*(\d{1,6})\s+((?:p|pp|s|с|c|б|стр|бет)\.\s*\d.*)", re.IGNORECASE)
_WORD_BEFORE = re.compile(
    r"\s*(see|cf\.|e\.g\.,?|compare|см\.|ср\.|напр\.|қар\.|мыс\.)\s+(\d{1,6}(?:\s*[-–,]\s*\d{1,6})*)\s*",
    re.IGNORECASE,
)


def _say_what_was_meant(content: str, group: str, index: int) -> None:
    """A bracket that is no citation as written but surely meant as one: Misread, saying what
    to write; else nothing (it is text: `[Table 2]`). Only a bracket of one group, or a page
    after the last semicolon, is told what to write: the advice is the whole bracket."""
    groups = content.split(";")
    page_after_semicolon = index == len(groups) - 1 and PAGE_LABEL.match(group.strip())
    if index and page_after_semicolon and all(_NUMBER.fullmatch(g) for g in groups[:-1]):
        meant = "; ".join(g.strip() for g in groups[:-1]) + f", {group.strip()}"
        raise Misread(
            WARNING,
            "is not read as a citation: a semicolon parts two works, a comma a work from its "
            f"page; write [{meant}]",
        )
    if len(groups) > 1:
        return
    if no_comma := _NO_COMMA.fullmatch(group):
        raise Misread(
            WARNING,
            f"is not read as a citation: write a comma before the page ([{no_comma[1]}, "
            f"{no_comma[2].strip()}])",
        )
    if word := _WORD_BEFORE.fullmatch(group):
        raise Misread(
            WARNING,
            f"is not read as a citation: a bracket holds the numbers alone; write "
            f"{word[1]} [{word[2]}]",
        )


def _split_locator(group: str) -> tuple[list[tuple[int, str]] | None, str]:
    # `[1,,2]` is a slip of the finger for `[1, 2]`, not reference 1 at a locator ",2".
    parts = [part for part in group.split(",") if part.strip()] or [""]
    numbers: list[tuple[int, str]] = []
    for index, part in enumerate(parts):
        match = _NUMBER.fullmatch(part)
        if match is None:
            # The first part that is not a number starts the locator ("p. 25, 27").
            if index == 0:
                return None, ""
            return numbers, ",".join(parts[index:]).strip()
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise Misread(
                WARNING,
                f"runs down from {first} to {last}, so it is not read as a citation; write the "
                f"range from its lower number ({last}–{first})",
            )
        if first == 0:
            if len(parts) == 1:  # `[0, 1]` is an interval, but `[0]` a slip
                raise Misread(WARNING, "is not read as a citation: references are numbered from 1")
            return None, ""
        if last - first >= MAX_RANGE:
            raise TooMany(last - first + 1)
        numbers.extend((n, "") for n in range(first, last + 1))
    return numbers, ""


def locator_suffix(locator: str) -> Inlines:
    """The citation suffix pandoc's citeproc reads the locator from."""
    if not locator:
        return []
    locator = locator.replace("\u00a0", " ")
    bare = PAGE_LABEL.sub("", locator, count=1) if PAGE_LABEL.match(locator) else locator
    return [Str(","), Space(), *text_inlines(bare)]


def citation(key: str, suffix: Inlines) -> Node:
    return {
        "citationId": key,
        "citationPrefix": [],
        "citationSuffix": suffix,
        "citationMode": {"t": "NormalCitation"},
        "citationNoteNum": 0,
        "citationHash": 0,
    }


@dataclass
class NumericResolver:
    """Turns numeric citations into `Cite` elements using the `reference-numbers` list."""

    keys: list[str]
    spaced: bool = False  # a Space between a word and the citation glued to it

    def __post_init__(self) -> None:
        self.brackets: list[Bracket] = []
        self.created: dict[int, Bracket] = {}  # id of each Cite element made here → its bracket
        self.made: list[Node] = []  # those Cite elements
        self.copies: list[tuple[Node, Node]] = []  # a caption's Cite, and its description's
        self.spaces: dict[int, Node] = {}  # the Space put before a glued Cite, by its id
        self._notes = 0  # depth of footnotes around the text being converted
        self._table: int | None = None  # the outermost table around it
        # Brackets meant as citations that are none: (as written, severity, why).
        self.misread: list[tuple[str, str, str]] = []

    @property
    def found(self) -> list[NumericCitation]:
        return [item for bracket in self.brackets for item in bracket.items]

    @property
    def unresolved(self) -> list[Unresolved]:
        return [Unresolved(i.number, i.text) for i in self.found if i.key is None]

    def convert(self, blocks: list[Node]) -> None:
        """Rewrite `blocks` in place."""
        self._visit(blocks)

    def _visit(self, node: object) -> None:
        if isinstance(node, list):
            if node and isinstance(node[0], dict) and node[0].get("t") in INLINES:
                node[:] = self._convert_inlines(node)
            else:
                for child in node:
                    self._visit(child)
        elif isinstance(node, dict):
            kind = node.get("t")
            if kind == "Link":
                # Link text is not prose, but a footnote inside it is.
                for note in elements(node["c"][1], "Note"):
                    self._visit(note)
            elif kind == "Note":
                self._notes += 1
                self._visit(node["c"])
                self._notes -= 1
            elif kind == "MetaMap":
                for value in node["c"].values():
                    self._visit(value)
            elif kind == "Figure":
                self._visit_figure(node)
            elif kind == "Table" and self._table is None:
                self._table = id(node)
                self._visit(node["c"])
                self._table = None
            elif kind not in _OPAQUE and "c" in node:
                self._visit(node["c"])

    def _visit_figure(self, figure: Node) -> None:
        """pandoc gives a figure's caption twice, as the caption and as its image's description:
        the description gets the caption's citations too, as copies (it is read aloud and shown
        where the image is not, so `[2]` must be the number printed in the caption)."""
        caption = figure["c"][1][1]
        inlines = caption[0]["c"] if len(caption) == 1 and caption[0]["t"] == "Plain" else None
        described = [
            image
            for image in elements(figure["c"][2], "Image")
            if inlines is not None and image["c"][1] == inlines
        ]
        self._visit(figure["c"])
        for image in described:
            image["c"][1] = jsonio.loads(jsonio.dumps(caption[0]["c"]))
            originals = elements(caption[0]["c"], "Cite")
            self.copies += zip(originals, elements(image["c"][1], "Cite"), strict=True)

    def _convert_inlines(self, inlines: Inlines) -> Inlines:
        """Convert the text runs and visit nested inlines in reading order."""
        out: Inlines = []
        run: Inlines = []
        for inline in [*inlines, None]:
            if inline is not None and inline.get("t") in _TEXT:
                run.append(inline)
                continue
            # A run right after an emphasis or a quotation is glued to it.
            glued = bool(out) and out[-1].get("t") not in ("Space", "SoftBreak", "LineBreak")
            out.extend(self._convert_run(run, glued) if run else [])
            run = []
            if inline is not None:
                self._visit(inline)
                out.append(inline)
        return out

    def _convert_run(self, run: Inlines, glued: bool = False) -> Inlines:
        text = "".join(i["c"] if i["t"] == "Str" else " " for i in run)
        matches = []
        for match in _BRACKETS.finditer(text):
            content = match["inner"] or f"{match['first']}–{match['last']}"
            try:
                items = parse_bracket(content)
            except Misread as misread:
                self.misread.append((match.group(0), misread.severity, misread.reason))
                continue
            if items is not None:
                matches.append((match, items))
        if not matches:
            return run
        out: Inlines = []
        position = 0
        for match, items in matches:
            start, end = match.start(), match.end()
            made = self._cite(match.group(0), items)
            # `([2])` in an author-date style: the style's own parentheses are enough, and
            # "((Smith 2001))" is what the author's would add.
            # (`start - 1 >= position`: not a parenthesis the bracket before has taken.)
            wrapped = text[start - 1 : start] == "(" and text[end : end + 1] == ")"
            if self.spaced and made["t"] == "Cite" and wrapped and start - 1 >= position:
                start, end = start - 1, end + 1
            out.extend(_run_inlines(text[position:start]))
            before = text[start - 1] if start else ("x" if glued else " ")
            if self.spaced and made["t"] == "Cite" and not before.isspace() and before not in "([{":
                space = {"t": "Space"}
                self.spaces[id(made)] = space
                out.append(space)
            out.append(made)
            position = end
        out.extend(_run_inlines(text[position:]))
        return out

    def _cite(self, written: str, items: list[tuple[int, str]]) -> Node:
        citations = []
        found = []
        for number, locator in items:
            key = self.keys[number - 1] if 1 <= number <= len(self.keys) else None
            found.append(NumericCitation(number, locator, written, key))
            if key is not None:
                citations.append(citation(key, locator_suffix(locator)))
        bracket = Bracket(written, tuple(found), self._notes > 0, self._table)
        self.brackets.append(bracket)
        if not citations:
            return Str(written)
        cite = {"t": "Cite", "c": [citations, [Str(written)]]}
        self.created[id(cite)] = bracket
        self.made.append(cite)
        return cite


@dataclass
class Collected:
    """Every citation with its place, and the document's Cite and Image elements."""

    citations: list[Citation]
    cites: list[Node]
    images: list[Node]
    # Brackets meant as citations that are none: (text, severity, why, path, line, col).
    misread: list[tuple[str, str, str, str, int | None, int | None]] = field(default_factory=list)
    refs: list[Node] = field(default_factory=list)  # Divs the author made for the list
    image_chapters: list[str] = field(default_factory=list)  # the file of each of `images`
    # Quoted passages of the text, for their language's marks (quotes.write_out).
    quoted: list[quotes.Found] = field(default_factory=list)


# Changed when the same text gives other citations or places: a build's cache from before is
# not read. 2: a figure's caption cited once, a table's citations in any order; 3: a caption's
# citations copied into its image's description; 4: escaped brackets, [1,,2]; 5: quoted text;
# 6: [3–1] and [0] said to be misread; 7: `[@key, pp. 3]`'s page label taken off; 8: `([2])`
# without its parentheses in an author-date style.
_CACHE_FORMAT = 8

# The front matter fields the layouts print as prose, where a citation is the author's: an
# author's `twitter: "@handle"` reads as a citation to pandoc, but is none, and not printed.
PROSE_FIELDS = ("title", "subtitle", "translated-title", "abstract", "keywords")


def front_names(meta: dict[str, Any]) -> list[str]:
    """The printed front matter fields, in the order citeproc numbers their citations: before
    the text, by field name (pandoc keeps metadata sorted so)."""
    return [name for name in sorted(meta) if name in PROSE_FIELDS]


def collect(
    chapters: list[Chapter], keys: list[str], cache_dir: Path | None = None, spaced: bool = False
) -> Collected:
    """Convert each chapter's numeric citations (in place) and list every citation, numeric and
    `[@key]`, in reading order (the front matter's first, as citeproc numbers them; a
    footnote's where it is referenced), with the file, line and column where the author wrote
    it. With `cache_dir`, each chapter's result is kept there by its text and `keys`: an edit
    converts one chapter again. `spaced`: a number glued to its word (`word[2]`) becomes a
    citation after a space, as an author-date style's `(Jones, 2019)` needs."""
    collected = Collected([], [], [])
    used: set[str] = set()
    # A field given again in a later chapter replaces this one's (chapters.metadata).
    later: set[str] = set()
    fields: list[list[str]] = []
    for chapter in reversed(chapters):
        fields.append([name for name in front_names(chapter.meta) if name not in later])
        later |= set(chapter.meta)
    fields.reverse()
    parts = []
    for chapter, own in zip(chapters, fields, strict=True):
        if cache_dir is None:
            parts.append(_collect_chapter(chapter, keys, own, spaced))
        else:
            parts.append(_collect_cached(chapter, keys, own, cache_dir, used, spaced))
    fronts = {name: front for front_of, _ in parts for name, front in front_of.items()}
    for name in sorted(fronts):
        collected.citations.extend(fronts[name].citations)
        collected.cites.extend(fronts[name].cites)
        collected.misread.extend(fronts[name].misread)
    for chapter, (_, part) in zip(chapters, parts, strict=True):
        collected.citations.extend(part.citations)
        collected.cites.extend(part.cites)
        collected.images.extend(part.images)
        collected.image_chapters.extend([chapter.name] * len(part.images))
        collected.misread.extend(part.misread)
        collected.refs.extend(part.refs)
        collected.quoted.extend(part.quoted)
    if cache_dir:
        jsonio.prune(cache_dir, used)
    return collected


Front = dict[str, Collected]  # the citations of each front matter field


def _collect_cached(
    chapter: Chapter,
    keys: list[str],
    fields: list[str],
    cache_dir: Path,
    used: set[str],
    spaced: bool,
) -> tuple[Front, Collected]:
    seed = jsonio.dumps(
        [__version__, _CACHE_FORMAT, keys, fields, spaced, chapter.name, chapter.text]
    )
    cache = cache_dir / f"{hashlib.sha256(seed).hexdigest()}.json"
    used.add(cache.name)
    try:
        data = jsonio.read(cache)
        doc, images = data["doc"], data["images"]
        citations = [Citation(**c) for c in data["citations"]]
        misread = [tuple(t) for t in data["misread"]]
        cite_paths, ref_paths = data["cites"], data["refs"]
        quoted = [_found_at(doc["blocks"], path, lang) for path, lang in data["quoted"]]
        front_data = data["front"]
        chapter.use(doc)
        front = {
            name: Collected(
                [Citation(**c) for c in field["citations"]],
                [at(doc["meta"], path) for path in field["cites"]],
                [],
                [tuple(t) for t in field["misread"]],
            )
            for name, field in front_data.items()
        }
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        front, part = _collect_chapter(chapter, keys, fields, spaced)
        # Where the Cite elements and the list's Divs are: found again without a walk.
        paths = paths_to(chapter.doc["blocks"], [*part.cites, *part.refs])
        quoted_at = paths_to(chapter.doc["blocks"], [node for _, node, _ in part.quoted])
        record = {
            "doc": chapter.doc,
            "images": part.images,
            "citations": [asdict(c) for c in part.citations],
            "misread": part.misread,
            "cites": paths[: len(part.cites)],
            "refs": paths[len(part.cites) :],
            "quoted": [
                [path, lang] for path, (_, _, lang) in zip(quoted_at, part.quoted, strict=True)
            ],
            "front": {
                name: {
                    "citations": [asdict(c) for c in field.citations],
                    "misread": field.misread,
                    "cites": paths_to(chapter.doc["meta"], field.cites),
                }
                for name, field in front.items()
            },
        }
        jsonio.write(cache, record)
        return front, part
    blocks = doc["blocks"]
    cites = [at(blocks, path) for path in cite_paths]
    refs = [at(blocks, path) for path in ref_paths]
    return front, Collected(citations, cites, images, misread, refs, quoted=quoted)


def _collect_chapter(
    chapter: Chapter, keys: list[str], fields: list[str], spaced: bool = False
) -> tuple[Front, Collected]:
    """The citations of each of the chapter's front matter `fields`, and of its text."""
    front = {name: _collect_field(chapter, keys, name, spaced) for name in fields}
    return {name: part for name, part in front.items() if part.citations}, _collect_text(
        chapter, keys, spaced
    )


def _collect_field(chapter: Chapter, keys: list[str], name: str, spaced: bool) -> Collected:
    collected = Collected([], [], [])
    value = chapter.doc["meta"][name]
    may_number = bool(keys) and _MAY_CITE.search(_meta_text(value)) is not None
    if not may_number and not elements(value, "Cite"):
        return collected  # most fields: not worth finding where they are written
    resolver = NumericResolver(keys, spaced)
    if may_number:
        resolver.convert([value])
    # Searched in the field alone, as written there (quoted or not).
    finder = Finder(field_only(chapter.text, name), hidden=False)
    places = {
        id(bracket): finder.next("numeric", bracket.text, source_pattern, table=bracket.table)
        for bracket in resolver.brackets
    }
    if finder.escapes:
        _keep_escaped(resolver, places, finder)
    nodes = elements(value, "Cite", "Figure", "Table")
    copies, tables = _copies_and_tables(nodes)
    placed: set[int] = set()
    for node in nodes:
        if node["t"] != "Cite":
            continue
        collected.cites.append(node)
        if id(node) not in copies:
            placing = (finder, places, placed, False, tables.get(id(node)))
            collected.citations.extend(_citations(node, chapter, resolver, *placing))
    collected.citations.extend(_unmade(resolver, chapter, places, placed))
    for text, severity, reason in resolver.misread:
        line, col = Finder(field_only(chapter.text, name), hidden=False).next(
            "numeric", text, source_pattern
        )
        collected.misread.append((text, severity, reason, chapter.name, line, col))
    return collected


def _meta_text(value: Node) -> str:
    """A metadata value's text, a mapping's too (`abstract: {kk: …, en: …}`)."""
    if value.get("t") == "MetaMap":
        return " ".join(_meta_text(item) for item in value["c"].values())
    if value.get("t") == "MetaList":
        return " ".join(_meta_text(item) for item in value["c"])
    return stringify(value)


def _collect_text(chapter: Chapter, keys: list[str], spaced: bool = False) -> Collected:
    collected = Collected([], [], [])
    resolver = NumericResolver(keys, spaced)
    if keys and _MAY_CITE.search(chapter.text):
        resolver.convert(chapter.doc["blocks"])
    finder = Finder(chapter.text)
    places = {
        id(bracket): finder.next(
            "numeric", bracket.text, source_pattern, bracket.in_note, bracket.table
        )
        for bracket in resolver.brackets
    }
    if finder.escapes:
        _keep_escaped(resolver, places, finder)
    # One walk of the chapter for all kinds: on a book the walk is what costs.
    nodes = elements(
        chapter.doc["blocks"], "Cite", "Image", "Note", "Div", "Figure", "Table", "Quoted"
    )
    in_notes = {
        id(cite) for note in nodes if note["t"] == "Note" for cite in elements(note["c"], "Cite")
    }
    copies, tables = _copies_and_tables(nodes)
    placed: set[int] = set()
    quoted = []
    for node in nodes:
        if node["t"] in ("Note", "Figure", "Table"):
            continue
        if node["t"] == "Quoted":
            quoted.append(node)
            continue
        if node["t"] == "Div":
            if is_refs(node):
                collected.refs.append(node)
            continue
        if node["t"] == "Image":
            collected.images.append(node)
            continue
        collected.cites.append(node)
        if id(node) not in copies:
            placing = (finder, places, placed, id(node) in in_notes, tables.get(id(node)))
            collected.citations.extend(_citations(node, chapter, resolver, *placing))
    collected.citations.extend(_unmade(resolver, chapter, places, placed))
    for text, severity, reason in resolver.misread:
        line, col = Finder(chapter.text).next("numeric", text, source_pattern)
        collected.misread.append((text, severity, reason, chapter.name, line, col))
    blocks = chapter.doc["blocks"]
    collected.quoted = [
        _found_at(blocks, path, quotes.language_at(blocks, path))
        for path in paths_to(blocks, quoted)
    ]
    return collected


def _found_at(blocks: list[Any], path: list[int | str], lang: str | None) -> quotes.Found:
    siblings = at(blocks, path[:-1])
    return siblings, siblings[path[-1]], lang


Places = dict[int, tuple[int | None, int | None]]  # each bracket's, by its id


def _keep_escaped(resolver: NumericResolver, places: Places, finder: Finder) -> None:
    """A bracket the author escaped (`\\[1\\]`, which pandoc reads as [1]) is text, as
    written: its citation, made before its place was known, is undone."""
    escaped = {id(b) for b in resolver.brackets if finder.escaped(*places[id(b)])}
    for cite_id, bracket in list(resolver.created.items()):
        if id(bracket) in escaped:
            del resolver.created[cite_id]
    undone = set()
    for node in resolver.made:
        if id(node) not in resolver.created and node["t"] == "Cite":
            undone.add(id(node))
            space = resolver.spaces.get(id(node))
            if space is not None:  # as written: no space between the word and the bracket
                space.clear()
                space.update(Str(""))
            _as_text(node)
    for original, copy in resolver.copies:
        if id(original) in undone:
            _as_text(copy)
    resolver.brackets[:] = [b for b in resolver.brackets if id(b) not in escaped]


def _as_text(cite: Node) -> None:
    """A Cite made into the text it shows, in place."""
    written = stringify(cite["c"][1])
    cite.clear()
    cite.update(Str(written))


def _citations(
    node: Node,
    chapter: Chapter,
    resolver: NumericResolver,
    finder: Finder,
    places: Places,
    placed: set[int],
    in_note: bool,
    table: int | None,
) -> list[Citation]:
    """The citations a Cite element makes, each where the author wrote it (a numeric one's
    bracket, found before, is marked `placed`)."""
    bracket = resolver.created.get(id(node))
    if bracket is not None:
        placed.add(id(bracket))
        return _numeric(bracket, chapter, places[id(bracket)])
    found = []
    for item in node["c"][0]:
        key = item["citationId"]
        line, col = finder.next("key", f"@{key}", key_pattern, in_note, table)
        found.append(Citation(key, f"@{key}", chapter.name, line, col))
        _bare_page_locator(item)
    return found


def _bare_page_locator(item: dict[str, Any]) -> None:
    """`[@key, pp. 3-5]` as `[@key, 3-5]`: pandoc reads a page label only in the document's
    language ("pp." stayed as typed in a Portuguese paper, "б." in a Kazakh one), a bare number
    as a page in any, and the style then prints its own term, as for `[2, с. 14]`."""
    suffix = item["citationSuffix"]
    if not suffix or any(inline["t"] not in ("Str", "Space") for inline in suffix):
        return
    text = stringify(suffix)
    label = PAGE_LABEL.match(text[1:].lstrip()) if text.startswith(",") else None
    # A letter glued to the number is a page of its own (S6, e102), not a label.
    if label and not label.group(0)[-1:].isalnum():
        item["citationSuffix"] = locator_suffix(text[1:].strip())


def _unmade(
    resolver: NumericResolver, chapter: Chapter, places: Places, placed: set[int]
) -> list[Citation]:
    """The numeric citations of brackets that resolve to nothing, and so made no Cite."""
    return [
        made
        for bracket in resolver.brackets
        if id(bracket) not in placed
        for made in _numeric(bracket, chapter, places[id(bracket)])
    ]


def _copies_and_tables(nodes: list[Node]) -> tuple[set[int], dict[int, int]]:
    """The ids of the Cite elements below `nodes` that are copies of others, and of the
    outermost table each one in a table is in."""
    # pandoc gives a figure's caption twice, as the caption and as its image's description:
    # the copy is formatted like the caption's citations, but the author wrote them once.
    copies = {
        id(cite)
        for figure in nodes
        if figure["t"] == "Figure"
        for image in elements(figure["c"][2], "Image")
        for cite in elements(image["c"][1], "Cite")
    }
    tables: dict[int, int] = {}
    for table in (node for node in nodes if node["t"] == "Table"):  # the outermost first
        for cite in elements(table["c"], "Cite"):
            tables.setdefault(id(cite), id(table))
    return copies, tables


def _numeric(
    bracket: Bracket, chapter: Chapter, place: tuple[int | None, int | None]
) -> list[Citation]:
    line, col = place
    return [
        Citation(item.key, bracket.text, chapter.name, line, col, item.number, item.locator)
        for item in bracket.items
    ]


def _run_inlines(text: str) -> Inlines:
    """Text of a run back into Str and Space: each space in it was one Space."""
    out: Inlines = []
    for index, word in enumerate(text.split(" ")):
        if index:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out
