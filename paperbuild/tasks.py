"""doit task generators: `dodo.py` only names them.

Each returns one task dict built from the project's files; the action is one call into
`paperbuild.steps`. Options that are not files (the journal) go to `config_changed`, so changing
them rebuilds.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from doit.exceptions import TaskFailed
from doit.reporter import ConsoleReporter
from doit.task import clean_targets
from doit.tools import config_changed

from paperbuild import __version__, quick_exit
from paperbuild.errors import PaperError
from paperbuild.paths import Paths
from paperbuild.project import (
    BIBLIOGRAPHY_DIR,
    BUILD_DIR,
    MANUSCRIPT_DIR,
    TEMPLATES_DIR,
    Project,
    authors_files,
    listing,
)
from paperbuild.provenance import git_state

DOCS = {
    "html": "HTML page, one standalone file",
    "docx": "Word document styled by the journal's reference document",
    "pdf": "PDF typeset in-process by Typst",
}


class Reporter(ConsoleReporter):
    """doit's console reporter, but an author's mistake is the one line we made of it.

    Our own bugs still arrive as exceptions and keep doit's full report with the traceback.
    """

    def _write_failure(self, result: dict[str, Any], write_exception: bool = True) -> None:
        if _ours(result):
            sys.stderr.write(result["exception"].message.rstrip("\n") + "\n")
        else:
            super()._write_failure(result, write_exception)

    def complete_run(self) -> None:
        # The one line is already written; doit would add the task's captured output.
        self.failures = [result for result in self.failures if not _ours(result)]
        super().complete_run()
        # doit's Runner.finish calls this last, its database closed, and returns final_result:
        # the process's exit status. Unless finish runs because something is being raised
        # (Ctrl-C, a SystemExit in a task): then Python's exit says how the build ended.
        status = getattr(sys._getframe(1).f_locals.get("self"), "final_result", None)
        if isinstance(status, int) and sys.exc_info()[1] is None:
            quick_exit.arm(status)


def _ours(result: dict[str, Any]) -> bool:
    failure = result["exception"]
    return isinstance(failure, TaskFailed) and not failure.traceback


def config(root: Path, journal: str | None = None) -> dict[str, Any]:
    """DOIT_CONFIG: the default tasks, and doit's state kept with the outputs, one per journal
    (build/, build/<id>/), so switching journals rebuilds nothing the other one made."""
    quick_exit.install()
    if journal is not None:
        _known_journal(root, journal)
    out = _out_dir(root, journal)
    try:
        out.mkdir(parents=True, exist_ok=True)
        # What a killed build was writing: never under a final name, and of no use now.
        for stale in out.rglob(".*.part"):
            stale.unlink(missing_ok=True)
        writable = os.access(out, os.W_OK)
    except OSError as error:
        sys.exit(unwritable(root, error))
    if not writable:
        sys.exit(unwritable(root, PermissionError(13, "it is read-only", str(out))))
    return {
        "default_tasks": DEFAULT_TASKS,
        "dep_file": str(out / ".doit.db"),
        "num_process": _processes(sys.argv[1:]),
        "par_type": _worker_type(root),
        "backend": "sqlite3",  # transactional: a killed build leaves it readable
        "reporter": Reporter,
        "verbosity": 1,
    }


def _known_journal(root: Path, journal: str) -> None:
    """`journal=` names a profile: before build/<journal>/ is made for it."""
    from paperbuild import profiles

    try:
        profiles.load(root / TEMPLATES_DIR, journal)
    except PaperError as error:
        if error.message.startswith("unknown journal"):
            error.path, error.line, error.col = f"journal={journal}", None, None
            sys.exit(str(error))


def unwritable(root: Path, error: OSError) -> str:
    """One line for a build folder that cannot be written, naming what is in the way."""
    where = Path(error.filename2 or error.filename or BUILD_DIR)  # a rename's target
    # A file where a folder goes (build/diff): that file, not the path below it.
    in_the_way = next((p for p in reversed(where.parents) if p.is_file()), None)
    where = in_the_way or where
    shown = where.relative_to(root) if where.is_absolute() and where.is_relative_to(root) else where
    return (
        f"{shown}: error: cannot write it ({error.strerror or error}); {BUILD_DIR}/ must be a "
        "folder you can write to: remove or rename what is in the way"
    )


# doit swaps sys.stdout and sys.stderr for a task whose output it captures; tasks running side by
# side in threads would swap them under one another. Ours print only what is meant to be seen.
_UNCAPTURED = {"capture": False}

DEFAULT_TASKS = ["pdf", "docx", "html"]

# Tasks that depend on one another in a line: asked for alone, nothing runs side by side.
_IN_LINE = {"check", "_cite", "html", "docx", "pdf", "diff", "fix_script"}


def _task_names(args: list[str]) -> list[str]:
    names = [a for a in args if not a.startswith("-") and "=" not in a]
    return names[1:] if names[:1] == ["run"] else names


def _processes(args: list[str]) -> int:
    """How many doit workers: the three writers are independent and each runs one
    single-threaded tool, so they run side by side, all three even on two cores, and the
    longest (the PDF) never waits for a free worker (doit hands out ready tasks in no set
    order). One task asked for alone (`doit html`) runs in doit's own process instead: no
    worker to start, nothing imported twice."""
    names = _task_names(args)
    if (len(names) == 1 and names[0] in _IN_LINE) or (os.cpu_count() or 1) == 1:
        return 0  # doit's own process (1 would be one worker process)
    return 3


def _writers_ahead(args: list[str], root: Path) -> list[str]:
    """The writers that will run in this process after the check (in line, or as threads)."""
    if _processes(args) != 0 and _worker_type(root) != "thread":
        return []  # each in a worker process of its own
    names = set(_task_names(args) or DEFAULT_TASKS)
    if "submission" in names:
        names |= set(DOCS)
    return [name for name in DOCS if name in names]


# Up to this much Markdown the writers run as threads of one process: a paper's build is mostly
# start-up, and threads share one process's imported modules. A book's writers run as processes:
# each holds its own copy of the AST (the bench's book: ~300 MB each), which one process would
# hold three times over, past 1 GiB.
THREADS_UP_TO = 1024 * 1024  # bytes of manuscript


@functools.cache
def _worker_type(root: Path) -> str:
    try:
        files = _project(root).manuscript_files
    except PaperError:
        return "thread"  # the check says what is wrong, with nothing else to run
    size = sum(path.stat().st_size for path in files if path.is_file())
    return "thread" if size <= THREADS_UP_TO else "process"


@functools.cache
def _source(root: Path, journal: str | None) -> dict[str, Any]:
    """The commit, and whether the paper's files differ from it: what the outputs say they were
    built from. Asked once per `doit` run, not once per writer (git's processes are a no-op's
    cost)."""
    also = Paths(_out_dir(root, journal)).figures_elsewhere_names()
    try:
        project = _project(root)
        not_read, linked = project.not_read, project.linked
    except PaperError:
        not_read, linked = (), ()  # the check says what is wrong
    commit, modified = git_state(root, tuple(also), not_read, linked)
    return {"commit": commit, "modified": modified}


def _tools() -> dict[str, str]:
    # pandoc and typst upgraded in place: what they made is made again.
    from paperbuild import tools

    return {"tools": tools.identity()}


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def _out_dir(root: Path, journal: str | None) -> Path:
    return root / BUILD_DIR / journal if journal else root / BUILD_DIR


@functools.cache
def _project(root: Path) -> Project:
    # Read once per `doit` run: the configuration and the check's dependencies both need it.
    return Project.discover(root)


@functools.cache
def _files(folder: Path) -> tuple[str, ...]:
    # Listed once per `doit` run: four tasks depend on the templates and the figures, and a
    # book's no-op would otherwise walk them nine times.
    return tuple(str(p) for p in authors_files(folder))


# The Jinja layouts each writer renders, by what their names say: `html.j2`, `*.html.j2` and
# `style.css.j2` for the HTML; `typst.j2` and `*.typ.j2` for the PDF.
_LAYOUTS = {"html": ("html", "css"), "pdf": ("typst", "typ")}


def _templates(root: Path, reader: str | None) -> list[str]:
    """The files of templates/ a task reads: every profile, style, locale, font and translation,
    and of the Jinja layouts only those of the writer `reader` (a layout named for no writer,
    for both). Editing the HTML's layout writes the HTML again, and only it."""
    return [
        path
        for path in _files(root / TEMPLATES_DIR)
        if not path.endswith(".j2")
        or (reader in _LAYOUTS and _laid_out_by(Path(path).name) in (reader, "both"))
    ]


