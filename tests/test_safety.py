"""The safety guard renders what readers get: split URLs, entities and raw HTML cannot slip past it,
and ``cda check`` and the build use the same function, so they always agree."""

from __future__ import annotations

import pytest

from build_tools.base.languages import Language
from build_tools.i18n.qa import check_catalog
from build_tools.i18n.translation import lookup_table
from build_tools.text.po import parse_po
from build_tools.text.safety import normalise_url, rendered_problems, unsafe_translation

ES = Language("es", "Español", "es_419", "es-419")

SRC = "Read [the guide](https://example.org/guide) first."
MULTI = "Read [the guide](https://example.org/guide)\nand its appendix."


def codes(msgid: str, msgstr: str, definitions: str = "") -> set[str]:
    return {code for code, _ in unsafe_translation(msgid, msgstr, definitions)}


@pytest.mark.parametrize(("msgid", "msgstr", "code"), [
    # A line break inside the target: markdown-it sees no link, Python-Markdown renders one,
    # and the browser drops the line break: a live javascript: link.
    (MULTI, "Lea [la guía](jav\nascript:alert(document.domain))\ny su anexo.", "T207"),
    # ...even when the translation keeps the source's link, so that the Markdown text looks right.
    (MULTI, "Lea [la guía](https://example.org/guide) [x](jav\nascript:alert(1))\ny su anexo.", "T207"),
    (SRC, "Lea [la guía](https://example.org/guide) [x](jav\nascript:alert(1)) primero.", "T207"),
    (SRC, "Lea [la guía](jav\nascript:alert(document.domain)) primero.", "T207"),
    (MULTI, "Lea [la guía](java\tscript:alert(1))\ny su anexo.", "T207"),
    (MULTI, "Lea [la guía](<jav\nascript:alert(1)>)\ny su anexo.", "T207"),
    # The same trick moves an https target past a text comparison of targets.
    (MULTI, "Lea [la guía](https://example.org/guide) y [otra](https://ev\nil.example/)\nsu anexo.", "T208"),
    (MULTI, "Lea [la guía](https://evil.example/guide)\ny su anexo.", "T208"),
    # Entities and raw HTML read by the browser, not by a pattern.
    (SRC, "Lea [la guía](jav&#x61;script:alert(1)) primero.", "T207"),
    (SRC, 'Lea <details open ontoggle="alert(1)">[la guía](https://example.org/guide)</details>.', "T210"),
    (SRC, "Lea [la guía](https://example.org/guide){: onclick=alert(1) } primero.", "T205"),
    # Markdown that turns one paragraph into other blocks.
    (MULTI, "Lea [la guía](https://example.org/guide)\n\n- y su anexo.", "T209"),
    (SRC, "## Lea [la guía](https://example.org/guide) primero.", "T209"),
])
def test_rendered_guard_rejects(msgid: str, msgstr: str, code: str) -> None:
    assert code in codes(msgid, msgstr)


@pytest.mark.parametrize("msgstr", [
    "Lea [la guía](https://example.org/guide) primero.",
    "Lea primero [la **guía**](https://example.org/guide \"Guía\").",
    "Lea [la guía](https://EXAMPLE.org/guide) primero.",  # the same target, normalised
    "Lea [la guía](https://example.org/gu%69de) primero.",
])
def test_rendered_guard_accepts_faithful_translations(msgstr: str) -> None:
    assert codes(SRC, msgstr) == set()


def test_reference_links_are_compared_with_the_documents_definitions() -> None:
    defs = '[govex]: https://example.org/govex "GovEx"\n[evil]: https://evil.example/'
    src = "See the [guide][govex]."
    assert codes(src, "Vea la [guía][govex].", defs) == set()
    assert "T208" in codes(src, "Vea la [guía][evil].", defs)
    assert codes("A note[^1].", "Una nota[^1].", "[^1]: .") == set()
    assert "T208" in codes("A note[^1].", "Una nota.", "[^1]: .")


def test_internal_links_stay_course_links() -> None:
    src = "See [month 2](module:core-02-performance-management#targets)."
    assert codes(src, "Vea [el mes 2](module:core-02-performance-management#targets).") == set()
    assert "T208" in codes(src, "Vea [el mes 2](module:core-03-evidence-and-evaluation).")


def test_normalise_url_reads_urls_as_browsers_do() -> None:
    assert normalise_url(" jav\n\tascript:alert(1)") == "javascript:alert(1)"
    assert normalise_url("HTTPS://Example.ORG/a%20b") == "https://example.org/a b"
    assert rendered_problems("Plain text.", "Texto simple.") == []


CATALOG = """\
msgid ""
msgstr ""
"Language: es_419\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Read [the guide](https://example.org/guide) first."
msgstr "Lea [la guía](https://example.org/guide) primero."

msgid "Read [the guide](https://example.org/guide)\\nand its appendix."
msgstr "Lea [la guía](jav\\nascript:alert(document.domain))\\ny su anexo."

msgid "Plain."
msgstr "Simple."

msgid "See [it](https://example.org/x)."
msgstr "Vea [esto](https://ev\\nil.example/x)."
"""


def test_check_and_build_use_the_same_guard(tmp_path) -> None:
    """What check rejects the build drops, and what check passes the build publishes."""
    po, diags = parse_po(CATALOG, "es.po")
    assert po is not None and not diags
    path = tmp_path / "es.po"
    path.write_text(CATALOG, "utf-8")
    reported = {d.loc.line for d in check_catalog(path, po, ES, ()) if d.code.startswith("T2")}
    published = lookup_table(po)
    for entry in po.active():
        if not entry.msgid:
            continue
        assert (entry.line in reported) == (entry.key not in published), entry.msgid
    assert len(published) == 2
