"""The torture reading (tests/fixtures/torture/reading.md): every construct a reading may use.

It validates with only the diagnostics it deserves (its raw HTML), round-trips byte for byte,
and a translated version renders with the same HTML structure as the English one, headings
keeping their ids and untitled admonitions getting titles in the reader's language.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from build_tools.base.ui import UI_STRINGS
from build_tools.render.page_context import Ctx, rendering
from build_tools.source.loader import load_curriculum
from build_tools.text.renderer import render
from build_tools.text.safety import unsafe_translation
from build_tools.text.segment import apply, definitions, segment
from build_tools.text.structure import _flatten, differences, renderer_tree

TORTURE = FIXTURES / "torture"
READING = "curriculum/modules/core/core-01-leading-with-data.md"
MODULE = "core-01-leading-with-data"
DOMAIN = f"module-{MODULE}"
TEXT = (TORTURE / "reading.md").read_text("utf-8")
UI_ES = {"admonition.note": "Nota", "admonition.warning": "Advertencia"}


@pytest.fixture
def torture(make_project) -> Path:
    root = make_project()
    shutil.copy(TORTURE / "reading.md", root / READING)
    shutil.copytree(TORTURE / "img", root / "curriculum/modules/core/img")
    return root


def pseudo(text: str) -> str:
    """A "translation" that changes every message's words and none of its Markdown."""
    return f"ES {text}"


def test_torture_reading_validates_with_only_justified_diagnostics(torture: Path, cda, monkeypatch) -> None:
    monkeypatch.chdir(torture)
    code, out, _ = cda("validate", "--root", torture)
    assert code == 1
    lines = [line for line in out.splitlines() if ": error[" in line or ": warning[" in line]
    # The raw HTML block and the inline <b>...</b>: raw HTML is not allowed, and nothing else is wrong.
    assert lines == [
        f"{READING}:95:1: error[E405]: raw HTML is not allowed in course Markdown",
        f"{READING}:97:13: error[E405]: raw HTML is not allowed: <b>",
        f"{READING}:97:27: error[E405]: raw HTML is not allowed: </b>",
    ]
    assert differences(TEXT) == ()


def test_torture_round_trip_is_exact() -> None:
    assert apply(TEXT, lambda s: s.text) == TEXT
    kinds = {s.kind for s in segment(TEXT)}
    assert kinds == {"heading", "paragraph", "cell", "term", "title", "abbr", "link-title"}
    texts = [s.text for s in segment(TEXT)]
    assert "Gracias, obrigado, thanks." not in texts  # <!-- i18n:skip -->
    assert not any("print(" in t or "key: value" in t for t in texts)  # code stays code
    assert "`status | open`" in texts and "x \\| y" in texts
    assert "GovEx guide" in texts and "Chief data officer" in texts


def _shape(html: str) -> list[tuple[int, object]]:
    """Blocks, nesting and what each holds (links, images, code, breaks), text left out."""
    return [(depth, node.key[:2]) for depth, _, node in _flatten(renderer_tree(html))]


def _ids(html: str) -> list[str]:
    return re.findall(r'<h[2-6] id="([^"]+)"', html)


def test_torture_translation_renders_with_the_same_structure(torture: Path) -> None:
    cur, _ = load_curriculum(torture)
    table = {(None, s.text): pseudo(s.text) for s in segment(TEXT)}
    defs = definitions(TEXT)
    assert [k for k, v in table.items() if unsafe_translation(k[1], v, defs)] == []  # no false alarm
    mod = cur.module("core-01-leading-with-data")
    assert mod is not None and mod.reading is not None
    english = Ctx("en", cur, {}).md("module", MODULE, mod.reading)
    ctx = Ctx("es", cur, {}, tables={DOMAIN: table, "ui": {(k, UI_STRINGS[k][0]): v for k, v in UI_ES.items()}})
    spanish, fell_back = rendering(ctx, lambda c: c.md("module", MODULE, mod.reading))
    assert fell_back == ()
    en_html, es_html = render(english), render(spanish)
    assert _shape(es_html) == _shape(en_html)
    assert _ids(es_html) == _ids(en_html)  # so #a-table works on /es/ too
    assert 'href="#a-table"' in es_html and 'id="a-table"' in es_html
    # Untitled admonitions: the site's English default title, the interface catalog's elsewhere.
    assert '<p class="admonition-title">Note</p>' in en_html
    assert '<p class="admonition-title">Nota</p>' in es_html
    assert "<summary>Advertencia</summary>" in es_html and "<summary>Warning</summary>" in en_html
    assert "ES An open example" in es_html and "Bogotá" in es_html and "📊" in es_html


def test_untranslated_default_title_stays_english_and_marked_text_is_plain(torture: Path) -> None:
    cur, _ = load_curriculum(torture)
    mod = cur.module("core-01-leading-with-data")
    assert mod is not None and mod.reading is not None
    ctx = Ctx("pt", cur, {}, tables={DOMAIN: {}, "ui": {}})
    text = ctx.md("module", MODULE, mod.reading)
    assert '!!! note "Note"' in text and '??? warning "Warning"' in text
    assert '<span lang="en">Term</span>' in text  # English fallbacks are marked for screen readers
    assert '*[CDO]: Chief data officer' in text  # ...except where markup cannot go
    assert _shape(render(text)) == _shape(render(Ctx("en", cur, {}).md("module", MODULE, mod.reading)))
