"""Extraction: the curriculum → one message template per source document.

YAML fields become messages whose ``msgctxt`` is the field's path without list positions
(``objectives``, ``agenda.title``), so reordering or inserting list items re-translates
nothing. Markdown bodies are cut by :mod:`build_tools.segment`. Facilitator-only text is
kept apart: its context starts with ``facilitator:`` and it comes after participant text.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from build_tools import model as m
from build_tools.cases import with_footnotes
from build_tools.segment import segment
from build_tools.ui import UI_STRINGS

FACILITATOR = "facilitator:"


@dataclass
class Message:
    """One template message: context, text, where it comes from, notes for translators."""

    msgctxt: str | None
    msgid: str
    references: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


@dataclass
class Document:
    """A source document and its messages, in reading order (participant text first)."""

    domain: str
    source: str
    messages: list[Message]


class _Collector:
    def __init__(self, source: str) -> None:
        self.source = source
        self.by_key: dict[tuple[str | None, str], Message] = {}
        self.order: list[Message] = []

    def add(self, ctx: str | None, text: str, comment: str = "") -> None:
        if not text or not text.strip():
            return
        key = (ctx, text)
        msg = self.by_key.get(key)
        if msg is None:
            msg = Message(ctx, text, [self.source])
            self.by_key[key] = msg
            self.order.append(msg)
        if comment and comment not in msg.comments:
            msg.comments.append(comment)

    def markdown(self, body: m.Markdown | None) -> None:
        if body is None:
            return
        for seg in segment(body.text):
            self.add(None, seg.text, seg.note)

    def messages(self) -> list[Message]:
        participant = [x for x in self.order if not (x.msgctxt or "").startswith(FACILITATOR)]
        facilitator = [x for x in self.order if (x.msgctxt or "").startswith(FACILITATOR)]
        return participant + facilitator


def program_doc(p: m.Program) -> Document:
    c = _Collector(p.source)
    c.add("title", p.title, "Program title")
    c.add("summary", p.summary)
    for ph in p.phases:
        c.add("phases.title", ph.title, "Phase title")
        c.add("phases.summary", ph.summary)
    for role in p.roles:
        c.add("roles.title", role.title, "Role name")
        c.add("roles.description", role.description)
    for text in p.commitments:
        c.add("commitments", text)
    return Document("program", p.source, c.messages())


def track_doc(t: m.Track) -> Document:
    c = _Collector(t.source)
    c.add("title", t.title, "Track title")
    c.add("summary", t.summary)
    c.add("who_should_choose", t.who_should_choose, "Markdown")
    for text in t.outcomes:
        c.add("outcomes", text, "Outcome after the track")
    return Document(f"track-{t.id}", t.source, c.messages())


def module_doc(mod: m.Module) -> Document:
    c = _Collector(mod.source)
    c.add("title", mod.title, "Module title")
    c.add("summary", mod.summary)
    for text in mod.objectives:
        c.add("objectives", text, "Learning objective")
    for ex in mod.exercises:
        c.add("exercises.title", ex.title, "Exercise title")
        c.add("exercises.instructions", ex.instructions, "Markdown")
        c.add("exercises.deliverable", ex.deliverable, "What the exercise produces")
        for text in ex.acceptance:
            c.add("exercises.acceptance", text, "Acceptance criterion: a check the coach makes on the deliverable")
    if mod.reading:
        c.source = mod.reading.path
        c.markdown(mod.reading)
    return Document(f"module-{mod.id}", mod.source, c.messages())


def workshop_doc(ws: m.Workshop) -> Document:
    c = _Collector(ws.source)
    c.add("title", ws.title, "Workshop title")
    c.add("purpose", ws.purpose, "Markdown")
    for text in ws.outcomes:
        c.add("outcomes", text)
    for role in ws.facilitation_roles:
        c.add("facilitation_roles.responsibilities", role.responsibilities)
    for text in ws.prework:
        c.add("prework", text, "Pre-work sent to participants")
    for text in ws.materials:
        c.add("materials", text)
    c.add("setup", ws.setup, "Room or online set-up")
    for block in ws.agenda:
        c.add("agenda.title", block.title, "Agenda block title")
        c.add("agenda.method", block.method, "Facilitation method (translate the usual local name)")
        c.add("agenda.instructions", block.instructions, "Participant instructions")
    for text in ws.debrief:
        c.add("debrief", text, "Debrief question")
    for text in ws.follow_up:
        c.add("follow_up", text)
    note = "Facilitator only: participants never see this text"
    for block in ws.agenda:
        c.add(FACILITATOR + "agenda.facilitator_notes", block.facilitator_notes, note)
        c.add(FACILITATOR + "agenda.if_late", block.if_late, note + " (what to cut if running late)")
    for text in ws.after_action_review:
        c.add(FACILITATOR + "after_action_review", text, note + " (after-action review question)")
    return Document(f"workshop-{ws.id}", ws.source, c.messages())


def glossary_doc(terms: tuple[m.Term, ...]) -> Document:
    sources = sorted({t.source for t in terms})
    c = _Collector(sources[0] if sources else "curriculum/glossary")
    for term in sorted(terms, key=lambda t: t.id):
        c.source = term.source
        c.add("terms.definition", term.definition,
              f"Definition of '{term.term}' ({'; '.join(f'{k}: {v}' for k, v in term.translations)})")
    return Document("glossary", c.source, c.messages())


def page_doc(page: m.Page) -> Document:
    c = _Collector(page.source)
    c.add("title", page.title, "Page title")
    c.markdown(page.body)
    return Document(f"page-{page.id}", page.source, c.messages())


def case_doc(case: m.Case) -> Document:
    """A city case: its title, its summary, then its story cut like a module's reading (city,
    country and sources are names and titles as published: not translated)."""
    c = _Collector(case.source)
    c.add("title", case.title, "Case title")
    c.add("summary", case.summary, "Case summary: one or two sentences")
    if case.body:
        c.source = case.body.path
        c.markdown(case.body)
    return Document(f"case-{case.id}", case.source, c.messages())


def handout_doc(h: m.Handout) -> Document:
    """A handout: its title, its summary, then its text cut like a page's body."""
    who = "facilitator only: participants never see it" if h.facilitator else "given to participants"
    c = _Collector(h.source)
    c.add("title", h.title, f"Handout title ({h.kind}, {who})")
    c.add("summary", h.summary, "What the handout is and how many copies to print")
    c.markdown(h.body)
    return Document(f"handout-{h.id}", h.source, c.messages())


