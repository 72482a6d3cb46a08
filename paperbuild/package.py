"""`doit submission`: one zip with everything an editor asks for, and a manifest that says
exactly which version it is: each file's SHA-256 and the provenance of the build."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import time
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from paperbuild import atomic, document, provenance, reproducible
from paperbuild.errors import ProjectError
from paperbuild.pandoc_ast import elements, stringify
from paperbuild.project import Project

OUTPUTS = ("paper.pdf", "paper.docx", "paper.html", "check.json")


def submission(project: Project, paths: document.Paths, journal: str | None) -> Path:
    parsed = document.load(project, paths, journal)
    stamp = provenance.collect(project, paths.figures_elsewhere_names())
    title = slug(stringify(parsed.front.title)) or slug(project.root.name) or "paper"
    name = f"{title}-{parsed.profile.id}-{stamp.revision}.zip"
    files: dict[str, bytes] = {}
    for output in OUTPUTS:
        path = paths.out_dir / output
        if not path.exists():
            raise ProjectError(
                f"{output} has not been built",
                path=project.relative(path),
                hint="run `doit` first (`doit submission` builds it for you)",
            )
        files[output] = path.read_bytes()
    # What the paper is made of, and nothing else beside it: not a chapter left out, a note,
    # an editor's backup, nor what a link inside manuscript/ points to.
    sources = [*project.manuscript_files, *_figures(project, parsed.doc), *project.bib_files]
    for path in sources:
        files[path.relative_to(project.root).as_posix()] = path.read_bytes()
    manifest = {
        "journal": parsed.profile.id,
        "provenance": {**stamp.fields(), "summary": stamp.summary()},
        "files": [
            {"path": arcname, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for arcname, data in sorted(files.items())
        ],
    }
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode()
    epoch = reproducible.source_date_epoch(project.root, list(project.manuscript_files))
    target = paths.out_dir / "submission" / name
    atomic.write_bytes(target, _zip(files, epoch))
    return target


def _figures(project: Project, doc: dict[str, Any]) -> list[Path]:
    """The picture files the paper shows (the check has seen each is in the project)."""
    from paperbuild.figures import local_path

    found = set()
    for image in elements([doc["meta"], doc["blocks"]], "Image"):
        url = image["c"][2][0]
        if local_path(project, url) is not None:
            # By the name the chapter gives it (a link keeps its name), read through the link.
            found.add(Path(os.path.normpath(project.manuscript_dir / unquote(urlparse(url).path))))
    return sorted(found)


def slug(title: str) -> str:
    """`Қазақстан Республикасында…` → `qazaqstan-respublikasynda…`: ASCII, for a file name."""
    from anyascii import anyascii

    words = re.findall(r"[a-z0-9]+", anyascii(title).lower())
    text = "-".join(words)
    return text[:60].rstrip("-")


def _zip(files: dict[str, bytes], epoch: int) -> bytes:
    """The same files and epoch give the same bytes: sorted names, fixed dates and modes."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for arcname in sorted(files, key=lambda n: (n == "manifest.json", n)):
            info = zipfile.ZipInfo(arcname, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine builds it
            archive.writestr(info, files[arcname])
    return buffer.getvalue()
