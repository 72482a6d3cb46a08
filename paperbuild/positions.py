"""Where in the author's file a citation pandoc found is written.

pandoc's Markdown reader keeps no source positions, so we look for each citation's text in the
chapter, in reading order, after hiding the parts of the source pandoc does not read as prose
(front matter, code, comments, math): the n-th citation found in the AST is the n-th match
there.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

# Regions blanked before searching; each keeps its length and line breaks.
_HIDDEN = [
    re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*$", re.DOTALL | re.MULTILINE),
    re.compile(r"^(?<=\n\n)---[ \t]*\n(?:[^\n]+\n)+?(?:---|\.\.\.)[ \t]*$", re.MULTILINE),
    re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[`~]*[ \t]*$", re.DOTALL | re.MULTILINE),
    re.compile(r"<!--.*?-->", re.DOTALL),
    re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL),
    re.compile(r"\$\$.+?\$\$", re.DOTALL),
    re.compile(r"(?<![\\$])\$(?=\S)[^$\n]*?(?<=\S)\$(?!\d)"),
]
# Characters that may continue a pandoc citation key (internal punctuation must be followed by
# a letter or digit to belong to the key).
_KEY_GOES_ON = r"(?![\w]|[:.#$%&\-+?<>~/][\w])"


def hide(text: str) -> str:
    for pattern in _HIDDEN:
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    return text


def key_pattern(written: str) -> re.Pattern[str]:
    """`@key` or `@{key}` as pandoc's citation syntax writes it (`written` is "@key")."""
    escaped = re.escape(written[1:])
    return re.compile(rf"@(?:\{{{escaped}\}}|{escaped}{_KEY_GOES_ON})")


class Finder:
    """Finds successive occurrences in one chapter; each kind of search has its own cursor."""

    def __init__(self, text: str) -> None:
        self.text = hide(text)
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.cursors: dict[str, int] = {}

    def next(
        self, kind: str, text: str, pattern: Callable[[str], re.Pattern[str]]
    ) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the next occurrence of `text` after the previous one of
        this kind; `pattern(text)` finds it where the source spells it otherwise."""
        start = self.cursors.get(kind, 0)
        offset = self.text.find(text, start)
        if offset >= 0 and self._ends_well(text, offset + len(text)):
            end = offset + len(text)
        else:
            match = pattern(text).search(self.text, start)
            if match is None:
                return None, None
            offset, end = match.start(), match.end()
        self.cursors[kind] = end
        return self.line_col(offset)

    def _ends_well(self, text: str, end: int) -> bool:
        # `@smith` must not be the start of `@smith2020`; a bracket ends itself.
        if not text.startswith("@") or end >= len(self.text):
            return True
        rest = self.text[end : end + 2]
        return not (
            rest[0].isalnum()
            or rest[0] == "_"
            or (rest[0] in ":.#$%&-+?<>~/" and rest[1:2].isalnum())
        )

    def line_col(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def first(
    texts: list[tuple[str, str]], pattern: re.Pattern[str], prose_only: bool = True
) -> tuple[str, int | None, int | None] | None:
    """The first match of `pattern` in (name, text) pairs, as (name, line, col); with
    `prose_only` False, front matter and code are searched too."""
    for name, text in texts:
        finder = Finder(text)
        match = pattern.search(finder.text if prose_only else text)
        if match:
            line, col = finder.line_col(match.start())
            return name, line, col
    return None
