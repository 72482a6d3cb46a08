"""Words that mix scripts: Latin look-alike letters typed into Cyrillic words, and back.

Readers cannot see `қaлa` (Latin a) is not `қала`, but search, spell-checking, hyphenation,
sorting and journals' anti-plagiarism systems can. Which letters look alike comes from Unicode
TR39's confusables, as the `confusable_homoglyphs` package ships them; which letter a word
wanted comes from the letters that exist in one script only and from the language of its
paragraph. TR39 folds letters of different scripts together (Latin ə with Kazakh ә, y with both
у and ү), so the replacement is chosen among the target script's letters: those of the
paragraph's alphabet first, then the script's basic letters (у before ү).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import orjson

from paperbuild import shared_cache

LATIN, CYRILLIC, GREEK = "Latin", "Cyrillic", "Greek"
SCRIPTS = (LATIN, CYRILLIC, GREEK)

# Alphabets of the languages whose words we may correct, lower case.
ALPHABETS: dict[str, str] = {
    "kk": "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "ky": "абвгдеёжзийклмнңоөпрстуүфхцчшщъыьэюя",
    "tt": "аәбвгдеёжҗзийклмнңоөпрстуүфхһцчшщъыьэюя",
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюя",
    "mn": "абвгдеёжзийклмноөпрстуүфхцчшщъыьэюя",
    "el": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς",
    "az": "abcçdeəfgğhxıijkqlmnoöprsştuüvyz",
    "tr": "abcçdefgğhıijklmnoöprsştuüvyz",
}
# Greek letters a reader cannot tell from Latin ones in print, and back. Other Greek letters in
# a Latin word are symbols (μm, kΩ, Δt, NF-κB, αβT), not look-alikes typed by mistake.
_GREEK_AS_LATIN = frozenset("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧο")
_LATIN_AS_GREEK = frozenset("ABEZHIKMNOPTYXo")
# The languages' words of one letter: a lone Latin look-alike of one between Cyrillic words
# (`c` for `с`) was meant as that word; of any other letter (`x`), it is a variable.
_ONE_LETTER_WORDS = {
    "ru": "авиксоуя",
    "uk": "авзійоуя",
    "be": "азіуў",
    "bg": "авиксуя",
    "kk": "аеоуә",
}
_ONE_LETTER_DEFAULT = "авзиійксоуя"
CYRILLIC_LANGUAGES = {"kk", "ru", "uk", "be", "ky", "tt", "bg", "mn", "sr", "mk", "tg", "ba"}

# A URL, e-mail or DOI is not prose; nor is a run of letters and digits (H2O, s11192, x1), nor
# a programming language's name (C++, C#, F#).
_NOT_PROSE = re.compile(r"://|@|^www\.|(?:^|\W)10\.\d{4,}/|^\w{1,2}(?:\+\+|#)", re.IGNORECASE)
_RUNS = re.compile(r"[^\W_]+")
_ROMAN = re.compile(r"M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", re.IGNORECASE)


@functools.cache
def script_of(char: str) -> str | None:
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    return {"LATIN": LATIN, "CYRILLIC": CYRILLIC, "GREEK": GREEK}.get(first)


@functools.lru_cache(maxsize=256)
def language_script(lang: str) -> str:
    base = lang.replace("_", "-").split("-")[0].lower()
    if base in CYRILLIC_LANGUAGES:
        return CYRILLIC
    return GREEK if base == "el" else LATIN


@functools.cache
def _lookalikes() -> dict[str, frozenset[str]]:
    """Each letter's class of single letters TR39 calls confusable with it (across scripts)."""
    table: dict[str, frozenset[str]] = {}
    for members in _classes():
        # One set per class, shared by its letters: the largest has 63.
        shared = frozenset(members)
        table.update(dict.fromkeys(shared, shared))
    return table


def _classes() -> list[str]:
    """The classes, each as a string of its letters: made from the confusables (a third of a
    megabyte of JSON; tens of milliseconds) once, then kept in the shared cache."""
    import confusable_homoglyphs

    source = resources.files(confusable_homoglyphs).joinpath("confusables.json")

    def made() -> list[str]:
        return _made(orjson.loads(source.read_bytes()))

    if not isinstance(source, Path):
        return made()  # inside an archive: no file to name the table by
    stat = source.stat()
    seed = f"{source}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode()
    digest = hashlib.sha256(seed + Path(__file__).read_bytes()).hexdigest()[:16]
    return shared_cache.remembered(f"lookalikes-{digest}.json", made)


