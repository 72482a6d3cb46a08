"""Reading the author's text files: UTF-8, or a clear error saying what they are instead."""

from __future__ import annotations

import codecs
import logging
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from paperbuild.errors import EncodingError, ProjectError

# Python's codec names (as charset_normalizer gives them) → (what authors call it, iconv's name).
ENCODINGS: dict[str, tuple[str, str]] = {
    "cp1251": ("Windows-1251", "CP1251"),
    "cp1252": ("Windows-1252", "CP1252"),
    "cp1250": ("Windows-1250", "CP1250"),
    "kz1048": ("KZ-1048 (Kazakh Windows)", "RK1048"),
    "ptcp154": ("PT154 (Kazakh)", "PT154"),
    "koi8_r": ("KOI8-R", "KOI8-R"),
    "koi8_u": ("KOI8-U", "KOI8-U"),
    "mac_cyrillic": ("Mac Cyrillic", "MACCYRILLIC"),
    "cp866": ("DOS Cyrillic (CP866)", "CP866"),
    "cp1125": ("DOS Cyrillic (CP1125)", "CP1125"),
    "latin_1": ("Latin-1", "ISO-8859-1"),
    "iso8859_5": ("ISO-8859-5", "ISO-8859-5"),
    "utf_16": ("UTF-16", "UTF-16"),
    "utf_16_le": ("UTF-16LE", "UTF-16LE"),
    "utf_16_be": ("UTF-16BE", "UTF-16BE"),
    "utf_32": ("UTF-32", "UTF-32"),
}

# charset_normalizer takes Kazakh text in KZ-1048 or PT154 for Windows-1251, which shares their
# bytes but for the Kazakh letters; the code page in which the text reads as Russian or Kazakh
# is the one. On a tie (Russian alone) Windows-1251, the most common, is named.
CYRILLIC_CODE_PAGES = ("cp1251", "kz1048", "ptcp154")
# charset_normalizer tells the Latin code pages apart poorly on a page of text (German as
# Windows-1250, Spanish as Baltic CP775, whose conversion garbles ü into ³); whichever of these
# it names, the text is Western or Central European, told apart by their letters.
LATIN_CODE_PAGES = ("cp1252", "cp1250")
# (Windows-1257 and -1254, Baltic and Turkish, are named as charset_normalizer names them:
# their letters read as letters in Windows-1252 too, so these could not tell them apart.)
LATIN_GUESSES = frozenset(
    {"cp1252", "cp1250", "latin_1", "iso8859_2", "iso8859_15", "cp775", "cp437", "cp850"}
    | {"cp852", "mac_roman", "mac_latin2"}
)
CYRILLIC_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")


def read_text(path: Path, shown: str) -> str:
    text = decode(read_bytes(path, shown), shown)
    _check_line_ends(text, shown)
    return text


def read_bytes(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ProjectError(
            f"cannot read the file: {exc.strerror or exc}",
            path=shown,
            hint="check that it exists and that you may read it",
        ) from None


def decode(data: bytes, shown: str) -> str:
    """Strict UTF-8 (a byte-order mark is dropped), or an error naming the likely encoding."""
    # Dropped by hand: decoding "utf-8-sig" counts error positions without the mark.
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(data, data[: exc.start].count(b"\n") + 1, shown) from None
    if "\x00" in text:  # UTF-16 without a byte-order mark can be valid UTF-8, NULs and all
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        codec = guess_encoding(data) or ""
        if codec.startswith(("utf_16", "utf_32")) or text.count("\x00") > len(text) // 4:
            raise _not_utf8(data, line, shown)
        raise EncodingError(
            "it holds a NUL character (byte 0), which is no text",
            path=shown,
            line=line,
            col=at - text.rfind("\n", 0, at),
            hint="delete it (an editor shows it as ^@ or a box)",
        )
    return text


def _check_line_ends(text: str, shown: str) -> None:
    """Classic Mac OS ended lines in a carriage return alone; pandoc reads such a file as one
    line (its front matter unseen, every position on line 1). A stray lone CR among LF lines,
    as pasted text leaves, is only dropped by pandoc, so only a file with no LF at all stops."""
    if "\r" in text and "\n" not in text and text.count("\r") > 1:
        raise EncodingError(
            "its lines end in a carriage return alone (classic Mac OS line endings), which "
            "pandoc reads as a single line",
            path=shown,
            hint="save it with Unix (LF) or Windows (CRLF) line endings",
        )


def _not_utf8(data: bytes, line: int, shown: str) -> EncodingError:
    if _mostly_utf8(data):
        # Converting the whole file would garble the rest (Мироненко as Mac-Icelandic).
        return EncodingError(
            "not UTF-8 here, in a file that otherwise is: this line was typed or pasted in "
            "another encoding",
            path=shown,
            line=line,
            hint="retype its accented letters and other characters beyond ASCII",
        )
    codec = guess_encoding(data)
    if codec is None or codec in ("utf_8", "ascii"):
        return EncodingError(
            "not UTF-8 text",
            path=shown,
            line=line,
            hint="open it in your editor and save it as UTF-8",
        )
    name, iconv = ENCODINGS.get(codec, (codec.upper().replace("_", "-"),) * 2)
    # A command to paste as it is: iconv writing over the file it reads would empty it.
    source, converted = shlex.quote(shown), shlex.quote(f"{shown}.utf-8")
    return EncodingError(
        f"not UTF-8 (it looks like {name})",
        path=shown,
        line=line,
        hint=(
            f"convert it: `iconv -f {iconv} -t UTF-8 {source} > {converted} && "
            f"mv {converted} {source}`"
        ),
    )


def _mostly_utf8(data: bytes) -> bool:
    """Whether the bytes are UTF-8 but for a few: many characters beyond ASCII read as UTF-8,
    twice as many as the bytes that do not (a legacy code page's text makes a few valid pairs
    by chance, and many bytes that are not)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if char > "\x7f") - bad
    return good >= 5 and good >= 2 * bad


def guess_encoding(data: bytes) -> str | None:
    """The encoding `data` most likely is in, as Python names it (cp1251, kz1048, utf_16…)."""
    from charset_normalizer import from_bytes

    with quiet("charset_normalizer"):
        best = from_bytes(data[:262144]).best()
    if best is None:
        return None
    if best.encoding in CYRILLIC_CODE_PAGES:
        return max(CYRILLIC_CODE_PAGES, key=lambda codec: _cyrillic_letters(data, codec))
    if best.encoding in LATIN_GUESSES:
        # The most common first: a tie (French, German, Spanish read as letters in both)
        # is Windows-1252, whose letters only Central European text turns into symbols.
        return min(LATIN_CODE_PAGES, key=lambda codec: _symbols(data, codec))
    return best.encoding


def _cyrillic_letters(data: bytes, codec: str) -> int:
    text = data.decode(codec, errors="replace").lower()
    return sum(char in CYRILLIC_LETTERS for char in text)


def _symbols(data: bytes, codec: str) -> int:
    """How many bytes beyond ASCII `codec` reads as no letter (Polish ł is ³ in Windows-1252,
    ą is ¹), or cannot read."""
    text = data.decode(codec, errors="replace")
    return sum(1 for char in text if ord(char) > 127 and not char.isalpha())


@contextmanager
def quiet(name: str) -> Iterator[None]:
    """Nothing logged by library `name` reaches the author: what matters becomes a Problem."""
    logger = logging.getLogger(name)
    handler = logging.NullHandler()  # without a handler, Python prints warnings to stderr
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.propagate = propagate
        logger.removeHandler(handler)
