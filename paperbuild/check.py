"""The check that gates the build: citations resolve, references are complete, the front
matter has what the journal requires. Data in, a `Report` out; nothing printed here."""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from collections.abc import Collection
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from paperbuild import (
    anchors,
    bib_values,
    bibliography,
    chapter_links,
    chapters,
    cito,
    csljson,
    document,
    entry_types,
    figures,
    frontmatter,
    glyphs,
    identifiers,
    journal_files,
    jsonio,
    mixed_scripts,
    pandoc,
    quotes,
    references,
    writing_direction,
    yamlio,
)
from paperbuild.bibliography import Bibliography, Entry
from paperbuild.citations import Misread, collect, parse_bracket
from paperbuild.errors import FrontMatterError, ManuscriptError, PaperError
from paperbuild.frontmatter import FrontMatter
from paperbuild.identifiers import generated
from paperbuild.pandoc_ast import Node, elements, remove, remove_script, stringify
from paperbuild.positions import (
    METADATA_BLOCKS,
    Finder,
    field_only,
    first,
    hide,
    hide_all_but_raw,
    key_pattern,
    yaml_only,
)
from paperbuild.profiles import PROFILE_FILE, Profile, base_language
from paperbuild.project import BIBLIOGRAPHY_DIR, MANUSCRIPT_DIR, Project
from paperbuild.report import Citation, Problem, Report, TableRow, error, warning
from paperbuild.scripts import CYRILLIC_LANGUAGES
from paperbuild.styles import citation_format, style_path

LANGUAGES = {
    "kk": "Kazakh",
    "ru": "Russian",
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "tr": "Turkish",
    "uz": "Uzbek",
    "ky": "Kyrgyz",
}


@dataclass
class Outcome:
    report: Report
    doc: dict[str, Any] | None  # the document with real citations, when the check could read it
    profile: Profile | None = None
    # Its Cite elements in reading order, and the Div the author placed the list in, if any.
    cites: list[Any] = field(default_factory=list)
    placed: dict[str, Any] | None = None
    # The figures it shows from outside manuscript/, from the project's root.
    figures_elsewhere: list[str] = field(default_factory=list)


def run(
    project: Project,
    journal: str | None,
    cache_dir: Path,
    table: bool = True,
    started: dict[str, Future[chapters.Parsed]] | None = None,
    bibs: dict[str, Future[list[PaperError]]] | None = None,
) -> Outcome:
    """`started`: the chapters' parses `chapters.start` began, by cache key; `bibs`: the
    readings of the .bib files `csljson.start` began, by base language."""
    # bibtexparser reads the bibliography beside the chapters, which pandoc parses in other
    # processes; pandoc's own reading (citeproc's) needs the document's language first.
    with ThreadPoolExecutor(max_workers=1) as side:
        bib_read = side.submit(
            bibliography.load, list(project.bib_files), project.root, cache_dir.parent / "bib"
        )
        return _run(project, journal, cache_dir, table, bib_read, started, bibs or {})


def _unreadable(bib: Bibliography, by_pandoc: Future[list[PaperError]]) -> list[Any]:
    """What pandoc cannot read in the .bib files, unless bibtexparser has said it already."""
    if any(p.severity == "error" and p.path.endswith(".bib") for p in bib.problems if p.path):
        return []  # pandoc's error would be a second report of the same one
    return [_in_entry(problem, bib) for problem in by_pandoc.result()]


def _run(
    project: Project,
    journal: str | None,
    cache_dir: Path,
    table: bool,
    bib_read: Future[Bibliography],
    started: dict[str, Future[chapters.Parsed]] | None,
    bibs: dict[str, Future[list[PaperError]]],
) -> Outcome:
    report = Report()
    try:
        parts = chapters.read(project, cache_dir, started)
        report.problems.extend(_reader_warnings(parts))
        if all(part.empty for part in parts):
            raise ManuscriptError(
                "the manuscript is empty",
                path=parts[0].name,
                hint="write the paper in manuscript/*.md",
            )
        for part in parts:
            if not part.meta:  # any chapter's: its fields would print as text
                _unread_front_matter(part)
        meta = chapters.metadata(parts)
        front = frontmatter.read(meta, Path(chapters.front_matter_file(parts)))
        by_pandoc = bibs.get(front.base_lang) or csljson.start(
            project, cache_dir.parent / "csl", front.lang
        )
        profile = document.choose_profile(project, front, journal)
        style_path(profile)  # a style that does not exist stops here, not in the build
        marks = quotes.chooser(profile.shared_dir, project.root)  # and a list of marks not four
        journal_files.check(profile, project.root)  # and a layout or locale that does not read
    except FrontMatterError as problem:
        if problem.key is not None:
            problem.path, problem.line, problem.col = chapters.place_of_key(parts, problem.key)
        report.problems.append(_problem(problem))
        return Outcome(report, None)
    except PaperError as problem:
        report.problems.append(_problem(problem))
        return Outcome(report, None)
    report.problems.extend(
        warning(
            "this file is not in the front matter's 'chapters' list, so it is left out of the "
            "paper; list it there, or move it out of manuscript/",
            project.relative(path),
        )
        for path in project.left_out
    )
    report.problems.extend(
        warning(
            f"this file is not read: chapter files end in .md; rename it to {path.stem}.md to "
            "make it part of the paper",
            project.relative(path),
        )
        for path in project.unread
    )
    report.problems.extend(
        warning(
            f"this file is in a folder of {MANUSCRIPT_DIR}/, so it is not read: without a "
            f"'chapters' list only {MANUSCRIPT_DIR}/*.md are; to make it part of the paper, "
            "list the chapters in reading order in the front matter, as 'chapters: "
            f"[{path.relative_to(project.manuscript_dir).as_posix()}]'",
            project.relative(path),
        )
        for path in project.nested
    )
    report.problems.extend(
        warning(
            "this file is not read: the bibliography is the files named *.bib directly in "
            + (
                f"bibliography/; rename it to {path.stem}.bib"
                if path.parent == project.root / BIBLIOGRAPHY_DIR
                else "bibliography/; move it there"
            ),
            project.relative(path),
        )
        for path in project.unread_bibs
    )
    bib = bib_read.result()
    unreadable = _unreadable(bib, by_pandoc)
    report.problems.extend(bib.problems)
    report.order = {
        name: i
        for i, name in enumerate(
            [part.name for part in parts] + [project.relative(p) for p in project.bib_files]
        )
    }
    report.problems.extend(unreadable)
    spaced = citation_format(profile) in ("author-date", "author")
    collected = collect(parts, front.reference_numbers, cache_dir.parent / "citations", spaced)
    citations = report.citations = [_typed(c, bib) for c in collected.citations]
    for text, severity, reason, path, line, col in collected.misread:
        shown = text if len(text) <= 24 else text[:20].rsplit(",", 1)[0] + ", …]"
        report.problems.append(Problem(severity, f"citation {shown} {reason}", path, line, col))
    texts = [(part.name, part.text) for part in parts]
    nocite = _nocite(meta)
    # A .bib that does not read leaves keys unknown: that is the error to fix, not each key.
    if not bib.unreadable:
        examples = chapter_links.example_labels(parts)
        report.problems.extend(_unresolved(citations, front, bib, texts, examples))
        report.problems.extend(_unknown_nocite(parts, nocite, bib))
    report.problems.extend(_bare_nocite(parts, meta))
    if citation_format(profile) == "numeric":
        report.problems.extend(_numbering(citations, front.reference_numbers, parts, texts))
    # An entry pandoc cannot read has that said of it, not the fields the misreading lacks.
    misread = {m.group(1) for p in unreadable if (m := _NAMED_ENTRY.match(p.message))}
    report.problems.extend(
        _entries(citations, front.reference_numbers, bib, nocite, misread, front.base_lang)
    )
    report.problems.extend(_front_matter(front, profile, parts))
    report.problems.extend(_repeated_fields(parts))
    report.problems.extend(_unused_fields(parts, profile))
    report.problems.extend(_misspelt_fields(parts))
    report.problems.extend(_joined_authors(front, parts))
    report.problems.extend(_unknown_font(project, profile))
    report.problems.extend(_wiki_links(parts))
    report.problems.extend(_numbers_without_list(parts, front, bib))
    report.problems.extend(_metadata_in_the_text(parts))
    report.problems.extend(_stray_fences(parts))
    report.problems.extend(_unconvertible_math(project, parts, cache_dir.parent / "math"))
    report.problems.extend(_listed_twice(parts, front.reference_numbers))
    report.problems.extend(_codes_read_as_numbers(parts, front))
    report.problems.extend(_nested_citations(collected.cites, texts))
    report.problems.extend(_untranslated(parts, front, profile))
    report.problems.extend(
        glyphs.missing(texts, list(bib.entries.values()), profile.font.body, project.templates_dir)
    )
    report.problems.extend(
        error(found.finding.message(), found.path, found.line, found.col)
        for found in mixed_scripts.find(
            parts,
            front.lang,
            mixed_scripts.Cache(cache_dir.parent / "scripts", front.reference_numbers),
        )
    )
    report.problems.extend(
        _problem(problem)
        for problem in figures.check(project, collected.images, collected.image_chapters)
    )
    report.problems.extend(_front_matter_figures(parts))
    if not collected.refs:
        report.problems.extend(_list_heading_left_empty(project, parts, profile, front.lang))
    _cite_works(collected.cites, bib)
    report.problems.extend(_drop_raw(parts))
    report.problems.extend(_drop_script(parts))
    report.problems.extend(_empty_links(parts))
    report.problems.extend(_drop_crossref_labels(parts))
    report.problems.extend(identifiers.make_unique(parts))
    report.problems.extend(chapter_links.check(parts))
    report.problems.extend(chapter_links.file_links(parts))
    anchors.heading_anchors(parts)
    listed = {c.key for c in citations if c.key} | set(front.reference_numbers) | nocite
    report.problems.extend(
        anchors.check(parts, set(bib.entries) if "*" in nocite else listed & set(bib.entries))
    )
    for part in parts:
        if "lang=" in part.text:  # a Div or Span in a language of its own
            writing_direction.mark(part.doc["blocks"], front.dir)
    quotes.write_out(collected.quoted, front.lang, marks)
    doc = chapters.merge(parts)  # now with the numeric citations made real
    quotes.localize(doc["meta"], front.lang, marks)
    if table and not report.failed():
        report.table = _table(
            project, profile, front, citations, bib, cache_dir.parent / "references.json"
        )
    placed = collected.refs[0] if collected.refs else None
    elsewhere = figures.elsewhere(project, collected.images)
    return Outcome(report, doc, profile, collected.cites, placed, elsewhere)


