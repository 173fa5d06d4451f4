"""The case library's pages, in every language: one page per published case, and the index.

A case page: the title, a facts table (city; the country's name in the reader's language, from
Babel; region; population with its year and its source; years; tracks; glossary terms), a note
when the results are self-reported, the summary, the story, its sources as numbered footnotes
(written from ``sources``: the story's ``[^N]`` markers lead to them) and the modules that cite
the case. The index is a plain list that works without JavaScript; each item carries its track,
country, region and city size as data attributes, which ``assets/javascripts/cases.js`` filters
with the controls above the list (hidden until the script runs). Drafts have no page.
"""

from __future__ import annotations

import html

from build_tools.base.ui import UI_STRINGS
from build_tools.i18n import fields as F
from build_tools.render.page_context import CASE_LIBRARY_PAGES, Ctx, Page, cell, path_of
from build_tools.source import model as m
from build_tools.source.cases import (
    LARGE,
    SIZES,
    SMALL,
    cases_of_module,
    country_name,
    format_number,
    modules_citing,
    size_of,
)

INDEX = "cases/index.md"
SHARE_PAGE = CASE_LIBRARY_PAGES[0]
FOOTNOTES_HERE = "///Footnotes Go Here///"
"""Python-Markdown's footnotes place marker: the sources are listed under their heading, not at the page's end."""


def case_path(case: m.Case) -> str:
    return f"cases/{case.id}.md"


def _md_text(text: str) -> str:
    """Plain text (a title as published) written safely into Markdown."""
    for ch in "\\`*[]<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def track_links(ctx: Ctx, case: m.Case) -> list[str]:
    out = []
    for tid in case.tracks:
        track = ctx.cur.track(tid)
        if track:
            out.append(f"[{ctx.tr(F.Track.TITLE, tid, track.title)}]({ctx.href(path_of('track', tid, ctx.cur))})")
    return out


def years_text(ctx: Ctx, case: m.Case) -> str:
    if case.year_end and case.year_end != case.year_start:
        return f"{case.year_start}–{case.year_end}"
    if case.year_end:
        return str(case.year_start)
    return ctx.ui("case_since", year=str(case.year_start))


def source_note(ctx: Ctx, src: m.CaseSource) -> str:
    """A footnote's text: the title linked to its page, the publisher, the year (or "n.d.")."""
    year = str(src.year) if src.year else ctx.ui("no_date")
    return f"[{_md_text(src.title)}]({_url(src.url)}), {_md_text(src.publisher)}, {year}."


def footnotes(ctx: Ctx, case: m.Case) -> str:
    """The definitions of the story's footnotes, one per source, in the order of ``sources``."""
    return "\n".join(f"[^{n}]: {source_note(ctx, src)}" for n, src in enumerate(case.sources, start=1))


def facts_table(ctx: Ctx, case: m.Case) -> str:
    cur = ctx.cur
    rows = [(ctx.ui("case_city"), cell(case.city)),
            (ctx.ui("case_country"), cell(country_name(case.country, ctx.language.locale)))]
    if f"region.{case.region}" in UI_STRINGS:
        rows.append((ctx.ui("case_region"), ctx.ui(f"region.{case.region}")))
    pop = case.population
    if pop is not None:
        value = format_number(pop.value, ctx.language.formatting) + (f" ({pop.year})" if pop.year else "")
        if 1 <= pop.source_index <= len(case.sources):
            value += f"[^{pop.source_index}]"  # leads to the source, under "Sources"
        rows.append((ctx.ui("case_population"), value))
    rows.append((ctx.ui("case_years"), years_text(ctx, case)))
    rows.append((ctx.ui("tracks"), cell(", ".join(track_links(ctx, case)))))
    terms = [cur.term(t) for t in case.terms]
    if any(terms):
        rows.append((ctx.ui("case_terms"), cell(", ".join(
            f"[{t.required(ctx.lang).split(';')[0].strip()}]({ctx.href('glossary.md')}#{t.id})" for t in terms if t))))
    (head, first), rest = rows[0], rows[1:]
    return f"| {head} | {first} |\n| --- | --- |\n" + "\n".join(f"| {k} | {v} |" for k, v in rest)


def page_case(ctx: Ctx, case: m.Case) -> Page:
    parts = [facts_table(ctx, case)]
    if case.self_reported:
        parts.append(f'!!! info "{ctx.ui("self_reported_title")}"\n\n    {ctx.ui("self_reported_text")}')
    parts.append(ctx.tr(F.Case.SUMMARY, case.id, case.summary))
    if case.body:
        parts.append(ctx.md("case", case.id, case.body))
    if case.sources:
        parts.append(f"## {ctx.ui('sources')}\n\n{FOOTNOTES_HERE}\n\n{footnotes(ctx, case)}")
    citing = [f"[{ctx.tr(F.Module.TITLE, mod.id, mod.title)}]({ctx.href(path_of('module', mod.id, ctx.cur))})"
              for mod in modules_citing(ctx.cur, case)]
    parts.append(f"## {ctx.ui('cited_by')}\n\n" + ("\n".join(f"- {x}" for x in citing) if citing else ctx.ui("none")))
    return Page(case.source, ctx.tr(F.Case.TITLE, case.id, case.title), "\n\n".join(parts))


