"""Handouts: the documents a workshop gives out (cards, worksheets, packs, briefs, templates).

A handout is ``curriculum/handouts/<track>/<id>.md``: front matter (title, kind, audience,
summary, print layout) and Markdown. Workshops list the handouts they use in ``handouts:``
(a handout id, or a track template page id); their ``materials:`` keep the supplies only.
This module holds the model's rules over handouts; pages are in :mod:`build_tools.render.handout_pages`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from build_tools.base.diagnostics import Diagnostic, Loc, error, warning
from build_tools.source import model as m
from build_tools.source.schema import did_you_mean
from build_tools.text.markdown import parse_blocks

HANDOUT_LINK = re.compile(r"\]\(handout:([a-z0-9-]+)")
# What a supply must not be: a document somebody has to write (then it is a handout).
DOCUMENT_WORDS = re.compile(
    r"\b(cards?|decks?|packs?|briefs?|worksheets?|scorecards?|templates?|checklists?|canvas(?:es)?|forms?|"
    r"sheets?|outlines?|handouts?)\b", re.IGNORECASE)
NOT_DOCUMENTS = re.compile(
    r"\b(name cards?|flip[- ]chart sheets?|sheets? of paper|sticky notes?|index cards?)\b", re.IGNORECASE)
CARD_WORDS = {2: 350, 4: 170, 6: 100, 8: 70}
"""The most words a card holds at each number of cards per A4 page (English; translations run longer)."""
CARD_HEADING = re.compile(r"^## (?!#)", re.MULTILINE)


def supply_problem(text: str) -> str | None:
    """The document word a supply names, if it describes a handout rather than a supply."""
    cleaned = NOT_DOCUMENTS.sub(" ", text)
    found = DOCUMENT_WORDS.search(cleaned)
    return found.group(1) if found else None


def card_sections(text: str) -> list[tuple[int, str]]:
    """The cards of a card handout's body: (0-based line of its ``## `` heading, its text)."""
    lines = text.split("\n")
    starts = [tok.map[0] for tok in parse_blocks(text) if tok.type == "heading_open" and tok.tag == "h2" and tok.map]
    cards = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(lines)
        cards.append((start, "\n".join(lines[start:end])))
    return cards


def _words(text: str) -> int:
    return len(re.findall(r"\w+", re.sub(r"\]\([^)]*\)", "]", text)))


def rule_handouts(cur: m.Curriculum) -> Iterator[Diagnostic]:
    yield from _unique(cur)
    yield from _layout(cur)
    yield from _workshop_handouts(cur)
    yield from _supplies(cur)
    yield from _audiences(cur)
    yield from _used(cur)


def _unique(cur: m.Curriculum) -> Iterator[Diagnostic]:
    seen: dict[str, m.Handout] = {}
    pages = {p.id for p in cur.pages}
    tracks = [t.id for t in cur.tracks]
    for h in cur.handouts:
        if h.id in seen:
            yield error(Loc(h.source), "E300", f"duplicate handout id '{h.id}' (first defined at {seen[h.id].source})",
                        "give each handout its own file name")
        seen.setdefault(h.id, h)
        if h.id in pages:
            yield error(Loc(h.source), "E300", f"handout id '{h.id}' is also a page id",
                        "give the handout another file name")
        if tracks and h.track not in tracks:
            yield error(Loc(h.source), "E302", f"handout is in folder '{h.track}', which is not a track",
                        did_you_mean(h.track, tracks) or f"move it to one of: {', '.join(tracks)}")


def _layout(cur: m.Curriculum) -> Iterator[Diagnostic]:
    terms = [t.id for t in cur.glossary]
    for h in cur.handouts:
        body = h.body.text if h.body else ""
        first = h.body.first_line if h.body else 1
        if h.cards and not h.cards_per_page:
            yield error(h.key_loc("kind"), "E703", f"a {h.kind} handout needs cards_per_page",
                        "add 'cards_per_page: 2', 4, 6 or 8 (cards on one A4 page)")
        if not h.cards and h.cards_per_page:
            yield error(h.key_loc("cards_per_page"), "E703", f"cards_per_page is for card handouts, not a {h.kind}",
                        "remove it, or make the kind role-cards or scenario-cards")
        if h.cards and h.cards_per_page:
            cards = card_sections(body)
            if not cards:
                yield error(Loc(h.source, first, 1), "E703", "card handout has no cards",
                            "start each card with a level-2 heading: '## Card title'")
            limit = CARD_WORDS.get(h.cards_per_page, 0)
            for line, text in cards:
                if limit and (n := _words(text)) > limit:
                    yield warning(Loc(h.source, first + line, 1), "W713",
                                  f"card has {n} words; at {h.cards_per_page} cards per page a card holds about {limit}",
                                  "shorten the card, or print fewer cards per page")
        if h.kind == "glossary-sheet" and not h.terms:
            yield error(h.key_loc("kind"), "E704", "a glossary sheet needs its terms",
                        "add 'terms:' with the glossary ids to print, e.g. the module's key_terms")
        if h.terms and h.kind != "glossary-sheet":
            yield error(h.key_loc("terms"), "E704", "terms: is for glossary sheets only",
                        "remove it, or set kind: glossary-sheet")
        for i, tid in enumerate(h.terms):
            if terms and tid not in terms and "*glossary*" not in cur.unreadable:
                yield error(h.loc("terms", i), "E302", f"unknown glossary term '{tid}'",
                            did_you_mean(tid, terms) or "use the id of a term in curriculum/glossary/")


