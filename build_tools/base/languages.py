"""The course's languages, as data: read from ``languages:`` in ``curriculum/program.yaml``.

The first language is the one the curriculum is written in (``en``); every other one is a
translation target with its own catalogs, pages, search index and switcher entry. Nothing
else in build_tools lists languages: adding one is an edit to ``program.yaml`` (and the
glossary's translations), not to code. No I/O here except :func:`read_languages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    """Folder and URL segment (``docs/es/``, ``/es/``), catalog folder, ``--lang`` value."""
    name: str
    """The language's own name, as the switcher shows it (``Español``)."""
    locale: str
    """Babel locale and the PO header's ``Language`` (``es_419``): plurals, dates, numbers."""
    tag: str
    """BCP 47 tag for ``lang=""`` in HTML, PDF and calendar files (``es-419``)."""
    team: str = ""
    """Translation team, named in catalog headers (``Spanish (Latin America)``)."""
    site_name: str = ""
    """The site's title in this language (empty: the program's title)."""
    search: str = ""
    """Which word-form rules the offline bundles' lunr index adds (``es``, ``pt``; empty: English rules);
    the site's Pagefind index stems by the language's ``code``."""
    formats: str = ""
    """Babel locale for dates, times and numbers when it differs from ``locale`` (``es``:
    24-hour clock and decimal comma, where ``es_419`` would follow Mexico's conventions)."""

    @property
    def formatting(self) -> str:
        return self.formats or self.locale


SOURCE = Language("en", "English", "en", "en")
"""What the site falls back to when ``program.yaml`` cannot be read: English only."""

FIELDS = ("code", "name", "locale", "tag", "team", "site_name", "search", "formats")


def language_from(data: Any) -> Language | None:
    """One entry of ``languages:`` (schema-checked elsewhere); None when it is not usable."""
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) and data[k]
                                             for k in ("code", "name", "locale", "tag")):
        return None
    return Language(**{k: str(data.get(k) or "") for k in FIELDS})


def languages_from(data: Any) -> tuple[Language, ...]:
    """All usable entries of ``languages:``, in order; just the source language if none."""
    found = tuple(x for x in (language_from(d) for d in data) if x) if isinstance(data, list) else ()
    return found or (SOURCE,)


def read_languages(root: Path) -> tuple[Language, ...]:
    """The languages of the project at ``root``, for code that runs before validation (CLI, hook)."""
    path = root / "curriculum" / "program.yaml"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return (SOURCE,)
    return _read(path, stamp)


@lru_cache(maxsize=8)
def _read(path: Path, stamp: int) -> tuple[Language, ...]:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return (SOURCE,)
    return languages_from(data.get("languages") if isinstance(data, dict) else None)


def codes(langs: tuple[Language, ...]) -> tuple[str, ...]:
    return tuple(x.code for x in langs)


def targets(langs: tuple[Language, ...]) -> tuple[Language, ...]:
    """The translation targets: every language but the source."""
    return langs[1:]


def find(langs: tuple[Language, ...], code: str) -> Language:
    """The language with this code; an unknown code gets a plain entry (code as locale and tag)."""
    return next((x for x in langs if x.code == code), Language(code, code, code, code))
