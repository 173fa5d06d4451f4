"""``cda schedule``: a cohort of cities becomes every city's calendar (page and .ics, in its language
and local time), the coaching call agendas, the convening's agenda, the coaches' overview and the
time budget. The cohort file format is v2 (each city with its own language, time zone and track):
the example and these tests were migrated from the single-track format, which is now refused with a
migration hint (E504)."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

import icalendar
import pytest
from conftest import run

from build_tools.check.project import load_valid
from build_tools.check.schedule import (
    add_months,
    check_against,
    parse_cohort,
    plan_sessions,
    session_day,
)
from build_tools.source.cohort import cohort_from

HERE = Path(__file__).parent
REPO = HERE.parent
MINIMAL = HERE / "fixtures" / "minimal"
EXAMPLE = REPO / "curriculum" / "cohorts" / "example-cohort.yaml"
GOOD = EXAMPLE.read_text("utf-8")
OUT = Path("schedules/americas-2027")
CITIES = {"mexico-city": ("es", "America/Mexico_City", "performance-management"),
          "bogota": ("es", "America/Bogota", "evaluation"),
          "sao-paulo": ("pt", "America/Sao_Paulo", "data-as-a-service"),
          "buenos-aires": ("es", "America/Argentina/Buenos_Aires", "performance-management")}
THU, WED, TUE = 3, 2, 1


def events(path: Path) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    assert str(cal["PRODID"]) and str(cal["VERSION"]) == "2.0"
    return sorted(cal.walk("VEVENT"), key=lambda e: (e.decoded("DTSTART"), str(e["UID"])))


def by_uid(found: list[icalendar.Event], prefix: str) -> list[icalendar.Event]:
    return [e for e in found if str(e["UID"]).startswith(prefix)]


@pytest.fixture(scope="module")
def curriculum():  # type: ignore[no-untyped-def]
    cur, _ = load_valid(REPO)
    return cur


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The example cohort, scheduled once: (exit code, stdout, stderr, output folder)."""
    import contextlib
    import io
    import os

    from build_tools.cli import main

    folder = tmp_path_factory.mktemp("example")
    before = Path.cwd()
    os.chdir(folder)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["schedule", "--root", str(REPO), str(EXAMPLE)])
    finally:
        os.chdir(before)
    return code, out.getvalue(), err.getvalue(), folder / OUT


# -- the example cohort -------------------------------------------------------------------

def test_example_cohort_file_is_valid(curriculum) -> None:  # type: ignore[no-untyped-def]
    doc, diags = parse_cohort(EXAMPLE)
    assert doc is not None and diags == []
    assert check_against(doc, curriculum) == []
    cohort = cohort_from(doc)
    assert len(cohort.cities) == 4 and {c.language for c in cohort.cities} == {"es", "pt"}
    assert len({c.timezone for c in cohort.cities}) == 4 and len(cohort.tracks()) == 3


def test_example_writes_every_city_and_the_coaches_files(example) -> None:  # type: ignore[no-untyped-def]
    code, out, err, folder = example
    assert code == 0, out + err
    lines = out.splitlines()
    wrote = [line for line in lines if line.startswith("wrote ")]
    assert wrote == [f"wrote {OUT}/overview-en.md", *(f"wrote {OUT}/convening-{lang}.md" for lang in ("en", "es", "pt")),
                     *itertools.chain.from_iterable((f"wrote {OUT}/{slug}-{lang}.md", f"wrote {OUT}/{slug}.ics")
                                                    for slug, (lang, _, _) in CITIES.items()),
                     f"wrote 72 coaching call agendas in {OUT}/calls/"]
    assert len(list((folder / "calls").glob("*.md"))) == 72
    assert (folder / "calls/sao-paulo-03-pt.md").is_file() and (folder / "calls/bogota-18-es.md").is_file()


