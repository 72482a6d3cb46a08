"""A long body written in pieces, side by side, and kept between builds.

pandoc writes a book's HTML or Typst in seconds, most of them spent on text that has not changed
since the last build. Cut before each chapter (a top-level heading), every piece is written by
its own pandoc process, on every core, and kept by content: after an edit, only the chapters
that changed are written again. Joined, the pieces are byte for byte what one run over the
whole body gives (tests compare the two). Where that could not hold, the body is written in one
piece: in HTML, footnotes (numbered and gathered at the end), code blocks (numbered) and
section numbers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paperbuild import jsonio, pandoc
from paperbuild.pandoc_ast import Blocks

SMALL = 512 * 1024  # bytes of JSON, about 30 pages
# What pandoc puts between a paragraph and the next block in each writer's output.
SEPARATORS = {"html5": "\n", "typst-citations": "\n\n"}
# HTML's writer numbers footnotes and code blocks across the document; in compact JSON an
# element starts so (a Str's quotes would be escaped).
_NUMBERED_IN_HTML = (b'"t":"Note"', b'"t":"CodeBlock"')
_IMAGE = b'"t":"Image"'


def cut(blocks: Blocks) -> list[Blocks]:
    """The body cut before each top-level heading that follows a paragraph: between those two,
    both writers put what `SEPARATORS` says (after a heading or a Div, Typst's puts less)."""
    starts = [0] + [
        i
        for i in range(1, len(blocks))
        if blocks[i]["t"] == "Header" and blocks[i]["c"][0] == 1 and blocks[i - 1]["t"] == "Para"
    ]
    return [blocks[a:b] for a, b in zip(starts, [*starts[1:], len(blocks)], strict=True)]


@dataclass(frozen=True)
class Figures:
    """What to do to a piece's figures before it is written (embed them, say), and what the
    result depends on besides their paths (the files' sizes and times)."""

    prepare: Callable[[Blocks], None]
    key: bytes


def write(
    body: Blocks,
    meta: dict[str, Any],
    to: str,
    args: list[str],
    cwd: Path,
    cache_dir: Path,
    pool: Executor,
    figures: Figures | None = None,
) -> str:
    """`body` as pandoc's writer `to` writes it with `args` (after `--wrap=none`), from the
    cache in `cache_dir` where a piece is unchanged; `figures` is applied to the pieces that
    are written, so an unchanged book is not walked for them."""
    meta_json = jsonio.dumps(meta)
    parts = cut(body)
    pieces = [jsonio.dumps(part) for part in parts]
    # A paper of a few pages is written in one piece: a pandoc process costs more than it saves.
    if (
        sum(map(len, pieces)) <= SMALL
        or to not in SEPARATORS
        or (
            to == "html5"
            and (
                "--number-sections" in args
                or any(mark in p for p in pieces for mark in _NUMBERED_IN_HTML)
            )
        )
    ):
        parts, pieces = [body], [jsonio.dumps(body)]
    fixed = _fixed(to, args, meta_json) + (figures.key if figures else b"")
    keys = [hashlib.sha256(fixed + piece).hexdigest() for piece in pieces]

    def one(job: tuple[Blocks, bytes, str]) -> str:
        blocks, piece, key = job
        return _piece(blocks, piece, key, meta_json, to, args, cwd, cache_dir, figures)

    texts = list(pool.map(one, zip(parts, pieces, keys, strict=True)))
    jsonio.prune(cache_dir, {f"{key}.json" for key in keys})
    return SEPARATORS.get(to, "\n").join(texts)


def _piece(
    blocks: Blocks,
    piece: bytes,
    key: str,
    meta_json: bytes,
    to: str,
    args: list[str],
    cwd: Path,
    cache: Path,
    figures: Figures | None,
) -> str:
    path = cache / f"{key}.json"
    try:
        record = jsonio.read(path)
    except (OSError, ValueError):
        if figures is not None and _IMAGE in piece:
            figures.prepare(blocks)
            piece = jsonio.dumps(blocks)
        doc = {
            "pandoc-api-version": pandoc.API_VERSION,
            "meta": jsonio.Fragment(meta_json),
            "blocks": jsonio.Fragment(piece),
        }
        result = pandoc.run(
            ["--from", "json", "--to", to, "--wrap=none", *args], data=jsonio.dumps(doc), cwd=cwd
        )
        record = {"text": result.output.decode("utf-8").strip("\n"), "warnings": result.warnings}
        jsonio.write(path, record)
    pandoc.report(record["warnings"])
    return str(record["text"])


def _fixed(to: str, args: list[str], meta_json: bytes) -> bytes:
    """What every piece's output depends on besides its own blocks."""
    parts = [pandoc.version(), to, *args]
    if "--data-dir" in args:  # our translations, which a writer may print
        data_dir = Path(args[args.index("--data-dir") + 1])
        parts += [p.read_text("utf-8") for p in sorted(data_dir.glob("translations/*.yaml"))]
    return "\0".join(parts).encode() + b"\0" + meta_json + b"\0"
