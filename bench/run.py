"""paperbuild against the floor: what pandoc and typst alone need for the same three outputs.

    python bench/run.py [--runs N] [--only sample|book]

For the sample and a generated book (bench/book.py: 30 chapters, ~150,000 words, 1,000
entries, 2,000 citations), it times, as medians of N runs:
  floor       the bare pandoc (+ citeproc) calls for HTML, DOCX and Typst, and typst.compile,
              on the chapters with their numeric citations in pandoc's syntax (see floor_sources)
  cold        `doit` from an empty build/ (paperbuild's shared cache kept from the first build)
  cold -n 1   the same with one process (by default the writers run side by side)
  cold, new machine   the same with the shared cache emptied too: paperbuild's first build
  no-op       `doit` with nothing changed
  ..., bytecode kept  cold and no-op where PYTHONDONTWRITEBYTECODE is set, run without it (in
              a folder of the bench's), as Python runs by default: then Python keeps
              paperbuild's compiled modules, instead of compiling them in every run
  one edit    `doit html` after appending a sentence to one chapter, and which tasks ran
  html cold   `doit html` from an empty build/ (what the edit is compared with)
  check       `doit check`, warm
with the CPU time each took in all its processes (pandoc's with doit's), and the peak memory
(RSS) of a cold build, pandoc's processes included; `doit alone` is doit
with one up-to-date task and nothing to do (a one-task dodo.py): the no-op's floor here. Each
round runs every one of these once, so the floor and the builds are timed side by side.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import book

REPO = Path(__file__).resolve().parents[1]
# Runs a command and prints the peak RSS (KiB) of it and every process it waited for.
PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


# The environment every build below runs in (main() points paperbuild's shared cache into the
# bench's own folder); `KEPT_BYTECODE` the same, but with Python keeping compiled modules.
ENV = dict(os.environ)
KEPT_BYTECODE: dict[str, str] = {}


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env or ENV)
    return time.perf_counter() - start, done.stdout


def doit(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[float, str]:
    return timed([sys.executable, "-m", "doit", *args], root, env)


def children_cpu() -> float:
    """CPU seconds (user and system) of every process this one has run and waited for, and of
    theirs: a build's pandoc processes are counted with doit's."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def median(values: list[float]) -> float:
    return statistics.median(values)


# A numeric citation as the sample and the book write them: [3] or [3, б. 12].
NUMERIC = re.compile(r"\[(\d+)((?:, [^\]\n]*)?)\]")


def floor_sources(root: Path, work: Path) -> list[Path]:
    """The chapters as pandoc alone must be given them to make the same outputs: paperbuild
    reads numeric citations through the front matter's `reference-numbers`, pandoc does not,
    so here each is written in pandoc's syntax (`[3, б. 12]` becomes `[@key, б. 12]`).
    Without this the floor formats no citation and writes no reference list."""
    manuscript = work / "manuscript"
    shutil.rmtree(manuscript, ignore_errors=True)
    shutil.copytree(root / "manuscript", manuscript)
    chapters = sorted(manuscript.glob("*.md"))
    front = yaml.safe_load(chapters[0].read_text(encoding="utf-8").split("---\n")[1])
    keys = front.get("reference-numbers") or []
    for chapter in chapters:
        text = chapter.read_text(encoding="utf-8")
        text = NUMERIC.sub(lambda m: f"[@{keys[int(m[1]) - 1]}{m[2]}]", text)
        chapter.write_text(text, encoding="utf-8")
    return chapters


TYPST = "import sys, typst; typst.compile(sys.argv[1], root=sys.argv[2], ignore_system_fonts=True)"


