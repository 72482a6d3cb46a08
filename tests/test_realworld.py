"""Real manuscripts by other authors (../shared/realworld) build, or fail the way they should."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pypdf
from lxml import html as lxml_html

from conftest import copy_realworld, doit


def test_pandoc_scholar_article_builds_in_every_format(tmp_path: Path) -> None:
    root = copy_realworld("en-article-pandoc-scholar", tmp_path / "article")
    result = doit(root)
    assert result.returncode == 0, result.stderr
    # `@method:shotton_cito_2010` is pandoc-scholar's CiTO typing of `shotton_cito_2010`.
    assert "not found" not in result.stderr
    assert "0 errors" in result.stderr

    page = lxml_html.parse(str(root / "build" / "paper.html")).getroot()
    assert page.get("lang") == "en-US"  # no `lang` in its front matter: the default
    images = page.xpath("//img")
    assert len(images) == 8 and all(i.get("src").startswith("data:image/png") for i in images)
    headings = [h.text_content() for h in page.xpath("//h1")]
    assert headings.count("Bibliography") == 1  # the author's heading, not a second one of ours
    references = " ".join(page.xpath("//div[@id='refs']")[0].text_content().split())
    # No journal named: the plain article profile, Chicago author-date in English.
    assert "Woelfle, Michael, Piero Olliaro, and Matthew H. Todd. 2011." in references
    assert "Shotton, David" in references and "Berners-Lee, Tim" in references  # CiTO-typed
    for russian in ("Т.", "С.", "под ред."):
        assert russian not in references
    for link in page.xpath("//a[starts-with(@href, '#')]"):
        assert page.xpath(f"//*[@id='{link.get('href')[1:]}']"), link.get("href")

    reader = pypdf.PdfReader(root / "build" / "paper.pdf")
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) > 10
    assert "Formatting Open Science" in text
    assert re.search(r"Krewinkel", text)

    document = docx.Document(root / "build" / "paper.docx")
    assert len(document.inline_shapes) == 8
    assert "Bibliography" in [p.text for p in document.paragraphs]


def test_thesis_with_a_missing_figure_names_it(tmp_path: Path) -> None:
    root = copy_realworld("en-thesis-template-pollard", tmp_path / "thesis")
    result = doit(root)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 1 and lines[-1].startswith("1 error, ")
    assert re.match(
        r"manuscript/\d\d-chapter_\d\.md:\d+:\d+: error: figure 'source/figures/example_figure.pdf'"
        r" not found",
        errors[0],
    ), errors[0]
    assert not list((root / "build").glob("paper.*"))
