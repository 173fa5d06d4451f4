"""Each translatable field is declared once (build_tools/i18n/fields.py) and used by both sides.

Extraction adds a message with a ``Field``; page generators look a translation up with a
``Field``. These tests run both on the real course: the fields extraction writes are exactly
the declared ones, every declared field is looked up while the pages of a language are
generated, and only ``fields.catalog_name`` spells a catalog's name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from build_tools.base.ui import UI_STRINGS
from build_tools.check.project import Project, load_valid
from build_tools.i18n import fields as F
from build_tools.i18n.extract import documents
from build_tools.i18n.fields import FIELDS, Field, catalog_name, parse_catalog_name
from build_tools.i18n.store import CatalogStore
from build_tools.render import generate, page_context
from build_tools.site.build import document_stats

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "build_tools"


@pytest.fixture(scope="module")
def course():  # type: ignore[no-untyped-def]
    cur, _ = load_valid(ROOT)
    return cur


def test_catalog_names() -> None:
    assert catalog_name("module", "core-01") == "module-core-01"
    assert catalog_name("program") == "program"
    assert catalog_name("glossary", "ignored") == "glossary"
    assert catalog_name("ui") == "ui"
    assert parse_catalog_name("handout-core-01-x") == ("handout", "core-01-x")
    assert parse_catalog_name("glossary") == ("glossary", "")
    with pytest.raises(ValueError, match="a case catalog needs the document's id"):
        catalog_name("case")


def test_field_contexts() -> None:
    assert F.Module.EXERCISE_TITLE.msgctxt == "exercises.title"
    assert F.Workshop.IF_LATE.msgctxt == "facilitator:agenda.if_late"
    assert F.Module.TITLE.catalog("m1") == "module-m1"
    assert F.Program.TITLE.catalog() == "program"
    assert len({(f.kind, f.msgctxt) for f in FIELDS}) == len(FIELDS) == 39
    assert all(f.where for f in FIELDS)


def test_extraction_writes_exactly_the_declared_fields(course) -> None:  # type: ignore[no-untyped-def]
    extracted: set[tuple[str, str]] = set()
    for doc in documents(course):
        kind, _ = parse_catalog_name(doc.domain)
        for msg in doc.messages:
            if msg.msgctxt is None:  # a Markdown body's segment
                continue
            if kind == "ui":
                assert msg.msgctxt in UI_STRINGS
            else:
                extracted.add((kind, msg.msgctxt))
    assert extracted == {(f.kind, f.msgctxt) for f in FIELDS}


def test_extracted_notes_are_the_declared_notes(course) -> None:  # type: ignore[no-untyped-def]
    by_key = {(f.kind, f.msgctxt): f for f in FIELDS}
    for doc in documents(course):
        kind, _ = parse_catalog_name(doc.domain)
        for msg in doc.messages:
            fld = by_key.get((kind, msg.msgctxt or ""))
            if fld is None or "{" in fld.note:
                continue
            assert msg.comments == ([fld.note] if fld.note else []), (doc.domain, msg.msgctxt)


def test_every_declared_field_is_looked_up_by_the_pages(course, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    looked_up: set[Field] = set()
    original = page_context.Ctx.tr

    def recording(self: page_context.Ctx, fld: Field, ident: str, text: str, inline: bool | None = None) -> str:
        assert isinstance(fld, Field)
        looked_up.add(fld)
        return original(self, fld, ident, text, inline)

    monkeypatch.setattr(page_context.Ctx, "tr", recording)
    catalogs = CatalogStore(Project(ROOT)).valid_catalogs()
    generate.generate_language(course, "es", catalogs["es"], document_stats(course, catalogs))
    assert sorted(f.msgctxt for f in set(FIELDS) - looked_up) == []


def test_only_fields_names_catalogs() -> None:
    """A catalog name spelled by hand (``f"module-{id}"``) could drift from extraction's."""
    spelled = re.compile(r"""f["'](program|track|module|workshop|glossary|page|case|handout)-\{""")
    found = [f"{p.relative_to(ROOT)}:{n}" for p in sorted(PACKAGE.rglob("*.py")) if p.name != "fields.py"
             for n, line in enumerate(p.read_text("utf-8").splitlines(), 1) if spelled.search(line)]
    assert found == []
