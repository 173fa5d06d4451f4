"""``cda schedule``: a cohort plan → its dated calendar (a Markdown page and an ``.ics`` file).

The program runs in *program months*: month 1 starts on the cohort's ``start_date`` and month N
starts N-1 calendar months later on the same day (clamped to the month's last day). A session
"on week n" falls on the n-th occurrence of its weekday from the start of its program month, so
with a start on the 1st, ``week: 2`` of a Thursday is the month's second Thursday.

- Months 1-6: core module N's workshop for mayors (its audience includes ``mayor``) on the
  ``mayors_sessions`` slot, and the module's other workshop on the ``team_labs`` slot.
- Then the track: a module with ``month: M`` meets in program month 6 + M on the
  ``track_sessions`` slot (default: the team labs' weekday, time and week).

Times are wall-clock times in the cohort's IANA time zone, so they stay put across daylight
saving changes. Everything is computed before anything is written; a bad cohort file gives
located diagnostics and writes nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from build_tools import model as m
from build_tools.agenda import BABEL_LOCALES, format_clock
from build_tools.diagnostics import Diagnostic, Report, display_path, error
from build_tools.errors import CdaError, DiagnosticsError
from build_tools.generate import Ctx, cell
from build_tools.po import PoFile
from build_tools.schema import did_you_mean, validate_doc
from build_tools.sources import YamlDoc, parse_yaml, read_text

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CORE_MONTHS = 6
PRODID = "-//City Data Alliance//cda schedule//EN"
UID_DOMAIN = "cda-course"


@dataclass(frozen=True, slots=True)
class Slot:
    """When a kind of session meets: a weekday, a local clock time, the n-th week of the month."""

    weekday: int
    time: dt.time
    week: int


@dataclass(frozen=True, slots=True)
class Cohort:
    doc: YamlDoc
    name: str
    slug: str
    cities: tuple[str, ...]
    language: str
    timezone: str
    start: dt.date
    mayors: Slot
    labs: Slot
    track: str
    track_slot: Slot
    site_url: str = ""

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Session:
    """One dated event of the cohort."""

    kind: str            # mayors_session | team_lab | track_workshop (ui keys)
    month: int           # program month, 1-18
    workshop: m.Workshop
    module: m.Module
    start: dt.datetime   # aware, in the cohort's time zone
    end: dt.datetime


# -- reading the cohort file ---------------------------------------------------------------

@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "cohort"


def _normalize(doc: YamlDoc) -> None:
    """Accept what YAML makes of unquoted values: a date object, a sexagesimal time (14:00 → 840)."""
    data = doc.data
    if not isinstance(data, dict):
        return
    if isinstance(data.get("start_date"), dt.date) and not isinstance(data["start_date"], dt.datetime):
        data["start_date"] = data["start_date"].isoformat()
    for key in ("mayors_sessions", "team_labs", "track_sessions"):
        slot = data.get(key)
        if isinstance(slot, dict):
            value = slot.get("time")
            if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
                slot["time"] = f"{value // 60:02d}:{value % 60:02d}"


def check_values(doc: YamlDoc) -> list[Diagnostic]:
    """What the schema cannot say: a real time zone, a real date."""
    data = doc.data if isinstance(doc.data, dict) else {}
    out = []
    tz = data.get("timezone")
    if isinstance(tz, str) and tz and tz not in _zones():
        hint = (did_you_mean(tz, sorted(_zones())) or
                "use an IANA time zone name such as 'America/Bogota', 'America/Sao_Paulo' or 'America/New_York'")
        out.append(error(doc.loc(("timezone",)), "E501", f"unknown time zone '{tz}'", hint))
    start = data.get("start_date")
    if isinstance(start, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", start):
        try:
            dt.date.fromisoformat(start)
        except ValueError as exc:
            out.append(error(doc.loc(("start_date",)), "E502", f"'start_date' is not a real date: '{start}' ({exc})",
                             "check the day and the month; write the date as \"YYYY-MM-DD\""))
    return out


def check_against(doc: YamlDoc, cur: m.Curriculum) -> list[Diagnostic]:
    """The cohort's track must exist in this curriculum."""
    track = doc.data.get("track") if isinstance(doc.data, dict) else None
    if track in m.TRACK_IDS[1:] and cur.track(track) is None:  # other values: the schema reports them
        known = [t.id for t in cur.ordered_tracks() if t.id != "core"]
        hint = did_you_mean(track, known) or (f"tracks in this curriculum: {', '.join(known)}" if known
                                              else "add the track to curriculum/tracks/")
        return [error(doc.loc(("track",)), "E503", f"unknown track '{track}': the curriculum has no such track", hint)]
    return []


