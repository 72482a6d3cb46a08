"""Word-level diffs of two pandoc documents, written by pandoc's own writers.

The documents are pandoc's reading of Markdown (with citeproc where references matter), so the
diff meets the same Str/Space/SoftBreak runs, Cites and reference Divs a build gives it. The
outputs are read back with real parsers: the DOCX's WordprocessingML with lxml, the HTML with
lxml.html, the Typst through the Typst compiler and pypdf. The properties build their paragraphs
with `text_inlines`: a pandoc run per example would be too slow.
"""

from __future__ import annotations

import copy
import functools
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import lxml.html
import pypdf
import pytest
import typst
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from paperbuild import pandoc, worddiff
from paperbuild.pandoc_ast import Node, Para, elements, stringify, text_inlines
from paperbuild.worddiff import Counts

AUTHOR = "Reviewer Two"
DATE = "2024-05-01T00:00:00Z"
CHANGE_ATTRS = [["author", AUTHOR], ["date", DATE]]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# ---------------------------------------------------------------------------------------------
# Helpers


@functools.cache
def _pandoc_json(md: str, citeproc: bool) -> str:
    args = ["--from", "markdown", "--to", "json", *(["--citeproc"] if citeproc else [])]
    return pandoc.run(args, data=md.encode("utf-8")).output.decode("utf-8")


def ast(md: str, citeproc: bool = False) -> dict[str, Any]:
    return json.loads(_pandoc_json(md, citeproc))


def run_diff(old_md: str, new_md: str, citeproc: bool = False) -> tuple[dict, Counts, dict, dict]:
    old, new = ast(old_md, citeproc), ast(new_md, citeproc)
    doc, counts = worddiff.diff(old, new, author=AUTHOR, date=DATE)
    return doc, counts, old, new


def changes(node: Any, cls: str) -> list[Node]:
    return [s for s in elements(node, "Span") if cls in s["c"][0][1]]


def texts(node: Any, cls: str) -> list[str]:
    return [stringify(span["c"][1]) for span in changes(node, cls)]


def side(node: Any, drop: str) -> Any:
    """One version back from the diff: spans of class `drop` removed, the others unwrapped."""
    if isinstance(node, list):
        out = []
        for item in node:
            item = side(item, drop)
            if isinstance(item, dict) and item.get("t") == "Span":
                classes = item["c"][0][1]
                if drop in classes:
                    continue
                if {"deletion", "insertion"} & set(classes):
                    out.extend(item["c"][1])
                    continue
            out.append(item)
        return out
    if isinstance(node, dict):
        return {key: side(value, drop) for key, value in node.items()}
    return node


def accepted(doc: dict) -> Any:
    return side(doc["blocks"], drop="deletion")


def rejected(doc: dict) -> Any:
    return side(doc["blocks"], drop="insertion")


def words(node: Any) -> list[str]:
    """The words of `node`, but not an image's alt text: the diff keeps new's image (and its
    alt text, a figure's caption) whenever the picture is the same."""
    images = {id(s) for image in elements(node, "Image") for s in elements(image["c"][1], "Str")}
    return [s["c"] for s in elements(node, "Str") if id(s) not in images]


def one_para_doc(text: str) -> dict:
    return {
        "pandoc-api-version": pandoc.API_VERSION,
        "meta": {},
        "blocks": [Para(text_inlines(text))],
    }


# ---------------------------------------------------------------------------------------------
# Paragraphs


RICH = """\
# Introduction

The quick brown fox jumps over the lazy dog [@a].^[A footnote, with words.]

- one
- two

| A | B |
|---|---|
| 1 | 2 |

```python
x = 1
```

> Quoted *text*.
"""


def test_unchanged_document_has_no_changes_and_the_same_blocks() -> None:
    doc, counts, _, new = run_diff(RICH, RICH)
    assert counts == Counts(inserted=0, deleted=0)
    assert doc["blocks"] == new["blocks"]
    assert doc["meta"] == new["meta"]
    assert not elements(doc, "Span")


