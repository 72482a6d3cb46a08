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
from paperbuild.citations import citation, cited_keys
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
    _cite_uncited(doc, front.reference_numbers)
    styles.write_localized_style(profile, paths.style)
    meta = doc["meta"]
    meta.setdefault("lang", {"t": "MetaString", "c": front.lang})  # else the style's locale
    meta["link-citations"] = {"t": "MetaBool", "c": True}
    if _needs_reference_title(doc):
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
    result = pandoc.convert(doc, "json", args, cwd=project.root)
    # A key citeproc does not find, the check has already reported with its place.
    pandoc.report([w for w in result.warnings if not _NOT_FOUND.search(w)])
    processed = jsonio.loads(result.output)
    if profile.reference_terms == "entry" or profile.transliterated_references:
        _more_reference_lists(project, paths, profile, front, doc, args, processed)
    _unlink_missing_references(processed)
    jsonio.write(paths.ast, processed)


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
    args: list[str],
    processed: dict[str, Any],
) -> None:
    """Entries in their own languages' terms, and the transliterated list (reference_lists)."""
    from paperbuild import reference_lists

    items = {item.get("id"): item for item in _csl_items(project, paths)}

    # The list depends only on the citations and their order: these runs format just those,
    # not the whole text again.
    cites = [{"t": "Para", "c": [cite]} for cite in elements(doc["blocks"], "Cite")]

    def citeproc(meta: dict[str, Any], bibliography: Path | None) -> dict[str, Any]:
        variant = {**doc, "meta": {**doc["meta"], **meta}, "blocks": cites}
        variant_args = args
        if bibliography is not None:
            variant_args = [a for a in args if not a.endswith(".bib") and a != "--bibliography"]
            variant_args += ["--bibliography", project.relative(bibliography)]
        return jsonio.loads(pandoc.convert(variant, "json", variant_args, cwd=project.root).output)

    if profile.reference_terms == "entry":
        reference_lists.in_entry_languages(processed, items, front.lang, citeproc)
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
                processed,
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


def _needs_reference_title(doc: dict[str, Any]) -> bool:
    """Whether the reference list needs our heading: not when the author gave one."""
    if "reference-section-title" in doc["meta"]:
        return False
    if any(div["c"][0][0] == "refs" for div in elements(doc["blocks"], "Div")):
        return False  # the author placed the list, under their own heading
    content = [b for b in doc["blocks"] if b["t"] not in ("RawBlock", "HorizontalRule")]
    # A manuscript ending in a bare heading ("# References") puts the list under it.
    return not (content and content[-1]["t"] == "Header")


def _cite_uncited(doc: dict[str, Any], keys: list[str]) -> None:
    """A reference the author numbered but never cited still belongs in their list."""
    cited = set(cited_keys(doc["blocks"]))
    missing = [key for key in keys if key not in cited]
    if missing:
        cites = [{"t": "Cite", "c": [[citation(key, [])], []]} for key in missing]
        existing = doc["meta"].get("nocite", {"t": "MetaInlines", "c": []})
        doc["meta"]["nocite"] = {"t": "MetaInlines", "c": [*existing.get("c", []), *cites]}


def _unlink_missing_references(doc: dict[str, Any]) -> None:
    """citeproc links every citation to `#ref-key`, even a key it did not find; a link to
    nothing is an error in Typst and a dead link elsewhere, so keep only the text."""
    targets = {node["c"][0][0] for node in elements(doc["blocks"], "Div")}
    for node in elements(doc["blocks"], "Cite"):
        inlines = node["c"][1]
        for index, inline in enumerate(inlines):
            url = inline["c"][2][0] if inline.get("t") == "Link" else ""
            if url.startswith("#ref-") and url[1:] not in targets:
                inlines[index] = {"t": "Span", "c": [["", [], []], inline["c"][1]]}
