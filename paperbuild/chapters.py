"""The manuscript's chapters, each read by pandoc into its own AST, cached by content.

Reading chapter by chapter tells every citation's file, lets an edit re-parse one chapter only,
and runs pandoc on the chapters in parallel. `merge` makes the one document the rest of the
build sees, with pandoc's rule for metadata: a later block overrides an earlier one.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import subprocess
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paperbuild import __version__, atomic, jsonio, pandoc, sources
from paperbuild.errors import FrontMatterError, ManuscriptError, PaperError, ToolError
from paperbuild.project import Project

# --sandbox: reading the author's file, pandoc may read nothing else and fetch nothing.
READER = ["--sandbox", "--from", "markdown", "--to", "json"]
# As pandoc wrote it (`_RAW` relies on its compact form); the outline keeps the reader's warnings.
_CACHE_FORMAT = "pandoc's own JSON, the reader's warnings"
# pandoc's JSON is compact: a raw element shows as this, and a Str's quotes would be escaped.
_RAW = re.compile(rb'"t":"Raw(?:Block|Inline)"')
_SCHEMES = (b"javascript", b"vbscript", b"data")
# An attribute `on…`, or a URL that starts (after what a browser drops: JSON's escapes of
# control characters, spaces, tabs and line breaks, even inside the scheme) with a scheme that
# can run script. Harmlessly, it also finds a link to `on…` and every data: URL.
_SEP = rb"(?:\\[tnr]|\\u000[9aAdD])*"
_LEAD = rb"(?:\\u00[01][0-9a-fA-F]|\\[tnrbf]| )*"
_SCRIPT = re.compile(
    rb'\["(?:\s*on|'
    + _LEAD
    + rb"(?:"
    + rb"|".join(_SEP.join(re.escape(bytes([c])) for c in word) for word in _SCHEMES)
    + rb")"
    + _SEP
    + rb":)",
    re.IGNORECASE,
)
_YAML_ERROR = re.compile(
    r'Error parsing YAML metadata at "[^"]*" \(line (\d+), column (\d+)\):\s*'
    r"YAML parse exception at line (\d+), column (\d+)[,:]?\s*(.*)",
    re.DOTALL,
)


# A chapter's AST as pandoc wrote it, decoded, and what pandoc's reader warned of in it.
Parsed = tuple[bytes, dict[str, Any], list[str]]


@dataclass(frozen=True)
class Chapter:
    path: Path
    name: str  # as the author sees it: manuscript/02-methods.md
    text: str
    source: bytes = field(repr=False)  # its AST, as pandoc wrote it
    meta: dict[str, Any] = field(repr=False)  # the AST's metadata
    empty: bool = False  # neither metadata nor text
    has_raw: bool = True  # raw HTML or LaTeX somewhere in it (False: certainly none)
    has_script: bool = True  # maybe an event handler or a javascript: link (False: none)
    # What pandoc's reader warned of (an unclosed Div…), kept with the AST: said by every check.
    warnings: tuple[str, ...] = field(default=(), repr=False)
    # Parses the chapter again, should its cached AST not decode (a file damaged on disk).
    reparse: Callable[[], bytes] | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def doc(self) -> dict[str, Any]:
        """The AST, decoded when first asked for: after an edit, the check takes the other
        chapters' ASTs, citations converted, from a cache of its own, and never decodes these."""
        try:
            return jsonio.loads(self.source)
        except jsonio.DecodeError:
            if self.reparse is None:
                raise
            return jsonio.loads(self.reparse())

    def use(self, doc: dict[str, Any]) -> None:
        """Make `doc`, this AST as the check converted it, the chapter's."""
        self.__dict__["doc"] = doc


# Limits that keep a build's time and memory bounded whatever it is given. A book chapter is
# well under a megabyte; nothing real nests a hundred levels deep.
MAX_BYTES = 10 * 1024 * 1024
# JSON levels, about a hundred levels of Markdown nesting; orjson writes at most 254 (a cache
# record holds an AST a few levels down).
MAX_DEPTH = 240
READ_SECONDS, READ_SECONDS_PER_MB = 8.0, 20.0


