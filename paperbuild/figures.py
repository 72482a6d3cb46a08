"""Figures: found relative to manuscript/, kept inside the project, given to each writer in the
form it needs (embedded in HTML, root-relative in Typst)."""

from __future__ import annotations

import base64
import hashlib
import io
import mimetypes
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlparse

from paperbuild import atomic
from paperbuild.errors import FormatWarning, PaperError, RenderError
from paperbuild.pandoc_ast import Blocks, elements
from paperbuild.positions import Finder
from paperbuild.project import Project, authors_files, is_scratch


def local_path(project: Project, url: str) -> Path | None:
    """The file an image URL names, or None for a data URL (already embedded)."""
    parsed = urlparse(url)
    shown = unquote(url)  # as the author wrote it: pandoc escapes a space as %20
    if parsed.scheme == "data":
        return None
    if parsed.scheme or parsed.netloc:
        # Fetching it would make the build depend on the network, and a submission must hold
        # its figures.
        raise RenderError(
            f"figure '{shown}' is not a file in the project",
            *project.locate(url),
            hint="download it into manuscript/ and refer to it by its path",
        )
    relative = unquote(parsed.path)
    try:
        path = (project.manuscript_dir / relative).resolve()
        exists = path.is_file()
    except (OSError, ValueError):  # a NUL in the name, a name too long
        raise RenderError(
            f"figure '{shown[:60]}' is not a file name",
            *project.locate(url[:40]),
            hint="paths are relative to manuscript/; check the file name",
        ) from None
    if not path.is_relative_to(project.root):
        raise RenderError(
            f"figure '{shown}' is outside the paper project",
            *project.locate(url),
            hint="copy the figure into manuscript/ and refer to it from there",
        )
    if not exists:
        raise RenderError(
            f"figure '{shown}' not found",
            *project.locate(url),
            hint="paths are relative to manuscript/; check the file name",
        )
    return path


def check(project: Project, images: list[dict[str, Any]], names: list[str]) -> list[PaperError]:
    """Every local figure exists inside the project and is the picture its name says, every
    data: URL holds a picture: checked once, before any writer runs. `names`: the chapter file
    each image is in, where it is reported."""
    problems: list[PaperError] = []
    seen: Counter[tuple[str, str]] = Counter()  # how often each chapter showed each figure
    for image, name in zip(images, names, strict=True):
        url = image["c"][2][0]
        seen[name, url] += 1
        try:
            path = local_path(project, url)
            if path is None:
                _decoded(project, url)
            else:
                _picture(path, unquote(url), project.root)
        except (RenderError, FormatWarning) as problem:
            problem.path, problem.line, problem.col = _place(
                project, url, name, seen[name, url] - 1
            )
            problems.append(problem)
    return problems


def elsewhere(project: Project, images: list[dict[str, Any]]) -> list[str]:
    """The figures the images show that are files outside manuscript/, or in a hidden folder
    of it (`.assets/`, which the build does not list), from the project's root: the build's
    dependencies beyond the manuscript folder's files."""
    found = set()
    folder = project.manuscript_dir.resolve()
    for image in images:
        try:
            path = local_path(project, image["c"][2][0])
        except RenderError:
            continue  # the check says what is wrong with it
        if path is None:
            continue
        inside = path.is_relative_to(folder)
        if not inside or any(is_scratch(part) for part in path.relative_to(folder).parts[:-1]):
            found.add(path.relative_to(project.root).as_posix())
    return sorted(found)


