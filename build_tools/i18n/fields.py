"""Every translatable field, declared once, and the one place that names catalogs.

A :class:`Field` ties a model field to its message context (the field's path in the source,
without list positions: ``exercises.title``), the note translators read, how it renders (a
Markdown block, or a line that a fallback marks ``lang="en"``) and where readers see it.
Extraction (:mod:`build_tools.i18n.extract`) adds messages with a ``Field``; the page generators
look translations up with the same ``Field`` (:meth:`build_tools.render.page_context.Ctx.tr`), so a
field cannot be extracted under one context and looked up under another. Markdown bodies
(readings, pages, stories, handouts) are cut into messages without a context.

Catalogs are named by :func:`catalog_name` only: ``program``, ``glossary`` and ``ui`` for the
documents a course has once, ``<kind>-<id>`` for the others.
"""

from __future__ import annotations

from dataclasses import dataclass

FACILITATOR = "facilitator:"
"""The context prefix of facilitator-only text: kept after participant text in a catalog."""

SINGLE_KINDS = ("program", "glossary", "ui")
"""Document kinds a course has once; their catalog is named after the kind."""


@dataclass(frozen=True)
class Field:
    """One translatable field of one document kind."""

    kind: str
    context: str
    note: str = ""
    block: bool = False
    """Rendered as Markdown blocks: an English fallback is not wrapped in ``<span lang="en">``."""
    facilitator: bool = False
    where: str = ""
    """Where readers see it (for authors and for translators' notes)."""

    @property
    def msgctxt(self) -> str:
        return FACILITATOR + self.context if self.facilitator else self.context

    def catalog(self, ident: str = "") -> str:
        return catalog_name(self.kind, ident)


def catalog_name(kind: str, ident: str = "") -> str:
    """The catalog (gettext domain) of a document: ``module-<id>``, or the kind for a singleton."""
    if kind in SINGLE_KINDS:
        return kind
    if not ident:
        raise ValueError(f"a {kind} catalog needs the document's id")
    return f"{kind}-{ident}"


def parse_catalog_name(name: str) -> tuple[str, str]:
    """``module-m01`` → ``("module", "m01")``; ``glossary`` → ``("glossary", "")``."""
    kind, _, ident = name.partition("-")
    return kind, ident


_FACILITATOR_NOTE = "Facilitator only: participants never see this text"


class Program:
    TITLE = Field("program", "title", "Program title", where="program page, home page, navigation")
    SUMMARY = Field("program", "summary", where="program page, home page")
    PHASE_TITLE = Field("program", "phases.title", "Phase title", where="program page")
    PHASE_SUMMARY = Field("program", "phases.summary", where="program page")
    ROLE_TITLE = Field("program", "roles.title", "Role name", where="program page, workshop pages, schedules")
    ROLE_DESCRIPTION = Field("program", "roles.description", where="program page")
    COMMITMENT = Field("program", "commitments", where="program page")


class Track:
    TITLE = Field("track", "title", "Track title", where="track page, home page, navigation, links")
    SUMMARY = Field("track", "summary", where="track page, home page")
    WHO_SHOULD_CHOOSE = Field("track", "who_should_choose", "Markdown", block=True, where="track page")
    OUTCOME = Field("track", "outcomes", "Outcome after the track", where="track page")


class Module:
    TITLE = Field("module", "title", "Module title", where="module page, track page, links, schedules")
    SUMMARY = Field("module", "summary", where="module page")
    OBJECTIVE = Field("module", "objectives", "Learning objective", where="module page")
    EXERCISE_TITLE = Field("module", "exercises.title", "Exercise title",
                           where="module page, acceptance criteria, coach's calendar")
    EXERCISE_INSTRUCTIONS = Field("module", "exercises.instructions", "Markdown", block=True,
                                  where="module page")
    EXERCISE_DELIVERABLE = Field("module", "exercises.deliverable", "What the exercise produces",
                                 where="module page, track page, acceptance criteria, schedules")
    EXERCISE_ACCEPTANCE = Field("module", "exercises.acceptance",
                                "Acceptance criterion: a check the coach makes on the deliverable",
                                where="module page, acceptance criteria")


class Workshop:
    TITLE = Field("workshop", "title", "Workshop title", where="playbook, module page, schedules")
    PURPOSE = Field("workshop", "purpose", "Markdown", block=True, where="playbook")
    OUTCOME = Field("workshop", "outcomes", where="playbook")
    RESPONSIBILITIES = Field("workshop", "facilitation_roles.responsibilities", where="playbook")
    PREWORK = Field("workshop", "prework", "Pre-work sent to participants", where="playbook")
    MATERIAL = Field("workshop", "materials", where="playbook")
    SETUP = Field("workshop", "setup", "Room or online set-up", block=True, where="playbook")
    AGENDA_TITLE = Field("workshop", "agenda.title", "Agenda block title", where="playbook, run sheet")
    AGENDA_METHOD = Field("workshop", "agenda.method",
                          "Facilitation method (translate the usual local name)", where="playbook")
    AGENDA_INSTRUCTIONS = Field("workshop", "agenda.instructions", "Participant instructions",
                                where="playbook, participant handout")
    DEBRIEF = Field("workshop", "debrief", "Debrief question", where="playbook")
    FOLLOW_UP = Field("workshop", "follow_up", where="playbook")
    FACILITATOR_NOTES = Field("workshop", "agenda.facilitator_notes", _FACILITATOR_NOTE,
                              facilitator=True, where="playbook (facilitator edition)")
    IF_LATE = Field("workshop", "agenda.if_late", _FACILITATOR_NOTE + " (what to cut if running late)",
                    facilitator=True, where="playbook (facilitator edition)")
    AFTER_ACTION_REVIEW = Field("workshop", "after_action_review",
                                _FACILITATOR_NOTE + " (after-action review question)",
                                facilitator=True, where="playbook (facilitator edition)")


class Glossary:
    DEFINITION = Field("glossary", "terms.definition", "Definition of '{term}' ({translations})",
                       where="glossary page, glossary sheets")


class Page:
    TITLE = Field("page", "title", "Page title", where="the page, navigation, links")


class Case:
    TITLE = Field("case", "title", "Case title", where="case page, case library, module pages")
    SUMMARY = Field("case", "summary", "Case summary: one or two sentences", where="case page, case library")


class Handout:
    TITLE = Field("handout", "title", "Handout title ({kind}, {who})",
                  where="handout page, playbooks, navigation")
    SUMMARY = Field("handout", "summary", "What the handout is and how many copies to print",
                    where="handout page, track page's handout list")


FIELDS: tuple[Field, ...] = tuple(
    value for group in (Program, Track, Module, Workshop, Glossary, Page, Case, Handout)
    for name, value in vars(group).items() if isinstance(value, Field) and name.isupper())
"""Every declared field, in declaration order."""