def ui_doc() -> Document:
    c = _Collector("build_tools/ui.py")
    for key, (text, note) in UI_STRINGS.items():
        c.add(key, text, note)
    return Document("ui", "build_tools/ui.py", c.messages())


def documents(cur: m.Curriculum) -> Iterator[Document]:
    """Every source document of the curriculum, each with its messages."""
    for doc in _documents(cur):
        for msg in doc.messages:
            if doc.domain != "ui":
                msg.references = [_relative(ref, cur.root) for ref in msg.references]
        yield doc


def markdown_of(cur: m.Curriculum, domain: str) -> m.Markdown | None:
    """The Markdown body of a document (a module's reading, a page's body), if it has one."""
    kind, _, ident = domain.partition("-")
    if kind == "module" and (mod := cur.module(ident)):
        return mod.reading
    if kind == "page" and (page := cur.page(ident)):
        return page.body
    if kind == "case" and (case := cur.case(ident)):
        return with_footnotes(case)  # the story with the footnotes its page has
    if kind == "handout" and (handout := cur.handout(ident)):
        return handout.body
    return None


def domains(cur: m.Curriculum) -> list[str]:
    """The catalog name of every source document, without extracting messages."""
    names = ["program"] if cur.program else []
    names += [f"track-{t.id}" for t in cur.tracks] + [f"module-{x.id}" for x in cur.modules]
    names += [f"workshop-{w.id}" for w in cur.workshops] + (["glossary"] if cur.glossary else [])
    names += [f"page-{p.id}" for p in cur.pages] + [f"case-{c.id}" for c in cur.published_cases()]
    return names + [f"handout-{h.id}" for h in cur.handouts] + ["ui"]


@lru_cache(maxsize=4096)
def _relative(path: str, root: str) -> str:
    try:
        return Path(os.path.relpath(Path(path).resolve(), Path(root).resolve())).as_posix()
    except ValueError:
        return path


def _documents(cur: m.Curriculum) -> Iterator[Document]:
    if cur.program:
        yield program_doc(cur.program)
    yield from (track_doc(t) for t in cur.tracks)
    yield from (module_doc(x) for x in cur.modules)
    yield from (workshop_doc(w) for w in cur.workshops)
    if cur.glossary:
        yield glossary_doc(cur.glossary)
    yield from (page_doc(p) for p in cur.pages)
    yield from (case_doc(c) for c in cur.published_cases())  # drafts are not translated
    yield from (handout_doc(h) for h in cur.handouts)
    yield ui_doc()
