"""The errors a user sees: one compiler-style line each, never a traceback."""

from __future__ import annotations

from pathlib import Path


class PaperError(Exception):
    """A problem in the author's input, reported as `path:line:col: error: message`."""

    severity = "error"

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.col = col
        self.hint = hint

    def location(self) -> str:
        parts = [self.path or "paperbuild"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.severity}: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return text


class ProjectError(PaperError):
    """The project's layout is not what paperbuild needs (missing folders, no manuscript)."""


class ManuscriptError(PaperError):
    """A manuscript file paperbuild cannot take as it is (too large, nested too deep, empty)."""


class FrontMatterError(PaperError):
    """The manuscript's YAML front matter is missing something or has a wrong value; `key`:
    the top-level key whose value is wrong, so the chapter that gives it can be named."""

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message, path, line, col, hint)
        self.key = key


class EncodingError(PaperError):
    """A source file that is not UTF-8 text."""


class ProfileError(PaperError):
    """A journal profile (templates/<id>/profile.yaml) is invalid or missing."""


class BibliographyError(PaperError):
    """A .bib file that cannot be read as a bibliography."""


class RenderError(PaperError):
    """A writer (pandoc, typst, a template) failed on the author's document."""


class FormatWarning(PaperError):
    """Something one output format will lack, said without stopping the build."""

    severity = "warning"


class ToolError(PaperError):
    """An external tool (pandoc) failed; `stderr` keeps all it said, for callers that can
    turn it into the author's terms."""

    stderr = ""
