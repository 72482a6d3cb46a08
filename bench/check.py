"""How long `doit check` takes beside `doit list`, on the sample and on a generated book.

    python bench/check.py            # prints medians of 5 runs each

Targets (issue 4): the sample's check within 0.3 s of `doit list`; the book's under 2 s.
"warm" is the author's loop: chapters parsed and references rendered before, files unchanged;
"cold" starts from an empty build/.
"""

from __future__ import annotations

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
RUNS = 5


def doit(root: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "doit", *args], cwd=root, capture_output=True, check=False
    )
    return time.perf_counter() - start


def median(root: Path, *args: str, cold: bool = False) -> float:
    times = []
    for _ in range(RUNS):
        if cold:
            shutil.rmtree(root / "build", ignore_errors=True)
        times.append(doit(root, *args))
    return statistics.median(times)


def sample(workdir: Path) -> Path:
    root = workdir / "sample"
    for name in ("manuscript", "bibliography", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "dodo.py", root / "dodo.py")
    return root


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for name, root in (("sample", sample(workdir)), ("book", book.write(workdir / "book"))):
            listed = median(root, "list")
            cold = median(root, "check", cold=True)
            doit(root, "check")
            warm = median(root, "check")
            print(
                f"{name:7} doit list {listed:6.2f} s   check cold {cold:6.2f} s   "
                f"check warm {warm:6.2f} s   warm - list {warm - listed:+.2f} s"
            )


if __name__ == "__main__":
    main()
