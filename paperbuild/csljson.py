"""The .bib files as pandoc reads a bibliography for citeproc (biblatex, in the document's
language), as CSL JSON, cached by content and language. A module of its own, light to import."""

from __future__ import annotations

import functools
import hashlib
import re
import subprocess
import unicodedata
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from paperbuild import atomic, jsonio, pandoc, shared_cache
from paperbuild.errors import BibliographyError, PaperError, ToolError
from paperbuild.positions import METADATA_BLOCKS
from paperbuild.profiles import base_language
from paperbuild.project import Project
from paperbuild.scripts import CYRILLIC_LANGUAGES

# A .bib of a thousand entries reads in well under a second.
READ_SECONDS, READ_SECONDS_PER_MB = 30.0, 30.0
# With the file read from standard input (see _ALIASES), pandoc names no source.
_PANDOC_ERROR = re.compile(r'Error at (?:"([^"]+)" )?\(line (\d+), column (\d+)\):\s*(.*)')


def csl_items(bib: Path, shown: str, cwd: Path, cache_dir: Path, lang: str) -> list[dict[str, Any]]:
    """The entries of a .bib file as CSL JSON, read for a document in `lang`. A file pandoc
    cannot read is a PaperError."""
    return jsonio.read(csl_file(bib, shown, cwd, cache_dir, lang))


def csl_file(bib: Path, shown: str, cwd: Path, cache_dir: Path, lang: str) -> Path:
    """The file `csl_items` keeps them in, written if it is not there yet (whole: it is written
    atomically once pandoc's output has read back, so being there is enough).

    pandoc reads a bibliography as biblatex (`location`, `addendum`… are biblatex's), and
    sentence-cases the titles of the entries in English: those with an English `langid`, and,
    in an English document, those without one. The reader knows the document's language only
    from LANG."""
    data = bib.read_bytes()
    reading = _reading_lang(lang)
    seed = b"\0".join([data, pandoc.identity().encode(), b"biblatex", reading.encode(), _MENDED])
    cache = cache_dir / f"{hashlib.sha256(seed).hexdigest()}.json"
    if cache.is_file():
        return cache
    lowered = data.lower()
    if b"crossref" in lowered or b"xdata" in lowered:
        _refuse_loops(data, shown, cache_dir.parent / "bib")
    seconds = READ_SECONDS + READ_SECONDS_PER_MB * len(data) / 1048576
    aliased = _ALIAS.sub(lambda m: m[1] + _ALIASES[m[2].lower()], data)
    try:
        result = pandoc.run(
            ["--from", "biblatex", "--to", "csljson", *([] if aliased != data else [shown])],
            data=aliased if aliased != data else None,
            cwd=cwd,
            env={"LANG": reading},
            timeout=seconds,
        )
    except subprocess.TimeoutExpired:
        raise BibliographyError(
            f"pandoc did not finish reading it in {seconds:.0f} s",
            path=shown,
            hint="look for an entry whose crossref or xdata leads back to itself",
        ) from None
    except ToolError as error:
        match = _PANDOC_ERROR.search(error.stderr)
        reason = match.group(4).splitlines()[0] if match else error.stderr.splitlines()[0]
        # pandoc names a character by its code (`unexpected '\8220'`): the author sees “.
        reason = re.sub(r"'\\(\d+)'", lambda m: repr(chr(int(m.group(1)))), reason)
        quoted = any(mark in reason for mark in _TYPOGRAPHIC_QUOTES)
        raise BibliographyError(
            f"pandoc cannot read this entry: {reason}",
            path=shown,
            line=int(match.group(2)) if match else None,
            col=int(match.group(3)) if match else None,
            hint="put the value in braces {…}: typographic quotation marks (“…”, «…», as a "
            "word processor types them) do not delimit a value"
            if quoted
            else "check the commas between fields and the braces around values",
        ) from None
    if bib.read_bytes() != data:
        # pandoc read it after it was saved again: what it read is not what the cache is
        # named by.
        raise BibliographyError(
            "it changed while pandoc read it", path=shown, hint="run doit again"
        )
    items = jsonio.loads(result.output)  # what pandoc wrote, it reads back
    output = result.output
    changed = b"$" in output and _math_as_text(items, cwd)
    if _DOTLESS_I in output:
        changed = _accented_i(items) or changed
    if b"\\\\" in output:  # a backslash, as JSON writes it
        changed = _unescaped_links(items) or changed
    if _EMPTY_LINK.search(output):
        changed = _no_empty_links(items) or changed
    if b"language" in lowered:
        changed = _languages_given(items, data, shown, cache_dir.parent / "bib") or changed
    if changed:
        output = jsonio.dumps(items)
    atomic.write_bytes(cache, output)
    return cache


