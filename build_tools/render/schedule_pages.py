"""The outputs of ``cda schedule`` for a planned cohort: pure functions of the plan and the catalogs.

- ``<city>-<lang>.md`` and ``<city>.ics``: each city's calendar in its language and local time,
  every event linking to its playbook, its call agenda or the convening's agenda, and the city's
  hours per month;
- ``calls/<city>-<month>-<lang>.md``: each coaching call's agenda (what to bring, what the coach
  will check: the module's deliverables and their acceptance criteria);
- ``convening-<lang>.md``: the convening's agenda, in each language a city or the coaches read;
- ``overview-<lang>.md``: for the coaches, who meets when and in which track, in the reference time
  zone and every city's, all the calls and every city's hours.

:func:`write_schedule` (``cda schedule``) validates, renders all of it, then writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from build_tools.base.diagnostics import Diagnostic, Report
from build_tools.base.errors import CdaError, DiagnosticsError
from build_tools.base.fsutil import atomic_write
from build_tools.check.project import Project, load_valid
from build_tools.check.schedule import (
    PRODID,
    UID_DOMAIN,
    Hours,
    Line,
    Plan,
    Session,
    budget_warnings,
    city_named,
    load_cohort,
    plan_sessions,
)
from build_tools.i18n import fields as F
from build_tools.i18n.store import CatalogStore
from build_tools.render import acceptance
from build_tools.render.agenda import format_clock
from build_tools.render.page_context import Ctx, cell, print_notice, rendering
from build_tools.source import model as m
from build_tools.source.cohort import PARTICIPANTS, City, Cohort, Text
from build_tools.text.po import PoFile

CALL_SHARES = (("call_block.progress", 1), ("call_block.review", 4), ("call_block.decisions", 1))
"""The coaching call's agenda blocks and their shares of the call's length."""


# -- names, paths, links -----------------------------------------------------------------------

def city_page(city: City) -> str:
    return f"{city.slug}-{city.language}.md"


def call_page(city: City, month: int) -> str:
    return f"calls/{city.slug}-{month:02d}-{city.language}.md"


def convening_page(lang: str) -> str:
    return f"convening-{lang}.md"


def playbook_url(cohort: Cohort, ws: m.Workshop, lang: str) -> str:
    """The workshop's page on the published site (English at the root, other languages in folders)."""
    prefix = "" if lang == "en" else f"{lang}/"
    return f"{cohort.site_url}{prefix}playbooks/{ws.id}/"


def _text(ctx: Ctx, text: Text | None, fallback: str = "") -> str:
    if text is None:
        return fallback
    value, lang = text.get(ctx.lang)
    return f'<span lang="{lang}">{value}</span>' if lang != ctx.lang and ctx.mark else value


def _spell(day: dt.date, locale: str) -> str:
    from babel.dates import format_date

    return format_date(day, "full", locale=locale)


def _span(begin: dt.datetime, end: dt.datetime, locale: str) -> str:
    return f"{format_clock(begin, locale)}–{format_clock(end, locale)}"


def hours(ctx: Ctx, minutes: int) -> str:
    """Minutes as hours in the language's number format: 165 → 2.75 (en), 2,75 (es, pt)."""
    from babel.numbers import format_decimal

    return str(format_decimal(minutes / 60, format="#,##0.##", locale=ctx.language.formatting))


def _role(ctx: Ctx, role: str) -> str:
    prog = ctx.cur.program
    found = next((r for r in prog.roles if r.id == role), None) if prog else None
    return ctx.tr(F.Program.ROLE_TITLE, '', found.title) if found else role


def _roles(ctx: Ctx, roles: frozenset[str]) -> str:
    if set(PARTICIPANTS) <= roles:
        return ctx.ui("everyone")
    return ", ".join(_role(ctx, r) for r in PARTICIPANTS if r in roles)


def _module(ctx: Ctx, mod: m.Module | None) -> str:
    return ctx.tr(F.Module.TITLE, mod.id, mod.title) if mod else ""