def _reader_warnings(parts: list[chapters.Chapter]) -> list[Problem]:
    """What pandoc's reader warned of in each chapter (an unclosed Div that swallows what
    follows, a link reference given twice), at the place it names: said by every check, not
    only by the one that parsed the chapter."""
    problems = []
    for part in (part for part in parts if part.warnings):
        at = re.compile(rf"(?: at)? {re.escape(part.name)} line (\d+) column (\d+)")
        within = functools.partial(_within, part.text.count("\n") + 1)
        for said in part.warnings:
            text = " ".join(said.removeprefix("[WARNING]").split())
            unused = _UNUSED_NOTE.match(text)
            if unused and any(f"[^{unused.group(1)}]" in p.text for p in parts if p is not part):
                continue  # used in another file: the check says so where it is used
            first = at.search(text)
            place = (int(first.group(1)), int(first.group(2))) if first else (None, None)
            text = at.sub(within, text)
            if first:  # its place is the message's own
                text = text.replace(f" at line {place[0]}, column {place[1]}", "", 1)
            hint = next((h for pattern, h in _READER_HINTS if pattern.search(text)), "")
            problems.append(warning(f"pandoc: {text.rstrip('.')}{hint}", part.name, *place))
    return problems


def _within(last: int, place: re.Match[str]) -> str:
    """pandoc's place as the message says it; one past the file's last line (an unclosed
    Div's), as its end."""
    line, col = place.group(1), place.group(2)
    return f" at line {line}, column {col}" if int(line) <= last else " at the end of the file"


_UNUSED_NOTE = re.compile(r"Note with key '([^']*)' defined")
_READER_HINTS = [
    (re.compile(r"^Div unclosed"), "; end it with a line of ::: (an HTML <div> with </div>)"),
    (re.compile(r"^Duplicate (link|note) reference"), "; pandoc takes the first: rename one"),
    (re.compile(r"^Note with key '([^']*)' defined but not used"), "; cite it or remove it"),
]


def _typed(citation: Citation, bib: Bibliography) -> Citation:
    """A CiTO-typed citation (`@method:smith2020`) is a citation of its work (`smith2020`)."""
    if citation.key is None or citation.number is not None:
        return citation
    return replace(citation, key=cito.cited_work(citation.key, bib.entries))


def _in_entry(problem: PaperError, bib: Bibliography) -> Any:
    """pandoc's error, naming the entry its line belongs to: the last one starting before it."""
    starts = [
        (e.line, e.key)
        for e in bib.entries.values()
        if e.path == problem.path and e.line <= (problem.line or 0)
    ]
    if starts:
        problem.message = f"entry '{max(starts)[1]}': {problem.message}"
    return _problem(problem)


def _drop_raw(parts: list[chapters.Chapter]) -> list[Any]:
    """Raw HTML and LaTeX in the manuscript are left out of every output: pasted HTML could run
    script in the page, and neither reaches PDF or DOCX the same way. Comments go quietly, and
    so do TeX macros' definitions: pandoc has applied them to the file's math."""
    problems = []
    for part in (part for part in parts if part.has_raw):
        # The front matter's too: a title's `<br>` or `\textbf{}` is gone from every output.
        kinds = {"RawBlock", "RawInline"}
        taken = remove(part.doc["meta"], kinds) + remove(part.doc["blocks"], kinds)
        shown = [
            n
            for n in taken
            if not n["c"][1].lstrip().startswith("<!--")
            and not (n["c"][0] in ("tex", "latex") and _MACROS.fullmatch(n["c"][1]))
        ]
        if not shown:
            continue
        formats = sorted({_FORMAT_NAMES.get(n["c"][0], n["c"][0]) for n in shown})
        # The walk that took them out is not in reading order: the first is the first written.
        texts = dict.fromkeys(
            n["c"][1].strip().splitlines()[0][:40] for n in shown if n["c"][1].strip()
        ) or {"": None}
        hidden = hide_all_but_raw(part.text)
        text = min(texts, key=lambda text: _written_at(hidden, text))
        named = " and ".join(
            [", ".join(formats[:-1]), formats[-1]] if len(formats) > 1 else formats
        )
        count = f"{len(shown)} raw {named} passage{'s' * (len(shown) > 1)}"
        why = "paperbuild renders Markdown, not embedded HTML or LaTeX"
        # Those that hold the paper's words (a dedication, a heading, an included file) are
        # what the author must see, not a \vspace before them.
        worded = [n["c"][1].strip() for n in shown if _holds_text(n["c"][0], n["c"][1])]
        if worded and len(worded) < len(shown):
            said = min(worded, key=lambda raw: _written_at(hidden, raw))
            why = (
                f"{len(worded)} of them with text of the paper (the first: "
                f"{_quoted(' '.join(said.split())[:60])}); {why}"
            )
        problems.append(_left_out(part, count, text, text, why))
    return problems


