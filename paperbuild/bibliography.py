"""The .bib files: their entries, each with its file and line, and what is wrong with them."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import os
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from paperbuild import __version__, bib_values, jsonio, sources
from paperbuild.errors import PaperError
from paperbuild.report import Problem, error, warning

if TYPE_CHECKING:
    import bibtexparser
    from bibtexparser import model

# What an entry needs, by the name the author reads; any one of a name's fields satisfies it.
# BibTeX and biblatex spellings are both accepted (year or date, journal or journaltitle, ...).
FIELDS: dict[str, tuple[str, ...]] = {
    "author or editor": ("author", "editor"),
    "title": ("title",),
    "year": ("year", "date"),
    "year or urldate": ("year", "date", "urldate"),
    "journal": ("journal", "journaltitle"),
    "volume": ("volume",),
    "pages": ("pages",),
    "publisher": ("publisher",),
    "address": ("address", "location"),
    "booktitle": ("booktitle",),
    "school": ("school", "institution"),
    "institution": ("institution",),
    "url": ("url", "doi", "eprint"),  # a DOI or an eprint (arXiv, JSTOR, PubMed…) links too
}

COMMON = ("author or editor", "title", "year")

# biblatex's inheritance (its manual, appendix B), as pandoc follows it: the parent type's title
# becomes the child type's booktitle or journaltitle.
_TITLE_BECOMES: dict[tuple[str, str], str] = {
    **{("book", child): "booktitle" for child in ("inbook", "bookinbook", "suppbook")},
    **{
        (parent, child): "booktitle"
        for parent in ("collection", "reference")
        for child in ("incollection", "inreference", "suppcollection")
    },
    ("proceedings", "inproceedings"): "booktitle",
    **{("periodical", child): "journaltitle" for child in ("article", "suppperiodical")},
}

# Entry types not listed here (@misc, @unpublished, @manual, ...) need only COMMON.
REQUIRED: dict[str, tuple[str, ...]] = {
    # A volume is optional (BibTeX's and biblatex's): many law journals number issues alone.
    "article": (*COMMON, "journal", "pages"),
    "book": (*COMMON, "publisher", "address"),
    "inbook": (*COMMON, "booktitle", "pages", "publisher"),
    "incollection": (*COMMON, "booktitle", "pages", "publisher"),
    "inproceedings": (*COMMON, "booktitle", "pages"),
    "conference": (*COMMON, "booktitle", "pages"),
    "thesis": (*COMMON, "school"),
    "phdthesis": (*COMMON, "school"),
    "mastersthesis": (*COMMON, "school"),
    "techreport": (*COMMON, "institution"),
    "report": (*COMMON, "institution"),
    # A web page, a law or a standard is described under its title when no one signs it (GOST
    # R 7.0.5 and every style).
    "online": ("title", "year or urldate", "url"),
    "webpage": ("title", "year or urldate", "url"),
    "electronic": ("title", "year or urldate", "url"),
    "legislation": ("title", "year"),
    "legal": ("title", "year"),
    "jurisdiction": ("title", "year"),
    "standard": ("title", "year"),
    "misc": COMMON,
}

TO_BE_SUPPLIED = "to be supplied"

PARSE_HINT = "check its braces, quotes and commas"
# `@type{key,` at the start of a block that failed, to name the entry in the message.
_KEY = re.compile(r"@\s*\w+\s*[{(]\s*([^\s,{}()=\"#%]+)\s*,")


def _filled(value: str | None) -> bool:
    return value is not None and value.strip("{} \t\r\n") != ""


@dataclass(frozen=True)
class Entry:
    key: str
    type: str  # lower-case BibTeX type: article, book, misc, incollection, ...
    fields: dict[str, str]  # lower-case field names -> values as bibtexparser gives them
    path: str  # as shown to the author: bibliography/references.bib
    line: int  # 1-based line of the entry's `@`

    def missing(self) -> list[str]:
        """What the entry lacks for its type, as the author reads it: ["title", "year"]."""
        needed = REQUIRED.get(self.type, COMMON)
        return [
            name for name in needed if not any(_filled(self.fields.get(f)) for f in FIELDS[name])
        ]

    def inheriting(self, parent: Entry | None) -> Entry:
        """The entry with what it takes from its `crossref` parent, as pandoc 3 reads it (by
        biblatex's rules): each field it lacks but the title, which becomes its booktitle or
        journaltitle where the types say so (a book's for its chapter, @inbook)."""
        if parent is None:
            return self
        inherited = {k: v for k, v in parent.fields.items() if k not in ("title", "crossref")}
        container = _TITLE_BECOMES.get((parent.type, self.type))
        if container and "title" in parent.fields:
            inherited[container] = parent.fields["title"]
        return replace(self, fields={**inherited, **self.fields})

    def to_be_supplied(self) -> bool:
        """Some field is a placeholder: its value starts with "To be supplied"."""
        return any(
            value.replace("{", "").replace("}", "").strip().lower().startswith(TO_BE_SUPPLIED)
            for value in self.fields.values()
        )


@dataclass
class Bibliography:
    entries: dict[str, Entry]  # by key; the first definition wins
    problems: list[Problem]
    unreadable: int = 0  # files or entries that could not be read: their keys are unknown
    # The first entry of each key in any letter case: `Ivanov2019` and `ivanov2019` are told.
    folded: dict[str, Entry] = dataclasses.field(default_factory=dict, repr=False)

    def parent(self, entry: Entry) -> Entry | None:
        """The entry `entry` names in its `crossref` field (a book for its chapter), if any."""
        key = entry.fields.get("crossref", "").strip("{} \t\r\n")
        if not key:
            return None
        found = self.entries.get(key)  # by its case, as pandoc finds it
        return found if found is not entry else None


def load(paths: list[Path], root: Path, cache_dir: Path | None = None) -> Bibliography:
    """The entries of `paths`, in order, and every problem found; messages name files from root.
    With `cache_dir`, each file's reading is kept there by content."""
    bibliography = Bibliography(entries={}, problems=[])
    used: set[str] = set()
    readings: dict[str, Reading] = {}
    for path in paths:
        shown = _shown(path, root)
        text = _read(path, shown)
        if isinstance(text, Problem):
            bibliography.problems.append(text)
            bibliography.unreadable += 1
            continue
        reading = readings[shown] = parse_cached(text, shown, cache_dir, used)
        bibliography.problems.extend(reading.problems)
        bibliography.problems.extend(crossref_problems(reading.entries))
        bibliography.unreadable += sum(1 for p in reading.problems if "does not parse" in p.message)
        for entry in reading.entries:
            _add(bibliography, entry)
    bibliography.problems.extend(_undefined_macros(readings))
    if cache_dir:
        jsonio.prune(cache_dir, used)  # the readings of files since edited or removed
    return bibliography


def crossref_problems(entries: list[Entry]) -> list[Problem]:
    """In one file's entries (pandoc reads each .bib alone): an error at an entry whose
    `crossref` or `xdata` leads back to it, which pandoc's reader follows for ever, taking all
    the memory there is; a warning at one that names an entry the file does not have."""
    by_key: dict[str, Entry] = {}
    for entry in entries:
        by_key.setdefault(entry.key, entry)
    problems: list[Problem] = []
    looped: set[str] = set()
    folded = {key.casefold(): key for key in reversed(by_key)}
    for entry in entries:
        for parent in _parents(entry):
            if parent in by_key:
                continue
            cased = folded.get(parent.casefold())
            said = (
                f"but this file has '{cased}' (pandoc matches keys by their case); write '{cased}'"
                if cased
                else f"which this file does not have (pandoc reads each .bib file alone); "
                f"add '{parent}' here, or remove the reference to it"
            )
            problems.append(
                warning(
                    f"entry '{entry.key}' takes fields from '{parent}', {said}",
                    path=entry.path,
                    line=entry.line,
                )
            )
        if entry.key in looped:
            continue
        chain = _loop(entry.key, by_key)
        if chain:
            looped.update(chain)
            problems.append(
                error(
                    f"entry '{entry.key}' takes its fields from itself "
                    f"({' → '.join([*chain, chain[0]])}, by crossref or xdata), which pandoc "
                    "would read for ever; remove the crossref that closes the loop",
                    path=entry.path,
                    line=entry.line,
                )
            )
    return problems


def _parents(entry: Entry) -> list[str]:
    named = [entry.fields.get("crossref", ""), *entry.fields.get("xdata", "").split(",")]
    return [key for key in (n.strip("{} \t\r\n") for n in named) if key]


def _loop(key: str, by_key: dict[str, Entry]) -> list[str]:
    """The keys from `key` back to it through crossref and xdata, or [] if none lead back."""
    stack: list[list[str]] = [[key]]
    seen: set[str] = set()
    while stack:
        path = stack.pop()
        for parent in _parents(by_key[path[-1]]):
            if parent == key:
                return path
            if parent in by_key and parent not in seen:
                seen.add(parent)
                stack.append([*path, parent])
    return []


def _add(bibliography: Bibliography, entry: Entry) -> None:
    first = bibliography.entries.get(entry.key)
    if first is None:
        alike = bibliography.folded.setdefault(entry.key.casefold(), entry)
        if alike is not entry:
            where = (
                f"line {alike.line}" if alike.path == entry.path else f"{alike.path}:{alike.line}"
            )
            bibliography.problems.append(
                warning(
                    f"key '{entry.key}' differs from '{alike.key}' ({where}) in letter case alone: "
                    "pandoc keeps them apart, but BibTeX, biber and reference managers take them "
                    "for one; rename one of them",
                    path=entry.path,
                    line=entry.line,
                )
            )
        bibliography.entries[entry.key] = entry
        return
    where = f"line {first.line}" if first.path == entry.path else f"{first.path}:{first.line}"
    bibliography.problems.append(
        error(
            f"duplicate key '{entry.key}' (first defined at {where})",
            path=entry.path,
            line=entry.line,
        )
    )


def _shown(path: Path, root: Path) -> str:
    """A path as the author sees it in messages: relative to the project root."""
    for base, target in (
        (os.path.abspath(root), os.path.abspath(path)),
        (root.resolve(), path.resolve()),
    ):
        try:
            return Path(target).relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)


# ---------------------------------------------------------------------------------------------
# Reading: strict UTF-8, or an error saying what the file looks like instead


def _read(path: Path, shown: str) -> str | Problem:
    try:
        return sources.read_text(path, shown)
    except PaperError as problem:
        return error(f"{problem.message}; {problem.hint}", problem.path, problem.line)


# ---------------------------------------------------------------------------------------------
# Parsing: bibtexparser's blocks become entries and problems


class Macro(NamedTuple):
    """A bare word in a value (`journal = jnl`): the name of a @string this file lacks."""

    key: str  # the entry's
    field: str
    name: str
    line: int


class Reading(NamedTuple):
    entries: list[Entry]
    problems: list[Problem]
    strings: list[str]  # the @strings the file defines, in lower case
    macros: list[Macro]


# What a kept reading holds: changed when `parse` finds more (older readings lack it).
_CACHE_FORMAT = "%, names, labels, field names and months said; @strings and their uses; \\url"


def parse_cached(text: str, shown: str, cache_dir: Path | None, used: set[str]) -> Reading:
    """`parse`, kept by content: bibtexparser takes a third of a second on a thousand entries,
    and the check and the citeproc step both read the bibliography."""
    if cache_dir is None:
        return parse(text, shown)
    seed = "\0".join([__version__, _CACHE_FORMAT, _parser_stamp(), shown, text])
    cache = cache_dir / f"{hashlib.sha256(seed.encode('utf-8')).hexdigest()}.json"
    used.add(cache.name)
    try:
        data = jsonio.read(cache)
        return Reading(
            [Entry(**e) for e in data["entries"]],
            [Problem(**p) for p in data["problems"]],
            data["strings"],
            [Macro(*m) for m in data["macros"]],
        )
    except (OSError, ValueError, KeyError, TypeError):
        pass
    reading = parse(text, shown)
    jsonio.write(
        cache,
        {
            "entries": [asdict(e) for e in reading.entries],
            "problems": [asdict(p) for p in reading.problems],
            "strings": reading.strings,
            "macros": reading.macros,
        },
    )
    return reading


@functools.cache
def _parser_stamp() -> str:
    """Which bibtexparser is installed, told without importing it (a tenth of a second that a
    build whose bibliography is in the cache need not pay)."""
    spec = importlib.util.find_spec("bibtexparser")
    origin = Path(spec.origin) if spec and spec.origin else None
    if origin is None:
        return ""
    info = origin.stat()
    return f"{origin}:{info.st_size}:{info.st_mtime_ns}"


def parse(text: str, shown: str) -> Reading:
    import bibtexparser
    from bibtexparser import model

    with sources.quiet("bibtexparser"):
        library = bibtexparser.parse_string(text)
    entries: list[Entry] = []
    problems: list[Problem] = []
    macros: list[Macro] = []
    strings = sorted({key.lower() for key in library.strings_dict})
    # The @strings a value may name: BibTeX's own macros are the months (`journal = tcs` and
    # the like are a .bst's).
    defined = set(strings) | bib_values.MONTH_MACROS
    for block in library.blocks:
        if isinstance(block, model.DuplicateBlockKeyBlock | model.DuplicateFieldKeyBlock):
            # Kept as entries: `_add` reports duplicate keys (across files too), `_entry` fields.
            raw = block.ignore_error_block
            if isinstance(raw, model.Entry):
                entries.append(_entry(_unenclosed(raw, library), shown, problems))
        elif isinstance(block, model.ParsingFailedBlock):
            problems.append(_failed(block, shown))
        elif isinstance(block, model.Entry):
            if block.key.strip():
                entries.append(_entry(block, shown, problems))
                macros.extend(_bare_macros(block, defined))
            else:
                problems.append(
                    error(
                        f"@{block.entry_type} entry has no key; "
                        "write one after the brace: @misc{smith2020, ...}",
                        path=shown,
                        line=block.start_line + 1,
                    )
                )
    return Reading(entries, problems, strings, macros)


def _entry(block: model.Entry, shown: str, problems: list[Problem]) -> Entry:
    """An Entry; a field given twice (in any letter case) is an error, and its first value wins."""
    fields: dict[str, str] = {}
    for field in block.fields:
        name = field.key.lower()
        if name in fields:
            problems.append(
                error(
                    f"entry '{block.key}' has field '{name}' twice; keep one",
                    path=shown,
                    line=field.start_line + 1,
                )
            )
            continue
        fields[name] = str(field.value)
        said = (
            bib_values.name_problems(name, fields[name]) if name in bib_values.NAME_FIELDS else []
        )
        said += filter(None, [bib_values.label_problem(name, fields[name])])
        for message in said:
            problems.append(
                error(f"entry '{block.key}': {message}", path=shown, line=field.start_line + 1)
            )
        odd = bib_values.field_warning(name, fields[name])
        if odd:
            problems.append(
                warning(f"entry '{block.key}': {odd}", path=shown, line=field.start_line + 1)
            )
        comment = _COMMENT.search(_URLS.sub(lambda m: " " * len(m.group(0)), fields[name]))
        if comment and name not in _VERBATIM:
            problems.append(
                error(
                    f"entry '{block.key}': {name} holds a % that pandoc and LaTeX read as the "
                    "start of a comment, dropping the rest of its line; write \\% for a percent "
                    "sign",
                    path=shown,
                    line=field.start_line + 1 + fields[name].count("\n", 0, comment.start()),
                )
            )
    return Entry(
        key=block.key,
        type=block.entry_type.lower(),
        fields=fields,
        path=shown,
        line=block.start_line + 1,
    )


# An unescaped percent sign, and the fields biblatex reads verbatim, where it is a character.
_COMMENT = re.compile(r"(?<!\\)%")
_VERBATIM = frozenset({"url", "urlraw", "doi", "eprint", "file", "pdf", "verba", "verbb", "verbc"})
# A URL in another field (`howpublished = {\url{https://x.org/a%20b}}`), read verbatim too.
_URLS = re.compile(r"\\(?:url|href)\s*\{[^{}]*\}")

_BARE = re.compile(r"[^\s#{}\"]+")


def _bare_macros(block: model.Entry, defined: set[str]) -> list[Macro]:
    """The bare words in the entry's values (`journal = jnl`) naming no @string of `defined`
    (in lower case)."""
    enclosing = block.parser_metadata.get("removed_enclosing", {})
    return [
        Macro(block.key, field.key.lower(), name, field.start_line + 1)
        for field in block.fields
        if enclosing.get(field.key) == "no-enclosing" and isinstance(field.value, str)
        for name in _bare_words(field.value)
        if not name.isdigit() and name.lower() not in defined
    ]


def _undefined_macros(readings: dict[str, Reading]) -> list[Problem]:
    """A @string a file's value names and the file does not define prints as the word itself
    ("Jnl"): pandoc reads each .bib on its own, so one defined in another file is not seen."""
    problems = []
    for shown, reading in readings.items():
        for macro in reading.macros:
            elsewhere = [
                other
                for other, theirs in readings.items()
                if other != shown and macro.name.lower() in theirs.strings
            ]
            where = (
                f"is defined in {elsewhere[0]}, but pandoc reads each .bib on its own"
                if elsewhere
                else "this file does not define"
            )
            problems.append(
                warning(
                    f"entry '{macro.key}': {macro.field} = {macro.name} names a @string that "
                    f"{where}, so it prints as the word itself; define "
                    f"@string{{{macro.name} = {{...}}}} in this file or write the value in braces",
                    path=shown,
                    line=macro.line,
                )
            )
    return problems


def _bare_words(value: str) -> list[str]:
    """The unquoted, unbraced parts of a value as written (`pub # " x"` -> ["pub"])."""
    words, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(value + "#"):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            part = value[start:i].strip()
            if _BARE.fullmatch(part):
                words.append(part)
            start = i + 1
    return words


def _unenclosed(entry: model.Entry, library: bibtexparser.Library) -> model.Entry:
    """A failed block's entry is left raw (`{x}`, `"x"`); give it values as parsed entries have."""
    from bibtexparser.middlewares import RemoveEnclosingMiddleware

    return RemoveEnclosingMiddleware().transform_entry(entry, library)


def _failed(block: model.ParsingFailedBlock, shown: str) -> Problem:
    from bibtexparser.exceptions import BlockAbortedException

    reason = block.error.abort_reason if isinstance(block.error, BlockAbortedException) else ""
    reason = " ".join((reason or str(block.error)).split()) or "syntax error"
    match = _KEY.match(block.raw)
    entry = f"entry '{match.group(1)}'" if match else "entry"
    return error(
        f"{entry} does not parse: {reason.rstrip('.')}; {PARSE_HINT}",
        path=shown,
        line=block.start_line + 1,
    )
