"""One timestamp per build, so the same sources give byte-identical outputs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def source_date_epoch(root: Path, inputs: list[Path]) -> int:
    """`SOURCE_DATE_EPOCH` if set; else the last commit's time; else the newest input's mtime."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if out.returncode == 0 and out.stdout.strip().isdigit():
            return int(out.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return int(max((p.stat().st_mtime for p in inputs if p.exists()), default=0))
