"""What every layout gets: the profile, the front matter written by pandoc, and the body."""

from __future__ import annotations

import contextlib
import hashlib
import os
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jinja2

from paperbuild import document, pandoc, shared_cache, typst_literal, writing_direction
from paperbuild.errors import RenderError
from paperbuild.frontmatter import FrontMatter
from paperbuild.pandoc_ast import Blocks, stringify
from paperbuild.profiles import Profile, base_language
from paperbuild.project import TEMPLATES_DIR, Project
from paperbuild.render import chunks, fragments


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, which a full disk makes slower, not broken."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # compiled again next time
            super().dump_bytecode(bucket)


def environment(profile: Profile, autoescape: bool, fallback: Path) -> jinja2.Environment:
    """Templates compiled once, kept in the shared cache (`fallback`, build/.cache, where there
    is none) until their text changes. The compiled code holds these settings, and Jinja's
    version makes it: each gets a folder of its own."""
    # A profile's own templates win over the shared partials of the same name.
    loader = jinja2.FileSystemLoader([profile.folder, profile.shared_dir / "partials"])
    settings: dict[str, Any] = {
        "autoescape": autoescape,
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    named = repr([shared_cache.version_of("jinja2"), *sorted(settings.items())]).encode()
    folder = f"templates-{hashlib.sha256(named).hexdigest()[:12]}"
    cache_dir, shared = fallback / folder, shared_cache.path(folder)
    if shared is not None:
        with contextlib.suppress(OSError):  # then build/.cache serves
            shared.mkdir(exist_ok=True)
            cache_dir = shared
    cache_dir.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=loader, bytecode_cache=_BytecodeCache(str(cache_dir)), **settings
    )
    # A setting's text (a font's name) written into Typst code as a string literal.
    env.filters["typst_string"] = typst_literal.string
    return env


def write_pieces(
    project: Project,
    profile: Profile,
    front: FrontMatter,
    meta: dict[str, Any],
    body: Blocks,
    to: str,
    args: list[str],
    cache_dir: Path,
    wrap: Any = str,
    figures: chunks.Figures | None = None,
    described: FrontMatter | None = None,
) -> dict[str, Any]:
    """The layout context: every front-matter field and the body, written by pandoc's `to`
    (the body in pieces kept in `cache_dir`, see `chunks`). `described`: the front matter the
    window's title gives, if not `front` (a diff's title holds its changes' markup)."""
    pieces, context = fragments.front_matter_pieces(front, profile.languages)
    args = [*args, *document.pandoc_data_args(profile)]
    # pandoc's writers make nothing of our reference numbers, a book's thousand keys, yet each
    # of its pieces would read them.
    meta = {key: value for key, value in meta.items() if key != "reference-numbers"}
    notes = fragments.lift_notes(pieces) if to == "html5" else []
    if notes:
        body = fragments.notes_first(notes, body)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        front_matter = pool.submit(fragments.write, pieces, meta, to, args, project.root)
        text = chunks.write(body, meta, to, args, project.root, cache_dir, pool, figures)
        written = front_matter.result()
    if notes:
        text, marks = fragments.split_marks(text, len(notes))
        written = fragments.put_marks(written, marks)
    context = fragments.resolve(context, written, wrap)
    for summary in context["summaries"]:
        summary["terms"] = profile.terms_for(front.tag(summary["lang"]), pandoc.translations)
        summary["dir"] = writing_direction.of(summary["lang"])
    return {
        **context,
        "body": wrap(text),
        # No notes' marks or changes: a window's title, the PDF's.
        "title_text": stringify((described or front).title).strip(),
        "lang": front.lang,
        "dir": front.dir,
        "base_lang": base_language(front.lang),
        "terms": profile.terms_for(front.lang, pandoc.translations),
        "profile": profile,
    }


def render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            f"template error: {exc.message}", path=_template_path(exc.filename), line=exc.lineno
        ) from None
    except UnicodeDecodeError:  # a layout saved in another encoding
        path, line = _undecodable(env)
        raise RenderError(
            "not UTF-8 text",
            path=_template_path(path),
            line=line,
            hint="open it in your editor and save it as UTF-8",
        ) from None
    except jinja2.TemplateError as exc:
        # Jinja puts the template's own line in the traceback: the author's place to look.
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        where = frames[-1] if frames else None
        raise RenderError(
            f"template error: {exc}",
            path=_template_path(where.filename) if where else name,
            line=where.lineno if where else None,
            hint="fix the journal's template",
        ) from None


def _undecodable(env: jinja2.Environment) -> tuple[str | None, int | None]:
    """The layout file in `env`'s folders that is not UTF-8, and the line of its first byte
    that is not."""
    loader = env.loader
    folders = loader.searchpath if isinstance(loader, jinja2.FileSystemLoader) else []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.j2")):
            data = path.read_bytes()
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                return str(path), data.count(b"\n", 0, exc.start) + 1
    return None, None


def _template_path(filename: str | None) -> str | None:
    """A layout's file as the author finds it: from templates/ on."""
    if not filename:
        return None
    parts = Path(filename).parts
    if TEMPLATES_DIR not in parts:
        return filename
    return Path(*parts[len(parts) - 1 - parts[::-1].index(TEMPLATES_DIR) :]).as_posix()
