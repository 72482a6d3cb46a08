"""citeproc, once per build: the checked document (`paths.checked`) becomes the one every writer
starts from (`paths.ast`), citations formatted and the reference lists in place.

Outside note styles, what citeproc makes of the text depends only on the citations, their
order and the metadata. So citeproc is given just those, one paragraph a citation, and each
formatted citation is put back in its place: on a book that is a second instead of pandoc
reading and writing the whole text again. A note style turns citations into footnotes and moves
the punctuation around them, which needs the text: it gets the whole document.

The extra lists a journal may want (entries in their own languages' terms, a transliterated
list) are more runs over the same citations; the transliterated one runs beside the main one.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from paperbuild import (
    __version__,
    atomic,
    csljson,
    frontmatter,
    handoff,
    jsonio,
    pandoc,
    quotes,
    styles,
)
from paperbuild.citations import citation, front_names
from paperbuild.document import Paths, choose_profile, find_refs, is_refs, pandoc_data_args
from paperbuild.errors import ProfileError, ToolError
from paperbuild.pandoc_ast import Node, Str, blocks_in_order, elements, stringify
from paperbuild.profiles import Profile, base_language
from paperbuild.project import Project

_NOT_FOUND = re.compile(r"Citeproc: citation .* not found")


def cite(project: Project, paths: Paths, journal: str | None = None) -> None:
    held = handoff.take(paths.checked)
    if held is not None:  # the check ran in this process, and says where the citations are
        doc, (cites, placed) = held
    else:
        doc = jsonio.read(paths.checked)
        # One walk finds what citeproc changes: the citations, and a list the author placed.
        found = elements(doc["blocks"], "Cite", "Div")
        cites = [*_front_cites(doc), *(node for node in found if node["t"] == "Cite")]
        placed = next((n for n in found if n["t"] == "Div" and is_refs(n)), None)
    # Those of the front matter go to citeproc with it, as the metadata they are part of.
    in_front = len(_front_cites(doc))
    front = frontmatter.read(doc["meta"], Path(project.relative(project.manuscript_files[0])))
    profile = choose_profile(project, front, journal)
    _cite_uncited(doc, front.reference_numbers, cites)
    styles.write_localized_style(profile, paths.style)
    _as_written_outside_prose(doc["meta"])
    _prepare_meta(doc, profile, front, placed)
    marks = quotes.chooser(profile.shared_dir, project.root)
    run = Citeproc(project, paths, profile, doc, cites[in_front:], front.lang)
    ids = _cited_ids(doc, cites)
    # The runs beside the main one: citeproc is a process each, so they overlap.
    with ThreadPoolExecutor(max_workers=2) as side:
        second = None
        if profile.transliterated_references:
            second = side.submit(_transliterated, run, profile, front, ids)
        early = {}
        if profile.reference_terms == "entry":
            early = _entry_language_runs(side, run, front.lang, ids)
        if styles.citation_format(profile) == "note":
            doc = run.whole(doc)
            cites = elements(doc["blocks"], "Cite")  # the new document's
            refs = find_refs(doc["blocks"])
        else:
            refs = run.citations(doc, placed)
            cites[:in_front] = _front_cites(doc)  # the metadata is citeproc's now
        if refs is not None:
            top = any(block is refs for block in doc["blocks"])
            parent = doc["blocks"] if top else _parent(doc["blocks"], refs)
            if profile.reference_terms == "entry":
                _in_entry_languages(run, refs, front.lang, early)
            _entries_written_their_way(refs, run.languages, front.lang)
            if second is not None:
                _insert_transliterated(refs, parent, second, profile, marks)
    # What citeproc wrote (“…” around a title), in the marks the check gave the text; looked
    # for first with the fast walk, as most styles quote nothing.
    written = [cite["c"][1] for cite in cites] + ([refs] if refs is not None else [])
    if elements(written, "Quoted"):
        for node in written:
            quotes.localize(node, front.lang, marks)
    _unlink_missing_references(cites, refs)
    _own_list_heading(doc["blocks"])
    # pandoc's citeproc writes back the files it was given (the .bib's cache, named by its
    # content): kept, an edit no output shows (an uncited entry) would rewrite every format.
    for key in ("bibliography", "csl"):
        doc["meta"].pop(key, None)
    handoff.write(paths.ast, doc)
    run.forget_unused()


def _as_written_outside_prose(meta: dict[str, Any]) -> None:
    """What pandoc read as a citation in a field the layouts print but not as prose (an
    author's name, an affiliation: `Lab @ Uni`, `[@x]`) is its text again: citeproc formats
    whatever metadata it is given, and linked it to a reference that is not there (Typst stopped
    on the link)."""
    prose = set(front_names(meta)) | {"nocite"}
    for name, value in meta.items():
        if name in prose:
            continue
        stack: list[Any] = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                if any(isinstance(x, dict) and x.get("t") == "Cite" for x in item):
                    item[:] = [
                        part
                        for x in item
                        for part in (
                            x["c"][1] if isinstance(x, dict) and x.get("t") == "Cite" else [x]
                        )
                    ]
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(v for v in item.values() if isinstance(v, dict | list))


def _front_cites(doc: dict[str, Any]) -> list[Node]:
    meta = doc["meta"]
    return elements([meta[name] for name in front_names(meta)], "Cite")


class Citeproc:
    """pandoc's citeproc with the project's style and bibliography, sandboxed: it reads the
    files named here and nothing else."""

    def __init__(
        self,
        project: Project,
        paths: Paths,
        profile: Profile,
        doc: dict[str, Any],
        cites: list[Node],
        lang: str,
    ) -> None:
        self.project, self.paths, self.profile = project, paths, profile
        self.lang = base_language(lang)
        self.options = [
            "--sandbox",
            "--citeproc",
            "--csl",
            project.relative(paths.style),
            *pandoc_data_args(profile),
        ]
        # pandoc reads its own CSL JSON of each .bib (the check wrote it) faster than BibTeX.
        csl = paths.cache_dir / "csl"
        self.bibliographies = [
            csljson.csl_file(bib, project.relative(bib), project.root, csl, lang)
            for bib in project.bib_files
        ]
        self.cites = cites
        # The citations and metadata as they are now, for the runs beside and after the main
        # one, which formats them in place.
        self._paras = jsonio.Fragment(jsonio.dumps([{"t": "Para", "c": [c]} for c in cites]))
        self._meta = dict(doc["meta"])
        self._version = doc["pandoc-api-version"]
        self._cache = paths.cache_dir / "citeproc"
        self.used: set[str] = set()
        # What else citeproc's output depends on: pandoc, the style, our translations.
        translations = sorted((profile.shared_dir / "translations").glob("*.yaml"))
        self._fixed = [
            pandoc.version().encode(),
            paths.style.read_bytes(),
            *(path.read_bytes() for path in translations),
        ]

    @functools.cached_property
    def items(self) -> dict[str, dict[str, Any]]:
        """The bibliography as CSL JSON, by id."""
        return {item.get("id"): item for path in self.bibliographies for item in jsonio.read(path)}

    @functools.cached_property
    def languages(self) -> dict[str, str]:
        """Each entry's language, by id (see reference_lists.entry_language): told once, for
        every list and entry that asks."""
        from paperbuild.reference_lists import entry_language

        return {key: entry_language(item, self.lang) for key, item in self.items.items()}

    def whole(self, doc: dict[str, Any]) -> dict[str, Any]:
        return self._run(jsonio.dumps(doc), self.bibliographies)

    def citations(self, doc: dict[str, Any], placed: Node | None) -> Node | None:
        """Format the citations in place, put the list where citeproc would (into the author's
        Div, or at the end); return the list's Div."""
        blocks: list[Any] = [{"t": "Para", "c": [cite]} for cite in self.cites]
        # What decides where citeproc puts the list: a Div the author made for it, or else a
        # heading the text ends with (the list goes under it, and the heading is unnumbered).
        last = doc["blocks"][-1] if doc["blocks"] else None
        ending = last if last is not None and last["t"] == "Header" else None
        if placed is not None:
            blocks.append({"t": "Div", "c": [placed["c"][0], []]})
        elif ending is not None:
            blocks.append(ending)
        result = self._run(jsonio.dumps({**doc, "blocks": blocks}), self.bibliographies)
        count = len(self.cites)
        for cite, para in zip(self.cites, result["blocks"][:count], strict=True):
            cite["c"] = para["c"][0]["c"]
        with_period = {id(c) for c in self.cites if stringify(c["c"][1]).endswith(".")}
        if with_period:
            _one_period(doc, with_period)
        doc["meta"] = result["meta"]
        rest = result["blocks"][count:]
        refs = find_refs(rest)
        if placed is not None:
            if refs is not None:  # the author's content of the Div stays before the list
                placed["c"] = [refs["c"][0], [*placed["c"][1], *refs["c"][1]]]
            return placed
        if ending is not None:
            doc["blocks"].pop()
        doc["blocks"].extend(rest)
        return refs

    def variant(
        self, meta: dict[str, Any], bibliographies: list[Path] | None = None
    ) -> Node | None:
        """The reference list of another run over the same citations: other metadata (a
        language), another bibliography."""
        variant = {"meta": {**self._meta, **meta}, "blocks": self._paras}
        data = jsonio.dumps({"pandoc-api-version": self._version, **variant})
        return find_refs(self._run(data, bibliographies or self.bibliographies)["blocks"])

    def _run(self, data: bytes, bibliographies: list[Path]) -> dict[str, Any]:
        """citeproc's result, from the cache when the citations, metadata, style and
        bibliography are what they were: an edit to the text alone formats nothing again."""
        args = ["--from", "json", "--to", "json", *self.options]
        for path in bibliographies:
            args += ["--bibliography", self.project.relative(path)]
        inputs = [data, *map(str.encode, args), *(p.read_bytes() for p in bibliographies)]
        digest = hashlib.sha256(b"\0".join([*inputs, *self._fixed])).hexdigest()
        cached = self._cache / f"{digest}.json"
        self.used.add(cached.name)
        try:
            record = jsonio.read(cached)
        except (OSError, ValueError):
            result = self._citeproc(args, data)
            # A key citeproc does not find, the check has already reported with its place.
            warnings = [w for w in result.warnings if not _NOT_FOUND.search(w)]
            jsonio.write(cached, {"warnings": warnings, "output": jsonio.Fragment(result.output)})
            record = {"warnings": warnings, "output": jsonio.loads(result.output)}
        pandoc.report(record["warnings"])
        return record["output"]

    def _citeproc(self, args: list[str], data: bytes) -> pandoc.Result:
        try:
            return pandoc.run(args, data=data, cwd=self.project.root)
        except ToolError as error:
            said = getattr(error, "stderr", "")
            if "Citeproc" not in said and "CSL" not in said:
                raise
            # A style pandoc's citeproc cannot read is the journal's to mend, not ours.
            source = styles.style_path(self.profile)
            first = said.strip().splitlines()[0].removeprefix("pandoc: ").strip()
            raise ProfileError(
                f"pandoc's citeproc cannot use this style: {first}",
                path=self.project.relative(source),
                hint="mend the style, or name another in the profile's 'csl'",
            ) from None

    def forget_unused(self) -> None:
        """Keep only the results this build used: each edit of the citations makes new ones."""
        jsonio.prune(self._cache, self.used)


def _prepare_meta(
    doc: dict[str, Any], profile: Profile, front: frontmatter.FrontMatter, placed: Node | None
) -> None:
    meta = doc["meta"]
    # Else the style's locale; and `lang:` left empty, which every writer would warn of.
    if not stringify(meta.get("lang", {})).strip():
        meta["lang"] = {"t": "MetaString", "c": front.lang}
    meta["link-citations"] = {"t": "MetaBool", "c": True}
    if _needs_reference_title(doc, placed):
        title = profile.terms_for(front.lang, pandoc.translations).references
        meta["reference-section-title"] = {"t": "MetaInlines", "c": [Str(title)]}
    # The project's bibliography/ folder and the journal's style are the ones that count (the
    # check warns of these keys).
    for key in ("bibliography", "csl", "citation-style", "references"):
        meta.pop(key, None)


def _entry_language_runs(
    side: ThreadPoolExecutor, run: Citeproc, lang: str, ids: set[str] | None
) -> dict[str, Future[Node | None]]:
    """The list in each other language the cited entries are in, started before the main run
    has said which entries made its list (the cited ones, so the same languages)."""
    base = base_language(lang)
    languages = {language for key, language in run.languages.items() if ids is None or key in ids}
    return {
        language: side.submit(run.variant, _lang_meta(language))
        for language in sorted(languages - {base})
    }


def _in_entry_languages(
    run: Citeproc, refs: Node, lang: str, early: dict[str, Future[Node | None]]
) -> None:
    from paperbuild import reference_lists

    def other(language: str) -> Node | None:
        started = early.get(language)
        return started.result() if started else run.variant(_lang_meta(language))

    reference_lists.in_entry_languages(refs, run.languages, lang, other)


def _entries_written_their_way(refs: Node, languages: dict[str, str], lang: str) -> None:
    """An entry in a language written the other way from the paper's (English in a Hebrew
    paper) is told its language and way: its full stop was set at the left, and its text run
    as the paper's."""
    from paperbuild import writing_direction

    way = writing_direction.of(lang)
    for entry in refs["c"][1]:
        ident = entry["c"][0][0] if entry.get("t") == "Div" else ""
        language = languages.get(ident.removeprefix("ref-"))
        if language is None:
            continue
        if writing_direction.of(language) != way:
            entry["c"][0][2] += [["lang", language], ["dir", writing_direction.of(language)]]


def _lang_meta(language: str) -> dict[str, Any]:
    return {"lang": {"t": "MetaString", "c": language}}


def _transliterated(
    run: Citeproc, profile: Profile, front: frontmatter.FrontMatter, ids: set[str] | None
) -> Node | None:
    """The transliterated list, from a bibliography written in Latin letters."""
    from importlib import metadata

    from paperbuild import bibliography, reference_lists

    settings = profile.transliterated_references
    assert settings is not None
    items = {key: item for key, item in run.items.items() if ids is None or key in ids}
    bib_files, root = list(run.project.bib_files), run.project.root
    entries = bibliography.load(bib_files, root, run.paths.cache_dir / "bib").entries
    english = {key: reference_lists.english_title(entry.fields) for key, entry in entries.items()}
    target = run.paths.out_dir / "references-transliterated.json"
    # Transliterating a thousand entries takes a third of a second: not again for the same ones.
    tools = [__version__, *(metadata.version(name) for name in ("iuliia", "anyascii"))]
    inputs = jsonio.dumps([tools, items, english, front.lang, settings.schemes, settings.title])
    stamp = run.paths.cache_dir / "transliterated.sha256"
    digest = hashlib.sha256(inputs).hexdigest()
    if not target.is_file() or not stamp.is_file() or stamp.read_text() != digest:
        try:
            reference_lists.write_in_latin(items, english, front.lang, settings, target)
        except ValueError as error:  # an unknown transliteration scheme
            path = f"templates/{profile.id}/profile.yaml"
            raise ProfileError(str(error), path=path) from None
        atomic.write_text(stamp, digest)
    return run.variant({"lang": {"t": "MetaString", "c": "en-US"}}, [target])


def _insert_transliterated(
    refs: Node,
    parent: list[Any],
    second: Future[Node | None],
    profile: Profile,
    marks: Callable[[str], quotes.Marks],
) -> None:
    from paperbuild import reference_lists

    listing = second.result()
    settings = profile.transliterated_references
    if listing is not None and settings is not None:
        quotes.localize(listing, "en", marks)  # a list in English
        reference_lists.insert_after(refs, parent, listing, settings)


def _cited_ids(doc: dict[str, Any], cites: list[Node]) -> set[str] | None:
    """The keys cited in the text or by `nocite`; None when `nocite` takes them all (`@*`)."""
    nocite = elements(doc["meta"].get("nocite", []), "Cite")
    ids = {item["citationId"] for cite in [*cites, *nocite] for item in cite["c"][0]}
    return None if "*" in ids else ids


def _one_period(doc: dict[str, Any], ending: set[int]) -> None:
    """A citation formatted apart from its text ends in a period ("[1, p. 57] ff.") where the
    sentence's own follows it: one period is left, as citeproc leaves it in the text."""
    stack: list[Any] = [doc["blocks"]]  # the front matter's are citeproc's, in its metadata
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            for i in reversed(range(len(item) - 1)):
                after = item[i + 1]
                if id(item[i]) not in ending or not isinstance(after, dict):
                    continue
                if after.get("t") == "Str" and after["c"][:1] == ".":
                    if after["c"] == ".":
                        del item[i + 1]
                    else:
                        after["c"] = after["c"][1:]
            stack.extend(child for child in item if isinstance(child, dict | list))
        elif isinstance(item, dict):
            stack.extend(v for v in item.values() if isinstance(v, dict | list))


def _parent(blocks: list[Any], target: Node) -> list[Any]:
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


def _needs_reference_title(doc: dict[str, Any], placed: Node | None) -> bool:
    """Whether the reference list needs our heading: not when the author gave one."""
    if "reference-section-title" in doc["meta"]:
        return False
    if placed is not None:
        return False  # the author placed the list, under their own heading
    content = [b for b in doc["blocks"] if b["t"] not in ("RawBlock", "HorizontalRule")]
    # A manuscript ending in a bare heading ("# References") puts the list under it.
    return not (content and content[-1]["t"] == "Header")


# The identifier pandoc gives the heading it puts over the list (reference-section-title).
_LIST_HEADING = "bibliography"


def _own_list_heading(blocks: list[Any]) -> None:
    """An author's heading "Bibliography" (a chapter of that name) keeps its identifier, which
    pandoc also gives the list's heading: that one, the last, gets the next free one, or the
    PDF's labels would clash and a link would go to either."""
    from paperbuild.identifiers import next_free

    labelled = [b for b in blocks_in_order(blocks) if b["t"] in ("Header", "Div")]
    named = [b for b in labelled if b["t"] == "Header" and b["c"][1][0] == _LIST_HEADING]
    if len(named) > 1:
        taken = {b["c"][1][0] if b["t"] == "Header" else b["c"][0][0] for b in labelled}
        named[-1]["c"][1][0] = next_free(_LIST_HEADING, taken)


def _cite_uncited(doc: dict[str, Any], keys: list[str], cites: list[Node]) -> None:
    """A reference the author numbered but never cited still belongs in their list."""
    cited = {item["citationId"] for cite in cites for item in cite["c"][0]}
    missing = [key for key in keys if key not in cited]
    if missing:
        nocites = [{"t": "Cite", "c": [[citation(key, [])], []]} for key in missing]
        existing = doc["meta"].get("nocite", {"t": "MetaInlines", "c": []})
        doc["meta"]["nocite"] = {"t": "MetaInlines", "c": [*existing.get("c", []), *nocites]}


def _unlink_missing_references(cites: list[Node], refs: Node | None) -> None:
    """citeproc links every citation to `#ref-key`, even a key it did not find; a link to
    nothing is an error in Typst and a dead link elsewhere, so keep only the text. (In a note
    style the link is inside the footnote citeproc made of the citation.)"""
    targets = {e["c"][0][0] for e in refs["c"][1] if e["t"] == "Div"} if refs else set()
    stack: list[Any] = [node["c"][1] for node in cites]
    while stack:
        inlines = stack.pop()
        for index, inline in enumerate(inlines):
            kind = inline.get("t")
            url = inline["c"][2][0] if kind == "Link" else ""
            if url.startswith("#ref-") and url[1:] not in targets:
                inlines[index] = {"t": "Span", "c": [["", [], []], inline["c"][1]]}
            elif kind == "Note":
                stack.extend(block["c"] for block in inline["c"] if block["t"] in ("Para", "Plain"))