def _place(
    project: Project, url: str, chapter: str, nth: int
) -> tuple[str, int | None, int | None]:
    """Where the chapter gives the image for the `nth` time: `![…](url` (its caption on one
    line or several) or a reference definition `[…]: url` (spelt as written: `<my fig.png>` is
    `my%20fig.png` to pandoc), else wherever `url` is; never in a comment or in code."""
    # Whole (two figures in one folder start alike), but a data: URL's start only.
    spelt = "|".join(
        re.escape(u[:40] if u.startswith("data:") else u)
        for u in dict.fromkeys([url, unquote(url)])
    )
    # A caption may run over lines and hold brackets one deep (a citation, a link's text),
    # never an image's end: an earlier image's `![` does not reach a later link's `](`.
    written = re.compile(
        r"(?:!\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?|^[ \t>]*\[[^\]\n]+\]:[ \t]*<?)(" + spelt + ")",
        re.MULTILINE,
    )
    try:
        text = (project.root / chapter).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return chapter, None, None
    finder = Finder(text)
    for pattern in (written, re.compile("(" + spelt + ")")):
        found = list(pattern.finditer(finder.text))
        if found:
            return (chapter, *finder.line_col(found[min(nth, len(found) - 1)].start(1)))
    return chapter, None, None


def rewrite(blocks: Blocks, change: Callable[[str], str]) -> None:
    for image in elements(blocks, "Image"):
        target = image["c"][2]
        target[0] = change(target[0])


def embed(project: Project, blocks: Blocks) -> None:
    """Images as data: URLs, so the HTML is one standalone file."""

    def data_url(url: str) -> str:
        path = local_path(project, url)
        return url if path is None else _data_url(path)

    rewrite(blocks, data_url)


def kept_from(earlier: Project, project: Project, blocks: Blocks) -> None:
    """An earlier version's images (`blocks`, from `earlier`'s files) that the project no
    longer has as they were (the file gone, renamed, or another picture under its name), as
    data: URLs of the earlier picture: a diff shows what was there, and the change."""

    def as_it_was(url: str) -> str:
        try:
            then = local_path(earlier, url)
        except RenderError:
            return url  # it did not read then either: the earlier version's check said so
        if then is None:
            return url
        try:
            now = local_path(project, url)
        except RenderError:
            now = None
        if now is not None and now.read_bytes() == then.read_bytes():
            return url
        return _data_url(then)

    rewrite(blocks, as_it_was)


def _data_url(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def from_root(project: Project, blocks: Blocks, folder: Path) -> None:
    """Image paths relative to the project root, as Typst (rooted there) reads them. A data:
    URL becomes a file in `folder`: pandoc would write it as `image.decode`, which Typst no
    longer has."""

    def rooted(url: str) -> str:
        path = local_path(project, url) or _unpacked(project, url, folder)
        return "/" + path.relative_to(project.root).as_posix()

    rewrite(blocks, rooted)


def _unpacked(project: Project, url: str, folder: Path) -> Path:
    """The file holding a data: URL's bytes, named by their hash (written once)."""
    mime, data = _decoded(project, url)
    suffix = mimetypes.guess_extension(mime) or ".bin"
    path = folder / f"{hashlib.sha256(data).hexdigest()[:20]}{suffix}"
    if not path.is_file():
        atomic.write_bytes(path, data)
    return path


# What each picture format a data: URL may hold starts with; SVG is XML, told by its tag.
_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/jpg": (b"\xff\xd8\xff",),  # not registered, but written
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}


