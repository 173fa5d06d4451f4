"""Run every translation check over the catalogs on disk."""

from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path

from build_tools.base.diagnostics import Report
from build_tools.check.project import Project
from build_tools.i18n.extract import markdown_of
from build_tools.i18n.qa import check_catalog, msgfmt_check
from build_tools.i18n.store import read
from build_tools.source.model import Curriculum
from build_tools.text.safety import load_verdicts
from build_tools.text.segment import definitions


def catalog_files(project: Project, langs: list[str] | None, files: list[Path] | None) -> list[tuple[str, Path]]:
    targets = project.target_codes
    if files:
        found = []
        for path in files:
            where = path.resolve().as_posix()
            lang = next((lg for lg in targets if f"/{lg}/LC_MESSAGES/" in where), targets[0] if targets else "")
            found.append((lang, path))
        return found
    return [(lang, path) for lang in (langs or targets)
            for path in sorted(project.catalog_dir(lang).glob("*.po"))]


def run_checks(root: Path, cur: Curriculum, langs: list[str] | None = None, files: list[Path] | None = None) -> Report:
    report = Report()
    project = Project(root)
    found = catalog_files(project, langs, files)
    load_verdicts(project.cache)  # read only: `cda check` writes nothing, the build keeps them
    # GNU msgfmt runs as a subprocess per catalog: run them on every core at once.
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        gnu = pool.map(msgfmt_check, [path for _, path in found])
        for (lang, path), gnu_diags in zip(found, gnu, strict=True):
            po, diags = read(path)
            report.extend(diags)
            if po is None:
                continue
            report.extend(gnu_diags)
            body = markdown_of(cur, path.stem)
            report.extend(check_catalog(path, po, cur.language(lang), cur.glossary, definitions(body.text) if body else ""))
    return report
