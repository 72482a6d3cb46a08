"""References as the journal's style prints them, rendered in Python by citeproc-py, for the
check's citation table (what does [4] stand for?)."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

from paperbuild import atomic, styles
from paperbuild.bibliography import Bibliography, Entry
from paperbuild.csljson import csl_items
from paperbuild.profiles import Profile
from paperbuild.reference_lists import entry_language

_LEADING_NUMBER = re.compile(r"^\s*\[?\d+[.\]]\s*")
# Changed when the same entry renders otherwise: 2, title case for English titles only; 3, a
# key differing from another in case alone; 4, an entry in its own language's terms.
_CACHE_FORMAT = b"4"


def render(
    profile: Profile,
    lang: str,
    bibliography: Bibliography,
    keys: list[str],
    cwd: Path,
    cache: Path,
) -> dict[str, str]:
    """key → reference text, for the keys that the bibliography has.

    citeproc-py takes milliseconds an entry, so rendered entries are kept in `cache`, keyed by
    the style, the language and the entry's fields: a check re-renders only what changed.
    """
    style = styles.localized_style(profile)
    seed = hashlib.sha256(
        b"\0".join([style, lang.encode(), profile.reference_terms.encode(), _CACHE_FORMAT])
    ).hexdigest()
    digests = {
        key: _digest(seed, bibliography.entries[key]) for key in keys if key in bibliography.entries
    }
    known = _load(cache)
    missing = [key for key, digest in digests.items() if digest not in known]
    if missing:
        files = sorted({bibliography.entries[key].path for key in missing})
        csl = cache.parent / "csl"
        items = [item for f in files for item in csl_items(cwd / f, f, cwd, csl, lang)]
        fresh = _render(style, lang, items, missing, profile.reference_terms == "entry")
        known.update({digests[key]: text for key, text in fresh.items()})
        wanted = set(digests.values())
        kept = {digest: text for digest, text in known.items() if digest in wanted}
        atomic.write_text(cache, json.dumps(kept, ensure_ascii=False))
    return {key: known[digest] for key, digest in digests.items() if digest in known}


def _digest(seed: str, entry: Entry) -> str:
    fields = json.dumps([entry.key, entry.type, sorted(entry.fields.items())], ensure_ascii=False)
    return hashlib.sha256((seed + fields).encode("utf-8")).hexdigest()


def _load(cache: Path) -> dict[str, str]:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _render(
    style: bytes, lang: str, items: list[dict[str, Any]], keys: list[str], by_entry: bool
) -> dict[str, str]:
    """Each key's reference; `by_entry`: in its own language's terms, as the journal prints
    them (`reference-terms: entry`), not the document's."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    wanted = set(keys)
    # @misc comes out of pandoc untyped; citeproc-py needs a type.
    chosen = [
        {**item, "type": item.get("type") or "document"}
        for item in items
        if item.get("id") in wanted
    ]
    # citeproc-py keeps its keys in lower case (pandoc's are as written): keys that differ in
    # case alone (`Ivanov2019`, `ivanov2019`) each get a source of their own.
    by_key = {item["id"]: item for item in chosen}
    # CSL title-cases English titles only (citeproc-py any: "Über Die Größe Von Käfern").
    untitled = style.replace(b'text-case="title"', b"")
    made: dict[tuple[str, bool], Any] = {}
    rendered: dict[str, str] = {}
    for key in keys:
        item = by_key.get(key)
        if item is None:
            continue
        source = CiteProcJSON([item])
        language = entry_language(item, lang) if by_entry else lang
        english = (item.get("language") or language).lower().startswith("en")
        if (language, english) not in made:
            made[language, english] = _style(style if english else untitled, language)
        csl = made[language, english]
        bibliography = CitationStylesBibliography(csl, source, formatter.plain)
        bibliography.register(Citation([CitationItem(key.lower())]))
        try:
            text = str(bibliography.bibliography()[0])
        except Exception as exc:  # citeproc-py fails on some data: one row must not stop a check
            text = f"(citeproc-py could not render it: {exc})"
        rendered[key] = _LEADING_NUMBER.sub("", " ".join(text.split()))
    return rendered


def _style(style: bytes, lang: str) -> Any:
    from citeproc import CitationStylesStyle

    try:
        return CitationStylesStyle(io.BytesIO(style), locale=lang, validate=False)
    except Exception:  # citeproc-py has no locale file for this language: the style's default
        return CitationStylesStyle(io.BytesIO(style), validate=False)
