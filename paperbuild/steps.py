"""The build steps doit runs, and the one place a user's error is caught."""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from doit.exceptions import TaskFailed

from paperbuild.errors import PaperError

if TYPE_CHECKING:
    from paperbuild.paths import Paths
    from paperbuild.project import Project

# Each writer is a module of paperbuild.render with `write(project, paths, journal)`.
WRITERS = ("html", "docx", "pdf")
# The PDF takes longest (pandoc, then Typst); written side by side, the other formats yield the
# cores to it and fill the time it leaves (a nice value, inherited by their pandoc processes).
YIELDING = {"html": 5, "docx": 5}


@contextmanager
def _collecting_rarely() -> Iterator[None]:
    """Python's cycle collector runs every 700 new objects, and now and then walks every object
    alive: the check and citeproc, decoding and converting a book's ASTs (millions of objects,
    no cycle among them), spent a sixth of an edit's rebuild in it. Every 200,000 while they
    run, as mypy does: one edit of the book 1.50 -> 1.28 s. The writers keep the default:
    with this, a book's (in processes of their own) took 50 MB more at their peak.

    On the way out what is alive is frozen, so no later collection walks it again: otherwise
    the default threshold, back with a hundred thousand new objects counted, set off collections
    that took 20-35 ms of a paper's cold build (gc.callbacks; 10 ms with this). Frozen objects
    are still freed when their last reference goes; only a cycle among them would stay."""
    default = gc.get_threshold()
    gc.set_threshold(200_000, 30, 30)
    try:
        yield
    finally:
        gc.freeze()
        gc.set_threshold(*default)


def run(step: str, root: str | Path, journal: str | None) -> TaskFailed | None:
    """Run `cite` or a writer; the author's mistake comes back as a one-line TaskFailed."""
    _loaded_ahead(step)
    from paperbuild import citing, document
    from paperbuild.project import Project

    try:
        project = Project.discover(root)
        paths = document.Paths.of(project, journal)
        # Only in a worker of its own: doit's process may run the PDF next.
        if step in YIELDING and hasattr(os, "nice") and multiprocessing.parent_process():
            os.nice(YIELDING[step])
        if step == "cite":
            read = _stamps(project.bib_files)
            with _collecting_rarely():
                citing.cite(project, paths, journal)
            changed = _changed(read)
            if changed:
                return TaskFailed(_changed_while(project, changed, "citeproc"))
        else:
            writer = importlib.import_module(f"paperbuild.render.{step}")
            writer.write(project, paths, journal)
    except PaperError as error:
        return TaskFailed(str(error))
    except OSError as error:
        return _unwritable(root, error)
    return None


def _unwritable(root: str | Path, error: OSError) -> TaskFailed:
    """build/ that cannot be written (a file in the way, read-only): one line, not a
    traceback; an error elsewhere is not the author's to mend, and is raised."""
    from paperbuild.tasks import unwritable

    build = Path(root).resolve() / "build"
    if not error.filename or not Path(error.filename).resolve().is_relative_to(build):
        raise error
    return TaskFailed(unwritable(Path(root).resolve(), error))


def check(
    root: str | Path,
    journal: str | None,
    strict: bool,
    table: bool,
    ahead: Sequence[str] = (),
) -> TaskFailed | None:
    """Check the manuscript; print the findings, keep them in build/check.json, and hand the
    checked document to the build only when it passes. The modules of the writers `ahead`
    (those that run next in this process) load meanwhile."""
    with _collecting_rarely():
        try:
            return _check(root, journal, strict, table, ahead)
        except OSError as error:
            return _unwritable(root, error)


def _check(
    root: str | Path, journal: str | None, strict: bool, table: bool, ahead: Sequence[str]
) -> TaskFailed | None:
    from paperbuild import chapters, csljson
    from paperbuild.frontmatter import DEFAULT_LANG
    from paperbuild.paths import Paths
    from paperbuild.profiles import base_language
    from paperbuild.project import Project

    try:
        project = Project.discover(root)
    except PaperError as error:
        # Said as the check says what it finds: the line, then the count. What an earlier
        # check found is no longer so.
        out = Path(root) / "build" / (journal or "")
        for stale in (out / "check.json", out / "paper.checked.json"):
            stale.unlink(missing_ok=True)
        print(error, file=sys.stderr)
        return TaskFailed("1 error, 0 warnings")
    paths = Paths.of(project, journal)
    cache = paths.cache_dir / "chapters"
    read = _stamps([*project.manuscript_files, *project.bib_files])
    # pandoc reads the chapters, and the .bib files in the language the front matter seems to
    # give, while this process imports the check and the writers.
    started = chapters.start(project, cache)
    lang = base_language(csljson.declared_lang(project, DEFAULT_LANG))
    bibs = {lang: csljson.start(project, paths.cache_dir / "csl", lang)}
    _load_ahead(ahead)
    from paperbuild import atomic, check, handoff

    try:
        outcome = check.run(project, journal, cache, table=table, started=started, bibs=bibs)
    except PaperError as error:
        return TaskFailed(str(error))
    changed = _changed(read)
    if changed:
        # What it found is of the file as it was. doit would record the file as it is now as
        # the one checked, and the next build would find nothing to do.
        paths.checked.unlink(missing_ok=True)
        return TaskFailed(_changed_while(project, changed, "the check"))
    report = outcome.report
    atomic.write_text(paths.report, report.to_json())
    for line in report.lines()[:-1]:
        print(line, file=sys.stderr)
    if table and report.table:
        print("\n".join(report.table_lines()))
    if report.failed(strict):
        paths.checked.unlink(missing_ok=True)
        strictly = " (strict: warnings count as errors)" if not report.failed(False) else ""
        return TaskFailed(report.summary() + strictly + _kept(project, paths))
    if report.problems:
        print(report.summary(), file=sys.stderr)
    assert outcome.doc is not None  # a report without errors comes with its document
    listed = "".join(f"{name}\n" for name in outcome.figures_elsewhere)
    if listed or paths.figures_elsewhere.exists():
        atomic.write_text(paths.figures_elsewhere, listed)
    handoff.write(paths.checked, outcome.doc, (outcome.cites, outcome.placed))
    return None


