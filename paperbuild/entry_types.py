"""The .bib entry types pandoc reads, and what to write for one it does not.

pandoc gives an entry of a type it does not know no type at all: every style then prints it as
a generic work (GOST without its "//", IEEE without "in"), and nothing says why. Authors write
such types in their own language (`@книга`), after a reference manager (`@newspaper`), or
mistyped (`@artcle`).
"""

from __future__ import annotations

# biblatex's types, BibTeX's, and the aliases pandoc reads (its reader, tried type by type);
# @conference and @webpage it does not, and paperbuild reads them as @inproceedings and @online
# (csljson). @misc and the custom types are generic by intent.
KNOWN = frozenset(
    [
        "article",
        "book",
        "mvbook",
        "inbook",
        "bookinbook",
        "suppbook",
        "booklet",
        "collection",
        "mvcollection",
        "incollection",
        "suppcollection",
        "dataset",
        "manual",
        "misc",
        "online",
        "patent",
        "periodical",
        "suppperiodical",
        "proceedings",
        "mvproceedings",
        "inproceedings",
        "reference",
        "mvreference",
        "inreference",
        "report",
        "set",
        "software",
        "thesis",
        "unpublished",
        "xdata",
        "customa",
        "customb",
        "customc",
        "customd",
        "custome",
        "customf",
        "conference",
        "electronic",
        "mastersthesis",
        "phdthesis",
        "techreport",
        "www",
        "webpage",
        "artwork",
        "audio",
        "bibnote",
        "commentary",
        "image",
        "jurisdiction",
        "legislation",
        "legal",
        "letter",
        "movie",
        "music",
        "performance",
        "review",
        "standard",
        "video",
    ]
)

# What an author means by a type in Russian or Kazakh, or by a manager's type pandoc lacks: the
# type, and the field that says the rest.
_MEANT: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("книга", "кітап", "монография", "учебник", "оқулық"), ("book", "")),
    **dict.fromkeys(("статья", "мақала", "журнал"), ("article", "")),
    **dict.fromkeys(("сборник", "жинақ"), ("collection", "")),
    **dict.fromkeys(("диссертация", "автореферат"), ("thesis", "")),
    **dict.fromkeys(("закон", "заң", "кодекс", "law", "statute", "act"), ("legislation", "")),
    **dict.fromkeys(("сайт", "website", "web", "internet", "url"), ("online", "")),
    **dict.fromkeys(("доклад", "баяндама", "конференция", "paper"), ("inproceedings", "")),
    **dict.fromkeys(("газета", "newspaper", "news"), ("article", "entrysubtype = {newspaper}")),
    **dict.fromkeys(("magazine",), ("article", "entrysubtype = {magazine}")),
    **dict.fromkeys(("отчет", "отчёт", "есеп"), ("report", "")),
    **dict.fromkeys(("патент",), ("patent", "")),
    **dict.fromkeys(("стандарт",), ("standard", "")),
    **dict.fromkeys(("chapter", "глава", "тарау"), ("incollection", "")),
}

_COMMON = "@article, @book, @incollection, @inproceedings, @thesis, @online or @misc"


def unknown(entry_type: str) -> str | None:
    """What to say of an entry of `entry_type` (lower case), or None for a type pandoc reads."""
    if entry_type in KNOWN:
        return None
    meant = _MEANT.get(entry_type)
    if meant is None:
        import difflib  # only for a type no one should write: not every build's start

        close = difflib.get_close_matches(entry_type, sorted(KNOWN), n=1, cutoff=0.8)
        meant = (close[0], "") if close else None
    if meant is None:
        advice = f"write one of {_COMMON}"
    else:
        field = f" with {meant[1]}" if meant[1] else ""
        advice = f"write @{meant[0]}{field}"
    return (
        f"@{entry_type} is not an entry type pandoc reads, so the reference prints as a "
        f"generic work, without what its type would print; {advice}"
    )
