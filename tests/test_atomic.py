"""A build killed at any moment leaves no truncated output under a final name, and the next
`doit` finishes the job by itself."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pypdf

from conftest import make_project

FINAL = ("paper.pdf", "paper.docx", "paper.html", "paper.json", "paper.checked.json", "check.json")


def start(root: Path) -> subprocess.Popen[bytes]:
    # A session of its own, so the kill reaches doit and every pandoc it started.
    return subprocess.Popen(
        [sys.executable, "-m", "doit"],
        cwd=root,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_after(process: subprocess.Popen[bytes], seconds: float) -> None:
    time.sleep(seconds)
    with contextlib.suppress(ProcessLookupError):  # it may have finished first
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def assert_whole(build: Path) -> None:
    """Every output that exists under its final name is complete."""
    for name in FINAL:
        path = build / name
        if not path.exists():
            continue
        if name.endswith(".pdf"):
            reader = pypdf.PdfReader(path, strict=True)
            assert all(page.extract_text() is not None for page in reader.pages)
        elif name.endswith(".docx"):
            with zipfile.ZipFile(path) as package:
                assert package.testzip() is None
            assert docx.Document(path).paragraphs
        elif name.endswith(".html"):
            assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")
        else:
            json.loads(path.read_text(encoding="utf-8"))


def test_killed_builds_leave_whole_files_and_the_next_build_recovers(tmp_path: Path) -> None:
    root = make_project(tmp_path / "paper", sample=True)
    chance = random.Random(7)
    chapter = root / "manuscript" / "paper.md"
    for attempt in range(8):
        if attempt < 4:
            shutil.rmtree(root / "build", ignore_errors=True)  # cold builds
        else:  # rebuilds over the outputs of an earlier, finished build
            subprocess.run([sys.executable, "-m", "doit"], cwd=root, capture_output=True)
            chapter.write_text(
                chapter.read_text(encoding="utf-8") + f"\nАбзац {attempt}.\n", encoding="utf-8"
            )
        kill_after(start(root), chance.uniform(0.2, 1.6))
        assert_whole(root / "build")
    finished = subprocess.run(
        [sys.executable, "-m", "doit"], cwd=root, capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr
    assert_whole(root / "build")
    for name in ("paper.pdf", "paper.docx", "paper.html"):
        assert (root / "build" / name).exists()
    assert f"Абзац {attempt}." in (root / "build" / "paper.html").read_text(encoding="utf-8")
    again = subprocess.run([sys.executable, "-m", "doit"], cwd=root, capture_output=True, text=True)
    assert [line for line in again.stdout.splitlines() if line.strip()] == [
        "-- check",
        "-- pdf",
        "-- docx",
        "-- html",
    ]
    assert not list((root / "build").rglob("*.part"))  # half-written files are cleared away