def _track(ctx: Ctx, tid: str) -> str:
    track = ctx.cur.track(tid)
    return ctx.tr(F.Track.TITLE, tid, track.title) if track else ctx.ui("track_not_chosen")


def title_of(ctx: Ctx, s: Session, cohort: Cohort) -> str:
    """What a session is called on a page or in a calendar, in ``ctx.lang``."""
    if s.workshop is not None:
        return ctx.tr(F.Workshop.TITLE, s.workshop.id, s.workshop.title)
    if s.kind == "keynote" and s.keynote:
        return f"{ctx.ui('keynote')}: {_text(ctx, s.keynote.title)}"
    if s.kind == "convening":
        title = _text(ctx, cohort.convening.title if cohort.convening else None, ctx.ui("convening"))
        return f"{title} · {ctx.ui('day_n', n=str(s.day))}"
    return ctx.ui("coaching_call")


def _link(ctx: Ctx, cohort: Cohort, s: Session, city: City, prefix: str = "") -> str:
    """A Markdown link (or, without a site address, the playbook's path) for a session's row."""
    if s.workshop is not None:
        url = playbook_url(cohort, s.workshop, ctx.lang)
        return f"[{ctx.ui('playbook')}]({url})" if cohort.site_url else f"`{url}`"
    if s.kind == "coaching_call":
        return f"[{ctx.ui('call_agenda')}]({prefix}{call_page(city, s.month)})"
    if s.kind == "convening":
        return f"[{ctx.ui('convening_agenda')}]({prefix}{convening_page(ctx.lang)})"
    if s.keynote and s.keynote.url:
        return f"[{ctx.ui('keynote_link')}]({s.keynote.url})"
    return ""


def _event_url(cohort: Cohort, s: Session, city: City) -> str:
    if s.workshop is not None:
        return playbook_url(cohort, s.workshop, city.language)
    if s.kind == "coaching_call":
        return cohort.schedule_url + call_page(city, s.month)
    if s.kind == "convening":
        return cohort.schedule_url + convening_page(city.language)
    return s.keynote.url if s.keynote else ""


def _header(source: str) -> str:
    return (f"<!-- generated by cda schedule from {source}; do not edit: change the cohort file "
            "and run cda schedule again -->\n\n")


def _page(ctx: Ctx, source: str, build: Callable[[Ctx], list[str]]) -> str:
    """A page of the cohort's folder: the header, the title, the notice when anything fell back
    to English, then the rest."""
    parts, fell_back = rendering(ctx, build)
    return _header(source) + "\n\n".join([parts[0], *print_notice(ctx, fell_back), *parts[1:]]) + "\n"


def _local(s: Session, city: City) -> dt.datetime:
    """A session's start as the city reads it: the venue's time for the convening, the city's otherwise."""
    return s.start if s.kind == "convening" else s.start.astimezone(city.tz)


# -- a city's calendar -------------------------------------------------------------------------

def render_city(plan: Plan, city: City, ctx: Ctx, source: str) -> str:
    return _page(ctx, source, lambda c: _city_parts(plan, city, c))


