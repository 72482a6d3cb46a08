"""One timestamp per build, so the same sources give byte-identical outputs."""

from __future__ import annotations

import os
from pathlib import Path

from paperbuild import provenance


def source_date_epoch(root: Path, inputs: list[Path]) -> int:
    """`SOURCE_DATE_EPOCH` if set; else the last commit's time; else the newest input's mtime."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    committed = provenance.last_commit(root)[1]
    if committed is not None:
        return committed
    return int(max((p.stat().st_mtime for p in inputs if p.exists()), default=0))
