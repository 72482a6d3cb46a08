"""Where things are: the manuscript chapters in order, the .bib files, the build folder."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from paperbuild.errors import ProjectError

MANUSCRIPT_DIR = "manuscript"
BIBLIOGRAPHY_DIR = "bibliography"
TEMPLATES_DIR = "templates"
BUILD_DIR = "build"


def _natural_key(path: Path) -> tuple[object, ...]:
    """Sort `2-intro.md` before `10-results.md`, as an author numbering chapters expects, a
    chapter before its sections (`2_methods.md`, `2.1_sampling.md`, `2.2_tests.md`), and a name
    before its longer forms (`intro.md`, `intro-2.md`): by the section number a name starts
    with, then by the rest without the extension. The name as written settles the rest
    (`01-a.md`, `1-a.md`), so every machine reads the files in one order."""
    numbered = _SECTION_NUMBER.match(path.stem)
    section = tuple(int(n) for n in numbered.group(0).split(".")) if numbered else ()
    rest = path.stem[numbered.end() :] if numbered else path.stem
    parts = [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", rest)]
    return (not section, section, parts, path.suffix.lower(), path.name)


_SECTION_NUMBER = re.compile(r"\d+(?:\.\d+)*")


def is_scratch(name: str) -> bool:
    """A file an editor or the system keeps beside the author's, never theirs to build from:
    hidden ones (vim's `.ch1.md.swp`, LibreOffice's `.~lock.x#`, macOS's `._x`), Emacs's
    `#ch1.md#` and `ch1.md~`, Word's `~$x.docx`."""
    return name.startswith((".", "#", "~$")) or name.endswith("~")


def authors_files(folder: Path) -> list[Path]:
    """Every file under `folder` but an editor's or the system's: none that is scratch by its
    name, none in a hidden folder (`.obsidian/`, `.git/`; the figures a paper shows from one
    are watched apart, as figures outside manuscript/ are)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if not any(is_scratch(part) for part in p.relative_to(folder).parts) and p.is_file()
    )


# What other tools name Markdown files: kept beside the chapters, they are not read, and the
# check says so.
_OTHER_MARKDOWN = {".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtext", ".mdtxt"}


def listing(folder: Path, suffix: str) -> list[Path]:
    """The files named `*<suffix>` in `folder`, without scratch ones: an editor's lock
    (`.#ch1.md`), macOS's `._ch1.md` beside a copied file, a backup an author hid."""
    return sorted(
        (p for p in folder.glob(f"*{suffix}") if not is_scratch(p.name) and not p.is_dir()),
        key=_natural_key,
    )


# A metadata block (in a text with "\n" line breaks): at the top of a file (after a byte-order
# mark, if any), or after a blank line; never a blank line after its opening `---`.
_BLOCK = re.compile(
    r"(?:\A\ufeff?|\n[ \t]*\n)---[ \t]*\n(?![ \t]*\n)(.*?)\n(?:---|\.\.\.)[ \t]*(?=\n|\Z)",
    re.DOTALL,
)
_HEAD_BYTES = 200_000


def _declared_order(
    files: tuple[Path, ...],
) -> tuple[tuple[Path, ...], tuple[Path, ...], tuple[Path, ...]]:
    """The chapters in the order a front matter declares (`chapters: [a.md, b.md]`), the files
    it leaves out, and none nested; without one, the files sorted by name (numeric prefixes in
    number order), none left out, and the .md files in folders of manuscript/, which only a
    list makes chapters. The file that declares the list comes first unless the list places
    it."""
    declared = [(path, listed) for path in files if (listed := _listed(path)) is not None]
    if not declared:
        return files, (), _nested(files[0].parent)
    if len(declared) > 1:
        names = " and ".join(f"{MANUSCRIPT_DIR}/{path.name}" for path, _ in declared)
        raise ProjectError(
            f"'chapters' is given in {names}",
            path=f"{MANUSCRIPT_DIR}/{declared[1][0].name}",
            hint="give the reading order once, in one file's front matter",
        )
    source, listed = declared[0]
    shown = f"{MANUSCRIPT_DIR}/{source.name}"
    if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
        raise ProjectError(
            "'chapters' must be a list of file names in manuscript/",
            shown,
            *_place_in_list(source, None, 0),
        )
    folder = Path(os.path.normpath(source.parent))
    ordered: list[Path] = []
    for index, name in enumerate(listed):
        path = _as_on_disk(Path(os.path.normpath(source.parent / name)))
        # A folder of its own for each part is fine; outside manuscript/ is not (a file there
        # that is a link to one elsewhere is: the paper keeps it where it likes).
        if not path.is_file() or not path.is_relative_to(folder):
            raise ProjectError(
                f"'chapters' lists '{name}', which is not a file in manuscript/",
                shown,
                *_place_in_list(source, name, listed[:index].count(name)),
                hint="list the chapter files in reading order",
            )
        if path.resolve() in (p.resolve() for p in ordered):
            raise ProjectError(
                f"'chapters' lists '{name}' a second time",
                shown,
                *_place_in_list(source, name, listed[:index].count(name)),
                hint="list each chapter file once, in reading order",
            )
        ordered.append(path)
    if source.resolve() not in (p.resolve() for p in ordered):
        ordered.insert(0, source)
    # The files the list leaves out: beside the listed ones, in manuscript/ and in each folder
    # the list reads from.
    taken = {_same_name(p) for p in ordered}
    folders = dict.fromkeys([source.parent, *(p.parent for p in ordered)])
    beside = [p for f in folders for p in (files if f == source.parent else listing(f, ".md"))]
    left_out = tuple(p for p in dict.fromkeys(beside) if _same_name(p) not in taken)
    return tuple(ordered), left_out, ()


def _nested(folder: Path) -> tuple[Path, ...]:
    return tuple(
        path
        for path in authors_files(folder)
        if path.parent != folder and path.suffix.lower() in (".md", *_OTHER_MARKDOWN)
    )


def _same_name(path: Path) -> str:
    # A file system that composes accents (macOS) finds a name typed either way; its listing
    # gives one of them.
    return unicodedata.normalize("NFC", str(path.resolve()))


def _as_on_disk(path: Path) -> Path:
    """`path` as the folders spell it, where the only difference is Unicode's two ways of
    writing an accent (`é` as one character or two): macOS and some archives store names
    decomposed, and a list typed elsewhere composes them."""
    if path.exists() or path.parent == path:
        return path
    parent = _as_on_disk(path.parent)
    wanted = unicodedata.normalize("NFC", path.name)
    try:
        entries = list(parent.iterdir()) if parent.is_dir() else []
    except OSError:
        entries = []
    return next(
        (e for e in entries if unicodedata.normalize("NFC", e.name) == wanted), parent / path.name
    )


def _place_in_list(source: Path, name: str | None, earlier: int) -> tuple[int | None, int | None]:
    """Line and column of `name` in the file's `chapters:` list, after `earlier` others of
    the same name (`name` None: the key itself); unknown if it is not written plainly."""
    text = source.read_bytes()[:_HEAD_BYTES].decode("utf-8", "replace").replace("\r\n", "\n")
    key = re.search(r"^chapters[ \t]*:", text, re.MULTILINE)
    if key is None:
        return None, None
    if name is None:
        return text.count("\n", 0, key.start()) + 1, 1
    # The name as an item of the list: after a dash, a bracket, a comma or a quote.
    item = re.compile(rf"(?<=[\s\[,'\"]){re.escape(name)}(?=[\s\],'\"]|$)", re.MULTILINE)
    found = list(item.finditer(text, key.end()))
    if len(found) <= earlier:
        return None, None
    start = found[earlier].start()
    line_start = text.rfind("\n", 0, start) + 1
    return text.count("\n", 0, start) + 1, start - line_start + 1


def _listed(path: Path) -> object | None:
    """The value of `chapters:` in the file's metadata blocks (the last that gives it), if
    any: pandoc reads a block at the top, or anywhere after a blank line."""
    try:
        with path.open("rb") as file:
            raw = file.read(_HEAD_BYTES)
    except OSError:
        return None  # the check says the file cannot be read
    if b"chapters" not in raw:
        return None  # neither decoded nor searched for YAML: the common case stays cheap
    import yaml

    from paperbuild import yamlio
    from paperbuild.positions import hide_code_and_comments

    # A block in a comment or in code is not one pandoc reads.
    text = hide_code_and_comments(raw.decode("utf-8", "replace").replace("\r\n", "\n"))
    listed = None
    for match in _BLOCK.finditer(text):
        if not re.search(r"^chapters[ \t]*:", match.group(1), re.MULTILINE):
            continue
        try:
            loaded = yamlio.load(match.group(1))
        except (yaml.YAMLError, ValueError, RecursionError):  # PyYAML raises all three
            continue  # the check reports the YAML error with its position
        if isinstance(loaded, dict) and loaded.get("chapters") is not None:
            listed = loaded["chapters"]
    return listed


@dataclass(frozen=True)
class Project:
    root: Path
    manuscript_files: tuple[Path, ...]
    bib_files: tuple[Path, ...]
    left_out: tuple[Path, ...] = ()  # manuscript/*.md that a `chapters:` list does not name
    # Markdown under another extension (`.markdown`, `.mkd`) in manuscript/, not read.
    unread: tuple[Path, ...] = ()
    # Markdown in folders of manuscript/ where no `chapters:` list names what to read.
    nested: tuple[Path, ...] = ()
    # BibTeX not read: `refs.BIB`, or a .bib in a folder of bibliography/.
    unread_bibs: tuple[Path, ...] = ()

    @property
    def manuscript_dir(self) -> Path:
        return self.root / MANUSCRIPT_DIR

    @property
    def linked(self) -> tuple[str, ...]:
        """The files the paper's chapters that are links lead to, from the root (as git takes
        them: `../shared/methods.md`): part of the paper, wherever they are."""
        return tuple(
            os.path.relpath(path.resolve(), self.root.resolve()).replace(os.sep, "/")
            for path in self.manuscript_files
            if path.is_symlink()
        )

    @property
    def not_read(self) -> tuple[str, ...]:
        """The files beside the paper's that it does not read, from the root, as git names
        them (manuscript/old-draft.md)."""
        files = (*self.left_out, *self.unread, *self.nested, *self.unread_bibs)
        return tuple(path.relative_to(self.root).as_posix() for path in files)

    @property
    def templates_dir(self) -> Path:
        return self.root / TEMPLATES_DIR

    @property
    def build_dir(self) -> Path:
        return self.root / BUILD_DIR

    def relative(self, path: Path) -> str:
        """A path as the author sees it in messages: relative to the project root."""
        # Not resolved: a chapter that is a symbolic link is named as the author named it.
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def locate(
        self, text: str | re.Pattern[str], within: str | None = None, nth: int = 0
    ) -> tuple[str, int | None, int | None]:
        """The first place `text` is written in the manuscript (`within`: in that file of
        it; `nth`: the place after `nth` others, or the last), for an error message. A
        pattern with a group places its first group."""
        pattern = text if isinstance(text, re.Pattern) else re.compile(re.escape(text))
        files = [p for p in self.manuscript_files if within in (None, self.relative(p))]
        found: tuple[str, int | None, int | None] | None = None
        for path in files:
            # Lines as pandoc counts them: not at U+2028 or a form feed, as splitlines() would.
            text = path.read_text(encoding="utf-8-sig", errors="replace")
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            for number, line in enumerate(lines, start=1):
                for match in pattern.finditer(line):
                    # With a group, the place is the group's: what the pattern is for.
                    col = match.start(1 if pattern.groups else 0) + 1
                    found = (self.relative(path), number, col)
                    if nth == 0:
                        return found
                    nth -= 1
        return found or (self.relative((files or self.manuscript_files)[0]), None, None)

    @classmethod
    def discover(cls, root: str | Path = ".") -> Project:
        root = Path(root).resolve()
        manuscript_dir = root / MANUSCRIPT_DIR
        if not manuscript_dir.is_dir():
            raise ProjectError(
                "no manuscript folder",
                path=MANUSCRIPT_DIR,
                hint="run paperbuild from the paper's root, which holds manuscript/ with .md files",
            )
        chapters = tuple(listing(manuscript_dir, ".md"))
        unread = tuple(
            p
            for p in listing(manuscript_dir, "")
            if p.suffix.lower() in _OTHER_MARKDOWN
            # `.MD`, unless the file system matched it as `*.md` (Windows, macOS)
            or (p.suffix.lower() == ".md" != p.suffix and p not in chapters)
        )
        if not chapters:
            problem, hint = "no Markdown files", "put the paper in manuscript/*.md"
            if unread:
                hint = f"rename {MANUSCRIPT_DIR}/{unread[0].name} to end in .md"
            elif nested := _nested(manuscript_dir):
                problem = f"no Markdown files directly in {MANUSCRIPT_DIR}/"
                shown = nested[0].relative_to(manuscript_dir).as_posix()
                hint = (
                    f"those in its folders are read when a file in {MANUSCRIPT_DIR}/ lists them "
                    f"in its front matter, as 'chapters: [{shown}]'"
                )
            raise ProjectError(problem, path=MANUSCRIPT_DIR, hint=hint)
        chapters, left_out, nested = _declared_order(chapters)
        # A file of another extension the list names is read.
        unread = tuple(p for p in unread if _same_name(p) not in {_same_name(c) for c in chapters})
        bib_files = tuple(listing(root / BIBLIOGRAPHY_DIR, ".bib"))
        unread_bibs = tuple(
            path
            for path in authors_files(root / BIBLIOGRAPHY_DIR)
            if path.suffix.lower() == ".bib" and path not in bib_files
        )
        return cls(root, chapters, bib_files, left_out, unread, nested, unread_bibs)
