"""A cohort file (``curriculum/cohorts/*.yaml``): the cities, their tracks and when they meet.

This module reads and checks the file on its own (:func:`parse_cohort`) and turns a checked
document into typed data (:func:`cohort_from`); :mod:`build_tools.check.schedule` plans the sessions.

- Shared sessions (mayors' sessions, team labs, keynotes, track sessions) are given in the
  cohort's reference time zone (``timezone``); each city sees them in its own time zone.
- Coaching calls are individual: one per city and month, in the city's own local time.
- The convening's agenda is in the venue's local time.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from build_tools.base.diagnostics import Diagnostic, display_path, error
from build_tools.source.schema import did_you_mean, validate_doc
from build_tools.source.sources import YamlDoc, YPath, parse_yaml, read_text

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
PARTICIPANTS = ("mayor", "chief-data-officer", "data-alliance-lead", "senior-leader")
TEAM = ("chief-data-officer", "data-alliance-lead", "senior-leader")
CORE_MONTHS = 6
REGIONS = frozenset({"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian",
                     "Pacific"})
"""Areas of canonical IANA zone names; suggestions never offer legacy aliases such as 'Brazil/East'."""
ALL_MONTHS = 18
CAPACITY_TRACKS = ("performance-management", "evaluation", "results-driven-contracting", "data-as-a-service")


@dataclass(frozen=True, slots=True)
class Slot:
    """When a kind of session meets: a weekday, a local clock time, the n-th week of the month."""

    weekday: int
    time: dt.time
    week: int
    minutes: int = 60


@dataclass(frozen=True, slots=True)
class Text:
    """Reader-facing text from the cohort file: one string, or one per language."""

    values: tuple[tuple[str, str], ...]

    def get(self, lang: str) -> tuple[str, str]:
        """The text in ``lang`` (or English, or the first given) and the language it is in."""
        found = dict(self.values)
        for want in (lang, "en"):
            if want in found:
                return found[want], want
        return self.values[0][1], self.values[0][0]


@dataclass(frozen=True, slots=True)
class City:
    name: str
    slug: str
    country: str
    language: str
    timezone: str
    track: str
    coach: str
    coaching: Slot
    ypath: YPath

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Keynote:
    number: int          # 1-based, in file order
    month: int
    slot: Slot
    title: Text
    speaker: str
    url: str
    audience: tuple[str, ...]
    ypath: YPath


@dataclass(frozen=True, slots=True)
class ConveningItem:
    time: dt.time
    minutes: int          # 0: the workshop's duration
    kind: str
    title: Text | None
    workshop: str
    audience: tuple[str, ...]   # empty: the workshop's audience, or every participant
    ypath: YPath


@dataclass(frozen=True, slots=True)
class ConveningDay:
    date: dt.date
    items: tuple[ConveningItem, ...]
    ypath: YPath


@dataclass(frozen=True, slots=True)
class Convening:
    title: Text | None
    location: str
    timezone: str
    days: tuple[ConveningDay, ...]

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def workshops(self) -> set[str]:
        return {item.workshop for day in self.days for item in day.items if item.workshop}


@dataclass(frozen=True, slots=True)
class Cohort:
    doc: YamlDoc
    name: str
    slug: str
    timezone: str
    start: dt.date
    months: int
    coach_language: str
    cities: tuple[City, ...]
    mayors: Slot
    labs: Slot
    track_slot: Slot
    keynotes: tuple[Keynote, ...]
    convening: Convening | None
    site_url: str = ""
    schedule_url: str = ""

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def tracks(self) -> list[str]:
        """The tracks chosen by at least one city, in the program's order."""
        chosen = {c.track for c in self.cities if c.track}
        return [t for t in CAPACITY_TRACKS if t in chosen]


# -- reading and checking the file -------------------------------------------------------

@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "cohort"


