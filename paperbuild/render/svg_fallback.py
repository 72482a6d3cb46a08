"""A PNG beside each SVG figure of a DOCX, for the programs that show no SVG.

pandoc's writer makes the PNG with rsvg-convert, a program of its own to install; without it
a figure is an SVG alone, which Word shows since 2016, but LibreOffice and earlier Word show
as an empty box. Typst, which sets the PDF, draws the PNG here, at the size the figure has on
the page: the picture points at the PNG, and Word 2016 and later still take the SVG.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from paperbuild import atomic, jsonio
from paperbuild.provenance import typst_version

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_EMU_PER_POINT = 12700
# Pixels per inch of the PNG: sharp on a screen and on paper, a few hundred kB a figure.
PPI = 192


class Fallbacks:
    """The edits of one package: `edit` for its members, `added` for the PNGs."""

    def __init__(self, package: bytes, cache_dir: Path) -> None:
        self.added: dict[str, bytes] = {}
        self._cache_dir = cache_dir
        self._used: set[str] = set()  # the kept PNGs this package shows
        self._relations: dict[str, str] = {}  # new relationship id: its PNG's target
        self._named: dict[bytes, str] = {}  # each PNG drawn: its target
        with zipfile.ZipFile(io.BytesIO(package)) as source:
            names = source.namelist()
            wanted = [n for n in names if n.startswith("word/media/") and n.endswith(".svg")]
            self._members = {
                name: source.read(name)
                for name in [*wanted, "word/document.xml", "word/_rels/document.xml.rels"]
                if wanted and name in names
            }
        # The document first: what it points at decides the other members' edits.
        document = self._members.get("word/document.xml")
        self._document_edited = self._document(document) if document is not None else None

    def forget_unused(self) -> None:
        """Delete the kept PNGs this package did not show: each edit of a figure (or its size)
        would otherwise leave one more."""
        jsonio.prune(self._cache_dir, self._used, "*.png")

    def edit(self, name: str, data: bytes) -> bytes:
        if name == "word/document.xml" and self._document_edited is not None:
            return self._document_edited
        if name == "word/_rels/document.xml.rels":
            return self._relationships(data)
        if name == "[Content_Types].xml":
            return self._content_types(data)
        return data

    def _document(self, data: bytes) -> bytes:
        root = etree.fromstring(data)
        targets = self._targets()
        taken = set(targets)
        changed = False
        embed = f"{{{NS['r']}}}embed"
        for blip in root.iterfind(".//a:blip", NS):
            svg = blip.find(".//asvg:svgBlip", NS)
            if svg is None or blip.get(embed):
                continue
            svg_id = svg.get(embed, "")
            target = targets.get(svg_id)
            extent = next(blip.iterancestors(f"{{{NS['wp']}}}inline", f"{{{NS['wp']}}}anchor"))
            size = extent.find("wp:extent", NS)
            if target is None or size is None:
                continue
            drawn = self._png(target, int(size.get("cx", "0")), int(size.get("cy", "0")))
            if drawn is None:
                continue
            ident = _free(f"{svg_id}png", taken)
            taken.add(ident)
            # A PNG per size the figure is shown at; the same drawing twice is one part.
            png = self._named.setdefault(
                drawn, str(PurePosixPath(target).with_name(f"{ident}.png"))
            )
            self._relations[ident] = png
            self.added[f"word/{png}"] = drawn
            blip.set(embed, ident)
            changed = True
        if not changed:
            return data
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _targets(self) -> dict[str, str]:
        """Each image relationship's id and target (`media/rId9.svg`)."""
        root = etree.fromstring(self._members["word/_rels/document.xml.rels"])
        return {
            rel.get("Id", ""): rel.get("Target", "")
            for rel in root.iterfind("rel:Relationship", NS)
            if rel.get("Type") == _IMAGE
        }

    def _png(self, target: str, cx: int, cy: int) -> bytes | None:
        svg = self._members.get(f"word/{target}")
        if svg is None or cx <= 0 or cy <= 0:
            return None
        width, height = cx / _EMU_PER_POINT, cy / _EMU_PER_POINT
        seed = b"\0".join(
            [svg, f"{width:.3f}x{height:.3f}@{PPI}".encode(), typst_version().encode()]
        )
        kept = self._cache_dir / f"{hashlib.sha256(seed).hexdigest()}.png"
        self._used.add(kept.name)
        if kept.is_file():
            return kept.read_bytes()
        drawn = _drawn(svg, width, height)
        if drawn is None:  # the PDF says so: Typst draws the figure there too
            return None
        atomic.write_bytes(kept, drawn)
        return drawn

    def _relationships(self, data: bytes) -> bytes:
        if not self._relations:
            return data
        root = etree.fromstring(data)
        for ident, target in sorted(self._relations.items()):
            relation = etree.SubElement(root, f"{{{NS['rel']}}}Relationship")
            relation.set("Type", _IMAGE)
            relation.set("Id", ident)
            relation.set("Target", target)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _content_types(self, data: bytes) -> bytes:
        if not self._relations:
            return data
        root = etree.fromstring(data)
        known = {d.get("Extension", "").lower() for d in root.iterfind("ct:Default", NS)}
        if "png" in known:
            return data
        default = etree.Element(f"{{{NS['ct']}}}Default")
        default.set("Extension", "png")
        default.set("ContentType", "image/png")
        root.insert(0, default)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _free(ident: str, taken: set[str]) -> str:
    candidate, number = ident, 1
    while candidate in taken:
        candidate, number = f"{ident}{number}", number + 1
    return candidate


def _drawn(svg: bytes, width: float, height: float) -> bytes | None:
    """The SVG drawn by Typst as a PNG of `width` by `height` points; None if it cannot."""
    import typst

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "figure.svg").write_bytes(svg)
        source = (
            f"#set page(width: {width:.3f}pt, height: {height:.3f}pt, margin: 0pt)\n"
            '#image("figure.svg", width: 100%, height: 100%, fit: "stretch")\n'
        )
        (Path(folder) / "main.typ").write_text(source, encoding="utf-8")
        try:
            drawn = typst.compile(
                str(Path(folder) / "main.typ"), root=folder, format="png", ppi=PPI
            )
        except Exception:  # an SVG Typst cannot read: the figure stays SVG alone
            return None
    return drawn if isinstance(drawn, bytes) else None