# TeX that carries the paper's content: a heading, a caption, emphasis, a file it includes.
_CONTENT_TEX = re.compile(
    r"\\(?:(?:sub)*section|chapter|paragraph|part|caption|title|author|epigraph|text(?:it|bf)"
    r"|emph|include(?:pdf|graphics)?|input|lstinputlisting)\b"
)
_TEX_COMMAND = re.compile(r"\\[A-Za-z@]+\*?|[{}\[\]]|<[^>]*>")
_TWO_WORDS = re.compile(r"[^\W\d_]{2,}[ \t,.;:]+[^\W\d_]{2,}")


def _holds_text(kind: str, raw: str) -> bool:
    """Whether a raw passage holds words the paper prints: two in a row, once its commands
    (or tags) are taken away, or a command that carries content."""
    if kind != "html" and _CONTENT_TEX.search(raw):
        return True
    return _TWO_WORDS.search(_TEX_COMMAND.sub(" ", raw)) is not None


# Raw formats by the names their users write them with.
_FORMAT_NAMES = {
    "html": "HTML",
    "tex": "TeX",
    "latex": "LaTeX",
    "openxml": "OpenXML",
    "typst": "Typst",
    "context": "ConTeXt",
}


def _written_at(source: str, text: str) -> int:
    where = source.find(text)
    return where if where >= 0 else len(source)


def _drop_script(parts: list[chapters.Chapter]) -> list[Any]:
    """What would run script in the HTML (`[x]{onclick=…}`, `<div onmouseover=…>`, a link to
    `javascript:`) is left out, like raw HTML: a reader opening the paper runs nothing. The
    front matter's go too: the title and abstracts are written into the page."""
    problems = []
    for part in (part for part in parts if part.has_script):
        taken = remove_script(part.meta) + remove_script(part.doc["blocks"])
        if not taken:
            continue
        # `onclick`, or the URL as written: `&#1;` before it is a control character now.
        written = taken[0].split("=", 1)[0].lstrip("".join(map(chr, range(0x21))))
        count = f"{len(taken)} script{'s' * (len(taken) > 1)}"
        why = "a paper runs no script in its reader's browser"
        problems.append(_left_out(part, count, taken[0][:40], written, why))
    return problems


# A link's or image's target in compact JSON, when it is empty: `["",""]` after its inlines.
_EMPTY_TARGET = re.compile(rb'\],\["\s*",')
_EMPTY_LINK = re.compile(r"\[[^\]\n]*\]\(\s*(?:<\s*>)?\s*\)")


def _empty_links(parts: list[chapters.Chapter]) -> list[Any]:
    """A link with no target (`[text]()`, as a word processor's conversion leaves one) prints
    as its text: Typst stopped the PDF at its empty URL, and in HTML it led to the page itself."""
    problems = []
    for part in parts:
        if not _EMPTY_TARGET.search(part.source):
            continue
        empty = [
            link
            for link in elements([part.doc["meta"], part.doc["blocks"]], "Link")
            if not link["c"][2][0].strip()
        ]
        for link in empty:
            link["t"], link["c"] = "Span", link["c"][:2]
        if empty:
            # The first written: in the front matter or the text, never in a code sample.
            places = [
                (finder.line_col(match.start()), match.group(0))
                for finder in (Finder(part.text), Finder(yaml_only(part.text), hidden=False))
                if (match := _EMPTY_LINK.search(finder.text))
            ]
            (line, col), shown = min(places) if places else ((None, None), "")
            path = part.name
            shown = shown[:40] or stringify(empty[0]["c"][1])[:40]
            count = f"{len(empty)} links have" if len(empty) > 1 else "a link has"
            problems.append(
                warning(
                    f"{count} no target (the first: '{shown}'), so each prints as its text; "
                    "give it its URL, or remove the brackets",
                    path,
                    line,
                    col,
                )
            )
    return problems


# A pandoc-crossref label where pandoc reads none (after display math, ending a listing's
# caption): it would print as written.
_CROSSREF_LABEL = re.compile(r"\{#(?:eq|lst|tbl|fig|sec):[^\s{}]*\}")
_CROSSREF_TEXT = re.compile(rb'"t":"Str","c":"\{#(?:eq|lst|tbl|fig|sec):')


def _drop_crossref_labels(parts: list[chapters.Chapter]) -> list[Any]:
    """pandoc-crossref's labels that pandoc reads as text (`$$ E = mc^2 $$ {#eq:energy}`) are
    left out: without pandoc-crossref, which paperbuild does not run, they number nothing."""
    problems = []
    for part in parts:
        if not _CROSSREF_TEXT.search(part.source):  # pandoc read none as text: the usual case
            continue
        taken: list[str] = []
        stack: list[Any] = [part.doc["blocks"]]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                if isinstance(value.get("c"), list | dict):
                    stack.append(value["c"])
                continue
            if not isinstance(value, list):
                continue
            labels = [i for i, item in enumerate(value) if _is_crossref_label(item)]
            for i in reversed(labels):
                taken.append(value[i]["c"])
                # With the space before it: the text reads on as if it had not been there.
                start = i - 1 if i and value[i - 1].get("t") == "Space" else i
                del value[start : i + 1]
            stack.extend(item for item in value if isinstance(item, list | dict))
        if taken:
            first = min(taken, key=lambda label: _written_at(part.text, label))
            count = f"{len(taken)} pandoc-crossref label{'s' * (len(taken) > 1)}"
            why = "paperbuild does not run pandoc-crossref, so they number nothing"
            problems.append(_left_out(part, count, first, first, why))
    return problems


def _is_crossref_label(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and item.get("t") == "Str"
        and _CROSSREF_LABEL.fullmatch(item["c"]) is not None
    )


def _left_out(part: chapters.Chapter, count: str, shown: str, written: str, why: str) -> Any:
    """A warning that `count` things were left out, placed where `written` first is."""
    # Not in a comment or in code that shows the same (the front matter counts: a title's
    # script is taken out too); else anywhere.
    pattern = re.compile(re.escape(written))
    place = first([(part.name, hide_all_but_raw(part.text))], pattern, False) or first(
        [(part.name, part.text)], pattern, prose_only=False
    )
    return warning(
        f"{count} left out of every output (the first: {_quoted(shown)}); {why}",
        *(place or (part.name, None, None)),
    )


def _quoted(text: str) -> str:
    """`text` in quotes as written, a backslash as one; only what does not print escaped."""
    return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text) + "'"


def _problem(problem: PaperError) -> Any:
    message = f"{problem.message}; {problem.hint}" if problem.hint else problem.message
    said = warning if problem.severity == "warning" else error
    return said(message, problem.path, problem.line, problem.col)