def floor(root: Path, work: Path) -> float:
    """pandoc reading the chapters and running citeproc for each format, then typst."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    chapters = floor_sources(root, work)
    manuscript = work / "manuscript"
    common = [
        *map(str, chapters),
        "--citeproc",
        "--csl",
        str(root / "build" / "style.csl"),
        "--bibliography",
        str(root / "bibliography" / "references.bib"),
        # paperbuild links each citation to its entry, in every format.
        "-M",
        "link-citations=true",
        "-s",
    ]
    start = time.perf_counter()
    for args in (
        ["-t", "html5", "-o", str(work / "f.html")],
        ["-o", str(work / "f.docx")],
        ["-t", "typst", "-M", "keywords=", "-o", str(manuscript / "f.typ")],
    ):
        subprocess.run([pandoc, *common, *args], cwd=manuscript, capture_output=True)
    # Beside the chapters, so figure paths resolve as they are written. In a process of its own,
    # as `typst compile` would run: typst keeps what it laid out for the rest of a process, and
    # compiles the same file again ten times faster.
    subprocess.run([sys.executable, "-c", TYPST, str(manuscript / "f.typ"), str(work)], check=True)
    return time.perf_counter() - start


def entries(html: Path) -> int:
    """Reference entries in an HTML output: the floor must write the list paperbuild writes."""
    return html.read_text(encoding="utf-8").count('class="csl-entry"') if html.exists() else 0


def peak_memory(root: Path) -> float:
    shutil.rmtree(root / "build", ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-c", PEAK, sys.executable, "-m", "doit"],
        cwd=root,
        capture_output=True,
        text=True,
        env=ENV,
    )
    return int(done.stdout.strip() or 0) / 1024


def measure(name: str, root: Path, runs: int) -> dict[str, object]:
    """Each round times every build once, one after the other, so that the machine's drift
    (20 % within the hour here) moves the floor and the builds alike: the ratios compare runs
    made side by side, not series made minutes apart."""
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}

    def timing(key: str, run: Callable[[], tuple[float, str]]) -> str:
        """Keep the seconds `run` says it took, and the CPU time of every process it ran and
        waited for; return what it printed."""
        before = children_cpu()
        seconds, out = run()
        times.setdefault(key, []).append(seconds)
        cpu.setdefault(key, []).append(children_cpu() - before)
        return out

    def cold(*args: str, env: dict[str, str] | None = None) -> tuple[float, str]:
        shutil.rmtree(root / "build", ignore_errors=True)
        return doit(root, *args, env=env)

    chapters = sorted((root / "manuscript").glob("*.md"))
    chapter = chapters[len(chapters) // 2]
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        doit(root)  # style.csl for the floor's pandoc, caches warm
        if KEPT_BYTECODE:
            doit(root, env=KEPT_BYTECODE)  # compiles and keeps paperbuild's modules
        alone = alone_project(Path(tmp) / "alone")
        for index in range(runs):
            timing("floor", lambda: (floor(root, Path(tmp)), ""))
            timing("cold", cold)
            timing("no-op", lambda: doit(root))
            timing("doit alone", lambda: doit(alone))
            timing("cold -n 1", lambda: cold("-n", "1"))
            shutil.rmtree(ENV["PAPERBUILD_CACHE"], ignore_errors=True)
            timing("cold, new machine", cold)  # paperbuild's first build on a machine
            if KEPT_BYTECODE:
                timing("cold, bytecode kept", lambda: cold(env=KEPT_BYTECODE))
                timing("no-op, bytecode kept", lambda: doit(root, env=KEPT_BYTECODE))
            timing("html cold", lambda: cold("html"))
            with chapter.open("a", encoding="utf-8") as text:
                text.write(f"\nЖаңа сөйлем {index}.\n")
            out = timing("one edit", lambda: doit(root, "html"))
            ran = " ".join(line.split()[-1] for line in out.splitlines() if line.startswith(". "))
            results["one edit ran"] = ran
            doit(root, "check")
            timing("check", lambda: doit(root, "check"))
        results["floor entries"] = entries(Path(tmp) / "f.html")
    results["entries"] = entries(root / "build" / "paper.html")
    results.update({key: median(values) for key, values in times.items()})
    results["cpu"] = {key: median(values) for key, values in cpu.items()}
    results["peak MiB"] = peak_memory(root)
    return results


ALONE = """DOIT_CONFIG = {"backend": "sqlite3", "dep_file": ".doit.db"}


def task_copy():
    return {"actions": ["cp in.txt out.txt"], "file_dep": ["in.txt"], "targets": ["out.txt"]}
"""


def alone_project(root: Path) -> Path:
    """doit with one up-to-date task: what any no-op `doit` costs on this machine."""
    root.mkdir(parents=True)
    (root / "dodo.py").write_text(ALONE, encoding="utf-8")
    (root / "in.txt").write_text("x", encoding="utf-8")
    doit(root)
    return root


def bytecode() -> str:
    """Whether Python keeps paperbuild's compiled modules: else every run compiles them."""
    spec = importlib.util.find_spec("paperbuild")
    origin = spec.origin if spec else None
    if origin and Path(importlib.util.cache_from_source(origin)).exists():
        return "cached"
    if sys.flags.dont_write_bytecode:
        return (
            "not kept (PYTHONDONTWRITEBYTECODE is set): every run compiles its modules; "
            "the lines 'bytecode kept' run without it, as Python runs by default"
        )
    return "not cached yet"


ROWS = (
    "floor",
    "cold",
    "cold -n 1",
    "cold, new machine",
    "cold, bytecode kept",
    "no-op",
    "no-op, bytecode kept",
    "doit alone",
    "html cold",
    "one edit",
    "check",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("sample", "book"))
    options = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {len(os.sched_getaffinity(0))} CPUs"
    )
    print(f"paperbuild's bytecode: {bytecode()}")
    with tempfile.TemporaryDirectory() as tmp:
        # The bench's own shared cache: what it times does not depend on earlier builds.
        ENV["PAPERBUILD_CACHE"] = str(Path(tmp) / "shared-cache")
        if sys.flags.dont_write_bytecode:
            KEPT_BYTECODE.update(ENV, PYTHONPYCACHEPREFIX=str(Path(tmp) / "bytecode"))
            KEPT_BYTECODE.pop("PYTHONDONTWRITEBYTECODE", None)
        projects = {}
        if options.only in (None, "sample"):
            sample = Path(tmp) / "sample"
            for folder in ("manuscript", "bibliography", "templates"):
                shutil.copytree(REPO / folder, sample / folder)
            shutil.copy(REPO / "dodo.py", sample / "dodo.py")
            projects["sample"] = sample
        if options.only in (None, "book"):
            projects["book"] = book.write(Path(tmp) / "book")
        for name, root in projects.items():
            r = measure(name, root, options.runs)
            floor_s = r["floor"]
            print(f"\n{name}")
            print(f"  {'':20} {'wall':>9}  {'':11}  CPU, all processes")
            for key in (row for row in ROWS if row in r):
                ratio = f"{r[key] / floor_s:5.2f}x floor" if key.startswith("cold") else ""
                print(f"  {key:20} {r[key]:7.2f} s  {ratio:11}  {r['cpu'][key]:5.2f} s")
            share = r["one edit"] / r["html cold"]
            print(
                f"  reference entries written: floor {r['floor entries']}, paperbuild "
                f"{r['entries']} (with the transliterated list, where the journal wants it)"
            )
            print(f"  one edit / html cold: {share:.0%}; tasks run: {r['one edit ran']}")
            print(f"  peak memory of a cold build: {r['peak MiB']:.0f} MiB")


if __name__ == "__main__":
    main()
