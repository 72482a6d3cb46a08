"""Every call to pandoc, in one place.

pandoc comes from pypandoc-binary; we run its binary directly (never through a shell) and talk to
it in JSON, so one parse can feed every writer.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paperbuild import jsonio, tools
from paperbuild.errors import ToolError

# The AST version our JSON speaks; pandoc 3.x reads and writes it.
API_VERSION = [1, 23, 1]


# Where pandoc is, and what changes when it is upgraded.
executable = tools.pandoc_path
identity = tools.pandoc_identity


@functools.cache
def version() -> str:
    """pandoc's version, asked once per binary and remembered outside build/: a run of its own
    in every cold build otherwise."""
    from paperbuild import shared_cache

    digest = hashlib.sha256(identity().encode()).hexdigest()[:16]
    return str(shared_cache.remembered(f"pandoc-{digest}-version.json", _asked_version))


def _asked_version() -> str:
    done = subprocess.run([executable(), "--version"], capture_output=True, check=True)
    return done.stdout.decode().split()[1]


@dataclass
class Result:
    output: bytes
    warnings: list[str] = field(default_factory=list)


# pandoc's binary starts with a 64 MB heap (-H64m): a small run spends much of its time in the
# kernel, mapping it. A 16 MB allocation area (-A16m -H16m) maps a quarter of that (smaller ones
# measured ~20 ms more per small run, in collections), and an old generation left alone below
# 64 MB (-O64m) spares a run major collections. CPU per run against the default, means of 3-8
# runs (bench/RESULTS.md): the sample's Markdown 101 -> 76 ms, its citeproc run 42 -> 32 ms, its
# DOCX 83 -> 67 ms; a book chapter's Markdown 204 -> 151 ms, the book's citeproc run
# 612 -> 499 ms, a 1.7 MB piece of it to Typst 621 -> 459 ms; the whole book's DOCX the same
# (2.1 s) in less memory (331 MB, not 359 MB).
# No run takes more than 4 GB (-M4g; the book's largest takes a tenth of that): an input that
# sends the reader into a loop (a .bib entry that is its own crossref) fails, not the machine.
_HEAP = ["+RTS", "-A16m", "-H16m", "-O64m", "-M4g", "-RTS"]


# A pandoc built without -rtsopts refuses them, in GHC's words ("Most RTS options are
# disabled", or an older runtime's "unknown RTS option"), and does nothing else. Tried first and
# remembered, rather than asked first: asking is a run of its own before every build's first
# parse.
_REFUSED = re.compile(r"\A[^\n]*RTS option")
_heap_refused = False


def _heap_option_works() -> bool:
    return not _heap_refused


def run(
    args: list[str],
    data: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Result:
    """pandoc with `args`; a run longer than `timeout` seconds is killed (TimeoutExpired)."""
    global _heap_refused
    heap = _heap_option_works()
    proc = _run([*(_HEAP if heap else []), *args], data, cwd, env, timeout)
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if heap and proc.returncode != 0 and _REFUSED.search(stderr):
        _heap_refused = True
        proc = _run(args, data, cwd, env, timeout)
        stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        first = stderr.splitlines()[0] if stderr else f"exit status {proc.returncode}"
        error = ToolError(
            f"pandoc failed: {first}",
            hint="this is likely a paperbuild bug; please report it with the manuscript",
        )
        error.stderr = stderr
        raise error
    return Result(proc.stdout, [line for line in stderr.splitlines() if line.strip()])


# The formats are written side by side, and the PDF's way is the longest (pandoc, then Typst):
# the HTML's and DOCX's pandoc yield the cores to it (nice 5), which costs them nothing when
# nothing else runs. The sample's cold build, 30 rounds: median 1.05 -> 0.98 s.
_YIELDING_WRITERS = ("html5", "docx")
_NICE = 5


def _run(
    args: list[str],
    data: bytes | None,
    cwd: Path | None,
    env: dict[str, str] | None,
    timeout: float | None,
) -> subprocess.CompletedProcess[bytes]:
    """subprocess.run, but a writer that yields runs at a lower priority."""
    with subprocess.Popen(
        [executable(), *args],
        stdin=subprocess.PIPE if data is not None else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    ) as proc:
        if _writer(args) in _YIELDING_WRITERS:
            _lower_priority(proc.pid)
        try:
            out, err = proc.communicate(data, timeout=timeout)
        except BaseException:  # the timeout, or Ctrl-C: no pandoc is left running
            proc.kill()
            raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _writer(args: list[str]) -> str | None:
    """The writer's name in `args` (`--to docx+native_numbering` is docx)."""
    if "--to" not in args:
        return None
    return re.split(r"[+-]", args[args.index("--to") + 1], maxsplit=1)[0]


def _lower_priority(pid: int) -> None:
    # AttributeError: not on this system; OSError: the run has ended already.
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, pid, max(os.getpriority(os.PRIO_PROCESS, pid), _NICE))


@functools.cache
def translations(lang: str) -> dict[str, str]:
    """pandoc's own words for a language ("References", "Abstract"…), {} if it has none;
    asked once per binary and language, and remembered outside build/."""
    from paperbuild import shared_cache

    if not re.fullmatch(r"[A-Za-z0-9-]{1,40}", lang):
        return _asked_translations(lang)
    digest = hashlib.sha256(identity().encode()).hexdigest()[:16]
    name = f"pandoc-{digest}-translations-{lang}.json"
    return dict(shared_cache.remembered(name, lambda: _asked_translations(lang)))


def _asked_translations(lang: str) -> dict[str, str]:
    from paperbuild import yamlio

    for name in (lang, lang.split("-")[0]):
        proc = subprocess.run(
            [executable(), "--print-default-data-file", f"translations/{name}.yaml"],
            capture_output=True,
        )
        if proc.returncode == 0:
            data = yamlio.load(proc.stdout.decode("utf-8"))
            return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return {}


# pandoc's words for a language it has none for: the check says so once, at `lang`.
_NO_TRANSLATIONS = re.compile(
    r"Could not load translations for|data file translations/\S+ not found|"
    r"has no translation defined"
)
# TeX math it cannot read: the check says so once, at the formula (and this warning's lines
# after the first say where in the formula, in no file).
_MATH_NOT_READ = re.compile(r"Could not convert TeX math ")


def report(warnings: list[str]) -> None:
    """pandoc's warnings, once each, on stderr: they do not stop the build."""
    math = False
    for line in dict.fromkeys(warnings):
        if _MATH_NOT_READ.search(line):
            math = True
        elif not line.startswith(" "):
            math = False
        if not math and not _NO_TRANSLATIONS.search(line):
            print(f"pandoc: {line}", file=sys.stderr)


def convert(
    doc: dict[str, Any], to: str, args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> Result:
    """Run pandoc on an AST: `to` is a writer name (json, html5, typst-citations, docx…)."""
    data = jsonio.dumps(doc)
    return run(["--from", "json", "--to", to, *args], data=data, cwd=cwd, env=env)
