"""Which way a language is written. Browsers and Word do not tell it from `lang`: an Arabic
page without `dir="rtl"` runs left to right, its full stops at the wrong end. Typst knows fewer
languages' ways than CLDR, and none from a script subtag. So every output is told `dir` wherever
the direction changes."""

from __future__ import annotations

from typing import Any

from paperbuild.pandoc_ast import Node

# Languages written right to left by default (CLDR's character order), by primary subtag; `iw`
# and `ji` are Hebrew's and Yiddish's old codes.
_RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "glk", "he", "iw", "ji", "ks", "lrc", "mzn", "nqo"}
    | {"ps", "sd", "syr", "ug", "ur", "yi"}
)
# Scripts written right to left, by ISO 15924 subtag: a tag naming its script (`uz-Arab`,
# `ku-Latn`) is written the script's way.
_RTL_SCRIPTS = frozenset(["adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa"])


def of(lang: str) -> str:
    """ "rtl" or "ltr" for a BCP 47 language tag."""
    subtags = lang.lower().replace("_", "-").split("-")
    for subtag in subtags[1:]:
        if len(subtag) == 1:
            break  # an extension or private use (`ar-u-nu-latn`): no script after it
        if len(subtag) == 4 and subtag.isalpha():
            return "rtl" if subtag in _RTL_SCRIPTS else "ltr"
    return "rtl" if subtags[0] in _RTL_LANGUAGES else "ltr"


def mark(blocks: list[Node], outer: str) -> None:
    """Give each Div, Span and heading whose `lang` is written the other way from its
    surroundings a `dir`, in place. An author's own `dir` stays, and is the way for what is
    inside."""
    stack: list[tuple[Any, str]] = [(blocks, outer)]
    while stack:
        value, way = stack.pop()
        if isinstance(value, list):
            stack.extend((item, way) for item in value if isinstance(item, list | dict))
        elif value.get("t") in ("Div", "Span", "Header"):
            # A heading's attributes come after its level; its text after them.
            at = 1 if value["t"] == "Header" else 0
            attrs: list[list[str]] = value["c"][at][2]
            given = dict(attrs)
            inner = given.get("dir") or (of(given["lang"]) if "lang" in given else way)
            if "dir" not in given and inner != way:
                attrs.append(["dir", inner])
            stack.append((value["c"][at + 1], inner))
        elif "c" in value and isinstance(value["c"], list | dict):
            stack.append((value["c"], way))
