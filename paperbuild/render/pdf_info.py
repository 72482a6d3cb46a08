"""A PDF's document information, updated as an incremental update appended to the file.

pypdf's writer clones every object of the document first, even for an incremental update:
five seconds on a 300-page book. Here pypdf reads only the trailer and serialises the two new
objects (the information dictionary and a cross-reference stream naming it); the bytes Typst
wrote stay as they are, so the result is as reproducible as they are.
"""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)


def update(pdf: bytes, fields: dict[str, str]) -> bytes:
    """`pdf` with `fields` (`/Name`: text) added to its document information."""
    reader = PdfReader(io.BytesIO(pdf))
    trailer = reader.trailer
    size = int(trailer["/Size"])
    old = trailer.raw_get("/Info") if "/Info" in trailer else None
    # Rewriting the information dictionary under its own number keeps one per document.
    info_number = old.idnum if isinstance(old, IndirectObject) else size
    xref_number = max(size, info_number + 1)

    info = DictionaryObject()
    if "/Info" in trailer:
        for key, value in trailer["/Info"].get_object().items():
            info[NameObject(key)] = value
    for key, value in fields.items():
        info[NameObject(key)] = TextStringObject(value)

    out = bytearray(pdf)
    if not out.endswith(b"\n"):
        out += b"\n"
    info_offset = len(out)
    out += _object(info_number, info)
    xref_offset = len(out)
    offsets = sorted({info_number: info_offset, xref_number: xref_offset}.items())
    width = max(4, (xref_offset.bit_length() + 7) // 8)

    xref = StreamObject()
    xref.update(
        {
            NameObject("/Type"): NameObject("/XRef"),
            NameObject("/Size"): NumberObject(xref_number + 1),
            NameObject("/Root"): trailer.raw_get("/Root"),
            NameObject("/Info"): IndirectObject(info_number, 0, reader),
            NameObject("/Prev"): NumberObject(reader._startxref),
            NameObject("/Index"): ArrayObject(
                NumberObject(n) for number, _ in offsets for n in (number, 1)
            ),
            NameObject("/W"): ArrayObject(NumberObject(n) for n in (1, width, 1)),
        }
    )
    if "/ID" in trailer:
        xref[NameObject("/ID")] = trailer.raw_get("/ID")
    # Type 1 entries: in use, at this offset, generation 0.
    xref.set_data(b"".join(b"\x01" + o.to_bytes(width, "big") + b"\x00" for _, o in offsets))
    out += _object(xref_number, xref)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def _object(number: int, value: PdfObject) -> bytes:
    body = io.BytesIO()
    value.write_to_stream(body)
    return b"%d 0 obj\n" % number + body.getvalue() + b"\nendobj\n"
