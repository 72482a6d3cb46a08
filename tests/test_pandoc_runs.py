"""pandoc runs with its heap tuned where its build allows it, and the output is the same."""

from __future__ import annotations

import pytest

from paperbuild import pandoc

MARKDOWN = "# Тақырып\n\nМәтін [@key] and *emphasis*.\n".encode()


def _json(monkeypatch: pytest.MonkeyPatch, heap: bool) -> bytes:
    monkeypatch.setattr(pandoc, "_heap_option_works", lambda: heap)
    return pandoc.run(["--from", "markdown", "--to", "json"], MARKDOWN).output


def test_the_bundled_pandoc_takes_the_heap_option() -> None:
    assert pandoc._heap_option_works()


def test_the_output_does_not_depend_on_the_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _json(monkeypatch, True) == _json(monkeypatch, False)
