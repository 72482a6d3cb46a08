"""Numeric citations (`[1]`, `[2, с. 14]`, `[4–6]`) become pandoc `Cite` elements, only in prose.

The ASTs are pandoc's own (Markdown read by the bundled pandoc), so the tests see the same
Str/Space/SoftBreak runs, no-break spaces and smart dashes the build sees. The property tests build
their inlines with `text_inlines` instead: a pandoc run per example would be too slow.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperbuild import pandoc
from paperbuild.citations import (
    MAX_RANGE,
    Misread,
    NumericCitation,
    NumericResolver,
    TooMany,
    Unresolved,
    citation,
    locator_suffix,
    parse_bracket,
)
from paperbuild.pandoc_ast import Node, Para, Space, Str, elements, stringify, text_inlines

KEYS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]
NBSP = "\u00a0"

# ---------------------------------------------------------------------------------------------
# Helpers


@functools.cache
def _pandoc_json(md: str) -> str:
    result = pandoc.run(["--from", "markdown", "--to", "json"], data=md.encode("utf-8"))
    return result.output.decode("utf-8")


def parse(md: str) -> list[Node]:
    """A fresh copy of the blocks pandoc reads from `md`."""
    return json.loads(_pandoc_json(md))["blocks"]


def resolve(md: str, keys: list[str] | None = None) -> tuple[list[Node], NumericResolver]:
    blocks = parse(md)
    resolver = NumericResolver(list(KEYS if keys is None else keys))
    resolver.convert(blocks)
    return blocks, resolver


def summary(node: Any) -> list[list[tuple[str, str]]]:
    """Every Cite below `node`: its (key, suffix text) pairs."""
    return [
        [(item["citationId"], stringify(item["citationSuffix"])) for item in cite["c"][0]]
        for cite in elements(node, "Cite")
    ]


def written(node: Any) -> list[str]:
    """The text each Cite below `node` shows before citeproc runs."""
    return [stringify(cite["c"][1]) for cite in elements(node, "Cite")]


def prose(node: Any) -> str:
    """The text of `node` with every citation taken out."""
    bare = copy.deepcopy(node)
    for cite in elements(bare, "Cite"):
        cite["c"][1] = []
    return stringify(bare)


def numbers(resolver: NumericResolver) -> list[int]:
    return [found.number for found in resolver.found]


# ---------------------------------------------------------------------------------------------
# parse_bracket and locator_suffix on their own


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("1", [(1, "")]),
        ("01", [(1, "")]),
        (" 1 ", [(1, "")]),
        ("2, 3", [(2, ""), (3, "")]),
        ("2,3", [(2, ""), (3, "")]),
        ("3; 5", [(3, ""), (5, "")]),
        ("4-6", [(4, ""), (5, ""), (6, "")]),
        ("4–6", [(4, ""), (5, ""), (6, "")]),
        ("4 — 6", [(4, ""), (5, ""), (6, "")]),
        ("4−6", [(4, ""), (5, ""), (6, "")]),
        ("4‐6", [(4, ""), (5, ""), (6, "")]),
        ("4-4", [(4, "")]),
        ("1, p. 25", [(1, "p. 25")]),
        (f"1, p.{NBSP}25", [(1, f"p.{NBSP}25")]),
        ("2, с. 14", [(2, "с. 14")]),
        ("2, б. 14", [(2, "б. 14")]),
        ("1, p. 25, 27", [(1, "p. 25, 27")]),
        ("1, 2, p. 5", [(1, ""), (2, "p. 5")]),
        ("4-6, с. 5", [(4, ""), (5, ""), (6, "с. 5")]),
        ("1, p. 5; 3, с. 7", [(1, "p. 5"), (3, "с. 7")]),
        ("2, с. 14; 3–5", [(2, "с. 14"), (3, ""), (4, ""), (5, "")]),
        ("1, ch. 3", [(1, "ch. 3")]),
        ("123456", [(123456, "")]),
        ("1,,2", [(1, ""), (2, "")]),  # a slip: not reference 1 at a locator ",2"
        ("1, 2,", [(1, ""), (2, "")]),
    ],
)
def test_parse_bracket_reads_numbers_ranges_and_locators(
    content: str, expected: list[tuple[int, str]]
) -> None:
    assert parse_bracket(content) == expected


@pytest.mark.parametrize(
    "content",
    [
        "3, 0",
        "0, 1",
        "2020a",
        "1a",
        "1.5",
        "a",
        "p. 5",
        "1;",
        "see 1; 2",
        "1 p. 5; 2",
        "−1",
        "x, 1",
        "1234567",
        "",
        " ",
    ],
)
def test_parse_bracket_rejects_what_is_not_a_citation(content: str) -> None:
    assert parse_bracket(content) is None


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("0", "references are numbered from 1"),
        ("00", "references are numbered from 1"),
        ("0-2", "references are numbered from 1"),
        (
            "6-4",
            "runs down from 6 to 4, so it is not read as a citation; write the range from its "
            "lower number (4–6)",
        ),
        ("1, 5–3", "runs down from 5 to 3"),
        ("1 p. 5", "write a comma before the page ([1, p. 5])"),
        ("12 с. 40–45", "write a comma before the page ([12, с. 40–45])"),
        ("see 2", "a bracket holds the numbers alone; write see [2]"),
        ("см. 3, 4", "write см. [3, 4]"),
        ("3; p. 5", "a semicolon parts two works, a comma a work from its page; write [3, p. 5]"),
        ("1; 2; p. 5", "write [1; 2, p. 5]"),
    ],
)
def test_a_bracket_meant_as_a_citation_but_none_says_why(content: str, said: str) -> None:
    with pytest.raises(Misread) as misread:
        parse_bracket(content)
    assert said in misread.value.reason
    assert misread.value.severity == "warning"


def test_a_bracket_cites_at_most_max_items_works() -> None:
    widest = parse_bracket(f"1-{MAX_RANGE}")
    assert widest == [(n, "") for n in range(1, MAX_RANGE + 1)]
    with pytest.raises(TooMany) as too_many:
        parse_bracket(f"1-{1 + MAX_RANGE}")
    assert too_many.value.count == MAX_RANGE + 1
    with pytest.raises(TooMany):
        parse_bracket(", ".join(str(n) for n in range(1, 10_001)))


def test_a_bracket_of_ten_thousand_numbers_is_recorded_not_converted() -> None:
    listed = "[" + ", ".join(str(n) for n in range(1, 10_001)) + "]"
    blocks, resolver = resolve(f"See {listed} and [1].")
    ((written, severity, reason),) = resolver.misread
    assert (written, severity) == (listed, "error")
    assert reason.startswith("cites 10000 works")
    assert numbers(resolver) == [1]
    assert listed in stringify(blocks)


def test_two_brackets_joined_by_a_dash_are_one_range_as_ieee_writes_it() -> None:
    """`[1]–[3]` cited works 1 and 3 only, with a stray dash between them."""
    blocks, _ = resolve("Prior work [1]–[3], then [2] - [3] and [4]--[6]; [5], [6].")
    assert written(blocks) == ["[1]–[3]", "[2] - [3]", "[4]–[6]", "[5]", "[6]"]
    assert [[key for key, _ in cite] for cite in summary(blocks)[:3]] == [
        ["alpha", "bravo", "charlie"],
        ["bravo", "charlie"],
        ["delta", "echo", "foxtrot"],
    ]
    assert prose(blocks) == "Prior work , then  and ; , ."


def test_a_number_in_parentheses_loses_them_in_an_author_date_style() -> None:
    """The style's own parentheses are enough: `([1])` printed "((Alpha 2001))"."""
    blocks = parse("Text ([1]) and (see [2]) and word([3]).")
    resolver = NumericResolver(KEYS, spaced=True)
    resolver.convert(blocks)
    assert written(blocks) == ["[1]", "[2]", "[3]"]
    assert prose(blocks) == "Text  and (see ) and word ."
    numbered = parse("Text ([1]).")
    NumericResolver(KEYS).convert(numbered)  # a numeric style keeps them: "([1])"
    assert prose(numbered) == "Text ()."


