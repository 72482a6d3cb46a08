"""What the check found: problems as compiler-style lines, the citations, and their table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from paperbuild import jsonio

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding: `path:line:col: severity: message`; line and col may be unknown."""

    severity: str
    message: str
    path: str | None = None
    line: int | None = None
    col: int | None = None

    def sort_key(self, order: dict[str, int]) -> tuple[int, str, int, int, str]:
        path = self.path or ""
        return (order.get(path, len(order)), path, self.line or 0, self.col or 0, self.message)

    def __str__(self) -> str:
        where = [self.path or "paperbuild"]
        if self.line is not None:
            where.append(str(self.line))
            if self.col is not None:
                where.append(str(self.col))
        return f"{':'.join(where)}: {self.severity}: {self.message}"


def error(
    message: str, path: str | None = None, line: int | None = None, col: int | None = None
) -> Problem:
    return Problem(ERROR, message, path, line, col)


def warning(
    message: str, path: str | None = None, line: int | None = None, col: int | None = None
) -> Problem:
    return Problem(WARNING, message, path, line, col)


@dataclass(frozen=True)
class Citation:
    """One cited work at one place: `[2, с. 14]` gives number 2, its key and locator."""

    key: str | None  # None when a number resolves to nothing
    written: str  # as pandoc read it: "[2, с. 14]" or "@smith2020"
    path: str
    line: int | None
    col: int | None
    number: int | None = None  # the number the author typed, for numeric citations
    locator: str = ""


@dataclass(frozen=True)
class TableRow:
    """What a number means: [4] → its key → the reference as the journal's style prints it."""

    number: int
    key: str
    reference: str


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    table: list[TableRow] = field(default_factory=list)
    order: dict[str, int] = field(default_factory=dict)  # files in reading order

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda problem: problem.sort_key(self.order))

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)

    def failed(self, strict: bool = False) -> bool:
        return self.count(ERROR) > 0 or (strict and self.count(WARNING) > 0)

    def summary(self) -> str:
        errors, warnings = self.count(ERROR), self.count(WARNING)
        return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"

    def lines(self) -> list[str]:
        return [*(str(p) for p in self.sorted_problems()), self.summary()]

    def table_lines(self) -> list[str]:
        width = max((len(str(row.number)) for row in self.table), default=1) + 2
        keys = max((len(row.key) for row in self.table), default=0)
        return [
            f"{f'[{row.number}]':<{width}} {row.key:<{keys}}  {row.reference}" for row in self.table
        ]

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "summary": {"errors": self.count(ERROR), "warnings": self.count(WARNING)},
            "problems": [{**vars(p), "text": str(p)} for p in self.sorted_problems()],
            # vars(), not asdict(): these records are flat, and a book has thousands of them.
            "citations": [vars(c) for c in self.citations],
            "table": [vars(row) for row in self.table],
        }
        # orjson: a book's report is thousands of records, ten times faster than json's.
        return jsonio.dumps_indented(data).decode("utf-8") + "\n"