def _kept(project: Project, paths: Paths) -> str:
    """What an author might take for this build's outputs, and is the last one's."""
    kept = [paths.output(f) for f in WRITERS if paths.output(f).is_file()]
    if not kept:
        return ""
    shown = ", ".join(project.relative(path) for path in kept)
    return f"; {shown} {'are' if len(kept) > 1 else 'is'} from the last build that passed"


def _changed(read: dict[Path, tuple[int, int]]) -> list[Path]:
    return [path for path, stamp in read.items() if _stamps([path]).get(path) != stamp]


def _changed_while(project: Project, changed: list[Path], reader: str) -> str:
    return (
        f"{project.relative(changed[0])}: error: it changed while {reader} read it; run doit again"
    )


def _stamps(paths: Sequence[Path]) -> dict[Path, tuple[int, int]]:
    """Each file's time and size: whether it was saved again since."""
    stamps = {}
    for path in paths:
        try:
            found = path.stat()
        except OSError:
            continue
        stamps[path] = (found.st_mtime_ns, found.st_size)
    return stamps


# What the steps after the check import, beyond what the check itself does: loaded by a thread
# of its own while the check waits for pandoc, they cost the build no time of its own. The
# citation step's come first (with what it imports as it runs), so it need not wait for the
# writers' to start.
_CITING = ["paperbuild.citing", "paperbuild.reference_lists", "paperbuild.transliterate"]
_MODULES = {
    "html": ["paperbuild.render.html"],
    "docx": ["paperbuild.render.docx"],
    "pdf": ["paperbuild.render.pdf", "typst", "pypdf"],
}
_loading: list[threading.Thread] = []
_citing_loaded = threading.Event()


def _load_ahead(writers: Sequence[str]) -> None:
    if not writers:
        return
    names = [name for writer in writers for name in _MODULES[writer]]
    loading = threading.Thread(target=_import_all, args=(names,))
    loading.start()
    _loading.append(loading)


def _import_all(names: list[str]) -> None:
    from paperbuild import pandoc

    try:
        for name in _CITING:
            importlib.import_module(name)
    finally:
        _citing_loaded.set()
    pandoc.version()  # the writers' caches are keyed by it: asked here, it costs them nothing
    for name in names:
        importlib.import_module(name)


def _loaded_ahead(step: str) -> None:
    """A step imports nothing while what it imports is loading: no two threads load the same
    module. (Writers running side by side may all wait here, so the list is not emptied.)"""
    if step == "cite" and _loading:
        _citing_loaded.wait()
        return
    for loading in list(_loading):
        loading.join()


def fix_script(root: str | Path) -> TaskFailed | None:
    """Rewrite mixed-script words; print each change and where the originals are kept."""
    from paperbuild import fix_script
    from paperbuild.project import Project

    try:
        project = Project.discover(root)
        outcome = fix_script.fix(
            project, project.build_dir / ".cache" / "chapters", project.build_dir / "backups"
        )
    except PaperError as error:
        return TaskFailed(str(error))
    except OSError as error:
        return _unwritable(root, error)
    for change in outcome.changes:
        print(change)
    for found in outcome.unfixable:
        where = f"{found.path}:{found.line}:{found.col}" if found.line else found.path
        print(f"{where}: not fixed: {found.finding.message()}", file=sys.stderr)
    files = len({change.path for change in outcome.changes})
    if outcome.backup:
        print(
            f"{len(outcome.changes)} word{'s' * (len(outcome.changes) != 1)} fixed in {files} "
            f"file{'s' * (files != 1)}; the originals and changes.diff are in "
            f"{project.relative(outcome.backup)}/"
        )
    else:
        print("nothing to fix: every word is in one script")
    return None


def submission(root: str | Path, journal: str | None) -> TaskFailed | None:
    from paperbuild import document, package
    from paperbuild.project import Project

    try:
        project = Project.discover(root)
        target = package.submission(project, document.Paths.of(project, journal), journal)
    except PaperError as error:
        return TaskFailed(str(error))
    except OSError as error:
        return _unwritable(root, error)
    print(f"wrote {project.relative(target)}")
    return None


def diff(root: str | Path, journal: str | None, revision: str | None) -> TaskFailed | None:
    from paperbuild import revisions
    from paperbuild.project import Project

    if not revision:
        return TaskFailed(
            "paperbuild: error: name the revision to compare with; for example "
            "`doit diff rev=v1.0` (a tag, branch or commit)"
        )
    try:
        project = Project.discover(root)
        result = revisions.diff(project, journal, revision)
    except PaperError as error:
        return TaskFailed(str(error))
    except OSError as error:
        return _unwritable(root, error)
    names = ", ".join(project.relative(p) for p in result.outputs)
    inserted = result.counts.inserted
    print(
        f"wrote {names}: {inserted} word{'s' * (inserted != 1)} inserted, "
        f"{result.counts.deleted} deleted since {revision}"
    )
    return None
