"""Rendering without shared mutable state: a page generator returns its page, :func:`rendering`
returns it with what fell back to English, and the notice is computed from that record."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from build_tools.check.project import Project, load_valid
from build_tools.i18n import fields as F
from build_tools.i18n.store import CatalogStore
from build_tools.render.generate import page_markdown
from build_tools.render.page_context import Ctx, Fallback, Page, finish_page, render_page, rendering

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "translated"
NOTICE = '!!! warning "Traducción en curso"'


@pytest.fixture(scope="module")
def spanish() -> Ctx:
    cur, _ = load_valid(FIXTURE)
    return Ctx("es", cur, CatalogStore(Project(FIXTURE)).valid_catalogs()["es"], "for-translators.md")


def _page(ctx: Ctx, page_id: str) -> Page:
    page = ctx.cur.page(page_id)
    assert page is not None
    return page_markdown(ctx, page)


def test_rendering_returns_what_fell_back(spanish: Ctx) -> None:
    page, fell_back = rendering(spanish, lambda c: _page(c, "for-translators"))
    assert len(fell_back) == 1
    assert fell_back[0].domain == "page-for-translators" and fell_back[0].context is None
    assert f'<span lang="en">{fell_back[0].text}</span>' in page.body


def test_the_notice_comes_from_the_fallbacks_passed_in(spanish: Ctx) -> None:
    page, fell_back = rendering(spanish, lambda c: _page(c, "for-translators"))
    assert NOTICE in finish_page(spanish, page, fell_back)
    assert NOTICE not in finish_page(spanish, page, ())
    assert finish_page(spanish, page, ()).startswith('---\ntitle: "')


def test_no_state_is_left_behind_between_pages(spanish: Ctx) -> None:
    """A page rendered after a partial one with the same context gets no notice of the other's."""
    render_page(spanish, lambda c: _page(c, "for-translators"))
    home = dataclasses.replace(spanish, path="index.md")
    text, fell_back = render_page(home, lambda c: _page(c, "home"))
    assert fell_back == () and NOTICE not in text
    assert spanish.fell_back == []


def test_a_field_fallback_names_its_catalog_and_context(spanish: Ctx) -> None:
    text, fell_back = rendering(spanish, lambda c: c.tr(F.Page.TITLE, "home", "A title no catalog has"))
    assert text == '<span lang="en">A title no catalog has</span>'
    assert fell_back == (Fallback("page-home", F.Page.TITLE.msgctxt, "A title no catalog has"),)


def test_the_context_cannot_be_changed(spanish: Ctx) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        spanish.path = "elsewhere.md"  # type: ignore[misc]
