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

from paperbuild.report import Problem, warning

# All but Latin, IPA, Greek, Cyrillic, Armenian, Hebrew, Arabic; Latin and Greek extended;
# punctuation, symbols and arrows; Latin and Hebrew presentation forms; and blanks.
_UNCOVERED = re.compile(r"[^\u0000-\u06ff\u1e00-\u1fff\u2000-\u2bff\ufb00-\ufb4f\s]")
FONTS_DIR = "fonts"  # in templates/: fonts the PDF may use beside Typst's own


def font_paths(templates_dir: Path) -> list[str]:
    folder = templates_dir / FONTS_DIR
    return [str(folder)] if folder.is_dir() else []


def missing(texts: list[tuple[str, str]], font: str, templates_dir: Path) -> list[Problem]:
    """A warning at the first character of (name, text) pairs that no font of the PDF has,
    naming how many others there are."""
    found = {char for _, text in texts for char in _UNCOVERED.findall(text)}
    wanted = {char for char in found if char.isprintable()}
    if not wanted:
        return []
    empty = _drawn_empty(sorted(wanted), font, font_paths(templates_dir))
    if not empty:
        return []
    for name, text in texts:
        index = next((i for i, char in enumerate(text) if char in empty), None)
        if index is None:
            continue
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        others = f" and {len(empty) - 1} other characters" if len(empty) > 1 else ""
        return [
            warning(
                f"the PDF's fonts have no glyph for '{text[index]}'{others}: the PDF prints "
                "an empty box for each; put a font that has them (Noto Serif CJK for Chinese, "
                f"Japanese and Korean) in templates/{FONTS_DIR}/",
                name,
                line,
                col,
            )
        ]
    return []


def _drawn_empty(chars: list[str], font: str, paths: list[str]) -> set[str]:
    """The characters Typst draws with no font's glyph: their text in the PDF is NUL."""
    import pypdf
    import typst

    # One paragraph each, in raw text so that no character is read as markup.
    body = "\n\n".join(f"#{{{_typst_string(char)}}}" for char in chars)
    source = f'#set text(font: ({_typst_string(font)}, "Libertinus Serif"))\n{body}\n'
    pdf = typst.compile(source.encode(), font_paths=paths, ignore_system_fonts=True)
    lines = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    drawn = [line for line in lines.split("\n") if line.strip()]
    if len(drawn) != len(chars):  # read back otherwise than written: say nothing
        return set()
    return {char for char, line in zip(chars, drawn, strict=True) if "\x00" in line}


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