def test_one_changed_word_is_one_deletion_and_one_insertion() -> None:
    doc, counts, old, new = run_diff("The quick brown fox.\n", "The quick red fox.\n")
    assert counts == Counts(inserted=1, deleted=1)
    [deletion] = changes(doc, "deletion")
    [insertion] = changes(doc, "insertion")
    assert deletion["c"] == [["", ["deletion"], CHANGE_ATTRS], [{"t": "Str", "c": "brown"}]]
    assert insertion["c"] == [["", ["insertion"], CHANGE_ATTRS], [{"t": "Str", "c": "red"}]]
    # Unchanged text is new's own inlines; accepting gives new back, rejecting gives old.
    assert accepted(doc) == new["blocks"]
    assert rejected(doc) == old["blocks"]


def test_diff_leaves_its_inputs_alone() -> None:
    old, new = ast("Alpha beta gamma.\n"), ast("Alpha delta gamma.\n\nMore.\n")
    before = copy.deepcopy((old, new))
    doc, _ = worddiff.diff(old, new, AUTHOR, DATE)
    doc["blocks"][0]["c"].clear()
    assert (old, new) == before


def test_replaced_run_of_words_is_one_span_each_not_a_patchwork() -> None:
    doc, counts, _, _ = run_diff("Keep a b c keep.\n", "Keep x y z keep.\n")
    assert texts(doc, "deletion") == ["a b c"]
    assert texts(doc, "insertion") == ["x y z"]
    assert counts == Counts(inserted=3, deleted=3)


@pytest.mark.parametrize(
    ("old_md", "new_md", "deleted", "inserted"),
    [
        # The words of an unchanged sentence recur in a deleted one: it was matched word by
        # word on their first use, and shown deleted and inserted though nothing changed.
        (
            "Counts fell in May. Counts rose in June. Counts were flat in July.\n",
            "Counts rose in June. Counts were flat in July.\n",
            ["Counts fell in May. "],
            [],
        ),
        (
            "Rain matters in 2019. Cyclists stay home when it pours and roads are wet. "
            "Wind matters in 2019. Snow is rare.\n",
            "Rain matters in 2020. Cyclists stay home when it pours and roads are wet. "
            "Wind matters in 2019. Snow is rare.\n",
            ["2019."],
            ["2020."],
        ),
        ("A b c d.\n", "A b c.\n", ["c d."], ["c."]),  # punctuation is part of its word
        ("Keep this. Drop the end\n", "Keep this.\n", [" Drop the end"], []),
        ("Start here. Middle\n", "New start. Start here. Middle\n", [], ["New start. "]),
    ],
)
def test_recurring_words_do_not_pull_unchanged_text_into_the_change(
    old_md: str, new_md: str, deleted: list[str], inserted: list[str]
) -> None:
    doc, counts, old, new = run_diff(old_md, new_md)
    assert texts(doc, "deletion") == deleted
    assert texts(doc, "insertion") == inserted
    words = [sum(len(text.split()) for text in marked) for marked in (inserted, deleted)]
    assert counts == Counts(*words)
    assert accepted(doc) == new["blocks"]
    assert rejected(doc) == old["blocks"]


def test_inserted_paragraph_is_one_insertion() -> None:
    old = "First paragraph.\n\nLast paragraph.\n"
    new = "First paragraph.\n\nA brand new one.\n\nLast paragraph.\n"
    doc, counts, _, new_doc = run_diff(old, new)
    assert counts == Counts(inserted=4, deleted=0)
    assert texts(doc, "insertion") == ["A brand new one."]
    assert not changes(doc, "deletion")
    assert doc["blocks"][0] == new_doc["blocks"][0]
    assert doc["blocks"][2] == new_doc["blocks"][2]


def test_deleted_paragraph_is_kept_in_place_as_one_deletion() -> None:
    old = "First paragraph.\n\nGone for good.\n\nLast paragraph.\n"
    new = "First paragraph.\n\nLast paragraph.\n"
    doc, counts, old_doc, _ = run_diff(old, new)
    assert counts == Counts(inserted=0, deleted=3)
    assert [b["t"] for b in doc["blocks"]] == ["Para", "Para", "Para"]
    assert doc["blocks"][1]["c"] == changes(doc, "deletion")
    assert texts(doc, "deletion") == ["Gone for good."]
    assert rejected(doc) == old_doc["blocks"]


def test_edited_paragraph_is_not_diffed_against_an_inserted_neighbour() -> None:
    old = "Results were good in every trial we ran.\n"
    new = "Results were good in every test we ran.\n\nSomething else entirely, unrelated.\n"
    doc, counts, _, _ = run_diff(old, new)
    assert texts(doc, "deletion") == ["trial"]
    assert texts(doc, "insertion") == ["test", "Something else entirely, unrelated."]
    assert counts == Counts(inserted=5, deleted=1)


