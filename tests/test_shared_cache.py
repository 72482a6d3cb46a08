"""What paperbuild makes from its own inputs (the reference DOCX, the compiled templates) is
kept per user, outside build/, and never stands in for something made from other inputs."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from paperbuild import shared_cache
from tests.conftest import doit, make_project

PAPER = {"paper.md": "---\ntitle: Shared\n---\n\nText of the paper.\n"}


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """For a test that runs paperbuild in its own process: a shared cache of its own."""
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setattr(shared_cache, "_shared", lambda: cache)
    return cache


def _built(root: Path) -> Path:
    result = doit(root)
    assert result.returncode == 0, result.stderr
    return root


def _references(cache: Path) -> list[Path]:
    return sorted(cache.glob("reference-*.docx"))


def _body_size(root: Path) -> Pt:
    return docx.Document(str(root / "build" / "paper.docx")).styles["Normal"].font.size


def test_a_second_project_uses_what_the_first_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("PAPERBUILD_CACHE", str(cache))
    _built(make_project(tmp_path / "one", PAPER))
    made = {path: path.stat().st_mtime_ns for path in cache.rglob("*") if path.is_file()}
    assert len(_references(cache)) == 1
    assert any(path.parent.name.startswith("templates-") for path in made)

    second = _built(make_project(tmp_path / "two", PAPER))
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file() and p in made} == made
    assert _body_size(second) == Pt(11)
    assert "Text of the paper." in (second / "build" / "paper.html").read_text(encoding="utf-8")


def test_a_changed_profile_gets_a_reference_docx_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("PAPERBUILD_CACHE", str(cache))
    first = _built(make_project(tmp_path / "one", PAPER))
    second = make_project(tmp_path / "two", PAPER)
    profile = second / "templates" / "article" / "profile.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace("size: 11pt", "size: 13pt"), encoding="utf-8"
    )
    _built(second)
    assert len(_references(cache)) == 2
    assert (_body_size(first), _body_size(second)) == (Pt(11), Pt(13))


def test_a_changed_template_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERBUILD_CACHE", str(tmp_path / "cache"))
    root = _built(make_project(tmp_path / "p", PAPER))
    layout = root / "templates" / "_shared" / "partials" / "base.html.j2"
    text = layout.read_text(encoding="utf-8")
    assert "<body>" in text
    layout.write_text(text.replace("<body>", "<body>\n<!-- changed layout -->", 1), "utf-8")
    _built(root)
    html = (root / "build" / "paper.html").read_text(encoding="utf-8")
    assert "<!-- changed layout -->" in html


def test_without_a_writable_shared_cache_the_build_keeps_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("PAPERBUILD_CACHE", str(blocked / "cache"))
    root = _built(make_project(tmp_path / "p", PAPER))
    assert len(_references(root / "build" / ".cache")) == 1
    assert _body_size(root) == Pt(11)


def test_the_look_alike_letters_read_back_as_they_were_made(own_cache: Path) -> None:
    from paperbuild import scripts

    def table() -> dict[str, frozenset[str]]:
        scripts._lookalikes.cache_clear()
        return scripts._lookalikes()

    made = table()
    (kept,) = own_cache.glob("lookalikes-*.json")
    assert table() == made
    assert "a" in made["а"] and "о" in made["o"]  # Latin and Cyrillic a, o
    kept.write_bytes(b'["ab')  # cut short: made again, and kept whole again
    assert table() == made
    assert table() == made and kept.read_bytes().startswith(b'["')
    scripts._lookalikes.cache_clear()


def test_a_yaml_file_reads_back_the_same_from_the_shared_cache(
    tmp_path: Path, own_cache: Path
) -> None:
    from paperbuild import yamlio

    plain = tmp_path / "plain.yaml"
    plain.write_text("font: {size: 11pt, justify: true}\nlanguages: [kk, ru]\n", "utf-8")
    first = yamlio.load_file(plain)
    (kept,) = own_cache.glob("yaml-*.json")
    assert (
        yamlio.load_file(plain)
        == first
        == {
            "font": {"size": "11pt", "justify": True},
            "languages": ["kk", "ru"],
        }
    )
    kept.write_bytes(b"{")  # damaged: read from the YAML again
    assert yamlio.load_file(plain) == first

    # What JSON would change is read from the YAML each time: a date, a number as a key.
    for text in ("issued: 2024-01-31\n", "1: one\n"):
        odd = tmp_path / "odd.yaml"
        odd.write_text(text, "utf-8")
        assert yamlio.load_file(odd) == yamlio.load(text)
    assert len(list(own_cache.glob("yaml-*.json"))) == 1

    broken = tmp_path / "broken.yaml"
    broken.write_text("font: [unclosed\n", "utf-8")
    with pytest.raises(yamlio.YAMLError):
        yamlio.load_file(broken)


def test_a_shared_cache_that_cannot_take_more_costs_speed_not_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, own_cache: Path
) -> None:
    import errno

    from paperbuild import atomic, profiles, yamlio
    from paperbuild.render import reference_docx_cache
    from tests.conftest import REPO

    cache = own_cache
    plain_write = atomic.write_bytes

    def full(target: Path, data: bytes) -> None:
        if cache in target.parents:
            raise OSError(errno.ENOSPC, "No space left on device")
        plain_write(target, data)

    monkeypatch.setattr(atomic, "write_bytes", full)
    profile = profiles.load(REPO / "templates", "article")
    build = tmp_path / "build" / ".cache"

    assert yamlio.load_file(profile.folder / "profile.yaml")["csl"] == "chicago-author-date"
    reference = reference_docx_cache.path(profile, build)
    assert reference.parent == build and docx.Document(str(reference)).styles["Normal"]
    assert not list(cache.rglob("*.docx"))


def test_templates_compile_where_the_shared_cache_cannot_keep_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from paperbuild import profiles
    from paperbuild.render import layout
    from tests.conftest import REPO

    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates" / "article", templates / "article")
    shutil.copytree(REPO / "templates" / "_shared", templates / "_shared")
    (templates / "article" / "html.j2").write_text("Hello {{ name }}", encoding="utf-8")
    profile = profiles.load(templates, "article")
    build = tmp_path / "build" / ".cache"

    # Its folder for compiled templates cannot be made (a file stands in the way) ...
    blocker = tmp_path / "blocker"
    blocker.write_text("a file", encoding="utf-8")
    monkeypatch.setattr(shared_cache, "_shared", lambda: blocker / "cache")
    env = layout.environment(profile, True, build)
    assert env.get_template("html.j2").render(name="A") == "Hello A"
    assert list(build.glob("templates-*/*.cache"))

    # ... or it is gone by the time a compiled template would be written there.
    shared = tmp_path / "shared"
    shared.mkdir()
    monkeypatch.setattr(shared_cache, "_shared", lambda: shared)
    env = layout.environment(profile, True, build)
    shutil.rmtree(shared)
    assert env.get_template("html.j2").render(name="B") == "Hello B"
