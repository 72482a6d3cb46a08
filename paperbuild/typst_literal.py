"""Text made a Typst string literal: what a layout or a generated source writes into Typst
code, so that a quote or a backslash in it (a font's name, a revision) cannot end the string."""

from __future__ import annotations


def string(text: str) -> str:
    """`text` as a Typst string literal (in code; `#` before it in markup)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
