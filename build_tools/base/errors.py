"""The tools' exceptions; the CLI turns them into messages and exit codes in one place."""

from __future__ import annotations

from build_tools.base.diagnostics import Report


class CdaError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""


class DiagnosticsError(CdaError):
    """Input failed validation; carries every diagnostic found."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report


class LockError(CdaError):
    """Another cda process holds the project lock."""