@pytest.mark.parametrize(
    ("locator", "bare"),
    [
        ("p. 25", "25"),
        ("p.25", "25"),
        ("P. 9", "9"),
        (f"p.{NBSP}25", "25"),
        ("pp. 25–27", "25–27"),
        ("pg. 4", "4"),
        ("pgs. 4-5", "4-5"),
        ("page 7", "7"),
        ("pages 7–9", "7–9"),
        ("s. 3", "3"),
        ("S. 14", "14"),
        ("Seite 5", "5"),
        ("Seiten 5–6", "5–6"),
        ("pág. 3", "3"),
        ("págs. 3-4", "3-4"),
        ("str. 8", "8"),
        ("с. 14", "14"),
        ("С. 14", "14"),
        (f"с.{NBSP}14", "14"),
        ("стр. 5", "5"),
        ("б. 14", "14"),
        ("б.14", "14"),
        ("Б. 1", "1"),
        ("бет 14", "14"),
        ("беттер 14–15", "14–15"),
        ("p. 25, 27", "25, 27"),
        # Not a page label followed by a number: kept as written for citeproc to read.
        ("ch. 3", "ch. 3"),
        ("p. xii", "p. xii"),
        ("para 3", "para 3"),
        ("sec. 2", "sec. 2"),
        ("see p. 5", "see p. 5"),
        ("25a", "25a"),
    ],
)
def test_locator_suffix_drops_the_page_label(locator: str, bare: str) -> None:
    suffix = locator_suffix(locator)
    assert suffix[:2] == [Str(","), Space()]
    assert suffix[2:] == text_inlines(bare)
    assert stringify(suffix) == f", {bare}"


