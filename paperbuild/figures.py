"""Figures: found relative to manuscript/, kept inside the project, given to each writer in the
form it needs (embedded in HTML, root-relative in Typst)."""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlparse

from paperbuild import atomic
from paperbuild.errors import RenderError
from paperbuild.pandoc_ast import Blocks, elements
from paperbuild.project import Project


def local_path(project: Project, url: str) -> Path | None:
    """The file an image URL names, or None for a data URL (already embedded)."""
    parsed = urlparse(url)
    if parsed.scheme == "data":
        return None
    if parsed.scheme or parsed.netloc:
        # Fetching it would make the build depend on the network, and a submission must hold
        # its figures.
        raise RenderError(
            f"figure '{url}' is not a file in the project",
            *project.locate(url),
            hint="download it into manuscript/ and refer to it by its path",
        )
    relative = unquote(parsed.path)
    path = (project.manuscript_dir / relative).resolve()
    if not path.is_relative_to(project.root):
        raise RenderError(
            f"figure '{url}' is outside the paper project",
            *project.locate(url),
            hint="copy the figure into manuscript/ and refer to it from there",
        )
    if not path.is_file():
        raise RenderError(
            f"figure '{url}' not found",
            *project.locate(url),
            hint="paths are relative to manuscript/; check the file name",
        )
    return path


def check(project: Project, images: list[dict[str, Any]], names: list[str]) -> list[RenderError]:
    """Every local figure exists inside the project, every data: URL decodes: checked once,
    before any writer runs. `names`: the chapter file each image is in, where it is reported."""
    problems = []
    for image, name in zip(images, names, strict=True):
        url = image["c"][2][0]
        try:
            if local_path(project, url) is None:
                _decoded(project, url)
        except RenderError as problem:
            problem.path, problem.line, problem.col = project.locate(url[:40], within=name)
            problems.append(problem)
    return problems


def rewrite(blocks: Blocks, change: Callable[[str], str]) -> None:
    for image in elements(blocks, "Image"):
        target = image["c"][2]
        target[0] = change(target[0])


def embed(project: Project, blocks: Blocks) -> None:
    """Images as data: URLs, so the HTML is one standalone file."""

    def data_url(url: str) -> str:
        path = local_path(project, url)
        if path is None:
            return url
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"

    rewrite(blocks, data_url)


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


def _decoded(project: Project, url: str) -> tuple[str, bytes]:
    """A data: URL's media type and bytes."""
    header, comma, payload = url.partition(",")
    mime = header.removeprefix("data:").split(";")[0] or "text/plain"
    try:
        if not comma:
            raise ValueError("no comma")
        if header.endswith(";base64"):
            return mime, base64.b64decode(payload, validate=True)
        return mime, unquote_to_bytes(payload)
    except ValueError:
        raise RenderError(
            f"figure '{url[:40]}…' is a data: URL that does not decode",
            *project.locate(url[:40]),
            hint="save the image as a file in manuscript/ and refer to it by its path",
        ) from None


def stamp(project: Project) -> bytes:
    """What embedded figures depend on besides their paths: each file's path, size and time
    beside the chapters (cheap to read; a changed figure changes it)."""
    folder = project.manuscript_dir
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".md")
    return "\0".join(
        f"{p.relative_to(folder)}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files
    ).encode()
