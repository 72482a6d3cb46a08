"""doit's process ends without Python's teardown once a build has finished and saved its state.

At exit Python frees every object and unloads every module one by one: after a paper's cold
build that took 70-80 ms, after a no-op 25 ms (a fifth of it), for memory the system takes back
at once anyway. By then everything is saved: each output was written whole and renamed, doit
committed and closed its database, and Python has joined the other threads (it does that before
any exit handler). So the status the build ends with is kept, and an exit handler ends the
process with it.

Exit handlers registered before dodo.py loads run after this one, so they are skipped: a tool
that saves its findings at exit must say so. coverage.py does (it measures subprocesses that
way): where it is loaded, the process exits the usual way.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
from pathlib import Path

_status: list[int] = []
_pid: list[int] = [0]  # doit's own process


def install() -> None:
    """In doit's own process only: never in a test or a tool that loads dodo.py itself."""
    if _run_by_doit() and not getattr(install, "done", False):
        install.done = True  # type: ignore[attr-defined]
        atexit.register(_end)
        _pid[:] = [os.getpid()]
        signal.signal(signal.SIGINT, _interrupted)


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C: one line, not the traceback of whichever thread was waiting. Every output is
    written under a temporary name and renamed whole, so nothing half-written is left under a
    final one, and the temporary files are removed; pandoc's processes, in the same process
    group, get the signal too."""
    from paperbuild import atomic

    atomic.abandon()  # no half-written file is left in build/, under any name
    if os.getpid() == _pid[0]:  # said once, not by each of a book's worker processes too
        sys.stderr.write("\ninterrupted: run doit again to finish the build\n")
        sys.stderr.flush()
    os._exit(130)


def arm(status: int) -> None:
    """The build is over and this is its exit status: from here on, nothing is left to save."""
    _status[:] = [status]


def _run_by_doit() -> bool:
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if spec is not None:
        return spec.name == "doit.__main__"  # python -m doit
    return Path(sys.argv[0]).name in ("doit", "doit.exe")


def _end() -> None:
    # Not after worker processes: multiprocessing's own exit handler cleans up their queues.
    if not _status or "multiprocessing.util" in sys.modules or "coverage" in sys.modules:
        return
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_status[0])