def _unresolved(
    citations: list[Citation],
    front: FrontMatter,
    bib: Bibliography,
    texts: list[tuple[str, str]],
    examples: dict[str, str],
) -> list[Any]:
    """`examples`: the examples' labels, by the file each is given in."""
    problems = []
    keys = front.reference_numbers
    reported: set[tuple[str, int | None, int | None]] = set()
    for c in citations:
        where = (c.path, c.line, c.col)
        if c.number is not None and c.key is None and where not in reported:
            reported.add(where)
            problems.append(
                error(
                    f"citation {c.written} does not resolve: reference-numbers lists "
                    f"{len(keys)} reference{'s' * (len(keys) != 1)}; add the missing key there",
                    *where,
                )
            )
        elif c.key is not None and c.key not in bib.entries:
            if c.number is None and cito.is_crossref(c.key):
                problems.append(
                    warning(
                        f"cross-reference @{c.key} is not supported and prints as '{c.key}?'; "
                        "refer to the figure, table or section in words",
                        *where,
                    )
                )
            elif c.number is None and examples.get(c.key, c.path) != c.path:
                problems.append(
                    error(
                        f"@{c.key} is the label of an example in {examples[c.key]}, and pandoc "
                        "resolves an example's label only in its own file; keep the examples and "
                        "the text that refers to them in one file",
                        *where,
                    )
                )
            elif c.number is None:
                problems.append(
                    error(
                        f"citation @{c.key} is not in the bibliography; add it to a .bib file in "
                        "bibliography/ or correct the key",
                        *where,
                    )
                )
    missing = [(n, key) for n, key in enumerate(keys, start=1) if key not in bib.entries]
    if len(missing) > 10:  # one line, not thousands: the list or the bibliography is wrong
        number, key = missing[0]
        problems.append(
            error(
                f"reference-numbers lists {len(missing)} keys the bibliography does not have (the "
                f"first: '{key}' as [{number}]); add them to a .bib file or correct the keys",
                *_yaml_place(key, texts),
            )
        )
        missing = []
    for number, key in missing:
        problems.append(
            error(
                f"reference-numbers lists '{key}' as [{number}], but the bibliography has no such "
                "entry; add it to a .bib file or correct the key",
                *_yaml_place(key, texts),
            )
        )
    return problems


def _numbering(
    citations: list[Citation],
    keys: list[str],
    parts: list[chapters.Chapter],
    texts: list[tuple[str, str]],
) -> list[Any]:
    """A numeric style numbers references by first citation: say where that differs from the
    numbers the author typed, and which listed numbers are never cited. `citations` come in
    reading order, a footnote's where it is referenced, as citeproc counts them."""
    reading = citations
    printed: dict[str, int] = {}
    for c in reading:
        if c.key is not None and c.key not in printed:
            printed[c.key] = len(printed) + 1
    problems = []
    seen: set[int] = set()
    for c in reading:
        if c.number is None or c.key is None or c.number in seen:
            continue
        seen.add(c.number)
        if printed[c.key] != c.number:
            problems.append(
                warning(
                    f"[{c.number}] will print as [{printed[c.key]}]: a numeric style numbers "
                    "references in order of first citation; renumber, or reorder reference-numbers",
                    c.path,
                    c.line,
                    c.col,
                )
            )
    for number, key in enumerate(keys, start=1):
        if key not in printed:
            problems.append(
                warning(
                    f"[{number}] ({key}) is listed in reference-numbers but never cited; it is "
                    "printed at the end of the list",
                    *_yaml_place(key, texts),
                )
            )
    return problems


_NAMED_ENTRY = re.compile(r"entry '([^']*)': ")


def _entries(
    citations: list[Citation],
    keys: list[str],
    bib: Bibliography,
    nocite: set[str],
    misread: Collection[str] = (),
    lang: str = "en",
) -> list[Any]:
    cited = {c.key for c in citations if c.key}
    used = cited | set(keys) | nocite
    # A book its chapters name in `crossref` gives them their fields: it serves, cited or not.
    parents = {
        parent.key
        for key in used
        if key in bib.entries and (parent := bib.parent(bib.entries[key])) is not None
    }
    problems = []
    for key, entry in bib.entries.items():
        if key not in used and key not in parents and "*" not in nocite:
            problems.append(warning(f"entry '{key}' is never cited", entry.path, entry.line))
            continue
        missing = [] if key in misread else entry.inheriting(bib.parent(entry)).missing()
        lacks = f": it lacks {', '.join(missing)}" if missing else ""
        if entry.to_be_supplied():
            problems.append(
                warning(f"entry '{key}' is marked 'To be supplied'{lacks}", entry.path, entry.line)
            )
        elif missing:
            problems.append(
                warning(
                    f"entry '{key}' ({entry.type}) lacks {', '.join(missing)}",
                    entry.path,
                    entry.line,
                )
            )
        problems.extend(_thesis_type(entry, lang))
        odd_type = entry_types.unknown(entry.type)
        if odd_type:
            problems.append(warning(f"entry '{key}': {odd_type}", entry.path, entry.line))
        year = entry.fields.get("year", "").strip().strip("{}").strip()
        if year and not _YEAR.fullmatch(year):
            problems.append(
                warning(
                    f"entry '{key}': year '{year}' is not a year, so pandoc drops it and the "
                    "reference prints none; write the year alone (citeproc adds 2020a, 2020b "
                    "itself), or leave it out",
                    entry.path,
                    entry.line,
                )
            )
    return problems


_YEAR = re.compile(r"-?[0-9]{1,4}(?:/-?[0-9]{1,4})?")  # ASCII digits: pandoc reads no others


# A file that starts as front matter does: `---`, then a line that is not blank (after a
# blank line, `---` is a horizontal rule).
_OPENS = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?![ \t]*\r?$)", re.MULTILINE)
_CLOSES = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def _unread_front_matter(part: chapters.Chapter) -> None:
    """Front matter pandoc did not read (not closed, or not fields) would only show as the
    fields it lacks: say what is wrong with it instead."""
    opening = _OPENS.match(part.text)
    if opening is None:
        return
    closing = _CLOSES.search(part.text, opening.end())
    if closing is None:
        raise FrontMatterError(
            "the front matter that starts here is not closed",
            path=part.name,
            line=1,
            col=1,
            hint="end it with a line of three dashes (---) before the text",
        )
    try:
        fields = yamlio.load(part.text[opening.end() : closing.start()])
    except (yamlio.YAMLError, ValueError, RecursionError):  # PyYAML raises all three
        return  # not YAML at all: pandoc's reading has said where
    if isinstance(fields, dict) or fields is None:
        return  # fields without values, or only comments: nothing was lost
    raise FrontMatterError(
        "the front matter is not fields of YAML, so pandoc reads none of it",
        path=part.name,
        line=2,
        col=1,
        hint="write one field a line, as 'title: My Paper'",
    )


# A top-level field of a YAML block, as its line starts: `title:`, `'key': `.
_FIELD = re.compile(r"""([A-Za-z0-9_][\w.-]*|'[^'\n]*'|"[^"\n]*")[ \t]*:(?:[ \t]|$)""")


def _list_heading_left_empty(
    project: Project, parts: list[chapters.Chapter], profile: Profile, lang: str
) -> list[Any]:
    """A warning at a heading "References" that ends a chapter file other than the last:
    pandoc puts the list under the heading the whole paper ends with, so this one stays an
    empty section, and the list gets a heading of its own at the end."""
    words = pandoc.translations(lang)
    titles = {
        title.casefold()
        for title in (
            profile.terms_for(lang, pandoc.translations).references,
            words.get("References", ""),
            words.get("Bibliography", ""),
            "References",
            "Bibliography",
        )
        if title
    }
    problems = []
    for part in parts[:-1]:
        content = [b for b in part.doc["blocks"] if b["t"] not in ("RawBlock", "HorizontalRule")]
        if not content or content[-1]["t"] != "Header":
            continue
        title = stringify(content[-1]["c"][2]).strip()
        if title.casefold() not in titles:
            continue
        heading = re.compile(rf"^[ \t]*(?:#{{1,6}}[ \t]+)?({re.escape(title)})\b", re.IGNORECASE)
        problems.append(
            warning(
                f"this heading ends {part.name} with nothing under it, and the reference list "
                "goes at the end of the paper; to put the list here, write '::: {#refs}' and "
                "':::' on two lines under the heading",
                *project.locate(heading, within=part.name, nth=sys.maxsize),
            )
        )
    return problems