def test_no_locator_no_suffix() -> None:
    assert locator_suffix("") == []


def test_citation_is_a_normal_pandoc_citation() -> None:
    assert citation("alpha", [Str("x")]) == {
        "citationId": "alpha",
        "citationPrefix": [],
        "citationSuffix": [Str("x")],
        "citationMode": {"t": "NormalCitation"},
        "citationNoteNum": 0,
        "citationHash": 0,
    }


# ---------------------------------------------------------------------------------------------
# Every written form, in pandoc's AST

A = ("alpha", "")
B = ("bravo", "")
C = ("charlie", "")
D = ("delta", "")
E = ("echo", "")
F = ("foxtrot", "")

FORMS = [
    ("[1]", [[A]]),
    ("[01]", [[A]]),
    ("[ 1 ]", [[A]]),
    ("[2, 3]", [[B, C]]),
    ("[2,3]", [[B, C]]),
    ("[3; 5]", [[C, E]]),
    ("[4–6]", [[D, E, F]]),
    ("[4-6]", [[D, E, F]]),
    ("[4--6]", [[D, E, F]]),  # pandoc's smart typography: en dash
    ("[4---6]", [[D, E, F]]),  # em dash
    ("[4 -- 6]", [[D, E, F]]),
    ("[4−6]", [[D, E, F]]),  # minus sign
    ("[1, p. 25]", [[("alpha", ", 25")]]),
    ("[1, p.25]", [[("alpha", ", 25")]]),
    ("[1, pp. 25--27]", [[("alpha", ", 25–27")]]),
    ("[1, p. 25, 27]", [[("alpha", ", 25, 27")]]),
    ("[2, с. 14]", [[("bravo", ", 14")]]),
    ("[2, С. 14]", [[("bravo", ", 14")]]),
    (f"[2, с.{NBSP}14]", [[("bravo", ", 14")]]),
    ("[2, стр. 14]", [[("bravo", ", 14")]]),
    ("[2, б. 14]", [[("bravo", ", 14")]]),
    ("[2, бет 14]", [[("bravo", ", 14")]]),
    ("[2, беттер 14--15]", [[("bravo", ", 14–15")]]),
    ("[2, S. 14]", [[("bravo", ", 14")]]),
    ("[2, Seite 14]", [[("bravo", ", 14")]]),
    ("[2, pág. 14]", [[("bravo", ", 14")]]),
    ("[2, page 14]", [[("bravo", ", 14")]]),
    ("[1, ch. 3]", [[("alpha", ", ch. 3")]]),
    ("[1, 2, p. 5]", [[A, ("bravo", ", 5")]]),
    ("[4-6, с. 5]", [[D, E, ("foxtrot", ", 5")]]),
    ("[1, p. 5; 3, с. 7]", [[("alpha", ", 5"), ("charlie", ", 7")]]),
    ("[2, с. 14; 3–5]", [[("bravo", ", 14"), C, D, E]]),
    ("[1][2]", [[A], [B]]),
]