def test_changed_emphasis_and_footnote_are_diffed_inside() -> None:
    old = "Some *emphasised old words* here.^[A note with old words.]\n"
    new = "Some *emphasised new words* here.^[A note with new words.]\n"
    doc, counts, _, new_doc = run_diff(old, new)
    assert counts == Counts(inserted=2, deleted=2)
    [emph] = elements(doc, "Emph")
    assert texts(emph, "deletion") == ["old"] and texts(emph, "insertion") == ["new"]
    [note] = elements(doc, "Note")
    assert texts(note, "deletion") == ["old"] and texts(note, "insertion") == ["new"]
    assert accepted(doc) == new_doc["blocks"]


# ---------------------------------------------------------------------------------------------
# Citations and the reference list


def test_changed_citation_is_the_old_cite_deleted_and_the_new_inserted() -> None:
    doc, counts, _, _ = run_diff("As shown [@a], it works.\n", "As shown [@b], it works.\n")
    assert counts == Counts(inserted=1, deleted=1)
    [deletion] = changes(doc, "deletion")
    [insertion] = changes(doc, "insertion")
    assert [c["c"][0][0]["citationId"] for c in elements(deletion, "Cite")] == ["a"]
    assert [c["c"][0][0]["citationId"] for c in elements(insertion, "Cite")] == ["b"]


def test_citation_counters_alone_are_no_change() -> None:
    # A citation added early renumbers every later Cite's citationNoteNum.
    doc, counts, _, _ = run_diff("Text here.\n\nLater [@b].\n", "Text [@a] here.\n\nLater [@b].\n")
    assert counts == Counts(inserted=1, deleted=0)
    assert not changes(doc["blocks"][1], "insertion")


REFERENCES = """\
---
references:
- id: a
  type: book
  title: TITLE
  author: [{family: Smith, given: John}]
  issued: {date-parts: [[2020]]}
- id: b
  type: book
  title: Bravo book
  author: [{family: Brown, given: Bob}]
  issued: {date-parts: [[2019]]}
- id: c
  type: book
  title: Charlie book
  author: [{family: Clark, given: Carl}]
  issued: {date-parts: [[2018]]}
---

See CITES.
"""


def _with_references(title: str, cites: str) -> str:
    return REFERENCES.replace("TITLE", title).replace("CITES", cites)


def test_reference_list_diffs_entry_by_entry() -> None:
    old = _with_references("Old title words", "[@a] and [@b]")
    new = _with_references("New title words", "[@a] and [@c]")
    doc, _, _, new_doc = run_diff(old, new, citeproc=True)
    [refs] = [d for d in elements(doc, "Div") if d["c"][0][0] == "refs"]
    entries = {entry["c"][0][0]: entry for entry in refs["c"][1]}
    assert set(entries) == {"ref-a", "ref-b", "ref-c"}
    # The retitled work is one entry with a word changed, not a deleted and an inserted entry.
    assert texts(entries["ref-a"], "deletion") == ["Old"]
    assert texts(entries["ref-a"], "insertion") == ["New"]
    assert texts(entries["ref-b"], "deletion") == [stringify(entries["ref-b"])]
    assert not changes(entries["ref-b"], "insertion")
    assert texts(entries["ref-c"], "insertion") == [stringify(entries["ref-c"])]
    assert words(accepted(doc)) == words(new_doc["blocks"])


# ---------------------------------------------------------------------------------------------
# Other blocks


def test_headers_are_diffed_when_their_level_is_kept() -> None:
    doc, counts, _, new = run_diff("# Intro\n\nText.\n", "# Introduction\n\nText.\n")
    header = doc["blocks"][0]
    assert header["t"] == "Header" and header["c"][:2] == new["blocks"][0]["c"][:2]
    assert texts(header, "deletion") == ["Intro"] and texts(header, "insertion") == ["Introduction"]
    assert counts == Counts(inserted=1, deleted=1)


