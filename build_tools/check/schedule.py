"""``cda schedule``: a cohort file → every city's calendar, the coaching call agendas, the convening's
agenda and the coaches' overview (Markdown pages and one ``.ics`` file per city).

The program runs in *program months*: month 1 starts on the cohort's ``start_date`` and month N
starts N-1 calendar months later on the same day (clamped to the month's last day). A session
"on week n" falls on the n-th occurrence of its weekday from the start of its program month.

- The convening: its days and agenda as the cohort file gives them, in the venue's time zone. A
  workshop run there is not scheduled again in its month.
- Months 1-6 (core): core module N's workshop for mayors (its audience includes ``mayor``) on the
  ``mayors_sessions`` slot and its other workshop on the ``team_labs`` slot, for every city.
- Months 7-18: each track chosen by at least one city meets, with the cities that chose it, on the
  ``track_sessions`` slot; tracks run in parallel. A module with ``month: M`` meets in program
  month 6 + M; a track nobody chose has no sessions.
- Keynotes: in their month, for every city.
- Coaching calls: one per city and month, in the city's local time, on the agenda the deliverables of
  that month's module and their acceptance criteria (in a month without a new module, the latest one).

Shared sessions are wall-clock times in the reference time zone, so they stay put across its daylight
saving changes; each city sees them in its own time zone. Everything is computed and checked before
anything is written: a bad cohort file gives located diagnostics and writes nothing.

Hours per role and month (the time budget): the sessions the role attends, its coaching call and its
pre-work. A module's ``hours`` are what one participant spends on the module's month in all, so the
pre-work of each role in the module's audience is what remains of them after the module's sessions
(as many as one participant attends) and the coaching call, never below zero. The coach's column is the city's sessions and calls. The
convening is a commitment of its own and is shown apart, not counted in the month.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from build_tools.base.diagnostics import Diagnostic, Report, error, warning
from build_tools.base.errors import CdaError, DiagnosticsError
from build_tools.source import model as m
from build_tools.source.cohort import (
    CORE_MONTHS,
    PARTICIPANTS,
    TEAM,
    City,
    Cohort,
    ConveningItem,
    Keynote,
    Slot,
    check_values,
    cohort_from,
    parse_cohort,
    slugify,
)
from build_tools.source.schema import did_you_mean
from build_tools.source.sources import YamlDoc, YPath

__all__ = ["add_months", "check_against", "check_values", "load_cohort", "parse_cohort", "plan_sessions",
           "session_day", "slugify"]

PRODID = "-//City Data Alliance//cda schedule//EN"
UID_DOMAIN = "cda-course"
ROLE_ORDER = (*PARTICIPANTS, "coach")


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a convening day's agenda, with its clock times at the venue."""

    item: ConveningItem
    start: dt.datetime
    end: dt.datetime
    roles: frozenset[str]
    workshop: m.Workshop | None = None

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class Session:
    """One dated event: who takes part, when, and what it is."""

    kind: str                   # convening | mayors_session | team_lab | keynote | track_workshop | coaching_call
    month: int                  # program month, 1-18
    start: dt.datetime          # aware: the reference zone, the venue's (convening) or the city's (calls)
    end: dt.datetime
    cities: tuple[str, ...]     # slugs of the cities taking part
    roles: frozenset[str]       # program roles attending (the coach attends everything)
    ypath: YPath                # where the cohort file defines it
    workshop: m.Workshop | None = None
    module: m.Module | None = None
    track: str = ""
    keynote: Keynote | None = None
    day: int = 0                # convening: day number, from 1
    blocks: tuple[Block, ...] = ()
    carried: bool = False       # coaching call in a month without a new module: its module's work goes on

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def label(self, cohort: Cohort) -> str:
        """A short English name for diagnostics."""
        if self.kind == "keynote" and self.keynote:
            return f"keynote {self.keynote.number} ('{self.keynote.title.get('en')[0]}')"
        if self.kind == "coaching_call":
            return f"{city_named(cohort, self.cities[0]).name}'s coaching call"
        if self.kind == "convening":
            return f"convening day {self.day}"
        return self.workshop.id if self.workshop else self.kind


@dataclass(frozen=True, slots=True)
class Line:
    """One part of a role's hours in a month: a session it attends, or its pre-work for a module."""

    minutes: int
    session: Session | None = None
    module: m.Module | None = None   # pre-work