@pytest.mark.parametrize(("form", "expected"), FORMS)
def test_each_form_becomes_one_cite_per_bracket(
    form: str, expected: list[list[tuple[str, str]]]
) -> None:
    md = f"Алматы бағалайды {form} деп."
    blocks, resolver = resolve(md)
    assert summary(blocks) == expected
    assert resolver.unresolved == []
    assert stringify(blocks) == stringify(parse(md))
    assert prose(blocks) == "Алматы бағалайды  деп."


@pytest.mark.parametrize(("form", "expected"), FORMS)
def test_each_form_glued_to_the_previous_word(
    form: str, expected: list[list[tuple[str, str]]]
) -> None:
    md = f"Зерттеушілер бағалайды{form}. Келесі сөйлем."
    blocks, _ = resolve(md)
    assert summary(blocks) == expected
    assert stringify(blocks) == stringify(parse(md))
    assert prose(blocks) == "Зерттеушілер бағалайды. Келесі сөйлем."


def test_the_cite_shows_the_bracket_as_written_until_citeproc_runs() -> None:
    blocks, _ = resolve("See [2, с. 14] and [4--6].")
    cites = list(elements(blocks, "Cite"))
    assert [cite["c"][1] for cite in cites] == [[Str("[2, с. 14]")], [Str("[4–6]")]]


def test_the_inlines_around_a_citation_are_kept() -> None:
    blocks, _ = resolve("Алматы бағалайды[1]. Келесі [2, с. 14] және *[3]* деп.")
    assert blocks[0]["c"] == [
        Str("Алматы"),
        Space(),
        Str("бағалайды"),
        {"t": "Cite", "c": [[citation("alpha", [])], [Str("[1]")]]},
        Str("."),
        Space(),
        Str("Келесі"),
        Space(),
        {
            "t": "Cite",
            "c": [[citation("bravo", [Str(","), Space(), Str("14")])], [Str("[2, с. 14]")]],
        },
        Space(),
        Str("және"),
        Space(),
        {"t": "Emph", "c": [{"t": "Cite", "c": [[citation("charlie", [])], [Str("[3]")]]}]},
        Space(),
        Str("деп."),
    ]


def test_found_records_each_number_with_its_locator_and_bracket() -> None:
    _, resolver = resolve("A [1, p. 25], b [2, с. 14], c [4--6], d [3; 5].")
    assert resolver.found == [
        NumericCitation(1, f"p.{NBSP}25", f"[1, p.{NBSP}25]", KEYS[0]),
        NumericCitation(2, "с. 14", "[2, с. 14]", KEYS[1]),
        NumericCitation(4, "", "[4–6]", KEYS[3]),
        NumericCitation(5, "", "[4–6]", KEYS[4]),
        NumericCitation(6, "", "[4–6]", KEYS[5]),
        NumericCitation(3, "", "[3; 5]", KEYS[2]),
        NumericCitation(5, "", "[3; 5]", KEYS[4]),
    ]
    assert resolver.unresolved == []


def test_pandocs_no_break_space_after_p_is_read_as_part_of_the_locator() -> None:
    md = "As shown [1, p. 25] before."
    assert f"p.{NBSP}25]" in stringify(parse(md))  # pandoc's smart typography put it there
    blocks, resolver = resolve(md)
    assert summary(blocks) == [[("alpha", ", 25")]]
    assert resolver.found == [NumericCitation(1, f"p.{NBSP}25", f"[1, p.{NBSP}25]", "alpha")]


def test_a_citation_broken_over_two_lines() -> None:
    md = "Алматы [1,\np. 25] деп\nжазады [2,\n3]."
    blocks, _ = resolve(md)
    assert summary(blocks) == [[("alpha", ", 25")], [B, C]]
    assert stringify(blocks) == stringify(parse(md))


# ---------------------------------------------------------------------------------------------
# Where citations are looked for