def test_each_city_ics_has_its_own_sessions_in_local_time(example, curriculum) -> None:  # type: ignore[no-untyped-def]
    _, _, _, folder = example
    reference = dt.timezone(dt.timedelta(hours=-5))  # Bogotá: the reference zone, UTC-5 all year
    for slug, (lang, zone, track) in CITIES.items():
        found = events(folder / f"{slug}.ics")
        assert len(found) == 3 + 5 + 6 + 2 + 8 + 18  # convening days, mayors' sessions, labs, keynotes, track, calls
        assert len({str(e["UID"]) for e in found}) == len(found)
        for ev in found:
            start = ev.decoded("DTSTART")
            uid = str(ev["UID"])
            assert str(start.tzinfo) == ("America/Bogota" if uid.startswith("convening-") else zone), uid
            assert ev.decoded("DTSTAMP") == dt.datetime(2027, 2, 1, tzinfo=dt.UTC)
        # a shared session: Thursday 09:00 in Bogotá is 08:00 in Mexico City, 11:00 in São Paulo and Buenos Aires
        mayors = by_uid(found, "core-02-mayors-session-")
        assert len(mayors) == 1
        start = mayors[0].decoded("DTSTART")
        assert start.astimezone(reference) == dt.datetime(2027, 3, 4, 9, 0, tzinfo=reference)
        assert start.time() == {"mexico-city": dt.time(8), "bogota": dt.time(9)}.get(slug, dt.time(11))
        assert str(mayors[0]["URL"]) == f"{lang}/playbooks/core-02-mayors-session/"
        assert mayors[0]["SUMMARY"].params["LANGUAGE"] == {"es": "es-419", "pt": "pt-BR"}[lang]  # the BCP 47 tags in program.yaml
        # month 1's mayors' session is held at the convening, not again on its slot
        assert not by_uid(found, "core-01-mayors-session-")
        # only its own track: the modules of the chosen track, months 7-18
        track_events = [e for e in found if str(e["UID"]).split("-")[0] in ("pm", "ev", "rdc", "daas")]
        prefix = {"performance-management": "pm-", "evaluation": "ev-", "data-as-a-service": "daas-"}[track]
        assert len(track_events) == 8 and all(str(e["UID"]).startswith(prefix) for e in track_events)
        assert not by_uid(found, "rdc-")  # a track no city chose has no sessions
        for ev, mod in zip(track_events, curriculum.track_modules(curriculum.track(track)), strict=True):
            start = ev.decoded("DTSTART").astimezone(reference)
            month = add_months(dt.date(2027, 2, 1), 5 + mod.month)
            assert (start.year, start.month, start.weekday(), start.time()) == (month.year, month.month, WED,
                                                                                dt.time(10, 0))
        # a coaching call a month, in the city's own time, linking to its agenda
        calls = by_uid(found, "coaching-call-")
        assert len(calls) == 18
        assert str(calls[2]["URL"]) == f"calls/{slug}-03-{lang}.md"
        assert calls[2]["DESCRIPTION"].count("\n- ") == 3  # what to bring: core-03's three deliverables


def test_cities_on_one_track_meet_together_and_tracks_run_in_parallel(example) -> None:  # type: ignore[no-untyped-def]
    _, _, _, folder = example
    starts = {slug: {str(e["UID"]).split("-americas-2027-")[0]: e.decoded("DTSTART")
                     for e in events(folder / f"{slug}.ics")} for slug in CITIES}
    assert starts["mexico-city"]["pm-04-workshop"] == starts["buenos-aires"]["pm-04-workshop"]  # the same instant
    assert starts["mexico-city"]["pm-04-workshop"] == starts["bogota"]["ev-04-workshop"] == \
        starts["sao-paulo"]["daas-04-workshop"]  # parallel tracks


def test_parallel_tracks_never_put_a_city_in_two_sessions_at_once(example) -> None:  # type: ignore[no-untyped-def]
    _, _, _, folder = example
    for slug in CITIES:
        found = events(folder / f"{slug}.ics")
        spans = sorted((e.decoded("DTSTART"), e.decoded("DTEND"), str(e["UID"])) for e in found)
        for (_, end, a), (begin, _, b) in itertools.pairwise(spans):
            assert end <= begin, (slug, a, b)