def _city_parts(plan: Plan, city: City, ctx: Ctx) -> list[str]:
    cohort = plan.cohort
    lang = ctx.lang
    fmt = ctx.language.formatting
    facts = (f"| {ctx.ui('city')} | {ctx.ui('country')} | {ctx.ui('language')} | {ctx.ui('timezone')} | "
             f"{ctx.ui('track')} | {ctx.ui('coach')} | {ctx.ui('start_date')} |\n| --- | --- | --- | --- | --- | --- | --- |\n"
             f"| {cell(city.name)} | {cell(city.country)} | {ctx.ui('language.' + city.language)} | {city.timezone} | "
             f"{cell(_track(ctx, city.track))} | {cell(city.coach) or '–'} | {_spell(cohort.start, fmt)} |")
    note = ctx.ui("local_times", zone=city.timezone)
    if cohort.convening:
        note += " " + ctx.ui("venue_times", zone=cohort.convening.timezone)
    rows = []
    commands = []
    for s in plan.of_city(city.slug):
        begin, end = _local(s, city), _local(s, city) + (s.end - s.start)
        rows.append(f"| {s.month} | {_spell(begin.date(), fmt)} | {_span(begin, end, fmt)} | "
                    f"{cell(title_of(ctx, s, cohort))} | {cell(_module(ctx, s.module))} | {_link(ctx, cohort, s, city)} |")
        if s.workshop is not None:
            commands.append(f"cda playbook {s.workshop.id} --lang {lang} --start {begin:%H:%M} "
                            f"--date {begin.date().isoformat()}")
    table = (f"| {ctx.ui('month')} | {ctx.ui('date')} | {ctx.ui('time')} | {ctx.ui('session')} | {ctx.ui('module')} | "
             f"{ctx.ui('link')} |\n| ---: | --- | --- | --- | --- | --- |\n" + "\n".join(rows))
    parts = [f"# {ctx.ui('cohort_calendar')}: {cohort.name}, {city.name}", facts, note,
             ctx.ui("calendar_file", name=f"`{city.slug}.ics`"), table,
             hours_section(ctx, plan, plan.hours[city.slug])]
    if commands:
        parts.append(f"## {ctx.ui('print_playbooks')}\n\n{ctx.ui('print_playbooks_text')}\n\n```sh\n"
                     + "\n".join(commands) + "\n```")
    return parts


def hours_section(ctx: Ctx, plan: Plan, rows: list[Hours], level: int = 2, title: str = "") -> str:
    """The hours table of one city (months × roles) and the months over budget."""
    if not rows:
        return ""
    roles = list(dict.fromkeys(r.role for r in rows))
    budget = {r.role: r.budget for r in rows}
    head = (f"| {ctx.ui('month')} | " + " | ".join(f"{_role(ctx, r)} ({hours(ctx, budget[r])} h)" for r in roles)
            + " |\n| ---: | " + " | ".join("---:" for _ in roles) + " |")
    lines = []
    for month in sorted({r.month for r in rows}):
        cells = []
        for role in roles:
            row = next(r for r in rows if r.month == month and r.role == role)
            cells.append(f"**{hours(ctx, row.total)}**" if row.over else hours(ctx, row.total))
        lines.append(f"| {month} | " + " | ".join(cells) + " |")
    marks = "#" * level
    parts = [f"{marks} {title or ctx.ui('hours_title')}", ctx.ui("hours_intro"), head + "\n" + "\n".join(lines)]
    at_convening = [(r.role, sum(x.convening for x in rows if x.role == r.role)) for r in rows if r.month == rows[0].month]
    spent = [f"{_role(ctx, role)} {hours(ctx, mins)} h" for role, mins in at_convening if mins]
    if spent:
        parts.append(ctx.ui("convening_hours", hours=", ".join(spent)))
    over = [r for r in rows if r.over]
    if over:
        items = [ctx.ui("over_budget_item", month=str(r.month), role=_role(ctx, r.role), total=hours(ctx, r.total),
                        budget=hours(ctx, r.budget), parts="; ".join(_line(ctx, plan.cohort, x) for x in r.lines))
                 for r in over]
        parts.append(f"{marks}# {ctx.ui('over_budget')}\n\n" + "\n".join(f"- {i}" for i in items))
    return "\n\n".join(parts)


def _line(ctx: Ctx, cohort: Cohort, line: Line) -> str:
    what = (title_of(ctx, line.session, cohort) if line.session else
            ctx.ui("prework_for", module=_module(ctx, line.module)))
    return f"{what} ({hours(ctx, line.minutes)} h)"


# -- a coaching call ---------------------------------------------------------------------------

def render_call(plan: Plan, city: City, s: Session, ctx: Ctx, source: str) -> str:
    return _page(ctx, source, lambda c: _call_parts(plan, city, s, c))


