"""The translator's workflow: extract, update (fuzzy, obsolete, restore), stats, check."""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from build_tools.text.po import parse_po

MODULE_MD = "curriculum/modules/core/core-01-leading-with-data.md"
PO_ES = "curriculum/locales/es/LC_MESSAGES/module-core-01-leading-with-data.po"
PARA = "A mayor who sets a target with a baseline can tell residents what will change."
PARA_ES = "Un alcalde que fija una meta con una línea de base puede decir a los residentes qué cambiará."


def _po(root: Path, rel: str = PO_ES):
    po, diags = parse_po((root / rel).read_text("utf-8"), rel)
    assert not diags and po is not None
    return po


def _entry(po, msgid: str, obsolete: bool = False):
    return next((e for e in po.entries if e.msgid == msgid and e.obsolete == obsolete), None)


def _translate(root: Path, msgid: str, msgstr: str) -> None:
    from build_tools.i18n.catalogs import render

    po = _po(root)
    _entry(po, msgid).msgstr = msgstr
    (root / PO_ES).write_text(render(po), "utf-8")  # a translator's editor saves it


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "curriculum/locales").rglob("*"))
            if p.is_file()}


@pytest.fixture
def project(make_project, cda):
    root = make_project()
    assert cda("extract", "--root", root)[0] == 0
    assert cda("update", "--root", root)[0] == 0
    return root


def test_extract_update_is_idempotent(project, cda) -> None:
    before = _snapshot(project)
    assert cda("extract", "--root", project)[0] == 0
    assert cda("update", "--root", project)[0] == 0
    assert _snapshot(project) == before
    assert cda("update", "--root", project, "--check")[0] == 0