@dataclass(frozen=True, slots=True)
class Hours:
    """A role's planned hours in one program month for one city, and its budget from program.yaml."""

    city: City
    month: int
    role: str
    lines: tuple[Line, ...]
    budget: int          # minutes a month
    convening: int = 0   # minutes at the convening this month (not counted in total)

    @property
    def total(self) -> int:
        return sum(line.minutes for line in self.lines)

    @property
    def over(self) -> bool:
        return self.budget > 0 and self.total > self.budget


@dataclass
class Plan:
    cohort: Cohort
    sessions: list[Session]
    hours: dict[str, list[Hours]] = field(default_factory=dict)   # city slug → rows

    def of_city(self, slug: str) -> list[Session]:
        return [s for s in self.sessions if slug in s.cities]

    def call(self, slug: str, month: int) -> Session | None:
        return next((s for s in self.sessions if s.kind == "coaching_call" and s.cities == (slug,)
                     and s.month == month), None)


def city_named(cohort: Cohort, slug: str) -> City:
    return next(c for c in cohort.cities if c.slug == slug)


# -- dates --------------------------------------------------------------------------------

def add_months(day: dt.date, months: int) -> dt.date:
    years, index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def session_day(start: dt.date, month: int, weekday: int, week: int) -> dt.date:
    """The ``week``-th ``weekday`` from the start of program month ``month`` (1-based)."""
    begin = add_months(start, month - 1)
    return begin + dt.timedelta(days=(weekday - begin.weekday()) % 7 + 7 * (week - 1))


def month_of(start: dt.date, day: dt.date) -> int:
    """The program month ``day`` falls in (0 before the start)."""
    month = 0
    while day >= add_months(start, month):
        month += 1
    return month