def parse_cohort(path: Path) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Read, parse and check a cohort file; the document and every diagnostic found."""
    shown = display_path(path.absolute())
    text, diags = read_text(path, shown)
    if text is None:
        return None, diags
    doc, diags = parse_yaml(text, shown)
    if doc is None:
        return None, diags
    _normalize(doc)
    seen = {d.loc for d in diags}  # a value YAML could not read is not reported twice
    diags = [*diags, *(d for d in [*validate_doc(doc, "cohort"), *check_values(doc)] if d.loc not in seen)]
    return doc, diags


def _slot(data: dict[str, Any], default_week: int) -> Slot:
    hours, minutes = (int(x) for x in data["time"].split(":"))
    return Slot(WEEKDAYS.index(data["weekday"]), dt.time(hours, minutes), int(data.get("week", default_week)))


def cohort_from(doc: YamlDoc) -> Cohort:
    """The typed cohort of a document that passed :func:`parse_cohort` without errors."""
    d = doc.data
    labs = _slot(d["team_labs"], 2)
    track_data = d.get("track_sessions") or {}
    track_slot = _slot(track_data, labs.week) if track_data else labs
    site_url = str(d.get("site_url", ""))
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    return Cohort(doc, d["name"], slugify(d["name"]), tuple(d["cities"]), d["language"], d["timezone"],
                  dt.date.fromisoformat(d["start_date"]), _slot(d["mayors_sessions"], 1), labs, d["track"],
                  track_slot, site_url)


def load_cohort(path: Path, cur: m.Curriculum) -> Cohort:
    """A valid cohort, or :class:`DiagnosticsError` with every problem found."""
    doc, diags = parse_cohort(path)
    if doc is not None:
        diags += check_against(doc, cur)
    report = Report(diags)
    if report.errors or doc is None:
        raise DiagnosticsError(report)
    return cohort_from(doc)


# -- the calendar ------------------------------------------------------------------------

def add_months(day: dt.date, months: int) -> dt.date:
    years, index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def session_day(start: dt.date, month: int, weekday: int, week: int) -> dt.date:
    """The ``week``-th ``weekday`` from the start of program month ``month`` (1-based)."""
    begin = add_months(start, month - 1)
    return begin + dt.timedelta(days=(weekday - begin.weekday()) % 7 + 7 * (week - 1))


def _at(cohort: Cohort, day: dt.date, slot: Slot, ws: m.Workshop) -> tuple[dt.datetime, dt.datetime]:
    begin = dt.datetime.combine(day, slot.time, tzinfo=cohort.tz)
    return begin, begin + dt.timedelta(minutes=ws.duration)


def plan_sessions(cohort: Cohort, cur: m.Curriculum) -> list[Session]:
    """Every session of the cohort, in date order."""
    core = cur.track("core")
    core_modules = cur.track_modules(core) if core else []
    out: list[Session] = []
    for month in range(1, CORE_MONTHS + 1):
        mod = next((x for x in core_modules if x.month == month), None)
        workshops = [w for w in (cur.workshop(i) for i in mod.workshops) if w] if mod else []
        mayors = next((w for w in workshops if "mayor" in w.audience), None)
        others = [w for w in workshops if w is not mayors]
        if mod is None or mayors is None or len(others) != 1:
            raise CdaError(f"cda schedule needs, for core month {month}, a core module with one workshop for mayors "
                           "(audience includes mayor) and one team lab; "
                           + ("found none" if mod is None else f"module '{mod.id}' lists {', '.join(mod.workshops) or 'none'}"))
        for kind, ws, slot in (("mayors_session", mayors, cohort.mayors), ("team_lab", others[0], cohort.labs)):
            begin, end = _at(cohort, session_day(cohort.start, month, slot.weekday, slot.week), slot, ws)
            out.append(Session(kind, month, ws, mod, begin, end))
    track = cur.track(cohort.track)
    for mod in cur.track_modules(track) if track else []:
        month = CORE_MONTHS + mod.month
        for i, ws in enumerate(w for w in (cur.workshop(x) for x in mod.workshops) if w):
            day = session_day(cohort.start, month, cohort.track_slot.weekday, cohort.track_slot.week)
            begin, end = _at(cohort, day + dt.timedelta(weeks=i), cohort.track_slot, ws)
            out.append(Session("track_workshop", month, ws, mod, begin, end))
    return sorted(out, key=lambda s: (s.start, s.workshop.id))


def playbook_url(cohort: Cohort, ws: m.Workshop) -> str:
    """The workshop's page on the published site (English at the root, other languages in folders)."""
    prefix = "" if cohort.language == "en" else f"{cohort.language}/"
    return f"{cohort.site_url}{prefix}playbooks/{ws.id}/"


def playbook_command(cohort: Cohort, s: Session) -> str:
    return (f"cda playbook {s.workshop.id} --lang {cohort.language} --start {s.start:%H:%M} "
            f"--date {s.start.date().isoformat()}")


def _session_title(ctx: Ctx, s: Session) -> str:
    """The workshop's title (titles already say what kind of session it is); the kind is a category."""
    return ctx.tr(f"workshop-{s.workshop.id}", "title", s.workshop.title)