def _made(data: dict[str, list[dict[str, str]]]) -> list[str]:
    parent: dict[str, str] = {}

    def find(char: str) -> str:
        while parent.setdefault(char, char) != char:
            parent[char] = parent[parent[char]]
            char = parent[char]
        return char

    for char, homoglyphs in data.items():
        if len(char) != 1:
            continue
        for homoglyph in homoglyphs:
            other = homoglyph["c"]
            if len(other) == 1:
                parent[find(char)] = find(other)
    classes: dict[str, set[str]] = {}
    for char in parent:
        classes.setdefault(find(char), set()).add(char)
    return sorted("".join(sorted(members)) for members in classes.values() if len(members) > 1)


def replacement(char: str, target: str, lang: str) -> str | None:
    """The letter of script `target` that `char` stands for, or None if there is none."""
    if script_of(char) == target:
        return char
    alphabet = ALPHABETS.get(lang.replace("_", "-").split("-")[0].lower(), "")
    candidates = [
        c
        for c in _lookalikes().get(char, ())
        if script_of(c) == target
        and c.isalpha()
        and c.isupper() == char.isupper()
        and "SMALL CAPITAL" not in unicodedata.name(c, "")
        and "FULLWIDTH" not in unicodedata.name(c, "")
        # A language's alphabet, where we know it, bounds what its words may be spelt with;
        # else a script's basic letters do: a look-alike stands in for one of those, never for
        # ß, ĸ or Ʃ, which a fix would wrongly bring in (β, κ, Σ).
        and (
            c.lower() in alphabet
            if alphabet and language_script(lang) == target
            else c.lower() in alphabet or _basic(c)
        )
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c.lower() not in alphabet, ord(c)))


def _basic(letter: str) -> bool:
    code = ord(letter)
    return code < 0x80 or 0x0400 <= code <= 0x045F or 0x0370 <= code <= 0x03FF


def is_unique(char: str, script: str) -> bool:
    """A letter no other script has a look-alike of: it tells the word's script."""
    return not any(
        script_of(c) not in (script, None) and c.isalpha() for c in _lookalikes().get(char, ())
    )


class Word(NamedTuple):
    # A tuple, not a dataclass: a book has a million of them, and tuples are made fastest.
    text: str
    lang: str
    plain: bool  # prose set plainly, not emphasised, quoted or linked (foreign words are)
    in_note: bool = False


@dataclass(frozen=True)
class Finding:
    word: Word
    suggestion: str | None  # None when no single-script spelling can be told
    scripts: tuple[str, ...]  # the scripts its letters are in, in order of first letter
    reason: str  # "mixed" or "latin-in-cyrillic"

    def message(self) -> str:
        if self.reason == "mixed":
            text = f"'{self.word.text}' mixes {' and '.join(self.scripts)} letters"
        else:
            text = f"'{self.word.text}' is typed in Latin letters between Cyrillic words"
        if self.suggestion:
            return f"{text}; it should read '{self.suggestion}' (`doit fix_script` fixes it)"
        return f"{text}; retype it in one script"


@functools.lru_cache(maxsize=1 << 16)
def words_scripts(text: str) -> tuple[str, ...]:
    """The scripts of a word's letters, in order of first appearance."""
    seen: dict[str, None] = {}
    for char in text:
        script = script_of(char)
        if script:
            seen[script] = None
    return tuple(seen)


def intended_script(word: Word) -> str | None:
    """The script a word is meant in: its unique letters', or its paragraph's."""
    scripts = words_scripts(word.text)
    if len(scripts) == 1:
        return scripts[0]
    unique = {script_of(c) for c in word.text if script_of(c) and is_unique(c, script_of(c))}
    if len(unique) == 1:
        return unique.pop()
    if not unique:
        return language_script(word.lang)
    return None  # letters only Latin has and letters only Cyrillic has: no telling


