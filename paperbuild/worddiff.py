"""Two versions of a paper as one document showing the changes word by word.

The diff is made on pandoc's AST, not on text: deleted words go in `Span`s with the class
`deletion`, inserted words in `Span`s with the class `insertion`, both carrying `author` and
`date`. pandoc's DOCX writer turns exactly these spans into real tracked changes (`w:del`,
`w:ins`) that a journal's editor can accept or reject in Word; `for_html` and `for_typst` turn
them into `<ins>`/`<del>` and coloured Typst for the other two formats.

How the two versions are lined up:

- Block lists (the body, a block quote, a Div such as citeproc's reference list, a list item, a
  table cell, a footnote) are aligned on each block's kind and plain text. Blocks that differ are
  paired by kind (a Para with a Para or Plain, a Header with a Header of the same level, a list
  with a list…), preferring similar text, and diffed inside; a block with no partner is shown
  whole as deleted or inserted.
- Inlines are diffed as words: each `Str` is a word, `Space`/`SoftBreak` a space, and every other
  inline (Cite, Link, Emph, Code, Math, Note…) one token compared by its JSON, so a changed
  citation shows as the old `Cite` deleted and the new one inserted. When exactly one such token
  changed into one of the same kind (Emph into Emph, a Note into a Note, a Link to the same
  target), its content is diffed instead, so one word changed in a footnote is one word.
- Unchanged text is `new`'s own inline elements, untouched.

The printed front matter (title, subtitle, translated titles, abstracts, keywords) is diffed
like the text; the rest of the metadata is `new`'s. What it does not show: a deleted horizontal
rule (it has no words to mark, so it is left out); an image's alt text (a
figure's caption is diffed as the caption; an image counts as changed only when its source or
attributes do). A changed code or raw block becomes a paragraph of code lines with the changed
lines marked, since a code block cannot hold change spans. A citation is always one token.
"""

from __future__ import annotations

import copy
import html
import json
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, NamedTuple, TypeVar

from paperbuild.citations import PROSE_FIELDS
from paperbuild.pandoc_ast import (
    STYLES,
    Blocks,
    Inlines,
    Node,
    attr,
    elements,
    stringify,
    text_inlines,
)
from paperbuild.profiles import base_language

DELETION = "deletion"
INSERTION = "insertion"

_SPACES = ("Space", "SoftBreak")
_META_TEXT = ("MetaInlines", "MetaString")
_SPACE_KEY = ("space",)
_CITATION_COUNTERS = ("citationNoteNum", "citationHash")
_VERBATIM = ("CodeBlock", "RawBlock")
_TEXT_BLOCKS = ("Para", "Plain", "Header", "LineBlock", *_VERBATIM)
# Inlines whose whole content is an inline list: diffed inside when one changed into another.
_INLINE_WRAPPERS = tuple(sorted(STYLES))
# In a stretch of changed blocks, blocks at least this alike (share of words in common, in
# order) pair first; a less alike block pairs only where kinds line up one for one, else it is
# shown deleted or inserted whole: a word diff of unrelated text is noise.
_SIMILAR = 0.4
# Pairing blocks of one changed stretch costs (old blocks × new blocks) comparisons; beyond this
# the stretch is a rewrite and is shown as deleted and inserted whole.
_MAX_PAIRINGS = 2500

# Colours of GitHub's diff view. Each opening ends with `#[];`, an empty content block: without
# it, text such as "- x" or "/ x" at the start of the bracket would be read as a list item or a
# term (Typst treats the start of a content block as the start of a line). Each closing ends with
# `;`: Typst would otherwise read a `(` or `[` right after it as more arguments to the call.
TYPST_INSERTION = ('#underline(text(fill: rgb("#1a7f37"))[#[];', "]);")
TYPST_DELETION = ('#strike(text(fill: rgb("#cf222e"))[#[];', "]);")
# A picture is neither struck through nor coloured: a changed one is framed in its change's
# colour (the HTML's stylesheet frames `del img` and `ins img` so).
TYPST_FRAMES = {
    INSERTION: ('#box(stroke: 3pt + rgb("#1a7f37"))[', "];"),
    DELETION: ('#box(stroke: 3pt + rgb("#cf222e"))[', "];"),
}

T = TypeVar("T")
Pairing = tuple[Any, Any]  # (old, new); either may be None


@dataclass(frozen=True)
class Counts:
    inserted: int  # words inserted
    deleted: int  # words deleted


def diff(old: dict[str, Any], new: dict[str, Any], author: str, date: str) -> tuple[dict, Counts]:
    """A pandoc document (with `new`'s metadata) whose blocks show `old` → `new` as tracked
    changes, and how many words were inserted and deleted.

    A word is a `Str` or any other inline counted whole (a citation, a formula, a footnote that
    is replaced as a whole); the lines of a changed code block count their words.
    """
    differ = _Differ(author, date, _identifiers(new.get("blocks", [])))
    meta = differ.front_matter(old.get("meta", {}), new.get("meta", {}))
    blocks = differ.blocks(old.get("blocks", []), new.get("blocks", []))
    # Unchanged elements are shared with the inputs; a copy lets callers edit the result freely.
    doc = copy.deepcopy({**new, "meta": meta, "blocks": blocks})
    return doc, Counts(inserted=differ.inserted, deleted=differ.deleted)