CONTEXTS = [
    ("Мәтін^[Inline note [3].] соңы.", "Note", [[C]]),
    ("Мәтін[^n] соңы.\n\n[^n]: Footnote [3, p. 5].", "Note", [[("charlie", ", 5")]]),
    ("| A | B |\n|---|---|\n| cell [3] | x |", "Table", [[C]]),
    ("| A |\n|---|\n| x |\n\nTable: Caption [3].", "Table", [[C]]),
    # The caption's, and its copy in the image's description.
    ("![Figure caption [3]](img.png)", "Figure", [[C], [C]]),
    ("# Heading [3]", "Header", [[C]]),
    ("*emph [3]* text", "Emph", [[C]]),
    ("**strong[3]** text", "Strong", [[C]]),
    ('"quoted [3]" text', "Quoted", [[C]]),
    ("~~struck [3]~~ text", "Strikeout", [[C]]),
    ("[span [3]]{.x} text", "Span", [[C]]),
    ("::: note\nDiv [3]\n:::", "Div", [[C]]),
    ("<div>\nHTML div [3]\n</div>", "Div", [[C]]),
    ("> Quote [3]", "BlockQuote", [[C]]),
    ("- item [3]\n- b", "BulletList", [[C]]),
    ("1. item [3]\n2. b", "OrderedList", [[C]]),
    ("Term [3]\n:   Definition", "DefinitionList", [[C]]),
    ("Term\n:   Definition [3]", "DefinitionList", [[C]]),
    ("| line [3]\n| two", "LineBlock", [[C]]),
]


@pytest.mark.parametrize(("md", "kind", "expected"), CONTEXTS)
def test_citations_are_found_in_every_kind_of_prose(
    md: str, kind: str, expected: list[list[tuple[str, str]]]
) -> None:
    blocks, resolver = resolve(md)
    assert summary(blocks) == expected
    containers = list(elements(blocks, kind))
    assert sum(len(summary(c)) for c in containers) == len(expected)
    assert [found.number for found in resolver.found] == [3]
    assert stringify(blocks) == stringify(parse(md))


def test_a_heading_keeps_its_identifier() -> None:
    blocks, _ = resolve("# Heading [3] {#intro}\n\n# Other [2]")
    assert [h["c"][1][0] for h in elements(blocks, "Header")] == ["intro", "other-2"]
    assert summary(blocks) == [[C], [B]]


def test_a_figure_caption_is_prose_and_its_image_description_copies_it() -> None:
    """The image's description (alt text) is the caption again: it must show the numbers the
    caption prints, so its brackets become the same citations; they are counted once."""
    blocks, resolver = resolve("![Distribution^[Source: [3].] of [2]](fig.png)")
    (figure,) = elements(blocks, "Figure")
    (image,) = elements(figure["c"][2], "Image")
    assert summary(figure["c"][1]) == [[C], [B]]
    assert summary(image["c"][1]) == [[C], [B]]
    assert numbers(resolver) == [3, 2]
    caption_cites = list(elements(figure["c"][1], "Cite"))
    assert not any(copy is cite for copy in elements(image, "Cite") for cite in caption_cites)


def test_a_description_of_the_authors_own_stays_as_written() -> None:
    blocks, resolver = resolve('![Caption [2]](fig.png){alt="A map [1]"}')
    (image,) = elements(blocks, "Image")
    assert stringify(image["c"][1]) == "A map [1]" and summary(image["c"][1]) == []
    assert numbers(resolver) == [2]


def test_found_follows_blocks_and_footnotes_in_order() -> None:
    md = (
        "First [1].^[Note [2].]\n\n"
        "| A |\n|---|\n| [3] |\n\n"
        "# Heading [4]\n\n"
        "Last [5][^n].\n\n"
        "[^n]: Later note [6]."
    )
    blocks, resolver = resolve(md)
    assert numbers(resolver) == [1, 2, 3, 4, 5, 6]
    assert list(cited_keys(blocks)) == KEYS


def test_found_and_unresolved_are_in_reading_order_within_a_paragraph() -> None:
    _, resolver = resolve("A *x [1]* [2] **[3]**. B [7]^[C [8].] D [9].")
    assert numbers(resolver) == [1, 2, 3, 7, 8, 9]
    assert [u.number for u in resolver.unresolved] == [7, 8, 9]


# ---------------------------------------------------------------------------------------------
# Where they are not

