"""The translator's workflow on disk: extract templates, update catalogs, read them back.

Also the lookup used to apply a catalog: only translated, non-fuzzy, safe messages are used;
everything else falls back to English.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.base.diagnostics import Diagnostic, Report
from build_tools.base.errors import CdaError, DiagnosticsError
from build_tools.base.fsutil import project_lock
from build_tools.base.languages import find
from build_tools.check.project import Project
from build_tools.i18n import catalogs
from build_tools.i18n.extract import Document, documents
from build_tools.i18n.store import CatalogStore
from build_tools.source.model import Curriculum
from build_tools.text.po import PoFile
from build_tools.text.safety import unsafe_translation

log = logging.getLogger(__name__)


def build_templates(cur: Curriculum) -> dict[str, PoFile]:
    return {doc.domain: catalogs.template(doc) for doc in documents(cur)}


def write_templates(project: Project, pots: dict[str, PoFile]) -> list[str]:
    """Write ``locales/templates/*.pot``; remove templates of documents that are gone."""
    store = CatalogStore(project)
    with project_lock(project.root, "extract"):
        existing, _ = store.templates()
        todo = {project.templates / f"{domain}.pot": pot for domain, pot in sorted(pots.items())
                if existing.get(domain) != pot}
        gone = [path for path in sorted(project.templates.glob("*.pot")) if path.stem not in pots]
        return [path.stem for path in store.write("extract", todo, gone)]


@dataclass
class UpdateResult:
    changed: list[Path] = field(default_factory=list)
    adopted: list[tuple[str, str]] = field(default_factory=list)
    orphans: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)


def _adopt(domain: str, pot: PoFile, orphans: dict[str, PoFile]) -> str | None:
    """The orphaned catalog (a renamed document) that shares most messages with ``pot``."""
    ids = {e.msgid for e in pot.entries}
    best, score = None, 0
    for name, po in sorted(orphans.items()):
        overlap = sum(1 for e in po.entries if e.msgid in ids and e.has_string)
        if overlap > score:
            best, score = name, overlap
    return best


def plan_update(project: Project, pots: dict[str, PoFile], langs: Iterable[str] | None = None
                ) -> tuple[dict[Path, PoFile], list[Path], UpdateResult, list[Diagnostic]]:
    """Compute every catalog that changes; return (writes, deletions, result, diagnostics)."""
    pending: dict[Path, PoFile] = {}
    deletions: list[Path] = []
    result = UpdateResult()
    diags: list[Diagnostic] = []
    for lang in (project.target_codes if langs is None else langs):
        existing, errs = CatalogStore(project).catalogs(lang)
        diags.extend(errs)
        folder = project.catalog_dir(lang)
        bad = {Path(d.loc.path).stem for d in errs}
        orphans = {d: po for d, po in existing.items() if d not in pots}
        for domain, pot in sorted(pots.items()):
            if domain in bad:
                continue
            old = existing.get(domain)
            if old is None and orphans and (source := _adopt(domain, pot, orphans)):
                old = orphans.pop(source)
                deletions.append(folder / f"{source}.po")
                result.adopted.append((source, domain))
            new = catalogs.merge(old, pot, find(project.languages, lang), domain)
            if old is None or new != old:
                pending[folder / f"{domain}.po"] = new
        result.orphans.extend(folder / f"{d}.po" for d in sorted(orphans))
    return pending, deletions, result, diags


def update_catalogs(project: Project, langs: Iterable[str], check: bool = False) -> UpdateResult:
    """``cda update``: merge every template into its catalogs (``check``: only report what is stale).

    Raises:
        CdaError: when there are no templates yet.
        DiagnosticsError: when a template or catalog cannot be read; nothing is written.
    """
    if check:
        return _update(project, langs, check)
    with project_lock(project.root, "update"):
        return _update(project, langs, check)


def _update(project: Project, langs: Iterable[str], check: bool) -> UpdateResult:
    pots, diags = CatalogStore(project).templates()
    if not pots and not diags:
        raise CdaError(f"no templates in {project.templates}; run `cda extract` first")
    writes, deletions, result, more = plan_update(project, pots, langs)
    report = Report(diags + more)
    if report.errors:
        raise DiagnosticsError(report)
    if check:
        result.stale = sorted([*writes, *deletions])
    else:
        result.changed = apply_update(project, writes, deletions)
    return result


def apply_update(project: Project, writes: dict[Path, PoFile], deletions: list[Path]) -> list[Path]:
    """Write what :func:`plan_update` computed (through the store, under the project lock)."""
    deleted = set(deletions)
    return [path for path in CatalogStore(project).write("update", writes, deletions) if path not in deleted]


# -- applying translations -------------------------------------------------------------

@dataclass(frozen=True)
class Lookup:
    """Translations of one document in one language (see :func:`lookup_table`)."""

    lang: str
    table: dict[tuple[str | None, str], str]

    def get(self, ctx: str | None, text: str, single_line: bool = False) -> str | None:
        """The translation, or None (untranslated, or a line break where one line is needed)."""
        if not text or not text.strip():
            return None
        found = self.table.get((ctx, text))
        if found is None or (single_line and "\n" in found):
            return None
        return found

    def text(self, ctx: str | None, text: str) -> str:
        found = self.get(ctx, text)
        return text if found is None else found


def lookup_table(po: PoFile | None, definitions: str = "") -> dict[tuple[str | None, str], str]:
    """Usable translations: translated, not fuzzy, and free of unsafe markup (the same guard as
    ``cda check``; ``definitions``: the source document's, see :func:`build_tools.text.segment.definitions`)."""
    if po is None:
        return {}
    return {e.key: e.msgstr for e in po.active()
            if e.translated and e.msgid_plural is None and not unsafe_translation(e.msgid, e.msgstr, definitions)}


def document_domains(docs: Iterable[Document]) -> list[str]:
    return [d.domain for d in docs]