def spell(text: str, target: str, lang: str) -> str | None:
    letters = [replacement(c, target, lang) if script_of(c) else c for c in text]
    return None if any(letter is None for letter in letters) else "".join(letters)


def check(paragraphs: list[list[Word]]) -> list[Finding]:
    """The findings in each paragraph's words, in order."""
    findings = []
    for words in paragraphs:
        found = [(i, words_scripts(w.text)) for i, w in enumerate(words) if _suspect(w)]
        if not found:
            continue  # the common paragraph: every word in one script, none Latin among Cyrillic
        intents = _Intents(words)
        for index, scripts in found:
            word = words[index]
            if set(scripts) == {LATIN, GREEK} and not _greek_lookalike(word):
                continue
            if len(scripts) > 1:
                target = LATIN if _roman_numeral(word) else intents[index]
                suggestion = spell(word.text, target, word.lang) if target else None
                findings.append(Finding(word, suggestion, scripts, "mixed"))
            elif _typed_for_cyrillic(words, intents, index):
                suggestion = spell(word.text, CYRILLIC, word.lang)
                findings.append(Finding(word, suggestion, (LATIN,), "latin-in-cyrillic"))
    return findings


def _greek_lookalike(word: Word) -> bool:
    """A Latin and Greek word whose other-script letters look just like this script's: `Αpple`
    with a Greek capital alpha, not `μM` (micromolar)."""
    meant = GREEK if language_script(word.lang) == GREEK else LATIN
    other = LATIN if meant == GREEK else GREEK
    alike = _LATIN_AS_GREEK if meant == GREEK else _GREEK_AS_LATIN
    return all(c in alike for c in word.text if script_of(c) == other)


def _roman_numeral(word: Word) -> bool:
    """A Roman numeral typed with Cyrillic look-alikes (ХIX: Cyrillic Х, Latin I): Latin."""
    latin = spell(word.text, LATIN, word.lang)
    return latin is not None and latin.isupper() and _ROMAN.fullmatch(latin) is not None


def _suspect(word: Word) -> bool:
    """Mixed, or Latin where Cyrillic is the language: the words `check` looks closer at."""
    scripts = words_scripts(word.text)
    return len(scripts) > 1 or (
        scripts == (LATIN,) and language_script(word.lang) == CYRILLIC and word.plain
    )


class _Intents(dict[int, str | None]):
    """Each word's intended script, worked out when first asked for."""

    def __init__(self, words: list[Word]) -> None:
        super().__init__()
        self.words = words

    def __missing__(self, index: int) -> str | None:
        self[index] = intended_script(self.words[index])
        return self[index]


def _typed_for_cyrillic(words: list[Word], intents: _Intents, index: int) -> bool:
    """A whole Cyrillic word typed in Latin look-alikes (`ic` for `іс`), as opposed to a real
    Latin word: plain lower-case text, every letter with a Cyrillic look-alike, not a Roman
    numeral, in a Cyrillic-language paragraph, between Cyrillic words. A single letter is such
    a word when the language has it as a word (`c` for `с`), or when it is an initial beside a
    name (`C. Сапарғалиев`); otherwise it is a variable or a point (`x`, `точка A`)."""
    word = words[index]
    text = word.text
    if language_script(word.lang) != CYRILLIC or not word.plain:
        return False
    if not (text.islower() or len(text) == 1) or (_ROMAN.fullmatch(text) and len(text) > 1):
        return False
    spelt = spell(text, CYRILLIC, word.lang)
    if spelt is None:
        return False
    near = [i for i in (index - 1, index + 1) if 0 <= i < len(words)]
    if not near or not all(intents[i] == CYRILLIC for i in near):
        return False
    if len(text) > 1:
        return True
    if text.isupper():
        return any(words[i].text[:1].isupper() for i in near)
    base = word.lang.replace("_", "-").split("-")[0].lower()
    return spelt in _ONE_LETTER_WORDS.get(base, _ONE_LETTER_DEFAULT)


def prose_tokens(text: str) -> list[str]:
    """The words of a Str's text, unless it is an identifier, URL, e-mail or DOI."""
    if text.isalpha():
        return [text]  # one plain word, the common case
    if _NOT_PROSE.search(text):
        return []
    return [run for run in _RUNS.findall(text) if not any(c.isdigit() for c in run)]