def test_a_city_in_two_sessions_at_once_is_an_error(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # São Paulo's call (Wednesday 10:00 local) would fall on the month 3 keynote (Wednesday 08:00 in Bogotá)
    text = GOOD.replace('  - month: 3\n    weekday: wednesday\n    time: "10:00"', '  - month: 3\n    weekday: wednesday\n    time: "08:00"')
    Path("cohort.yaml").write_text(text, "utf-8")
    code, out, _ = run(["schedule", "--root", str(REPO), "cohort.yaml"], capsys)
    assert code == 1
    assert ("cohort.yaml:56:5: error[E506]: São Paulo would be in two sessions at once: São Paulo's coaching call "
            "and keynote 1 ('Evidence that changed a budget decision'), from 2027-04-21 10:00 (America/Sao_Paulo)") in out
    assert not Path("schedules").exists()


def test_one_coach_in_two_calls_at_once_is_an_error(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Mexico City's call is at 10:00 there, 11:00 in Bogotá: Bogotá's at 11:30 overlaps it, every month
    Path("cohort.yaml").write_text(GOOD.replace('time: "14:00", week: 3}', 'time: "11:30", week: 3}', 1), "utf-8")
    code, out, _ = run(["validate", "--root", str(REPO)], capsys)  # the real cohort file is still valid
    assert code == 0, out
    code, out, _ = run(["schedule", "--root", str(REPO), "cohort.yaml"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == ("cohort.yaml:24:15: error[E506]: coach Lucía Herrera would be in two calls at once: Mexico "
                        "City's coaching call and Bogotá's coaching call, from 2027-02-16 10:00 (America/Mexico_City) "
                        "and in 17 more months"), out
    assert lines[1] == "    hint: give one of the cities another coaching slot ('coaching:' in the city)"


# -- the time budget -------------------------------------------------------------------------

def test_hours_table_matches_a_hand_computation(curriculum) -> None:  # type: ignore[no-untyped-def]
    doc, _ = parse_cohort(EXAMPLE)
    plan = plan_sessions(cohort_from(doc), curriculum)
    rows = {(r.month, r.role): r for r in plan.hours["bogota"]}
    # Month 3, mayor: mayors' session 165 min + keynote 60 + call 60 + pre-work. Pre-work: core-03's 5 h (300 min)
    # less its sessions as one participant attends them (the lab, 180 min, is the longer) and the call (60) = 60.
    assert curriculum.workshop("core-03-mayors-session").duration == 165
    assert curriculum.workshop("core-03-team-lab").duration == 180
    mayor = rows[(3, "mayor")]
    assert [line.minutes for line in mayor.lines] == [165, 60, 60, 60]
    assert (mayor.total, mayor.budget, mayor.over) == (345, 300, True)
    # the same month for a senior leader: lab 180 + keynote 60 + call 60 + pre-work 60 = 6 h, the budget
    leader = rows[(3, "senior-leader")]
    assert (leader.total, leader.budget, leader.over) == (360, 360, False)
    # month 1: the mayors' session is at the convening (shown apart); the call and 60 min of pre-work remain
    assert (rows[(1, "mayor")].total, rows[(1, "mayor")].convening) == (120, 18 * 60)
    # month 12 (evaluation month 6): ev-05 workshop 150 + call 60 + pre-work (360 - 150 - 60 = 150)
    assert rows[(12, "mayor")].total == 150 + 60 + 150
    # month 10 has no new module: the call (team only) follows up ev-04; no pre-work counted again
    assert (rows[(10, "mayor")].total, rows[(10, "chief-data-officer")].total) == (0, 60)
    # the coach: every session of the city and its call, no pre-work (month 3: 165 + 180 + 60 + 60)
    assert rows[(3, "coach")].total == 465


def test_the_page_shows_the_hours_table(example) -> None:  # type: ignore[no-untyped-def]
    _, _, _, folder = example
    text = (folder / "bogota-es.md").read_text("utf-8")
    assert ("| Mes | Alcalde (5 h) | Director de datos (6 h) | Enlace de la Alianza de Datos (6 h) | "
            "Directivo de alto nivel (6 h) | Coach del programa (8 h) |") in text
    assert "| 3 | **5,75** | 6 | 6 | 6 | 7,75 |" in text
    assert "| 1 | 2 | 5 | 5 | 5 | 4 |" in text
    assert "El encuentro presencial es un compromiso aparte y no se cuenta en estas horas: Alcalde 18 h" in text
    assert "- Mes 3, Alcalde: 5,75 h previstas, 5 h al mes en el programa: " in text


def test_a_plan_over_the_mayors_budget_warns_with_the_month_and_sessions(example) -> None:  # type: ignore[no-untyped-def]
    code, out, _, _ = example
    assert code == 0
    lines = out.splitlines()
    warning = ("example-cohort.yaml:56:5: warning[W511]: month 3 (April 2027), Mayor (Mexico City, Bogotá, São Paulo, "
               "Buenos Aires): 5.75 h planned, 5 h a month in program.yaml: core-03-mayors-session 2.75 h, coaching call "
               "1 h, keynote 1 ('Evidence that changed a budget decision') 1 h, pre-work for "
               "core-03-evidence-and-evaluation 1 h")
    assert any(line.endswith(warning) for line in lines), out
    assert any("warning[W511]: month 14 (March 2028), Chief data officer, Data alliance lead, Senior leader (São Paulo): "
               "10 h planned, 6 h a month in program.yaml: daas-06-workshop 3 h" in line for line in lines), out
    assert "0 errors, 22 warnings" in lines


def test_strict_schedule_fails_on_budget_warnings_and_writes_nothing(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["schedule", "--root", str(REPO), "--strict", str(EXAMPLE)], capsys)
    assert code == 1 and "warning[W511]: month 3 (April 2027), Mayor" in out and err.startswith("Aborted: ")
    assert not Path("schedules").exists()


def test_an_extra_keynote_puts_the_team_over_budget(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = ('  - month: 4\n    weekday: monday\n    time: "15:00"\n    minutes: 90\n    audience: [senior-leader]\n'
             '    title: Budgets that follow results\n')
    Path("cohort.yaml").write_text(GOOD.replace("keynotes:\n", "keynotes:\n" + extra), "utf-8")
    code, out, _ = run(["schedule", "--root", str(REPO), "cohort.yaml", "-o", "out"], capsys)
    assert code == 0, out
    assert ("cohort.yaml:56:5: warning[W511]: month 4 (May 2027), Senior leader (Mexico City, Bogotá, São Paulo, "
            "Buenos Aires): 6.5 h planned, 6 h a month in program.yaml: core-04-team-lab 3 h, keynote 1 ('Budgets that "
            "follow results') 1.5 h, coaching call 1 h, pre-work for core-04-contracting-and-budgeting-for-results 1 h") \
        in out, out
    # the coach too: both core-04 sessions, the keynote and the call
    assert "warning[W511]: month 4 (May 2027), Coach (Mexico City, Bogotá, São Paulo, Buenos Aires): 8.5 h planned" in out


# -- what the pages say ----------------------------------------------------------------------

def test_city_pages_are_in_the_city_language(example) -> None:  # type: ignore[no-untyped-def]
    _, _, _, folder = example
    es = (folder / "mexico-city-es.md").read_text("utf-8")
    assert es.startswith("<!-- generated by cda schedule from curriculum/cohorts/example-cohort.yaml")
    assert "# Calendario de la cohorte: Américas 2027, Mexico City" in es
    assert "Los horarios corresponden a la hora local de America/Mexico_City." in es
    assert "| 2 | jueves, 4 de marzo de 2027 | 8:00–10:40 |" in es  # core-02's mayors' session (160 min)
    assert "[Agenda de la llamada](calls/mexico-city-03-es.md)" in es
    assert "[Agenda del encuentro](convening-es.md)" in es
    assert "cda playbook core-02-team-lab --lang es --start 09:00 --date 2027-03-11" in es
    pt = (folder / "sao-paulo-pt.md").read_text("utf-8")
    assert "| 2 | quinta-feira, 4 de março de 2027 | 11:00–13:40 |" in pt
    assert "Conferencia" not in pt and "Palestra principal: Evidências que mudaram uma decisão orçamentária" in pt


def test_call_agenda_lists_what_to_bring_and_what_the_coach_checks(example, curriculum) -> None:  # type: ignore[no-untyped-def]
    _, _, _, folder = example
    text = (folder / "calls/sao-paulo-02-pt.md").read_text("utf-8")
    mod = curriculum.module("core-02-performance-management")
    assert "# Chamada de mentoria, mês 2: São Paulo" in text
    assert "**Data:** quarta-feira, 17 de março de 2027, 10:00–11:00 (America/Sao_Paulo)" in text
    assert "## O que levar" in text and "## O que o mentor vai verificar" in text
    assert text.count("**Critérios de aceitação:**") == len(mod.exercises)
    assert text.count("- [ ] ") == sum(len(e.acceptance) for e in mod.exercises)
    assert "| 10:10 | 10:50 | Revisão dos entregáveis segundo os critérios de aceitação | 40 min |" in text
    carried = (folder / "calls/bogota-10-es.md").read_text("utf-8")  # evaluation month 4: no new module
    assert "Este mes no hay un módulo nuevo: la llamada da seguimiento a los entregables de" in carried


def test_convening_page_and_overview(example) -> None:  # type: ignore[no-untyped-def]
    _, _, _, folder = example
    conv = (folder / "convening-es.md").read_text("utf-8")
    assert "# Encuentro inaugural: Américas 2027" in conv
    assert "## Día 2: miércoles, 3 de febrero de 2027" in conv
    assert "| 9:00 | 12:00 | Sesión de alcaldes: de la promesa a la medición (`es/playbooks/core-01-mayors-session/`) | Alcalde |" in conv
    overview = (folder / "overview-en.md").read_text("utf-8")
    assert "# Coach overview: Américas 2027" in overview
    assert "No city chose Results-Driven Contracting: no sessions are planned for them." in overview
    assert "| Performance management | Mexico City, Buenos Aires | 8 |" in overview
    assert "Mexico City 8:00\u202fAM, Bogotá 9:00\u202fAM, São Paulo 11:00\u202fAM, Buenos Aires 11:00\u202fAM" in overview
    assert sum(line.startswith("### ") for line in overview.splitlines()) == 4  # every city's hours


def test_output_is_deterministic(example, work: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    _, _, _, folder = example
    code, out, err = run(["schedule", "--root", str(REPO), str(EXAMPLE), "-o", "again"], capsys)
    assert code == 0, out + err
    again = Path("again/americas-2027")
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            assert (again / path.relative_to(folder)).read_bytes() == path.read_bytes(), path


# -- four time zones, two daylight saving rules --------------------------------------------------

HEMISPHERES = """\
name: Hemispheres 2027
timezone: America/New_York        # reference: United States DST (second Sunday of March to first of November)
start_date: 2027-01-01
months: 8
site_url: https://course.cities.test/learn
cities:
  - {name: Toronto, country: Canada, language: en, timezone: America/Toronto, track: evaluation, coach: Ann}
  - {name: Santiago, country: Chile, language: es, timezone: America/Santiago, track: performance-management, coach: Bea}
  - {name: Ciudad de México, country: Mexico, language: es, timezone: America/Mexico_City, track: performance-management}
  - {name: São Paulo, country: Brazil, language: pt, timezone: America/Sao_Paulo, track: data-as-a-service}
mayors_sessions: {weekday: thursday, time: "10:00", week: 1}
team_labs: {weekday: thursday, time: 13:00, week: 2}
track_sessions: {weekday: tuesday, time: "11:00", week: 2}
coaching_calls: {weekday: wednesday, time: "09:30", week: 3}
"""


def test_four_time_zones_with_two_dst_rules(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Toronto follows the United States' DST rule, Santiago Chile's (southern summer), Mexico City and
    São Paulo have none. Shared sessions keep New York wall-clock time; calls keep each city's."""
    Path("hemispheres.yaml").write_text(HEMISPHERES, "utf-8")
    code, out, err = run(["schedule", "--root", str(REPO), "hemispheres.yaml", "-o", "out"], capsys)
    assert code == 0, out + err
    folder = Path("out/hemispheres-2027")
    local = {}
    for slug, zone in (("toronto", "America/Toronto"), ("santiago", "America/Santiago"),
                       ("ciudad-de-mexico", "America/Mexico_City"), ("sao-paulo", "America/Sao_Paulo")):
        found = events(folder / f"{slug}.ics")
        assert all(str(e.decoded("DTSTART").tzinfo) == zone for e in found)
        local[slug] = {str(e["UID"]).split("-hemispheres-2027-")[0] + e.decoded("DTSTART").strftime("@%m-%d"):
                       (e.decoded("DTSTART").time(), e.decoded("DTSTART").utcoffset()) for e in found}

    def h(hours: float) -> dt.timedelta:
        return dt.timedelta(hours=hours)

    # Mayors' sessions, Thursday 10:00 in New York. January: New York UTC-5, Santiago in summer time UTC-3.
    expected = {
        "core-01-mayors-session@01-07": {"toronto": (10, -5), "santiago": (12, -3), "ciudad-de-mexico": (9, -6), "sao-paulo": (12, -3)},
        # 4 March: before the US change (14 March) and Chile's (4 April)
        "core-03-mayors-session@03-04": {"toronto": (10, -5), "santiago": (12, -3), "ciudad-de-mexico": (9, -6), "sao-paulo": (12, -3)},
        # 1 April: New York already on summer time (UTC-4), Santiago not yet back to UTC-4
        "core-04-mayors-session@04-01": {"toronto": (10, -4), "santiago": (11, -3), "ciudad-de-mexico": (8, -6), "sao-paulo": (11, -3)},
        # 3 June: New York UTC-4, Santiago in winter time UTC-4
        "core-06-mayors-session@06-03": {"toronto": (10, -4), "santiago": (10, -4), "ciudad-de-mexico": (8, -6), "sao-paulo": (11, -3)},
    }
    for key, cities in expected.items():
        for slug, (hour, offset) in cities.items():
            assert local[slug][key] == (dt.time(hour), h(offset)), (key, slug, local[slug][key])
    # the unquoted 13:00 of the team labs; tracks in parallel, Tuesday 13 July 11:00 in New York (UTC-4)
    assert local["toronto"]["core-01-team-lab@01-14"] == (dt.time(13), h(-5))
    assert local["toronto"]["ev-01-workshop@07-13"] == (dt.time(11), h(-4))
    assert local["santiago"]["pm-01-workshop@07-13"] == (dt.time(11), h(-4))
    assert local["ciudad-de-mexico"]["pm-01-workshop@07-13"] == (dt.time(9), h(-6))
    assert local["sao-paulo"]["daas-01-workshop@07-13"] == (dt.time(12), h(-3))
    # coaching calls keep each city's wall-clock time while its offset changes
    assert local["santiago"]["coaching-call-01@01-20"] == (dt.time(9, 30), h(-3))
    assert local["santiago"]["coaching-call-06@06-16"] == (dt.time(9, 30), h(-4))
    assert local["toronto"]["coaching-call-03@03-17"] == (dt.time(9, 30), h(-4))  # three days after the US change
    assert local["toronto"]["coaching-call-02@02-17"] == (dt.time(9, 30), h(-5))
    cal = icalendar.Calendar.from_ical((folder / "santiago.ics").read_bytes())
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"America/Santiago"}
    text = (folder / "toronto-en.md").read_text("utf-8")
    assert "| 1 | Thursday, January 7, 2027 | 10:00\u202fAM–1:00\u202fPM |" in text
    assert "[Playbook](https://course.cities.test/learn/playbooks/core-01-mayors-session/)" in text


def test_program_months_follow_the_start_day() -> None:
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 11, 15), 3) == dt.date(2028, 2, 15)
    assert session_day(dt.date(2027, 2, 1), 1, THU, 1) == dt.date(2027, 2, 4)
    assert session_day(dt.date(2027, 2, 1), 2, THU, 2) == dt.date(2027, 3, 11)
    assert session_day(dt.date(2027, 2, 15), 1, THU, 1) == dt.date(2027, 2, 18)  # never before the start


# -- tracks: chosen by each city, required after month 6 -----------------------------------------

def test_a_city_without_a_track_is_an_error_after_month_six(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = GOOD.replace("    track: evaluation\n", "")
    Path("cohort.yaml").write_text(text, "utf-8")
    code, out, _ = run(["schedule", "--root", str(REPO), "cohort.yaml"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "cohort.yaml:18:5: error[E505]: city 'Bogotá' has no track, but the plan goes on to month 18", out
    assert lines[1].startswith("    hint: add 'track:' (one of performance-management, evaluation, ")
    assert not Path("schedules").exists()
    # planning the core only is fine before the cities choose
    Path("cohort.yaml").write_text(text.replace("months: 18 ", "months: 6  "), "utf-8")
    code, out, _ = run(["schedule", "--root", str(REPO), "cohort.yaml"], capsys)
    assert code == 0, out
    found = events(Path("schedules/americas-2027/bogota.ics"))
    assert len(found) == 3 + 5 + 6 + 2 + 6
    assert "Aún no elegida" in Path("schedules/americas-2027/bogota-es.md").read_text("utf-8")


def test_the_single_track_format_gets_a_migration_hint(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("old.yaml").write_text(
        "name: Andes 2027\ncities: [Medellín, Quito]\nlanguage: es\ntimezone: America/Bogota\n"
        'start_date: "2027-02-01"\nmayors_sessions: {weekday: thursday, time: "09:00"}\n'
        'team_labs: {weekday: thursday, time: "14:00"}\ntrack: evaluation\n', "utf-8")
    code, out, _ = run(["schedule", "--root", str(REPO), "old.yaml"], capsys)
    assert code == 1
    assert out.splitlines()[:2] == [
        "old.yaml:2:9: error[E504]: this cohort file has the single-track format of earlier versions: every city now "
        "has its own language, time zone and track",
        "    hint: write each city as a mapping with name, country, language, timezone and track (its chosen track), "
        "move the cohort's language and track into the cities, keep timezone as the reference time zone and add "
        "coaching_calls; see curriculum/cohorts/example-cohort.yaml"], out
    assert out.splitlines()[-1] == "1 error, 0 warnings"


# -- bad cohort files ---------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "first", "hint"), [
    ("timezone: America/Bogota        #", "timezone: America/Bogata        #",
     "cohort.yaml:6:11: error[E501]: unknown time zone 'America/Bogata'", "did you mean 'America/Bogota'?"),
    ("timezone: America/Sao_Paulo ", "timezone: Brasil/Sampa       ",
     "cohort.yaml:28:15: error[E501]: unknown time zone 'Brasil/Sampa'", "use an IANA time zone name"),
    ("track: data-as-a-service", "track: data-as-service",
     "cohort.yaml:29:12: error[E204]: 'cities[3].track' has the unknown value 'data-as-service'",
     "did you mean 'data-as-a-service'?"),
    ('start_date: "2027-02-01"', 'start_date: "2027-02-30"',
     "cohort.yaml:7:13: error[E502]: 'start_date' is not a real date: '2027-02-30' (day is out of range for month)",
     "check the day and the month"),
    ('- date: "2027-02-03"', '- date: "2027-02-31"',
     "cohort.yaml:90:13: error[E502]: 'date' is not a real date: '2027-02-31' (day is out of range for month)",
     "check the day and the month"),
    ('- date: "2027-02-04"', '- date: "2027-02-01"',
     "cohort.yaml:96:13: error[E508]: convening day 3 (2027-02-01) does not come after day 2 (2027-02-03)",
     "list the convening's days in order"),
    ("  week: 1 ", "  weak: 1 ",
     "cohort.yaml:41:3: error[E201]: unknown key 'weak' in mayors_sessions", "did you mean 'week'?"),
    ("team_labs:", "team_lab:",
     "cohort.yaml:5:1: error[E202]: cohort is missing the required key 'team_labs'", "add 'team_labs:'"),
    ('  time: "10:00"\n  week: 2                       # the second Thursday',
     '  time: "10 AM"\n  week: 2                       # the second Thursday',
     "cohort.yaml:44:9: error[E205]: 'team_labs.time' has an invalid format: '10 AM'", "the value must match"),
    ("workshop: core-01-mayors-session}", "workshop: core-01-mayor-session} ",
     "cohort.yaml:92:37: error[E509]: unknown workshop 'core-01-mayor-session'", "did you mean 'core-01-mayors-session'?"),
    ("  - month: 5\n", "  - month: 19\n",
     "cohort.yaml:65:12: error[E207]: 'keynotes[2].month' is out of range: 19 (19 is greater than the maximum of 18)",
     "use a value within the allowed range"),
    ("    country: Colombia\n", "",
     "cohort.yaml:18:5: error[E202]: cities[2] is missing the required key 'country'", "add 'country:'"),
])
def test_bad_cohort_gives_located_diagnostics(work: Path, capsys: pytest.CaptureFixture[str],
                                              old: str, new: str, first: str, hint: str) -> None:
    assert old in GOOD
    Path("cohort.yaml").write_text(GOOD.replace(old, new, 1), "utf-8")
    code, out, err = run(["schedule", "--root", str(REPO), "cohort.yaml"], capsys)
    assert code == 1, out + err
    lines = out.splitlines()
    assert first in lines, out
    assert lines[lines.index(first) + 1].startswith(f"    hint: {hint}"), out
    assert "Traceback" not in out + err and err.startswith("Aborted: ")
    assert not Path("schedules").exists()


def test_every_problem_is_reported_at_once(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (GOOD.replace("America/Bogota        #", "Mars/Olympus          #").replace('"2027-02-01"', '"2027-13-01"')
            .replace("track: evaluation", "track: statistics") + "colour: blue\n")
    Path("cohort.yaml").write_text(text, "utf-8")
    code, out, _ = run(["schedule", "--root", str(REPO), "cohort.yaml", "-o", "out"], capsys)
    assert code == 1
    codes = [line.split("error[")[1][:4] for line in out.splitlines() if "error[" in line]
    assert sorted(codes) == ["E201", "E204", "E501", "E502"], out
    assert out.splitlines()[-1] == "4 errors, 0 warnings"
    assert not Path("out").exists()


def test_unquoted_impossible_date_is_located(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("cohort.yaml").write_text(GOOD.replace('"2027-02-01"', "2027-02-30"), "utf-8")
    code, out, _ = run(["schedule", "--root", str(REPO), "cohort.yaml"], capsys)
    assert code == 1
    assert out.startswith("cohort.yaml:7:13: error[E100]: invalid date '2027-02-30'"), out
    assert out.splitlines()[-1] == "1 error, 0 warnings", out
    assert not Path("schedules").exists()


def test_track_missing_from_the_curriculum(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = work / "project"
    shutil.copytree(MINIMAL, root)  # only the core track
    Path("cohort.yaml").write_text(GOOD, "utf-8")
    code, out, _ = run(["schedule", "--root", str(root), "cohort.yaml"], capsys)
    assert code == 1
    assert out.splitlines()[0] == ("cohort.yaml:15:12: error[E503]: unknown track 'performance-management': "
                                   "the curriculum has no such track"), out
    assert not Path("schedules").exists()


def test_missing_cohort_file(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["schedule", "--root", str(REPO), "nowhere.yaml"], capsys)
    assert code == 1
    assert out.startswith("nowhere.yaml:1:1: error[E107]: cannot read file"), out
    assert not Path("schedules").exists()
