"""``cda new module``: a valid module, its reading and its workshop, ready to write in."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from build_tools.base.diagnostics import Loc, error
from build_tools.base.errors import CdaError
from build_tools.base.fsutil import atomic_write
from build_tools.source.cases import COUNTRY_REGIONS, known_country
from build_tools.source.model import TRACK_IDS
from build_tools.source.sources import parse_yaml

MODULE = """\
# yaml-language-server: $schema=../../../build_tools/schema/module.schema.json
id: {id}
track: {track}
month: {month}
title: "{title}"
summary: "Module summary: what a participant will be able to do after this month."
audience: [mayor, chief-data-officer, senior-leader]
hours: 5
objectives:
  - Name the decision this module helps the city make.
  - Draft the first version of the module's deliverable.
  - Present the deliverable to a peer city for feedback.
key_terms: []
prerequisites: []
exercises:
  - id: first-deliverable
    title: Draft the deliverable
    instructions: Describe the steps a city team follows to produce the deliverable.
    deliverable: The document the city keeps and uses.
    acceptance:                     # 2 to 5 checks a coach can verify on the deliverable
      - The document names the decision it supports and the official who owns it.
      - The document is dated and reached the coach before the month's coaching call.
  - id: peer-review
    title: Review with a peer city
    instructions: Exchange drafts with a peer city and note two improvements.
    deliverable: A revised draft with the peer city's comments addressed.
    acceptance:
      - The revised draft lists the peer city's comments and says how each one was addressed.
      - The revised draft is dated after the peer review.
resources:
  - title: What Works Cities Certification
    publisher: Bloomberg Philanthropies
    year: 2024
    url: https://whatworkscities.bloomberg.org/certification/
workshops: [{workshop}]
"""

READING = """\
## Why this matters

Explain the idea in plain language for a busy mayor, one paragraph per line.

## A city example

Tell what one city in the Americas did, and link to the source.

!!! tip "Questions to ask your team"

    - Which decision will this change?
"""

WORKSHOP = """\
# yaml-language-server: $schema=../../../build_tools/schema/workshop.schema.json
id: {workshop}
module: {id}
title: "Workshop: {title}"
purpose: Why the session exists and what changes after it.
outcomes:
  - A first draft of the module's deliverable.
audience: [chief-data-officer, senior-leader]
format: in-person
duration: 120
group_size: {{min: 6, max: 24}}
facilitation_roles:
  - role: lead-facilitator
    responsibilities: Runs the agenda and keeps time.
prework:
  - Read the module's reading.
materials:
  - Printed copies of the exercise.
setup: Tables for groups of four, a screen for slides.
agenda:
  - title: Welcome and purpose
    minutes: 15
    method: Plenary
    kind: activity
    instructions: Listen to the purpose and share one expectation.
    facilitator_notes: State the outcomes and the agreements for the session.
  - title: Work on the deliverable
    minutes: 60
    method: Small groups
    kind: activity
    instructions: Draft the deliverable in your city team.
    facilitator_notes: Visit each table; ask what decision the draft supports.
  - title: Break
    minutes: 15
    kind: break
  - title: Peer feedback and close
    minutes: 30
    method: Troika Consulting
    kind: activity
    instructions: Present your draft to two peers and take notes on their advice.
    facilitator_notes: Keep the rounds to time; close with one commitment per city.
debrief:
  - What will your team do differently next week?
after_action_review:
  - What did we expect to happen, and what actually happened?
follow_up:
  - Send the revised draft to your coach within two weeks.