NOT_PROSE = [
    "Use `x[1]` here.",
    "```\na[1]\n```",
    "~~~python\na[1, 2]\n~~~",
    "    indented [1]",
    "As $x_{[1]}$ here.",
    "As $$A[1]$$ here.",
    "<https://example.org/a[1]>",
    "Go to [link text [1]](https://example.org) now.",
    "[text](https://example.org/?a=[1])",
    "Icon ![alt [1]](icon.png) inline.",
    '<abbr title="[1]">x</abbr> text',
    "Text <!-- [1] --> more.",
    "<!-- [1] -->",
    "```{=html}\n<p>[1]</p>\n```",
    "<pre>[1]</pre>",
    "`[1]`{=latex} text",
    "\\textbf{[1]} text",
    "\\begin{tabular}{l}\n[1] \\\\\n\\end{tabular}",
    "As [@smith, p. [1]] said.",
]


@pytest.mark.parametrize("md", NOT_PROSE)
def test_never_inside_code_math_links_raw_or_pandoc_citations(md: str) -> None:
    blocks, resolver = resolve(md)
    assert blocks == parse(md)
    assert resolver.found == []
    assert resolver.unresolved == []


def test_a_footnote_inside_link_text_is_prose() -> None:
    blocks, resolver = resolve("See [the site^[Data from [2].]](http://x.org) now.")
    (note,) = elements(blocks, "Note")
    assert summary(note) == [[B]]
    assert numbers(resolver) == [2]


def test_pandoc_citations_are_left_as_they_are() -> None:
    md = "Mixed [@smith; @doe, p. 3] and [2]\nthen ^[x [3]] [@doe] [4, p. 7]."
    original = list(elements(parse(md), "Cite"))
    blocks, resolver = resolve(md)
    cites = list(elements(blocks, "Cite"))
    assert [c for c in cites if c["c"][0][0]["citationId"] in ("smith", "doe")] == original
    assert summary(blocks) == [
        [("smith", ""), ("doe", f", p.{NBSP}3")],
        [B],
        [C],
        [("doe", "")],
        [("delta", ", 7")],
    ]
    assert list(cited_keys(blocks)) == ["smith", "doe", "bravo", "charlie", "doe", "delta"]
    assert numbers(resolver) == sorted(numbers(resolver)) == [2, 3, 4]
    assert stringify(blocks) == stringify(parse(md))


@pytest.mark.parametrize(
    "form",
    [
        "[0]",
        "[00]",
        "[6-4]",
        "[0-2]",
        "[3, 0]",
        "[see 1]",
        "[2020a]",
        "[1a]",
        "[1.5]",
        "[1 p. 5]",
        "[1; p. 5]",
        "[1;]",
        "[p. 5]",
        "[x, 1]",
        "[−1]",
        "[1234567]",
        f"[1-{MAX_RANGE + 2}]",
        "[a]",
        "[^9]",
    ],
)
def test_brackets_that_are_not_citations_stay_text(form: str) -> None:
    md = f"Text {form} and glued{form} end."
    blocks, resolver = resolve(md, keys=[f"k{n}" for n in range(1, 300)])
    assert blocks == parse(md)
    assert resolver.found == []
    assert resolver.unresolved == []


def test_convert_twice_changes_nothing_more() -> None:
    blocks, _ = resolve("A [1, p. 25] b[2]. ^[c [3; 4]]")
    again = copy.deepcopy(blocks)
    second = NumericResolver(KEYS)
    second.convert(again)
    assert again == blocks
    assert second.found == []


# ---------------------------------------------------------------------------------------------
# Numbers outside reference-numbers


def test_a_number_past_the_list_is_unresolved_and_stays_text() -> None:
    md = "Known [1] and unknown [7] here."
    blocks, resolver = resolve(md)
    assert summary(blocks) == [[A]]
    assert resolver.unresolved == [Unresolved(7, "[7]")]
    assert numbers(resolver) == [1, 7]
    assert Str("[7]") in blocks[0]["c"]
    assert stringify(blocks) == stringify(parse(md))


def test_a_year_in_brackets_is_read_as_an_unresolved_number() -> None:
    blocks, resolver = resolve("Published [2020].")
    assert summary(blocks) == []
    assert resolver.unresolved == [Unresolved(2020, "[2020]")]


def test_a_bracket_with_some_numbers_past_the_list_cites_the_others() -> None:
    blocks, resolver = resolve("A [2, 9] and [5-8] end.")
    assert summary(blocks) == [[B], [E, F]]
    assert written(blocks) == ["[2, 9]", "[5-8]"]
    assert resolver.unresolved == [
        Unresolved(9, "[2, 9]"),
        Unresolved(7, "[5-8]"),
        Unresolved(8, "[5-8]"),
    ]
    assert numbers(resolver) == [2, 9, 5, 6, 7, 8]