def _repeated_fields(parts: list[chapters.Chapter]) -> list[Any]:
    """A warning at a field given twice in one front matter block: pandoc keeps the last,
    and the author most likely meant to change the first."""
    problems = []
    for part in (part for part in parts if part.meta):
        given: dict[str, int] = {}
        inside = False
        for number, line in enumerate(yaml_only(part.text).split("\n"), start=1):
            if line.rstrip() in ("---", "...") and (inside or line.startswith("---")):
                inside, given = not inside and line.startswith("---"), {}
                continue
            field = _FIELD.match(line) if inside else None
            if field is None:
                continue
            name = field.group(1).strip("'\"")
            if name in given:
                problems.append(
                    warning(
                        f"'{name}' is given again (first on line {given[name]}), and pandoc "
                        f"takes this one; remove the one you do not mean",
                        part.name,
                        number,
                        1,
                    )
                )
            given[name] = number
    return problems


# pandoc's own keys for citations, which paperbuild sets itself: the author's would be lost.
_SET_BY_PAPERBUILD = {
    "csl": "the journal's profile chooses the citation style (csl: in {profile})",
    "citation-style": "the journal's profile chooses the citation style (csl: in {profile})",
    "bibliography": "every .bib file in bibliography/ is the bibliography",
    "references": "the works cited come from the .bib files in bibliography/",
}


def _front_matter_figures(parts: list[chapters.Chapter]) -> list[Any]:
    """A picture in the title, abstract or keywords: journals print those as text, and no
    writer embeds it (the DOCX would read whatever file it names)."""
    problems = []
    for part in parts:
        for image in elements(part.doc["meta"], "Image"):
            url = image["c"][2][0]
            written = re.compile(re.escape(url[:40]))
            found = first([(part.name, yaml_only(part.text))], written, prose_only=False)
            path, line, col = found or (part.name, None, None)
            problems.append(
                error(
                    f"figure '{url[:60]}' is in the front matter, which journals print as "
                    "text; move it into the text",
                    path,
                    line,
                    col,
                )
            )
    return problems


def _untranslated(parts: list[chapters.Chapter], front: FrontMatter, profile: Profile) -> list[Any]:
    """A language neither pandoc nor the templates have words for ("References", "Figure")."""
    base = front.base_lang
    own = profile.shared_dir / "translations" / f"{base}.yaml"
    # A profile's terms are its abstract, keywords and references: not Figure or Table.
    if base == "en" or own.is_file() or pandoc.translations(front.lang):
        return []
    return [
        warning(
            f"pandoc has no words for lang '{front.lang}' (References, Figure, Table): they "
            f"print in English; put them in templates/_shared/translations/{base}.yaml",
            *chapters.place_of_key(parts, "lang"),
        )
    ]


# Fields pandoc or paperbuild reads: a block of these in the text is metadata meant as such.
_KNOWN_FIELDS = {
    *("title", "subtitle", "author", "date", "abstract", "keywords", "lang", "dir"),
    *("journal", "udc", "irsti", "reference-numbers", "chapters", "translated-title"),
    *("institute", "nocite", "bibliography", "csl", "references", "link-citations"),
    *("reference-section-title", "suppress-bibliography", "subject", "description", "thanks"),
}


def _metadata_in_the_text(parts: list[chapters.Chapter]) -> list[Any]:
    """A block between two `---` lines after the text has begun: pandoc reads it as metadata
    when its lines are fields, so it prints nothing, and an author may have meant text between
    two rules."""
    problems = []
    for part in (part for part in parts if part.meta):
        text = part.text.replace("\r\n", "\n").replace("\r", "\n")
        opening = METADATA_BLOCKS[0].match(text)
        body_starts = opening.end() if opening else 0
        for block in METADATA_BLOCKS[1].finditer(text):
            if not text[body_starts : block.start()].strip():
                continue  # a second block of front matter
            fields = [
                match.group(1).strip("'\"")
                for line in block.group(0).split("\n")[1:-1]
                if (match := _FIELD.match(line))
            ]
            if not fields or not all(name in part.meta for name in fields):
                continue  # not read as metadata: pandoc prints it
            if all(name in _KNOWN_FIELDS for name in fields):
                continue  # metadata meant as such
            line = text.count("\n", 0, block.start()) + 1
            last = line + block.group(0).count("\n")
            problems.append(
                warning(
                    f"lines {line}-{last} are read as metadata ({', '.join(fields)}), not "
                    "printed; if they are text between two rules, put a blank line after the "
                    "first ---",
                    part.name,
                    line,
                    1,
                )
            )
    return problems


_BARE_FENCE = re.compile(r"^[ \t]*:{3,}[ \t]*$", re.MULTILINE)
# Also after a list item's marker or a block quote's `>`, where a div may open too.
_OPENING_FENCE = re.compile(r"^[ \t]*(?:(?:[-+*]|\d+[.)]|>)[ \t]+)*:{3,}[ \t]*[^:\s]")


def _stray_fences(parts: list[chapters.Chapter]) -> list[Any]:
    """A `:::` that closes no div prints as text: most often a div opened in one chapter file
    and closed in the next, where each file is read alone."""
    problems = []
    for part in parts:
        if not _BARE_FENCE.search(part.text):
            continue
        if not any(re.fullmatch(":{3,}", n["c"]) for n in elements(part.doc["blocks"], "Str")):
            continue  # every one closes a div
        text = hide(part.text.replace("\r\n", "\n").replace("\r", "\n"))
        depth = 0
        for number, line in enumerate(text.split("\n"), start=1):
            if _OPENING_FENCE.match(line):
                depth += 1
            elif _BARE_FENCE.match(line):
                if depth:
                    depth -= 1
                    continue
                problems.append(
                    warning(
                        f"'{line.strip()}' closes no div, so it prints as text; a div opens and "
                        "closes in one chapter file (each file is read alone)",
                        part.name,
                        number,
                        len(line) - len(line.lstrip()) + 1,
                    )
                )
    return problems


def _unconvertible_math(project: Project, parts: list[chapters.Chapter], cache: Path) -> list[Any]:
    """TeX math pandoc cannot read prints as TeX in every format: said once here, at the
    formula, not by pandoc in each writer (three times, five lines each, with no place)."""
    formulas = {
        math["c"][1]: part
        for part in parts
        if "$" in part.text
        for math in elements([part.doc["meta"], part.doc["blocks"]], "Math")
    }
    if not formulas:
        return []
    said = _math_warnings(project, list(formulas), cache)
    problems = []
    for formula, part in formulas.items():
        # pandoc indents a formula's further lines in its warning.
        words = r"\s+".join(map(re.escape, formula.split()))
        told = re.search(rf"Could not convert TeX math\s*{words}\s*, rendering as TeX", said)
        if told is None:
            continue
        reason = _MATH_REASON.search(said, told.end())
        why = f" ({reason.group(1).strip()})" if reason else ""
        shown = " ".join(formula.split())
        written = re.compile(re.escape(formula.strip()))
        found = first([(part.name, part.text)], written, prose_only=False)
        path, line, col = found or (part.name, None, None)
        macro = _UNDEFINED.search(why)
        where = _defined_elsewhere(macro.group(1), part, parts) if macro else ""
        message = (
            f"math '{shown[:60]}' uses {macro.group(1)}, which {where} defines, but each "
            f"chapter file is read alone, so it prints as TeX in every format; define "
            f"{macro.group(1)} in this file too"
            if macro and where
            else f"math '{shown[:60]}' is not TeX that pandoc reads{why}, so it prints as TeX "
            "in every format; correct it"
        )
        problems.append(warning(message, path, line, col))
    return problems


