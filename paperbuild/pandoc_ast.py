"""Small helpers over pandoc's JSON AST: constructors, a walker, text extraction.

The AST is kept as plain JSON (dicts and lists) so it can be cached in build/ and handed back to
pandoc unchanged; these helpers only spare the rest of the code from spelling its shape out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

Node = dict[str, Any]
Inlines = list[Node]
Blocks = list[Node]

_SPACES = ("Space", "SoftBreak", "LineBreak")
# Inline elements that only style their content (an inline list).
STYLES = frozenset(
    {"Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps"}
)
# Every inline element: a list whose first item is one of these is a list of inlines.
INLINES = STYLES | {
    "Str",
    "Quoted",
    "Cite",
    "Code",
    "Space",
    "SoftBreak",
    "LineBreak",
    "Math",
    "RawInline",
    "Link",
    "Image",
    "Note",
    "Span",
}
_BLANKS = re.compile(r"([ \t\r\n]+)")


def Str(text: str) -> Node:
    return {"t": "Str", "c": text}


def Space() -> Node:
    return {"t": "Space"}


def Plain(inlines: Inlines) -> Node:
    return {"t": "Plain", "c": inlines}


def Para(inlines: Inlines) -> Node:
    return {"t": "Para", "c": inlines}


def Div(
    blocks: Blocks,
    ident: str = "",
    classes: list[str] | None = None,
    attrs: dict[str, str] | None = None,
) -> Node:
    return {"t": "Div", "c": [attr(ident, classes, attrs), blocks]}


def Span(
    inlines: Inlines,
    ident: str = "",
    classes: list[str] | None = None,
    attrs: dict[str, str] | None = None,
) -> Node:
    return {"t": "Span", "c": [attr(ident, classes, attrs), inlines]}


def RawBlock(fmt: str, text: str) -> Node:
    return {"t": "RawBlock", "c": [fmt, text]}


def Link(inlines: Inlines, url: str) -> Node:
    return {"t": "Link", "c": [attr(), inlines, [url, ""]]}


def attr(
    ident: str = "", classes: list[str] | None = None, attrs: dict[str, str] | None = None
) -> list[Any]:
    return [ident, list(classes or []), [[k, v] for k, v in (attrs or {}).items()]]


def text_inlines(text: str) -> Inlines:
    """Plain text as Str/Space inlines (no Markdown interpretation).

    Only ASCII blanks become Space: a no-break space stays inside its Str, as pandoc keeps it.
    """
    out: Inlines = []
    for piece in _BLANKS.split(text):
        if not piece:
            continue
        out.append(Space() if _BLANKS.fullmatch(piece) else Str(piece))
    return out


def stringify(node: Any) -> str:
    """The text of a node, as pandoc's `stringify` gives it."""
    parts: list[str] = []

    def visit(item: Any) -> None:
        if isinstance(item, list):
            for child in item:
                visit(child)
        elif isinstance(item, dict):
            kind = item.get("t")
            if kind == "Str" or kind == "MetaString":
                parts.append(item["c"])
            elif kind in _SPACES:
                parts.append(" ")
            elif kind in ("Code", "Math", "RawInline"):
                parts.append(item["c"][1])
            elif kind == "MetaBool":
                parts.append("true" if item["c"] else "false")
            elif kind in ("Link", "Image") or kind in ("Span", "Div") or kind == "Cite":
                visit(item["c"][1])
            elif kind == "Quoted":
                double = item["c"][0]["t"] == "DoubleQuote"
                parts.append("\u201c" if double else "\u2018")
                visit(item["c"][1])
                parts.append("\u201d" if double else "\u2019")
            elif kind == "Note":
                return
            elif "c" in item:
                visit(item["c"])

    visit(node)
    return "".join(parts)


def elements(node: Any, *kinds: str) -> list[Node]:
    """Every element of the given kinds below `node`, in document order (parents first).

    This walk is the hot loop of a book-sized check, hence the plain stack and type tests.
    """
    wanted = set(kinds)
    found: list[Node] = []
    stack = [node]
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is list:
            extend(reversed(item))
        elif kind is dict:
            tag = item.get("t")
            if tag is None:  # a MetaMap's mapping or a Citation record
                extend(reversed(list(item.values())))
                continue
            if tag in wanted:
                found.append(item)
            content = item.get("c")
            if type(content) is list or type(content) is dict:
                push(content)
    return found


def remove(node: Any, kinds: set[str]) -> list[Node]:
    """Take every element of `kinds` out of the lists below `node`; return what was taken."""
    removed: list[Node] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if type(item) is list:
            kept = []
            for child in item:
                if type(child) is dict and child.get("t") in kinds:
                    removed.append(child)
                else:
                    kept.append(child)
                    stack.append(child)
            item[:] = kept
        elif type(item) is dict:
            content = item.get("c") if "t" in item else list(item.values())
            if type(content) is list or type(content) is dict:
                stack.append(content)
    return removed


