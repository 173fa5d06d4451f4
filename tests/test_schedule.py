"""``cda schedule``: a cohort plan becomes a dated calendar page and an .ics file."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import icalendar
import pytest

from build_tools.project import load_valid
from build_tools.schedule import add_months, parse_cohort, session_day
from conftest import run

HERE = Path(__file__).parent
REPO = HERE.parent
MINIMAL = HERE / "fixtures" / "minimal"
EXAMPLE = REPO / "curriculum" / "cohorts" / "example-cohort.yaml"
THU, WED, TUE = 3, 2, 1


def events(path: Path) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    assert str(cal["PRODID"]) and str(cal["VERSION"]) == "2.0"
    return sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))


@pytest.fixture(scope="module")
def curriculum():  # type: ignore[no-untyped-def]
    cur, _ = load_valid(REPO)
    return cur


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- the example cohort -------------------------------------------------------------------

def test_example_cohort_file_is_valid() -> None:
    doc, diags = parse_cohort(EXAMPLE)
    assert doc is not None and diags == []


def test_example_cohort_calendar(work: Path, capsys: pytest.CaptureFixture[str], curriculum) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(["schedule", "--root", str(REPO), str(EXAMPLE)], capsys)
    assert code == 0, out + err
    ics, page = Path("schedules/andes-2027.ics"), Path("schedules/andes-2027-es.md")
    assert out.splitlines() == [f"wrote {page}", f"wrote {ics}"]

    found = events(ics)
    kinds = {"mayors": [], "labs": [], "track": []}  # type: dict[str, list[icalendar.Event]]
    for ev in found:
        uid = str(ev["UID"])
        kinds["mayors" if "-mayors-session-" in uid else "labs" if "-team-lab-" in uid else "track"].append(ev)
    assert len(found) == 20
    assert (len(kinds["mayors"]), len(kinds["labs"]), len(kinds["track"])) == (6, 6, 8)
    assert len({str(e["UID"]) for e in found}) == 20

    for kind, weekday, clock, days in (("mayors", THU, dt.time(9, 0), range(1, 8)),
                                       ("labs", THU, dt.time(14, 0), range(8, 15)),
                                       ("track", WED, dt.time(9, 0), range(8, 15))):
        for ev in kinds[kind]:
            start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
            assert str(start.tzinfo) == "America/Bogota", ev
            assert (start.weekday(), start.time(), start.day in days) == (weekday, clock, True), (kind, start)
            ws = curriculum.workshop(str(ev["UID"]).split("-andes-2027-")[0])
            assert end - start == dt.timedelta(minutes=ws.duration)
            assert str(ev["URL"]) == f"es/playbooks/{ws.id}/"
            assert ev.decoded("DTSTAMP") == dt.datetime(2027, 2, 1, tzinfo=dt.timezone.utc)

    # month N of the core: core module N's mayors' session and team lab, in February-July 2027
    months = [(e.decoded("DTSTART").year, e.decoded("DTSTART").month) for e in kinds["mayors"]]
    assert months == [(2027, m) for m in range(2, 8)]
    assert [str(e["UID"]).split("-")[1] for e in kinds["mayors"]] == ["01", "02", "03", "04", "05", "06"]
    assert kinds["mayors"][0].decoded("DTSTART").date() == dt.date(2027, 2, 4)
    assert kinds["labs"][0].decoded("DTSTART").date() == dt.date(2027, 2, 11)
    # the track: module month M meets in program month 6 + M
    track = curriculum.track("performance-management")
    for ev, mod in zip(kinds["track"], curriculum.track_modules(track)):
        start = ev.decoded("DTSTART")
        assert str(ev["UID"]).startswith(mod.workshops[0] + "-andes-2027-")
        assert (start.year, start.month) == (lambda d: (d.year, d.month))(add_months(dt.date(2027, 2, 1), 5 + mod.month))

    text = page.read_text("utf-8")
    assert "| 1 | jueves, 4 de febrero de 2027 | 9:00–12:00 |" in text
    assert "`es/playbooks/core-01-mayors-session/`" in text
    assert "cda playbook core-01-team-lab --lang es --start 14:00 --date 2027-02-11" in text
    assert "Medellín, Quito, Arequipa" in text and "America/Bogota" in text

    # deterministic: a second run writes the same bytes
    before = ics.read_bytes(), page.read_bytes()
    code, out, err = run(["schedule", "--root", str(REPO), str(EXAMPLE), "-o", "again"], capsys)
    assert code == 0, out + err
    assert (Path("again/andes-2027.ics").read_bytes(), Path("again/andes-2027-es.md").read_bytes()) == before


DST_COHORT = """\
name: Hudson Valley Pilot
cities: [Albany, Poughkeepsie]
language: en
timezone: America/New_York
start_date: 2027-01-01
mayors_sessions: {weekday: tuesday, time: "10:00"}
team_labs: {weekday: tuesday, time: 15:30, week: 3}
track: performance-management
site_url: https://course.cities.test/learn
"""


def test_dst_zone_keeps_local_wall_clock_time(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("hudson.yaml").write_text(DST_COHORT, "utf-8")
    code, out, err = run(["schedule", "--root", str(REPO), "hudson.yaml", "-o", "out"], capsys)
    assert code == 0, out + err
    found = events(Path("out/hudson-valley-pilot.ics"))
    assert len(found) == 20
    offsets = set()
    for ev in found:
        start = ev.decoded("DTSTART")
        assert str(start.tzinfo) == "America/New_York"
        assert start.weekday() == TUE
        expected = dt.time(10, 0) if "-mayors-session-" in str(ev["UID"]) else dt.time(15, 30)
        assert start.time() == expected, start  # unquoted 15:30 and the track's default slot too
        offsets.add(start.utcoffset())
        if start.date() in (dt.date(2027, 3, 2), dt.date(2027, 3, 16)):  # either side of 14 March 2027
            assert start.utcoffset() == dt.timedelta(hours=-5 if start.day == 2 else -4)
    assert offsets == {dt.timedelta(hours=-5), dt.timedelta(hours=-4)}
    assert str(found[0]["URL"]) == "https://course.cities.test/learn/playbooks/core-01-mayors-session/"
    text = Path("out/hudson-valley-pilot-en.md").read_text("utf-8")
    assert "| 1 | Tuesday, January 5, 2027 | 10:00\u202fAM–1:00\u202fPM |" in text
    assert "[Playbook](https://course.cities.test/learn/playbooks/core-01-mayors-session/)" in text


def test_program_months_follow_the_start_day() -> None:
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 11, 15), 3) == dt.date(2028, 2, 15)
    assert session_day(dt.date(2027, 2, 1), 1, THU, 1) == dt.date(2027, 2, 4)
    assert session_day(dt.date(2027, 2, 1), 2, THU, 2) == dt.date(2027, 3, 11)
    assert session_day(dt.date(2027, 2, 15), 1, THU, 1) == dt.date(2027, 2, 18)  # never before the start


# -- bad cohort files ---------------------------------------------------------------------

GOOD = EXAMPLE.read_text("utf-8")


@pytest.mark.parametrize(("old", "new", "first", "hint"), [
    ("timezone: America/Bogota ", "timezone: America/Bogata  ",
     "cohort.yaml:7:11: error[E501]: unknown time zone 'America/Bogata'", "did you mean 'America/Bogota'?"),
    ("timezone: America/Bogota ", "timezone: Andes/Medellin  ",
     "cohort.yaml:7:11: error[E501]: unknown time zone 'Andes/Medellin'", "use an IANA time zone name"),
    ("track: performance-management", "track: performance-managment",
     "cohort.yaml:17:8: error[E204]: 'track' has the unknown value 'performance-managment'",
     "did you mean 'performance-management'?"),
    ('start_date: "2027-02-01"', 'start_date: "2027-02-30"',
     "cohort.yaml:8:13: error[E502]: 'start_date' is not a real date: '2027-02-30' (day is out of range for month)",
     "check the day and the month"),
    ("  week: 1 ", "  weak: 1 ",
     "cohort.yaml:12:3: error[E201]: unknown key 'weak' in mayors_sessions", "did you mean 'week'?"),
    ("team_labs:", "team_lab:",
     "cohort.yaml:4:1: error[E202]: cohort is missing the required key 'team_labs'", "add 'team_labs:'"),
    ('time: "14:00"', 'time: "2 PM"',
     "cohort.yaml:15:9: error[E205]: 'team_labs.time' has an invalid format: '2 PM'", "the value must match"),
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
    text = (GOOD.replace("America/Bogota ", "Mars/Olympus   ").replace('"2027-02-01"', '"2027-13-01"')
            .replace("track: performance-management", "track: statistics") + "colour: blue\n")
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
    assert out.startswith("cohort.yaml:8:13: error[E100]: invalid date '2027-02-30'"), out
    assert out.splitlines()[-1] == "1 error, 0 warnings", out
    assert not Path("schedules").exists()


def test_track_missing_from_the_curriculum(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = work / "project"
    shutil.copytree(MINIMAL, root)  # only the core track
    Path("cohort.yaml").write_text(GOOD, "utf-8")
    code, out, _ = run(["schedule", "--root", str(root), "cohort.yaml"], capsys)
    assert code == 1
    assert out.splitlines()[0] == ("cohort.yaml:17:8: error[E503]: unknown track 'performance-management': "
                                   "the curriculum has no such track"), out
    assert not Path("schedules").exists()


def test_missing_cohort_file(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["schedule", "--root", str(REPO), "nowhere.yaml"], capsys)
    assert code == 1
    assert out.startswith("nowhere.yaml:1:1: error[E107]: cannot read file"), out
    assert not Path("schedules").exists()
