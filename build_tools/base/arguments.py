"""Argument types of the coaches' commands (``--start``, ``--date``, ``--format``).

Kept apart from the tools so that the CLI builds its parser without importing them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

FORMATS = ("html", "md")

_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# -- argument types ---------------------------------------------------------------------

def parse_start(text: str) -> str:
    """``--start``: a 24-hour clock time, normalised to ``HH:MM``."""
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"'{text}' is not a clock time: use HH:MM in 24-hour form, e.g. 14:00")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_day(text: str) -> dt.date:
    """``--date``: a real calendar date written ``YYYY-MM-DD``."""
    if not _DAY.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: use YYYY-MM-DD, e.g. 2027-03-04")
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a real date ({exc})") from None
