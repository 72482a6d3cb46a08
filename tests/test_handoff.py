"""A document handed to the next step in the same process: only while the file is the one
written, and only once."""

from __future__ import annotations

from pathlib import Path

from paperbuild import handoff, jsonio


def test_the_next_step_takes_the_object_written(tmp_path: Path) -> None:
    path = tmp_path / "paper.json"
    doc = {"blocks": [{"t": "Str", "c": "қала"}]}
    handoff.write(path, doc)
    assert jsonio.read(path) == doc
    held = handoff.take(path)
    assert held is not None and held[0] is doc
    assert handoff.take(path) is None  # once: a second reader reads the file
    assert jsonio.read(path) == doc


def test_a_file_changed_since_is_read_not_taken(tmp_path: Path) -> None:
    path = tmp_path / "paper.json"
    handoff.write(path, {"v": 1})
    jsonio.write(path, {"v": 2})  # another writer, a new file in its place
    assert handoff.take(path) is None
    assert jsonio.read(path) == {"v": 2}


def test_one_document_is_held_at_a_time(tmp_path: Path) -> None:
    # The check's document, unclaimed because citeproc ran in another worker, is let go when
    # this worker writes its next one: a book's AST is not kept twice.
    checked, ast = tmp_path / "checked.json", tmp_path / "paper.json"
    handoff.write(checked, {"v": 1})
    handoff.write(ast, {"v": 2})
    assert handoff.take(checked) is None
    assert jsonio.read(checked) == {"v": 1}  # from the file