def for_html(doc: dict[str, Any]) -> dict[str, Any]:
    """The changes as `<ins>`/`<del>` elements (raw HTML around the changed inlines), so they
    show in any browser and in the journal's stylesheet without pandoc's span markup."""

    def tags(cls: str, attrs: dict[str, str]) -> tuple[str, str]:
        name = "ins" if cls == INSERTION else "del"
        extra = "".join(
            f' {key}="{html.escape(value)}"'
            for key, value in (
                ("data-author", attrs.get("author")),
                ("datetime", attrs.get("date")),
            )
            if value
        )
        return f'<{name} class="{cls}"{extra}>', f"</{name}>"

    return _replace_changes(doc, "html", tags)


def for_docx(doc: dict[str, Any]) -> dict[str, Any]:
    """The changes as pandoc's DOCX writer tracks them, with a changed link's or citation's
    mark inside its link: the writer would put the link inside the tracked change, which Word's
    schema does not allow, and LibreOffice drops such a change with its text (jgm/pandoc#4609)."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        if not isinstance(node, list):
            return node
        out = []
        for item in node:
            if _change_class(item) and _holds_links(item["c"][1]):
                out.extend(_links_outside(walk(item["c"][1]), item["c"][0]))
            else:
                out.append(walk(item))
        return out

    return walk(doc)


def _holds_links(inlines: Inlines) -> bool:
    return bool(elements(inlines, "Link", "Cite"))


def _links_outside(inlines: Inlines, change: list[Any]) -> Inlines:
    """`inlines` in change spans of attributes `change`, each link's (and citation's) inside
    it: the link itself stays outside every span."""
    out: Inlines = []
    run: Inlines = []

    def flush() -> None:
        if run:
            out.append({"t": "Span", "c": [change, list(run)]})
            run.clear()

    for node in inlines:
        kind = node.get("t")
        if kind == "Link":
            flush()
            node_attr, content, target = node["c"]
            out.append({"t": "Link", "c": [node_attr, _links_outside(content, change), target]})
        elif kind == "Cite":
            flush()
            citations, content = node["c"]
            out.append({"t": "Cite", "c": [citations, _links_outside(content, change)]})
        elif kind in _INLINE_WRAPPERS and _holds_links(node["c"]):
            flush()  # emphasis around a link: the marks go inside it too
            out.append({"t": kind, "c": _links_outside(node["c"], change)})
        elif kind in ("Quoted", "Span") and _holds_links(node["c"][1]):
            flush()
            out.append({"t": kind, "c": [node["c"][0], _links_outside(node["c"][1], change)]})
        else:
            run.append(node)
    flush()
    return out


def for_typst(doc: dict[str, Any]) -> dict[str, Any]:
    """The changes coloured for the PDF: insertions green and underlined, deletions red and
    struck through (see `TYPST_INSERTION` for why the wrappers look as they do)."""
    return _replace_changes(
        doc,
        "typst",
        lambda cls, _: TYPST_INSERTION if cls == INSERTION else TYPST_DELETION,
        TYPST_FRAMES,
    )


# ---------------------------------------------------------------------------------------------
# Lining up two sequences


class _Kind(NamedTuple):
    """What may pair with what: only items of one kind are diffed against each other."""

    name: str
    level: int = 0  # a heading's level
    ident: str = ""  # items with the same id are the same thing, however rewritten


def _align(
    old: list[T], new: list[T], kind: Callable[[T], _Kind], text: Callable[[T], str]
) -> list[Pairing]:
    """`old` and `new` as pairs in document order: (a, b) for items to show as one (equal or to
    diff), (a, None) for deleted items, (None, b) for inserted ones."""
    old_kinds, new_kinds = [kind(a) for a in old], [kind(b) for b in new]
    old_texts, new_texts = [text(a) for a in old], [text(b) for b in new]
    old_keys = list(zip(old_kinds, old_texts, strict=True))
    new_keys = list(zip(new_kinds, new_texts, strict=True))
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    out: list[Pairing] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(zip(old[i1:i2], new[j1:j2], strict=True))
            continue
        stretch = _pair_up(old_kinds[i1:i2], new_kinds[j1:j2], old_texts[i1:i2], new_texts[j1:j2])
        for i, j in stretch:
            out.append((None if i is None else old[i1 + i], None if j is None else new[j1 + j]))
    return out


def _pair_up(
    old_kinds: list[_Kind], new_kinds: list[_Kind], old_texts: list[str], new_texts: list[str]
) -> list[tuple[int | None, int | None]]:
    """One changed stretch, as index pairs: items of the same kind paired, in order.

    First the pairs at least `_SIMILAR` alike, choosing the most similar, so a paragraph
    inserted next to an edited one is not diffed against it; then, between those, items that
    still match kind for kind (a reworded heading above a reworded paragraph).
    """
    n, m = len(old_kinds), len(new_kinds)
    anchors: list[tuple[int, int]] = []
    if n * m <= _MAX_PAIRINGS:
        anchors = _best_pairs(old_kinds, new_kinds, old_texts, new_texts)
    elif any(kind.ident for kind in old_kinds):
        # Too many to weigh each against each (a long reference list renumbered): items with
        # the same identifier are the same item.
        anchors = _same_idents(old_kinds, new_kinds)
    out: list[tuple[int | None, int | None]] = []
    i = j = 0
    for pi, pj in [*anchors, (n, m)]:
        gap_old, gap_new = range(i, pi), range(j, pj)
        if len(gap_old) == len(gap_new) and all(
            old_kinds[a] == new_kinds[b] for a, b in zip(gap_old, gap_new, strict=True)
        ):
            out.extend(zip(gap_old, gap_new, strict=True))
        else:
            out.extend((a, None) for a in gap_old)
            out.extend((None, b) for b in gap_new)
        if pi < n:
            out.append((pi, pj))
        i, j = pi + 1, pj + 1
    return out


def _same_idents(old_kinds: list[_Kind], new_kinds: list[_Kind]) -> list[tuple[int, int]]:
    """Order-keeping pairs of items with one identifier (items without one pair with none)."""
    old_ids = [kind.ident or ("old", i) for i, kind in enumerate(old_kinds)]
    new_ids = [kind.ident or ("new", j) for j, kind in enumerate(new_kinds)]
    matcher = SequenceMatcher(None, old_ids, new_ids, autojunk=False)
    return [
        (block.a + k, block.b + k)
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    ]


def _best_pairs(
    old_kinds: list[_Kind], new_kinds: list[_Kind], old_texts: list[str], new_texts: list[str]
) -> list[tuple[int, int]]:
    """Order-keeping pairs (i, j) with the greatest total similarity (an LCS with weights)."""
    n, m = len(old_kinds), len(new_kinds)
    old_words = [t.split() for t in old_texts]
    new_words = [t.split() for t in new_texts]
    score: list[list[float | None]] = [[None] * m for _ in range(n)]
    for i, ka in enumerate(old_kinds):
        for j, kb in enumerate(new_kinds):
            if ka != kb:
                continue
            alike = 1.0 if ka.ident else _word_similarity(old_words[i], new_words[j])
            if alike >= _SIMILAR:
                score[i][j] = alike
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            here = max(best[i + 1][j], best[i][j + 1])
            s = score[i][j]
            if s is not None:
                here = max(here, s + best[i + 1][j + 1])
            best[i][j] = here
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        s = score[i][j]
        if s is not None and best[i][j] == s + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _word_similarity(a: list[str], b: list[str]) -> float:
    """Share of words two texts have in common, in order (1.0 for two empty texts)."""
    if not a and not b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= _SIMILAR else 0.0


# ---------------------------------------------------------------------------------------------
# What a block is, for lining up


def _text(node: Any) -> str:
    """Plain text for alignment: unlike `stringify`, it keeps blocks (list items, table cells)
    apart and includes the text of code blocks; a citation is the works it cites, not the
    number citeproc printed (which a citation added earlier shifts)."""
    node = _as_written(node)
    leaves = elements(node, *_TEXT_BLOCKS)
    if not leaves:
        return stringify(node)
    return " ".join(leaf["c"][1] if leaf["t"] in _VERBATIM else stringify(leaf) for leaf in leaves)


def _as_written(node: Any) -> Any:
    """`node` with each citation as its keys (`@roe2002`) and no reference entry's label."""
    if isinstance(node, list):
        return [_as_written(item) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("t")
    if kind == "Cite":
        return {"t": "Str", "c": " ".join(f"@{c['citationId']}" for c in node["c"][0])}
    if kind == "Span" and "csl-left-margin" in node["c"][0][1]:
        return {"t": "Str", "c": ""}
    return {key: _as_written(value) for key, value in node.items()}


def _block_kind(block: Node) -> _Kind:
    kind = block["t"]
    if kind in ("Para", "Plain"):  # a list turning tight or loose is not a change of kind
        return _Kind("text")
    if kind == "Header":
        return _Kind(kind, level=block["c"][0])
    if kind in _VERBATIM:
        return _Kind("verbatim")
    if kind == "Div":  # a reference entry "ref-b" is not "ref-c" rewritten
        return _Kind(kind, ident=block["c"][0][0])
    return _Kind(kind)


def _by_language(value: Node, lang: str) -> Node:
    return value if value["t"] == "MetaMap" else {"t": "MetaMap", "c": {lang: value}}


def _meta_inlines(value: Node) -> Inlines:
    return value["c"] if value["t"] == "MetaInlines" else text_inlines(value["c"])


def _item_kind(_: Any) -> _Kind:
    return _Kind("item")


def _definition_text(item: Any) -> str:
    term, definitions = item
    return " ".join([stringify(term), _text(definitions)])


def _identifiers(blocks: Blocks) -> set[str]:
    found = set()
    for node in elements(blocks, "Header", "Div", "Span", "Figure", "Table", "CodeBlock"):
        ident = node["c"][1][0] if node["t"] == "Header" else node["c"][0][0]
        if ident:
            found.add(ident)
    return found


# ---------------------------------------------------------------------------------------------
# Words


def _token(node: Node) -> Hashable:
    kind = node["t"]
    if kind == "Str":
        return ("str", node["c"])
    if kind in _SPACES:
        return _SPACE_KEY
    if kind == "Image":  # its alt text is a figure's caption, diffed in the caption itself
        return ("image", json.dumps([node["c"][0], node["c"][2]], ensure_ascii=False))
    if kind == "Cite":
        # The works cited, not citeproc's rendering: one citation added near the start renumbers
        # every later one in a numeric style, and none of those is the author's change.
        return ("cite", json.dumps(_comparable(node["c"][0]), sort_keys=True, ensure_ascii=False))
    if kind == "Span" and "csl-left-margin" in node["c"][0][1]:
        return ("entry label",)  # a reference entry's number, renumbered the same way
    return ("atom", json.dumps(_comparable(node), sort_keys=True, ensure_ascii=False))


def _comparable(node: Any) -> Any:
    """`node` without the citation counters pandoc numbers every `Cite` with: one citation
    added near the start would otherwise make every later one look changed."""
    if isinstance(node, list):
        return [_comparable(item) for item in node]
    if isinstance(node, dict):
        return {k: _comparable(v) for k, v in node.items() if k not in _CITATION_COUNTERS}
    return node


def _words(inlines: Inlines) -> int:
    """Words as a reader counts them in the marked text: a citation printed "(Roe 2002)" is
    two, so the HTML's count and its marks agree; a formula one; a picture none (its
    description is its figure's caption, counted there); a footnote's words count too."""
    notes = elements(inlines, "Note")
    shown = [
        {"t": "Str", "c": "formula"} if i["t"] == "Math" else i
        for i in inlines
        if i["t"] != "Image"
    ]
    return len(stringify(shown).split()) + sum(len(_text(n["c"]).split()) for n in notes)


# ---------------------------------------------------------------------------------------------
# The diff


class _Differ:
    """One diff's author, date and running word counts; every method returns new nodes and
    leaves its arguments alone."""

    def __init__(self, author: str, date: str, new_ids: set[str]) -> None:
        self.attrs = {"author": author, "date": date}
        self.new_ids = new_ids
        self.inserted = 0
        self.deleted = 0

    # -- marking whole runs and blocks ----------------------------------------------------------

    def mark(self, inlines: Inlines, cls: str, words: int | None = None) -> Inlines:
        """`inlines` in one change span ([] for nothing), counted."""
        if not inlines:
            return []
        count = _words(inlines) if words is None else words
        if cls == INSERTION:
            self.inserted += count
        else:
            self.deleted += count
        # A footnote's text is not in the span (pandoc moves it to the page's foot or the
        # notes): its blocks are marked in it (counted above, with the span's).
        marked = [self._note_marked(n, cls) if n.get("t") == "Note" else n for n in inlines]
        return [{"t": "Span", "c": [attr("", [cls], self.attrs), marked]}]

    def _note_marked(self, note: Node, cls: str) -> Node:
        counts = self.inserted, self.deleted
        marked = {"t": "Note", "c": self.mark_blocks(note["c"], cls)}
        self.inserted, self.deleted = counts
        return marked

    def mark_blocks(self, blocks: Blocks, cls: str) -> Blocks:
        return [marked for block in blocks for marked in self.mark_block(block, cls)]

    def mark_block(self, block: Node, cls: str) -> Blocks:
        """A block present on one side only, kept in place with all its text marked."""
        kind, c = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            return [{"t": kind, "c": self.mark(c, cls)}]
        if kind == "Header":
            return [{"t": kind, "c": [c[0], self.own_attr(c[1], cls), self.mark(c[2], cls)]}]
        if kind == "LineBlock":
            return [{"t": kind, "c": [self.mark(line, cls) for line in c]}]
        if kind in _VERBATIM:
            old, new = (block, None) if cls == DELETION else (None, block)
            return [self.verbatim(old, new)]
        if kind == "BlockQuote":
            return [{"t": kind, "c": self.mark_blocks(c, cls)}]
        if kind == "BulletList":
            return [{"t": kind, "c": [self.mark_blocks(item, cls) for item in c]}]
        if kind == "OrderedList":
            return [{"t": kind, "c": [c[0], [self.mark_blocks(item, cls) for item in c[1]]]}]
        if kind == "DefinitionList":
            items = [
                [self.mark(term, cls), [self.mark_blocks(d, cls) for d in defs]] for term, defs in c
            ]
            return [{"t": kind, "c": items}]
        if kind == "Div":
            return [{"t": kind, "c": [self.own_attr(c[0], cls), self.mark_blocks(c[1], cls)]}]
        if kind == "Figure":
            caption = [c[1][0], self.mark_blocks(c[1][1], cls)]
            return [
                {"t": kind, "c": [self.own_attr(c[0], cls), caption, self.mark_blocks(c[2], cls)]}
            ]
        if kind == "Table":
            table = _with_cells(block, lambda cell: self.mark_blocks(cell, cls))
            c2 = table["c"]
            c2[0] = self.own_attr(c2[0], cls)
            c2[1] = [c2[1][0], self.mark_blocks(c2[1][1], cls)]
            return [table]
        # A horizontal rule (or a block kind pandoc may add) has no words to mark: a new one is
        # shown, an old one is left out.
        return [block] if cls == INSERTION else []

    def own_attr(self, node_attr: list[Any], cls: str) -> list[Any]:
        """A deleted block's attributes, without an id the new version uses (no duplicate ids:
        Typst refuses a label defined twice)."""
        if cls == DELETION and node_attr[0] in self.new_ids:
            return ["", node_attr[1], node_attr[2]]
        return node_attr

    # -- blocks ---------------------------------------------------------------------------------

    def blocks(self, old: Blocks, new: Blocks) -> Blocks:
        out: Blocks = []
        for a, b in _align(old, new, _block_kind, _text):
            if a is None:
                out.extend(self.mark_block(b, INSERTION))
            elif b is None:
                out.extend(self.mark_block(a, DELETION))
            elif a == b:
                out.append(b)
            else:
                paired = self.block_pair(a, b)
                if paired is None:
                    out.extend(self.mark_block(a, DELETION))
                    out.extend(self.mark_block(b, INSERTION))
                else:
                    out.append(paired)
        return out

    def block_pair(self, a: Node, b: Node) -> Node | None:
        """Two blocks of one kind diffed inside, in `b`'s shape; None if their shapes differ."""
        kind, ca, cb = b["t"], a.get("c"), b.get("c")
        if kind in ("Para", "Plain"):
            return {"t": kind, "c": self.inlines(ca, cb)}
        if kind == "Header":
            return {"t": kind, "c": [cb[0], cb[1], self.inlines(ca[2], cb[2])]}
        if kind in _VERBATIM:
            return self.verbatim(a, b)
        if kind == "LineBlock":
            return {"t": kind, "c": self.lines(ca, cb)}
        if kind == "BlockQuote":
            return {"t": kind, "c": self.blocks(ca, cb)}
        if kind == "Div":
            return {"t": kind, "c": [cb[0], self.blocks(ca[1], cb[1])]}
        if kind == "BulletList":
            return {"t": kind, "c": self.items(ca, cb)}
        if kind == "OrderedList":
            return {"t": kind, "c": [cb[0], self.items(ca[1], cb[1])]}
        if kind == "DefinitionList":
            return {"t": kind, "c": self.definitions(ca, cb)}
        if kind == "Figure":
            caption = [cb[1][0], self.blocks(ca[1][1], cb[1][1])]
            return {"t": kind, "c": [cb[0], caption, self.blocks(ca[2], cb[2])]}
        if kind == "Table":
            return self.table(a, b)
        return b if a == b else None

    def items(self, old: list[Blocks], new: list[Blocks]) -> list[Blocks]:
        """List items (or definitions): each a block list, aligned like blocks."""
        out: list[Blocks] = []
        for a, b in _align(old, new, _item_kind, _text):
            if a is None:
                out.append(self.mark_blocks(b, INSERTION))
            elif b is None:
                out.append(self.mark_blocks(a, DELETION))
            else:
                out.append(b if a == b else self.blocks(a, b))
        return out

    def definitions(self, old: list[Any], new: list[Any]) -> list[Any]:
        out: list[Any] = []
        for a, b in _align(old, new, _item_kind, _definition_text):
            if a is None:
                out.append(
                    [self.mark(b[0], INSERTION), [self.mark_blocks(d, INSERTION) for d in b[1]]]
                )
            elif b is None:
                out.append(
                    [self.mark(a[0], DELETION), [self.mark_blocks(d, DELETION) for d in a[1]]]
                )
            elif a == b:
                out.append(b)
            else:
                out.append([self.inlines(a[0], b[0]), self.items(a[1], b[1])])
        return out

    def lines(self, old: list[Inlines], new: list[Inlines]) -> list[Inlines]:
        out: list[Inlines] = []
        for a, b in _align(old, new, _item_kind, _text):
            if a is None:
                out.append(self.mark(b, INSERTION))
            elif b is None:
                out.append(self.mark(a, DELETION))
            else:
                out.append(b if a == b else self.inlines(a, b))
        return out

    def table(self, a: Node, b: Node) -> Node | None:
        """Two tables row by row when they are grids of the same columns (a row added, taken
        away or changed, cell by cell), or cell by cell when their spanning cells line up; None
        otherwise (the old table is then shown deleted and the new one inserted)."""
        if _same_grid(a, b):
            table = self.table_rows(a, b)
        elif _table_shape(a) == _table_shape(b):  # cells spanning rows or columns
            old_cells = iter(_cells(a))
            table = _with_cells(b, lambda cell: self.blocks(next(old_cells), cell))
        else:
            return None
        caption = b["c"][1]
        table["c"][1] = [caption[0], self.blocks(a["c"][1][1], caption[1])]
        return table

    def table_rows(self, a: Node, b: Node) -> Node:
        """`b` with each section's rows aligned with `a`'s: a row added is inserted, one taken
        away is kept in place deleted, one changed is diffed cell by cell."""
        old = _sections(a)
        return _with_sections(b, lambda i, rows: self.rows(old[i], rows))

    def rows(self, old: list[Any], new: list[Any]) -> list[Any]:
        out: list[Any] = []
        for a, b in _align(old, new, _row_kind, _row_text):
            if a is None or b is None:
                cls, row = (INSERTION, b) if a is None else (DELETION, a)
                cells = [[*cell[:4], self.mark_blocks(cell[4], cls)] for cell in row[1]]
                out.append([row[0], cells])
            elif a == b:
                out.append(b)
            else:
                cells = [
                    [*cell[:4], self.blocks(old_cell[4], cell[4])]
                    for old_cell, cell in zip(a[1], b[1], strict=True)
                ]
                out.append([b[0], cells])
        return out

    def verbatim(self, a: Node | None, b: Node | None) -> Node:
        """A changed code (or raw) block as a paragraph of code lines, the changed lines marked:
        a code block cannot hold change spans, and in DOCX a deleted line must be a tracked
        deletion, not merely look like one."""
        old_lines = _verbatim_lines(a)
        new_lines = _verbatim_lines(b)
        old_attr = _code_attr(a)
        new_attr = _code_attr(b)
        runs: list[tuple[Inlines, str | None, list[str]]] = []  # lines, change, as written
        matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                runs.append((_code_run(new_lines[j1:j2], new_attr), None, []))
                continue
            for cls, lines, code_attr in (
                (DELETION, old_lines[i1:i2], old_attr),
                (INSERTION, new_lines[j1:j2], new_attr),
            ):
                if lines:
                    runs.append((_code_run(lines, code_attr), cls, lines))
        # The line break between a changed run and the unchanged text goes in the change: the
        # one before it (or, at the start, the one after), so accepting or rejecting it leaves
        # no empty line (a block changed whole keeps one after its old lines, when rejected).
        inlines: Inlines = []
        unchanged_seen = took_break = False
        for i, (run, cls, lines) in enumerate(runs):
            if cls is None:
                if inlines and not took_break:
                    inlines.append({"t": "LineBreak"})
                inlines.extend(run)
                unchanged_seen, took_break = True, False
                continue
            if unchanged_seen:
                run = [{"t": "LineBreak"}, *run]
            elif i + 1 < len(runs):  # the old lines before the new, each on their own
                run, took_break = [*run, {"t": "LineBreak"}], True
            words = sum(len(line.split()) for line in lines)
            inlines.extend(self.mark(run, cls, words))
        return {"t": "Para", "c": inlines}

    # -- front matter ---------------------------------------------------------------------------

    def front_matter(self, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
        """`new`'s metadata with its printed prose (title, abstract, keywords…) diffed against
        `old`'s; a field the revision removed is kept, deleted."""
        meta = dict(new)
        lang = base_language(stringify(new.get("lang") or old.get("lang") or "en") or "en")
        for key in PROSE_FIELDS:  # the front matter printed as prose
            a, b = old.get(key), new.get(key)
            if a == b:
                continue
            if a is not None and b is not None and (a["t"] == "MetaMap") != (b["t"] == "MetaMap"):
                # One text become one per language (or back): the text is the paper's language's.
                a, b = _by_language(a, lang), _by_language(b, lang)
            if b is None:
                meta[key] = self.mark_meta(a, DELETION)
            elif a is None:
                meta[key] = self.mark_meta(b, INSERTION)
            else:
                meta[key] = self.meta_pair(a, b)
        return meta

    def meta_pair(self, a: Node, b: Node) -> Node:
        kind = b["t"]
        if a["t"] in _META_TEXT and kind in _META_TEXT:
            return {"t": "MetaInlines", "c": self.inlines(_meta_inlines(a), _meta_inlines(b))}
        if kind == a["t"] == "MetaBlocks":
            return {"t": kind, "c": self.blocks(a["c"], b["c"])}
        if kind == a["t"] == "MetaMap":
            keys = [*b["c"], *(k for k in a["c"] if k not in b["c"])]
            return {
                "t": kind,
                "c": {
                    k: self.meta_pair(a["c"][k], b["c"][k])
                    if k in a["c"] and k in b["c"]
                    else self.mark_meta(
                        b["c"].get(k) or a["c"][k], INSERTION if k in b["c"] else DELETION
                    )
                    for k in keys
                },
            }
        if kind == a["t"] == "MetaList":
            items = []
            for x, y in _align(a["c"], b["c"], _item_kind, stringify):
                if x is None or y is None:
                    items.append(self.mark_meta(y or x, INSERTION if x is None else DELETION))
                else:
                    items.append(y if x == y else self.meta_pair(x, y))
            return {"t": kind, "c": items}
        # Another shape (a list become a text): the new, inserted; the old is not shown.
        return self.mark_meta(b, INSERTION)

    def mark_meta(self, value: Node, cls: str) -> Node:
        kind = value["t"]
        if kind in _META_TEXT:
            return {"t": "MetaInlines", "c": self.mark(_meta_inlines(value), cls)}
        if kind == "MetaBlocks":
            return {"t": kind, "c": self.mark_blocks(value["c"], cls)}
        if kind == "MetaList":
            return {"t": kind, "c": [self.mark_meta(item, cls) for item in value["c"]]}
        if kind == "MetaMap":
            return {"t": kind, "c": {k: self.mark_meta(v, cls) for k, v in value["c"].items()}}
        return value

    # -- inlines --------------------------------------------------------------------------------

    def inlines(self, old: Inlines, new: Inlines) -> Inlines:
        """Word diff: equal runs are `new`'s inlines, changed runs go in one span each.

        The words are matched without the spaces between them, so an unchanged sentence is one
        run however often its words recur; the spaces go with the runs they lie in or between.
        """
        old_at = [i for i, node in enumerate(old) if node["t"] not in _SPACES]
        new_at = [j for j, node in enumerate(new) if node["t"] not in _SPACES]
        matcher = SequenceMatcher(
            None,
            [_token(old[i]) for i in old_at],
            [_token(new[j]) for j in new_at],
            autojunk=False,
        )
        out: Inlines = []
        old_end = new_end = 0  # where the last equal run ended, in `old` and in `new`
        for a, b, size in matcher.get_matching_blocks():
            old_start = old_at[a] if size else len(old)
            new_start = new_at[b] if size else len(new)
            out.extend(self.changed(old[old_end:old_start], new[new_end:new_start]))
            if size:
                old_end, new_end = old_at[a + size - 1] + 1, new_at[b + size - 1] + 1
                out.extend(new[new_start:new_end])
        return out

    def changed(self, old: Inlines, new: Inlines) -> Inlines:
        """What lies between two equal runs: `old`'s words deleted, `new`'s inserted, a space
        both have at either end left unmarked (as `new` has it)."""
        lead: Inlines = []
        tail: Inlines = []
        while old and new and old[0]["t"] in _SPACES and new[0]["t"] in _SPACES:
            lead.append(new[0])
            old, new = old[1:], new[1:]
        while old and new and old[-1]["t"] in _SPACES and new[-1]["t"] in _SPACES:
            tail.insert(0, new[-1])
            old, new = old[:-1], new[:-1]
        if all(node["t"] in _SPACES for node in old + new):
            return [*lead, *new, *tail]  # spacing only: as `new` has it
        if len(old) == 1 and len(new) == 1:
            inner = self.inline_pair(old[0], new[0])
            if inner is not None:
                return [*lead, inner, *tail]
        return [*lead, *self.mark(old, DELETION), *self.mark(new, INSERTION), *tail]

    def inline_pair(self, a: Node, b: Node) -> Node | None:
        """One inline changed into one of its kind, diffed inside; None to show it whole.

        A citation is always whole: a changed key is a different work, and the CSL-rendered
        text of a citation is not the author's to edit.
        """
        kind = b["t"]
        if a["t"] != kind:
            return None
        ca, cb = a["c"], b["c"]
        if kind in _INLINE_WRAPPERS:
            return {"t": kind, "c": self.inlines(ca, cb)}
        if kind in ("Quoted", "Span") and ca[0] == cb[0]:
            return {"t": kind, "c": [cb[0], self.inlines(ca[1], cb[1])]}
        if kind == "Link" and ca[0] == cb[0] and ca[2] == cb[2]:
            return {"t": kind, "c": [cb[0], self.inlines(ca[1], cb[1]), cb[2]]}
        if kind == "Note":
            return {"t": kind, "c": self.blocks(ca, cb)}
        return None


# ---------------------------------------------------------------------------------------------
# Shapes of the awkward blocks


def _verbatim_lines(block: Node | None) -> list[str]:
    return block["c"][1].split("\n") if block is not None else []


def _code_attr(block: Node | None) -> list[Any]:
    if block is None or block["t"] != "CodeBlock":
        return attr()
    _, classes, pairs = block["c"][0]
    return ["", classes, pairs]  # one id would repeat on every line


def _code_run(lines: list[str], code_attr: list[Any]) -> Inlines:
    run: Inlines = []
    for line in lines:
        if run:
            run.append({"t": "LineBreak"})
        run.append({"t": "Code", "c": [code_attr, line]})
    return run


def _table_rows(table: Node) -> Iterable[list[Any]]:
    _, _, _, head, bodies, foot = table["c"]
    yield from head[1]
    for body in bodies:
        yield from body[2]
        yield from body[3]
    yield from foot[1]


def _sections(table: Node) -> list[list[Any]]:
    """The rows of each section: the head's, each body's head and its rows, the foot's."""
    _, _, _, head, bodies, foot = table["c"]
    return [head[1], *[rows for body in bodies for rows in (body[2], body[3])], foot[1]]


def _table_shape(table: Node) -> Any:
    """Sections, rows and cells (with their spans): what must match to diff cell by cell."""
    return [[[(cell[2], cell[3]) for cell in row[1]] for row in rows] for rows in _sections(table)]


def _same_grid(a: Node, b: Node) -> bool:
    """Tables of the same columns and sections, every cell one row and one column: their rows
    can be lined up one for one."""
    if len(a["c"][2]) != len(b["c"][2]) or len(a["c"][4]) != len(b["c"][4]):
        return False
    width = len(b["c"][2])
    return all(
        len(row[1]) == width and all(cell[2] == 1 and cell[3] == 1 for cell in row[1])
        for table in (a, b)
        for row in _table_rows(table)
    )


def _row_kind(_: Any) -> _Kind:
    return _Kind("row")


def _row_text(row: Any) -> str:
    return " | ".join(_text(cell[4]) for cell in row[1])


def _cells(table: Node) -> list[Blocks]:
    return [cell[4] for row in _table_rows(table) for cell in row[1]]


def _with_cells(table: Node, change: Callable[[Blocks], Blocks]) -> Node:
    """A copy of `table` with each cell's blocks replaced by `change(blocks)`, in row order."""

    def rows(_: int, section: list[Any]) -> list[Any]:
        return [
            [row_attr, [[c[0], c[1], c[2], c[3], change(c[4])] for c in cells]]
            for row_attr, cells in section
        ]

    return _with_sections(table, rows)


def _with_sections(table: Node, rows: Callable[[int, list[Any]], list[Any]]) -> Node:
    """A copy of `table` with the rows of its i-th section (as `_sections` counts them)
    replaced by `rows(i, those rows)`."""
    attrs, caption, colspecs, head, bodies, foot = table["c"]
    count = iter(range(2 * len(bodies) + 2))
    return {
        "t": "Table",
        "c": [
            attrs,
            caption,
            colspecs,
            [head[0], rows(next(count), head[1])],
            [
                [body[0], body[1], rows(next(count), body[2]), rows(next(count), body[3])]
                for body in bodies
            ],
            [foot[0], rows(next(count), foot[1])],
        ],
    }


# ---------------------------------------------------------------------------------------------
# Writers' wrappers


def _replace_changes(
    doc: dict[str, Any],
    fmt: str,
    tags: Callable[[str, dict[str, str]], tuple[str, str]],
    frames: dict[str, tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """`doc` with every change span replaced by raw `fmt` markup around its (kept) content;
    with `frames`, each image in a change inside its class's frame."""

    def framed(inlines: Inlines, cls: str) -> Inlines:
        if frames is None:
            return inlines
        opening, closing = frames[cls]
        out: Inlines = []
        for inline in inlines:
            if inline.get("t") == "Image":
                out += [{"t": "RawInline", "c": [fmt, opening]}, inline]
                out.append({"t": "RawInline", "c": [fmt, closing]})
            else:
                out.append(inline)
        return out

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            out = []
            for item in node:
                item = walk(item)
                cls = _change_class(item)
                if cls is None:
                    out.append(item)
                    continue
                opening, closing = tags(cls, dict(item["c"][0][2]))
                out.append({"t": "RawInline", "c": [fmt, opening]})
                out.extend(framed(item["c"][1], cls))
                out.append({"t": "RawInline", "c": [fmt, closing]})
            return out
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        return node

    return {**doc, "meta": walk(doc.get("meta", {})), "blocks": walk(doc.get("blocks", []))}


def _change_class(node: Any) -> str | None:
    if not (isinstance(node, dict) and node.get("t") == "Span"):
        return None
    classes = node["c"][0][1]
    for cls in (DELETION, INSERTION):
        if cls in classes:
            return cls
    return None
