"""The build steps doit runs, and the one place a user's error is caught."""

from __future__ import annotations

import importlib
from pathlib import Path

from doit.exceptions import TaskFailed

from paperbuild.errors import PaperError

# Each writer is a module of paperbuild.render with `write(project, paths, journal)`.
WRITERS = ("html", "docx", "pdf")


def run(step: str, root: str | Path, journal: str | None) -> TaskFailed | None:
    """Run `parse` or a writer; the author's mistake comes back as a one-line TaskFailed."""
    from paperbuild import document
    from paperbuild.project import Project

    try:
        project = Project.discover(root)
        paths = document.Paths.of(project, journal)
        if step == "parse":
            document.parse(project, paths, journal)
        else:
            writer = importlib.import_module(f"paperbuild.render.{step}")
            writer.write(project, paths, journal)
    except PaperError as error:
        return TaskFailed(str(error))
    return None
