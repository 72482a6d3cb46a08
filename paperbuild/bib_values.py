""".bib values written as a reader writes them, which pandoc reads otherwise and prints wrong.

Authors in Kazakhstan and Russia write a name as it is printed, "Иванов И. И.", and several as
a list, "Иванов И. И., Петров П. П." or "Иванов и Петров"; BibTeX reads a name without a comma
as first names then surname (printed "И. И. И.") and separates names only by "and". A page or
issue label typed into the value ("С. 12–18", "№ 2") is printed twice, the style's own before it.
"""

from __future__ import annotations

import re

from paperbuild.citations import PAGE_LABEL

# Fields holding names, as BibTeX and biblatex spell them.
NAME_FIELDS = frozenset({"author", "editor", "translator", "bookauthor", "editora", "editorb"})

_INITIALS = r"(?:[^\W\d_]{1,2}\.[ \t~]*){1,3}"
_SURNAME = r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))+"
# "Иванов И. И.": a surname, then its initials.
_SURNAME_FIRST = re.compile(rf"{_SURNAME}[ \t~]+{_INITIALS}")
_NAME = re.compile(rf"{_SURNAME_FIRST.pattern}|{_INITIALS}{_SURNAME}")


def is_name_with_initials(text: str) -> bool:
    """`Иванов И. И.`, `I. I. Ivanov`: a surname and its initials, in either order."""
    return _NAME.fullmatch(text.strip()) is not None


# "and" in the languages of our authors, which BibTeX does not read as one.
_LOCAL_AND = re.compile(r"\s(?:и|және|und|та|і)\s", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def name_problems(field: str, value: str) -> list[str]:
    """What is wrong with a name field's value, each as a message and what to write instead."""
    problems = []
    for name in _names(value):
        if not name or name.lower() == "others" or name.startswith("{"):
            continue
        parts = [part.strip() for part in name.split(",")]
        if len(parts) >= 2 and all(_NAME.fullmatch(part) for part in parts):
            problems.append(
                f"{field} '{name}' is several names separated by commas, which BibTeX reads as "
                f"one; separate names with 'and': {' and '.join(_comma_form(p) for p in parts)}"
            )
        elif _LOCAL_AND.search(name):
            problems.append(
                f"{field} '{name}' joins names with a word BibTeX does not read as one; "
                "separate names with 'and'"
            )
        elif len(parts) == 1 and _SURNAME_FIRST.fullmatch(name):
            problems.append(
                f"{field} '{name}' reads as first names '{name.rsplit(' ', 1)[0]}' and surname "
                f"'{name.rsplit(' ', 1)[1]}' (BibTeX takes a name without a comma as first "
                f"names, then surname); write {_comma_form(name)}"
            )
    return problems


def _comma_form(name: str) -> str:
    """ "Иванов И. И." as BibTeX reads it: "Иванов, И. И."; "И. И. Иванов" stays."""
    match = _SURNAME_FIRST.fullmatch(name)
    if match is None:
        return name
    surname, initials = name.split(None, 1)
    return f"{surname}, {initials}"


def _names(value: str) -> list[str]:
    """The names of a field, split at each "and" outside braces (`{Ministry of Justice and
    Law}` is one name), their spaces made single."""
    blanked, depth = [], 0
    for char in value:
        depth += char == "{"
        blanked.append("x" if depth and char.isspace() else char)
        depth -= char == "}" and depth > 0
    cuts = [match.span() for match in _AND.finditer("".join(blanked))]
    starts = [0, *(end for _, end in cuts)]
    ends = [*(start for start, _ in cuts), len(value)]
    return [" ".join(value[a:b].split()) for a, b in zip(starts, ends, strict=True)]


# Labels a style prints itself: typed into the value, they print twice ("С. С. 12–18").
_NUMBER_LABEL = re.compile(r"(?:№|no\.|nr\.|n°)\s*(?=\d)", re.IGNORECASE)
_VOLUME_LABEL = re.compile(r"(?:т\.|vol\.|том|bd\.)\s*(?=\d)", re.IGNORECASE)
_LABELLED = {"pages": PAGE_LABEL, "number": _NUMBER_LABEL, "volume": _VOLUME_LABEL}


def label_problem(field: str, value: str) -> str | None:
    """A label typed before the number of a pages, number or volume field."""
    label = _LABELLED.get(field)
    stripped = value.strip().strip("{}").strip()
    match = label.match(stripped) if label else None
    written = stripped[: match.end()] if match else ""
    # A letter glued to the number is an article's page of its own (S6, e102), not a label.
    if match is None or (written[-1:].isalnum() and "№" not in written):
        return None
    bare = stripped[match.end() :].strip()
    return (
        f"{field} starts with '{written.strip()}', which the style prints "
        f"itself: it would print twice; give the numbers alone: {field} = {{{bare}}}"
    )


# Field names authors type in their own language, which no BibTeX reader knows.
_FIELD_NAMES = {
    "автор": "author",
    "авторы": "author",
    "название": "title",
    "заглавие": "title",
    "атауы": "title",
    "год": "year",
    "жыл": "year",
    "издательство": "publisher",
    "баспа": "publisher",
    "город": "address",
    "место": "address",
    "журнал": "journal",
    "страницы": "pages",
    "беттер": "pages",
    "том": "volume",
    "номер": "number",
    "редактор": "editor",
}
# BibTeX's month macros (pandoc knows them too), and the names pandoc reads in full.
MONTH_MACROS = frozenset(
    {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
)
_MONTHS = MONTH_MACROS | {"january", "february", "march", "april", "june", "july", "august"}
_MONTHS |= {"september", "october", "november", "december"}


def field_warning(field: str, value: str) -> str | None:
    """A field no reader takes as the author meant: a name not in Latin letters (pandoc
    ignores `автор = {…}`), a month pandoc cannot read (`мая`: it is dropped)."""
    if not field.isascii():
        meant = _FIELD_NAMES.get(field.lower())
        instead = f"write {meant}" if meant else "give it its BibTeX name (author, title, year…)"
        return f"field '{field}' is not a BibTeX field, so pandoc ignores it; {instead}"
    if field == "month":
        month = value.strip().strip("{}").strip().lower().rstrip(".")
        if month and not month.isdigit() and month not in _MONTHS:
            return (
                f"month '{value.strip()}' is not one pandoc reads, so it is dropped; write it "
                "as a number (month = 5 for May)"
            )
    return None
