"""The safety guard renders what readers get: split URLs, entities and raw HTML cannot slip past it,
and ``cda check`` and the build use the same function, so they always agree."""

from __future__ import annotations

import random
import shutil

import pytest
from conftest import ROOT
from hypothesis import example, given, settings
from hypothesis import strategies as st

from build_tools.base.languages import Language
from build_tools.i18n.qa import check_catalog
from build_tools.i18n.translation import lookup_table
from build_tools.text.po import parse_po
from build_tools.text.safety import (
    normalise_url,
    plain,
    rendered_problems,
    simple_problems,
    simple_targets,
    unsafe_translation,
)

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


# -- remembered verdicts -----------------------------------------------------------------------

@pytest.fixture
def fresh_verdicts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """An empty memory of verdicts; returns the translations the guard really examined."""
    from build_tools.text import safety

    monkeypatch.setattr(safety, "_SAFE", set())
    monkeypatch.setattr(safety, "_USED", set())
    examined: list[str] = []
    original = safety._problems

    def counting(msgid: str, msgstr: str, definitions: str) -> list[tuple[str, str]]:
        examined.append(msgstr)
        return original(msgid, msgstr, definitions)

    monkeypatch.setattr(safety, "_problems", counting)
    return examined


SAFE = "Lea [la guía](https://example.org/guide) primero."
UNSAFE = "Lea [la guía](jav&#x61;script:alert(1)) primero."


def test_a_safe_verdict_is_remembered_and_an_unsafe_one_is_not(fresh_verdicts: list[str]) -> None:
    for _ in range(2):
        assert unsafe_translation(SRC, SAFE) == []
        assert "T207" in {code for code, _ in unsafe_translation(SRC, UNSAFE)}
    assert fresh_verdicts == [SAFE, UNSAFE, UNSAFE]


