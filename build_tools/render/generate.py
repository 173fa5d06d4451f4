"""Generation: the model and catalogs → the Markdown pages of ``docs/<lang>/``.

A pure function: :func:`generate_site` returns ``{lang: {path: text}}`` and writes nothing.
English passages shown on a Spanish or Portuguese page (untranslated or fuzzy) are marked
``lang="en"``, and the page says that its translation is incomplete.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import replace

from build_tools.i18n import fields as F
from build_tools.i18n.catalogs import Stats
from build_tools.render import acceptance, case_pages, handout_pages
from build_tools.render.agenda import clock_rows, format_clock
from build_tools.render.page_context import (
    CASE_LIBRARY_PAGES,
    DEFAULT_START,
    Ctx,
    Page,
    bullets,
    cell,
    glossary_head,
    path_of,
    render_page,
)
from build_tools.source import model as m
from build_tools.text.po import PoFile


def page_home(ctx: Ctx) -> Page:
    cur = ctx.cur
    page = cur.page("home")
    parts = []
    prog = cur.program
    if prog:
        parts.append(ctx.tr(F.Program.SUMMARY, '', prog.summary))
    if page:
        parts.append(ctx.md("page", "home", page.body))
    rows = [f"| [{cell(ctx.tr(F.Track.TITLE, t.id, t.title))}]({ctx.href(path_of('track', t.id, cur))}) | "
            f"{cell(ctx.tr(F.Track.SUMMARY, t.id, t.summary))} |" for t in cur.ordered_tracks()]
    parts.append(f"## {ctx.ui('tracks')}\n\n| {ctx.ui('track')} | {ctx.ui('summary')} |\n| --- | --- |\n"
                 + "\n".join(rows))
    if ctx.offline:
        # Raw HTML: the zips are not documentation files, so MkDocs must not check the link.
        name = f"city-data-course-{ctx.lang}.zip"
        url = ("" if ctx.lang == "en" else "../") + f"downloads/{name}"
        link = f'<a href="{url}" download>{name}</a>'
        parts.append(f"## {ctx.ui('download')}\n\n" + ctx.ui("download_text", name=name, url="URL").replace(
            f"[{name}](URL)", link))
    title = ctx.tr(F.Page.TITLE, "home", page.title) if page else ctx.tr(F.Program.TITLE, '', prog.title if prog else "")
    return Page(page.source if page else "curriculum/program.yaml", title, "\n\n".join(parts))


def page_program(ctx: Ctx) -> Page:
    prog = ctx.cur.program
    assert prog is not None
    parts = [ctx.tr(F.Program.SUMMARY, '', prog.summary), f"## {ctx.ui('phases')}"]
    for ph in prog.phases:
        parts.append(f"### {ctx.tr(F.Program.PHASE_TITLE, '', ph.title)}\n\n**{ph.months} {ctx.ui('months')}**. "
                     f"{ctx.tr(F.Program.PHASE_SUMMARY, '', ph.summary)}")
    rows = [f"| {cell(ctx.tr(F.Program.ROLE_TITLE, '', r.title))} | {r.hours_per_month:g} | "
            f"{cell(ctx.tr(F.Program.ROLE_DESCRIPTION, '', r.description))} |" for r in prog.roles]
    parts.append(f"## {ctx.ui('roles')}\n\n| {ctx.ui('role')} | {ctx.ui('hours_per_month')} | {ctx.ui('summary')} |\n"
                 "| --- | ---: | --- |\n" + "\n".join(rows))
    if prog.commitments:
        parts.append(f"## {ctx.ui('commitments')}\n\n" + bullets([ctx.tr(F.Program.COMMITMENT, '', c) for c in prog.commitments]))
    links = [f"- [{ctx.tr(F.Page.TITLE, p.id, p.title)}]({ctx.href(path_of('page', p.id, ctx.cur))})"
             for p in program_pages(ctx.cur)]
    parts.append("\n".join(links))
    return Page(prog.source, ctx.tr(F.Program.TITLE, '', prog.title), "\n\n".join(parts))


def program_pages(cur: m.Curriculum) -> list[m.Page]:
    return sorted((p for p in cur.pages if not p.track and p.id != "home" and p.id not in CASE_LIBRARY_PAGES),
                  key=lambda p: (p.order, p.id))


def page_markdown(ctx: Ctx, page: m.Page) -> Page:
    return Page(page.source, ctx.tr(F.Page.TITLE, page.id, page.title), ctx.md("page", page.id, page.body))


def _role_title(ctx: Ctx, role_id: str) -> str:
    prog = ctx.cur.program
    role = next((r for r in prog.roles if r.id == role_id), None) if prog else None
    return ctx.tr(F.Program.ROLE_TITLE, '', role.title) if role else role_id


def page_track(ctx: Ctx, track: m.Track) -> Page:
    parts = [ctx.tr(F.Track.SUMMARY, track.id, track.summary)]
    if track.who_should_choose:
        parts.append(f"## {ctx.ui('who_should_choose')}\n\n{ctx.tr(F.Track.WHO_SHOULD_CHOOSE, track.id, track.who_should_choose)}")
    if track.outcomes:
        parts.append(f"## {ctx.ui('outcomes')}\n\n" + bullets([ctx.tr(F.Track.OUTCOME, track.id, o) for o in track.outcomes]))
    rows = []
    for mod in ctx.cur.track_modules(track):
        deliverables = "; ".join(ctx.tr(F.Module.EXERCISE_DELIVERABLE, mod.id, e.deliverable) for e in mod.exercises)
        rows.append(f"| {mod.month} | [{cell(ctx.tr(F.Module.TITLE, mod.id, mod.title))}]({ctx.href(path_of('module', mod.id, ctx.cur))}) "
                    f"| {cell(deliverables)} |")
    parts.append(f"## {ctx.ui('module_sequence')}\n\n| {ctx.ui('month')} | {ctx.ui('module')} | {ctx.ui('deliverable')} |\n"
                 "| ---: | --- | --- |\n" + "\n".join(rows))
    templates = [ctx.cur.page(t) for t in track.templates]
    if any(templates):
        parts.append(f"## {ctx.ui('templates')}\n\n" + bullets(
            [f"[{ctx.tr(F.Page.TITLE, p.id, p.title)}]({ctx.href(path_of('page', p.id, ctx.cur))})"
             for p in templates if p]))
    return Page(track.source, ctx.tr(F.Track.TITLE, track.id, track.title), "\n\n".join(parts))


def page_module(ctx: Ctx, mod: m.Module) -> Page:
    cur = ctx.cur
    track = cur.track(mod.track)
    track_link = (f"[{ctx.tr(F.Track.TITLE, track.id, track.title)}]({ctx.href(path_of('track', track.id, cur))})"
                  if track else mod.track)
    facts = (f"| {ctx.ui('track')} | {ctx.ui('month')} | {ctx.ui('hours')} | {ctx.ui('audience')} |\n"
             f"| --- | ---: | ---: | --- |\n| {cell(track_link)} | {mod.month} | {mod.hours:g} | "
             f"{cell(', '.join(_role_title(ctx, r) for r in mod.audience))} |")
    parts = [f"**{ctx.tr(F.Module.SUMMARY, mod.id, mod.summary)}**", facts,
             f"## {ctx.ui('objectives')}\n\n" + bullets([ctx.tr(F.Module.OBJECTIVE, mod.id, o) for o in mod.objectives])]
    terms = [cur.term(t) for t in mod.key_terms]
    if any(terms):
        parts.append(f"## {ctx.ui('key_terms')}\n\n" + bullets(
            [f"[{t.required(ctx.lang)}]({ctx.href('glossary.md')}#{t.id})" for t in terms if t]))
    prereqs = [cur.module(p) for p in mod.prerequisites]
    listed = [f"[{ctx.tr(F.Module.TITLE, p.id, p.title)}]({ctx.href(path_of('module', p.id, cur))})"
              for p in prereqs if p]
    parts.append(f"## {ctx.ui('prerequisites')}\n\n" + (bullets(listed) if listed else ctx.ui("none")))
    if mod.reading:
        parts.append(ctx.md("module", mod.id, mod.reading))
    if mod.exercises:
        ex = [f"## {ctx.ui('exercises')}"]
        for e in mod.exercises:
            ex.append(f"### {ctx.tr(F.Module.EXERCISE_TITLE, mod.id, e.title)}\n\n"
                      f"{ctx.tr(F.Module.EXERCISE_INSTRUCTIONS, mod.id, e.instructions)}\n\n"
                      f"**{ctx.ui('deliverable')}:** {ctx.tr(F.Module.EXERCISE_DELIVERABLE, mod.id, e.deliverable)}"
                      + (f"\n\n{criteria}" if (criteria := acceptance.under_deliverable(ctx, mod, e)) else ""))
        parts.append("\n\n".join(ex))
    if mod.resources:
        parts.append(f"## {ctx.ui('resources')}\n\n" + bullets(
            [f"[{r.title}]({r.url}), {r.publisher}, {r.year}" for r in mod.resources]))

    if cases := case_pages.module_section(ctx, mod):
        parts.append(cases)
    workshops = [cur.workshop(w) for w in mod.workshops]
    if any(workshops):
        parts.append(f"## {ctx.ui('workshops')}\n\n" + bullets(
            [f"[{ctx.tr(F.Workshop.TITLE, w.id, w.title)}]({ctx.href(path_of('workshop', w.id, cur))}): "
             f"{w.duration} {ctx.ui('minutes')}, {ctx.ui('format.' + w.format)}" for w in workshops if w]))
    return Page(mod.source, ctx.tr(F.Module.TITLE, mod.id, mod.title), "\n\n".join(parts))


def page_workshop(ctx: Ctx, ws: m.Workshop, start: str = DEFAULT_START, handout: bool = False) -> Page:
    """A playbook page (or, with ``handout``, the participant version without facilitator notes)."""
    return Page(ws.source, ctx.tr(F.Workshop.TITLE, ws.id, ws.title),
                   playbook_body(ctx, ws, start, handout))


def playbook_body(ctx: Ctx, ws: m.Workshop, start: str, handout: bool, date_line: str = "",
                  times_note: bool = True) -> str:
    cur = ctx.cur
    mod = cur.module(ws.module)
    parts = []
    if date_line:
        parts.append(date_line)
    if mod:
        parts.append(f"{ctx.ui('workshop_of')}: [{ctx.tr(F.Module.TITLE, mod.id, mod.title)}]"
                     f"({ctx.href(path_of('module', mod.id, cur))})")
    parts.append(f"| {ctx.ui('format')} | {ctx.ui('duration')} | {ctx.ui('group_size')} | {ctx.ui('audience')} |\n"
                 f"| --- | ---: | --- | --- |\n| {ctx.ui('format.' + ws.format)} | {ws.duration} {ctx.ui('minutes')} | "
                 f"{ws.group_min}–{ws.group_max} {ctx.ui('participants')} | "
                 f"{cell(', '.join(_role_title(ctx, r) for r in ws.audience))} |")
    parts.append(f"## {ctx.ui('purpose')}\n\n{ctx.tr(F.Workshop.PURPOSE, ws.id, ws.purpose)}")
    if ws.outcomes:
        parts.append(f"## {ctx.ui('outcomes')}\n\n" + bullets([ctx.tr(F.Workshop.OUTCOME, ws.id, o) for o in ws.outcomes]))
    if ws.facilitation_roles and not handout:
        parts.append(f"## {ctx.ui('roles_in_room')}\n\n" + bullets(
            [f"**{ctx.ui('role.' + r.role)}**: {ctx.tr(F.Workshop.RESPONSIBILITIES, ws.id, r.responsibilities)}"
             for r in ws.facilitation_roles]))
    if ws.prework:
        parts.append(f"## {ctx.ui('prework')}\n\n" + bullets([ctx.tr(F.Workshop.PREWORK, ws.id, i) for i in ws.prework]))

    if handouts := handout_pages.playbook_section(ctx, ws, participants=handout):
        parts.append(handouts)
    if ws.materials:
        parts.append(f"## {ctx.ui('materials')}\n\n" + bullets([ctx.tr(F.Workshop.MATERIAL, ws.id, i) for i in ws.materials]))
    if ws.setup:
        parts.append(f"## {ctx.ui('setup')}\n\n{ctx.tr(F.Workshop.SETUP, ws.id, ws.setup)}")
    parts.append(agenda_section(ctx, ws, start, handout, times_note))
    if ws.debrief:
        parts.append(f"## {ctx.ui('debrief')}\n\n" + bullets([ctx.tr(F.Workshop.DEBRIEF, ws.id, q) for q in ws.debrief]))
    if ws.after_action_review and not handout:
        parts.append(f"## {ctx.ui('after_action_review')}\n\n" + bullets(
            [ctx.tr(F.Workshop.AFTER_ACTION_REVIEW, ws.id, q) for q in ws.after_action_review]))
    if ws.follow_up:
        parts.append(f"## {ctx.ui('follow_up')}\n\n" + bullets([ctx.tr(F.Workshop.FOLLOW_UP, ws.id, f) for f in ws.follow_up]))
    if mod and not handout and any(e.acceptance for e in mod.exercises):  # what the coach will check
        parts.append(acceptance.deliverables_section(ctx, mod))
    return "\n\n".join(parts)


def agenda_section(ctx: Ctx, ws: m.Workshop, start: str, handout: bool, times_note: bool = True) -> str:
    rows = clock_rows(ws, start)
    table = [f"| {ctx.ui('start')} | {ctx.ui('end')} | {ctx.ui('block')} | {ctx.ui('method')} | {ctx.ui('duration')} |",
             "| --- | --- | --- | --- | ---: |"]
    details = []
    for block, begin, end in rows:
        title = ctx.ui("break") if block.kind == "break" and block.title.lower() == "break" else ctx.tr(F.Workshop.AGENDA_TITLE, ws.id, block.title)
        method = ctx.tr(F.Workshop.AGENDA_METHOD, ws.id, block.method) if block.method else ""
        b, e = format_clock(begin, ctx.language.formatting), format_clock(end, ctx.language.formatting)
        table.append(f"| {b} | {e} | {cell(title)} | {cell(method)} | {block.minutes} {ctx.ui('minutes')} |")
        if block.kind == "break":
            continue
        item = [f"### {b}–{e} · {title}"]
        if block.instructions:
            item.append(f"**{ctx.ui('instructions')}:** {ctx.tr(F.Workshop.AGENDA_INSTRUCTIONS, ws.id, block.instructions)}")
        if not handout and block.facilitator_notes:
            notes = ctx.tr(F.Workshop.FACILITATOR_NOTES, ws.id, block.facilitator_notes)
            late = ""
            if block.if_late:
                late = f"\n\n    **{ctx.ui('if_late')}:** {ctx.tr(F.Workshop.IF_LATE, ws.id, block.if_late)}"
            item.append(f'??? note "{ctx.ui("facilitator_notes")}"\n\n    {_indent(notes)}{late}')
        details.append("\n\n".join(item))
    note = ctx.ui("times_note", start=format_clock(rows[0][1], ctx.language.formatting)) if rows and times_note else ""
    return f"## {ctx.ui('agenda')}\n\n" + "\n".join(table) + (f"\n\n*{note}*" if note and not handout else "") + \
        "\n\n" + "\n\n".join(details)


def _indent(text: str) -> str:
    return text.replace("\n", "\n    ")


def page_glossary(ctx: Ctx) -> Page:
    rows = []
    codes = [x.code for x in ctx.cur.targets]
    for t in sorted(ctx.cur.glossary, key=lambda t: t.term.lower()):
        given = "".join(f"{cell(t.required(c))} | " for c in codes)
        rows.append(f'| <span id="{t.id}"></span>**{cell(t.term)}** | {given}'
                    f"{cell(ctx.tr(F.Glossary.DEFINITION, '', t.definition))} |")
    head = glossary_head(ctx) + "\n"
    return Page("curriculum/glossary/", ctx.ui("glossary"), head + "\n".join(rows))


def page_status(ctx: Ctx, stats: dict[str, dict[str, Stats]]) -> Page:
    parts = [ctx.ui("status_intro")]
    for lang in (x.code for x in ctx.cur.targets):
        rows = []
        for domain, st in sorted(stats.get(lang, {}).items()):
            done = round(20 * st.translated / st.messages) if st.messages else 20
            fuzzy = round(20 * st.fuzzy / st.messages) if st.messages else 0
            bar = "█" * done + "▒" * fuzzy + "░" * max(0, 20 - done - fuzzy)
            rows.append(f"| {domain} | `{bar}` {st.percent:.0f}% | {st.translated} | {st.fuzzy} | {st.untranslated} |")
        parts.append(f"## {ctx.cur.language(lang).name}\n\n| {ctx.ui('document')} | % | {ctx.ui('translated')} | "
                     f"{ctx.ui('fuzzy')} | {ctx.ui('untranslated')} |\n| --- | --- | ---: | ---: | ---: |\n" + "\n".join(rows))
    return Page("curriculum/locales/", ctx.ui("translation_status"), "\n\n".join(parts))


# -- the whole site ---------------------------------------------------------------------

def nav_for(ctx: Ctx) -> list[object]:
    cur = ctx.cur
    program = [{ctx.tr(F.Program.TITLE, '', cur.program.title) if cur.program else ctx.ui("program"): "program.md"}]
    program += [{ctx.tr(F.Page.TITLE, p.id, p.title): path_of("page", p.id, cur)} for p in program_pages(cur)]
    tracks = []
    for t in cur.ordered_tracks():
        # Grouped by month, so that a page's pruned navigation stays small as the course grows.
        items: list[object] = [path_of("track", t.id, cur)]
        months: dict[int, list[object]] = {}
        for x in cur.track_modules(t):
            months.setdefault(x.month, []).append(path_of("module", x.id, cur))
            months[x.month] += [path_of("workshop", w, cur) for w in x.workshops if cur.workshop(w)]
        items += [{f"{ctx.ui('month')} {month}": pages} for month, pages in sorted(months.items())]
        items += [path_of("page", p, cur) for p in t.templates if cur.page(p)]
        items += handout_pages.nav_items(ctx, t)
        tracks.append({ctx.tr(F.Track.TITLE, t.id, t.title): items})

    cases = case_pages.nav_section(ctx)  # the city case library, after the tracks
    return [{ctx.ui("home"): "index.md"}, {ctx.ui("program"): program}, {ctx.ui("tracks"): tracks},
            *([cases] if cases else []),
            {ctx.ui("glossary"): "glossary.md"}, {ctx.ui("translation_status"): "translation-status.md"}]


def generate_language(cur: m.Curriculum, lang: str, catalogs: dict[str, PoFile],
                      stats: dict[str, dict[str, Stats]], offline: bool = False
                      ) -> tuple[dict[str, str], dict[str, int]]:
    """Every page of one language, and how many English fallbacks each has."""
    files: dict[str, str] = {}
    fallbacks: dict[str, int] = {}

    base = Ctx(lang, cur, catalogs, offline=offline)  # its tables are shared by every page

    def emit(path: str, generator: Callable[[Ctx], Page]) -> None:
        files[path], fell_back = render_page(replace(base, path=path), generator)
        fallbacks[path] = len(fell_back)

    emit("index.md", page_home)
    if cur.program:
        emit("program.md", page_program)
    for page in cur.pages:
        if page.id != "home":
            emit(path_of("page", page.id, cur), functools.partial(page_markdown, page=page))
    for track in cur.tracks:
        emit(path_of("track", track.id, cur), functools.partial(page_track, track=track))
    for mod in cur.modules:
        emit(path_of("module", mod.id, cur), functools.partial(page_module, mod=mod))
    for ws in cur.workshops:
        emit(path_of("workshop", ws.id, cur), functools.partial(page_workshop, ws=ws))

    if cur.published_cases():
        emit(case_pages.INDEX, case_pages.page_index)
    for case in cur.published_cases():
        emit(case_pages.case_path(case), functools.partial(case_pages.page_case, case=case))

    for path, handout in handout_pages.handout_pages(cur):
        emit(path, functools.partial(handout_pages.page_handout, h=handout))
    emit("glossary.md", page_glossary)
    emit("translation-status.md", lambda c: page_status(c, stats))
    nav_ctx = replace(base, mark=False)
    files[".nav.json"] = json.dumps(nav_for(nav_ctx), ensure_ascii=False, indent=1) + "\n"
    return files, fallbacks


def generate_site(cur: m.Curriculum, catalogs: dict[str, dict[str, PoFile]],
                  stats: dict[str, dict[str, Stats]], offline: bool = False) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, int]]]:
    """All pages of all languages: ``{lang: {path: text}}``, plus fallback counts."""
    pages: dict[str, dict[str, str]] = {}
    fallbacks: dict[str, dict[str, int]] = {}
    for lang in (x.code for x in cur.languages):
        pages[lang], fallbacks[lang] = generate_language(cur, lang, catalogs.get(lang, {}), stats, offline)
    return pages, fallbacks