def _laid_out_by(name: str) -> str:
    parts = set(name.lower().split(".")[:-1])
    found = [writer for writer, marks in _LAYOUTS.items() if parts & set(marks)]
    return found[0] if len(found) == 1 else "both"


def _bibs(root: Path) -> list[str]:
    return [str(p) for p in listing(root / BIBLIOGRAPHY_DIR, ".bib") if p.is_file()]


def _beside_chapters(root: Path) -> list[str]:
    """Figures and any other file beside the chapters: the check looks for them, the writers
    embed them."""
    return [f for f in _files(root / MANUSCRIPT_DIR) if not f.endswith(".md")]


def _figures_elsewhere(root: Path, journal: str | None) -> str:
    """The figures outside manuscript/ the last check found the paper showing (a figures/
    folder beside it, say), each with its size and time, or as missing: what the check and the
    writers were built with, kept in their values, and compared on the next run (a list of
    file_dep would change a build late, and rebuild everything once more)."""
    return Paths(_out_dir(root, journal)).figures_elsewhere_state(root)


def _same_figures(task: Any, values: dict[str, Any], root: Path, journal: str | None) -> bool:
    return values.get("figures elsewhere") == _figures_elsewhere(root, journal)


def _watching(root: str, journal: str | None, name: str, *args: Any) -> Any:
    """The step, and on success what it was built with beyond its file_dep (see
    `_figures_elsewhere`), for doit to keep as the task's values."""
    failed = _step(name, *args)
    if failed is not None:
        return failed
    return {"figures elsewhere": _figures_elsewhere(Path(root), journal)}