# -- the index --------------------------------------------------------------------------

def ordered(ctx: Ctx) -> list[m.Case]:
    """Published cases by country (its name in the reader's language), then city and title."""
    return sorted(ctx.cur.published_cases(),
                  key=lambda c: (country_name(c.country, ctx.language.locale), c.city, c.title, c.id))


def _select(name: str, label: str, options: list[tuple[str, str]], everything: str) -> str:
    choices = "".join(f'<option value="{html.escape(value)}">{html.escape(text)}</option>' for value, text in options)
    return (f'<label>{html.escape(label)} <select name="{name}" data-filter="{name}">'
            f'<option value="">{html.escape(everything)}</option>{choices}</select></label>')


def size_label(ctx: Ctx, size: str) -> str:
    small, large = format_number(SMALL, ctx.language.formatting), format_number(LARGE, ctx.language.formatting)
    kw = {"small": {"n": small}, "medium": {"low": small, "high": large}, "large": {"n": large}}.get(size, {})
    return ctx.ui(f"size.{size}", **kw)


def filters(ctx: Ctx, cases: list[m.Case]) -> str:
    """The filter controls, hidden until the script shows them (without JavaScript: the whole list)."""
    cur = ctx.cur
    tracks = [(t.id, ctx.plain(F.Track.TITLE, t.id, t.title)) for t in cur.ordered_tracks()
              if any(t.id in c.tracks for c in cases)]
    countries = sorted({(c.country, country_name(c.country, ctx.language.locale)) for c in cases}, key=lambda x: x[1])
    regions = [(r, ctx.ui(f"region.{r}")) for r in m.REGION_IDS if any(c.region == r for c in cases)]
    sizes = [(s, size_label(ctx, s)) for s in SIZES if any(size_of(c) == s for c in cases)]
    everything = ctx.ui("filter_all")
    controls = [_select("track", ctx.ui("track"), tracks, everything),
                _select("country", ctx.ui("case_country"), countries, everything),
                _select("region", ctx.ui("case_region"), regions, everything),
                _select("size", ctx.ui("case_size"), sizes, everything)]
    template = html.escape(ctx.ui("cases_shown"), quote=True)
    return (f'<form class="cda-case-filters" hidden>\n<fieldset>\n<legend>{html.escape(ctx.ui("filter_legend"))}'
            f'</legend>\n' + "\n".join(controls) + f'\n<button type="reset">{html.escape(ctx.ui("filter_reset"))}'
            f'</button>\n</fieldset>\n</form>\n\n<p class="cda-case-count" role="status" aria-live="polite" '
            f'data-template="{template}" hidden></p>')


def index_item(ctx: Ctx, case: m.Case) -> str:
    attrs = {"track": " ".join(case.tracks), "country": case.country, "region": case.region, "size": size_of(case)}
    data = " ".join(f'data-{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    place = f"{case.city}, {country_name(case.country, ctx.language.locale)}"
    return (f'- <span class="cda-case" {data}></span>[{ctx.tr(F.Case.TITLE, case.id, case.title)}]'
            f"({ctx.href(case_path(case))}) · {_md_text(place)} · {ctx.tr(F.Case.SUMMARY, case.id, case.summary)}")


def page_index(ctx: Ctx) -> Page:
    cases = ordered(ctx)
    parts = [ctx.ui("cases_intro"), filters(ctx, cases), "\n".join(index_item(ctx, c) for c in cases)]
    if ctx.cur.page(SHARE_PAGE):
        parts.append(ctx.ui("share_case", url=ctx.href(path_of("page", SHARE_PAGE, ctx.cur))))
    return Page("curriculum/cases/", ctx.ui("cases_title"), "\n\n".join(parts))


# -- what the rest of the site shows --------------------------------------------------------

def module_section(ctx: Ctx, mod: m.Module) -> str:
    """"Cases for this module": the published cases the module links ('' when it links none)."""
    cases = cases_of_module(ctx.cur, mod)
    if not cases:
        return ""
    items = [f"- [{ctx.tr(F.Case.TITLE, c.id, c.title)}]({ctx.href(case_path(c))}) · "
             f"{_md_text(c.city)}, {_md_text(country_name(c.country, ctx.language.locale))}" for c in cases]
    return f"## {ctx.ui('module_cases')}\n\n" + "\n".join(items)


def nav_section(ctx: Ctx) -> dict[str, object] | None:
    """The navigation's "Cases" section: the index, then the cases grouped by country."""
    cases = ordered(ctx)
    if not cases:
        return None
    by_country: dict[str, list[object]] = {}
    for case in cases:
        by_country.setdefault(country_name(case.country, ctx.language.locale), []).append(case_path(case))
    items: list[object] = [INDEX, *(path_of("page", p, ctx.cur) for p in CASE_LIBRARY_PAGES if ctx.cur.page(p))]
    items += [{name: paths} for name, paths in by_country.items()]
    return {ctx.ui("cases"): items}

