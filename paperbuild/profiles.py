"""Journal profiles: `templates/<id>/profile.yaml` loaded into a typed, validated `Profile`.

A profile is data only: page, fonts, languages, terms and the CSL style. The layouts that use it
are the Jinja templates beside it (`html.j2`, `typst.j2`); adding a journal is copying a folder.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paperbuild import yamlio
from paperbuild.errors import ProfileError

PROFILE_FILE = "profile.yaml"
SHARED_DIR = "_shared"  # partials and language data every profile uses
_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt)$")
_POINTS_PER = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}


def points(length: str) -> float:
    """`20mm` → 56.69…: lengths in the profile are validated, so this cannot fail."""
    match = _LENGTH.match(length)
    assert match, length
    return float(length[:-2]) * _POINTS_PER[match.group(2)]


@dataclass(frozen=True)
class Page:
    size: str = "a4"
    margin_top: str = "20mm"
    margin_bottom: str = "20mm"
    margin_left: str = "20mm"
    margin_right: str = "20mm"
    number_position: str = "bottom-center"  # where page numbers go; "none" for none

    @property
    def width_height(self) -> tuple[str, str]:
        return {"a4": ("210mm", "297mm"), "letter": ("8.5in", "11in")}[self.size]

    @property
    def number_vertical(self) -> str:
        return self.number_position.split("-")[0]

    @property
    def number_horizontal(self) -> str:
        return self.number_position.split("-")[-1]


@dataclass(frozen=True)
class Font:
    body: str = "Libertinus Serif"
    size: str = "11pt"
    heading_size: str = "12pt"
    line_spacing: float = 1.15
    paragraph_indent: str = "0mm"
    justify: bool = True
    docx_body: str = ""  # the DOCX's font when it differs (Word has Times, not Libertinus)

    @property
    def docx(self) -> str:
        return self.docx_body or self.body

    def heading_points(self, level: int) -> float:
        """A heading level's size in points: level 1 at heading-size, level 2 halfway down to
        the body's, deeper levels at the body's. Levels of one size are told apart by weight
        and slant (bold, bold italic from level 3: the PDF's and the DOCX's alike)."""
        top, body = points(self.heading_size), points(self.size)
        if top <= body:
            return body
        return {1: top, 2: round((top + body) / 2, 2)}.get(level, body)


@dataclass(frozen=True)
class Terms:
    abstract: str
    keywords: str
    references: str
    udc: str = "UDC"
    irsti: str = "IRSTI"


@dataclass(frozen=True)
class Transliteration:
    """A second reference list with every non-Latin entry in Latin letters, as Scopus-indexed
    journals require: `schemes` maps a language to a scheme of paperbuild.transliterate."""

    title: str = "References"
    schemes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Profile:
    id: str
    folder: Path
    name: str
    csl: str
    languages: tuple[str, ...] = ("en",)
    page: Page = field(default_factory=Page)
    font: Font = field(default_factory=Font)
    # Typst numbering pattern for headings ("1.1.", "I.A."); "" for none. DOCX and HTML number
    # them "1.1" when it is set.
    heading_numbering: str = ""
    columns: int = 1
    line_numbers: bool = False  # in the PDF's margin, as manuscripts under review want
    terms: dict[str, Terms] = field(default_factory=dict)
    # Front matter the journal requires: title, author, udc, irsti, date, and per language
    # title.<lang>, abstract.<lang>, keywords.<lang> (abstract and keywords alone: any language).
    required: tuple[str, ...] = ()
    # "entry": each reference's terms in its own language (Т./С. for Russian, Vol./P. for
    # English), as GOST wants; "document": all in the document's language.
    reference_terms: str = "document"
    transliterated_references: Transliteration | None = None

    def terms_for(
        self, lang: str, translations: Callable[[str], dict[str, str]] | None = None
    ) -> Terms:
        """The layout's words for a language tag (`kk-KZ` → `kk`).

        For a language the profile does not name, `translations(lang)` (pandoc's own words)
        gives "Abstract" and "References" in that language; the rest falls back to English.
        """
        base = base_language(lang)
        if base in self.terms:
            return self.terms[base]
        english = self.terms.get("en") or Terms("Abstract", "Keywords", "References")
        words = translations(lang) if translations else {}
        return dataclasses.replace(
            english,
            abstract=words.get("Abstract", english.abstract),
            keywords=KEYWORDS.get(base, english.keywords),
            references=words.get("References", english.references),
        )

    @property
    def shared_dir(self) -> Path:
        return self.folder.parent / SHARED_DIR


# "Keywords" in the languages papers are written in: pandoc's translations have no such term,
# and an abstract headed in Turkish ("Özet") was followed by "Keywords:".
KEYWORDS = {
    "ar": "الكلمات المفتاحية",
    "az": "Açar sözlər",
    "bg": "Ключови думи",
    "ca": "Paraules clau",
    "cs": "Klíčová slova",
    "da": "Nøgleord",
    "de": "Schlüsselwörter",
    "el": "Λέξεις-κλειδιά",
    "es": "Palabras clave",
    "et": "Märksõnad",
    "fa": "کلیدواژه‌ها",
    "fi": "Avainsanat",
    "fr": "Mots-clés",
    "he": "מילות מפתח",
    "hr": "Ključne riječi",
    "hu": "Kulcsszavak",
    "id": "Kata kunci",
    "it": "Parole chiave",
    "ja": "キーワード",
    "kk": "Түйін сөздер",
    "ko": "주제어",
    "ky": "Ачкыч сөздөр",
    "lt": "Raktažodžiai",
    "lv": "Atslēgvārdi",
    "nb": "Nøkkelord",
    "nl": "Trefwoorden",
    "pl": "Słowa kluczowe",
    "pt": "Palavras-chave",
    "ro": "Cuvinte cheie",
    "ru": "Ключевые слова",
    "sk": "Kľúčové slová",
    "sr": "Кључне речи",
    "sv": "Nyckelord",
    "tr": "Anahtar kelimeler",
    "uk": "Ключові слова",
    "uz": "Kalit soʻzlar",
    "vi": "Từ khóa",
    "zh": "关键词",
}


def base_language(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def available(templates_dir: Path) -> list[str]:
    return sorted(
        p.parent.name
        for p in templates_dir.glob(f"*/{PROFILE_FILE}")
        if not p.parent.name.startswith("_")
    )


def load(templates_dir: Path, profile_id: str) -> Profile:
    folder = templates_dir / profile_id
    path = folder / PROFILE_FILE
    shown = Path(templates_dir.name) / profile_id / PROFILE_FILE  # as the author sees it
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", profile_id) or not path.is_file():
        ids = ", ".join(available(templates_dir)) or "none"
        raise ProfileError(
            f"unknown journal '{profile_id}'",
            path=templates_dir.name,
            hint=f"journals that exist: {ids}",
        )
    data = yamlio.load_journal_file(path, shown.as_posix()) or {}
    if not isinstance(data, dict):
        raise ProfileError("must be a mapping of settings", path=shown)
    try:
        return _convert(Profile, {**data, "id": profile_id, "folder": folder}, shown, "")
    except ProfileError as error:
        named = re.match(r"(?:unknown key |missing key )?'([^']+)'", error.message)
        if named and error.line is None:
            error.line = _line_of(path.read_text(encoding="utf-8"), named.group(1))
        raise


def _line_of(text: str, key: str) -> int | None:
    """The line that sets `key` (`page.margin-top`): its last part, below the others."""
    line, start = None, 0
    lines = text.splitlines()
    for part in key.split("."):
        pattern = re.compile(rf"^[ \t]*['\"]?{re.escape(part)}['\"]?[ \t]*:")
        found = next((i for i in range(start, len(lines)) if pattern.match(lines[i])), None)
        if found is None:
            return line
        line, start = found + 1, found + 1
    return line


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    # Evaluated once per class: each build step reads the profile, and the string annotations
    # were compiled again every time (1.2 ms of each read's 1.5).
    return typing.get_type_hints(kind)


def _convert(kind: Any, value: Any, path: Path, key: str) -> Any:
    """Check `value` against the type `kind`, naming the profile key on a mismatch."""
    origin = typing.get_origin(kind)
    if dataclasses.is_dataclass(kind):
        if not isinstance(value, dict):
            raise ProfileError(f"'{key}' must be a mapping", path=path)
        hints = _hints(kind)
        names = {f.name.replace("_", "-"): f.name for f in dataclasses.fields(kind)}
        unknown = [k for k in value if str(k).replace("_", "-") not in names]
        if unknown:
            where = f"{key}." if key else ""
            raise ProfileError(
                f"unknown key '{where}{unknown[0]}'",
                path=path,
                hint=f"known keys: {', '.join(names)}",
            )
        converted = {names[str(k).replace("_", "-")]: v for k, v in value.items()}
        missing = [
            f.name
            for f in dataclasses.fields(kind)
            if f.name not in converted
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        ]
        if missing:
            raise ProfileError(f"missing key '{_join(key, missing[0])}'", path=path)
        return kind(
            **{
                name: _convert(hints[name], v, path, _join(key, name))
                for name, v in converted.items()
            }
        )
    if kind is Path:
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise ProfileError(f"'{key}' must be a list", path=path)
        return tuple(_convert(typing.get_args(kind)[0], v, path, key) for v in value)
    if origin is dict:
        if not isinstance(value, dict):
            raise ProfileError(f"'{key}' must be a mapping", path=path)
        item = typing.get_args(kind)[1]
        return {str(k): _convert(item, v, path, _join(key, str(k))) for k, v in value.items()}
    if origin in (types.UnionType, typing.Union):  # `X | None`: a section that may be absent
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return None if value is None else _convert(inner, value, path, key)
    expected = {str: str, bool: bool, float: (int, float), int: int}[kind]
    if not isinstance(value, expected) or (kind is not bool and isinstance(value, bool)):
        if key in _LENGTH_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
            raise ProfileError(
                f"'{key}' is {value!r}, with no unit",
                path=path,
                hint=f"write it with its unit: {value}mm, {value}pt",
            )
        if key in _LENGTH_KEYS:
            raise ProfileError(
                f"'{key}' must be a length like 20mm or 12pt, not {value!r}", path=path
            )
        raise ProfileError(f"'{key}' must be {_KINDS[kind]}, not {value!r}", path=path)
    if kind is int and not 1 <= value <= 3:
        raise ProfileError(f"'{key}' must be 1, 2 or 3, not {value!r}", path=path)
    if kind is str and key in _LENGTH_KEYS and not _LENGTH.match(value):
        raise ProfileError(f"'{key}' must be a length like 20mm or 12pt, not {value!r}", path=path)
    if key in _PATTERNS and not _PATTERNS[key][0].fullmatch(value):
        raise ProfileError(f"'{key}' item {value!r} is not {_PATTERNS[key][1]}", path=path)
    if key in _CHOICES and value not in _CHOICES[key]:
        raise ProfileError(
            f"'{key}' must be one of {', '.join(_CHOICES[key])}, not {value!r}", path=path
        )
    return float(value) if kind is float else value


_KINDS = {str: "text", bool: "true or false", float: "a number such as 1.5", int: "a number"}
_LENGTH_KEYS = {
    "page.margin-top",
    "page.margin-bottom",
    "page.margin-left",
    "page.margin-right",
    "font.size",
    "font.heading-size",
    "font.paragraph-indent",
}
_CHOICES = {
    "reference-terms": ("document", "entry"),
    "page.size": ("a4", "letter"),
    "page.number-position": ("bottom-center", "bottom-right", "top-right", "top-center", "none"),
}
_PATTERNS = {
    "heading-numbering": (re.compile(r"[1aAiI.\-)( ]*"), "a Typst numbering like 1.1. or I.A."),
    "required": (
        re.compile(
            r"(title|author|udc|irsti|date|abstract|keywords)|(title|abstract|keywords)"
            r"\.[a-z]{2,3}"
        ),
        "one of title, author, udc, irsti, date, abstract, keywords, title.<lang>, "
        "abstract.<lang>, keywords.<lang>",
    ),
}


def _join(prefix: str, name: str) -> str:
    name = name.replace("_", "-")
    return f"{prefix}.{name}" if prefix else name
