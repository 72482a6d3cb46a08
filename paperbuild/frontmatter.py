"""The manuscript's front matter, read from pandoc's parsed metadata into typed records.

pandoc has already read the YAML and parsed its strings as Markdown, so titles and abstracts keep
their emphasis and links; we only give the shapes authors use one meaning:

* `abstract:` / `keywords:` either in the document's language, or a mapping language → value;
* `translated-title:` a mapping language → title;
* `author:` strings, `{name, affiliation, email, orcid}` maps, or pandoc-scholar's
  `- Name: {institute: id}` with a top-level `institute:` list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paperbuild import writing_direction
from paperbuild.errors import FrontMatterError
from paperbuild.pandoc_ast import Blocks, Inlines, Plain, stringify, text_inlines
from paperbuild.profiles import base_language

DEFAULT_LANG = "en-US"


@dataclass(frozen=True)
class Author:
    name: Inlines
    affiliation: Inlines = field(default_factory=list)
    email: str = ""
    orcid: str = ""


@dataclass(frozen=True)
class Summary:
    """Title, abstract and keywords in one language: a journal prints one block per language."""

    lang: str
    title: Inlines
    abstract: Blocks
    keywords: list[Inlines]


@dataclass(frozen=True)
class FrontMatter:
    lang: str
    title: Inlines
    authors: list[Author]
    summaries: list[Summary]
    journal: str | None = None
    udc: str = ""
    irsti: str = ""
    reference_numbers: list[str] = field(default_factory=list)
    date: str = ""
    dir: str = "ltr"  # the way the document's language is written, or `dir:` says
    subtitle: Inlines = field(default_factory=list)

    @property
    def base_lang(self) -> str:
        return base_language(self.lang)

    def tag(self, base: str) -> str:
        """The language tag a summary in `base` is written in: the document's own, script and
        all (zh-Hans, sr-Latn), for its language; pandoc's words differ by script."""
        return self.lang if base == self.base_lang else base

    def summaries_in(self, order: tuple[str, ...]) -> list[Summary]:
        """The document's own language first, then the profile's order, then any others."""
        rank = {lang: i + 1 for i, lang in enumerate(order)}
        rank[self.base_lang] = 0
        return sorted(self.summaries, key=lambda s: rank.get(s.lang, len(rank) + 1))


def read(meta: dict[str, Any], source: Path) -> FrontMatter:
    """`meta` is the `meta` object of pandoc's JSON AST; `source` names the file for errors."""
    lang = _language(meta.get("lang"), source)
    base = base_language(lang)
    title = _inlines(_text_value(meta, "title", source))
    translated = _by_language(meta.get("translated-title"), base, "translated-title", source)
    abstracts = _by_language(meta.get("abstract"), base, "abstract", source)
    keywords = _by_language(meta.get("keywords"), base, "keywords", source)
    for name, values in (("abstract", abstracts), ("translated-title", translated)):
        for value in values.values():
            _written(value, f"'{name}'", name, source)
    for value in keywords.values():
        for keyword in _list(value):
            _written(keyword, "a keyword", "keywords", source)
    languages = list(dict.fromkeys([*abstracts, *keywords, *translated]))
    summaries = [
        Summary(
            lang=code,
            title=title if code == base else _inlines(translated.get(code)),
            abstract=_blocks(abstracts.get(code)),
            keywords=[_inlines(k) for k in _list(keywords.get(code))],
        )
        for code in languages
    ]
    return FrontMatter(
        lang=lang,
        title=title,
        authors=_authors(meta, source),
        summaries=summaries,
        journal=_text(meta.get("journal")) or None,
        udc=_text(meta.get("udc")),
        irsti=_text(meta.get("irsti")),
        reference_numbers=_reference_numbers(meta.get("reference-numbers"), source),
        date=_text(meta.get("date")),
        dir=_direction(meta, lang, source),
        subtitle=_inlines(_text_value(meta, "subtitle", source)),
    )


# A language tag as BCP 47 shapes it: a language, then subtags (region, script, variant).
_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")
# Country codes written for the language, which are no language's code.
_COUNTRY_FOR_LANGUAGE = {
    "kz": ("Kazakh", "kk"),
    "ua": ("Ukrainian", "uk"),
    "cn": ("Chinese", "zh"),
    "jp": ("Japanese", "ja"),
    "gr": ("Greek", "el"),
    "dk": ("Danish", "da"),
    "cz": ("Czech", "cs"),
    "rs": ("Serbian", "sr"),
    "by": ("Belarusian", "be"),
    "kr": ("Korean", "ko"),
    "vn": ("Vietnamese", "vi"),
    "il": ("Hebrew", "he"),
    "ir": ("Persian", "fa"),
}