def test_header_with_a_new_level_is_deleted_and_inserted_without_a_duplicate_id() -> None:
    doc, _, _, _ = run_diff("## Methods\n\nText.\n", "### Methods\n\nText.\n")
    old_header, new_header = doc["blocks"][:2]
    assert (old_header["c"][0], new_header["c"][0]) == (2, 3)
    assert texts(old_header, "deletion") == ["Methods"]
    assert texts(new_header, "insertion") == ["Methods"]
    assert old_header["c"][1][0] == "" and new_header["c"][1][0] == "methods"


def test_list_items_are_aligned_and_diffed() -> None:
    old = "- apples\n- pears\n- plums\n- figs\n"
    new = "- apples\n- ripe pears\n- figs\n- dates\n"
    doc, counts, _, _ = run_diff(old, new)
    [bullets] = doc["blocks"]
    items = [stringify(side(item, "deletion")) for item in bullets["c"]]
    assert bullets["t"] == "BulletList"
    assert items == ["apples", "ripe pears", "", "figs", "dates"]
    assert texts(bullets["c"][1], "insertion") == ["ripe "]
    assert texts(bullets["c"][2], "deletion") == ["plums"]
    assert texts(bullets["c"][4], "insertion") == ["dates"]
    assert counts == Counts(inserted=2, deleted=1)


def test_ordered_list_keeps_new_numbering() -> None:
    doc, _, _, new = run_diff("3. one\n4. two\n", "5. one\n6. too\n")
    assert doc["blocks"][0]["c"][0] == new["blocks"][0]["c"][0]
    assert texts(doc, "deletion") == ["two"] and texts(doc, "insertion") == ["too"]


def test_changed_table_cell_is_diffed_in_place() -> None:
    old = "| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n"
    new = "| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 5 |\n"
    doc, counts, _, new_doc = run_diff(old, new)
    assert [b["t"] for b in doc["blocks"]] == ["Table"]
    assert texts(doc, "deletion") == ["4"] and texts(doc, "insertion") == ["5"]
    assert counts == Counts(inserted=1, deleted=1)
    assert accepted(doc) == new_doc["blocks"]


def test_a_row_added_and_one_taken_away_are_marked_in_one_table() -> None:
    """The whole table was shown deleted and inserted, as two numbered tables."""
    head = "| City | Count |\n|---|---|\n"
    old = head + "| Almaty | 1 |\n| Astana | 2 |\n| Shymkent | 3 |\n\n: Cities.\n"
    new = head + "| Almaty | 1 |\n| Shymkent | 5 |\n| Aktobe | 4 |\n\n: Cities.\n"
    doc, counts, old_doc, new_doc = run_diff(old, new)
    [table] = doc["blocks"]
    assert table["t"] == "Table"

    def rows(blocks: Any) -> list[list[str]]:
        """Each body row's cells, a row left with no text (the other version's) left out."""
        found = [[stringify(cell[4]) for cell in row[1]] for row in blocks[0]["c"][4][0][3]]
        return [row for row in found if any(row)]

    assert rows([table]) == [["Almaty", "1"], ["Astana", "2"], ["Shymkent", "35"], ["Aktobe", "4"]]
    assert texts(table, "deletion") == ["Astana", "2", "3"]
    assert texts(table, "insertion") == ["5", "Aktobe", "4"]
    assert counts == Counts(inserted=3, deleted=3)
    assert rows(accepted(doc)) == rows(new_doc["blocks"])
    assert rows(rejected(doc)) == rows(old_doc["blocks"])


def test_table_with_another_shape_is_shown_deleted_and_inserted(tmp_path: Path) -> None:
    old = "| A | B |\n|---|---|\n| 1 | 2 |\n"
    new = "| A | B | C |\n|---|---|---|\n| 1 | 2 | 3 |\n"
    doc, counts, _, _ = run_diff(old, new)
    assert [b["t"] for b in doc["blocks"]] == ["Table", "Table"]
    assert counts == Counts(inserted=6, deleted=4)
    pandoc.convert(doc, "docx", ["--output", str(tmp_path / "t.docx")], cwd=tmp_path)
    assert (
        "<table"
        in pandoc.convert(worddiff.for_html(doc), "html5", [], cwd=tmp_path).output.decode()
    )