# Schemes that run what follows them when the link is followed.
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")
# What a data: link may hold and stay inert: a picture (not SVG, which may hold script).
_INERT_DATA = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")


def remove_script(node: Any) -> list[str]:
    """Take out of everything below `node` what would run script in a browser: event-handler
    attributes (`onclick`, `onerror`, …, on any element) and links to `javascript:` or to a
    data: page (their text stays). Return what was taken, as written: `onclick="…"`, the URL."""
    removed: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            if item.get("t") == "Link" and runs_script(item["c"][2][0]):
                removed.append(item["c"][2][0])
                item["t"], item["c"] = "Span", item["c"][:2]
            stack.extend(v for v in reversed(item.values()) if type(v) in (list, dict))
        elif type(item) is list:
            if _is_attr(item):
                handlers = [kv for kv in item[2] if kv[0].strip().lower().startswith("on")]
                removed.extend(f'{k}="{v}"' for k, v in handlers)
                item[2] = [kv for kv in item[2] if kv not in handlers]
            stack.extend(v for v in reversed(item) if type(v) in (list, dict))
    return removed


def runs_script(url: str) -> bool:
    """Whether following the link runs script. Read as a browser reads a URL: control
    characters and spaces before it dropped, tabs and line breaks in it too, any case."""
    seen = re.sub(r"[\t\n\r]", "", url.lstrip("".join(map(chr, range(0x21))))).lower()
    if seen.startswith("data:"):
        return not seen.startswith(_INERT_DATA)
    return seen.startswith(_SCRIPT_SCHEMES)


def _is_attr(item: list[Any]) -> bool:
    """An element's attributes: [identifier, [classes], [[key, value], …]]."""
    return (
        len(item) == 3
        and type(item[0]) is str
        and type(item[1]) is list
        and type(item[2]) is list
        and all(type(kv) is list and len(kv) == 2 for kv in item[2])
    )


Path = list[int | str]


def paths_to(root: Any, targets: list[Node]) -> list[Path]:
    """Where each of `targets` (elements other than text) is below `root`: the keys and
    indexes that lead to it. Like `elements`, a walk of a whole book: words and spaces, which
    are most of it and hold nothing, are passed over."""
    if not targets:
        return []
    wanted = {id(node): i for i, node in enumerate(targets)}
    found: list[Path | None] = [None] * len(targets)
    left = len(targets)
    # Each entry links to its parent's: a path is spelt out only for a target, not per node.
    stack: list[tuple[Any, Any]] = [(root, None)]
    pop, push = stack.pop, stack.append
    while stack and left:
        item, link = pop()
        if type(item) is list:
            for i, child in enumerate(item):
                kind = type(child)
                if kind is dict:
                    if child.get("t") not in _TEXT:
                        push((child, (link, i)))
                elif kind is list:
                    push((child, (link, i)))
            continue
        index = wanted.get(id(item))
        if index is not None and found[index] is None:
            found[index] = _spelt(link)
            left -= 1
        if "t" in item:
            content = item.get("c")
            if type(content) is list or type(content) is dict:
                push((content, (link, "c")))
        else:  # a MetaMap's mapping or a Citation record
            for key, child in item.items():
                if type(child) is list or type(child) is dict:
                    push((child, (link, key)))
    if left:
        raise ValueError("a target is not below the root")
    return [path for path in found if path is not None]


_TEXT = frozenset({"Str", "Space", "SoftBreak", "LineBreak"})


def _spelt(link: Any) -> Path:
    path: list[str | int] = []
    while link is not None:
        link, step = link
        path.append(step)
    return path[::-1]


def at(root: Any, path: Path) -> Any:
    """The node `path` (from `paths_to`) leads to."""
    for step in path:
        root = root[step]
    return root


def blocks_in_order(blocks: Blocks) -> Iterator[Any]:
    """Every block, in reading order, through the blocks that hold blocks (not into text)."""
    for block in blocks:
        yield block
        kind, content = block["t"], block.get("c")
        if kind == "Div":
            yield from blocks_in_order(content[1])
        elif kind == "BlockQuote":
            yield from blocks_in_order(content)
        elif kind == "BulletList":
            for item in content:
                yield from blocks_in_order(item)
        elif kind == "OrderedList":
            for item in content[1]:
                yield from blocks_in_order(item)
        elif kind == "DefinitionList":
            for _term, definitions in content:
                for definition in definitions:
                    yield from blocks_in_order(definition)
        elif kind == "Figure":
            yield from blocks_in_order(content[2])
