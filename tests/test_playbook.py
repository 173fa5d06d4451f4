"""``cda playbook``: print-ready guides and handouts with real clock times, dates and translations."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import run

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "minimal"
WORKSHOP = "curriculum/workshops/core/core-01-mayors-session.yaml"
WS_ID = "core-01-mayors-session"
NNBSP = "\u202f"  # CLDR puts a narrow no-break space between the time and AM/PM in English

NOTES = "Set the confidentiality agreement first."
LATE = "Run two rounds instead of three."
AAR = "What worked in the Troika rounds?"
ROLE = "Runs the agenda."
INSTRUCTIONS = "Share one promise you made."
MATERIALS = "Sticky notes."


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The minimal project, its workshop's agenda made 45 + 30 + 60 minutes; cwd is a scratch folder."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    path = root / WORKSHOP
    data = yaml.safe_load(path.read_text("utf-8"))
    data["duration"] = 135
    data["agenda"] = [
        {"title": "Welcome", "minutes": 45, "method": "Plenary", "kind": "activity",
         "instructions": INSTRUCTIONS, "facilitator_notes": NOTES},
        {"title": "Break", "minutes": 30, "kind": "break"},
        {"title": "Troika rounds", "minutes": 60, "method": "Troika Consulting", "kind": "activity",
         "instructions": "Present your goal; listen to two peers.", "facilitator_notes": "Keep each round to time.",
         "if_late": LATE},
    ]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return root


def playbook(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run ``cda playbook`` to a Markdown file and return its text."""
    out = Path("out.md").resolve()
    code, stdout, err = run(["playbook", "--root", str(root), WS_ID, "--format", "md", "-o", str(out), *args], capsys)
    assert code == 0, stdout + err
    assert f"wrote {out}" in stdout
    return out.read_text("utf-8")


def plant(po: Path, ctx: str, msgid: str, msgstr: str) -> None:
    text = po.read_text("utf-8")
    entry = f'msgctxt "{ctx}"\nmsgid "{msgid}"\nmsgstr ""\n'
    assert entry in text, f"{ctx}/{msgid} not in {po}"
    po.write_text(text.replace(entry, f'msgctxt "{ctx}"\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n'), "utf-8")


