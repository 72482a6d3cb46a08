"""Paper projects in temporary folders, built with doit as an author would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typst

REPO = Path(__file__).resolve().parents[1]
# A real picture, 4 pt square, for the figures of test papers.
PNG = typst.compile(b"#set page(width: 4pt, height: 4pt)", format="png")
REALWORLD = REPO.parent / "shared" / "realworld"


@pytest.fixture(scope="session", autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """paperbuild's per-user cache, one for the session (the builds inherit it): the tests
    neither read what the machine's builds left in ~/.cache nor leave anything there."""
    folder = tmp_path_factory.mktemp("shared-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAPERBUILD_CACHE", str(folder))
        yield folder


def kz_front_matter(lang: str = "kk-KZ") -> str:
    """YAML lines with everything kz-journal requires, for fixtures formatted for it."""
    return (
        f"journal: kz-journal\nlang: {lang}\ntitle: Тақырып\n"
        "translated-title: {kk: Тақырып, ru: Заголовок, en: Title}\n"
        "author: [Автор А. А.]\nudc: '342'\nirsti: '10.15'\n"
        "abstract: {kk: Аңдатпа мәтіні., ru: Текст аннотации., en: Abstract text.}\n"
        "keywords: {kk: [құқық], ru: [право], en: [law]}\n"
    )


def make_project(
    root: Path,
    chapters: dict[str, str] | None = None,
    bib: str | None = None,
    sample: bool = False,
) -> Path:
    """A paper project: this repository's templates and dodo.py, plus a manuscript."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "dodo.py", root / "dodo.py")
    if sample:
        shutil.copytree(REPO / "manuscript", root / "manuscript")
        shutil.copytree(REPO / "bibliography", root / "bibliography")
    for name, text in (chapters or {}).items():
        path = root / "manuscript" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if bib is not None:
        (root / "bibliography").mkdir(exist_ok=True)
        (root / "bibliography" / "references.bib").write_text(bib, encoding="utf-8")
    return root


def copy_realworld(name: str, root: Path) -> Path:
    source = REALWORLD / name
    if not source.is_dir():
        pytest.skip(f"{source} is not here (../shared/realworld)")
    make_project(root)
    shutil.copytree(source / "manuscript", root / "manuscript")
    shutil.copytree(source / "bibliography", root / "bibliography")
    return root


def doit(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "doit", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def pdf_images(pdf: Path) -> int:
    """How many images the PDF's pages draw (counted in their resources, not decoded)."""
    import pypdf

    count = 0
    for page in pypdf.PdfReader(pdf).pages:
        objects = page.get("/Resources", {}).get("/XObject", {})
        count += sum(1 for o in objects.values() if o.get_object()["/Subtype"] == "/Image")
    return count


def embedded_fonts(pdf: Path) -> dict[str, bool]:
    """Each font of a PDF, and whether its file is embedded."""
    import pypdf

    fonts = {}
    for page in pypdf.PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


def libreoffice_text(document: Path, workdir: Path) -> str:
    """The text of `document` as LibreOffice reads it (converted to PDF); skips without it."""
    import shutil as which
    import subprocess

    import pypdf

    soffice = which.which("soffice") or which.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{workdir}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(document),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    pdf = workdir / f"{document.stem}.pdf"
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)


# A LibreOffice Basic macro: open a document, accept or reject all its tracked changes, save
# its text. LibreOffice runs a macro only from a profile it has made, so it is put in after.
_RESOLVE = """Sub Resolve(inPath As String, outPath As String, command As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), "_blank", 0, args())
  dispatcher = createUnoService("com.sun.star.frame.DispatchHelper")
  Dim none()
  dispatcher.executeDispatch(doc.getCurrentController().getFrame(), command, "", 0, none())
  Dim save(0) As New com.sun.star.beans.PropertyValue
  save(0).Name = "FilterName"
  save(0).Value = "Text"
  doc.storeToURL(ConvertToURL(outPath), save())
  doc.close(True)
End Sub
"""


def _basic_module(code: str) -> str:
    from xml.sax.saxutils import escape

    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" '
        'script:name="Module1" script:language="StarBasic">'
        f"{escape(code, {chr(34): '&quot;'})}</script:module>\n"
    )


def libreoffice_resolved(document: Path, workdir: Path, accept: bool) -> str:
    """The text of `document` after LibreOffice's Accept All (or Reject All) of its tracked
    changes; skips without LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    profile = workdir / "profile"
    module = profile / "user" / "basic" / "Standard" / "Module1.xba"
    if not module.exists():
        run = [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}"]
        subprocess.run([*run, "--terminate_after_init"], capture_output=True, timeout=180)
        module.write_text(_basic_module(_RESOLVE), encoding="utf-8")
    command = ".uno:AcceptAllTrackedChanges" if accept else ".uno:RejectAllTrackedChanges"
    out = workdir / f"{document.stem}-{'accepted' if accept else 'rejected'}.txt"
    macro = f'macro:///Standard.Module1.Resolve("{document}","{out}","{command}")'
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}", macro],
        capture_output=True,
        timeout=180,
    )
    return out.read_text(encoding="utf-8-sig")


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample paper, built once with `doit` for all tests that read its outputs."""
    root = make_project(tmp_path_factory.mktemp("sample"), sample=True)
    result = doit(root)
    assert result.returncode == 0, result.stderr
    return root