def _sources(root: Path) -> list[str]:
    """What the parse reads; empty when the project is broken (the action then says why)."""
    # A file that cannot be read is the check's to report, in its words, not doit's.
    return [name for name in _read_files(root) if Path(name).exists()]


@functools.cache
def _read_files(root: Path) -> tuple[str, ...]:
    """Every file the check reads or warns of, there or not (a link to nothing): a new one
    runs the check, which says what is wrong with it (doit's file_dep takes only files that
    exist, and a build after a broken link was added said all was up to date)."""
    try:
        project = _project(root)
    except PaperError:
        return ()
    # Those a `chapters:` list leaves out are the check's too: a new one is warned of.
    read = (
        *project.manuscript_files,
        *project.left_out,
        *project.nested,
        *project.bib_files,
        *project.unread_bibs,
    )
    return tuple(str(p) for p in read)


def _step(name: str, *args: Any) -> Any:
    # paperbuild.steps is imported when a task runs: a no-op and `doit list` never load it.
    from paperbuild import steps

    return getattr(steps, name)(*args)


def _action(step: str, root: Path, journal: str | None) -> list[Any]:
    return [(_step, ["run", step, str(root), journal])]


def _watching_action(step: str, root: Path, journal: str | None) -> list[Any]:
    return [(_watching, [str(root), journal, "run", step, str(root), journal])]


def check(root: Path, journal: str | None, strict: bool) -> dict[str, Any]:
    out = _out_dir(root, journal)
    # Named on the command line, the check always runs and shows its citation table.
    named = "check" in sys.argv[1:]
    return {
        "basename": "check",
        "doc": "check citations, references and front matter (build/check.json)",
        "actions": [
            (
                _watching,
                [
                    *(str(root), journal, "check"),
                    *(str(root), journal, strict, named, _writers_ahead(sys.argv[1:], root)),
                ],
            )
        ],
        "file_dep": [
            *_sources(root),
            *_templates(root, None),
            *_beside_chapters(root),
        ],
        "targets": [str(out / "check.json"), str(out / "paper.checked.json")],
        "uptodate": [
            config_changed(
                {
                    "journal": journal,
                    "strict": strict,
                    "paperbuild": __version__,
                    "files": _read_files(root),
                    **_tools(),
                }
            ),
            not named,
            (_same_figures, [root, journal]),
        ],
        "verbosity": 2 if named else 1,
        "io": _UNCAPTURED,
        # `doit clean` cleans the default tasks and what they depend on, down to this one: the
        # submission zip and the diff, made from the same sources, go with them.
        "clean": [
            clean_targets,
            *(
                (shutil.rmtree, [folder, True])
                for folder in (out / ".cache" / "chapters", out / "submission", out / "diff")
            ),
        ],
    }


