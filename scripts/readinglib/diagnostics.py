"""Findings about the sources, each pinned to ``file:line:column``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. Sorting orders findings by file, then position."""

    path: str
    line: int
    column: int
    severity: Severity
    message: str
    code: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def error(path: str, line: int, column: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, "error", message, code)


def warning(path: str, line: int, column: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, "warning", message, code)
