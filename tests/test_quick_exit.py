"""A build's process ends without Python's teardown, and with the status the build ended with;
what it saved is whole."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make_project

PAPER = {"paper.md": "---\ntitle: Quick\n---\n\nText.\n"}


def _doit(
    root: Path, hooks: Path, *args: str, also: str = ""
) -> tuple[subprocess.CompletedProcess[str], bool]:
    """doit, with an exit handler registered before any of doit's: whether it ran tells whether
    Python's usual exit ran (the quick one ends the process before it). `also`: more code for
    the process to run first."""
    marker = hooks / "ran"
    marker.unlink(missing_ok=True)
    (hooks / "sitecustomize.py").write_text(
        "import atexit, pathlib\n"
        f"atexit.register(lambda: pathlib.Path({str(marker)!r}).write_text('ran'))\n{also}",
        encoding="utf-8",
    )
    path = os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-m", "doit", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        timeout=300,
    )
    return result, marker.exists()


def test_a_build_ends_quickly_with_its_status_and_its_state_saved(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PAPER)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    built, usual_exit = _doit(root, hooks)
    assert built.returncode == 0, built.stderr
    assert not usual_exit
    assert "Text." in (root / "build" / "paper.html").read_text(encoding="utf-8")
    again, usual_exit = _doit(root, hooks)
    assert again.returncode == 0 and not usual_exit
    # doit's database was committed: nothing runs again.
    assert sorted(again.stdout.split()) == ["--", "--", "--", "--", "check", "docx", "html", "pdf"]


def test_a_failed_build_ends_quickly_with_status_1_and_its_message(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"paper.md": "---\ntitle: Q\n---\n\nSee [@nobody].\n"})
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    failed, usual_exit = _doit(root, hooks)
    assert failed.returncode == 1
    assert not usual_exit
    assert "nobody" in failed.stderr and failed.stderr.endswith("1 error, 0 warnings\n")


def test_other_commands_exit_the_usual_way(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PAPER)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    listed, usual_exit = _doit(root, hooks, "list")
    assert listed.returncode == 0 and "pdf" in listed.stdout
    assert usual_exit
    unknown, usual_exit = _doit(root, hooks, "no-such-task")
    assert unknown.returncode == 3 and usual_exit


# The writer of `doit html` stopped as by Ctrl-C, or by a SystemExit, while it runs.
STOPPED = """
from paperbuild import steps
plain_run = steps.run
def run(step, *args):
    if step == "html":
        raise {0}
    return plain_run(step, *args)
steps.run = run
"""


def test_a_build_stopped_midway_does_not_end_with_status_0(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", PAPER)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    interrupted, usual_exit = _doit(root, hooks, "html", also=STOPPED.format("KeyboardInterrupt"))
    assert interrupted.returncode not in (0, None), interrupted.stderr
    assert "KeyboardInterrupt" in interrupted.stderr and usual_exit
    stopped, usual_exit = _doit(root, hooks, "html", also=STOPPED.format("SystemExit(3)"))
    assert stopped.returncode == 3 and usual_exit
    assert not (root / "build" / "paper.html").exists()


def test_ctrl_c_is_one_line_and_the_next_build_finishes(tmp_path: Path) -> None:
    """The traceback of whichever thread was waiting is no message for an author."""
    import signal
    import sys
    import time

    body = "".join(
        f"Paragraph {n} of a longer paper, to give the build time.\n\n" for n in range(3000)
    )
    root = make_project(tmp_path / "p", {"paper.md": f"---\ntitle: T\n---\n\n{body}"})
    build = subprocess.Popen(
        [sys.executable, "-m", "doit"], cwd=root, stderr=subprocess.PIPE, text=True
    )
    while not (root / "build" / ".cache").exists() and build.poll() is None:
        time.sleep(0.01)
    build.send_signal(signal.SIGINT)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 130, stderr
    assert stderr.strip() == "interrupted: run doit again to finish the build"
    assert not list((root / "build").glob("paper.*"))
    again = subprocess.run([sys.executable, "-m", "doit"], cwd=root, capture_output=True)
    assert again.returncode == 0
    assert (root / "build" / "paper.pdf").is_file()


def test_ctrl_c_while_an_output_is_written_leaves_no_temporary_file(tmp_path: Path) -> None:
    """The file being written stayed under its temporary name (`.paper.docx.….part`), some
    whole and never renamed, until the next build."""
    import signal
    import sys
    import time

    body = "".join(
        f"Paragraph {n} of a longer paper, *to* give **it** time.\n\n" for n in range(6000)
    )
    root = make_project(tmp_path / "p", {"paper.md": f"---\ntitle: T\n---\n\n{body}"})
    build = subprocess.Popen(
        [sys.executable, "-m", "doit"], cwd=root, stderr=subprocess.PIPE, text=True
    )
    parts: list[Path] = []
    while not parts and build.poll() is None:
        parts = list((root / "build").glob(".paper.*.part"))
        time.sleep(0.002)
    if not parts:
        pytest.skip("the build ended before an output was being written")
    build.send_signal(signal.SIGINT)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 130, stderr
    assert list((root / "build").rglob("*.part")) == []
