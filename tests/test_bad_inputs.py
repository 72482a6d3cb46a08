"""Bad input gets one clear line, a non-zero exit, no traceback, and the last good outputs kept.

The cases are folders of tests/bad_inputs/ laid over a small good paper that was built first;
the large or odd ones are made here.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from lxml import html as lxml_html

from conftest import PNG, doit, make_project

CASES = Path(__file__).parent / "bad_inputs"
GOOD = {"paper.md": "---\ntitle: A Good Paper\n---\n\nText [@a].\n"}
BIB = (
    "@book{a, author = {Doe, Jane}, title = {A Book}, publisher = {P}, address = {X},"
    " year = {2020}}\n"
)
OUTPUTS = ("paper.pdf", "paper.docx", "paper.html")


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("good") / "paper", GOOD, BIB)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    return root


def fails_cleanly(good: Path, tmp_path: Path, change: Callable[[Path], None]) -> str:
    """Copy the built good paper, change it, build: return the one error line."""
    root = tmp_path / "paper"
    shutil.copytree(good, root, symlinks=True)
    before = {name: (root / "build" / name).read_bytes() for name in OUTPUTS}
    change(root)
    result = doit(root)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 1, result.stderr
    assert lines[-1].startswith("1 error, "), result.stderr
    assert {name: (root / "build" / name).read_bytes() for name in OUTPUTS} == before
    return errors[0]


def overlay(case: Path) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        for source in case.rglob("*"):
            if source.is_file() and source.name != "expected.txt":
                target = root / source.relative_to(case)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, target)

    return change


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()), ids=str)
def test_bad_input_folder(good: Path, tmp_path: Path, case: str) -> None:
    expected = (CASES / case / "expected.txt").read_text(encoding="utf-8").strip()
    assert fails_cleanly(good, tmp_path, overlay(CASES / case)) == expected


def test_an_unreadable_manuscript(good: Path, tmp_path: Path) -> None:
    def change(root: Path) -> None:
        (root / "manuscript" / "paper.md").unlink()
        # A link to nothing: unreadable even for root, who reads any file whatever its mode.
        os.symlink(root / "gone" / "paper.md", root / "manuscript" / "paper.md")

    line = fails_cleanly(good, tmp_path, change)
    assert line == (
        "manuscript/paper.md: error: cannot read the file: No such file or "
        "directory; check that it exists and that you may read it"
    )


def test_a_50_mb_manuscript(good: Path, tmp_path: Path) -> None:
    def change(root: Path) -> None:
        paragraph = "Word " * 200 + "\n\n"
        (root / "manuscript" / "paper.md").write_text(
            GOOD["paper.md"] + paragraph * (50 * 1024 * 1024 // len(paragraph)), encoding="utf-8"
        )

    line = fails_cleanly(good, tmp_path, change)
    assert line == (
        "manuscript/paper.md: error: 50.0 MB is more than paperbuild reads in one "
        "file (10 MB); split the manuscript into chapter files"
    )


def test_a_manuscript_large_with_pictures_in_it_says_to_save_them_as_files(
    good: Path, tmp_path: Path
) -> None:
    """Splitting it into chapters, as the message said, would not have helped."""

    def change(root: Path) -> None:
        picture = base64.b64encode(PNG * (11 * 1024 * 1024 // len(PNG))).decode()
        with (root / "manuscript" / "paper.md").open("a", encoding="utf-8") as text:
            text.write(f"\n![Map.](data:image/png;base64,{picture})\n")

    line = fails_cleanly(good, tmp_path, change)
    assert line.startswith("manuscript/paper.md: error: 14.7 MB is more than paperbuild reads")
    assert line.endswith(
        "MB of it are pictures written in as data: URLs: save each as a file in manuscript/ and "
        "show it by its name, ![caption](figure.png)"
    )


def test_a_citation_of_ten_thousand_numbers(good: Path, tmp_path: Path) -> None:
    def change(root: Path) -> None:
        listed = ", ".join(str(n) for n in range(1, 10_001))
        (root / "manuscript" / "paper.md").write_text(
            f"---\ntitle: T\nreference-numbers: [a]\n---\n\nText [1] and [{listed}].\n",
            encoding="utf-8",
        )

    line = fails_cleanly(good, tmp_path, change)
    assert line == (
        "manuscript/paper.md:6:14: error: citation [1, 2, 3, 4, 5, 6, …] cites "
        "10000 works; a bracket cites at most 200: check it for a typo"
    )


def test_ten_thousand_listed_references_missing(good: Path, tmp_path: Path) -> None:
    def change(root: Path) -> None:
        keys = "\n".join(f"  - k{n}" for n in range(1, 10_001))
        (root / "manuscript" / "paper.md").write_text(
            f"---\ntitle: T\nreference-numbers:\n{keys}\n---\n\nText [1].\n", encoding="utf-8"
        )

    line = fails_cleanly(good, tmp_path, change)
    assert line == (
        "manuscript/paper.md:4:5: error: reference-numbers lists 10000 keys the "
        "bibliography does not have (the first: 'k1' as [1]); add them to a .bib "
        "file or correct the keys"
    )


def test_a_bibliography_with_classic_mac_line_endings(good: Path, tmp_path: Path) -> None:
    def change(root: Path) -> None:
        (root / "bibliography" / "references.bib").write_bytes(
            BIB.replace(", ", ",\r  ").replace("\n", "\r").encode()
        )

    line = fails_cleanly(good, tmp_path, change)
    assert line.startswith(
        "bibliography/references.bib: error: its lines end in a carriage return alone"
    )


# 150 block quotes were deeper than orjson writes (254 levels), yet within the old limit.
@pytest.mark.parametrize(
    "nesting", ["> " * 3000 + "deep\n", "- " * 2000 + "deep\n", "> " * 150 + "deep\n"]
)
def test_deeply_nested_markdown(good: Path, tmp_path: Path, nesting: str) -> None:
    def change(root: Path) -> None:
        (root / "manuscript" / "paper.md").write_text(
            GOOD["paper.md"] + "\n" + nesting, encoding="utf-8"
        )

    line = fails_cleanly(good, tmp_path, change)
    assert line == (
        "manuscript/paper.md: error: the text nests too deeply (block quotes, "
        "lists or emphasis inside each other, about a hundred levels or more); "
        "flatten it"
    )


def fails_in_the_pdf(good: Path, tmp_path: Path, change: Callable[[Path], None]) -> list[str]:
    """What gets past the check and stops only Typst: the error lines, the old PDF kept."""
    root = tmp_path / "paper"
    shutil.copytree(good, root, symlinks=True)
    pdf = (root / "build" / "paper.pdf").read_bytes()
    change(root)
    result = doit(root)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert (root / "build" / "paper.pdf").read_bytes() == pdf
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def test_nesting_deeper_than_typst_lays_out(good: Path, tmp_path: Path) -> None:
    """Twenty block quotes read and check, and HTML and DOCX take them; Typst stops at about
    sixteen. Its error names the author's file, not build/paper.typ."""

    def change(root: Path) -> None:
        (root / "manuscript" / "paper.md").write_text(
            GOOD["paper.md"] + "\n" + "> " * 20 + "deep\n", encoding="utf-8"
        )

    assert fails_in_the_pdf(good, tmp_path, change) == [
        "manuscript/paper.md: error: the text nests too deeply for the PDF: Typst lays out "
        "about 16 block quotes, or 35 list levels, inside each other; flatten the deepest nesting"
    ]


