"""Handout pages, in every language, and the handout lists of playbooks and the navigation.

A handout page: the title, a line saying what it is, who it is for and how it prints, the
summary, then the text. Card handouts are laid out as cards (each ``## `` section one card,
several to an A4 page, cut lines; ``assets/stylesheets/cda.css``); a glossary sheet's table is
written from the glossary in the three languages; worksheets print their empty table cells
tall enough to write in. The page ends with the playbooks that use the handout.
"""

from __future__ import annotations

from build_tools.i18n import fields as F
from build_tools.render.page_context import Ctx, Page, cell, glossary_head, path_of
from build_tools.source import model as m
from build_tools.source.handouts import card_sections, handouts_of, track_handouts


def title_of(ctx: Ctx, doc: m.Handout | m.Page) -> str:
    return ctx.tr(F.Handout.TITLE if isinstance(doc, m.Handout) else F.Page.TITLE, doc.id, doc.title)


def facts_line(ctx: Ctx, h: m.Handout) -> str:
    """What it is · who it is for · how it prints."""
    who = ctx.ui("handout_for_facilitators" if h.facilitator else "handout_for_participants")
    if h.cards:
        paper = ctx.ui("handout_print_cards", n=str(h.cards_per_page))
    else:
        paper = ctx.ui("handout_print_" + h.paper)
    return f"**{ctx.ui('handout_kind.' + h.kind)}** · {who} · {paper}"


def cards_markup(text: str, h: m.Handout) -> str:
    """The body with each ``## `` section wrapped as a card (raw HTML with ``markdown="1"``,
    read by md_in_html): the intro above, the cards in one grid."""
    cards = card_sections(text)
    if not cards:
        return text
    lines = text.split("\n")
    intro = "\n".join(lines[: cards[0][0]]).strip()
    parts = [intro] if intro else []
    parts.append(f'<div class="cda-cards cda-cards-{h.cards_per_page}" markdown="1">')
    for _, card in cards:
        parts.append(f'<div class="cda-card" markdown="1">\n\n{card.strip()}\n\n</div>')
    parts.append("</div>")
    return "\n\n".join(parts)


def glossary_table(ctx: Ctx, h: m.Handout) -> str:
    """The terms in English, Spanish and Portuguese, defined in the page's language."""
    head = glossary_head(ctx)
    codes = [x.code for x in ctx.cur.targets]
    rows = []
    for tid in h.terms:
        t = ctx.cur.term(tid)
        if t is None:
            continue
        given = "".join(f"{cell(t.required(c))} | " for c in codes)
        rows.append(f"| [**{cell(t.term)}**](glossary:{t.id}) | {given}"
                    f"{cell(ctx.tr(F.Glossary.DEFINITION, '', t.definition))} |")
    return head + "\n" + "\n".join(rows)


def handout_text(ctx: Ctx, h: m.Handout) -> str:
    """The handout's body in ``ctx.lang``, laid out for its kind (also used by the printed packet)."""
    body = ctx.md("handout", h.id, h.body)
    if h.cards:
        body = cards_markup(body, h)
    if h.kind == "glossary-sheet":
        body = (body.strip() + "\n\n" if body.strip() else "") + glossary_table(ctx, h)
    classes = f"cda-handout cda-handout-{h.kind} cda-paper-{h.paper}"
    summary = ctx.tr(F.Handout.SUMMARY, h.id, h.summary, False)
    return f'<div class="{classes}" markdown="1">\n\n{facts_line(ctx, h)}\n\n{summary}\n\n{body.strip()}\n\n</div>'


def used_in(ctx: Ctx, h: m.Handout) -> str:
    cur = ctx.cur
    links = [f"[{ctx.tr(F.Workshop.TITLE, w.id, w.title)}]({ctx.href(path_of('workshop', w.id, cur))})"
             for w in cur.workshops if h.id in w.handouts]
    if not links:
        return ""
    return f"## {ctx.ui('handout_used_in')}\n\n" + "\n".join(f"- {x}" for x in links) + "\n"


def page_handout(ctx: Ctx, h: m.Handout) -> Page:
    parts = [handout_text(ctx, h)]
    if used := used_in(ctx, h):
        parts.append(used)
    return Page(h.source, title_of(ctx, h), "\n\n".join(parts))


def href_of(ctx: Ctx, doc: m.Handout | m.Page) -> str:
    kind = "handout" if isinstance(doc, m.Handout) else "page"
    return ctx.href(path_of(kind, doc.id, ctx.cur))


def playbook_section(ctx: Ctx, ws: m.Workshop, participants: bool) -> str:
    """``## Handouts`` of a playbook: each document linked, with what it is (the participants'
    version lists only what participants are given)."""
    items = []
    for doc in handouts_of(ctx.cur, ws, participants):
        if isinstance(doc, m.Handout):
            label = ctx.ui("handout_kind." + doc.kind)
            if doc.facilitator:
                label += ", " + ctx.ui("handout_for_facilitators").lower()
            summary = ctx.tr(F.Handout.SUMMARY, doc.id, doc.summary)
            items.append(f"- [{title_of(ctx, doc)}]({href_of(ctx, doc)}) ({label}): {summary}")
        else:
            items.append(f"- [{title_of(ctx, doc)}]({href_of(ctx, doc)}) ({ctx.ui('handout_kind.template')})")
    if not items:
        return ""
    return f"## {ctx.ui('handouts')}\n\n" + "\n".join(items) + "\n"


def nav_items(ctx: Ctx, track: m.Track) -> list[object]:
    found = track_handouts(ctx.cur, track.id)
    if not found:
        return []
    return [{ctx.ui("handouts"): [path_of("handout", h.id, ctx.cur) for h in found]}]


def handout_pages(cur: m.Curriculum) -> list[tuple[str, m.Handout]]:
    return [(path_of("handout", h.id, cur), h) for h in cur.handouts]
