"""The curriculum as typed, immutable data. No I/O here.

Every object keeps its source: the parsed document (``doc``) and its path in it, so any
field or list item can be located for a diagnostic with :meth:`Node.loc`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from build_tools.base.diagnostics import Loc
from build_tools.base.languages import SOURCE, Language, find
from build_tools.source.sources import YamlDoc, YPath

TRACK_IDS = ("core", "performance-management", "evaluation", "results-driven-contracting", "data-as-a-service")
ROLE_IDS = ("mayor", "chief-data-officer", "data-alliance-lead", "senior-leader", "coach")


@dataclass(frozen=True, slots=True)
class Node:
    """Base: where this object came from."""

    doc: YamlDoc = field(repr=False, compare=False)
    ypath: YPath = field(repr=False, compare=False)

    def loc(self, *sub: str | int) -> Loc:
        """Location of this object, or of one of its fields or list items."""
        return self.doc.loc(self.ypath + sub)

    def key_loc(self, key: str) -> Loc:
        return self.doc.key_loc(self.ypath + (key,))

    @property
    def source(self) -> str:
        return self.doc.path


@dataclass(frozen=True, slots=True)
class Phase(Node):
    id: str = ""
    title: str = ""
    months: int = 0
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Role(Node):
    id: str = ""
    title: str = ""
    hours_per_month: float = 0
    description: str = ""


@dataclass(frozen=True, slots=True)
class Program(Node):
    title: str = ""
    summary: str = ""
    languages: tuple[Language, ...] = (SOURCE,)
    phases: tuple[Phase, ...] = ()
    roles: tuple[Role, ...] = ()
    commitments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Track(Node):
    id: str = ""
    title: str = ""
    phase: str = ""
    summary: str = ""
    who_should_choose: str = ""
    outcomes: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    templates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Exercise(Node):
    id: str = ""
    title: str = ""
    instructions: str = ""
    deliverable: str = ""
    acceptance: tuple[str, ...] = ()
    """2 to 5 checks a coach can verify on the deliverable (shown on the module page, in the
    coaching call agenda and in the facilitator guide)."""


@dataclass(frozen=True, slots=True)
class Resource(Node):
    title: str = ""
    publisher: str = ""
    year: int = 0
    url: str = ""


@dataclass(frozen=True, slots=True)
class Markdown:
    """A Markdown body and where its first line sits in its file."""

    path: str
    text: str
    first_line: int = 1


@dataclass(frozen=True, slots=True)
class Module(Node):
    id: str = ""
    track: str = ""
    month: int = 0
    title: str = ""
    summary: str = ""
    audience: tuple[str, ...] = ()
    hours: float = 0
    objectives: tuple[str, ...] = ()
    key_terms: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()
    exercises: tuple[Exercise, ...] = ()
    resources: tuple[Resource, ...] = ()
    workshops: tuple[str, ...] = ()
    reading: Markdown | None = None


@dataclass(frozen=True, slots=True)
class FacilitationRole(Node):
    role: str = ""
    responsibilities: str = ""


@dataclass(frozen=True, slots=True)
class AgendaBlock(Node):
    title: str = ""
    minutes: int = 0
    method: str = ""
    kind: str = "activity"
    instructions: str = ""
    facilitator_notes: str = ""
    if_late: str = ""


@dataclass(frozen=True, slots=True)
class Workshop(Node):
    id: str = ""
    module: str = ""
    title: str = ""
    purpose: str = ""
    outcomes: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    format: str = "in-person"
    duration: int = 0
    group_min: int = 0
    group_max: int = 0
    facilitation_roles: tuple[FacilitationRole, ...] = ()
    prework: tuple[str, ...] = ()
    handouts: tuple[str, ...] = ()
    """Ids of the documents given out or used in the room: handouts, or track template pages."""
    materials: tuple[str, ...] = ()
    """Supplies only (boards, sticky notes, a projector): anything written for the room is a handout."""
    setup: str = ""
    agenda: tuple[AgendaBlock, ...] = ()
    debrief: tuple[str, ...] = ()
    after_action_review: tuple[str, ...] = ()
    follow_up: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Term(Node):
    id: str = ""
    term: str = ""
    definition: str = ""
    translations: tuple[tuple[str, str], ...] = ()
    """The term in each target language, ``(code, text)``, as written in the glossary file."""
    # English phrases in which the word has its everyday meaning, not the glossary's: the
    # terminology check (G300) does not ask for the glossary's translation there.
    ordinary_sense: tuple[str, ...] = ()

    def required(self, lang: str) -> str:
        """The term in ``lang`` (the glossary's required translation); empty if none is given."""
        return self.term if lang == "en" else dict(self.translations).get(lang, "")


@dataclass(frozen=True, slots=True)
class Page(Node):
    """A Markdown page with front matter (program pages, track templates)."""

    id: str = ""
    title: str = ""
    track: str = ""
    order: int = 100
    body: Markdown | None = None


HANDOUT_KINDS = ("role-cards", "scenario-cards", "worksheet", "data-pack", "brief", "template", "checklist",
                 "glossary-sheet")
CARD_KINDS = ("role-cards", "scenario-cards")
"""Handouts printed as cards to cut out: each ``## `` section of the body is one card."""
HANDOUT_AUDIENCES = ("participants", "facilitator")
CARDS_PER_PAGE = (2, 4, 6, 8)
PAPER_SIZES = ("a4", "a3")


@dataclass(frozen=True, slots=True)
class Handout(Node):
    """A document a workshop gives out (``handouts/<track>/<id>.md``): cards, a worksheet, a brief..."""

    id: str = ""
    track: str = ""
    """The folder it sits in."""
    title: str = ""
    kind: str = ""
    audience: str = ""
    summary: str = ""
    paper: str = "a4"
    cards_per_page: int = 0
    terms: tuple[str, ...] = ()
    """A glossary sheet's terms (its table is generated from the glossary)."""
    body: Markdown | None = None

    @property
    def facilitator(self) -> bool:
        return self.audience == "facilitator"

    @property
    def cards(self) -> bool:
        return self.kind in CARD_KINDS


CASE_STATUSES = ("published", "draft")
REGION_IDS = ("north-america", "central-america", "caribbean", "south-america")


@dataclass(frozen=True, slots=True)
class CaseSource(Node):
    """One source of a case: footnote ``[^N]`` of its story is the N-th (1-based)."""

    title: str = ""
    publisher: str = ""
    year: int = 0
    url: str = ""


@dataclass(frozen=True, slots=True)
class Population(Node):
    value: int = 0
    year: int = 0
    source_index: int = 0
    """``population.source``: the 1-based index of its source in the case's sources."""


@dataclass(frozen=True, slots=True)
class Case(Node):
    """A city case (``cases/<id>.yaml`` and its story ``cases/<id>.md``); drafts never reach the site."""

    id: str = ""
    status: str = "published"
    title: str = ""
    city: str = ""
    country: str = ""
    region: str = ""
    population: Population | None = None
    tracks: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    year_start: int = 0
    year_end: int = 0
    self_reported: bool = False
    summary: str = ""
    sources: tuple[CaseSource, ...] = ()
    body: Markdown | None = None

    @property
    def published(self) -> bool:
        return self.status == "published"


@dataclass(frozen=True, slots=True)
class Curriculum:
    """The whole validated source: what every later stage reads."""

    root: str
    program: Program | None
    tracks: tuple[Track, ...]
    modules: tuple[Module, ...]
    workshops: tuple[Workshop, ...]
    glossary: tuple[Term, ...]
    pages: tuple[Page, ...]
    unreadable: frozenset[str] = frozenset()
    """Ids (file names) of sources that could not be read: references to them are not reported."""
    cases: tuple[Case, ...] = ()
    """City cases, drafts included (see :meth:`published_cases`)."""
    handouts: tuple[Handout, ...] = ()

    @property
    def languages(self) -> tuple[Language, ...]:
        """The course's languages (program.yaml), the source language first."""
        return self.program.languages if self.program else (SOURCE,)

    @property
    def targets(self) -> tuple[Language, ...]:
        """The translation targets: every language but the source."""
        return self.languages[1:]

    def language(self, code: str) -> Language:
        return find(self.languages, code)

    def handout(self, hid: str) -> Handout | None:
        return next((h for h in self.handouts if h.id == hid), None)

    def case(self, cid: str) -> Case | None:
        return next((c for c in self.cases if c.id == cid), None)

    def published_cases(self) -> list[Case]:
        return [c for c in self.cases if c.published]

    def module(self, mid: str) -> Module | None:
        return next((m for m in self.modules if m.id == mid), None)

    def workshop(self, wid: str) -> Workshop | None:
        return next((w for w in self.workshops if w.id == wid), None)

    def track(self, tid: str) -> Track | None:
        return next((t for t in self.tracks if t.id == tid), None)

    def term(self, tid: str) -> Term | None:
        return next((t for t in self.glossary if t.id == tid), None)

    def page(self, pid: str) -> Page | None:
        return next((p for p in self.pages if p.id == pid), None)

    def ordered_tracks(self) -> list[Track]:
        rank = {t: i for i, t in enumerate(TRACK_IDS)}
        return sorted(self.tracks, key=lambda t: rank.get(t.id, 99))

    def track_modules(self, track: Track) -> list[Module]:
        found = (self.module(mid) for mid in track.modules)
        return [m for m in found if m is not None]


def as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else ()