def _text_value(meta: dict[str, Any], name: str, source: Path) -> Any:
    """The field, which is text: a list or a mapping would print as its items run together."""
    value = meta.get(name)
    if value is not None and value.get("t") in ("MetaList", "MetaMap", "MetaBool"):
        raise FrontMatterError(
            f"'{name}' must be text, not a list, a mapping or true/false",
            path=source,
            hint=f"write it as '{name}: …' on one line (quoted if it holds a colon)",
            key=name,
        )
    return value


def _language(value: Any, source: Path) -> str:
    """The document's language tag: pandoc, Typst and the journal's terms go by it."""
    if value is None:
        return DEFAULT_LANG
    tag = _text(value) if value.get("t") in ("MetaString", "MetaInlines") else None
    if tag == "":
        return DEFAULT_LANG  # `lang:` left empty, as pandoc takes it
    if tag is None or not _TAG.match(tag):
        written = tag.replace("_", "-") if tag else ""
        raise FrontMatterError(
            "'lang' is not a language tag",
            path=source,
            hint=f"write {written}" if _TAG.match(written) else "write one, such as kk or en-US",
            key="lang",
        )
    _not_a_country(tag, f"'lang' is '{tag}'", source, "lang")
    base = base_language(tag).lower()
    if len(base) == 3:
        from paperbuild.reference_lists import LANGUAGE_NAMES

        meant = LANGUAGE_NAMES.get(base)
        if meant:  # `kaz`: pandoc, Typst and the journal's terms go by `kk`
            raise FrontMatterError(
                f"'lang' is '{tag}', a three-letter code: pandoc's words and the journal's "
                "know a language that has a two-letter code by that one",
                path=source,
                hint=f"write {meant}{tag[len(base) :]}",
                key="lang",
            )
    return tag


def _not_a_country(code: str, said: str, source: Path, key: str) -> None:
    """A FrontMatterError where `code` is a country's (`kz`) used as its language's: `said`
    names the value, as the message begins ("'lang' is 'kz'")."""
    mistaken = _COUNTRY_FOR_LANGUAGE.get(base_language(code).lower())
    if mistaken:
        language, meant = mistaken
        raise FrontMatterError(
            f"{said}, a country's code, not a language's",
            path=source,
            hint=f"{language} is '{meant}'",
            key=key,
        )


def _direction(meta: dict[str, Any], lang: str, source: Path) -> str:
    """pandoc's `dir: rtl|ltr`, or the way the language is written."""
    given = _text_value(meta, "dir", source)
    if given is None:
        return writing_direction.of(lang)
    way = _text(given).strip().lower()
    if way not in ("rtl", "ltr"):
        raise FrontMatterError(
            f"'dir' is '{_text(given)}'",
            path=source,
            hint="write rtl (right to left) or ltr, or leave it out: the language says it",
            key="dir",
        )
    return way


def _reference_numbers(value: Any, source: Path) -> list[str]:
    if value is None:
        return []
    if value.get("t") != "MetaList":
        raise FrontMatterError(
            "'reference-numbers' must be a list of BibTeX keys",
            path=source,
            hint="write one key per line: '  - smith2020'",
            key="reference-numbers",
        )
    keys = [_text(item).strip().lstrip("@") for item in value["c"]]
    for number, key in enumerate(keys, start=1):
        if not key or " " in key:
            raise FrontMatterError(
                f"'reference-numbers' item {number} is not a BibTeX key: {key!r}",
                path=source,
                key="reference-numbers",
            )
    return keys


def _by_language(value: Any, base: str, name: str, source: Path) -> dict[str, Any]:
    """A value in the document language, or a mapping whose keys are language codes."""
    if value is None:
        return {}
    if value.get("t") == "MetaMap":
        out = {}
        for code, item in value["c"].items():
            if not code.replace("-", "").isalpha() or len(code) > 12:
                raise FrontMatterError(
                    f"'{name}' key '{code}' is not a language code",
                    path=source,
                    hint="use codes like kk, ru, en as keys",
                    key=name,
                )
            # `kz:` printed its abstract under the English heading, as a language unknown.
            _not_a_country(code, f"'{name}' has the key '{code}'", source, name)
            out[base_language(code)] = item
        return out
    return {base: value}


