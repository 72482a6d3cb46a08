"""Where one journal's build writes: a module of its own, light to import, so the check can
start pandoc before it loads the rest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from paperbuild.project import Project


@dataclass(frozen=True)
class Paths:
    """Where one journal's build writes."""

    out_dir: Path

    @property
    def ast(self) -> Path:
        return self.out_dir / "paper.json"

    @property
    def checked(self) -> Path:
        """The document as the check leaves it: real citations, before citeproc."""
        return self.out_dir / "paper.checked.json"

    @property
    def report(self) -> Path:
        return self.out_dir / "check.json"

    @property
    def style(self) -> Path:
        return self.out_dir / "style.csl"

    @property
    def cache_dir(self) -> Path:
        return self.out_dir / ".cache"

    @property
    def figures_elsewhere(self) -> Path:
        """The figures outside manuscript/ the last check that passed found the paper showing,
        one path (from the project's root) a line: what the next `doit` watches beside the
        manuscript folder."""
        return self.cache_dir / "figures-elsewhere.txt"

    def figures_elsewhere_names(self) -> list[str]:
        try:
            return self.figures_elsewhere.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []

    def figures_elsewhere_state(self, root: Path) -> str:
        """Each of those figures with its size and time, or as missing: what changes when one
        does."""
        stamps = []
        for name in self.figures_elsewhere_names():
            try:
                found = (root / name).stat()
            except OSError:
                stamps.append(f"{name}:missing")
                continue
            stamps.append(f"{name}:{found.st_size}:{found.st_mtime_ns}")
        return "\n".join(stamps)

    def output(self, ext: str) -> Path:
        return self.out_dir / f"paper.{ext}"

    @classmethod
    def of(cls, project: Project, journal: str | None) -> Paths:
        """build/ for the manuscript's own journal, build/<id>/ for a command-line override."""
        build = project.build_dir
        return cls(build / journal if journal else build)