"""


def new_module(root: Path, track: str, mid: str, month: int = 1, title: str = "") -> list[Path]:
    """Create a module, its reading and its workshop, and list the module in its track."""
    cur = root / "curriculum"
    if track not in TRACK_IDS:
        raise CdaError(f"unknown track '{track}'; use one of: {', '.join(TRACK_IDS)}")
    track_file = cur / "tracks" / f"{track}.yaml"
    module_file = cur / "modules" / track / f"{mid}.yaml"
    workshop_id = f"{mid}-workshop"
    files = {
        module_file: MODULE,
        module_file.with_suffix(".md"): READING,
        cur / "workshops" / track / f"{workshop_id}.yaml": WORKSHOP,
    }
    for path in files:
        if path.exists():
            raise CdaError(f"{path} already exists; choose another id")
    track_text = _add_to_track(track_file, mid)
    fields = {"id": mid, "track": track, "month": month, "workshop": workshop_id,
              "title": title or mid.replace("-", " ").capitalize()}
    for path, template in files.items():
        atomic_write(path, template.format(**fields))
    atomic_write(track_file, track_text)
    return [*files, track_file]


def _add_to_track(track_file: Path, mid: str) -> str:
    try:
        text = track_file.read_text("utf-8")
    except OSError:
        raise CdaError(f"{track_file}: track file not found; create it first") from None
    doc, diags = parse_yaml(text, str(track_file))
    if doc is None or not isinstance(doc.data, dict) or not isinstance(doc.data.get("modules"), list):
        loc = diags[0].loc if diags else Loc(str(track_file))
        raise CdaError(error(loc, "E202", "the track has no 'modules' list to add the module to",
                             "add 'modules:' with a block list").format())
    items = doc.data["modules"]
    lines = text.split("\n")
    if not items or doc.locs[("modules",)].line == doc.key_locs[("modules",)].line:
        raise CdaError(f"{track_file}: write 'modules:' as a block list (one '- id' per line) so cda can add to it")
    last = doc.locs[("modules", len(items) - 1)]
    indent = " " * (last.col - 3)
    lines.insert(last.line, f"{indent}- {mid}")
    return "\n".join(lines)


CASE = """\
# yaml-language-server: $schema=../../build_tools/schema/case.schema.json
# A city case (see AUTHORING.md, "City cases"). It stays a draft, off the site, until every
# figure in the story has its source: then set status: published and run `cda validate --strict`.
id: {id}
status: draft                  # published | draft (drafts never reach the site)
title: {title}
city: {city}
country: {country}                    # ISO 3166-1 alpha-2 code
region: {region}
# population:                  # only with a source that gives it; otherwise leave it out
#   value: 1000000
#   year: 2024                 # the year the source gives
#   source: 1                  # the number of that source in the list below
tracks: [{track}]                # core, performance-management, evaluation, results-driven-contracting, data-as-a-service
terms: []                      # glossary ids the case illustrates (curriculum/glossary/*.yaml)
years: {{start: {year}}}           # add end: YYYY when the work is over
self_reported: false           # true when the results come from the city's own reporting
summary: >-
  One or two sentences, without figures: what the city did and why it matters to other cities.
sources: []                    # at least one before publishing; the story cites the N-th one with [^N]
#  - title: "The report's title, as published"
#    publisher: Who published it
#    year: 2024                # leave out when the source has no date
#    url: https://example.org/the-report
"""

CASE_STORY = """\
## The problem

What the city faced, and for whom: one paragraph, in plain words.

## What the city did

Who did what, when, with which data and which partners.

## What changed

What the sources say changed. End each sentence that states a figure with the number of its source in the list, written as a footnote marker. Say so in one sentence when the results come from the city's own reporting.

## What others can reuse

- A practice another city could copy, and what it needs.

## Pitfalls

- What went wrong, or could, and how to avoid it.
"""


def new_case(root: Path, cid: str, city: str, country: str, track: str | None = None,
             title: str = "") -> list[Path]:
    """Create a draft city case: its data (``cases/<id>.yaml``) and its story (``cases/<id>.md``)."""
    code = country.strip().upper()
    if not known_country(code):
        raise CdaError(f"unknown country code '{country}'; use the ISO 3166-1 alpha-2 code, e.g. MX, CO, BR, AR")
    region = COUNTRY_REGIONS.get(code)
    if region is None:
        raise CdaError(f"'{code}' is not a country of the Americas; the case library covers North, Central and "
                       "South America and the Caribbean")
    track = track or "core"
    if track not in TRACK_IDS:
        raise CdaError(f"unknown track '{track}'; use one of: {', '.join(TRACK_IDS)}")
    folder = root / "curriculum" / "cases"
    files = {folder / f"{cid}.yaml": CASE, folder / f"{cid}.md": CASE_STORY}
    for path in files:
        if path.exists():
            raise CdaError(f"{path} already exists; choose another id")
    fields = {"id": cid, "city": json.dumps(city.strip(), ensure_ascii=False), "country": code, "region": region,
              "track": track, "year": dt.date.today().year,
              "title": json.dumps(title.strip() or f"{city.strip()}: what the city did, in one line",
                                  ensure_ascii=False)}
    for path, template in files.items():
        atomic_write(path, template.format(**fields))
    return list(files)