@pytest.mark.parametrize(
    ("name", "data", "said"),  # Typst reads a figure by its name, and stops at these
    [
        ("fig.png", b"", "figure 'fig.png' is an empty file; export the figure again"),
        ("fig.jpg", PNG, "figure 'fig.jpg' is a PNG file named as JPEG; rename it to end in .png"),
        (
            "fig.bmp",
            b"BM\0\0",
            "figure 'fig.bmp' is not a picture Typst, Word and browsers show; export it as a "
            "PNG, JPEG, GIF, WebP or SVG file",
        ),
        ("fig.svg", b"hello", "figure 'fig.svg' is not an SVG picture (it has no <svg> tag)"),
        (
            "fig.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg">\n<g><text>cut</svg>',
            "figure 'fig.svg' is not well-formed SVG (line 2: Opening and ending tag mismatch: "
            "text line 2 and svg); Typst cannot read it; export the figure again",
        ),
    ],
)
def test_a_figure_that_is_not_the_picture_its_name_says(
    good: Path, tmp_path: Path, name: str, data: bytes, said: str
) -> None:
    def change(root: Path) -> None:
        (root / "manuscript" / name).write_bytes(data)
        with (root / "manuscript" / "paper.md").open("a", encoding="utf-8") as text:
            text.write(f"\n![A figure.]({name})\n")

    assert fails_cleanly(good, tmp_path, change) == f"manuscript/paper.md:7:14: error: {said}"


def test_a_figure_cut_short_is_an_error_of_the_check(good: Path, tmp_path: Path) -> None:
    """It starts as a PNG does; Typst alone found it cut short, after the HTML and the DOCX
    were written around a broken picture."""

    def change(root: Path) -> None:
        (root / "manuscript" / "whole.png").write_bytes(PNG)
        (root / "manuscript" / "cut.png").write_bytes(PNG[:40])
        with (root / "manuscript" / "paper.md").open("a", encoding="utf-8") as text:
            text.write("\n![Whole.](whole.png)\n\n![Cut.](cut.png)\n")

    line = fails_cleanly(good, tmp_path, change)
    assert line.startswith("manuscript/paper.md:9:9: error: figure 'cut.png' does not read as a ")
    assert line.endswith("it is damaged or cut short; export it again")


