"""The document every writer starts from: the checked manuscript with citeproc applied once.

`paperbuild.check` reads the chapters and makes the author's citations real; `cite` runs
citeproc on that and caches the AST, so pandoc reads the Markdown and formats the references
once per build, whatever the number of formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperbuild import frontmatter, jsonio, pandoc, profiles, styles
from paperbuild.citations import citation
from paperbuild.errors import ProfileError
from paperbuild.pandoc_ast import Str, elements
from paperbuild.profiles import Profile
from paperbuild.project import Project

_NOT_FOUND = re.compile(r"Citeproc: citation .* not found")
DEFAULT_JOURNAL = "article"  # for a manuscript that names no journal


@dataclass(frozen=True)
class Paths:
    """Where one journal's build writes."""

    out_dir: Path

    @property
    def ast(self) -> Path:
        return self.out_dir / "paper.json"

    @property
    def checked(self) -> Path:
        """The document as the check leaves it: real citations, before citeproc."""
        return self.out_dir / "paper.checked.json"

    @property
    def report(self) -> Path:
        return self.out_dir / "check.json"

    @property
    def style(self) -> Path:
        return self.out_dir / "style.csl"

    @property
    def cache_dir(self) -> Path:
        return self.out_dir / ".cache"

    def output(self, ext: str) -> Path:
        return self.out_dir / f"paper.{ext}"

    @classmethod
    def of(cls, project: Project, journal: str | None) -> Paths:
        """build/ for the manuscript's own journal, build/<id>/ for a command-line override."""
        build = project.build_dir
        return cls(build / journal if journal else build)


def pandoc_data_args(profile: Profile) -> list[str]:
    # translations/<lang>.yaml for languages pandoc does not know (Kazakh) live here.
    return ["--data-dir", str(profile.shared_dir)]


@dataclass(frozen=True)
class Parsed:
    """The cached AST with what every writer reads from it."""

    doc: dict[str, Any]
    front: frontmatter.FrontMatter
    profile: Profile


def choose_profile(
    project: Project, front: frontmatter.FrontMatter, journal: str | None
) -> Profile:
    """The command line's `journal=` wins, else the manuscript's `journal:`, else the default."""
    try:
        return profiles.load(project.templates_dir, journal or front.journal or DEFAULT_JOURNAL)
    except ProfileError as error:
        if journal or not front.journal or not error.message.startswith("unknown journal"):
            raise
        # Named in the manuscript: say where.
        error.path, error.line, error.col = project.locate(
            re.compile(r"^journal:\s*['\"]?" + re.escape(front.journal))
        )
        raise


def cite(project: Project, paths: Paths, journal: str | None = None) -> None:
    """Run citeproc once on the checked document (`paths.checked`), giving `paths.ast`."""
    doc = jsonio.read(paths.checked)
    front = frontmatter.read(doc["meta"], Path(project.relative(project.manuscript_files[0])))
    profile = choose_profile(project, front, journal)
    # One walk finds what citeproc changes: the citations, and a list the author placed.
    found = elements(doc["blocks"], "Cite", "Div")
    cites = [node for node in found if node["t"] == "Cite"]
    placed = next((n for n in found if n["t"] == "Div" and _is_refs(n)), None)
    _cite_uncited(doc, front.reference_numbers, cites)
    styles.write_localized_style(profile, paths.style)
    meta = doc["meta"]
    meta.setdefault("lang", {"t": "MetaString", "c": front.lang})  # else the style's locale
    meta["link-citations"] = {"t": "MetaBool", "c": True}
    if _needs_reference_title(doc, placed):
        title = profile.terms_for(front.lang, pandoc.translations).references
        meta["reference-section-title"] = {"t": "MetaInlines", "c": [Str(title)]}
    meta.pop("bibliography", None)  # the project's bibliography/ folder is the one that counts
    meta.pop("csl", None)
    # Sandboxed: citeproc reads the style and the .bib files named here and nothing else.
    args = [
        "--sandbox",
        "--citeproc",
        "--csl",
        project.relative(paths.style),
        *pandoc_data_args(profile),
    ]
    for bib in project.bib_files:
        args += ["--bibliography", project.relative(bib)]
    if styles.citation_format(profile) == "note":
        # A note style makes footnotes of citations and moves punctuation around them: that
        # needs the text, so citeproc gets the whole document.
        doc = _citeproc(project, doc, args)
        refs = _find_refs(doc["blocks"])
    else:
        refs = _citeproc_citations(project, doc, cites, placed, args)
    if refs is not None:
        parent = doc["blocks"] if refs in doc["blocks"] else _parent(doc["blocks"], refs)
        if profile.reference_terms == "entry" or profile.transliterated_references:
            _more_reference_lists(project, paths, profile, front, doc, cites, args, refs, parent)
    _unlink_missing_references(cites, refs)
    jsonio.write(paths.ast, doc)


