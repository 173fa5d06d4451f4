"""The catalog store: the one way the tools read and write a project's templates and catalogs.

Every reader (``stats``, ``update``, ``check``, page generation, ``playbook``, ``pdf``,
``schedule``, the MkDocs hook) asks the store, so a catalog is parsed once per process and again
only when its file changes (size, modification time or inode differ): ``cda serve`` and the hook
keep parsed catalogs warm between edits. Every writer writes through :meth:`CatalogStore.write`,
which holds the project lock (:func:`build_tools.base.fsutil.project_lock`, the same lock
``generate`` and ``build`` take) and writes each file atomically.

The catalogs handed out are shared between callers: treat them as read-only (``merge`` builds a
new catalog; it never changes the old one).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from build_tools.base.diagnostics import Diagnostic, Report
from build_tools.base.errors import DiagnosticsError
from build_tools.base.fsutil import atomic_write, project_lock
from build_tools.check.project import Project
from build_tools.i18n.catalogs import read_catalog, render_all
from build_tools.text.po import PoFile

_Key = tuple[int, int, int]
_CACHE: dict[Path, tuple[_Key, PoFile | None, tuple[Diagnostic, ...]]] = {}
"""Parsed files of this process, by absolute path, with the stat they were parsed at."""


def _stat_key(path: Path) -> _Key | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def read(path: Path) -> tuple[PoFile | None, list[Diagnostic]]:
    """One template or catalog, parsed (from the cache when the file has not changed)."""
    absolute = path.absolute()
    key = _stat_key(absolute)
    cached = _CACHE.get(absolute)
    if key is not None and cached is not None and cached[0] == key:
        return cached[1], list(cached[2])
    po, diags = read_catalog(path)
    if key is not None and key == _stat_key(absolute):  # not changed while it was read
        _CACHE[absolute] = (key, po, tuple(diags))
    return po, diags


def _read_folder(folder: Path, pattern: str) -> tuple[dict[str, PoFile], list[Diagnostic]]:
    found: dict[str, PoFile] = {}
    diags: list[Diagnostic] = []
    for path in sorted(folder.glob(pattern)) if folder.is_dir() else []:
        po, errs = read(path)
        diags.extend(errs)
        if po is not None:
            found[path.stem] = po
    return found, diags


@dataclass(frozen=True)
class CatalogStore:
    """A project's templates (``locales/templates/*.pot``) and catalogs (``locales/<lang>/LC_MESSAGES/*.po``)."""

    project: Project

    def templates(self) -> tuple[dict[str, PoFile], list[Diagnostic]]:
        return _read_folder(self.project.templates, "*.pot")

    def catalogs(self, lang: str) -> tuple[dict[str, PoFile], list[Diagnostic]]:
        return _read_folder(self.project.catalog_dir(lang), "*.po")

    def all_catalogs(self) -> tuple[dict[str, dict[str, PoFile]], Report]:
        """Every translation language's catalogs, and every problem reading them."""
        report = Report()
        found: dict[str, dict[str, PoFile]] = {}
        for lang in self.project.target_codes:
            found[lang], diags = self.catalogs(lang)
            report.extend(diags)
        return found, report

    def valid_catalogs(self) -> dict[str, dict[str, PoFile]]:
        """Every translation language's catalogs, for a tool that renders (pages, a playbook, a PDF).

        Raises:
            DiagnosticsError: when a catalog cannot be read.
        """
        found, report = self.all_catalogs()
        if report.errors:
            raise DiagnosticsError(report)
        return found

    def write(self, what: str, files: dict[Path, PoFile], deletions: Sequence[Path] = ()) -> list[Path]:
        """Write catalogs or templates (each atomically, all under the project lock) and delete
        ``deletions``; returns the files whose bytes changed, then the deleted ones."""
        texts = render_all(files)
        with project_lock(self.project.root, what):
            changed = [path for path, text in sorted(texts.items()) if atomic_write(path, text)]
            for path in deletions:
                if path.exists():
                    path.unlink()
                    changed.append(path)
        return changed