def _math_warnings(project: Project, formulas: list[str], cache: Path) -> str:
    """What pandoc says converting the formulas, kept by them: an edit that changes no formula
    runs no pandoc for them."""
    digest = hashlib.sha256(jsonio.dumps([pandoc.version(), formulas])).hexdigest()
    kept = cache / f"{digest}.json"
    if kept.is_file():
        return str(jsonio.read(kept))
    math = [{"t": "Para", "c": [{"t": "Math", "c": [{"t": "InlineMath"}, f]}]} for f in formulas]
    doc = {"pandoc-api-version": pandoc.API_VERSION, "meta": {}, "blocks": math}
    # A formula of several lines is said over several lines too.
    said = "\n".join(pandoc.convert(doc, "html", ["--mathml"], project.root).warnings)
    jsonio.write(kept, said)
    jsonio.prune(cache, {kept.name})
    return said


_MATH_REASON = re.compile(r"\n\s*(unexpected [^\n]*)")
# A TeX macro's definition, which pandoc applies to the math of its file alone.
_DEFINES = r"\\(?:(?:re|provide)?newcommand\*?|DeclareMathOperator\*?|def|let)(?![A-Za-z])"
# Definitions alone, one a line or over several (a line that goes on is indented, or closes).
_MACROS = re.compile(rf"\s*{_DEFINES}[^\n]*(?:\n(?:[ \t]*{_DEFINES}|[ \t]+|[ \t]*\}})[^\n]*)*\s*")
_UNDEFINED = re.compile(r"unexpected control sequence (\\[A-Za-z]+)")


def _defined_elsewhere(macro: str, part: chapters.Chapter, parts: list[chapters.Chapter]) -> str:
    """Where another chapter defines `macro` (`\\R`): "manuscript/01-intro.md:5", or ""."""
    name = re.escape(macro)
    pattern = re.compile(rf"{_DEFINES}\s*\{{?\s*{name}(?![A-Za-z])")
    for other in parts:
        if other is not part and macro in other.text:
            found = pattern.search(other.text)
            if found:
                return f"{other.name}:{other.text.count(chr(10), 0, found.start()) + 1}"
    return ""


def _listed_twice(parts: list[chapters.Chapter], keys: list[str]) -> list[Any]:
    """A key given two numbers in `reference-numbers`: both print as the first."""
    numbers: dict[str, list[int]] = {}
    for number, key in enumerate(keys, start=1):
        numbers.setdefault(key, []).append(number)
    return [
        warning(
            f"'{key}' is listed in reference-numbers {len(given)} times, as "
            f"{' and '.join(f'[{n}]' for n in given)}; list it once and cite it by that number",
            *chapters.place_of_key(parts, "reference-numbers"),
        )
        for key, given in numbers.items()
        if len(given) > 1
    ]


def _unused_fields(parts: list[chapters.Chapter], profile: Profile) -> list[Any]:
    shown = f"templates/{profile.id}/profile.yaml"
    return [
        warning(
            f"'{name}' in the front matter is not used: {why.format(profile=shown)}",
            *chapters.place_of_key(parts, name),
        )
        for name, why in _SET_BY_PAPERBUILD.items()
        if any(name in part.meta for part in parts)
    ]


# The front matter's fields paperbuild reads (those that would set what paperbuild sets, `csl`
# and the like, are _SET_BY_PAPERBUILD's).
_READ_FIELDS = frozenset(
    {
        "title",
        "subtitle",
        "translated-title",
        "author",
        "institute",
        "date",
        "lang",
        "dir",
        "abstract",
        "keywords",
        "udc",
        "irsti",
        "reference-numbers",
        "chapters",
        "nocite",
        "journal",
    }
)


# `[1]`, `[2, 5]`, `[3–7]`, `[4, p. 12]`: a numbered citation as the text writes it (not a
# link's text, a reference's label, a footnote's).
_NUMBERED = re.compile(r"\[\s*\d{1,6}(?:\s*[-–,]\s*\d{1,6})*\s*(?:,[^\]\n]{0,40})?\](?![(\[:{])")


def _numbers_without_list(
    parts: list[chapters.Chapter], front: FrontMatter, bib: Bibliography
) -> list[Any]:
    """Numbered citations in a paper without `reference-numbers` print as written, and the
    works as never cited: a misspelt or forgotten list left only that said. Said when two
    brackets or more could cite works of the bibliography by number: not a reference link's
    label (`[the manual][1]`, `[2]` with `[2]: https://…`), not the interval [0, 1]."""
    if front.reference_numbers or not bib.entries:
        return []
    found: list[tuple[str, str, tuple[int | None, int | None]]] = []
    for part in parts:
        if "[" not in part.text:
            continue
        finder = Finder(part.text)
        labels = set(re.findall(r"^[ \t]*\[(\d+)\]:", part.text, re.MULTILINE))
        for match in _NUMBERED.finditer(finder.text):
            written = match.group(0)
            if finder.text[match.start() - 1 : match.start()] == "]" or written[1:-1] in labels:
                continue
            try:  # read as a numbered citation is, when a list is given
                items = parse_bracket(written[1:-1]) or []
            except Misread:  # TooMany too
                continue
            if items and all(1 <= number <= len(bib.entries) for number, _ in items):
                found.append((written, part.name, finder.line_col(match.start())))
    if len(found) < 2:
        return []
    written, name, (line, col) = found[0]
    return [
        warning(
            f"{written} reads as text, not as a citation (and {len(found) - 1} more like it): "
            "a numbered citation is read by the front matter's reference-numbers list, and "
            "this paper has none; list the works' keys there in their numbers' order "
            "(reference-numbers: [key1, key2]), or cite them as [@key]",
            name,
            line,
            col,
        )
    ]


# Between two names in one author's field: a comma, a semicolon, "and" in our authors' languages.
_BETWEEN_NAMES = re.compile(r"\s*[,;]\s*|\s+(?:and|и|және|und|et|y|та)\s+")


def _joined_authors(front: FrontMatter, parts: list[chapters.Chapter]) -> list[Any]:
    """`author: Иванов И. И., Петров П. П.` is one author of that name in every output and in
    the page's metadata (a .bib's names joined so are an error)."""
    problems = []
    for author in front.authors:
        written = stringify(author.name).strip()
        names = [n for n in _BETWEEN_NAMES.split(written) if n]
        # Each a surname with its initials (Иванов И. И., J. Smith): not a surname before its
        # given names (Doe, Jane; Van Der Berg, Anna Maria), not a degree (Ph. D.).
        if len(names) < 2 or not all(bib_values.is_name_with_initials(n) for n in names):
            continue
        listed = ", ".join(f"'- {name}'" for name in names)
        problems.append(
            warning(
                f"author '{written[:60]}' reads as one name; list each author on a line of its "
                f"own under author: ({listed})",
                *chapters.place_of_key(parts, "author"),
            )
        )
    return problems


