"""What an HTML page tells indexers: Highwire Press `citation_*` meta tags (Google Scholar) and
a schema.org `ScholarlyArticle` in JSON-LD. Plain data out; the layout escapes it."""

from __future__ import annotations

import re
from typing import Any

from paperbuild.frontmatter import FrontMatter
from paperbuild.pandoc_ast import stringify
from paperbuild.profiles import Profile


def describe(
    front: FrontMatter,
    profile: Profile,
    references: list[dict[str, Any]],
    pdf_url: str = "paper.pdf",
) -> dict[str, Any]:
    """`tags`: (name, content) pairs in Highwire order; `jsonld`: the ScholarlyArticle."""
    title = stringify(front.title).strip()
    own = next((s for s in front.summaries if s.lang == front.base_lang), None)
    keywords = [stringify(k).strip() for k in own.keywords] if own else []
    # Paragraphs joined by a space: stringify runs them together ("(Doe 2000).Second").
    abstract = " ".join(" ".join(stringify(b) for b in own.abstract).split()) if own else ""
    tags: list[tuple[str, str]] = [("citation_title", title)]
    people = []
    for author in front.authors:
        name = stringify(author.name).strip()
        affiliation = stringify(author.affiliation).strip()
        tags.append(("citation_author", name))
        if affiliation:
            tags.append(("citation_author_institution", affiliation))
        if author.email:
            tags.append(("citation_author_email", author.email))
        if author.orcid:
            tags.append(("citation_author_orcid", f"https://orcid.org/{author.orcid}"))
        people.append(_person(name, affiliation, author.email, author.orcid))
    date = machine_date(front.date)
    if date:
        tags.append(("citation_publication_date", date.replace("-", "/")))
    tags += [("citation_journal_title", profile.name), ("citation_language", front.lang)]
    if keywords:
        tags.append(("citation_keywords", "; ".join(keywords)))
    if abstract:
        tags.append(("citation_abstract", abstract))
    tags.append(("citation_pdf_url", pdf_url))
    tags += [("citation_reference", tag) for item in references if (tag := _reference_tag(item))]
    jsonld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": title,
        "name": title,
        "inLanguage": front.lang,
        "author": people,
        "isPartOf": {"@type": "Periodical", "name": profile.name},
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": pdf_url,
            "encodingFormat": "application/pdf",
        },
        "citation": [work for item in references if len(work := _creative_work(item)) > 1],
    }
    if keywords:
        jsonld["keywords"] = keywords
    if abstract:
        jsonld["abstract"] = abstract
    if date:
        jsonld["datePublished"] = date
    return {"tags": tags, "jsonld": jsonld}


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
_NAMED = re.compile(r"(?:(\d{1,2})\.?\s+)?([A-Za-z]+)\.?\s+(?:(\d{1,2}),?\s+)?(\d{4})")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2\d\d\d)(?!\d)")


def machine_date(written: str) -> str:
    """The front matter's date as ISO 8601 (`2015-12-16`, `2015-12`, `2015`), which indexers
    read; "" where it says no year. A date written in words in another language than English
    gives its year."""
    text = written.strip()
    found = _ISO.fullmatch(text)
    if found:
        return _iso(int(found[1]), found[2], found[3])
    found = _DAY_FIRST.fullmatch(text)
    if found and int(found[1]) > 12:  # 16/12/2015: the day first, as most of the world writes
        return _iso(int(found[3]), found[2], found[1])
    found = _NAMED.fullmatch(text)
    if found and found[2].lower() in _MONTHS:
        day = found[1] or found[3]
        return _iso(int(found[4]), str(_MONTHS[found[2].lower()]), day)
    year = _YEAR.search(text)
    return year[1] if year else ""


def _iso(year: int, month: str | None, day: str | None) -> str:
    if not month or not 1 <= int(month) <= 12:
        return f"{year:04d}"
    if not day or not 1 <= int(day) <= 31:
        return f"{year:04d}-{int(month):02d}"
    return f"{year:04d}-{int(month):02d}-{int(day):02d}"


def _person(name: str, affiliation: str, email: str, orcid: str) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": name}
    if affiliation:
        person["affiliation"] = {"@type": "Organization", "name": affiliation}
    if email:
        person["email"] = email
    if orcid:
        person["identifier"] = f"https://orcid.org/{orcid}"
    return person


def _names(item: dict[str, Any]) -> list[str]:
    """Each author (or editor) in CSL's inverted long form: "Beethoven, Ludwig van",
    "de Gaulle, Charles", "King, Martin Luther, Jr."."""
    names = []
    for person in item.get("author", []) or item.get("editor", []):
        family = _joined(person.get("non-dropping-particle"), person.get("family"))
        given = _joined(person.get("given"), person.get("dropping-particle"))
        inverted = ", ".join(p for p in (family, given, person.get("suffix")) if p)
        names.append(person.get("literal") or inverted)
    return names


def _joined(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


# The rich text of CSL JSON (italics, bold, super- and subscripts, small caps, nocase spans):
# metadata wants the words.
_CSL_MARKUP = re.compile(r"</?(?:i|b|sup|sub|span)(?:\s[^>]*)?>")


def _plain(text: Any) -> str:
    return _CSL_MARKUP.sub("", str(text)) if text else ""


def _year(item: dict[str, Any]) -> str:
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    return str(parts[0][0]) if parts and parts[0] else ""


def _reference_tag(item: dict[str, Any]) -> str:
    """Google Scholar's `key=value; …` form; a `;` inside a value would end it, so it goes."""
    fields = [("citation_title", _plain(item.get("title")))]
    fields += [("citation_author", name) for name in _names(item)]
    fields += [
        ("citation_journal_title", _plain(item.get("container-title"))),
        ("citation_publisher", _plain(item.get("publisher"))),
        ("citation_volume", str(item.get("volume", ""))),
        ("citation_issue", str(item.get("issue", ""))),
        ("citation_firstpage", str(item.get("page", "")).split("–")[0].split("-")[0]),
        ("citation_publication_date", _year(item)),
        ("citation_doi", item.get("DOI", "")),
    ]
    return "; ".join(f"{k}={str(v).replace(';', ',')}" for k, v in fields if v)


def _creative_work(item: dict[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if item.get("title"):
        work["name"] = _plain(item["title"])
    names = _names(item)
    if names:
        work["author"] = [{"@type": "Person", "name": name} for name in names]
    if _year(item):
        work["datePublished"] = _year(item)
    if item.get("DOI"):
        work["sameAs"] = f"https://doi.org/{item['DOI']}"
    return work
