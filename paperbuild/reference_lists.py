"""The reference list beyond what one citeproc run gives: each entry's terms in its own
language, and a second, transliterated list for Scopus.

citeproc formats every entry with the document's locale; GOST wants a Russian entry's "Т.",
"С." in a Kazakh paper. So the entries of each other language are formatted again by a run in
that language and put in place of the first ones; the numbering, which only the citations
decide, stays. The transliterated list is one more run over the same citations, with a
bibliography whose Cyrillic fields are written in Latin letters, in English terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from paperbuild import jsonio
from paperbuild.pandoc_ast import Node, text_inlines
from paperbuild.profiles import Transliteration, base_language

# biblatex's `langid` names (as pandoc passes them through) → language codes.
LANGUAGE_NAMES = {
    "kazakh": "kk",
    "russian": "ru",
    "english": "en",
    "american": "en",
    "british": "en",
    "ukrainian": "uk",
    "belarusian": "be",
    "kyrgyz": "ky",
    "uzbek": "uz",
    "tatar": "tt",
    "german": "de",
    "ngerman": "de",
    "french": "fr",
    "spanish": "es",
    "italian": "it",
    "portuguese": "pt",
    "polish": "pl",
    "czech": "cs",
    "turkish": "tr",
    "chinese": "zh",
    "japanese": "ja",
    "korean": "ko",
    "arabic": "ar",
    "persian": "fa",
    "greek": "el",
    # The names a Kazakh or Russian author writes in a language field.
    **{"русский": "ru", "казахский": "kk", "английский": "en", "немецкий": "de"},
    **{"орыс": "ru", "қазақ": "kk", "ағылшын": "en", "неміс": "de"},
    # ISO 639-2 codes, as biblatex's langid is sometimes given.
    **{"rus": "ru", "kaz": "kk", "eng": "en", "deu": "de", "ger": "de", "fra": "fr"},
    **{"fre": "fr", "ukr": "uk", "bel": "be", "spa": "es", "ita": "it", "por": "pt"},
    **{"pol": "pl", "ces": "cs", "cze": "cs", "tur": "tr", "kir": "ky", "uzb": "uz"},
    **{"tat": "tt", "zho": "zh", "chi": "zh", "jpn": "ja", "kor": "ko", "ara": "ar"},
}
# The BibTeX fields an author may give an entry's English title in.
ENGLISH_TITLE_FIELDS = ("englishtitle", "translatedtitle", "titleen")
_TEXT_FIELDS = (
    "title",
    "container-title",
    "collection-title",
    "publisher",
    "publisher-place",
    "event",
    "event-title",
    "event-place",
    "genre",
    "medium",
    "title-short",
    "container-title-short",
    "edition",
    "authority",
    "section",
)
_NAME_FIELDS = (
    "author",
    "editor",
    "translator",
    "container-author",
    "collection-editor",
    "director",
    "interviewer",
    "recipient",
    "reviewed-author",
)
_CYRILLIC = re.compile(r"[\u0400-\u04FF\u0500-\u052F]")
# Letters a Cyrillic language has and Russian lacks, asked in this order (і is Kazakh's,
# Ukrainian's and Belarusian's: with none of the others, the paper's language decides).
_OWN_LETTERS = (("uk", "єїґ"), ("be", "ў"), ("kk", "әғқңөұүһі"))
# Scripts an entry's letters may be in, as ranges of letters, with the language taken for each
# and the languages written in it: an entry in the paper's own script is in its language (a
# Persian paper's Arabic-script entry). Kana before Han: a Japanese title has both. Ranges, not
# regular expressions: compiling a class of 20,000 letters cost every build's start 4 ms.
_SCRIPTS: tuple[tuple[tuple[tuple[str, str], ...], str, frozenset[str]], ...] = (
    ((("\u0590", "\u05ff"),), "he", frozenset({"he", "iw", "yi"})),
    (
        (("\u0600", "\u06ff"), ("\u0750", "\u077f")),
        "ar",
        frozenset({"ar", "fa", "ur", "ps", "ckb", "sd", "ug"}),
    ),
    ((("\u0370", "\u03ff"),), "el", frozenset({"el"})),
    ((("\u3040", "\u30ff"),), "ja", frozenset({"ja"})),
    ((("\uac00", "\ud7af"),), "ko", frozenset({"ko"})),
    ((("\u4e00", "\u9fff"),), "zh", frozenset({"zh", "ja"})),
)
# Papers in a Cyrillic language but Kazakh: their Cyrillic entries without such letters are
# in the paper's language (a Bulgarian paper's); a Kazakh paper's are Russian.
_CYRILLIC_PAPERS = frozenset({"ru", "uk", "be", "bg", "sr", "mk"})

# Another citeproc run's reference list, in the language given.
OtherList = Callable[[str], Node | None]


def entry_language(item: dict[str, Any], default: str) -> str:
    """An entry's language code from its CSL `language` (`ru-RU`, a name like `kazakh`, a
    three-letter code like `rus`); without one, from its letters: most .bib files give none,
    and a Kazakh paper's Russian and English works took Kazakh terms ("Б. 23–31")."""
    language = str(item.get("language") or "").strip().lower()
    language = LANGUAGE_NAMES.get(language, language)
    if language:
        return base_language(language)
    return _by_letters(item, default)