def start(project: Project, cache_dir: Path) -> dict[str, Future[Parsed]]:
    """Begin parsing the chapters the cache does not hold, by cache key, for `read` to take:
    pandoc reads them while the check imports what it needs. Nothing begins if a file would
    stop `read` anyway (too large, unreadable, not UTF-8): `read` says why."""
    texts = []
    for path in project.manuscript_files:
        name = project.relative(path)
        try:
            if path.stat().st_size > MAX_BYTES:
                return {}
            texts.append((name, sources.read_text(path, name)))
        except (OSError, PaperError):
            return {}
    missing = {}
    for name, text in texts:
        key = _cache_key(text)
        if not (cache_dir / f"{key}.outline.json").is_file():
            missing[key] = (name, text)
    if not missing:
        return {}
    pool = ThreadPoolExecutor(max_workers=min(len(missing), os.cpu_count() or 1))
    begun = {key: pool.submit(_parse, project, *named) for key, named in missing.items()}
    pool.shutdown(wait=False)  # what was submitted still runs
    return begun


def read(
    project: Project, cache_dir: Path, started: dict[str, Future[Parsed]] | None = None
) -> list[Chapter]:
    """Every chapter, decoded (UTF-8 or an error) and parsed (from the cache when unchanged,
    or taken from what `start` began)."""
    names = [project.relative(path) for path in project.manuscript_files]
    for path, name in zip(project.manuscript_files, names, strict=True):
        size = path.stat().st_size if path.is_file() else 0
        if size > MAX_BYTES:
            raise ManuscriptError(
                f"{size / 1048576:.1f} MB is more than paperbuild reads in one file "
                f"({MAX_BYTES // 1048576} MB)",
                path=name,
                hint=_smaller(path),
            )
    texts = [
        sources.read_text(path, name)
        for path, name in zip(project.manuscript_files, names, strict=True)
    ]
    keys = [_cache_key(text) for text in texts]
    found = [_cached(cache_dir, key) for key in keys]
    missing = [i for i, entry in enumerate(found) if entry is None]
    docs: dict[int, dict[str, Any]] = {}
    if missing:
        begun = started or {}
        workers = min(len(missing), os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parses = [
                begun.get(keys[i]) or pool.submit(_parse, project, names[i], texts[i])
                for i in missing
            ]
            taken: set[int] = set()
            for i, parse in zip(missing, parses, strict=True):
                json, doc, warned = parse.result()
                # Chapters of the same text (two stubs) share a parse, never an AST: the check
                # edits each chapter's in place.
                docs[i] = jsonio.loads(json) if id(doc) in taken else doc
                taken.add(id(doc))
                found[i] = (json, _outline(docs[i], warned))
                _keep(cache_dir, keys[i], *found[i])
    # What the chapters read before an edit, no build needs again.
    jsonio.prune(cache_dir, {f"{key}{end}" for key in keys for end in (".json", ".outline.json")})
    parts = []
    for i, path in enumerate(project.manuscript_files):
        entry = found[i]
        assert entry is not None  # read from the cache, or parsed above
        source, outline = entry
        part = Chapter(
            path,
            names[i],
            texts[i],
            source,
            outline["meta"],
            outline["empty"],
            has_raw=_RAW.search(source) is not None,
            has_script=_SCRIPT.search(source) is not None,
            warnings=tuple(outline["warnings"]),
            reparse=functools.partial(_reparse, project, cache_dir, keys[i], names[i], texts[i]),
        )
        if i in docs:
            part.use(docs[i])
        parts.append(part)
    return parts


# A picture written into the text as a data: URL, as an editor pastes one.
_DATA_URL = re.compile(rb"data:image/[\w.+-]+;base64,[A-Za-z0-9+/=\s]+")


def _smaller(path: Path) -> str:
    """How to make a file too large to read smaller: its pictures in files of their own, if
    it holds them as data: URLs (splitting it would not help), else chapters."""
    pictures = sum(len(m.group(0)) for m in _DATA_URL.finditer(path.read_bytes()))
    if pictures > MAX_BYTES // 2:
        return (
            f"{pictures / 1048576:.1f} MB of it are pictures written in as data: URLs: save "
            "each as a file in manuscript/ and show it by its name, ![caption](figure.png)"
        )
    return "split the manuscript into chapter files"


def metadata(chapters: list[Chapter]) -> dict[str, Any]:
    """The chapters' metadata merged: a later block overrides an earlier one."""
    meta: dict[str, Any] = {}
    for chapter in chapters:
        meta.update(chapter.meta)
    return meta


def front_matter_file(chapters: list[Chapter]) -> str:
    """The file that holds the front matter: the first with metadata (else the first)."""
    return next((c.name for c in chapters if c.meta), chapters[0].name)


def place_of_key(chapters: list[Chapter], key: str) -> tuple[str, int | None, int | None]:
    """Where the metadata key the document takes is given: in the last chapter that gives it
    (a later block overrides an earlier one), at its line."""
    from paperbuild.positions import yaml_only

    chapter = next((c for c in reversed(chapters) if key in c.meta), None)
    if chapter is None:
        return front_matter_file(chapters), None, None
    text = yaml_only(chapter.text)
    match = re.search(rf"^{re.escape(key)}[ \t]*:", text, re.MULTILINE)
    if match is None:  # given in a form the pattern does not know (quoted, say)
        return chapter.name, None, None
    return chapter.name, text.count("\n", 0, match.start()) + 1, 1


def merge(chapters: list[Chapter]) -> dict[str, Any]:
    """One document: the chapters' blocks in order, their metadata merged (from their ASTs,
    where the check made the front matter's numeric citations real)."""
    blocks: list[Any] = []
    meta: dict[str, Any] = {}
    for chapter in chapters:
        blocks.extend(chapter.doc["blocks"])
        meta.update(chapter.doc["meta"])
    return {
        "pandoc-api-version": chapters[0].doc["pandoc-api-version"],
        "meta": meta,
        "blocks": blocks,
    }


def _cache_key(text: str) -> str:
    # The reader's version and options are part of what the AST depends on.
    seed = "\0".join([__version__, _CACHE_FORMAT, pandoc.identity(), *READER, text])
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def _outline(doc: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    return {"meta": doc["meta"], "empty": not (doc["blocks"] or doc["meta"]), "warnings": warnings}


def _reparse(project: Project, cache_dir: Path, key: str, name: str, text: str) -> bytes:
    source, doc, warnings = _parse(project, name, text)
    _keep(cache_dir, key, source, _outline(doc, warnings))
    return source


def _keep(cache_dir: Path, key: str, source: bytes, outline: dict[str, Any]) -> None:
    atomic.write_bytes(cache_dir / f"{key}.json", source)
    # Written last: being there says the AST before it was written whole.
    jsonio.write(cache_dir / f"{key}.outline.json", outline)


def _cached(cache_dir: Path, key: str) -> tuple[bytes, dict[str, Any]] | None:
    """A chapter's AST, undecoded, and its outline (metadata), if the cache has both."""
    try:
        outline = jsonio.read(cache_dir / f"{key}.outline.json")
        source = (cache_dir / f"{key}.json").read_bytes()
    except (OSError, jsonio.DecodeError):
        return None
    if not isinstance(outline, dict) or {"meta", "empty", "warnings"} - outline.keys():
        return None
    return source, outline


# The reader's warnings the check gives itself, placed where the author wrote them (pandoc
# counts the lines of the front matter's block, and says line 1 for a repeated field). A file
# that raw LaTeX includes (`\input`, `\lstinputlisting`) is never read (--sandbox): the check
# says that the raw passage is left out.
_SAID_BY_THE_CHECK = re.compile(
    r"Duplicate identifier '|YAML warning .*Duplicate key: \.[^.\[]+$|Could not load include file "
)


def _parse(project: Project, name: str, text: str) -> Parsed:
    """The chapter's AST as pandoc's JSON, and decoded: checked to load and to nest within
    bounds."""
    # pandoc's Markdown reader takes exponential time on some runs of square brackets
    # (jgm/pandoc#1735, #11687); a real chapter reads in well under this.
    size = len(text.encode("utf-8"))
    seconds = READ_SECONDS + READ_SECONDS_PER_MB * size / 1048576
    try:
        result = pandoc.run([*READER, name], cwd=project.root, timeout=seconds)
    except subprocess.TimeoutExpired:
        raise ManuscriptError(
            f"pandoc did not finish reading it in {seconds:.0f} s",
            path=name,
            hint="many nested or repeated square brackets do this: write those that are "
            "neither links nor citations as \\[ and \\]",
        ) from None
    except ToolError as error:
        raise _yaml_error(error, name, text) or error from None
    if sources.read_text(project.root / name, name) != text:
        # pandoc read the file after it was saved again: its AST is not of `text`, under whose
        # key it would be kept, and by which the check places what it finds.
        raise ManuscriptError("it changed while pandoc read it", path=name, hint="run doit again")
    try:
        doc = jsonio.loads(result.output)
    except (RecursionError, jsonio.DecodeError):  # orjson stops at 1024 levels
        doc = None
    if doc is None or _depth(doc) > MAX_DEPTH:
        raise ManuscriptError(
            "the text nests too deeply (block quotes, lists or emphasis inside each other, "
            "about a hundred levels or more)",
            path=name,
            hint="flatten it",
        )
    warnings = [w for w in _grouped(result.warnings) if not _SAID_BY_THE_CHECK.search(w)]
    return result.output, doc, warnings


def _grouped(lines: list[str]) -> list[str]:
    """pandoc's warnings, each with the lines that continue it (indented)."""
    warnings: list[str] = []
    for line in lines:
        if warnings and line.startswith(" "):
            warnings[-1] += "\n" + line
        else:
            warnings.append(line)
    return warnings


def _depth(node: Any) -> int:
    """How deeply decoded JSON nests, found level by level: a sixth of the time of a walk that
    carries each node's level with it (the sample's chapter: 2 ms, not 11). Decoded JSON holds
    plain lists and dicts, so their types are compared, not looked up as isinstance does."""
    level, depth = [node], 0
    while level:
        depth += 1
        below = []
        for item in level:
            for child in item if type(item) is list else item.values():
                if type(child) is list or type(child) is dict:
                    below.append(child)
        level = below
    return depth


def _yaml_error(error: ToolError, name: str, text: str) -> FrontMatterError | None:
    """pandoc's YAML message in the author's terms: the line and column in their file. A tab
    before a field is said as that: YAML's own words for it named a later line and advised
    quotes."""
    match = _YAML_ERROR.search(error.stderr)
    if match is None:
        return None
    block_line, _, line, column, problem = match.groups()
    lines = text.splitlines()
    start, end = int(block_line), int(block_line) + int(line)
    for number in range(start, min(end, len(lines)) + 1):
        # A field's line begun by a tab; one inside a block of text (`abstract: |`) begins
        # with the block's spaces, and may hold a tab after them.
        if lines[number - 1].startswith("\t") and lines[number - 1].strip():
            return FrontMatterError(
                "front matter is not valid YAML: this line is indented with a tab, which YAML "
                "does not allow",
                path=name,
                line=number,
                col=1,
                hint="indent it with spaces",
            )
    problem = " ".join(problem.split()) or "invalid YAML"
    return FrontMatterError(
        f"front matter is not valid YAML: {problem}",
        path=name,
        line=int(block_line) + int(line),
        col=int(column) + 1,
        hint="check quotes, colons and indentation",
    )