def _decoded(project: Project, url: str) -> tuple[str, bytes]:
    """A data: URL's media type and bytes: a picture Typst, Word and browsers all show."""
    header, comma, payload = url.partition(",")
    mime = header[5:].split(";")[0].strip().lower() or "text/plain"
    try:
        if not comma:
            raise ValueError("no comma")
        if header.lower().endswith(";base64"):
            # As browsers read it: spaces and line breaks dropped, padding not required.
            payload = re.sub(r"\s+", "", unquote(payload))
            data = base64.b64decode(payload + "=" * (-len(payload) % 4), validate=True)
        else:
            data = unquote_to_bytes(payload)
    except ValueError:
        raise _bad(project, url, "a data: URL that does not decode") from None
    if mime == "image/svg+xml":
        shown = b"<svg" in data
        broken = _xml(data)[1] if shown else None
        if broken:
            raise _bad(project, url, f"a data: URL whose SVG is not well-formed ({broken})")
    else:
        shown = data.startswith(_SIGNATURES.get(mime, (b"\0" * 64,)))
    if not shown:
        kinds = "PNG, JPEG, GIF, WebP or SVG"
        actual = next((m for m, starts in _SIGNATURES.items() if data.startswith(starts)), None)
        if actual and mime.startswith("image/"):
            raise RenderError(
                f"figure '{url[:40]}…' is a data: URL that says {mime} and holds a "
                f"{actual.split('/')[1].upper()} picture",
                *project.locate(url[:40]),
                hint=f"begin it data:{actual};base64,",
            )
        what = f"not a {kinds} picture" if mime.startswith("image/") else f"of type {mime}"
        raise _bad(project, url, f"a data: URL {what}; a figure is a {kinds} picture")
    if mime != "image/svg+xml":
        _raster(io.BytesIO(data), f"figure '{url[:40]}…'", mime.split("/")[1].upper())
    return mime, data


_XLINK = "{http://www.w3.org/1999/xlink}href"


def _svg_links(tree: Any, shown: str, path: Path, root: Path) -> None:
    """Pictures an SVG figure links to rather than holds: one on the web, outside the project
    or missing stopped the PDF (Typst loads none of them), and none shows in the HTML (the
    figure is a data: URL there) or in Word (the PNG drawn for it). An error for the first of
    those, else a warning for the first that is beside it."""
    beside = None
    for image in tree.iter("{*}image", "{*}feImage"):
        link = (image.get(_XLINK) or image.get("href") or "").strip()
        if not link or link.startswith(("data:", "#")):
            continue
        where = urlparse(link)
        target = (path.parent / unquote(where.path)).resolve()
        if where.scheme or where.netloc or link.startswith("/"):
            why = "on the web or given from the root, which the PDF cannot load"
        elif not target.is_relative_to(root.resolve()):
            why = "outside the project, which the PDF cannot load"
        elif not target.is_file():
            why = "which does not exist"
        else:
            beside = beside or link
            continue
        raise RenderError(
            f"figure '{shown}' links to the picture {link[:60]}, {why}",
            hint="embed the picture in the SVG (Inkscape: Extensions > Images > Embed)",
        )
    if beside:
        raise FormatWarning(
            f"figure '{shown}' links to the picture {beside[:60]} rather than holding it: the "
            "PDF shows it, the HTML and the DOCX do not",
            hint="embed the picture in the SVG (Inkscape: Extensions > Images > Embed)",
        )


def _xml(data: bytes) -> tuple[Any, str | None]:
    """An SVG picture's XML, or where it is not well-formed, as the XML parser says it."""
    from lxml import etree

    # Nothing is fetched or expanded: a picture's XML is only read here.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data, parser), None
    except etree.XMLSyntaxError as error:
        return None, f"line {error.lineno}: {error.msg.split(', line ')[0]}"