def _template_pages(cur: m.Curriculum) -> set[str]:
    return {p.id for p in cur.pages if p.track}


def _workshop_handouts(cur: m.Curriculum) -> Iterator[Diagnostic]:
    known = sorted({h.id for h in cur.handouts} | _template_pages(cur))
    for ws in cur.workshops:
        for i, hid in enumerate(ws.handouts):
            if hid not in known and hid not in cur.unreadable:
                hint = did_you_mean(hid, known) or "write it in curriculum/handouts/<track>/<id>.md, or fix the id"
                yield error(ws.loc("handouts", i), "E701", f"unknown handout '{hid}'", hint)


def _supplies(cur: m.Curriculum) -> Iterator[Diagnostic]:
    for ws in cur.workshops:
        for i, text in enumerate(ws.materials):
            if word := supply_problem(text):
                yield error(ws.loc("materials", i), "E702",
                            f"material names '{word.lower()}': a document we supply is a handout, not a supply",
                            "write it as a handout (curriculum/handouts/) and list its id under 'handouts:'; "
                            "keep only supplies (boards, sticky notes, a projector) in 'materials:'")


def _audiences(cur: m.Curriculum) -> Iterator[Diagnostic]:
    """What participants get never leads to what only facilitators may see."""
    for h in cur.handouts:
        if h.facilitator or not h.body:
            continue
        for n, line in enumerate(h.body.text.split("\n")):
            for match in HANDOUT_LINK.finditer(line):
                target = cur.handout(match.group(1))
                if target and target.facilitator:
                    yield error(Loc(h.source, h.body.first_line + n, match.start() + 3), "E705",
                                f"participant handout links the facilitator-only handout '{target.id}'",
                                "link a participant handout, or make this one facilitator-only")
    for mod in cur.modules:
        for i, ex in enumerate(mod.exercises):
            for match in HANDOUT_LINK.finditer(ex.instructions):
                target = cur.handout(match.group(1))
                if target and target.facilitator:
                    yield error(mod.loc("exercises", i, "instructions"), "E705",
                                f"exercise links the facilitator-only handout '{target.id}'",
                                "exercises are read by participants: link a participant handout")


def _used(cur: m.Curriculum) -> Iterator[Diagnostic]:
    used = {hid for ws in cur.workshops for hid in ws.handouts}
    texts = [ex.instructions for mod in cur.modules for ex in mod.exercises]
    texts += [h.body.text for h in cur.handouts if h.body] + [p.body.text for p in cur.pages if p.body]
    texts += [mod.reading.text for mod in cur.modules if mod.reading]
    used |= {hid for text in texts for hid in HANDOUT_LINK.findall(text)}
    for h in cur.handouts:
        if h.id not in used:
            yield warning(Loc(h.source), "W710", f"handout '{h.id}' is used by no workshop or exercise",
                          "list it under 'handouts:' in the workshop that gives it out, or delete it")


def handouts_of(cur: m.Curriculum, ws: m.Workshop, participants: bool) -> list[m.Handout | m.Page]:
    """The documents a workshop uses, in its order (only those for participants, if asked)."""
    found: list[m.Handout | m.Page] = []
    for hid in ws.handouts:
        doc: m.Handout | m.Page | None = cur.handout(hid) or cur.page(hid)
        if doc is None or (participants and isinstance(doc, m.Handout) and doc.facilitator):
            continue
        found.append(doc)
    return found


def track_handouts(cur: m.Curriculum, track: str) -> list[m.Handout]:
    return sorted((h for h in cur.handouts if h.track == track), key=lambda h: h.id)


HANDOUT_RULES = (rule_handouts,)
