"""Outputs are written to a temporary name and renamed, so a killed build never leaves a
truncated file under a final name."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# The temporary files this process is writing: Ctrl-C ends it at once (quick_exit), without
# the `finally` of the threads that write them.
_pending: set[Path] = set()


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it becomes `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    _pending.add(temporary)
    try:
        yield temporary
        os.chmod(temporary, 0o644)  # mkstemp makes it private; outputs are ordinary files
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
        _pending.discard(temporary)


def abandon() -> None:
    """Remove the temporary files being written: the process is ending before they are done."""
    for temporary in list(_pending):
        temporary.unlink(missing_ok=True)


def write_bytes(target: Path, data: bytes) -> None:
    with replacing(target) as temporary:
        temporary.write_bytes(data)


def write_text(target: Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))