def _by_letters(item: dict[str, Any], default: str) -> str:
    """The language an entry's title is written in (its names' and its container's, where it
    has none), as far as their letters tell: Cyrillic with a letter only Kazakh (Ukrainian,
    Belarusian) has is that language, and other Cyrillic Russian (or the paper's own Cyrillic
    language); Hebrew, Arabic, Greek, Japanese, Korean or Chinese letters that language, unless
    the paper is written so; Latin, in a paper in another script, German with German letters,
    else English. Otherwise the paper's language. An English article in a "Вестник" is
    English."""
    names = [
        part
        for field in ("author", "editor")
        for person in item.get(field) or []
        if isinstance(person, dict)
        for part in (person.get("family", ""), person.get("literal", ""))
    ]
    title = str(item.get("title") or "")
    told = title if any(char.isalpha() for char in title) else None
    text = (told or " ".join([str(item.get("container-title") or ""), *names])).lower()
    if _CYRILLIC.search(text):
        own = next((lang for lang, letters in _OWN_LETTERS if set(letters) & set(text)), None)
        if own == "kk" and not set(text) & set("әғқңөұүһ"):  # і alone: theirs, or Kazakh
            own = default if default in ("uk", "be") else "kk"
        return own or (default if default in _CYRILLIC_PAPERS else "ru")
    for ranges, language, written_in in _SCRIPTS:
        if any(low <= char <= high for char in text for low, high in ranges):
            return default if default in written_in else language
    letters = [char for char in text if char.isalpha()]
    latin = bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)
    other_script = any(default in written_in for _, _, written_in in _SCRIPTS)
    if latin and (default in _CYRILLIC_PAPERS | {"kk"} or other_script):
        return "de" if set(text) & set("äöüß") else "en"
    return default


def english_title(fields: dict[str, str]) -> str:
    """The English title an author gave a BibTeX entry, or ""."""
    return next((fields[f] for f in ENGLISH_TITLE_FIELDS if fields.get(f)), "")


def in_entry_languages(
    refs: Node, languages: dict[str, str], lang: str, other_list: OtherList
) -> None:
    """Give each entry of the list `refs` whose language (`languages`, by key) is not the
    document's its own language's terms."""
    groups: dict[str, list[str]] = defaultdict(list)
    base = base_language(lang)
    for key in _keys(refs):
        language = languages.get(key, base)
        if language != base:
            groups[language].append(key)
    for language, keys in groups.items():
        other = other_list(language)
        if other is None:
            continue
        formatted = {entry["c"][0][0]: entry for entry in other["c"][1] if entry["t"] == "Div"}
        wanted = {f"ref-{key}" for key in keys}
        refs["c"][1] = [
            formatted.get(e["c"][0][0], e) if e["c"][0][0] in wanted else e for e in refs["c"][1]
        ]


def write_in_latin(
    items: dict[str, dict[str, Any]],
    english_titles: dict[str, str],
    lang: str,
    settings: Transliteration,
    target: Path,
) -> None:
    """The bibliography `items` (CSL JSON by id) with every Cyrillic field in Latin letters and
    English titles added, written to `target` for the transliterated list's citeproc run."""
    from paperbuild.transliterate import transliterate

    latin = [
        _in_latin(
            item,
            entry_language(item, base_language(lang)),
            english_titles.get(key),
            settings.schemes,
            transliterate,
        )
        for key, item in items.items()
    ]
    jsonio.write(target, latin)


def insert_after(refs: Node, parent: list[Any], other: Node, settings: Transliteration) -> None:
    """Put the list `other` (the transliterated run's) after `refs`, in the blocks `parent`."""
    entries = [_renamed(entry) for entry in other["c"][1] if entry["t"] == "Div"]
    heading = {
        "t": "Header",
        "c": [
            _heading_level(parent, refs),
            ["references-transliterated", ["unnumbered"], []],
            text_inlines(settings.title),
        ],
    }
    listing = {
        "t": "Div",
        "c": [["refs-transliterated", refs["c"][0][1], [["lang", "en"]]], entries],
    }
    position = next(i for i, block in enumerate(parent) if block is refs) + 1
    parent[position:position] = [heading, listing]


def _in_latin(
    item: dict[str, Any],
    language: str,
    english: str | None,
    schemes: dict[str, str],
    transliterate: Callable[..., str],
) -> dict[str, Any]:
    copy = dict(item)
    for field in _TEXT_FIELDS:
        if isinstance(copy.get(field), str) and _CYRILLIC.search(copy[field]):
            copy[field] = transliterate(copy[field], language, schemes)
    for field in _NAME_FIELDS:
        if isinstance(copy.get(field), list):
            copy[field] = [
                {
                    k: transliterate(v, language, schemes)
                    if isinstance(v, str) and _CYRILLIC.search(v)
                    else v
                    for k, v in person.items()
                }
                for person in copy[field]
            ]
    if english and copy.get("title") != item.get("title"):
        copy["title"] = f"{copy['title']} [{english}]"
    return copy


def _keys(refs: Node) -> list[str]:
    return [entry["c"][0][0].removeprefix("ref-") for entry in refs["c"][1] if entry["t"] == "Div"]


def _renamed(entry: Node) -> Node:
    """Ids must not repeat the first list's: `ref-x` becomes `ref-transliterated-x`. pandoc's
    DOCX writer styles only the first list's entries as Bibliography; these say so."""
    ident, classes, attributes = entry["c"][0]
    new_ident = "ref-transliterated-" + ident.removeprefix("ref-")
    attributes = [*attributes, ["custom-style", "Bibliography"]]
    return {"t": "Div", "c": [[new_ident, classes, attributes], entry["c"][1]]}


def _heading_level(parent: list[Any], refs: Node) -> int:
    index = next(i for i, block in enumerate(parent) if block is refs)
    before = parent[index - 1] if index else None
    return before["c"][0] if before and before["t"] == "Header" else 1