@pytest.fixture
def translated(project: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The project with catalogs, some of the workshop and interface translated into Spanish."""
    for step in ("extract", "update"):
        code, out, err = run([step, "--root", str(project)], capsys)
        assert code == 0, out + err
    es = project / "curriculum" / "locales" / "es" / "LC_MESSAGES"
    plant(es / f"workshop-{WS_ID}.po", "title", "From promise to measure", "De la promesa a la medida")
    plant(es / f"workshop-{WS_ID}.po", "agenda.instructions", INSTRUCTIONS, "Comparta una promesa que hizo.")
    plant(es / "ui.po", "facilitator_notes", "Facilitator notes", "Notas para quien facilita")
    plant(es / "ui.po", "playbook_for", "Facilitator guide", "Guía de facilitación")
    return project


# -- clock times ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["es", "pt"])
def test_clock_times_cross_noon_24_hour(project: Path, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    text = playbook(project, capsys, "--lang", lang, "--start", "11:00", "--date", "2027-03-04")
    assert "| 11:00 | 11:45 | Welcome | Plenary | 45 min |" in text
    assert "| 11:45 | 12:15 | Break |  | 30 min |" in text
    assert "| 12:15 | 13:15 | Troika rounds | Troika Consulting | 60 min |" in text
    assert "### 11:00–11:45 · Welcome" in text
    assert "### 12:15–13:15 · Troika rounds" in text
    assert "11:00–13:15" in text  # the session's span, next to the date
    assert "AM" not in text and "PM" not in text


def test_clock_times_cross_noon_english(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = playbook(project, capsys, "--lang", "en", "--start", "11:00", "--date", "2027-03-04")
    am, pm = f"{NNBSP}AM", f"{NNBSP}PM"
    assert f"| 11:00{am} | 11:45{am} | Welcome | Plenary | 45 min |" in text
    assert f"| 11:45{am} | 12:15{pm} | Break |  | 30 min |" in text
    assert f"| 12:15{pm} | 1:15{pm} | Troika rounds | Troika Consulting | 60 min |" in text
    assert f"### 11:00{am}–11:45{am} · Welcome" in text
    assert f"### 12:15{pm}–1:15{pm} · Troika rounds" in text
    assert "13:15" not in text


def test_start_defaults_to_nine_and_site_note_is_dropped(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = playbook(project, capsys, "--lang", "es")
    assert "| 9:00 | 9:45 | Welcome |" in text
    assert "Clock times assume" not in text  # the site's note: here the times are the real ones


# -- guide and handout ------------------------------------------------------------------

def test_guide_has_facilitator_content(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = playbook(project, capsys, "--lang", "en", "--start", "14:00", "--date", "2027-03-04")
    assert text.splitlines()[2] == "# Facilitator guide: From promise to measure"
    for needle in (NOTES, LATE, AAR, ROLE, "## Roles in the room", "## After-action review",
                   '??? note "Facilitator notes"', INSTRUCTIONS, MATERIALS):
        assert needle in text, needle


def test_handout_has_no_facilitator_content(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = playbook(project, capsys, "--lang", "en", "--start", "14:00", "--date", "2027-03-04", "--handout")
    assert text.splitlines()[2] == "# Participant handout: From promise to measure"
    for needle in (NOTES, LATE, AAR, ROLE, "Roles in the room", "After-action review", "Facilitator notes", "???"):
        assert needle not in text, needle
    for needle in (INSTRUCTIONS, MATERIALS, "## Materials", "## Pre-work", "| 2:00\u202fPM | 2:45\u202fPM | Welcome |"):
        assert needle in text, needle


def test_html_page_is_standalone_and_printable(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["playbook", "--root", str(project), WS_ID, "--lang", "es", "--start", "14:00",
                          "--date", "2027-03-04"], capsys)
    assert code == 0, out + err
    path = Path("playbooks") / f"{WS_ID}-es-2027-03-04.html"
    assert out.strip() == f"wrote {path}"
    page = path.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"es-419\">")
    assert "@page { size: A4" in page and "@media print" in page
    assert "<title>Facilitator guide: From promise to measure</title>" in page
    assert not re.search(r"<(link|script|img|iframe)\b|\bsrc=|@import|url\(", page), "external resources"
    assert page.count('<details class="note" open>') == 2  # facilitator notes show on paper
    assert "<summary>Facilitator notes</summary>" in page and NOTES in page
    assert '<table>' in page and "<td>14:00</td>" in page and "<td>16:15</td>" in page
    assert "jueves, 4 de marzo de 2027, 14:00–16:15" in page

    code, out, err = run(["playbook", "--root", str(project), WS_ID, "--lang", "es", "--start", "14:00",
                          "--date", "2027-03-04", "--handout"], capsys)
    assert code == 0, out + err
    handout = (Path("playbooks") / f"{WS_ID}-es-2027-03-04-handout.html").read_text("utf-8")
    assert "<details" not in handout and NOTES not in handout and AAR not in handout and ROLE not in handout
    assert INSTRUCTIONS in handout and MATERIALS in handout


def test_output_to_a_folder_uses_the_default_name(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("print").mkdir()
    code, out, err = run(["playbook", "--root", str(project), WS_ID, "--lang", "pt", "--format", "md",
                          "--handout", "-o", "print"], capsys)
    assert code == 0, out + err
    assert (Path("print") / f"{WS_ID}-pt-handout.md").is_file()


# -- language ---------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "spelled"), [
    ("es", "jueves, 4 de marzo de 2027"),
    ("pt", "quinta-feira, 4 de março de 2027"),
    ("en", "Thursday, March 4, 2027"),
])
def test_date_is_spelled_the_local_way(project: Path, capsys: pytest.CaptureFixture[str], lang: str, spelled: str) -> None:
    text = playbook(project, capsys, "--lang", lang, "--start", "14:00", "--date", "2027-03-04")
    assert f"**Date:** {spelled}, " in text


def test_spanish_uses_the_catalog_and_falls_back_to_english(translated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = playbook(translated, capsys, "--lang", "es", "--start", "14:00", "--date", "2027-03-04")
    assert "# Guía de facilitación: De la promesa a la medida" in text
    assert "From promise to measure" not in text
    assert "Comparta una promesa que hizo." in text and INSTRUCTIONS not in text
    assert '??? note "Notas para quien facilita"' in text
    assert MATERIALS in text and NOTES in text          # untranslated: English
    assert "!!! warning" in text                         # and the page says so
    assert "<span" not in text                           # Markdown output stays plain

    code, out, err = run(["playbook", "--root", str(translated), WS_ID, "--lang", "es", "-o", "g.html"], capsys)
    assert code == 0, out + err
    page = Path("g.html").read_text("utf-8")
    assert f'<span lang="en">{MATERIALS}</span>' in page  # English passages are marked for screen readers
    assert "De la promesa a la medida" in page

    pt = playbook(translated, capsys, "--lang", "pt", "--start", "14:00")
    assert "# Facilitator guide: From promise to measure" in pt  # no Portuguese catalog entries: English
    assert "| 14:00 | 14:45 | Welcome |" in pt

    en = playbook(translated, capsys, "--lang", "en")
    assert "De la promesa" not in en and "!!! warning" not in en


# -- errors -----------------------------------------------------------------------------

def test_unknown_workshop_suggests_the_closest(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["playbook", "--root", str(project), "core-01-mayor-session"], capsys)
    assert code == 1
    assert "unknown workshop 'core-01-mayor-session'" in err and f"did you mean '{WS_ID}'?" in err
    assert "Traceback" not in out + err
    assert not Path("playbooks").exists()


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--start", "25:00", "'25:00' is not a clock time"),
    ("--start", "2pm", "'2pm' is not a clock time"),
    ("--date", "2027-02-30", "'2027-02-30' is not a real date"),
    ("--date", "04/03/2027", "'04/03/2027' is not a date: use YYYY-MM-DD"),
])
def test_bad_start_or_date_is_an_argument_error(project: Path, capsys: pytest.CaptureFixture[str],
                                                option: str, value: str, message: str) -> None:
    code, out, err = run(["playbook", "--root", str(project), WS_ID, option, value], capsys)
    assert code == 2
    assert f"argument {option}: {message}" in err
    assert not Path("playbooks").exists()
