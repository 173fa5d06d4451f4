"""Extraction: the curriculum → one message template per source document.

YAML fields become messages whose ``msgctxt`` is the field's path without list positions
(``objectives``, ``agenda.title``), so reordering or inserting list items re-translates
nothing. Markdown bodies are cut by :mod:`build_tools.text.segment`. Facilitator-only text is
kept apart: its context starts with ``facilitator:`` and it comes after participant text.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from build_tools.base.ui import UI_STRINGS
from build_tools.i18n import fields as F
from build_tools.i18n.fields import FACILITATOR, Field, catalog_name, parse_catalog_name
from build_tools.source import model as m
from build_tools.source.cases import with_footnotes
from build_tools.text.segment import segment


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

    def add(self, fld: Field, text: str, **note: str) -> None:
        """A field's text, with the field's note (``note`` fills its ``{placeholders}``)."""
        self.message(fld.msgctxt, text, fld.note.format(**note) if note else fld.note)

    def message(self, ctx: str | None, text: str, comment: str = "") -> None:
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
            self.message(None, seg.text, seg.note)

    def messages(self) -> list[Message]:
        participant = [x for x in self.order if not (x.msgctxt or "").startswith(FACILITATOR)]
        facilitator = [x for x in self.order if (x.msgctxt or "").startswith(FACILITATOR)]
        return participant + facilitator


def program_doc(p: m.Program) -> Document:
    c = _Collector(p.source)
    c.add(F.Program.TITLE, p.title)
    c.add(F.Program.SUMMARY, p.summary)
    for ph in p.phases:
        c.add(F.Program.PHASE_TITLE, ph.title)
        c.add(F.Program.PHASE_SUMMARY, ph.summary)
    for role in p.roles:
        c.add(F.Program.ROLE_TITLE, role.title)
        c.add(F.Program.ROLE_DESCRIPTION, role.description)
    for text in p.commitments:
        c.add(F.Program.COMMITMENT, text)
    return Document(catalog_name("program"), p.source, c.messages())


def track_doc(t: m.Track) -> Document:
    c = _Collector(t.source)
    c.add(F.Track.TITLE, t.title)
    c.add(F.Track.SUMMARY, t.summary)
    c.add(F.Track.WHO_SHOULD_CHOOSE, t.who_should_choose)
    for text in t.outcomes:
        c.add(F.Track.OUTCOME, text)
    return Document(catalog_name("track", t.id), t.source, c.messages())


def module_doc(mod: m.Module) -> Document:
    c = _Collector(mod.source)
    c.add(F.Module.TITLE, mod.title)
    c.add(F.Module.SUMMARY, mod.summary)
    for text in mod.objectives:
        c.add(F.Module.OBJECTIVE, text)
    for ex in mod.exercises:
        c.add(F.Module.EXERCISE_TITLE, ex.title)
        c.add(F.Module.EXERCISE_INSTRUCTIONS, ex.instructions)
        c.add(F.Module.EXERCISE_DELIVERABLE, ex.deliverable)
        for text in ex.acceptance:
            c.add(F.Module.EXERCISE_ACCEPTANCE, text)
    if mod.reading:
        c.source = mod.reading.path
        c.markdown(mod.reading)
    return Document(catalog_name("module", mod.id), mod.source, c.messages())


def workshop_doc(ws: m.Workshop) -> Document:
    c = _Collector(ws.source)
    w = F.Workshop
    c.add(w.TITLE, ws.title)
    c.add(w.PURPOSE, ws.purpose)
    for text in ws.outcomes:
        c.add(w.OUTCOME, text)
    for role in ws.facilitation_roles:
        c.add(w.RESPONSIBILITIES, role.responsibilities)
    for text in ws.prework:
        c.add(w.PREWORK, text)
    for text in ws.materials:
        c.add(w.MATERIAL, text)
    c.add(w.SETUP, ws.setup)
    for block in ws.agenda:
        c.add(w.AGENDA_TITLE, block.title)
        c.add(w.AGENDA_METHOD, block.method)
        c.add(w.AGENDA_INSTRUCTIONS, block.instructions)
    for text in ws.debrief:
        c.add(w.DEBRIEF, text)
    for text in ws.follow_up:
        c.add(w.FOLLOW_UP, text)
    for block in ws.agenda:
        c.add(w.FACILITATOR_NOTES, block.facilitator_notes)
        c.add(w.IF_LATE, block.if_late)
    for text in ws.after_action_review:
        c.add(w.AFTER_ACTION_REVIEW, text)
    return Document(catalog_name("workshop", ws.id), ws.source, c.messages())


def glossary_doc(terms: tuple[m.Term, ...]) -> Document:
    sources = sorted({t.source for t in terms})
    c = _Collector(sources[0] if sources else "curriculum/glossary")
    for term in sorted(terms, key=lambda t: t.id):
        c.source = term.source
        c.add(F.Glossary.DEFINITION, term.definition, term=term.term,
              translations="; ".join(f"{k}: {v}" for k, v in term.translations))
    return Document(catalog_name("glossary"), c.source, c.messages())


def page_doc(page: m.Page) -> Document:
    c = _Collector(page.source)
    c.add(F.Page.TITLE, page.title)
    c.markdown(page.body)
    return Document(catalog_name("page", page.id), page.source, c.messages())


def case_doc(case: m.Case) -> Document:
    """A city case: its title, its summary, then its story cut like a module's reading (city,
    country and sources are names and titles as published: not translated)."""
    c = _Collector(case.source)
    c.add(F.Case.TITLE, case.title)
    c.add(F.Case.SUMMARY, case.summary)
    if case.body:
        c.source = case.body.path
        c.markdown(case.body)
    return Document(catalog_name("case", case.id), case.source, c.messages())


def handout_doc(h: m.Handout) -> Document:
    """A handout: its title, its summary, then its text cut like a page's body."""
    who = "facilitator only: participants never see it" if h.facilitator else "given to participants"
    c = _Collector(h.source)
    c.add(F.Handout.TITLE, h.title, kind=h.kind, who=who)
    c.add(F.Handout.SUMMARY, h.summary)
    c.markdown(h.body)
    return Document(catalog_name("handout", h.id), h.source, c.messages())


def ui_doc() -> Document:
    c = _Collector("build_tools/base/ui.py")
    for key, (text, note) in UI_STRINGS.items():
        c.message(key, text, note)
    return Document(catalog_name("ui"), "build_tools/base/ui.py", c.messages())


def documents(cur: m.Curriculum) -> Iterator[Document]:
    """Every source document of the curriculum, each with its messages."""
    for doc in _documents(cur):
        for msg in doc.messages:
            if doc.domain != "ui":
                msg.references = [_relative(ref, cur.root) for ref in msg.references]
        yield doc


def markdown_of(cur: m.Curriculum, domain: str) -> m.Markdown | None:
    """The Markdown body of a document (a module's reading, a page's body), if it has one."""
    kind, ident = parse_catalog_name(domain)
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
    names = [catalog_name("program")] if cur.program else []
    names += [catalog_name("track", t.id) for t in cur.tracks]
    names += [catalog_name("module", x.id) for x in cur.modules]
    names += [catalog_name("workshop", w.id) for w in cur.workshops]
    names += [catalog_name("glossary")] if cur.glossary else []
    names += [catalog_name("page", p.id) for p in cur.pages]
    names += [catalog_name("case", c.id) for c in cur.published_cases()]
    return names + [catalog_name("handout", h.id) for h in cur.handouts] + [catalog_name("ui")]


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
