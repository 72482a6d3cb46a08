"""paperbuild against the floor: what pandoc and typst alone need for the same three outputs.

    python bench/run.py [--runs N] [--only sample|book]

For the sample and a generated book (bench/book.py: 30 chapters, ~150,000 words, 1,000
entries, 2,000 citations), it times, as medians of N runs:
  floor       the bare pandoc (+ citeproc) calls for HTML, DOCX and Typst, and typst.compile
  cold        `doit` from an empty build/
  cold -n 1   the same with one process (by default the writers run side by side)
  no-op       `doit` with nothing changed
  one edit    `doit html` after appending a sentence to one chapter, and which tasks ran
  html cold   `doit html` from an empty build/ (what the edit is compared with)
  check       `doit check`, warm
and the peak memory (RSS) of a cold build, pandoc's processes included.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import book

REPO = Path(__file__).resolve().parents[1]
# Runs a command and prints the peak RSS (KiB) of it and every process it waited for.
PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - start, done.stdout


def doit(root: Path, *args: str) -> tuple[float, str]:
    return timed([sys.executable, "-m", "doit", *args], root)


def median(values: list[float]) -> float:
    return statistics.median(values)


def floor(root: Path, work: Path) -> float:
    """pandoc reading the chapters and running citeproc for each format, then typst."""
    import pypandoc
    import typst

    pandoc = pypandoc.get_pandoc_path()
    chapters = [str(p) for p in sorted((root / "manuscript").glob("*.md"))]
    common = [
        *chapters,
        "--citeproc",
        "--csl",
        str(root / "build" / "style.csl"),
        "--bibliography",
        str(root / "bibliography" / "references.bib"),
        "-s",
        "--resource-path",
        str(root / "manuscript"),
    ]
    start = time.perf_counter()
    for args in (
        ["-t", "html5", "-o", str(work / "f.html")],
        ["-o", str(work / "f.docx")],
        ["-t", "typst", "-M", "keywords=", "-o", str(root / "manuscript" / "f.typ")],
    ):
        subprocess.run([pandoc, *common, *args], cwd=root / "manuscript", capture_output=True)
    # Beside the chapters, so figure paths resolve as they are written.
    typst.compile(str(root / "manuscript" / "f.typ"), root=str(root), ignore_system_fonts=True)
    seconds = time.perf_counter() - start
    (root / "manuscript" / "f.typ").unlink()
    return seconds


def peak_memory(root: Path) -> float:
    shutil.rmtree(root / "build", ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-c", PEAK, sys.executable, "-m", "doit"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    return int(done.stdout.strip() or 0) / 1024


def measure(name: str, root: Path, runs: int) -> dict[str, object]:
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        doit(root)  # style.csl for the floor's pandoc, caches warm
        results["floor"] = median([floor(root, Path(tmp)) for _ in range(runs)])
    cold = []
    for _ in range(runs):
        shutil.rmtree(root / "build", ignore_errors=True)
        cold.append(doit(root)[0])
    results["cold"] = median(cold)
    parallel = []
    for _ in range(runs):
        shutil.rmtree(root / "build", ignore_errors=True)
        parallel.append(doit(root, "-n", "1")[0])
    results["cold -n 1"] = median(parallel)
    results["no-op"] = median([doit(root)[0] for _ in range(runs)])
    html_cold = []
    for _ in range(runs):
        shutil.rmtree(root / "build", ignore_errors=True)
        html_cold.append(doit(root, "html")[0])
    results["html cold"] = median(html_cold)
    chapters = sorted((root / "manuscript").glob("*.md"))
    chapter = chapters[len(chapters) // 2]
    edits, ran = [], ""
    for index in range(runs):
        doit(root, "html")
        with chapter.open("a", encoding="utf-8") as text:
            text.write(f"\nЖаңа сөйлем {index}.\n")
        seconds, out = doit(root, "html")
        edits.append(seconds)
        ran = " ".join(line.split()[-1] for line in out.splitlines() if line.startswith(". "))
    results["one edit"] = median(edits)
    results["one edit ran"] = ran
    doit(root, "check")
    results["check"] = median([doit(root, "check")[0] for _ in range(runs)])
    results["peak MiB"] = peak_memory(root)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("sample", "book"))
    options = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, {len(__import__('os').sched_getaffinity(0))} CPUs"
    )
    with tempfile.TemporaryDirectory() as tmp:
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
            for key in ("floor", "cold", "cold -n 1", "no-op", "html cold", "one edit", "check"):
                ratio = f"  {r[key] / floor_s:5.2f}x floor" if key.startswith("cold") else ""
                print(f"  {key:10} {r[key]:7.2f} s{ratio}")
            share = r["one edit"] / r["html cold"]
            print(f"  one edit / html cold: {share:.0%}; tasks run: {r['one edit ran']}")
            print(f"  peak memory of a cold build: {r['peak MiB']:.0f} MiB")


if __name__ == "__main__":
    main()