def _normalize(value: Any) -> None:
    """Accept what YAML makes of unquoted values: a date object, a sexagesimal time (14:00 → 840)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in list(items):
        if key in ("start_date", "date") and isinstance(item, dt.date) and not isinstance(item, dt.datetime):
            value[key] = item.isoformat()
        elif key == "time" and isinstance(item, int) and not isinstance(item, bool) and 0 <= item < 24 * 60:
            value[key] = f"{item // 60:02d}:{item % 60:02d}"
        else:
            _normalize(item)


def _is_single_track(data: Any) -> bool:
    """The format of earlier versions: one language, time zone and track for the whole cohort."""
    cities = data.get("cities") if isinstance(data, dict) else None
    return (isinstance(data, dict) and ("track" in data or "language" in data)
            and isinstance(cities, list) and all(isinstance(c, str) for c in cities))


def migration_hint() -> str:
    return ("write each city as a mapping with name, country, language, timezone and track (its chosen track), "
            "move the cohort's language and track into the cities, keep timezone as the reference time zone and "
            "add coaching_calls; see curriculum/cohorts/example-cohort.yaml")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def check_values(doc: YamlDoc) -> list[Diagnostic]:
    """What the schema cannot say: real time zones and dates, one track per city, names used once."""
    data = _mapping(doc.data)
    out = []
    zones: list[tuple[YPath, Any]] = [(("timezone",), data.get("timezone"))]
    listed = _sequence(data.get("cities"))
    zones += [(("cities", i, "timezone"), c.get("timezone")) for i, c in enumerate(listed) if isinstance(c, dict)]
    convening = _mapping(data.get("convening"))
    zones.append((("convening", "timezone"), convening.get("timezone")))
    for ypath, tz in zones:
        if isinstance(tz, str) and tz and tz not in _zones():
            hint = (did_you_mean(tz, sorted(z for z in _zones() if z.split("/")[0] in REGIONS)) or
                    "use an IANA time zone name such as 'America/Bogota', 'America/Sao_Paulo' or 'America/Mexico_City'")
            out.append(error(doc.loc(ypath), "E501", f"unknown time zone '{tz}'", hint))
    dates: list[tuple[YPath, Any]] = [(("start_date",), data.get("start_date"))]
    days = _sequence(convening.get("days"))
    dates += [(("convening", "days", i, "date"), d.get("date")) for i, d in enumerate(days) if isinstance(d, dict)]
    for ypath, value in dates:
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            try:
                dt.date.fromisoformat(value)
            except ValueError as exc:
                out.append(error(doc.loc(ypath), "E502", f"'{ypath[-1]}' is not a real date: '{value}' ({exc})",
                                 "check the day and the month; write the date as \"YYYY-MM-DD\""))
    months = data.get("months", ALL_MONTHS)
    seen: dict[str, str] = {}
    for i, city in enumerate(listed):
        if not isinstance(city, dict) or not isinstance(city.get("name"), str):
            continue
        name = city["name"]
        if isinstance(months, int) and months > CORE_MONTHS and "track" not in city:
            out.append(error(doc.loc(("cities", i)), "E505",
                             f"city '{name}' has no track, but the plan goes on to month {months}",
                             f"add 'track:' (one of {', '.join(CAPACITY_TRACKS)}) to the city, or set 'months: 6' "
                             "to plan the six core months only"))
        slug = slugify(name)
        if slug in seen:
            out.append(error(doc.loc(("cities", i, "name")), "E507",
                             f"city '{name}' is listed twice (its files would overwrite those of '{seen[slug]}')",
                             "list each city once, with a name of its own"))
        seen.setdefault(slug, name)
    keynotes = _sequence(data.get("keynotes"))
    for i, note in enumerate(keynotes):
        if isinstance(note, dict) and isinstance(note.get("month"), int) and isinstance(months, int) \
                and months < note["month"] <= ALL_MONTHS:  # past 18: the schema says so
            out.append(error(doc.loc(("keynotes", i, "month")), "E508",
                             f"keynote in month {note['month']}, but the plan covers {months} months",
                             f"choose a month from 1 to {months}, or plan more months"))
    previous = ""
    for i, day in enumerate(days):
        date = day.get("date") if isinstance(day, dict) else None
        if isinstance(date, str) and previous and date <= previous:
            out.append(error(doc.loc(("convening", "days", i, "date")), "E508",
                             f"convening day {i + 1} ({date}) does not come after day {i} ({previous})",
                             "list the convening's days in order, each on its own date"))
        agenda = day.get("agenda") if isinstance(day, dict) else None
        for j, item in enumerate(agenda if isinstance(agenda, list) else []):
            if isinstance(item, dict) and "workshop" not in item and "minutes" not in item:
                out.append(error(doc.loc(("convening", "days", i, "agenda", j)), "E508",
                                 "convening agenda block has no length", "add 'minutes:' (or 'workshop:', "
                                 "whose duration it then takes)"))
            if isinstance(item, dict) and "workshop" not in item and "kind" not in item and "title" not in item:
                out.append(error(doc.loc(("convening", "days", i, "agenda", j)), "E508",
                                 "convening agenda block has neither a kind nor a title",
                                 "add 'kind:' (welcome, keynote, peer-exchange, ...) or 'title:'"))
        previous = date if isinstance(date, str) and _real(date) else previous
    return out


def _real(day: str) -> bool:
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return False
    return True


def parse_cohort(path: Path) -> tuple[YamlDoc | None, list[Diagnostic]]:
    """Read, parse and check a cohort file; the document and every diagnostic found."""
    shown = display_path(path.absolute())
    text, diags = read_text(path, shown)
    if text is None:
        return None, diags
    doc, diags = parse_yaml(text, shown)
    if doc is None:
        return None, diags
    _normalize(doc.data)
    if _is_single_track(doc.data):
        return doc, [*diags, error(doc.loc(("cities",)), "E504", "this cohort file has the single-track format of "
                                   "earlier versions: every city now has its own language, time zone and track",
                                   migration_hint())]
    seen = {d.loc for d in diags}  # a value YAML could not read is not reported twice
    diags = [*diags, *(d for d in [*validate_doc(doc, "cohort"), *check_values(doc)] if d.loc not in seen)]
    return doc, diags


# -- the typed cohort -------------------------------------------------------------------

def _clock(text: str) -> dt.time:
    hours, minutes = (int(x) for x in text.split(":"))
    return dt.time(hours, minutes)


def _slot(data: dict[str, Any], default_week: int, default: Slot | None = None) -> Slot:
    if not data and default is not None:
        return default
    return Slot(WEEKDAYS.index(data["weekday"]), _clock(data["time"]), int(data.get("week", default_week)),
                int(data.get("minutes", default.minutes if default else 60)))


def _text(value: Any) -> Text | None:
    if isinstance(value, str):
        return Text((("en", value),))
    if isinstance(value, dict) and value:
        return Text(tuple((k, str(v)) for k, v in value.items()))
    return None


def _url(value: Any) -> str:
    text = str(value or "")
    return text + "/" if text and not text.endswith("/") else text


def cohort_from(doc: YamlDoc) -> Cohort:
    """The typed cohort of a document that passed :func:`parse_cohort` without errors."""
    d = doc.data
    calls = _slot(d["coaching_calls"], 3)
    cities = tuple(City(c["name"], slugify(c["name"]), c["country"], c["language"], c["timezone"], c.get("track", ""),
                        c.get("coach", ""), _slot(c.get("coaching") or {}, 3, calls), ("cities", i))
                   for i, c in enumerate(d["cities"]))
    labs = _slot(d["team_labs"], 2)
    keynotes = tuple(Keynote(i + 1, k["month"], _slot(k, 3), _text(k["title"]) or Text((("en", ""),)),
                             k.get("speaker", ""), k.get("url", ""), tuple(k.get("audience", PARTICIPANTS)),
                             ("keynotes", i)) for i, k in enumerate(d.get("keynotes") or []))
    convening = None
    if c := d.get("convening"):
        days = tuple(ConveningDay(dt.date.fromisoformat(day["date"]), tuple(
            ConveningItem(_clock(item["time"]), int(item.get("minutes", 0)),
                          item.get("kind", "workshop" if item.get("workshop") else ""), _text(item.get("title")),
                          item.get("workshop", ""), tuple(item.get("audience", ())),
                          ("convening", "days", i, "agenda", j))
            for j, item in enumerate(day["agenda"])), ("convening", "days", i)) for i, day in enumerate(c["days"]))
        convening = Convening(_text(c.get("title")), c["location"], c["timezone"], days)
    return Cohort(doc, d["name"], slugify(d["name"]), d["timezone"], dt.date.fromisoformat(d["start_date"]),
                  int(d.get("months", ALL_MONTHS)), d.get("coach_language", "en"), cities,
                  _slot(d["mayors_sessions"], 1), labs, _slot(d.get("track_sessions") or {}, labs.week, labs),
                  keynotes, convening, _url(d.get("site_url")), _url(d.get("schedule_url")))
