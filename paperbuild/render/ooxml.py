"""Byte-stable edits of OOXML packages (DOCX zips): same input, same bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

# ZIP's earliest date; every entry gets it so the package does not depend on when it was built.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def rewrite(
    package: bytes,
    edit: Callable[[str, bytes], bytes] | None = None,
    fixed_dates: bool = False,
    added: dict[str, bytes] | None = None,
) -> bytes:
    """Copy a zip, passing each member through `edit(name, data)`, keeping order and metadata;
    then the members `added`, in name order, dated as the first member is."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if edit is not None:
                data = edit(info.filename, data)
            copy = zipfile.ZipInfo(info.filename, FIXED_DATE if fixed_dates else info.date_time)
            copy.compress_type = zipfile.ZIP_DEFLATED
            copy.external_attr = info.external_attr
            target.writestr(copy, data)
        first = source.infolist()[0].date_time if source.infolist() else FIXED_DATE
        for name, data in sorted((added or {}).items()):
            member = zipfile.ZipInfo(name, FIXED_DATE if fixed_dates else first)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, data)
    return out.getvalue()