def _authors(meta: dict[str, Any], source: Path) -> list[Author]:
    value = meta.get("author")
    if value is None:
        return []
    items = value["c"] if value.get("t") == "MetaList" else [value]
    institutes = _institutes(meta.get("institute"))
    # `author: ""` (a template's blank) is no author: the profile's requirement says so.
    named = [item for item in items if item.get("t") == "MetaMap" or _text(item)]
    return [_author(n, item, institutes, source) for n, item in enumerate(named, 1)]


# An author's own fields, which a one-field mapping (`- affiliation: X`) is not a name of.
_AUTHOR_FIELDS = frozenset({"name", "affiliation", "email", "orcid", "institute"})


def _author(
    number: int, item: dict[str, Any], institutes: dict[str, Inlines], source: Path
) -> Author:
    if item.get("t") != "MetaMap":
        return Author(name=_inlines(_written(item, "an author", "author", source)))
    fields = item["c"]
    if "name" not in fields and len(fields) == 1:
        ((name, details),) = fields.items()
        if name.lower() not in _AUTHOR_FIELDS and (
            details.get("t") == "MetaMap" or not _text(details)
        ):
            # pandoc-scholar: `- Jane Doe: {institute: id, email: ...}`
            fields = {
                **(details["c"] if details.get("t") == "MetaMap" else {}),
                "name": {"t": "MetaString", "c": name},
            }
    for part in ("name", "affiliation", "email", "orcid"):
        _written(fields.get(part), f"an author's {part}", "author", source)
    if not _text(fields.get("name")):
        raise FrontMatterError(
            f"author {number} has no name",
            path=source,
            hint="give it 'name: …'; a line that starts with '-' begins a new author, so write "
            "an author's affiliation, email and orcid under the name without one",
            key="author",
        )
    affiliation = _inlines(fields.get("affiliation"))
    if not affiliation and "institute" in fields:
        ids = [_text(i) for i in _list(fields["institute"])]
        names = [institutes.get(i, text_inlines(i)) for i in ids]
        affiliation = _join(names, "; ")
    return Author(
        name=_inlines(fields.get("name")),
        affiliation=affiliation,
        email=_text(fields.get("email")),
        orcid=_orcid(_text(fields.get("orcid"))),
    )


# An ORCID iD as its page's address (https://orcid.org/0000-…), as orcid.org shows it to copy.
_ORCID_URL = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)


def _orcid(written: str) -> str:
    """The iD alone: the layouts link it to https://orcid.org/<iD> (it was the address twice)."""
    return _ORCID_URL.sub("", written.strip()).strip("/ ")


def _institutes(value: Any) -> dict[str, Inlines]:
    out: dict[str, Inlines] = {}
    for item in _list(value):
        if item.get("t") != "MetaMap":
            continue
        for ident, details in item["c"].items():
            if details.get("t") == "MetaMap":
                out[ident] = _inlines(details["c"].get("name"))
            else:
                out[ident] = _inlines(details)
    return out


def _join(parts: list[Inlines], separator: str) -> Inlines:
    out: Inlines = []
    for part in parts:
        if out:
            out.extend(text_inlines(separator))
        out.extend(part)
    return out


def _written(value: Any, what: str, key: str, source: Path) -> Any:
    """`value` when it is text; YAML's booleans and a list or a mapping where text goes would
    print as "true" or run their items together."""
    kind = value.get("t") if value is not None else None
    if kind == "MetaBool":
        raise FrontMatterError(
            f"{what} reads as {'true' if value['c'] else 'false'}: YAML takes yes, no, on, off, "
            "y and n as true or false",
            path=source,
            hint="put it in quotes",
            key=key,
        )
    if kind in ("MetaList", "MetaMap"):
        raise FrontMatterError(
            f"{what} must be text, not a list or a mapping",
            path=source,
            hint="write it on one line (quoted if it holds a colon or a comma)",
            key=key,
        )
    return value


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value["c"] if value.get("t") == "MetaList" else [value]


def _text(value: Any) -> str:
    return stringify(value).strip() if value is not None else ""


def _inlines(value: Any) -> Inlines:
    if value is None:
        return []
    kind = value.get("t")
    if kind == "MetaInlines":
        return value["c"]
    if kind == "MetaString":
        return text_inlines(value["c"])
    if kind == "MetaBlocks":
        # A one-paragraph block value (YAML `|` literal) used where a line is expected.
        return [i for block in value["c"] for i in block["c"] if block["t"] in ("Para", "Plain")]
    return text_inlines(stringify(value))


def _blocks(value: Any) -> Blocks:
    if value is None:
        return []
    if value.get("t") == "MetaBlocks":
        return value["c"]
    return [Plain(_inlines(value))]