# What each format Typst, Word and browsers all show starts with, by the file's name.
_FILE_SIGNATURES = {
    ".png": ("PNG", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("JPEG", (b"\xff\xd8\xff",)),
    ".jpeg": ("JPEG", (b"\xff\xd8\xff",)),
    ".gif": ("GIF", (b"GIF87a", b"GIF89a")),
    ".webp": ("WebP", (b"RIFF",)),
}
_KINDS = "PNG, JPEG, GIF, WebP or SVG"


def _picture(path: Path, shown: str, root: Path) -> None:
    """The figure is a picture of the kind its name says: Typst reads it by its name, and stops
    the PDF at an empty or misnamed file."""
    with path.open("rb") as file:
        head = file.read(4096)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        data = path.read_bytes()
        if b"<svg" not in data:
            raise RenderError(f"figure '{shown}' is not an SVG picture (it has no <svg> tag)")
        tree, broken = _xml(data)
        if broken:
            raise RenderError(
                f"figure '{shown}' is not well-formed SVG ({broken}); Typst cannot read it",
                hint="export the figure again",
            )
        _svg_links(tree, shown, path, root)
        return
    if suffix == ".pdf" and head.startswith(b"%PDF-"):
        # Typst places a PDF; Word and browsers show nothing in its place.
        raise FormatWarning(
            f"figure '{shown}' is a PDF: the PDF shows it, Word and web browsers show nothing "
            "in its place",
            hint="export it as SVG or PNG as well, and refer to that",
        )
    if suffix not in _FILE_SIGNATURES:
        # A name with no kind in it (`plot`): Typst tells the kind by the bytes.
        told = next((k for k, starts in _FILE_SIGNATURES.values() if head.startswith(starts)), "")
        if told:
            _raster(path, f"figure '{shown}'", told)
            return
        raise RenderError(
            f"figure '{shown}' is not a picture Typst, Word and browsers show",
            hint=f"export it as a {_KINDS} file",
        )
    kind, signatures = _FILE_SIGNATURES[suffix]
    if not head:
        raise RenderError(f"figure '{shown}' is an empty file", hint="export the figure again")
    if not head.startswith(signatures):
        actual = next(
            (s for s, (_, starts) in _FILE_SIGNATURES.items() if head.startswith(starts)), None
        )
        if actual is None:
            raise RenderError(
                f"figure '{shown}' is not a {kind} file (damaged, or of another kind)",
                hint="export the figure again",
            )
        raise RenderError(
            f"figure '{shown}' is a {_FILE_SIGNATURES[actual][0]} file named as {kind}",
            hint=f"rename it to end in {actual}",
        )
    _raster(path, f"figure '{shown}'", kind)


# Typst decodes a picture whole to place it, several bytes a pixel: one of 45,000 x 45,000
# took 6 GB and then aborted the build (krilla's panic, no line said why). A full A4 page at
# 600 dpi is 35 megapixels.
MAX_MEGAPIXELS = 250


def _raster(source: Path | io.BytesIO, what: str, kind: str) -> None:
    """The picture's size is one Typst can place, and its file reads to its end (a PNG cut
    short stopped the PDF after the HTML and DOCX were written). Pillow reads the header and
    the chunks, and decodes nothing."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # the limit is ours, said in the author's terms
    try:
        with Image.open(source) as image:
            width, height = image.size
            if width * height > MAX_MEGAPIXELS * 1_000_000:
                raise RenderError(
                    f"{what} is {width} x {height} pixels ({width * height / 1e6:.0f} "
                    f"megapixels), more than the {MAX_MEGAPIXELS} the PDF can place",
                    hint="scale it down: a full page at 600 dpi is 35 megapixels",
                )
            image.verify()
        if kind == "GIF":  # verify() reads no GIF frame: the first one is decoded, as Typst does
            if isinstance(source, io.BytesIO):
                source.seek(0)
            with Image.open(source) as image:
                image.load()
    except RenderError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        said = re.sub(r" '[^']*'$", "", str(error)) or type(error).__name__  # not our path
        raise RenderError(
            f"{what} does not read as a {kind} picture ({said}); it is damaged or cut short",
            hint="export it again",
        ) from None


def _bad(project: Project, url: str, what: str) -> RenderError:
    return RenderError(
        f"figure '{url[:40]}…' is {what}",
        *project.locate(url[:40]),
        hint="save the image as a file in manuscript/ and refer to it by its path",
    )


def stamp(project: Project, elsewhere: str) -> bytes:
    """What embedded figures depend on besides their paths: each file's path, size and time
    beside the chapters, and `elsewhere`, the same of those outside them
    (`Paths.figures_elsewhere_state`): cheap to read; a changed figure changes it."""
    folder = project.manuscript_dir
    chapters = set(project.manuscript_files)  # `.txt` ones too, when the list names them
    files = [p for p in authors_files(folder) if p.suffix != ".md" and p not in chapters]
    return "\0".join(
        [f"{p.relative_to(folder)}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files]
        + [elsewhere]
    ).encode()