_TYPOGRAPHIC_QUOTES = ("“", "”", "„", "«", "»", "‘", "’")

# Entry types BibTeX styles and reference managers write that pandoc reads as no type at all: a
# @conference paper printed without its proceedings (its booktitle dropped). Read as what they
# stand for, on the same lines, so pandoc's errors still say where.
_ALIASES = {b"conference": b"inproceedings", b"webpage": b"online"}
_ALIAS = re.compile(rb"(?im)^([ \t]*@[ \t]*)(conference|webpage)(?=[ \t]*[{(])")

# What pandoc's reading adds to the CSL JSON, named in its cache's name: a change reads again.
_MENDED = b"accented-i, unescaped-links, known language, aliases, no empty links"
_DOTLESS_I = "ı".encode()
# `{\'\i}` (í as BibTeX writes it): pandoc reads the dotless ı with a combining accent, which
# no search for "Díaz" finds and a PDF's text layer doubles.
_I_ACCENTED = re.compile("ı([\u0300-\u036f])")
# TeX escapes in a URL (`{\&}`, `\_`, as reference managers write them), which a URL field,
# read verbatim, keeps: the link would not work.
_URL_ESCAPE = re.compile(r"\{\\([&_%#$~])\}|\\([&_%#$~])")


# `doi = {}`, `url = { }`, as a reference manager exports a field it has no value for: printed,
# an empty link, at which Typst stopped the PDF.
_EMPTY_LINK = re.compile(rb'"(?:DOI|URL)": "\s*"')


def _no_empty_links(items: list[dict[str, Any]]) -> bool:
    """Each empty DOI or URL left out, in place; whether any."""
    changed = False
    for item in items:
        for key in ("DOI", "URL"):
            if key in item and not str(item[key]).strip():
                del item[key]
                changed = True
    return changed


def _accented_i(items: list[dict[str, Any]]) -> bool:
    """Each ı with a combining accent made the accented i it is (í, ì, î, ï), in place."""

    def mended(text: str) -> str:
        return unicodedata.normalize("NFC", _I_ACCENTED.sub(r"i\1", text))

    return _each_string(items, lambda text: mended(text) if "ı" in text else text)


def _unescaped_links(items: list[dict[str, Any]]) -> bool:
    r"""URL and DOI fields without TeX's escapes (`{\&}` is `&`), in place."""
    changed = False
    for item in items:
        for field in ("URL", "DOI"):
            value = item.get(field)
            if isinstance(value, str) and "\\" in value:
                item[field] = _URL_ESCAPE.sub(lambda m: m.group(1) or m.group(2), value)
                changed = changed or item[field] != value
    return changed


def _each_string(node: Any, change: Callable[[str], str]) -> bool:
    """`change` applied to every string in `node`, in place; whether any changed."""
    changed = False
    stack = [node]
    while stack:
        value = stack.pop()
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in list(pairs):
            if isinstance(child, str):
                new = change(child)
                if new != child:
                    value[key] = new
                    changed = True
            elif isinstance(child, dict | list):
                stack.append(child)
    return changed


