"""The .bib files as pandoc's BibTeX reader (the one citeproc uses) reads them, as CSL JSON,
cached by content. A module of its own, light to import: the check starts pandoc on the .bib
files beside the chapters' parses, before it loads the rest."""

from __future__ import annotations

import hashlib
import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from paperbuild import atomic, jsonio, pandoc
from paperbuild.errors import BibliographyError, PaperError, ToolError
from paperbuild.project import Project

_PANDOC_ERROR = re.compile(r'Error at "([^"]+)" \(line (\d+), column (\d+)\):\s*(.*)')


def csl_items(bib: Path, shown: str, cwd: Path, cache_dir: Path) -> list[dict[str, Any]]:
    """The entries of a .bib file as CSL JSON. A file pandoc cannot read is a PaperError."""
    return jsonio.read(csl_file(bib, shown, cwd, cache_dir))


def csl_file(bib: Path, shown: str, cwd: Path, cache_dir: Path) -> Path:
    """The file `csl_items` keeps them in, written if it is not there yet (whole: it is written
    atomically once pandoc's output has read back, so being there is enough)."""
    data = bib.read_bytes()
    cache = cache_dir / f"{hashlib.sha256(data + pandoc.executable().encode()).hexdigest()}.json"
    if cache.is_file():
        return cache
    try:
        result = pandoc.run(["--from", "bibtex", "--to", "csljson", shown], cwd=cwd)
    except ToolError as error:
        match = _PANDOC_ERROR.search(error.stderr)
        reason = match.group(4).splitlines()[0] if match else error.stderr.splitlines()[0]
        raise BibliographyError(
            f"pandoc cannot read this entry: {reason}",
            path=shown,
            line=int(match.group(2)) if match else None,
            col=int(match.group(3)) if match else None,
            hint="check the commas between fields and the braces around values",
        ) from None
    jsonio.loads(result.output)  # what pandoc wrote, it reads back
    atomic.write_bytes(cache, result.output)
    return cache


def start(project: Project, cache_dir: Path) -> Future[list[PaperError]]:
    """Begin reading every .bib file; the future holds what pandoc cannot read in them."""
    pool = ThreadPoolExecutor(max_workers=1)
    begun = pool.submit(_read_all, project, cache_dir)
    pool.shutdown(wait=False)  # what was submitted still runs
    return begun


def _read_all(project: Project, cache_dir: Path) -> list[PaperError]:
    problems = []
    for path in project.bib_files:
        try:
            csl_file(path, project.relative(path), project.root, cache_dir)
        except PaperError as problem:
            problems.append(problem)
        except OSError:
            pass  # unreadable: bibtexparser's reading says so, in its words
    return problems