# Obsidian's and wikis' links and embeds, `[[Methods]]`, `[[Methods|the methods]]`,
# `![[figures/a.png]]`: no Markdown pandoc reads.
_WIKI_LINK = re.compile(r"(!?)\[\[([^\[\]\n|]*[^\[\]\n|\d\s][^\[\]\n|]*)(?:\|([^\[\]\n]*))?\]\]")


def _wiki_links(parts: list[chapters.Chapter]) -> list[Any]:
    """`[[Methods]]` and `![[a.png]]`, as Obsidian writes them, printed as written: the
    picture was not shown, the link led nowhere."""
    problems = []
    for part in parts:
        if "[[" not in part.text:
            continue
        finder = Finder(part.text)
        found = list(_WIKI_LINK.finditer(finder.text))
        if not found:
            continue
        embed, target, label = found[0].groups()
        if embed and label and re.fullmatch(r"\s*\d+(?:x\d+)?\s*", label):
            # Obsidian's `![[a.png|300]]`: a width, not a caption.
            width = label.strip().split("x")[0]
            instead = f"![]({target.strip()}){{width={width}px}}"
        elif embed:
            instead = f"![{label or ''}]({target.strip()})"
        else:
            instead = f"[{(label or target).strip()}](#{generated(target.split('#')[-1].strip())})"
        more = f" (and {len(found) - 1} more in this file)" if len(found) > 1 else ""
        problems.append(
            warning(
                f"{found[0].group(0)} is a wiki's {'embed' if embed else 'link'}, not Markdown "
                f"pandoc reads, so it prints as written{more}; write {instead}",
                part.name,
                *finder.line_col(found[0].start()),
            )
        )
    return problems


def _unknown_font(project: Project, profile: Profile) -> list[Any]:
    """A body font Typst does not have (Times New Roman, with no system fonts read): the PDF
    was set in Libertinus Serif, and nothing said."""
    font = profile.font.body
    has = glyphs.unknown_font(font, project.templates_dir)
    if not has:
        return []
    source = profile.folder / PROFILE_FILE
    text = source.read_text(encoding="utf-8") if source.is_file() else ""
    written = re.search(r"^[ \t]+body[ \t]*:", text, re.MULTILINE)
    return [
        warning(
            f"font '{font}' is not one the PDF has, so the PDF is set in Libertinus Serif; put "
            f"its files (.ttf, .otf) in templates/{glyphs.FONTS_DIR}/, or name one it has: "
            f"{', '.join(has)}",
            project.relative(source),
            text.count("\n", 0, written.start()) + 1 if written else None,
        )
    ]


def _misspelt_fields(parts: list[chapters.Chapter]) -> list[Any]:
    """A field named almost as one paperbuild reads (`reference_numbers`, `keyword`) is read as
    nothing: every numbered citation printed as written, and no reference list, with nothing
    said but that the works were never cited."""
    import difflib

    problems = []
    for name in dict.fromkeys(key for part in parts for key in part.meta):
        if name in _READ_FIELDS or name in _SET_BY_PAPERBUILD:
            continue
        spelt = re.sub(r"[\s_]+", "-", name.strip().lower())
        meant = spelt if spelt in _READ_FIELDS else None
        if meant is None:
            close = difflib.get_close_matches(spelt, sorted(_READ_FIELDS), n=1, cutoff=0.85)
            meant = close[0] if close else None
        if meant is not None:
            problems.append(
                warning(
                    f"'{name}' in the front matter is not a field paperbuild reads, so it is "
                    f"read as nothing; write '{meant}'",
                    *chapters.place_of_key(parts, name),
                )
            )
    return problems


def _front_matter(front: FrontMatter, profile: Profile, parts: list[chapters.Chapter]) -> list[Any]:
    summaries = {s.lang: s for s in front.summaries}
    problems = []
    for requirement in profile.required:
        field, _, lang = requirement.partition(".")
        if _present(front, summaries, field, lang):
            continue
        what = {
            "title": "a title",
            "author": "an author",
            "udc": "a UDC code (udc:)",
            "irsti": "an IRSTI code (irsti:)",
            "date": "a date",
            "abstract": "an abstract",
            "keywords": "keywords",
        }[field]
        if lang:
            what += f" in {LANGUAGES.get(lang, lang)} ({lang})"
        # Where the field is given without it (a later file's block replaces an earlier's
        # whole), else the top of the front matter.
        translated = field == "title" and lang not in ("", front.base_lang)
        key = "translated-title" if translated else field
        path, line, col = chapters.place_of_key(parts, key)
        problem = f"the front matter lacks {what}, which journal '{profile.id}' requires"
        heading = (
            _abstract_heading(parts, profile, lang or front.lang) if field == "abstract" else None
        )
        if heading is not None:
            problem += (
                f"; the text has a heading '{heading[0]}' ({heading[1]}): move the paragraphs "
                "under it into the front matter, as 'abstract: |' with them indented below it"
            )
        problems.append(error(problem, path, line or 1, col or 1))
    return problems


def _abstract_heading(
    parts: list[chapters.Chapter], profile: Profile, lang: str
) -> tuple[str, str] | None:
    """A heading "Abstract" (in the language's word, or English) the text has, and where: an
    abstract written as a section, which the journal's layout does not take from there."""
    words = {profile.terms_for(lang, pandoc.translations).abstract, "Abstract"}
    pattern = "|".join(re.escape(word) for word in words if word)
    heading = re.compile(rf"^#{{1,6}}[ \t]+({pattern})[ \t]*(?:\{{[^}}]*\}})?[ \t]*$", re.I | re.M)
    for part in parts:
        found = heading.search(part.text)
        if found:
            line = part.text.count("\n", 0, found.start()) + 1
            return found.group(1), f"{part.name}:{line}"
    return None


def _present(front: FrontMatter, summaries: dict[str, Any], field: str, lang: str) -> bool:
    if field in ("author", "udc", "irsti", "date"):
        return bool(
            {"author": front.authors, "udc": front.udc, "irsti": front.irsti, "date": front.date}[
                field
            ]
        )
    if field == "title" and (not lang or lang == front.base_lang):
        return bool(stringify(front.title).strip())
    attribute = {"title": "title", "abstract": "abstract", "keywords": "keywords"}[field]
    chosen = [summaries[lang]] if lang in summaries else ([] if lang else front.summaries)
    return any(stringify(getattr(s, attribute)).strip() for s in chosen)


def _nocite(meta: dict[str, Any]) -> set[str]:
    keys = {
        item["citationId"]
        for cite in elements(meta.get("nocite", []), "Cite")
        for item in cite["c"][0]
    }
    if "@*" in stringify(meta.get("nocite", [])):
        keys.add("*")
    return keys


def _unknown_nocite(
    parts: list[chapters.Chapter], nocite: set[str], bib: Bibliography
) -> list[Any]:
    """A key `nocite` lists for the reference list that no entry has: citeproc leaves it out
    without a word."""
    unknown = sorted(nocite - {"*"} - set(bib.entries))
    if not unknown:
        return []
    part = next((p for p in reversed(parts) if "nocite" in p.meta), parts[0])
    text = field_only(part.text, "nocite")
    problems = []
    for key in unknown:
        place = first([(part.name, text)], key_pattern(f"@{key}"), prose_only=False)
        problems.append(
            error(
                f"nocite lists @{key}, which is not in the bibliography; add it to a .bib "
                "file in bibliography/ or correct the key",
                *(place or (part.name, None, None)),
            )
        )
    return problems