def cite(root: Path, journal: str | None) -> dict[str, Any]:
    out = _out_dir(root, journal)
    return {
        "basename": "_cite",
        "doc": "run citeproc once on the checked manuscript (build/paper.json)",
        "actions": _action("cite", root, journal),
        "file_dep": [str(out / "paper.checked.json"), *_bibs(root), *_templates(root, None)],
        "targets": [str(out / "paper.json"), str(out / "style.csl")],
        "uptodate": [config_changed({"journal": journal, "paperbuild": __version__, **_tools()})],
        "io": _UNCAPTURED,
        # The transliterated bibliography is written only for journals that want that list.
        "clean": [clean_targets, (_remove, [out / "references-transliterated.json"])],
    }


def writer(fmt: str, root: Path, journal: str | None) -> dict[str, Any]:
    out = _out_dir(root, journal)
    targets = [str(out / f"paper.{fmt}")]
    if fmt == "pdf":
        targets.insert(0, str(out / "paper.typ"))
    return {
        "basename": fmt,
        "doc": f"{DOCS[fmt]} ({Path(targets[-1]).relative_to(root)})",
        "actions": _watching_action(fmt, root, journal),
        "file_dep": [
            str(out / "paper.json"),
            # The HTML describes the listed works for indexers (citation_reference), from the
            # .bib files themselves.
            *(_bibs(root) if fmt == "html" else []),
            *_templates(root, fmt),
            *_beside_chapters(root),
        ],
        "targets": targets,
        "io": _UNCAPTURED,
        # Outputs carry the commit they were built from: a new commit rebuilds them.
        "uptodate": [
            config_changed(
                {
                    "journal": journal,
                    "paperbuild": __version__,
                    **_source(root, journal),
                    **_tools(),
                }
            ),
            (_same_figures, [root, journal]),
        ],
        "clean": [clean_targets, (shutil.rmtree, [out / ".cache", True])]
        if fmt == "docx"
        else True,
    }


def fix_script(root: Path) -> dict[str, Any]:
    return {
        "basename": "fix_script",
        "doc": "rewrite mixed-script words in one script (originals kept in build/backups/)",
        "actions": [(_step, ["fix_script", *[str(root)]])],
        "uptodate": [False],
        "verbosity": 2,
        "io": _UNCAPTURED,
    }


def submission(root: Path, journal: str | None) -> dict[str, Any]:
    out = _out_dir(root, journal)
    return {
        "basename": "submission",
        "doc": "submission zip: outputs, sources, check report, manifest (build/submission/)",
        "actions": [(_step, ["submission", *[str(root), journal]])],
        "task_dep": ["pdf", "docx", "html"],
        "uptodate": [False],
        "verbosity": 2,
        "io": _UNCAPTURED,
        "clean": [(shutil.rmtree, [out / "submission", True])],
    }


def diff(root: Path, journal: str | None, revision: str | None) -> dict[str, Any]:
    return {
        "basename": "diff",
        "doc": "changes since a git revision: `doit diff rev=<tag|branch|commit>` "
        "(build/diff/paper-diff.{docx,html,pdf}; build/<id>/diff/ with journal=<id>)",
        "actions": [(_step, ["diff", *[str(root), journal, revision]])],
        "task_dep": ["_cite"],
        "uptodate": [False],
        "verbosity": 2,
        "io": _UNCAPTURED,
        "clean": [(shutil.rmtree, [_out_dir(root, journal) / "diff", True])],
    }
