"""Figures: found relative to manuscript/, kept inside the project, given to each writer in the
form it needs (embedded in HTML, root-relative in Typst)."""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

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


def check(project: Project, images: list[dict[str, Any]]) -> None:
    """Every local figure exists inside the project: checked once, before any writer runs."""
    for image in images:
        local_path(project, image["c"][2][0])


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


def from_root(project: Project, blocks: Blocks) -> None:
    """Image paths relative to the project root, as Typst (rooted there) reads them."""

    def rooted(url: str) -> str:
        path = local_path(project, url)
        return url if path is None else "/" + path.relative_to(project.root).as_posix()

    rewrite(blocks, rooted)


def stamp(project: Project) -> bytes:
    """What embedded figures depend on besides their paths: each file's path, size and time
    beside the chapters (cheap to read; a changed figure changes it)."""
    folder = project.manuscript_dir
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".md")
    return "\0".join(
        f"{p.relative_to(folder)}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files
    ).encode()