def test_with_no_keys_every_number_is_unresolved() -> None:
    md = "A [1] and [2, p. 5]."
    blocks, resolver = resolve(md, keys=[])
    assert summary(blocks) == []
    assert [(u.number, u.text) for u in resolver.unresolved] == [
        (1, "[1]"),
        (2, f"[2, p.{NBSP}5]"),
    ]
    assert stringify(blocks) == stringify(parse(md))


# ---------------------------------------------------------------------------------------------
# Properties, on inlines built straight from text

PROPERTY_KEYS = [f"key{n}" for n in range(1, 41)]
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
LABELS = [
    "p.",
    "p",
    "pp.",
    "pg.",
    "page",
    "pages",
    "s.",
    "S.",
    "Seite",
    "pág.",
    "págs.",
    "str.",
    "с.",
    "С.",
    "стр.",
    "б.",
    "бет",
    "беттер",
]

_noisy_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("[[]]0123456789;,.pсб " + DASHES + NBSP + "\t\n")),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=120,
)


def _paragraph(text: str) -> list[Node]:
    return [Para(text_inlines(text))]


@settings(max_examples=300, deadline=None)
@given(_noisy_text)
def test_property_never_raises_and_keeps_the_text(text: str) -> None:
    blocks = _paragraph(text)
    before = stringify(blocks)
    resolver = NumericResolver(PROPERTY_KEYS[:7])
    resolver.convert(blocks)
    assert stringify(blocks) == before
    for cite in elements(blocks, "Cite"):
        assert cite["c"][0]
        assert {item["citationId"] for item in cite["c"][0]} <= set(PROPERTY_KEYS[:7])
    out_of_range = [f.number for f in resolver.found if f.number > 7]
    assert [u.number for u in resolver.unresolved] == out_of_range
    cited = sum(len(cite["c"][0]) for cite in elements(blocks, "Cite"))
    assert cited == len(resolver.found) - len(out_of_range)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_characters="[", exclude_categories=("Cs",))))
def test_property_text_without_brackets_is_returned_unchanged(text: str) -> None:
    blocks = _paragraph(text)
    before = copy.deepcopy(blocks)
    resolver = NumericResolver(PROPERTY_KEYS)
    resolver.convert(blocks)
    assert blocks == before
    assert resolver.found == []


_RANGE_DASHES = [f"{gap}{dash}{gap}" for dash in DASHES for gap in ("", " ")]
_LABELS_AND_GAPS = [f"{label}{gap}" for label in LABELS for gap in (" ", NBSP, "")]
_gap = st.sampled_from(["", " "])

# The shapes are drawn flat (tuples of plain values) and written out by `_write`: nested
# @composite strategies cost twice the generation time.
# A number or range: (first, width, dash); a width of 0 or less means a single number.
_item = st.tuples(
    st.integers(1, len(PROPERTY_KEYS)), st.integers(-3, 5), st.sampled_from(_RANGE_DASHES)
)
# A page locator: (label and gap, first page, last page if > 0, dash).
_locator = st.tuples(
    st.sampled_from(_LABELS_AND_GAPS),
    st.integers(1, 999),
    st.integers(-999, 999),
    st.sampled_from(DASHES),
)
# A `;`-separated group: (items, comma, locator or None).
_group = st.tuples(
    st.lists(_item, min_size=1, max_size=3), st.sampled_from([",", ", "]), st.none() | _locator
)
# A bracket: (groups, semicolon).
_bracket = st.tuples(st.lists(_group, min_size=1, max_size=2), st.sampled_from([";", "; "]))
_word = st.text(
    alphabet=st.characters(exclude_characters="[]", exclude_categories=("Cs", "Zs", "Cc")),
    min_size=1,
    max_size=12,
)
# Prose: a word, then brackets, each glued to what comes before or not, maybe followed by a word.
_prose = st.tuples(
    _word,
    st.lists(st.tuples(_gap, _bracket, st.none() | st.tuples(_gap, _word)), max_size=4),
)

Expected = list[tuple[int, str, str]]  # (number, locator as written, suffix text) per number