def test_changed_code_block_marks_its_changed_lines() -> None:
    old = "```python\nx = 1\ny = 2\n```\n"
    new = "```python\nx = 1\ny = 3\n```\n"
    doc, counts, _, _ = run_diff(old, new)
    [para] = doc["blocks"]
    assert para["t"] == "Para"
    deleted, inserted = texts(para, "deletion"), texts(para, "insertion")
    assert [t.strip() for t in deleted + inserted] == ["y = 2", "y = 3"]
    assert counts == Counts(inserted=3, deleted=3)
    # The line break before a changed line is in its change: accepting or rejecting it left an
    # empty line.
    for version in (accepted(doc), rejected(doc)):
        breaks = [i for i in version[0]["c"] if i["t"] == "LineBreak"]
        assert len(breaks) == 1


@pytest.mark.parametrize(
    ("old", "new"),
    [("a\nb\nc", "a\nB\nc"), ("a\nb", "A\nb"), ("a\nb", "a\nB"), ("a", "b")],
)
def test_a_changed_code_block_accepts_and_rejects_to_its_lines(old: str, new: str) -> None:
    doc, _, _, _ = run_diff(f"```\n{old}\n```\n", f"```\n{new}\n```\n")
    if "\n" not in old + new:  # the old line and the new, each a line of its own
        inlines = [i for i in elements(doc["blocks"], "Code", "LineBreak")]
        assert [i["t"] for i in inlines] == ["Code", "LineBreak", "Code"]
    for version, lines in ((accepted(doc), new), (rejected(doc), old)):
        shown = [stringify(i) if i["t"] != "LineBreak" else "\n" for i in version[0]["c"]]
        # A block changed whole keeps a break after its old lines: on lines of their own.
        assert "".join(shown).removesuffix("\n" if "\n" not in old else "") == lines


OLD_EVERYTHING = """\
# Title words

Para one with *emph* and `code` and $x^2$ and [a link](http://a.example).^[Note one.]

> Quoted text here.

Term
:   Its definition.

| line one
| line two

::: {#box .note}
Inside a div.
:::

---

1. first
2. second

![Figure caption](figure.svg)

```
code here
```

Closing words.
"""

NEW_EVERYTHING = """\
# Title phrase

Para one with *strong emph* and `code2` and $y^2$ and [a link](http://b.example).^[Note two.]

> Quoted words here.

Term
:   Its new definition.

Second term
:   Another.

| line one
| line 2

::: {#box .note}
Inside the div.
:::

1. first
2. second
3. third

![New caption](figure.svg)

Closing words, extended.

- / x and - y
- (brackets] and #hash
"""


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<rect width="9" height="9"/></svg>'
)


def test_every_block_kind_diffs_and_round_trips() -> None:
    doc, counts, old, new = run_diff(OLD_EVERYTHING, NEW_EVERYTHING)
    assert words(accepted(doc)) == words(new["blocks"])
    assert words(rejected(doc)) == words(old["blocks"])
    assert counts == Counts(inserted=26, deleted=13)  # words of the marked text
    # A changed caption is a change of the caption, not of the image (whose alt text it is).
    [figure] = elements(doc, "Figure")
    assert len(elements(figure, "Image")) == 1
    assert texts(figure, "deletion") == ["Figure"] and texts(figure, "insertion") == ["New"]


# ---------------------------------------------------------------------------------------------
# What the writers make of it


def test_docx_has_tracked_insertions_and_deletions(tmp_path: Path) -> None:
    doc, _, _, _ = run_diff(
        "The quick brown fox.\n\nGone paragraph.\n", "The quick red fox.\n\nNew paragraph here.\n"
    )
    path = tmp_path / "diff.docx"
    pandoc.convert(doc, "docx", ["--output", str(path)], cwd=tmp_path)
    with zipfile.ZipFile(path) as docx:
        root = etree.fromstring(docx.read("word/document.xml"))
    insertions = root.iter(f"{W}ins")
    deletions = root.iter(f"{W}del")
    inserted = {"".join(i.itertext()) for i in insertions if i.get(f"{W}author") == AUTHOR}
    deleted = {
        "".join(t.text or "" for t in d.iter(f"{W}delText"))
        for d in deletions
        if d.get(f"{W}author") == AUTHOR and d.get(f"{W}date") == DATE
    }
    assert {"red", "New paragraph here."} <= inserted
    assert {"brown", "Gone paragraph."} <= deleted
    # Deleted text is only in w:delText, never left as live text.
    live = "".join(t.text or "" for t in root.iter(f"{W}t"))
    assert "brown" not in live and "Gone" not in live


