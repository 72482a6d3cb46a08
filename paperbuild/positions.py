"""Where in the author's file a citation pandoc found is written.

pandoc's Markdown reader keeps no source positions, so we look for each citation's text in the
chapter, in reading order, after hiding the parts of the source pandoc does not read as prose
(front matter, code, comments, math): the n-th citation found in the AST is the n-th match
there.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable

# The front matter block a file opens with, and one after a blank line anywhere.
METADATA_BLOCKS = [
    re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*$", re.DOTALL | re.MULTILINE),
    re.compile(r"^(?<=\n\n)---[ \t]*\n(?:[^\n]+\n)+?(?:---|\.\.\.)[ \t]*$", re.MULTILINE),
]
# Regions blanked before searching; each keeps its length and line breaks.
_HIDDEN = [
    *METADATA_BLOCKS,
    re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[`~]*[ \t]*$", re.DOTALL | re.MULTILINE),
    re.compile(r"<!--.*?-->", re.DOTALL),
    re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL),
    re.compile(r"\$\$.+?\$\$", re.DOTALL),
    re.compile(r"(?<![\\$])\$(?=\S)[^$\n]*?(?<=\S)\$(?!\d)"),
]
# Characters that may continue a pandoc citation key (internal punctuation must be followed by
# a letter or digit to belong to the key).
_KEY_GOES_ON = r"(?![\w]|[:.#$%&\-+?<>~/][\w])"


_FOOTNOTE = re.compile(r"^ {0,3}\[\^[^\]\s]+\]:")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-+*]|\d+[.)]|#\.)\s")


@functools.lru_cache(maxsize=4)  # asked once for each field that cites, of one chapter
def yaml_only(text: str) -> str:
    """Only the front matter of `text`; the rest blanked, lines kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    keep = [" " if c != "\n" else c for c in text]
    for pattern in _HIDDEN[:2]:
        for match in pattern.finditer(text):
            keep[match.start() : match.end()] = match.group(0)
    return "".join(keep)


def field_only(text: str, name: str) -> str:
    """Only the top-level front matter field `name` of `text` (from its key to the next
    top-level key); the rest blanked, lines kept."""
    text = yaml_only(text)
    start = re.search(rf"^(['\"]?){re.escape(name)}\1[ \t]*:", text, re.MULTILINE)
    if start is None:
        return _blank_all(text)
    # The next top-level key (a list's items may start at its column).
    end = re.compile(r"^(?!-[ \t]|-$)[^\s#]", re.MULTILINE).search(text, start.end())
    stop = end.start() if end else len(text)
    return _blank_all(text[: start.start()]) + text[start.start() : stop] + _blank_all(text[stop:])


