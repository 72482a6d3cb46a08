"""The provenance stamp: an incremental update that every reader sees and Typst's bytes survive."""

from __future__ import annotations

import io
import shutil
import subprocess

import pypdf
import pytest
import typst

from paperbuild.render import pdf_info


def _typst_pdf(tmp_path, pages: int = 3) -> bytes:
    source = tmp_path / "doc.typ"
    body = "\n#pagebreak()\n".join(f"Бет {n}: мәтін." for n in range(1, pages + 1))
    source.write_text('#set document(title: "Тақырып")\n' + body, encoding="utf-8")
    return typst.compile(str(source), root=str(tmp_path), ignore_system_fonts=True)


def test_fields_are_added_and_typsts_bytes_kept(tmp_path) -> None:
    original = _typst_pdf(tmp_path)
    stamped = pdf_info.update(original, {"/PaperbuildCommit": "abc123", "/Creator": "ми"})
    assert stamped.startswith(original)
    reader = pypdf.PdfReader(io.BytesIO(stamped))
    assert reader.metadata["/PaperbuildCommit"] == "abc123"
    assert reader.metadata["/Creator"] == "ми"
    assert reader.metadata["/Title"] == "Тақырып"  # Typst's own entries stay
    assert len(reader.pages) == 3


def test_a_second_update_chains_to_the_first(tmp_path) -> None:
    once = pdf_info.update(_typst_pdf(tmp_path), {"/A": "1"})
    twice = pdf_info.update(once, {"/B": "2"})
    info = pypdf.PdfReader(io.BytesIO(twice)).metadata
    assert info["/A"] == "1" and info["/B"] == "2"


def test_a_pdf_with_a_classic_xref_table(tmp_path) -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    stamped = pdf_info.update(buffer.getvalue(), {"/PaperbuildVersion": "9"})
    reader = pypdf.PdfReader(io.BytesIO(stamped), strict=True)
    assert reader.metadata["/PaperbuildVersion"] == "9" and len(reader.pages) == 1


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils is not installed")
def test_poppler_reads_the_stamp(tmp_path) -> None:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf_info.update(_typst_pdf(tmp_path), {"/Creator": "paperbuild"}))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Creator:         paperbuild" in info and "Pages:           3" in info