def render_page(cohort: Cohort, sessions: list[Session], ctx: Ctx, source: str) -> str:
    """The calendar page (Markdown) in the cohort's language."""
    from babel.dates import format_date

    locale = BABEL_LOCALES[cohort.language]

    def spell(day: dt.date) -> str:
        return format_date(day, "full", locale=locale)

    rows = []
    for s in sessions:
        url = playbook_url(cohort, s.workshop)
        link = f"[{ctx.ui('playbook')}]({url})" if cohort.site_url else f"`{url}`"
        module = ctx.tr(f"module-{s.module.id}", "title", s.module.title)
        rows.append(f"| {s.month} | {spell(s.start.date())} | {format_clock(s.start, cohort.language)}–"
                    f"{format_clock(s.end, cohort.language)} | {cell(_session_title(ctx, s))} | {cell(module)} | {link} |")
    facts = (f"| {ctx.ui('cities')} | {ctx.ui('language')} | {ctx.ui('timezone')} | {ctx.ui('start_date')} |\n"
             f"| --- | --- | --- | --- |\n| {cell(', '.join(cohort.cities))} | {ctx.ui('language.' + cohort.language)} | "
             f"{cohort.timezone} | {spell(cohort.start)} |")
    table = (f"| {ctx.ui('month')} | {ctx.ui('date')} | {ctx.ui('time')} | {ctx.ui('session')} | {ctx.ui('module')} | "
             f"{ctx.ui('playbook')} |\n| ---: | --- | --- | --- | --- | --- |\n" + "\n".join(rows))
    commands = "\n".join(playbook_command(cohort, s) for s in sessions)
    parts = [f"# {ctx.ui('cohort_calendar')}: {cohort.name}"]
    if ctx.lang != "en" and ctx.missing:
        parts.append(f'!!! warning "{ctx.ui("untranslated_notice_title")}"\n\n    {ctx.ui("untranslated_notice_print")}')
    parts += [facts, ctx.ui("calendar_file", name=f"`{cohort.slug}.ics`"), table,
              f"## {ctx.ui('print_playbooks')}\n\n{ctx.ui('print_playbooks_text')}\n\n```sh\n{commands}\n```"]
    header = (f"<!-- generated by cda schedule from {source}; do not edit: change the cohort file "
              "and run cda schedule again -->\n\n")
    return header + "\n\n".join(parts) + "\n"


def render_ics(cohort: Cohort, sessions: list[Session], ctx: Ctx) -> str:
    """The iCalendar file: one VEVENT per session, stable UIDs, deterministic output."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{ctx.ui('cohort_calendar')}: {cohort.name}")
    cal.add("x-wr-timezone", cohort.timezone)
    stamp = dt.datetime.combine(cohort.start, dt.time(0, 0), tzinfo=dt.timezone.utc)
    lang = {"LANGUAGE": {"en": "en", "es": "es", "pt": "pt-BR"}[cohort.language]}
    for s in sessions:
        url = playbook_url(cohort, s.workshop)
        module = ctx.tr(f"module-{s.module.id}", "title", s.module.title)
        description = "\n".join([
            f"{ctx.ui('module')}: {module}",
            f"{ctx.ui('cities')}: {', '.join(cohort.cities)}",
            f"{ctx.ui('playbook')}: {url}",
            playbook_command(cohort, s),
        ])
        event = icalendar.Event()
        event.add("uid", f"{s.workshop.id}-{cohort.slug}-{s.start:%Y%m%d}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", s.start)
        event.add("dtend", s.end)
        event.add("summary", _session_title(ctx, s), parameters=lang)
        event.add("description", description, parameters=lang)
        event.add("url", url)
        event.add("categories", [ctx.ui(s.kind)])
        cal.add_component(event)
    if sessions:
        cal.add_missing_timezones(first_date=cohort.start - dt.timedelta(days=1),
                                  last_date=sessions[-1].end.date() + dt.timedelta(days=1))
    return cal.to_ical().decode("utf-8")


def build_schedule(cohort: Cohort, cur: m.Curriculum, catalogs: dict[str, dict[str, PoFile]],
                   source: str = "") -> dict[str, str]:
    """``{file name: text}`` of the calendar page and the .ics file; writes nothing."""
    sessions = plan_sessions(cohort, cur)
    lang_catalogs = catalogs.get(cohort.language, {})
    page = render_page(cohort, sessions, Ctx(cohort.language, cur, lang_catalogs, mark=True),
                       source or cohort.doc.path)
    ics = render_ics(cohort, sessions, Ctx(cohort.language, cur, lang_catalogs, mark=False))
    return {f"{cohort.slug}-{cohort.language}.md": page, f"{cohort.slug}.ics": ics}


def write_schedule(root: Path, cohort_path: Path, out_dir: Path = Path("schedules"), strict: bool = False) -> list[Path]:
    """Check the cohort file, compute its calendar, write both files; return the paths written."""
    from build_tools.fsutil import atomic_write
    from build_tools.playbook import load_catalogs
    from build_tools.project import load_valid

    cur, _ = load_valid(root, strict)
    cohort = load_cohort(cohort_path, cur)
    try:
        source = cohort_path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        source = cohort.doc.path
    files = build_schedule(cohort, cur, load_catalogs(root), source)
    paths = []
    for name, text in files.items():
        path = out_dir / name
        try:
            atomic_write(path, text)
        except OSError as exc:
            raise CdaError(f"cannot write {path}: {exc.strerror or exc}") from None
        paths.append(path)
    return paths