def _at(day: dt.date, slot: Slot, minutes: int, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    begin = dt.datetime.combine(day, slot.time, tzinfo=tz)
    return begin, begin + dt.timedelta(minutes=minutes)


# -- the plan -----------------------------------------------------------------------------

def _core(cur: m.Curriculum, month: int) -> tuple[m.Module, m.Workshop, m.Workshop]:
    core = cur.track("core")
    mod = next((x for x in (cur.track_modules(core) if core else []) if x.month == month), None)
    workshops = [w for w in (cur.workshop(i) for i in mod.workshops) if w] if mod else []
    mayors = next((w for w in workshops if "mayor" in w.audience), None)
    others = [w for w in workshops if w is not mayors]
    if mod is None or mayors is None or len(others) != 1:
        raise CdaError(f"cda schedule needs, for core month {month}, a core module with one workshop for mayors "
                       "(audience includes mayor) and one team lab; "
                       + ("found none" if mod is None else f"module '{mod.id}' lists {', '.join(mod.workshops) or 'none'}"))
    return mod, mayors, others[0]


def _roles(audience: Iterable[str]) -> frozenset[str]:
    return frozenset(r for r in audience if r in PARTICIPANTS) or frozenset(PARTICIPANTS)


def _convening(cohort: Cohort, cur: m.Curriculum) -> list[Session]:
    conv = cohort.convening
    if conv is None:
        return []
    everyone = tuple(c.slug for c in cohort.cities)
    out = []
    for n, day in enumerate(conv.days, 1):
        blocks = []
        for item in day.items:
            ws = cur.workshop(item.workshop) if item.workshop else None
            minutes = item.minutes or (ws.duration if ws else 0)
            begin = dt.datetime.combine(day.date, item.time, tzinfo=conv.tz)
            roles = _roles(item.audience or (ws.audience if ws else PARTICIPANTS))
            blocks.append(Block(item, begin, begin + dt.timedelta(minutes=minutes), roles, ws))
        blocks.sort(key=lambda b: b.start)
        month = max(1, month_of(cohort.start, day.date))
        out.append(Session("convening", month, blocks[0].start, max(b.end for b in blocks), everyone,
                           frozenset().union(*(b.roles for b in blocks)), day.ypath, day=n, blocks=tuple(blocks)))
    return out


def _module_of(cur: m.Curriculum, city: City, month: int) -> tuple[m.Module | None, bool]:
    """The module whose deliverables a city's call reviews in ``month``, and whether it is carried over."""
    if month <= CORE_MONTHS:
        return _core(cur, month)[0], False
    track = cur.track(city.track)
    modules = sorted(cur.track_modules(track) if track else [], key=lambda x: x.month)
    exact = next((x for x in modules if x.month == month - CORE_MONTHS), None)
    if exact:
        return exact, False
    earlier = [x for x in modules if x.month < month - CORE_MONTHS]
    return (earlier[-1] if earlier else _core(cur, CORE_MONTHS)[0]), True


def plan_sessions(cohort: Cohort, cur: m.Curriculum) -> Plan:
    """Every session of the cohort and every city's hours; nothing is checked here."""
    everyone = tuple(c.slug for c in cohort.cities)
    held = cohort.convening.workshops() if cohort.convening else set()
    out = _convening(cohort, cur)
    ref = cohort.tz
    for month in range(1, min(CORE_MONTHS, cohort.months) + 1):
        mod, mayors, lab = _core(cur, month)
        for kind, ws, slot, ypath in (("mayors_session", mayors, cohort.mayors, ("mayors_sessions",)),
                                      ("team_lab", lab, cohort.labs, ("team_labs",))):
            if ws.id in held:
                continue
            begin, end = _at(session_day(cohort.start, month, slot.weekday, slot.week), slot, ws.duration, ref)
            out.append(Session(kind, month, begin, end, everyone, _roles(ws.audience), ypath, ws, mod))
    for note in cohort.keynotes:
        begin, end = _at(session_day(cohort.start, note.month, note.slot.weekday, note.slot.week), note.slot,
                         note.slot.minutes, ref)
        out.append(Session("keynote", note.month, begin, end, everyone, _roles(note.audience), note.ypath,
                           keynote=note))
    track_ypath = ("track_sessions",) if "track_sessions" in cohort.doc.data else ("team_labs",)
    for tid in cohort.tracks():
        track = cur.track(tid)
        cities = tuple(c.slug for c in cohort.cities if c.track == tid)
        for mod in cur.track_modules(track) if track else []:
            month = CORE_MONTHS + mod.month
            if month > cohort.months:
                continue
            day = session_day(cohort.start, month, cohort.track_slot.weekday, cohort.track_slot.week)
            for i, ws in enumerate(w for w in (cur.workshop(x) for x in mod.workshops) if w and w.id not in held):
                begin, end = _at(day + dt.timedelta(weeks=i), cohort.track_slot, ws.duration, ref)
                out.append(Session("track_workshop", month, begin, end, cities, _roles(ws.audience), track_ypath,
                                   ws, mod, tid))
    for city in cohort.cities:
        call_ypath: YPath = (*city.ypath, "coaching") if "coaching" in cohort.doc.data["cities"][city.ypath[1]] \
            else ("coaching_calls",)
        for month in range(1, cohort.months + 1):
            this, carried = _module_of(cur, city, month)
            who = frozenset(PARTICIPANTS) if month <= CORE_MONTHS else (
                frozenset(TEAM) if carried or this is None else _roles(this.audience))
            slot = city.coaching
            begin, end = _at(session_day(cohort.start, month, slot.weekday, slot.week), slot, slot.minutes, city.tz)
            out.append(Session("coaching_call", month, begin, end, (city.slug,), who, call_ypath, module=this,
                               carried=carried))
    out.sort(key=lambda s: (s.start.astimezone(dt.UTC), s.kind, s.cities))
    plan = Plan(cohort, out)
    roles = {r.id: r for r in cur.program.roles} if cur.program else {}
    plan.hours = {c.slug: city_hours(plan, c, roles) for c in cohort.cities}
    return plan


# -- hours ---------------------------------------------------------------------------------

def city_hours(plan: Plan, city: City, roles: dict[str, m.Role]) -> list[Hours]:
    """Each month's hours of each role for one city (roles the program defines, in program order)."""
    sessions = plan.of_city(city.slug)
    rows = []
    for month in range(1, plan.cohort.months + 1):
        here = [s for s in sessions if s.month == month]
        call = next((s for s in here if s.kind == "coaching_call"), None)
        module = call.module if call and not call.carried else None
        blocks = [b for s in here if s.kind == "convening" for b in s.blocks]
        prework = _prework(module, here, blocks, call) if module else 0
        for role in (r for r in ROLE_ORDER if r in roles):
            coach = role == "coach"
            lines = [Line(s.minutes, s) for s in here if s.kind != "convening" and (coach or role in s.roles)]
            at_convening = _covered([b for b in blocks if coach or role in b.roles])
            if prework and module and not coach and role in module.audience:
                lines.append(Line(prework, module=module))
            rows.append(Hours(city, month, role, tuple(lines), round(roles[role].hours_per_month * 60), at_convening))
    return rows


def _covered(blocks: list[Block]) -> int:
    """Minutes during which at least one of the blocks runs (parallel blocks count once)."""
    total, until = 0, None
    for b in sorted(blocks, key=lambda b: b.start):
        begin = max(b.start, until) if until else b.start
        if b.end > begin:
            total += int((b.end - begin).total_seconds() // 60)
        until = max(until, b.end) if until else b.end
    return total


def _prework(module: m.Module, here: list[Session], blocks: list[Block], call: Session | None) -> int:
    """Minutes of pre-work for each role of the module's audience: what remains of the module's hours after
    its sessions (as many as one participant attends, at the convening too) and the coaching call."""
    def attended(role: str) -> int:
        return (sum(s.minutes for s in here if s.module is module and s.kind != "coaching_call" and role in s.roles)
                + sum(b.minutes for b in blocks if b.workshop and b.workshop.module == module.id and role in b.roles))
    sessions = max(attended(r) for r in PARTICIPANTS)
    return max(0, round(module.hours * 60) - sessions - (call.minutes if call else 0))


def fmt_hours(minutes: int) -> str:
    """Minutes as hours for diagnostics: 165 → 2.75, 160 → 2.67."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def budget_warnings(plan: Plan, cur: m.Curriculum) -> list[Diagnostic]:
    """W511 for each month and role whose planned hours exceed program.yaml's, naming what they add up.

    Cities with the same lines in a month, and then roles with the same lines and budget, share one warning.
    """
    cohort = plan.cohort
    titles = {r.id: r.title for r in cur.program.roles} if cur.program else {}
    by_role: dict[tuple[int, str, tuple[object, ...]], list[Hours]] = {}
    for rows in plan.hours.values():
        for row in rows:
            if row.over:
                key = (row.month, row.role, tuple(sorted(map(_line_key, row.lines), key=str)))
                by_role.setdefault(key, []).append(row)
    merged: dict[tuple[object, ...], list[list[Hours]]] = {}
    for (month, _, lines), rows in by_role.items():
        cities = tuple(r.city.slug for r in rows)
        merged.setdefault((month, lines, cities, rows[0].budget), []).append(rows)
    out = []
    for group_key, groups in sorted(merged.items(), key=lambda kv: (int(str(kv[0][0])), ROLE_ORDER.index(kv[1][0][0].role))):
        month = int(str(group_key[0]))
        row = groups[0][0]
        role_names = ", ".join(titles.get(g[0].role, g[0].role) for g in groups)
        city_names = ", ".join(r.city.name for r in groups[0])
        parts = [f"{_line_label(cohort, x)} {fmt_hours(x.minutes)} h" for x in row.lines]
        keynote = next((x.session for x in row.lines if x.session and x.session.kind == "keynote"), None)
        ypath = keynote.ypath if keynote else row.city.ypath if len(groups[0]) == 1 else ("cities",)
        start = add_months(cohort.start, month - 1)
        out.append(warning(cohort.doc.loc(ypath), "W511",
                           f"month {month} ({start:%B %Y}), {role_names} ({city_names}): {fmt_hours(row.total)} h planned, "
                           f"{fmt_hours(row.budget)} h a month in program.yaml: " + ", ".join(parts),
                           "move a keynote or a session to another month or shorten it, or plan the module's "
                           "pre-work (its estimated hours) with the city"))
    return out


def _line_key(line: Line) -> tuple[object, ...]:
    s = line.session
    if s is None:
        return ("prework", line.module.id if line.module else "", line.minutes)
    return (s.kind, s.workshop.id if s.workshop else s.keynote.number if s.keynote else "", line.minutes)


def _line_label(cohort: Cohort, line: Line) -> str:
    if line.session is None:
        return f"pre-work for {line.module.id if line.module else 'the module'}"
    if line.session.kind == "coaching_call":
        return "coaching call"
    return line.session.label(cohort)


# -- checks that need the curriculum -----------------------------------------------------------

def check_against(doc: YamlDoc, cur: m.Curriculum) -> list[Diagnostic]:
    """The cohort's tracks and workshops exist in this curriculum, and nobody is in two places at once."""
    data = doc.data if isinstance(doc.data, dict) else {}
    out = []
    known = [t.id for t in cur.ordered_tracks() if t.id != "core"]
    codes = [x.code for x in cur.languages]
    where: list[tuple[tuple[str | int, ...], Any]] = [(("coach_language",), data.get("coach_language"))]
    where += [(("cities", i, "language"), c.get("language")) for i, c in enumerate(data.get("cities") or [])
              if isinstance(c, dict)]
    for path, code in where:
        if isinstance(code, str) and code not in codes:
            out.append(error(doc.loc(path), "E511", f"unknown language '{code}': the course is in {', '.join(codes)}",
                             did_you_mean(code, codes) or "add the language to program.yaml's languages first"))
    for i, city in enumerate(data.get("cities") or []):
        track = city.get("track") if isinstance(city, dict) else None
        if track in m.TRACK_IDS[1:] and cur.track(track) is None:
            hint = did_you_mean(track, known) or (f"tracks in this curriculum: {', '.join(known)}" if known
                                                  else "add the track to curriculum/tracks/")
            out.append(error(doc.loc(("cities", i, "track")), "E503",
                             f"unknown track '{track}': the curriculum has no such track", hint))
    workshops = sorted(w.id for w in cur.workshops)
    raw = data.get("convening")
    conv: dict[str, Any] = raw if isinstance(raw, dict) else {}
    for i, day in enumerate(conv.get("days") or []):
        agenda = day.get("agenda") if isinstance(day, dict) else None
        for j, item in enumerate(agenda if isinstance(agenda, list) else []):
            wid = item.get("workshop") if isinstance(item, dict) else None
            if isinstance(wid, str) and cur.workshop(wid) is None and wid not in cur.unreadable:
                out.append(error(doc.loc(("convening", "days", i, "agenda", j, "workshop")), "E509",
                                 f"unknown workshop '{wid}'", did_you_mean(wid, workshops) or
                                 "use the id of a workshop in curriculum/workshops/"))
    if out:
        return out
    cohort = cohort_from(doc)
    try:
        plan = plan_sessions(cohort, cur)
    except CdaError as exc:
        return [error(doc.loc(), "E510", f"the curriculum cannot be scheduled: {exc}",
                      "check the core track's modules and workshops")]
    return overlaps(plan)


def overlaps(plan: Plan) -> list[Diagnostic]:
    """E506: no person of a city is in two sessions at once; E506 too for a coach in two calls at once."""
    cohort = plan.cohort
    clashes: dict[tuple[str, str, dt.datetime], tuple[YPath, list[str]]] = {}
    for city in cohort.cities:
        spans = []
        for s in plan.of_city(city.slug):
            if s.kind == "convening":
                spans += [(b.start, b.end, b.roles, f"convening day {s.day} at {b.start:%H:%M}", b.item.ypath)
                          for b in s.blocks]
            else:
                spans.append((s.start, s.end, s.roles, s.label(cohort), s.ypath))
        spans.sort(key=lambda x: (x[0], x[3]))
        for i, (begin, end, roles, label, _) in enumerate(spans):
            for later in spans[i + 1:]:
                if later[0] >= end:
                    break
                if roles & later[2]:
                    clashes.setdefault((label, later[3], begin), (later[4], []))[1].append(city.name)
    out = []
    for (first, second, begin), (ypath, cities) in clashes.items():
        out.append(error(cohort.doc.loc(ypath), "E506", f"{', '.join(cities)} would be in two sessions at once: "
                         f"{first} and {second}, from {begin:%Y-%m-%d %H:%M} ({begin.tzinfo})",
                         "move one of them: nobody from a city can be in two sessions at once"))
    by_coach: dict[str, list[Session]] = {}
    for s in plan.sessions:
        coach = city_named(cohort, s.cities[0]).coach if s.kind == "coaching_call" else ""
        if coach:
            by_coach.setdefault(coach, []).append(s)
    for coach, calls in sorted(by_coach.items()):
        calls.sort(key=lambda s: s.start)
        double: dict[tuple[str, str], list[Session]] = {}  # every month's clash of two cities: one diagnostic
        for a, b in itertools.pairwise(calls):
            if b.start < a.end and a.cities != b.cities:
                double.setdefault((a.cities[0], b.cities[0]), []).extend([a, b])
        for found in double.values():
            a, b = found[0], found[1]
            more = len(found) // 2 - 1
            out.append(error(cohort.doc.loc(b.ypath), "E506",
                             f"coach {coach} would be in two calls at once: {a.label(cohort)} and {b.label(cohort)}, "
                             f"from {a.start:%Y-%m-%d %H:%M} ({a.start.tzinfo})"
                             + (f" and in {more} more month{'s' if more > 1 else ''}" if more else ""),
                             "give one of the cities another coaching slot ('coaching:' in the city)"))
    return out


# -- loading, building, writing ----------------------------------------------------------------

def load_cohort(path: Path, cur: m.Curriculum) -> Cohort:
    """A valid cohort, or :class:`DiagnosticsError` with every problem found."""
    doc, diags = parse_cohort(path)
    if doc is not None and not any(d.is_error for d in diags):
        diags += check_against(doc, cur)
    report = Report(diags)
    if report.errors or doc is None:
        raise DiagnosticsError(report)
    return cohort_from(doc)
