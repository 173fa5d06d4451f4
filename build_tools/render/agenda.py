"""Agenda clock times: durations are data; times are computed and printed per language."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_time

from build_tools.source import model as m


def parse_clock(text: str) -> dt.datetime:
    """``14:00`` → a datetime on a fixed day (so blocks may run past midnight)."""
    hours, minutes = (int(x) for x in text.split(":"))
    return dt.datetime(2000, 1, 1, hours, minutes)


def clock_rows(ws: m.Workshop, start: str) -> list[tuple[m.AgendaBlock, dt.datetime, dt.datetime]]:
    """Each block with its start and end time, from a session start such as ``09:00``."""
    rows = []
    at = parse_clock(start)
    for block in ws.agenda:
        end = at + dt.timedelta(minutes=block.minutes)
        rows.append((block, at, end))
        at = end
    return rows


def format_clock(moment: dt.datetime, locale: str) -> str:
    """A clock time in the language's convention: ``2:00 PM`` (en), ``14:00`` (pt)."""
    return format_time(moment.time(), "short", locale=locale)
