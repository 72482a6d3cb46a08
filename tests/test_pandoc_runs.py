"""pandoc runs with its heap tuned where its build allows it, and the output is the same."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from paperbuild import pandoc

MARKDOWN = "# Тақырып\n\nМәтін [@key] and *emphasis*.\n".encode()


def _json(monkeypatch: pytest.MonkeyPatch, heap: bool) -> bytes:
    monkeypatch.setattr(pandoc, "_heap_refused", not heap)
    return pandoc.run(["--from", "markdown", "--to", "json"], MARKDOWN).output


def test_the_bundled_pandoc_takes_the_heap_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pandoc, "_heap_refused", False)
    pandoc.run(["--from", "markdown", "--to", "json"], MARKDOWN)
    assert pandoc._heap_option_works()


def test_the_output_does_not_depend_on_the_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _json(monkeypatch, True) == _json(monkeypatch, False)


@pytest.mark.parametrize(
    "refusal",
    [
        "pandoc: Most RTS options are disabled. Use hs_init_ghc() or link with -rtsopts to "
        "enable them.",
        "pandoc: unknown RTS option: -O64m",
    ],
)
def test_a_pandoc_built_without_rts_options_runs_without_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, refusal: str
) -> None:
    # What GHC prints, and all it does, when a program not linked with -rtsopts is given them.
    fake = tmp_path / "pandoc"
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "+RTS" ]; then\n'
        f'  echo "{refusal}" >&2\n'
        "  exit 1\n"
        "fi\n"
        f'exec "{pandoc.executable()}" "$@"\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(pandoc, "executable", lambda: str(fake))
    monkeypatch.setattr(pandoc, "_heap_refused", False)
    expected = pandoc.run(["--from", "markdown", "--to", "json"], MARKDOWN).output
    assert expected.startswith(b'{"pandoc-api-version"')
    assert not pandoc._heap_option_works()  # remembered: the next run does not try again
    assert pandoc.run(["--from", "markdown", "--to", "json"], MARKDOWN).output == expected


def test_a_pandoc_error_is_still_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pandoc, "_heap_refused", False)
    with pytest.raises(pandoc.ToolError, match="pandoc failed"):
        pandoc.run(["--from", "no-such-format"], MARKDOWN)
    assert pandoc._heap_option_works()  # an error of pandoc's own is not GHC refusing the heap


def test_pandoc_is_asked_its_version_once_per_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remembered outside build/: a cold build runs no `pandoc --version` of its own."""
    pandoc.version.cache_clear()
    asked = pandoc.version()
    pandoc.version.cache_clear()
    monkeypatch.setattr(pandoc, "_asked_version", lambda: pytest.fail("asked pandoc again"))
    try:
        assert pandoc.version() == asked and asked.startswith("3.")
    finally:
        pandoc.version.cache_clear()


def test_pandoc_is_asked_a_languages_words_once_per_binary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pandoc.translations.cache_clear()
    asked = pandoc.translations("de-DE")
    pandoc.translations.cache_clear()
    monkeypatch.setattr(pandoc, "_asked_translations", lambda lang: pytest.fail("asked again"))
    try:
        assert pandoc.translations("de-DE") == asked and asked["Figure"] == "Abbildung"
    finally:
        pandoc.translations.cache_clear()


def _reporting_niceness(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A pandoc that, once it has been running a while, prints its own niceness."""
    fake = tmp_path / "pandoc"
    fake.write_text("#!/bin/sh\nsleep 0.5\nnice\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(pandoc, "executable", lambda: str(fake))
    monkeypatch.setattr(pandoc, "_heap_refused", True)


@pytest.mark.parametrize(
    ("writer", "lowered"),
    [("html5", True), ("docx+native_numbering", True), ("typst-citations", False), ("json", False)],
)
def test_the_html_and_docx_writers_yield_to_the_pdf(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, writer: str, lowered: bool
) -> None:
    _reporting_niceness(monkeypatch, tmp_path)
    ours = os.nice(0)
    niceness = int(pandoc.run(["--from", "json", "--to", writer], b"{}").output)
    assert niceness == (max(ours, pandoc._NICE) if lowered else ours)


def test_a_run_past_its_time_is_killed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "pandoc"
    fake.write_text(f"#!/bin/sh\necho $$ > {tmp_path / 'pid'}\nexec sleep 30\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(pandoc, "executable", lambda: str(fake))
    monkeypatch.setattr(pandoc, "_heap_refused", True)
    with pytest.raises(subprocess.TimeoutExpired):
        pandoc.run(["--to", "html5"], b"", timeout=0.5)
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, and waited for: not even a zombie is left
