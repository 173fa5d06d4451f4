"""The project on disk: its folders, and loading a curriculum that must be valid."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from build_tools.base.diagnostics import Diagnostic, Report
from build_tools.base.errors import DiagnosticsError
from build_tools.base.languages import Language, read_languages
from build_tools.check.schedule import check_against, parse_cohort
from build_tools.check.validation import validate
from build_tools.source.loader import load_curriculum
from build_tools.source.model import Curriculum


@dataclass(frozen=True)
class Project:
    """Where everything lives, relative to the project root."""

    root: Path

    @property
    def languages(self) -> tuple[Language, ...]:
        """program.yaml's languages, the source language first."""
        return read_languages(self.root)

    @property
    def target_codes(self) -> tuple[str, ...]:
        """The codes of the translation languages (each has a catalog folder)."""
        return tuple(x.code for x in self.languages[1:])

    @property
    def curriculum(self) -> Path:
        return self.root / "curriculum"

    @property
    def locales(self) -> Path:
        return self.curriculum / "locales"

    @property
    def templates(self) -> Path:
        return self.locales / "templates"

    def catalog_dir(self, lang: str) -> Path:
        return self.locales / lang / "LC_MESSAGES"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def cache(self) -> Path:
        """What the tools remember between runs (safe to delete; not committed)."""
        return self.root / ".cache" / "cda"


def check_curriculum(root: Path) -> tuple[Curriculum, Report]:
    """Load and validate; return the model and every diagnostic."""
    cur, diags = load_curriculum(root)
    report = Report(list(diags))
    report.extend(validate(cur))
    report.extend(check_cohorts(root, cur))
    return cur, report


def check_cohorts(root: Path, cur: Curriculum) -> list[Diagnostic]:
    """Cohort plans in curriculum/cohorts/ get the same diagnostics as `cda schedule`."""
    out: list[Diagnostic] = []
    for path in sorted((root / "curriculum" / "cohorts").glob("*.yaml")):
        doc, diags = parse_cohort(path)
        out.extend(diags)
        if doc is not None and not any(d.is_error for d in diags):
            out.extend(check_against(doc, cur))
    return out


def load_valid(root: Path, strict: bool = False) -> tuple[Curriculum, Report]:
    """Load a curriculum that must validate; raise with every diagnostic otherwise."""
    cur, report = check_curriculum(root)
    if report.failed(strict):
        raise DiagnosticsError(report)
    return cur, report
