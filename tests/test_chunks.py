"""A body written in pieces joins to exactly what pandoc writes in one run, and an edit writes
only the piece it touched again."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from paperbuild import pandoc
from paperbuild.render import chunks

from conftest import REALWORLD

CHAPTER = """# Chapter {n}

Text of chapter {n} with *emphasis*, a [link](https://example.org) and $x^{n}$.

## Section {n}.1

- an item
- another

| a | b |
|---|---|
| 1 | 2 |

: A table

::: {{#box-{n} .note}}
A div that ends the chapter.
:::

# Interlude {n}

# Chapter {n} again

Closing paragraph of chapter {n}.
"""


@pytest.fixture(autouse=True)
def cut_small_bodies_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # These bodies are a few pages, which `write` keeps in one piece; cut them to test cutting.
    monkeypatch.setattr(chunks, "SMALL", 0)


def _ast(markdown: str) -> dict:
    return json.loads(pandoc.run(["--from", "markdown", "--to", "json"], markdown.encode()).output)


def _whole(doc: dict, to: str, args: list[str]) -> str:
    result = pandoc.run(
        ["--from", "json", "--to", to, "--wrap=none", *args], json.dumps(doc).encode()
    )
    return result.output.decode("utf-8").strip("\n")


def _pieces(doc: dict, to: str, args: list[str], cache: Path) -> str:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return chunks.write(doc["blocks"], doc["meta"], to, args, Path.cwd(), cache, pool)


BODIES = {
    "chapters": "\n".join(CHAPTER.format(n=n) for n in range(1, 6)),
    "footnotes": "\n".join(
        CHAPTER.format(n=n) + f"\nA note.[^n{n}]\n\n[^n{n}]: Note {n}.\n" for n in range(1, 4)
    ),
    "code": "\n".join(CHAPTER.format(n=n) + "\n```python\nprint(1)\n```\n" for n in range(1, 4)),
    "one section": "Just a paragraph.\n\nAnd another.\n",
}


@pytest.mark.parametrize("to", ["html5", "typst-citations"])
@pytest.mark.parametrize("body", sorted(BODIES))
def test_pieces_join_to_the_whole(tmp_path: Path, body: str, to: str) -> None:
    doc = _ast(f"---\ntitle: T\nlang: kk\n---\n\n{BODIES[body]}")
    assert _pieces(doc, to, [], tmp_path / "cache") == _whole(doc, to, [])


def test_numbered_html_sections_are_written_whole(tmp_path: Path) -> None:
    doc = _ast(BODIES["chapters"])
    args = ["--number-sections"]
    assert _pieces(doc, "html5", args, tmp_path / "c") == _whole(doc, "html5", args)
    assert len(list((tmp_path / "c").iterdir())) == 1


@pytest.mark.parametrize("name", ["en-article-pandoc-scholar", "fr-phd-thesis-mitosis"])
def test_real_manuscripts(tmp_path: Path, name: str) -> None:
    source = REALWORLD / name / "manuscript"
    if not source.is_dir():
        pytest.skip(f"{source} is not here")
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(source.glob("*.md")))
    doc = _ast(text)
    for to in ("html5", "typst-citations"):
        assert _pieces(doc, to, [], tmp_path / to) == _whole(doc, to, [])


def test_an_edit_writes_only_its_piece_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    doc = _ast(BODIES["chapters"])
    _pieces(doc, "typst-citations", [], cache)
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(before) == 5  # a piece per chapter: cut only where a paragraph ends one

    edited = _ast(BODIES["chapters"].replace("Closing paragraph of chapter 3", "Edited"))
    text = _pieces(edited, "typst-citations", [], cache)
    assert "Edited" in text
    after = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(set(after) - set(before)) == 1  # one piece written again
    assert len(set(before) - set(after)) == 1  # and the one it replaces is gone
    assert all(after[name] == before[name] for name in set(after) & set(before))


def test_a_short_paper_is_one_piece(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunks, "SMALL", 512 * 1024)
    doc = _ast(BODIES["chapters"])
    assert _pieces(doc, "typst-citations", [], tmp_path / "c") == _whole(doc, "typst-citations", [])
    assert len(list((tmp_path / "c").iterdir())) == 1