def _citeproc(project: Project, doc: dict[str, Any], args: list[str]) -> dict[str, Any]:
    result = pandoc.convert(doc, "json", args, cwd=project.root)
    # A key citeproc does not find, the check has already reported with its place.
    pandoc.report([w for w in result.warnings if not _NOT_FOUND.search(w)])
    return jsonio.loads(result.output)


def _citeproc_citations(
    project: Project,
    doc: dict[str, Any],
    cites: list[dict[str, Any]],
    placed: dict[str, Any] | None,
    args: list[str],
) -> dict[str, Any] | None:
    """citeproc over the citations alone, each put back in its place; the reference list where
    the author placed it, else at the end. Returns the list's Div.

    Outside note styles, what citeproc makes of the text depends only on the citations, their
    order and the metadata (whose citations it formats too). Giving it just those, not a book
    of text to read and write again, is what makes this step fast.
    """
    blocks = [{"t": "Para", "c": [cite]} for cite in cites]
    # What decides where citeproc puts the list: a Div the author made for it, or else a
    # heading the text ends with (the list goes under it, and the heading is unnumbered).
    last = doc["blocks"][-1] if doc["blocks"] else None
    ending = last if last is not None and last["t"] == "Header" else None
    if placed is not None:
        blocks.append({"t": "Div", "c": [placed["c"][0], []]})
    elif ending is not None:
        blocks.append(ending)
    result = _citeproc(project, {**doc, "blocks": blocks}, args)
    formatted, rest = result["blocks"][: len(cites)], result["blocks"][len(cites) :]
    for cite, para in zip(cites, formatted, strict=True):
        cite["c"] = para["c"][0]["c"]
    doc["meta"] = result["meta"]
    refs = _find_refs(rest)
    if placed is not None:
        if refs is not None:  # the author's content of the Div stays before the list
            placed["c"] = [refs["c"][0], [*placed["c"][1], *refs["c"][1]]]
        return placed
    if ending is not None:
        doc["blocks"].pop()
    doc["blocks"].extend(rest)
    return refs


def _find_refs(blocks: list[Any]) -> dict[str, Any] | None:
    return next((div for div in elements(blocks, "Div") if _is_refs(div)), None)


def _is_refs(div: dict[str, Any]) -> bool:
    # `--file-scope` prefixes ids with the file's name: pandoc's citeproc takes `x__refs` too.
    ident = div["c"][0][0]
    return bool(ident == "refs" or ident.endswith("__refs"))


def _parent(blocks: list[Any], target: dict[str, Any]) -> list[Any]:
    """The list of blocks that holds `target`."""
    stack: list[Any] = [blocks]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            if any(child is target for child in item):
                return item
            stack.extend(item)
        elif isinstance(item, dict) and isinstance(item.get("c"), list):
            stack.append(item["c"])
    return blocks


def load(project: Project, paths: Paths, journal: str | None = None) -> Parsed:
    return load_doc(project, jsonio.read(paths.ast), journal)


def load_doc(project: Project, doc: dict[str, Any], journal: str | None = None) -> Parsed:
    front = frontmatter.read(doc["meta"], Path(project.relative(project.manuscript_files[0])))
    return Parsed(doc, front, choose_profile(project, front, journal))