def _call_parts(plan: Plan, city: City, s: Session, ctx: Ctx) -> list[str]:
    fmt = ctx.language.formatting
    mod = s.module
    begin, end = s.start, s.end
    parts = [f"# {ctx.ui('call_title', month=str(s.month))}: {city.name}",
             f"**{ctx.ui('date')}:** {_spell(begin.date(), fmt)}, {_span(begin, end, fmt)} ({city.timezone})",
             f"| {ctx.ui('module')} | {ctx.ui('attendees')} | {ctx.ui('coach')} |\n| --- | --- | --- |\n"
             f"| {cell(_module(ctx, mod))} | {cell(_roles(ctx, s.roles))} | {cell(city.coach) or '–'} |"]
    if mod is not None:
        bring = [f"**{ctx.tr(F.Module.EXERCISE_TITLE, mod.id, e.title)}**: "
                 f"{ctx.tr(F.Module.EXERCISE_DELIVERABLE, mod.id, e.deliverable)}" for e in mod.exercises]
        intro = ctx.ui("call_continuing", module=_module(ctx, mod)) if s.carried else ctx.ui("call_bring_text")
        parts.append(f"## {ctx.ui('call_bring')}\n\n{intro}\n\n" + "\n".join(f"- {b}" for b in bring))
        parts.append(acceptance.deliverables_section(ctx, mod, heading=ctx.ui("call_check")))
    total = sum(share for _, share in CALL_SHARES)
    at = begin
    rows = []
    for key, share in CALL_SHARES:
        minutes = round(s.minutes * share / total / 5) * 5 if key != CALL_SHARES[-1][0] else \
            int((end - at).total_seconds() // 60)
        rows.append(f"| {format_clock(at, fmt)} | {format_clock(at + dt.timedelta(minutes=minutes), fmt)} | "
                    f"{ctx.ui(key)} | {minutes} {ctx.ui('minutes')} |")
        at += dt.timedelta(minutes=minutes)
    parts.append(f"## {ctx.ui('agenda')}\n\n| {ctx.ui('start')} | {ctx.ui('end')} | {ctx.ui('block')} | "
                 f"{ctx.ui('duration')} |\n| --- | --- | --- | ---: |\n" + "\n".join(rows))
    parts.append(f"## {ctx.ui('call_after')}\n\n{ctx.ui('call_after_text')}")
    return parts


# -- the convening -------------------------------------------------------------------------------

def render_convening(plan: Plan, ctx: Ctx, source: str) -> str:
    return _page(ctx, source, lambda c: _convening_parts(plan, c))


def _convening_parts(plan: Plan, ctx: Ctx) -> list[str]:
    cohort = plan.cohort
    conv = cohort.convening
    assert conv is not None
    lang = ctx.lang
    fmt = ctx.language.formatting
    days = [s for s in plan.sessions if s.kind == "convening"]
    title = _text(ctx, conv.title, ctx.ui("convening"))
    dates = f"{_spell(days[0].start.date(), fmt)} – {_spell(days[-1].start.date(), fmt)}" if len(days) > 1 \
        else _spell(days[0].start.date(), fmt)
    parts = [f"# {title}: {cohort.name}",
             f"| {ctx.ui('location')} | {ctx.ui('dates')} | {ctx.ui('timezone')} | {ctx.ui('cities')} |\n"
             f"| --- | --- | --- | --- |\n| {cell(conv.location)} | {dates} | {conv.timezone} | "
             f"{cell(', '.join(c.name for c in cohort.cities))} |",
             ctx.ui("venue_times", zone=conv.timezone)]
    for s in days:
        rows = []
        for b in s.blocks:
            if b.workshop is not None:
                what = ctx.tr(F.Workshop.TITLE, b.workshop.id, b.workshop.title)
                url = playbook_url(cohort, b.workshop, lang)
                what += f" ([{ctx.ui('playbook')}]({url}))" if cohort.site_url else f" (`{url}`)"
            else:
                what = _text(ctx, b.item.title, ctx.ui(f"convening.{b.item.kind}") if b.item.kind else "")
            rows.append(f"| {format_clock(b.start, fmt)} | {format_clock(b.end, fmt)} | {cell(what)} | "
                        f"{cell(_roles(ctx, b.roles))} |")
        parts.append(f"## {ctx.ui('day_n', n=str(s.day))}: {_spell(s.start.date(), fmt)}\n\n"
                     f"| {ctx.ui('start')} | {ctx.ui('end')} | {ctx.ui('session')} | {ctx.ui('attendees')} |\n"
                     "| --- | --- | --- | --- |\n" + "\n".join(rows))
    return parts


# -- the coaches' overview ---------------------------------------------------------------------

def render_overview(plan: Plan, ctx: Ctx, source: str) -> str:
    return _page(ctx, source, lambda c: _overview_parts(plan, c))


def _overview_parts(plan: Plan, ctx: Ctx) -> list[str]:
    cohort = plan.cohort
    cur = ctx.cur
    lang = ctx.lang
    fmt = ctx.language.formatting
    facts = (f"| {ctx.ui('reference_timezone')} | {ctx.ui('start_date')} | {ctx.ui('months_planned')} |\n"
             f"| --- | --- | ---: |\n| {cohort.timezone} | {_spell(cohort.start, fmt)} | {cohort.months} |")
    cities = [f"| [{cell(c.name)}]({city_page(c)}) | {cell(c.country)} | {ctx.ui('language.' + c.language)} | "
              f"{c.timezone} | {cell(_track(ctx, c.track))} | {cell(c.coach) or '–'} |" for c in cohort.cities]
    parts = [f"# {ctx.ui('coach_overview')}: {cohort.name}", facts,
             f"## {ctx.ui('cities')}\n\n| {ctx.ui('city')} | {ctx.ui('country')} | {ctx.ui('language')} | "
             f"{ctx.ui('timezone')} | {ctx.ui('track')} | {ctx.ui('coach')} |\n| --- | --- | --- | --- | --- | --- |\n"
             + "\n".join(cities)]
    tracks = [f"| {cell(_track(ctx, t))} | {cell(', '.join(c.name for c in cohort.cities if c.track == t))} | "
              f"{sum(1 for s in plan.sessions if s.track == t)} |" for t in cohort.tracks()]
    unchosen = [t for t in cur.ordered_tracks() if t.id != "core" and t.id not in cohort.tracks()]
    track_part = (f"## {ctx.ui('tracks')}\n\n| {ctx.ui('track')} | {ctx.ui('cities')} | {ctx.ui('sessions')} |\n"
                  "| --- | --- | ---: |\n" + "\n".join(tracks)) if tracks else f"## {ctx.ui('tracks')}"
    if unchosen and cohort.months > 6:
        track_part += "\n\n" + ctx.ui("tracks_unchosen", tracks=", ".join(_track(ctx, t.id) for t in unchosen))
    parts.append(track_part)
    rows = []
    for s in (x for x in plan.sessions if x.kind != "coaching_call"):
        begin = s.start if s.kind == "convening" else s.start.astimezone(cohort.tz)
        local = ", ".join(f"{c.name} {format_clock(s.start.astimezone(c.tz), fmt)}"
                          for c in cohort.cities if c.slug in s.cities) if s.kind != "convening" else \
            f"{cohort.convening.location if cohort.convening else ''} ({s.start.tzinfo})"
        track = _track(ctx, s.track) if s.track else "–"
        where = f"[{cell(title_of(ctx, s, cohort))}]({convening_page(lang)})" if s.kind == "convening" \
            else cell(title_of(ctx, s, cohort))
        rows.append(f"| {s.month} | {_spell(begin.date(), fmt)} | {_span(begin, begin + (s.end - s.start), fmt)} | "
                    f"{where} | {cell(track)} | {cell(local)} |")
    parts.append(f"## {ctx.ui('sessions')}\n\n{ctx.ui('overview_times', zone=cohort.timezone)}\n\n"
                 f"| {ctx.ui('month')} | {ctx.ui('date')} | {ctx.ui('time')} | {ctx.ui('session')} | {ctx.ui('track')} | "
                 f"{ctx.ui('local_time_col')} |\n| ---: | --- | --- | --- | --- | --- |\n" + "\n".join(rows))
    calls = []
    for s in (x for x in plan.sessions if x.kind == "coaching_call"):
        city = city_named(cohort, s.cities[0])
        ref = s.start.astimezone(cohort.tz)
        calls.append(f"| {s.month} | {cell(city.name)} | {cell(city.coach) or '–'} | {_spell(s.start.date(), fmt)} | "
                     f"{_span(s.start, s.end, fmt)} | {format_clock(ref, fmt)} | {cell(_module(ctx, s.module))} | "
                     f"[{ctx.ui('call_agenda')}]({call_page(city, s.month)}) |")
    parts.append(f"## {ctx.ui('coaching_calls')}\n\n| {ctx.ui('month')} | {ctx.ui('city')} | {ctx.ui('coach')} | "
                 f"{ctx.ui('date')} | {ctx.ui('time')} | {ctx.ui('time_in', zone=cohort.timezone)} | {ctx.ui('module')} | "
                 f"{ctx.ui('link')} |\n| ---: | --- | --- | --- | --- | --- | --- | --- |\n" + "\n".join(calls))
    parts.append(f"## {ctx.ui('hours_title')}")
    for city in cohort.cities:
        parts.append(hours_section(ctx, plan, plan.hours[city.slug], 3, city.name))
    return parts


# -- a city's .ics ----------------------------------------------------------------------------

def render_ics(plan: Plan, city: City, ctx: Ctx) -> str:
    """The city's iCalendar file: its own sessions (shared, its track's, its calls), stable UIDs."""
    import icalendar

    cohort = plan.cohort
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{ctx.ui('cohort_calendar')}: {cohort.name}, {city.name}")
    cal.add("x-wr-timezone", city.timezone)
    stamp = dt.datetime.combine(cohort.start, dt.time(0, 0), tzinfo=dt.UTC)
    lang = {"LANGUAGE": ctx.cur.language(city.language).tag}
    sessions = plan.of_city(city.slug)
    for s in sessions:
        begin = _local(s, city)
        url = _event_url(cohort, s, city)
        lines = []
        if s.module:
            lines.append(f"{ctx.ui('module')}: {_module(ctx, s.module)}")
        if s.kind == "coaching_call" and s.module:
            lines += [f"{ctx.ui('call_bring')}:"] + [
                f"- {ctx.tr(F.Module.EXERCISE_DELIVERABLE, s.module.id, e.deliverable)}" for e in s.module.exercises]
        if s.keynote and s.keynote.speaker:
            lines.append(f"{ctx.ui('speaker')}: {s.keynote.speaker}")
        if s.kind == "convening" and cohort.convening:
            lines.append(f"{ctx.ui('location')}: {cohort.convening.location}")
        lines.append(f"{ctx.ui('attendees')}: {_roles(ctx, s.roles)}")
        if url:
            lines.append(url)
        if s.workshop is not None:
            lines.append(f"cda playbook {s.workshop.id} --lang {city.language} --start {begin:%H:%M} "
                         f"--date {begin.date().isoformat()}")
        ident = s.workshop.id if s.workshop else f"keynote-{s.keynote.number}" if s.keynote else \
            f"convening-day-{s.day}" if s.kind == "convening" else f"coaching-call-{s.month:02d}"
        event = icalendar.Event()
        event.add("uid", f"{ident}-{cohort.slug}-{city.slug}-{begin:%Y%m%d}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", begin)
        event.add("dtend", begin + (s.end - s.start))
        event.add("summary", title_of(ctx, s, cohort), parameters=lang)
        event.add("description", "\n".join(lines), parameters=lang)
        if s.kind == "convening" and cohort.convening:
            event.add("location", cohort.convening.location, parameters=lang)
        if url:
            event.add("url", url)
        event.add("categories", [ctx.ui(s.kind)])
        cal.add_component(event)
    if sessions:
        cal.add_missing_timezones(first_date=min(s.start.date() for s in sessions) - dt.timedelta(days=1),
                                  last_date=max(s.end.date() for s in sessions) + dt.timedelta(days=1))
    return str(cal.to_ical().decode("utf-8"))


# -- everything -------------------------------------------------------------------------------

def render_all(plan: Plan, cur: m.Curriculum, catalogs: dict[str, dict[str, PoFile]], source: str) -> dict[str, str]:
    """``{path in the cohort's folder: text}`` of every output file."""
    cohort = plan.cohort
    tables: dict[str, dict[str, dict[tuple[str | None, str], str]]] = {}

    def ctx(lang: str, mark: bool = True) -> Ctx:
        """A context per page; lookups shared per language."""
        return Ctx(lang, cur, catalogs.get(lang, {}), mark=mark, tables=tables.setdefault(lang, {}))

    files: dict[str, str] = {}
    files[f"overview-{cohort.coach_language}.md"] = render_overview(plan, ctx(cohort.coach_language), source)
    if cohort.convening:
        for lang in sorted({c.language for c in cohort.cities} | {cohort.coach_language}):
            files[convening_page(lang)] = render_convening(plan, ctx(lang), source)
    for city in cohort.cities:
        files[city_page(city)] = render_city(plan, city, ctx(city.language), source)
        files[f"{city.slug}.ics"] = render_ics(plan, city, ctx(city.language, mark=False))
    for city in cohort.cities:
        for month in range(1, cohort.months + 1):
            call = plan.call(city.slug, month)
            if call is not None:
                files[call_page(city, month)] = render_call(plan, city, call, ctx(city.language), source)
    return files


# -- cda schedule: compute everything, then write it ----------------------------------------

def build_schedule(cohort: Cohort, cur: m.Curriculum, catalogs: dict[str, dict[str, PoFile]],
                   source: str = "") -> tuple[dict[str, str], list[Diagnostic]]:
    """``{path in the cohort's folder: text}`` of every output, and the budget warnings; writes nothing."""
    plan = plan_sessions(cohort, cur)
    return render_all(plan, cur, catalogs, source or cohort.doc.path), budget_warnings(plan, cur)


@dataclass
class Written:
    folder: Path
    paths: list[Path]
    report: Report

    def lines(self) -> list[str]:
        """What ``cda schedule`` prints: each page and calendar, and the call agendas as one line."""
        calls = [p for p in self.paths if p.parent.name == "calls"]
        shown = [f"wrote {p}" for p in self.paths if p not in calls]
        if calls:
            shown.append(f"wrote {len(calls)} coaching call agendas in {calls[0].parent}/")
        return shown


def write_schedule(root: Path, cohort_path: Path, out_dir: Path = Path("schedules"), strict: bool = False) -> Written:
    """Check the cohort file, compute everything, then write it all into ``out_dir/<cohort>/``."""
    cur, _ = load_valid(root, strict)
    cohort = load_cohort(cohort_path, cur)
    try:
        source = cohort_path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        source = cohort.doc.path
    files, warnings = build_schedule(cohort, cur, CatalogStore(Project(root)).valid_catalogs(), source)
    report = Report(list(warnings))
    if report.failed(strict):
        raise DiagnosticsError(report)
    folder = out_dir / cohort.slug
    paths = []
    for name, text in files.items():
        path = folder / name
        try:
            atomic_write(path, text)
        except OSError as exc:
            raise CdaError(f"cannot write {path}: {exc.strerror or exc}") from None
        paths.append(path)
    return Written(folder, paths, report)