def test_a_gif_cut_short_is_an_error_of_the_check(good: Path, tmp_path: Path) -> None:
    """Pillow's verify() reads no GIF frame: one cut short passed the check, and stopped the
    PDF after the HTML and DOCX were written."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), (255, 0, 0)).save(buffer, "GIF")
    whole = buffer.getvalue()

    def change(root: Path) -> None:
        (root / "manuscript" / "cut.gif").write_bytes(whole[: len(whole) // 2])
        with (root / "manuscript" / "paper.md").open("a", encoding="utf-8") as text:
            text.write("\n![Cut.](cut.gif)\n")

    line = fails_cleanly(good, tmp_path, change)
    assert line.startswith("manuscript/paper.md:7:9: error: figure 'cut.gif' does not read as a")


def test_a_figure_too_large_to_place_is_an_error_of_the_check(good: Path, tmp_path: Path) -> None:
    """45,000 x 45,000 pixels took 6 GB and aborted the build in Typst, no line saying why; the
    header alone tells its size."""

    def change(root: Path) -> None:
        header = struct.pack(">IIBBBBB", 45_000, 45_000, 8, 2, 0, 0, 0)
        crc = struct.pack(">I", zlib.crc32(b"IHDR" + header))
        huge = PNG[:8] + struct.pack(">I", 13) + b"IHDR" + header + crc + PNG[33:]
        (root / "manuscript" / "map.png").write_bytes(huge)
        with (root / "manuscript" / "paper.md").open("a", encoding="utf-8") as text:
            text.write("\n![Map.](map.png)\n")

    assert fails_cleanly(good, tmp_path, change) == (
        "manuscript/paper.md:7:9: error: figure 'map.png' is 45000 x 45000 pixels (2025 "
        "megapixels), more than the 250 the PDF can place; scale it down: a full page at "
        "600 dpi is 35 megapixels"
    )


def test_brackets_that_pandoc_reads_in_exponential_time(good: Path, tmp_path: Path) -> None:
    def change(root: Path) -> None:
        body = "\n".join(["[a.__b__]"] * 20)  # jgm/pandoc#11687: minutes without a limit
        (root / "manuscript" / "paper.md").write_text(
            f"---\ntitle: T\n---\n\n{body}\n", encoding="utf-8"
        )

    line = fails_cleanly(good, tmp_path, change)
    assert line == (
        "manuscript/paper.md: error: pandoc did not finish reading it in 8 s; many "
        "nested or repeated square brackets do this: write those that are neither "
        "links nor citations as \\[ and \\]"
    )


def test_a_link_without_a_target_prints_as_its_text_in_every_format(tmp_path: Path) -> None:
    """`[text]()`, as a word processor's conversion leaves one, and a .bib's `doi = {}`: the
    check passed, then Typst stopped the PDF at the empty URL, naming build/paper.typ."""
    text = "---\ntitle: An [empty]() title\n---\n\nAn [empty link]() and [another](<>) [@e9].\n"
    bib = "@article{e9, author={Doe, J.}, title={T}, journal={J}, year={2020}, pages={1},\n"
    bib += "  doi = {}, url = { }}\n"
    root = make_project(tmp_path / "p", {"paper.md": text}, bib)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "manuscript/paper.md:2:11: warning: 3 links have no target (the first: '[empty]()'), "
        "so each prints as its text; give it its URL, or remove the brackets",
        "0 errors, 1 warning",
    ]
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert not [a for a in page.xpath("//a/@href") if not a.strip()]
    assert "An empty link and another" in " ".join(page.text_content().split())
    text_layer = pypdf.PdfReader(root / "build" / "paper.pdf").pages[0].extract_text()
    assert "empty link" in text_layer


def test_a_headings_bookmarks_lead_to_the_heading_in_every_format(tmp_path: Path) -> None:
    """Word's bookmarks, as pandoc converts them (`# []{#_Toc5 .anchor}Кіріспе`): the check
    passed, then Typst stopped the PDF at a link to one, "label <_Toc5> does not exist"."""
    text = (
        "---\ntitle: T\n---\n\n# []{#_Toc5 .anchor}[]{#_Ref6 .anchor}Кіріспе\n\n"
        "# Two []{#_Ref7}\n\nSee [the intro](#_Toc5), [again](#_Ref6), [two](#_Ref7) [@a].\n"
    )
    root = make_project(tmp_path / "p", {"paper.md": text}, "@misc{a, title={T}, year={2020}}\n")
    result = doit(root)
    assert result.returncode == 0, result.stderr
    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert [a for a in page.xpath("//a/@href") if a.startswith("#") and "ref-" not in a] == [
        "#кіріспе",
        "#кіріспе",
        "#two",
    ]
    assert [h.text_content() for h in page.xpath("//h1")][-3:-1] == ["Кіріспе", "Two"]
    assert "Кіріспе" in pypdf.PdfReader(root / "build" / "paper.pdf").pages[0].extract_text()