_THESES = frozenset({"phdthesis", "mastersthesis", "thesis"})
_TEX_COMMAND = re.compile(r"\\[A-Za-z]+")


def _thesis_type(entry: Entry, lang: str) -> list[Any]:
    """A thesis's `type` is the degree a reference names ("дис. … канд. юрид. наук"): without
    it pandoc prints its own word, "phdthesis" in a Russian paper, "PhD thesis" in English in
    a Kazakh one; and it prints TeX there as written (`\\ldots{}`)."""
    if entry.type not in _THESES:
        return []
    given = entry.fields.get("type", "").strip()
    if not given and lang in CYRILLIC_LANGUAGES:
        return [
            warning(
                f"entry '{entry.key}' ({entry.type}) has no type, so it prints pandoc's word for "
                "it ('phdthesis', 'PhD thesis'); give the degree as the reference names it: "
                "type = {дис. … канд. юрид. наук}",
                entry.path,
                entry.line,
            )
        ]
    tex = _TEX_COMMAND.search(given)
    if tex:
        return [
            warning(
                f"entry '{entry.key}': type holds TeX ('{tex.group(0)}'), which pandoc prints as "
                "written there; type the characters themselves (…, not \\ldots)",
                entry.path,
                entry.line,
            )
        ]
    key = given.strip("{} ")
    if key.lower() in _DEGREE_KEYS and lang in CYRILLIC_LANGUAGES:
        return [
            warning(
                f"entry '{entry.key}': type = {{{key}}} is biblatex's name for a degree, which "
                f"pandoc prints in a {LANGUAGES.get(base_language(lang), lang)} paper as "
                f"written ('{key}') or in English; give the degree as the reference names it: "
                "type = {дис. … канд. юрид. наук}",
                entry.path,
                entry.line,
            )
        ]
    return []


# The degrees biblatex names by a key in `type`: pandoc prints them in English ("PhD thesis"),
# and in a Russian paper as the key itself.
_DEGREE_KEYS = frozenset({"phdthesis", "mathesis", "mastersthesis", "candthesis"})


_YAML_NUMBER = re.compile(r"[-+]?(?:\d[\d_]*)?\.?\d*(?:[eE][-+]?\d+)?")


def _codes_read_as_numbers(parts: list[chapters.Chapter], front: FrontMatter) -> list[Any]:
    """A UDC or IRSTI code YAML read as a number: `udc: 004.8` printed "УДК 4.8", `irsti: 10.20`
    "10.2"."""
    problems = []
    for key, read in (("udc", front.udc), ("irsti", front.irsti)):
        chapter = next((c for c in reversed(parts) if key in c.meta), None)
        if chapter is None:
            continue
        text = yaml_only(chapter.text)
        given = re.search(rf"^{key}[ \t]*:[ \t]*([^'\"\s#][^#\n]*?)[ \t]*(?:#.*)?$", text, re.M)
        # Only a number as YAML writes one: `!!str 004.8`, `~` or a block are no such code.
        if given is None or not _YAML_NUMBER.fullmatch(given.group(1)) or given.group(1) == read:
            continue
        written = given.group(1)
        problems.append(
            error(
                f"{key} {written} is read as the number {read}, and prints so; put it in quotes: "
                f'{key}: "{written}"',
                chapter.name,
                text.count("\n", 0, given.start()) + 1,
                given.start(1) - given.start() + 1,
            )
        )
    return problems


def _nested_citations(cites: list[Node], texts: list[tuple[str, str]]) -> list[Any]:
    """A citation inside another's brackets after a comma or a semicolon that is not ASCII's
    (`[@a, @b]`, `[@a；@b]`, `[@a؛ @b]`): pandoc reads it as the first one's locator, and the
    style printed one of the two works."""
    problems = []
    seen: dict[re.Pattern[str], int] = {}  # each pair's places, found one after another
    for cite in cites:
        for item in cite["c"][0]:
            outer = item["citationId"]
            for inner in elements([item["citationPrefix"], item["citationSuffix"]], "Cite"):
                for nested in inner["c"][0]:
                    key = nested["citationId"]
                    pattern = re.compile(
                        rf"@{re.escape(outer)}(?![\w:./-]*\w)[^\]]*?@{re.escape(key)}(?!\w)"
                    )
                    place = first(texts, pattern, skip=seen.get(pattern, 0))
                    seen[pattern] = seen.get(pattern, 0) + 1
                    problems.append(
                        error(
                            f"@{key} is inside the citation of @{outer}, where pandoc reads it "
                            f"as @{outer}'s locator: one of the two works is not cited; separate "
                            "citations with an ASCII semicolon: [@a; @b]",
                            *(place or (texts[0][0], None, None)),
                        )
                    )
    return problems


def _bare_nocite(parts: list[chapters.Chapter], meta: dict[str, Any]) -> list[Any]:
    """Words in `nocite` that are not @keys (`nocite: ['*']`, `[smith2020]`): pandoc reads
    only citations there, and leaves these out of the list without a word."""
    value = meta.get("nocite")
    if value is None:
        return []
    bare = [
        word
        for word in _without_cites(value).replace(",", " ").replace(";", " ").split()
        if not word.startswith("@")
    ]
    if not bare:
        return []
    part = next((p for p in reversed(parts) if "nocite" in p.meta), parts[0])
    word = bare[0]
    # The word as a value: not a letter of the field's name ("c" in "nocite").
    pattern = re.compile(rf"(?<=[\s\[,'\"]){re.escape(word)}(?=[\s\],'\"]|$)", re.MULTILINE)
    place = first([(part.name, field_only(part.text, "nocite"))], pattern, prose_only=False)
    meant = "@*, for every entry of the bibliography" if word == "*" else f"@{word}"
    return [
        error(
            f"nocite lists '{word}' without an @, so pandoc leaves it out of the reference "
            f"list; write {meant} (in quotes: nocite: '@a, @b')",
            *(place or (part.name, None, None)),
        )
    ]


def _without_cites(value: Any) -> str:
    """The text of a metadata value but its citations'."""
    if isinstance(value, list):
        return " ".join(_without_cites(item) for item in value)
    if isinstance(value, dict):
        if value.get("t") == "Cite":
            return " "
        if value.get("t") == "Str":
            return value["c"]
        if value.get("t") in ("Space", "SoftBreak", "LineBreak"):
            return " "
        return _without_cites(value.get("c", []))
    return ""


def _cite_works(cites: list[dict[str, Any]], bib: Bibliography) -> None:
    """`@method:smith2020` cites `smith2020` (CiTO typing, as pandoc-scholar writes it)."""
    for cite in cites:
        for item in cite["c"][0]:
            item["citationId"] = cito.cited_work(item["citationId"], bib.entries)


def _table(
    project: Project,
    profile: Profile,
    front: FrontMatter,
    citations: list[Citation],
    bib: Bibliography,
    cache: Path,
) -> list[TableRow]:
    keys = front.reference_numbers or list(
        dict.fromkeys(c.key for c in citations if c.key in bib.entries)
    )
    rendered = references.render(profile, base_language(front.lang), bib, keys, project.root, cache)
    return [TableRow(n, key, rendered.get(key, "")) for n, key in enumerate(keys, start=1)]


def _yaml_place(
    key: str, texts: list[tuple[str, str]]
) -> tuple[str | None, int | None, int | None]:
    """Where the front matter names a key (for reference-numbers problems)."""
    pattern = re.compile(rf"(?<![\w@-])@?{re.escape(key)}(?![\w-])")
    found = first(texts, pattern, prose_only=False)
    return found if found else (texts[0][0] if texts else None, None, None)