def _blank_all(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def hide_comments(text: str) -> str:
    """`text` with HTML comments blanked, lines kept."""
    return _HIDDEN[3].sub(_blank, text)


def hide_code_and_comments(text: str) -> str:
    """`text` with fenced code and HTML comments blanked, lines kept."""
    for pattern in _HIDDEN[2:4]:
        text = pattern.sub(_blank, text)
    return text


def hide_all_but_raw(text: str) -> str:
    """`text` with comments and code blanked (lines kept), but not code marked as raw
    (` ```{=latex} `, `` `x`{=html} ``): where a raw passage may be written and not merely
    shown or mentioned."""
    raw = re.compile(r"[ \t]*\{=")

    def unless_raw(match: re.Match[str]) -> str:
        after = text[match.end() : match.end() + 12]
        opening = match.group(0).split("\n", 1)[0]
        if raw.match(after) or re.match(r"[ \t]*(`{3,}|~{3,})[ \t]*\{=", opening):
            return match.group(0)
        return _blank(match)

    for pattern in (_HIDDEN[3], _HIDDEN[2], _HIDDEN[4]):
        text = pattern.sub(unless_raw, text)
    return text


def hide(text: str) -> str:
    for pattern in _HIDDEN:
        text = pattern.sub(_blank, text)
    return _hide_indented_code(text)


def _blank(match: re.Match[str]) -> str:
    return _blank_all(match.group(0))


def _hide_indented_code(text: str) -> str:
    """Blank indented code blocks: indented lines after a blank line, where the paragraph before
    is not a list item or a footnote (whose indented lines continue them)."""
    lines = text.split("\n")
    context_indented = False  # inside a list item or footnote, indented lines are its text
    previous_blank = True
    in_code = False
    for index, line in enumerate(lines):
        blank = not line.strip()
        indented = line.startswith(("    ", "\t"))
        if not blank and not indented:
            context_indented = bool(_LIST_ITEM.match(line) or _FOOTNOTE.match(line))
            in_code = False
        elif indented and not blank and (in_code or (previous_blank and not context_indented)):
            in_code = True
            lines[index] = " " * len(line)
        previous_blank = blank
    return "\n".join(lines)


def note_spans(text: str) -> list[tuple[int, int]]:
    """Where the footnotes are: `[^n]: …` definitions and inline `^[…]` notes."""
    spans = []
    offset = 0
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if _FOOTNOTE.match(line):
            start = offset
            end = offset + len(line)
            index += 1
            offset += len(line) + 1
            previous_blank = False
            while index < len(lines):
                line = lines[index]
                blank = not line.strip()
                if not blank and previous_blank and not line.startswith((" ", "\t")):
                    break
                if not blank and _FOOTNOTE.match(line):
                    break
                end = offset + len(line)
                previous_blank = blank
                index += 1
                offset += len(line) + 1
            spans.append((start, end))
            continue
        offset += len(line) + 1
        index += 1
    for match in re.finditer(r"\^\[", text):
        depth, position = 0, match.start() + 1
        while position < len(text):
            depth += {"[": 1, "]": -1}.get(text[position], 0)
            if depth == 0:
                spans.append((match.start(), position + 1))
                break
            position += 1
    return sorted(spans)


def key_pattern(written: str) -> re.Pattern[str]:
    """`@key` or `@{key}` as pandoc's citation syntax writes it (`written` is "@key")."""
    escaped = re.escape(written[1:])
    return re.compile(rf"@(?:\{{{escaped}\}}|{escaped}{_KEY_GOES_ON})")


class Finder:
    """Finds successive occurrences in one chapter; each kind of search has its own cursor.

    Footnotes are searched apart from the main text: pandoc puts a note's content where the
    note is referenced, but its definition may stand at the end of the chapter.
    """

    def __init__(self, text: str, hidden: bool = True) -> None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.text = hide(text) if hidden else text
        spans = note_spans(self.text)
        main, notes = list(self.text), [c if c == "\n" else " " for c in self.text]
        for start, end in spans:
            notes[start:end] = self.text[start:end]
            main[start:end] = [c if c == "\n" else " " for c in self.text[start:end]]
        self.texts = {False: "".join(main), True: "".join(notes)}
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        # A text with a `\[` may write as literal what pandoc reads as the same brackets: each
        # is then found by its pattern, in order, not first by its plain spelling.
        self.escapes = "\\[" in self.text
        self.cursors: dict[tuple[str, bool], int] = {}
        self.words_taken: set[int] = set()  # the places next_word has given
        self.given: dict[tuple[str, bool], set[int]] = {}  # the places next has given
        # Each table's start and the places taken in it, by cursor.
        self.tables: dict[tuple[str, bool, int], tuple[int, set[int]]] = {}

    def next(
        self,
        kind: str,
        text: str,
        pattern: Callable[[str], re.Pattern[str]],
        in_note: bool = False,
        table: int | None = None,
    ) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the next occurrence of `text` after the previous one of
        this kind; `pattern(text)` finds it where the source spells it otherwise. The
        citations of one `table` (any number naming it) are found in any order."""
        source = self.texts[in_note]
        start = self.cursors.get((kind, in_note), 0)
        taken: set[int] = set()
        if table is not None:
            # pandoc reads a table's caption before its cells wherever it is written, and a
            # grid table's cell of several lines before the cells beside it: each citation
            # is the first not yet taken from where the table starts.
            start, taken = self.tables.setdefault((kind, in_note, table), (start, set()))
        found = self._find(source, text, pattern, start)
        while found is not None and found[0] in taken:
            found = self._find(source, text, pattern, found[0] + 1)
        given = self.given.setdefault((kind, in_note), set())
        if found is None and in_note:
            # pandoc reads the notes in the order they are referenced, and a `[^1]` note's
            # text may stand after an inline `^[…]` note referenced later: from the start,
            # past the places given.
            found = self._find(source, text, pattern, 0)
            while found is not None and found[0] in given:
                found = self._find(source, text, pattern, found[0] + 1)
        if found is None:
            return None, None
        offset, end = found
        taken.add(offset)
        given.add(offset)
        self.cursors[(kind, in_note)] = max(end, self.cursors.get((kind, in_note), 0))
        return self.line_col(offset)

    def _find(
        self, source: str, text: str, pattern: Callable[[str], re.Pattern[str]], start: int
    ) -> tuple[int, int] | None:
        offset = -1 if self.escapes else source.find(text, start)
        if offset >= 0 and self._ends_well(source, text, offset + len(text)):
            return offset, offset + len(text)
        match = pattern(text).search(source, start)
        return None if match is None else (match.start(), match.end())

    def next_word(self, word: str, in_note: bool = False) -> tuple[int | None, int | None]:
        """The next occurrence of `word` as a whole word (not inside a longer one); if there is
        none after the last one found, the first in the text: pandoc reads a table's caption
        before its cells wherever it is written, and the cells' words are then behind."""
        source = self.texts[in_note]
        cursor = self.cursors.get(("word", in_note), 0)
        offset = self._whole_word(source, word, cursor)
        if offset is None:
            # From the start, past the places already given: a word twice is two places.
            offset = self._whole_word(source, word, 0)
            while offset is not None and offset in self.words_taken:
                offset = self._whole_word(source, word, offset + 1)
            if offset is None:
                return None, None
        else:
            self.cursors[("word", in_note)] = offset + len(word)
        self.words_taken.add(offset)
        return self.line_col(offset)

    @staticmethod
    def _whole_word(source: str, word: str, offset: int) -> int | None:
        while (offset := source.find(word, offset)) >= 0:
            end = offset + len(word)
            before = source[offset - 1] if offset else " "
            after = source[end] if end < len(source) else " "
            if not before.isalpha() and not after.isalpha():
                return offset
            offset += 1
        return None

    @staticmethod
    def _ends_well(source: str, text: str, end: int) -> bool:
        # `@smith` must not be the start of `@smith2020`; a bracket ends itself.
        if not text.startswith("@") or end >= len(source):
            return True
        rest = source[end : end + 2]
        return not (
            rest[0].isalnum()
            or rest[0] == "_"
            or (rest[0] in ":.#$%&-+?<>~/" and rest[1:2].isalnum())
        )

    def escaped(self, line: int | None, col: int | None) -> bool:
        """Whether what was found at `line`, `col` is written escaped (`\\[1\\]`)."""
        if line is None or col is None:
            return False
        return self.text[self.starts[line - 1] + col - 1] == "\\"

    def line_col(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def first(
    texts: list[tuple[str, str]], pattern: re.Pattern[str], prose_only: bool = True, skip: int = 0
) -> tuple[str, int | None, int | None] | None:
    """The first match of `pattern` in (name, text) pairs (after `skip` others), as (name,
    line, col); with `prose_only` False, front matter and code are searched too."""
    for name, text in texts:
        finder = Finder(text)
        # Offsets as Finder counts them: in the text with its line ends made "\n".
        plain = text.replace("\r\n", "\n").replace("\r", "\n")
        for match in pattern.finditer(finder.text if prose_only else plain):
            if skip == 0:
                line, col = finder.line_col(match.start())
                return name, line, col
            skip -= 1
    return None