def test_catalog_header_and_language(project) -> None:
    po = _po(project)
    assert po.header["Language"] == "es_419"
    assert po.header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    pt = _po(project, PO_ES.replace("/es/", "/pt/"))
    assert pt.header["Language"] == "pt_BR"
    assert pt.header["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert "POT-Creation-Date" not in (project / PO_ES).read_text("utf-8")


def test_yaml_fields_have_stable_contexts(project) -> None:
    po = _po(project)
    assert _entry(po, "Name three priorities with one measure each.").msgctxt == "objectives"
    assert _entry(po, PARA).msgctxt is None
    ws = _po(project, "curriculum/locales/es/LC_MESSAGES/workshop-core-01-mayors-session.po")
    notes = _entry(ws, "Keep each round to time.")
    assert notes.msgctxt == "facilitator:agenda.facilitator_notes"
    active = [e for e in ws.entries if not e.obsolete]
    first_facilitator = next(i for i, e in enumerate(active) if (e.msgctxt or "").startswith("facilitator:"))
    assert all((e.msgctxt or "").startswith("facilitator:") for e in active[first_facilitator:])


def test_reordering_objectives_changes_no_translation(project, cda) -> None:
    _translate(project, "Name three priorities with one measure each.", "Nombre tres prioridades con una medida cada una.")
    path = project / "curriculum/modules/core/core-01-leading-with-data.yaml"
    text = path.read_text("utf-8")
    a, b = "  - Name three priorities with one measure each.\n", "  - Draft a public data commitment.\n"
    path.write_text(text.replace(a + b, b + a), "utf-8")
    cda("extract", "--root", project)
    cda("update", "--root", project)
    entry = _entry(_po(project), "Name three priorities with one measure each.")
    assert entry.msgstr == "Nombre tres prioridades con una medida cada una." and not entry.fuzzy


def test_edit_remove_restore_paragraph(project, cda) -> None:
    _translate(project, PARA, PARA_ES)
    md = project / MODULE_MD
    original = md.read_text("utf-8")
    # Edit: the changed paragraph becomes fuzzy with the previous msgid; the old one is kept.
    md.write_text(original.replace("what will change", "what will change this year"), "utf-8")
    cda("extract", "--root", project)
    assert cda("update", "--root", project, "--check")[0] == 1
    cda("update", "--root", project)
    po = _po(project)
    changed = _entry(po, PARA.replace("what will change", "what will change this year"))
    assert changed.fuzzy and changed.msgstr == PARA_ES and changed.previous_msgid == PARA
    assert _entry(po, PARA, obsolete=True).msgstr == PARA_ES
    text = (project / PO_ES).read_text("utf-8")
    assert "#, fuzzy\n#| msgid" in text and "#~ msgid" in text
    # Remove: only the obsolete entry remains.
    md.write_text(original.replace(PARA + "\n\n", ""), "utf-8")
    cda("extract", "--root", project)
    cda("update", "--root", project)
    po = _po(project)
    assert _entry(po, PARA) is None
    assert _entry(po, PARA, obsolete=True).msgstr == PARA_ES
    # Restore: the translation comes back from the obsolete entry, not fuzzy.
    md.write_text(original, "utf-8")
    cda("extract", "--root", project)
    cda("update", "--root", project)
    restored = _entry(_po(project), PARA)
    assert restored.msgstr == PARA_ES and not restored.fuzzy


def test_renamed_module_keeps_its_translations(project, cda) -> None:
    _translate(project, PARA, PARA_ES)
    cur = project / "curriculum"
    for old in cur.rglob("*core-01-leading-with-data*"):
        if "locales" in old.parts:
            continue
        old.rename(old.with_name(old.name.replace("core-01-leading-with-data", "core-01-data-leadership")))
    for path in [*cur.rglob("*.yaml"), *cur.rglob("*.md")]:
        if "locales" not in path.parts:
            path.write_text(path.read_text("utf-8").replace("core-01-leading-with-data", "core-01-data-leadership"),
                            "utf-8")
    assert cda("validate", "--root", project)[0] == 0
    cda("extract", "--root", project)
    code, out, _ = cda("update", "--root", project)
    assert code == 0 and "took the translations of module-core-01-leading-with-data" in out
    new = _po(project, PO_ES.replace("leading-with-data", "data-leadership"))
    assert _entry(new, PARA).msgstr == PARA_ES
    assert not (project / PO_ES).exists()


def test_stats_counts(project, cda) -> None:
    _translate(project, PARA, PARA_ES)
    _code, out, _ = cda("stats", "--root", project, "--lang", "es", "--format", "json")
    import json

    row = next(r for r in json.loads(out) if r["document"] == "module-core-01-leading-with-data")
    assert row["translated"] == 1 and row["fuzzy"] == 0
    assert row["untranslated"] == row["messages"] - 1
    assert row["words_left"] > 0


MSGCAT, MSGFMT = shutil.which("msgcat"), shutil.which("msgfmt")
needs_gettext = pytest.mark.skipif(not (MSGCAT and MSGFMT), reason="GNU gettext not installed")


@contextlib.contextmanager
def _without_gettext(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """GNU gettext out of reach: nothing on PATH, and starting any process fails."""
    empty = tmp_path / "no-gettext-bin"
    empty.mkdir(exist_ok=True)

    def refuse(self: object, args: object, *rest: object, **kwargs: object) -> None:
        raise AssertionError(f"the catalog write path started a process: {args!r}")

    with monkeypatch.context() as m:
        m.setenv("PATH", str(empty))
        m.setattr(subprocess.Popen, "__init__", refuse)
        assert shutil.which("msgcat") is None
        yield


def _locale_files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((root / "curriculum/locales").rglob("*")) if p.suffix in (".po", ".pot")}


def _differs_from_msgcat(files: dict[Path, bytes]) -> list[str]:
    """The files whose bytes (as given) are not what ``msgcat --force-po`` writes for them."""
    def check(path: Path) -> str | None:
        proc = subprocess.run([str(MSGCAT), "--force-po", "-"], input=files[path], capture_output=True, check=False)
        return None if proc.returncode == 0 and proc.stdout == files[path] else path.name

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return [name for name in pool.map(check, files) if name]


@needs_gettext
def test_catalogs_are_gettext_clean_and_msgcat_stable(make_project, cda, monkeypatch, tmp_path) -> None:
    """Written with GNU gettext hidden, every catalog and template passes ``msgfmt --check``
    and is byte for byte what msgcat writes, through translate, fuzzy (``#|``) and obsolete
    (``#~``, ``#~|``) states."""
    root = make_project()
    md = root / MODULE_MD
    original = md.read_text("utf-8")
    edited_para = PARA.replace("what will change", "what will change this year")
    edited = original.replace(PARA, edited_para)
    states = []
    with _without_gettext(monkeypatch, tmp_path):
        for step in ("fresh", "translated", "edited", "removed"):
            if step == "translated":
                _translate(root, PARA, PARA_ES)
            else:
                if step == "edited":
                    md.write_text(edited, "utf-8")
                elif step == "removed":
                    md.write_text(edited.replace(edited_para + "\n\n", ""), "utf-8")
                assert cda("extract", "--root", root)[0] == 0
                assert cda("update", "--root", root)[0] == 0
            states.append((step, _locale_files(root)))
    text = (root / PO_ES).read_text("utf-8")
    assert "#~| msgid" in text and "#~ msgid" in text  # an obsolete entry that keeps its previous msgid
    for step, files in states:
        assert len(files) >= 6
        for path, data in files.items():
            if path.suffix == ".po":
                subprocess.run([str(MSGFMT), "--check", "-o", "/dev/null", "-"], input=data, check=True)
        assert _differs_from_msgcat(files) == [], f"after {step}: not msgcat's bytes"


@needs_gettext
def test_extract_update_on_the_course_writes_msgcat_bytes_without_gettext(cda, monkeypatch, tmp_path) -> None:
    """Done when (issue 13): ``cda extract && cda update`` on the course writes catalogs
    byte-identical to msgcat's, with or without gettext installed."""
    root = tmp_path / "course"
    shutil.copytree(ROOT / "curriculum", root / "curriculum")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    before = _locale_files(root)
    edited = 0
    for md in sorted((root / "curriculum/modules").rglob("*.md")):
        text = md.read_text("utf-8")
        if " data " in text:  # a one-word edit in every reading: a fuzzy entry and an obsolete one each
            md.write_text(text.replace(" data ", " evidence ", 1), "utf-8")
            edited += 1
    assert edited > 10
    with _without_gettext(monkeypatch, tmp_path):
        assert cda("extract", "--root", root)[0] == 0
        assert cda("update", "--root", root)[0] == 0
    after = _locale_files(root)
    rewritten = [p for p in after if before.get(p) != after[p]]
    assert len(rewritten) >= 3 * edited  # each edited reading's template and both catalogs
    assert _differs_from_msgcat({p: after[p] for p in rewritten}) == []


@pytest.mark.parametrize(("msgstr", "code"), [
    ("Vea [la guía](javascript:alert(1)).", "T207"),
    ("Texto <script>alert(1)</script>.", "T201"),
    ('Texto <img src=x onerror="alert(1)">.', "T202"),
    ('Texto <span style="color:red">rojo</span>.', "T203"),
    ("Texto &lt;b&gt;.", "T204"),
    ("Texto {: .clase }", "T205"),
    ("Texto\n[x]: https://malo.example", "T206"),
    ("Vea [la guía](https://otro.example).", "T208"),
    ("Vea [la guía] (https://example.org).", "T102"),
    ("Escriba **tres oraciones que el alcalde pueda decir en público.", "T103"),
])
def test_check_rejects_bad_translations(project, cda, msgstr: str, code: str) -> None:
    from build_tools.i18n.catalogs import render

    source = "Write **three sentences** the mayor can say in public."
    po = _po(project)
    target = _entry(po, source)
    target.msgid = "See [the guide](https://example.org)." if "guía" in msgstr else source
    target.msgstr = msgstr
    (project / PO_ES).write_text(render(po), "utf-8")  # a translator's editor saves it
    rc, out, _ = cda("check", "--root", project, "--lang", "es")
    assert rc == 1
    assert f"error[{code}]" in out


def test_check_warns_on_missing_glossary_term(project, cda) -> None:
    _translate(project, PARA, "Un alcalde que fija un objetivo puede decir a los residentes qué cambiará.")
    rc, out, _ = cda("check", "--root", project, "--lang", "es")
    assert rc == 0 and "warning[G300]" in out and "línea de base" in out
    rc, _, _ = cda("check", "--root", project, "--lang", "es", "--strict")
    assert rc == 1
