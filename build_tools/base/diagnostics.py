"""Diagnostics: one format for every problem the tools report.

``path:line:col: error[CODE]: message`` (1-based), followed by a hint line.
"""

from __future__ import annotations

import enum
import json
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True, order=True)
class Loc:
    """A place in a source file; line and column are 1-based."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: where, what, and how to fix it."""

    loc: Loc
    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        text = f"{self.loc}: {self.severity.value}[{self.code}]: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.loc.path,
            "line": self.loc.line,
            "column": self.loc.col,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(loc: Loc, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(loc, code, message, hint, Severity.ERROR)


def warning(loc: Loc, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(loc, code, message, hint, Severity.WARNING)


@dataclass
class Report:
    """Diagnostics gathered by a run; sorted for stable output."""

    items: list[Diagnostic] = field(default_factory=list)

    def extend(self, diags: list[Diagnostic] | Report) -> None:
        self.items.extend(diags.items if isinstance(diags, Report) else diags)

    def add(self, diag: Diagnostic) -> None:
        self.items.append(diag)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.items if d.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.items if not d.is_error)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    def sorted(self) -> list[Diagnostic]:
        unique = {(d.loc, d.code, d.message): d for d in self.items}
        return sorted(unique.values(), key=lambda d: (d.loc, d.code, d.message))

    def summary(self) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        return f"{plural(self.errors, 'error')}, {plural(self.warnings, 'warning')}"

    def format(self) -> str:
        lines = [d.format() for d in self.sorted()]
        lines.append(self.summary())
        return "\n".join(lines)

    def as_json(self) -> str:
        data = {
            "diagnostics": [d.as_json() for d in self.sorted()],
            "errors": self.errors,
            "warnings": self.warnings,
        }
        return json.dumps(data, indent=2, ensure_ascii=False)


def display_path(path: Path) -> str:
    """Show a path relative to the working directory when it is inside it."""
    try:
        return os.path.relpath(path) if path.is_absolute() and Path.cwd() in path.parents else str(path)
    except ValueError:
        return str(path)