def test_html_has_ins_and_del(tmp_path: Path) -> None:
    doc, _, _, _ = run_diff("The quick brown fox.\n", "The quick red & tan fox.\n")
    html = pandoc.convert(worddiff.for_html(doc), "html5", [], cwd=tmp_path).output.decode()
    tree = lxml.html.fromstring(html)
    [deletion] = tree.iter("del")
    [insertion] = tree.iter("ins")
    assert " ".join(deletion.text_content().split()) == "brown"
    assert " ".join(insertion.text_content().split()) == "red & tan"
    assert insertion.get("data-author") == AUTHOR and insertion.get("datetime") == DATE
    assert tree.text_content().split() == ["The", "quick", "brownred", "&", "tan", "fox."]
    assert "deletion" not in html.replace('class="deletion"', "")


def test_typst_wrappers_compile_and_keep_the_words(tmp_path: Path) -> None:
    doc, _, _, _ = run_diff(OLD_EVERYTHING, NEW_EVERYTHING)
    source = pandoc.convert(worddiff.for_typst(doc), "typst-citations", [], cwd=tmp_path)
    path = tmp_path / "diff.typ"
    path.write_bytes(source.output)
    (tmp_path / "figure.svg").write_text(SVG, encoding="utf-8")
    pdf = typst.compile(str(path), ignore_system_fonts=True)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for word in ("Title", "words", "phrase", "strong", "Quoted", "extended", "/", "(brackets]"):
        assert word in text
    assert 'rgb("#cf222e")' in source.output.decode() and 'rgb("#1a7f37")' in source.output.decode()


def test_wrappers_leave_a_document_without_changes_alone() -> None:
    doc = ast(RICH)
    assert worddiff.for_html(doc) == doc
    assert worddiff.for_typst(doc) == doc


# ---------------------------------------------------------------------------------------------
# Properties

WORDS = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "ff", "g."]), max_size=14)


def _check_sides(doc: dict, counts: Counts, old_words: list[str], new_words: list[str]) -> None:
    assert words(rejected(doc)) == old_words
    assert words(accepted(doc)) == new_words
    assert counts.deleted == sum(len(words(span)) for span in changes(doc, "deletion"))
    assert counts.inserted == sum(len(words(span)) for span in changes(doc, "insertion"))


@settings(max_examples=150, deadline=None)
@given(WORDS, WORDS)
def test_one_paragraph_diff_rebuilds_both_versions(old: list[str], new: list[str]) -> None:
    doc, counts = worddiff.diff(
        one_para_doc(" ".join(old)), one_para_doc(" ".join(new)), AUTHOR, DATE
    )
    _check_sides(doc, counts, old, new)
    if old == new:
        assert not elements(doc, "Span")


@settings(max_examples=100, deadline=None)
@given(st.lists(WORDS, max_size=5), st.lists(WORDS, max_size=5))
def test_many_paragraph_diff_rebuilds_both_versions(
    old: list[list[str]], new: list[list[str]]
) -> None:
    def document(paragraphs: list[list[str]]) -> dict:
        blocks = [Para(text_inlines(" ".join(p))) for p in paragraphs]
        return {"pandoc-api-version": pandoc.API_VERSION, "meta": {}, "blocks": blocks}

    doc, counts = worddiff.diff(document(old), document(new), AUTHOR, DATE)
    _check_sides(doc, counts, [w for p in old for w in p], [w for p in new for w in p])


@pytest.mark.parametrize("text", ["", "word", "two words"])
def test_empty_and_tiny_paragraphs(text: str) -> None:
    doc, counts = worddiff.diff(one_para_doc(text), one_para_doc("other"), AUTHOR, DATE)
    _check_sides(doc, counts, text.split(), ["other"])


@pytest.mark.parametrize(
    ("old_md", "new_md", "counts"),
    [
        # The picture's description is its caption: the caption was counted twice.
        ("Text.\n\n![The second figure.](b.png)\n", "Text.\n", Counts(0, 3)),
        ("Text.\n", "Text.\n\n$$E = mc^2$$\n", Counts(1, 0)),  # a formula is one word
        ("Text $E = mc^2$ here.\n", "Text here.\n", Counts(0, 1)),
    ],
)
def test_words_are_counted_as_a_reader_sees_them(old_md: str, new_md: str, counts: Counts) -> None:
    _, found, _, _ = run_diff(old_md, new_md)
    assert found == counts