def _more_reference_lists(
    project: Project,
    paths: Paths,
    profile: Profile,
    front: frontmatter.FrontMatter,
    doc: dict[str, Any],
    cites: list[dict[str, Any]],
    args: list[str],
    refs: dict[str, Any],
    parent: list[Any],
) -> None:
    """Entries in their own languages' terms, and the transliterated list (reference_lists)."""
    from paperbuild import reference_lists

    items = {item.get("id"): item for item in _csl_items(project, paths)}

    # The list depends only on the citations and their order: these runs format just those,
    # not the whole text again.
    paras = [{"t": "Para", "c": [cite]} for cite in cites]

    def citeproc(meta: dict[str, Any], bibliography: Path | None) -> dict[str, Any]:
        variant = {**doc, "meta": {**doc["meta"], **meta}, "blocks": paras}
        variant_args = args
        if bibliography is not None:
            variant_args = [a for a in args if not a.endswith(".bib") and a != "--bibliography"]
            variant_args += ["--bibliography", project.relative(bibliography)]
        return jsonio.loads(pandoc.convert(variant, "json", variant_args, cwd=project.root).output)

    if profile.reference_terms == "entry":
        reference_lists.in_entry_languages(refs, items, front.lang, citeproc)
    if profile.transliterated_references:
        from paperbuild import bibliography

        entries = bibliography.load(list(project.bib_files), project.root).entries
        english = {
            key: next(
                (
                    entry.fields[f]
                    for f in reference_lists.ENGLISH_TITLE_FIELDS
                    if entry.fields.get(f)
                ),
                "",
            )
            for key, entry in entries.items()
        }
        try:
            reference_lists.add_transliterated(
                refs,
                parent,
                items,
                english,
                front.lang,
                profile.transliterated_references,
                paths.out_dir / "references-transliterated.json",
                citeproc,
            )
        except ValueError as error:  # an unknown transliteration scheme
            raise ProfileError(str(error), path=f"templates/{profile.id}/profile.yaml") from None


def _csl_items(project: Project, paths: Paths) -> list[dict[str, Any]]:
    from paperbuild.references import csl_items

    return [
        item
        for bib in project.bib_files
        for item in csl_items(bib, project.relative(bib), project.root, paths.cache_dir / "csl")
    ]


def references(project: Project, paths: Paths, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The works in the reference list, in its order, as CSL JSON (pandoc's reading)."""
    from paperbuild.references import csl_items

    items = {
        item.get("id"): item
        for bib in project.bib_files
        for item in csl_items(bib, project.relative(bib), project.root, paths.cache_dir / "csl")
    }
    refs = next((div for div in elements(doc["blocks"], "Div") if div["c"][0][0] == "refs"), None)
    if refs is None:
        return []
    ids = [entry["c"][0][0].removeprefix("ref-") for entry in refs["c"][1] if entry["t"] == "Div"]
    return [items[key] for key in ids if key in items]


def _needs_reference_title(doc: dict[str, Any], placed: dict[str, Any] | None) -> bool:
    """Whether the reference list needs our heading: not when the author gave one."""
    if "reference-section-title" in doc["meta"]:
        return False
    if placed is not None:
        return False  # the author placed the list, under their own heading
    content = [b for b in doc["blocks"] if b["t"] not in ("RawBlock", "HorizontalRule")]
    # A manuscript ending in a bare heading ("# References") puts the list under it.
    return not (content and content[-1]["t"] == "Header")


def _cite_uncited(doc: dict[str, Any], keys: list[str], cites: list[dict[str, Any]]) -> None:
    """A reference the author numbered but never cited still belongs in their list."""
    cited = {item["citationId"] for cite in cites for item in cite["c"][0]}
    missing = [key for key in keys if key not in cited]
    if missing:
        nocites = [{"t": "Cite", "c": [[citation(key, [])], []]} for key in missing]
        existing = doc["meta"].get("nocite", {"t": "MetaInlines", "c": []})
        doc["meta"]["nocite"] = {"t": "MetaInlines", "c": [*existing.get("c", []), *nocites]}


def _unlink_missing_references(cites: list[dict[str, Any]], refs: dict[str, Any] | None) -> None:
    """citeproc links every citation to `#ref-key`, even a key it did not find; a link to
    nothing is an error in Typst and a dead link elsewhere, so keep only the text."""
    targets = {entry["c"][0][0] for entry in refs["c"][1] if entry["t"] == "Div"} if refs else set()
    for node in cites:
        inlines = node["c"][1]
        for index, inline in enumerate(inlines):
            url = inline["c"][2][0] if inline.get("t") == "Link" else ""
            if url.startswith("#ref-") and url[1:] not in targets:
                inlines[index] = {"t": "Span", "c": [["", [], []], inline["c"][1]]}
