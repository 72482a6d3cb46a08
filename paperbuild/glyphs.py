"""Characters the PDF's fonts cannot draw: Typst prints each as an empty box, and says nothing.

The fonts the PDF is made with (those Typst embeds, and any the project keeps in
templates/fonts/) cover Latin, Greek, Cyrillic, Hebrew and Arabic; Chinese, Japanese, Korean,
Thai and the Indic scripts are not among them. Which characters come out empty is asked of
Typst itself, on a page holding each once, and only for characters beyond the scripts the
embedded fonts are known to cover: a paper written in those pays nothing.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from paperbuild import typst_literal
from paperbuild.positions import hide_comments
from paperbuild.report import Problem, warning

if TYPE_CHECKING:
    from paperbuild.bibliography import Entry

# All but Latin, IPA, Greek, Cyrillic, Armenian, Hebrew, Arabic; Latin and Greek extended;
# punctuation, symbols and arrows; Latin and Hebrew presentation forms; and blanks.
_UNCOVERED = re.compile(r"[^\u0000-\u06ff\u1e00-\u1fff\u2000-\u2bff\ufb00-\ufb4f\s]")
FONTS_DIR = "fonts"  # in templates/: fonts the PDF may use beside Typst's own


def font_paths(templates_dir: Path) -> list[str]:
    folder = templates_dir / FONTS_DIR
    return [str(folder)] if folder.is_dir() else []


# .bib fields no style prints: their characters need no font.
UNPRINTED = frozenset(
    {"abstract", "annotation", "annote", "comment", "file", "groups", "keywords", "owner"}
    | {"mendeley-groups", "timestamp", "crossref"}
)


def missing(
    texts: list[tuple[str, str]], entries: list[Entry], font: str, templates_dir: Path
) -> list[Problem]:
    """A warning at the first character no font of the PDF has, in the (name, text) pairs of
    the manuscript or else in the printed fields of the bibliography's `entries`, naming how
    many others there are."""
    # A comment is not printed: its characters need no font.
    texts = [(name, hide_comments(text)) for name, text in texts]
    printed = [
        (entry, " ".join(v for k, v in entry.fields.items() if k not in UNPRINTED))
        for entry in entries
    ]
    found = {char for _, text in [*texts, *printed] for char in _UNCOVERED.findall(text)}
    wanted = {char for char in found if char.isprintable()}
    if not wanted:
        return []
    empty = _drawn_empty(sorted(wanted), font, font_paths(templates_dir))
    if not empty:
        return []
    others = f" and {len(empty) - 1} other characters" if len(empty) > 1 else ""
    for name, text in texts:
        index = next((i for i, char in enumerate(text) if char in empty), None)
        if index is not None:
            line = text.count("\n", 0, index) + 1
            col = index - (text.rfind("\n", 0, index) + 1) + 1
            return [_warning(text[index], others, name, line, col)]
    for entry, text in printed:
        char = next((char for char in text if char in empty), None)
        if char is not None:
            return [_warning(char, others, entry.path, entry.line, None)]
    return []


# Typst's own fonts, which every profile may name.
_TYPST_FONTS = frozenset({"libertinus serif", "new computer modern", "dejavu sans mono"})


def unknown_font(font: str, templates_dir: Path) -> list[str]:
    """The families Typst has here (its own and templates/fonts/'s), when `font` is none of
    them: Typst then sets the PDF in its own, and says nothing. [] when it has `font`."""
    if font.casefold() in _TYPST_FONTS:
        return []  # no look at what else there is
    import typst

    families = typst.Fonts(
        include_system_fonts=False, font_paths=font_paths(templates_dir)
    ).families()
    if font.casefold() in {family.casefold() for family in families}:
        return []
    return sorted(family for family in families if not family.endswith(" Math"))


def _warning(char: str, others: str, path: str, line: int, col: int | None) -> Problem:
    return warning(
        f"the PDF's fonts have no glyph for '{char}'{others}: the PDF prints an empty box for "
        "each; put a font that has them (Noto Serif CJK for Chinese, Japanese and Korean) in "
        f"templates/{FONTS_DIR}/",
        path,
        line,
        col,
    )


def _drawn_empty(chars: list[str], font: str, paths: list[str]) -> set[str]:
    """The characters Typst draws with no font's glyph: their text in the PDF is NUL."""
    import pypdf
    import typst

    # One paragraph each, in raw text so that no character is read as markup.
    body = "\n\n".join(f"#{{{typst_literal.string(char)}}}" for char in chars)
    source = f'#set text(font: ({typst_literal.string(font)}, "Libertinus Serif"))\n{body}\n'
    pdf = typst.compile(source.encode(), font_paths=paths, ignore_system_fonts=True)
    lines = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    drawn = [line for line in lines.split("\n") if line.strip()]
    if len(drawn) != len(chars):  # read back otherwise than written: say nothing
        return set()
    return {char for char, line in zip(chars, drawn, strict=True) if "\x00" in line}