def test_verdicts_are_kept_between_runs_and_only_for_the_same_rules(tmp_path, fresh_verdicts, monkeypatch) -> None:
    from build_tools.text import safety

    unsafe_translation(SRC, SAFE)
    unsafe_translation(SRC, UNSAFE)
    safety.save_verdicts(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [f"safe-translations-{safety.rules_version()}.bin"]
    assert safety.verdicts_path(tmp_path).stat().st_size == safety.DIGEST  # the safe one only
    monkeypatch.setattr(safety, "_SAFE", set())  # a new process
    safety.load_verdicts(tmp_path)
    assert unsafe_translation(SRC, SAFE) == [] and unsafe_translation(SRC, UNSAFE)
    assert fresh_verdicts == [SAFE, UNSAFE, UNSAFE]
    # The same source with other document definitions is another question.
    assert unsafe_translation(SRC, SAFE, "[guide]: https://example.org/guide") == []
    assert fresh_verdicts[-1] == SAFE and len(fresh_verdicts) == 4
    # New rules (another renderer configuration, library or guard): nothing is trusted.
    monkeypatch.setattr(safety, "_SAFE", set())
    monkeypatch.setattr(safety, "rules_version", lambda: "0123456789abcdef")
    safety.load_verdicts(tmp_path)
    assert unsafe_translation(SRC, SAFE) == [] and len(fresh_verdicts) == 5
    safety.save_verdicts(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["safe-translations-0123456789abcdef.bin"]


def test_a_second_generate_examines_nothing_and_writes_the_same_pages(make_project, fresh_verdicts) -> None:
    from build_tools.check.project import Project, load_valid
    from build_tools.site.build import generate

    root = make_project("translated")
    shutil.rmtree(root / ".cache", ignore_errors=True)  # whatever a run on the fixture left
    cur, _ = load_valid(root)
    first = generate(cur, Project(root)).pages
    assert fresh_verdicts and (Project(root).cache).is_dir()
    examined = len(fresh_verdicts)
    assert generate(cur, Project(root)).pages == first
    assert len(fresh_verdicts) == examined



# -- prose the guard need not render ----------------------------------------------------

PROSE = "abcdefghijklmnopqrstuvwxyzáéíóúñãõçÁÉABC0123456789 \u00a0.,;:?¿!¡'’‘\"“”«»()%–—-"
DEFINITIONS = ["", "*[ABC]: Agencia Brasileira de Cooperação", "[guide]: https://example.org/guide",
               "[^1]: A footnote with a [link](https://example.org).\n\n*[KPI]: key performance indicator"]


@given(st.text(PROSE, min_size=1, max_size=60), st.text(PROSE, min_size=1, max_size=60),
       st.sampled_from(DEFINITIONS))
@example("Los datos de ABC y KPI", "Os dados da ABC e do KPI: (2024) 3% — «sim»", DEFINITIONS[3])
@settings(max_examples=300, deadline=None)
def test_prose_the_guard_does_not_render_would_render_as_safe(msgid: str, msgstr: str, definitions: str) -> None:
    """The shortcut is exact: any pair of one-line prose messages it lets through, rendered with the
    site's Markdown and compared in full, has no problem either."""
    if plain(msgid) and plain(msgstr):
        assert rendered_problems(msgid, msgstr, definitions) == []


@pytest.mark.parametrize("text", [
    "- a list", "+ a list", "* a list", "1. a list", "2024. a list", "# a heading", "> a quote", "    code",
    "a *word*", "a _word_", "a `code`", "a [link](https://x.org)", "a <b>tag</b>", "a &amp; b", "a | b",
    "a\nb", "---", "a {: .x}", "a ~~b~~", "a ^b^", "a == b", "a + b", "a/b", "a @b", "a \\* b", "trailing ",
    " leading", "", "!!! note", "??? note", "=== \"Tab\"", "a: b\n: c",
])
def test_markup_or_a_line_break_is_never_prose(text: str) -> None:
    assert not plain(text)


def test_prose_still_gets_the_cheap_checks() -> None:
    assert plain("Lea javascript:alert(1) primero") and unsafe_translation(
        "Read this first", "Lea javascript:alert(1) primero")[0][0] == "T207"


# -- simple passages: compared by their link targets, not rendered -------------------------

SIMPLE = ["la", "guía", "Dados", "KPI", "ABC", "2024", "1.500", " ", " ", "\u00a0", ",", ".", ":", ";", "?", "(",
          ")", "¿", "¡", "«", "»", '"', "'", "/", "+", "-", "%", "@", "$", "×", "#", "!", "*", "**", "`código`",
          "`a_b`", "`f(x) [y]`", "`a > b`", "[la guía](https://example.org/guide)", "[b](module:pm-01)",
          "[c](glossary:kpi#uso)", "[d](javascript:alert)", "[e](ftp:x)", "[f](//evil.example/)",
          "[g](https://EXAMPLE.org/guide)", "[*h*](x.html)", "[i (j)](y)", "[ABC](page:abc)"]
OTHER = ["`", "``", "[", "]", "](", "_", "<b>", "&amp;", "\\", "\n", "\t", "|", "{", "}", "~", "^", "=", "[^1]",
         "[TOC]", "[k](HTTPS://x.org)", "![img](x.png)", "[l](a b)", "[m]()", "[n][guide]", "[guide]", "`<b>`"]
WORDS = ["Lea ", "Dados ", "¿Qué ", "«Sí» ", "`KPI` ", "[ABC](page:abc) ", "*Nota* ", "2024 "]
STARTS = ["* ", "- ", "+ ", "1. ", "2) ", "# ", "> ", "    ", "!!! note ", "??? note ", "=== ", ": ", "*[ABC]: ",
          "[guide]: ", "***", "---", "¿", "«", "*"]


def _passage(rng: random.Random) -> str:
    start = rng.choice(STARTS) if rng.random() < 0.15 else rng.choice(WORDS) if rng.random() < 0.7 else ""
    return start + "".join(rng.choice(OTHER if rng.random() < 0.03 else SIMPLE) for _ in range(rng.randint(1, 10)))


@st.composite
def passages(draw: st.DrawFn) -> tuple[str, str]:
    """A message and a translation built mostly of simple pieces, now and then not: the same
    words reordered (links kept whole) or others."""
    rng = draw(st.randoms(use_true_random=False))
    msgid = _passage(rng)
    if rng.random() < 0.5:
        words = msgid.split(" ")
        rng.shuffle(words)
        return msgid, " ".join(words)
    return msgid, _passage(rng)


@given(passages(), st.sampled_from(DEFINITIONS))
@example(("Read *the* [guide](https://example.org/guide).", "Lea [la guía](https://example.org/guide) *ya*."), "")
@example(("Read [the guide](https://example.org/guide).", "Lea [la guía](ftp:guide)."), DEFINITIONS[2])
@example(("¿ABC `a_b`?", "ABC `a_b` 1.500"), DEFINITIONS[1])
@settings(max_examples=400, deadline=None)
def test_simple_passages_are_judged_as_their_rendering_would_be(pair: tuple[str, str], definitions: str) -> None:
    """The second shortcut is exact: for any two simple passages, comparing their link targets finds
    what rendering both with the site's Markdown and comparing in full finds."""
    msgid, msgstr = pair
    source, target = simple_targets(msgid), simple_targets(msgstr)
    if source is not None and target is not None:
        assert simple_problems(source, target) == rendered_problems(msgid, msgstr, definitions)


@pytest.mark.parametrize(("text", "targets"), [
    ("Lea *la* [guía](https://example.org/guide) y `a_b`.", ["https://example.org/guide"]),
    ("¿Qué [mide](module:pm-01#kpi) el **KPI**?", ["module:pm-01#kpi"]),
    ("1.500 personas", []), ("«Sí», dijo.", []), ("*Proyectá tu futuro*, dijo", []),
])
def test_simple_passages_give_their_link_targets(text: str, targets: list[str]) -> None:
    assert simple_targets(text) == targets


@pytest.mark.parametrize("text", [
    "* a list", "- a list", "1. a list", "2) a list", "# heading", "> quote", "!!! note", "??? note", "=== tab",
    ": a definition", "*[ABC]: Agency", "[guide]: https://example.org", "***", "a [b](c d)", "a ![b](c.png)",
    "a [b][guide]", "[TOC]", "a [^1] note", "a `b``c`", "a ``b`` c", "a_b", "a <b>c</b>", "a &amp; b", "a \\* b",
    "a | b", "a {: .x}", "a ~~b~~", "a ^b^", "a == b", "a\nb", "a\tb", "trailing ", " leading", "",
    "a [b](HTTPS://x.org)", "a [b](https://x.org:8080/)", "a [b](https://x.org/%41)",
])
def test_anything_else_is_rendered(text: str) -> None:
    assert simple_targets(text) is None


def test_the_courses_simple_translations_are_judged_as_their_rendering_would_be() -> None:
    """The same, on the course's own catalogs: one simple pair in five, rendered and compared."""
    pairs = []
    for path in sorted((ROOT / "curriculum" / "locales").glob("[ep][st]/**/*.po")):
        po, _ = parse_po(path.read_text("utf-8"), str(path))
        pairs += [(e.msgid, e.msgstr) for e in po.active() if e.translated and not (plain(e.msgid) and plain(e.msgstr))]
    simple = [(a, b, simple_targets(a), simple_targets(b)) for a, b in pairs]
    simple = [s for s in simple if s[2] is not None and s[3] is not None]
    assert len(simple) > 1000, "most of the course's marked-up messages are simple"
    for msgid, msgstr, source, target in simple[::5]:
        assert simple_problems(source, target) == rendered_problems(msgid, msgstr), (msgid, msgstr)