def _write_group(shape: Any) -> tuple[str, Expected]:
    """`2, 4–5, с. 14`, and what each of its numbers should give."""
    items, comma, locator = shape
    parts: list[str] = []
    expected: Expected = []
    for first, width, dash in items:
        last = min(first + max(width, 0), len(PROPERTY_KEYS))
        parts.append(str(first) if width <= 0 else f"{first}{dash}{last}")
        expected.extend((n, "", "") for n in range(first, last + 1))
    if locator is not None:
        label, start, end, dash = locator
        page = f"{start}{dash}{end}" if end > 0 else str(start)
        parts.append(label + page)
        expected[-1] = (expected[-1][0], label + page, f", {page}")
    return comma.join(parts), expected


def _write(shape: Any) -> tuple[str, list[tuple[str, Expected]]]:
    """The prose, and each bracket in it with what it should give."""
    text, rest = shape
    brackets: list[tuple[str, Expected]] = []
    for glue, (groups, semicolon), after in rest:
        written_groups = [_write_group(group) for group in groups]
        bracket = "[" + semicolon.join(part for part, _ in written_groups) + "]"
        brackets.append((bracket, [item for _, items in written_groups for item in items]))
        text += glue + bracket + ("".join(after) if after else "")
    return text, brackets


@settings(max_examples=300, deadline=None)
@given(_prose)
def test_property_finds_exactly_the_citations_it_is_given(shape: Any) -> None:
    text, brackets = _write(shape)
    blocks = _paragraph(text)
    before = stringify(blocks)
    resolver = NumericResolver(PROPERTY_KEYS)
    resolver.convert(blocks)

    expected = [item for _, items in brackets for item in items]
    assert [(f.number, f.locator) for f in resolver.found] == [(n, loc) for n, loc, _ in expected]
    assert [f.text for f in resolver.found] == [b for b, items in brackets for _ in items]
    assert resolver.unresolved == []
    assert written(blocks) == [bracket for bracket, _ in brackets]
    assert summary(blocks) == [
        [(PROPERTY_KEYS[n - 1], suffix) for n, _, suffix in items] for _, items in brackets
    ]
    assert stringify(blocks) == before


def cited_keys(blocks: list) -> list[str]:
    """Every key cited in `blocks`, in order of appearance (with repeats)."""
    return [item["citationId"] for cite in elements(blocks, "Cite") for item in cite["c"][0]]


def test_paths_to_finds_each_node_where_it_is() -> None:
    """The cache keeps where each Cite and Div is; `at` must lead back to the same nodes, in
    notes, tables and nested Divs alike."""
    from paperbuild.pandoc_ast import at, elements, paths_to

    text = (
        "A [@a]. Note.[^1]\n\n[^1]: In a note [@b; @c].\n\n"
        "| x | y |\n|---|---|\n| [@d] | z |\n\n::: {#refs}\n::: inner\n[@e]\n:::\n:::\n"
    )
    doc = json.loads(pandoc.run(["--from", "markdown", "--to", "json"], text.encode()).output)
    targets = elements(doc["blocks"], "Cite", "Div")
    assert len(targets) == 6  # four Cites, two Divs
    paths = paths_to(doc["blocks"], targets)
    assert [at(doc["blocks"], path) for path in paths] == targets
    assert all(at(doc["blocks"], p) is t for p, t in zip(paths, targets, strict=True))
    assert paths_to(doc["blocks"], []) == []
    with pytest.raises(ValueError):
        paths_to(doc["blocks"], [{"t": "Cite", "c": []}])


def test_a_number_glued_to_its_word_is_spaced_for_an_author_date_style() -> None:
    """`word[2]` reads well as `word[2]` in a numeric style, but `word(Jones, 2019)` does not:
    asked to, the resolver puts a space between; not after an opening bracket."""
    for spaced, expected in ((False, ["word", "Cite"]), (True, ["word", "Space", "Cite"])):
        blocks = parse("A word[2] and ([3], too).")
        NumericResolver(list(KEYS), spaced).convert(blocks)
        inlines = blocks[0]["c"]
        at = next(i for i, inline in enumerate(inlines) if inline.get("c") == "word")
        shown = [inline["c"] if inline["t"] == "Str" else inline["t"] for inline in inlines]
        assert shown[at : at + len(expected)] == expected
        assert shown[shown.index("(") + 1] == "Cite"
