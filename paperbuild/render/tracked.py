"""Tracked changes in a DOCX that accept and reject to exactly one version of the paper.

pandoc's writer tracks a change span's runs (`w:ins`, `w:del`) but not the paragraph marks
around them: after Accept All, a deleted paragraph, heading or list item leaves an empty one
behind (an empty bullet, an empty heading after Reject All); a deleted figure leaves its table
and its caption's label with a Word field that renumbers every later figure. Here a paragraph
whose every word is deleted (or inserted) has its mark deleted (inserted) too, a caption's
label and number go with its text, a table row of such paragraphs goes as a row, and each change
gets an id of its own (pandoc numbers insertions and deletions from 1 each, and the ids must be
unique among a part's annotations).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_CHANGES = (f"{_W}ins", f"{_W}del")
# What a paragraph shows: its words, pictures, fields, tabs, symbols and note marks.
_CONTENT = frozenset(
    f"{_W}{name}"
    for name in (
        "t",
        "delText",
        "drawing",
        "fldSimple",
        "instrText",
        "delInstrText",
        "tab",
        "sym",
        "footnoteReference",
        "endnoteReference",
        "object",
        "pict",
    )
)
# pandoc's caption styles: their label ("Figure 1: ") is not in the caption's change span.
_CAPTIONS = frozenset({"ImageCaption", "TableCaption"})
_HOLDING = (*_CHANGES, f"{_W}hyperlink")
# Elements that may follow rPr in a paragraph's properties, and tblPrEx before trPr in a row.
_AFTER_RPR = frozenset({f"{_W}sectPr", f"{_W}pPrChange"})


def whole_changes(data: bytes) -> bytes:
    """`data`, a part's XML (the document's, the footnotes'), with its wholly changed paragraphs
    and rows tracked as such; untouched if it has no tracked change."""
    if b"<w:ins " not in data and b"<w:del " not in data:
        return data
    root = etree.fromstring(data)
    for paragraph in list(root.iter(f"{_W}p")):
        change = _whole(paragraph)
        if change is None and _style(paragraph) in _CAPTIONS:
            change = _caption(paragraph)
        if change is not None:
            _end_bookmarks_before(paragraph)
            _mark_paragraph(paragraph, change)
    for row in list(root.iter(f"{_W}tr")):
        _mark_row(row)
    _renumber(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _end_bookmarks_before(paragraph: Any) -> None:
    """A bookmark running into the paragraph, or over it, from before it (a figure's id, from
    its table to its caption) made to end before it: LibreOffice stops on accepting the deletion
    of a mark such a bookmark ends behind."""
    started = {node.get(f"{_W}id") for node in paragraph.iter(f"{_W}bookmarkStart")}
    ends = list(paragraph.iter(f"{_W}bookmarkEnd"))
    after = paragraph.getnext()
    while after is not None and after.tag == f"{_W}bookmarkEnd":  # those ending right behind
        ends.append(after)
        after = after.getnext()
    for end in ends:
        if end.get(f"{_W}id") not in started:
            paragraph.addprevious(end)


def _whole(paragraph: Any) -> Any | None:
    """The `w:ins` or `w:del` that all of the paragraph's (or an element's) content is in, or
    None."""
    found = None
    for node in paragraph.iter(*_CONTENT):
        if node.tag == f"{_W}t" and not (node.text or "").strip():
            continue  # a space between two changes is no content of its own
        change = _change_around(node, paragraph)
        if change is None or (found is not None and change.tag != found.tag):
            return None
        found = found if found is not None else change
    return found


def _change_around(node: Any, paragraph: Any) -> Any | None:
    for ancestor in node.iterancestors():
        if ancestor is paragraph:
            return None
        if ancestor.tag in _CHANGES:
            return ancestor
    return None


def _style(paragraph: Any) -> str | None:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return style.get(f"{_W}val") if style is not None else None


def _caption(paragraph: Any) -> Any | None:
    """A caption whose text is wholly changed: its label runs and number field join the change
    (the text without them would leave "Figure 18: " behind, renumbering every later figure)."""
    children = list(paragraph)
    fields = [i for i, child in enumerate(children) if child.tag == f"{_W}fldSimple"]
    if not fields:
        return None
    label_end = fields[0] + 1
    while label_end < len(children) and children[label_end].tag != f"{_W}r":
        label_end += 1  # the bookmark's end, between the number and ": "
    label = [c for c in children[: label_end + 1] if c.tag in (f"{_W}r", f"{_W}fldSimple")]
    rest = [c for c in children if c not in label and c.tag != f"{_W}pPr"]
    # A citation or link in the caption is a hyperlink holding its change (see worddiff).
    changes = [c if c.tag in _CHANGES else _whole(c) for c in rest if c.tag in _HOLDING]
    if not changes or any(c is None or c.tag != changes[0].tag for c in changes):
        return None
    if any(c.tag not in (*_HOLDING, f"{_W}bookmarkStart", f"{_W}bookmarkEnd") for c in rest):
        return None
    change = changes[0]
    for node in label:
        wrapper = etree.Element(change.tag, dict(change.attrib))
        node.addprevious(wrapper)
        runs = _field_runs(node) if node.tag == f"{_W}fldSimple" else [node]
        for run in runs:
            wrapper.append(run)  # a run moves into the change; a field's are made anew
            if change.tag == f"{_W}del":
                _as_deleted(run)
        if node.tag == f"{_W}fldSimple":
            paragraph.remove(node)
    return change


def _field_runs(field: Any) -> list[Any]:
    """A simple field as the complex field it stands for: runs, which a change may hold."""

    def run(*children: Any) -> Any:
        element = etree.Element(f"{_W}r")
        element.extend(children)
        return element

    def char(kind: str) -> Any:
        return etree.Element(f"{_W}fldChar", {f"{_W}fldCharType": kind})

    instruction = etree.Element(f"{_W}instrText")
    instruction.text = field.get(f"{_W}instr")
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    result = [child for child in field if child.tag == f"{_W}r"]
    return [run(char("begin")), run(instruction), run(char("separate")), *result, run(char("end"))]


def _as_deleted(run: Any) -> None:
    for text in run.iter(f"{_W}t", f"{_W}instrText"):
        text.tag = f"{_W}delText" if text.tag == f"{_W}t" else f"{_W}delInstrText"


def _mark_paragraph(paragraph: Any, change: Any) -> None:
    properties = paragraph.find(f"{_W}pPr")
    if properties is None:
        properties = etree.Element(f"{_W}pPr")
        paragraph.insert(0, properties)
    run_properties = properties.find(f"{_W}rPr")
    if run_properties is None:
        run_properties = etree.Element(f"{_W}rPr")
        later = next((c for c in properties if c.tag in _AFTER_RPR), None)
        if later is None:
            properties.append(run_properties)
        else:
            later.addprevious(run_properties)
    if run_properties.find(change.tag) is None:
        run_properties.append(etree.Element(change.tag, dict(change.attrib)))


def _mark_row(row: Any) -> None:
    """A row whose every paragraph's mark is changed, the same way, goes as a row."""
    # An empty cell's paragraph has no change to mark: the others decide.
    marks = [
        p.find(f"{_W}pPr/{_W}rPr")
        for p in row.iter(f"{_W}p")
        if next(p.iter(*_CONTENT), None) is not None
    ]
    kinds = {
        next((c.tag for c in mark if c.tag in _CHANGES), None) if mark is not None else None
        for mark in marks
    }
    if not marks or len(kinds) != 1 or None in kinds:
        return
    (kind,) = kinds
    change = next(c for mark in marks for c in mark if c.tag == kind)
    properties = row.find(f"{_W}trPr")
    if properties is None:
        properties = etree.Element(f"{_W}trPr")
        exceptions = row.find(f"{_W}tblPrEx")
        if exceptions is None:
            row.insert(0, properties)
        else:
            exceptions.addnext(properties)
    if properties.find(kind) is None:
        properties.append(etree.Element(kind, dict(change.attrib)))


def _renumber(root: Any) -> None:
    """Every change its own id, after the part's other annotations' (its bookmarks')."""
    taken = [
        int(node.get(f"{_W}id"))
        for node in root.iter(f"{_W}bookmarkStart", f"{_W}commentRangeStart")
        if (node.get(f"{_W}id") or "").isdigit()
    ]
    number = max(taken, default=0)
    for node in root.iter(*_CHANGES):
        number += 1
        node.set(f"{_W}id", str(number))