def known_language(written: str) -> str | None:
    """A language field's value as a language code (`russian`, `rus`, `ru`), or None for what
    names none we know (`русский`, `russian; english`): the entry's letters then tell it."""
    from paperbuild.reference_lists import LANGUAGE_NAMES

    value = written.strip("{} ").lower()
    code = LANGUAGE_NAMES.get(value, value)
    return code if re.fullmatch(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*", code) else None


def _languages_given(items: list[dict[str, Any]], data: bytes, shown: str, bib_cache: Path) -> bool:
    """An entry's `language = {russian}` (BibTeX's field, as eLibrary and Zotero write it) as
    its CSL language, where it has no `langid`: pandoc reads langid alone, and the entry took
    the paper's language's terms."""
    from paperbuild import bibliography

    text = data.decode("utf-8-sig", errors="replace")
    entries = bibliography.parse_cached(text, shown, bib_cache, set()).entries
    given = {
        e.key: known_language(e.fields["language"]) for e in entries if e.fields.get("language")
    }
    changed = False
    for item in items:
        language = given.get(item.get("id", ""))
        if language and not item.get("language"):
            item["language"] = language
            changed = True
    return changed


def _refuse_loops(data: bytes, shown: str, bib_cache: Path) -> None:
    """An entry that takes its fields from itself, through crossref or xdata, stops here:
    pandoc's reader would follow the loop for ever. The check says where (bibliography); its
    reading of the file, kept by content, serves both."""
    from paperbuild import bibliography

    text = data.decode("utf-8-sig", errors="replace")
    entries = bibliography.parse_cached(text, shown, bib_cache, set()).entries
    for problem in bibliography.crossref_problems(entries):
        if problem.severity == "error":
            raise BibliographyError(problem.message, path=shown, line=problem.line)


# TeX math in a field, as pandoc writes it into CSL JSON (`$\alpha$`): CSL JSON has no math,
# so read back it would print as TeX. A `$` without TeX in it is a dollar.
_BETWEEN = "PAPERBUILD-FORMULA-END"
_MATH = re.compile(r"\$[^$\n]*[\\^_][^$\n]*\$")


def _math_as_text(items: Any, cwd: Path) -> bool:
    """Each field's TeX math made text (α, x², H₂O) where pandoc can, in place; whether any."""
    strings: list[tuple[Any, Any]] = []  # (container, key) of each string holding math
    stack = [items]
    while stack:
        value = stack.pop()
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in pairs:
            if isinstance(item, str) and _MATH.search(item):
                strings.append((value, key))
            elif isinstance(item, dict | list):
                stack.append(item)
    formulas = sorted({m for c, k in strings for m in _MATH.findall(c[k])})
    if not formulas:
        return False
    # One run for all: each formula a paragraph, with a line between that no formula writes.
    written = pandoc.run(
        ["--from", "markdown", "--to", "plain", "--wrap=none"],
        data=f"\n\n{_BETWEEN}\n\n".join(formulas).encode(),
        cwd=cwd,
    ).output.decode("utf-8")
    pieces = [piece.strip() for piece in written.split(_BETWEEN)]
    if len(pieces) != len(formulas):
        return False  # as pandoc wrote them, TeX
    as_text = dict(zip(formulas, pieces, strict=True))
    for container, key in strings:
        container[key] = _MATH.sub(lambda m: as_text.get(m.group(0), m.group(0)), container[key])
    return True


def _reading_lang(lang: str) -> str:
    """LANG for pandoc's reading of a .bib for a document in `lang`. A language pandoc has no
    locale for (Kazakh, Uzbek, Swahili…) it reads as English, sentence-casing every title; such
    a language is read as one pandoc knows instead, whose only other mark is the words it gives
    a few `type` values (a thesis's kind): Russian for a language written in Cyrillic, the
    region's other language of publication, else French."""
    base = base_language(lang)
    if base == "en" or not _read_as_english(base):
        return base
    return "ru" if base in CYRILLIC_LANGUAGES else "fr"


@functools.cache
def _read_as_english(base: str) -> bool:
    """Asked of pandoc once per language and pandoc binary, and remembered outside build/: a
    run of its own before the .bib's, in every cold build of a paper in such a language."""
    if not base.isalnum():
        return _probe(base)
    digest = hashlib.sha256(pandoc.identity().encode()).hexdigest()[:16]
    name = f"pandoc-{digest}-reads-{base}-as-english.json"
    return bool(shared_cache.remembered(name, lambda: _probe(base)))


def _probe(base: str) -> bool:
    probe = pandoc.run(
        ["--from", "biblatex", "--to", "csljson"],
        data=b"@misc{x, title = {A B}}",
        env={"LANG": base},
    )
    return b'"A b"' in probe.output


_LANG_KEY = re.compile(r"^lang[ \t]*:[ \t]*['\"]?([A-Za-z0-9_-]+)", re.MULTILINE)


def declared_lang(project: Project, default: str) -> str:
    """The language the manuscript's front matter gives, as a glance at its files finds it (the
    last `lang:` of a metadata block, as pandoc's last block wins), else `default`. A guess, to
    begin reading the .bib files while pandoc parses the chapters; the check reads the language
    from pandoc's parse, and reads them again only where the guess was wrong."""
    found = default
    for path in project.manuscript_files:
        try:
            text = path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n")
        except OSError:
            continue
        for pattern in METADATA_BLOCKS:
            for block in pattern.finditer(text):
                for match in _LANG_KEY.finditer(block.group(0)):
                    found = match.group(1)
    return found


def start(project: Project, cache_dir: Path, lang: str) -> Future[list[PaperError]]:
    """Begin reading every .bib file; the future holds what pandoc cannot read in them."""
    pool = ThreadPoolExecutor(max_workers=1)
    begun = pool.submit(_read_all, project, cache_dir, lang)
    pool.shutdown(wait=False)  # what was submitted still runs
    return begun


def _read_all(project: Project, cache_dir: Path, lang: str) -> list[PaperError]:
    problems = []
    for path in project.bib_files:
        try:
            csl_file(path, project.relative(path), project.root, cache_dir, lang)
        except PaperError as problem:
            problems.append(problem)
        except OSError:
            pass  # unreadable: bibtexparser's reading says so, in its words
    return problems
