"""``cda playbook``: a print-ready facilitator guide (or participant handout) for one delivery.

The page is the site's playbook (:func:`build_tools.render.generate.playbook_body`) with the real start
time and date of one session, in the language's conventions, as Markdown or as a standalone
HTML page with a print stylesheet (A4, no external resources).

The CLI's argument types (``--start``, ``--date``, ``--format``) are in :mod:`build_tools.base.arguments`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from babel.dates import format_date

from build_tools.base.errors import CdaError
from build_tools.base.fsutil import atomic_write
from build_tools.check.project import Project, load_valid
from build_tools.i18n import fields as F
from build_tools.i18n.store import CatalogStore
from build_tools.render.agenda import clock_rows, format_clock
from build_tools.render.generate import playbook_body
from build_tools.render.handout_pages import handout_text, title_of
from build_tools.render.page_context import (
    DEFAULT_START,
    Ctx,
    path_of,
    print_notice,
    rendering,
    resolve_links,
)
from build_tools.source import model as m
from build_tools.source.handouts import handouts_of
from build_tools.source.schema import did_you_mean
from build_tools.text.po import PoFile
from build_tools.text.renderer import print_config, render

# An inline link to a page of the course (a relative path once resolved): not usable on paper.
_INTERNAL_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\((?![a-z][a-z0-9+.-]*:|#)[^)\s]*\)")


# -- rendering ----------------------------------------------------------------------------

def spell_date(day: dt.date, locale: str) -> str:
    """The date the local way: ``jueves, 4 de marzo de 2027``, ``Thursday, March 4, 2027``."""
    return format_date(day, "full", locale=locale)


def find_workshop(cur: m.Curriculum, workshop_id: str) -> m.Workshop:
    ws = cur.workshop(workshop_id)
    if ws is None:
        hint = did_you_mean(workshop_id, sorted(w.id for w in cur.workshops))
        raise CdaError(f"unknown workshop '{workshop_id}'" + (f"; {hint}" if hint else
                       "; `cda export` lists every workshop id"))
    return ws


def unlink_internal(text: str) -> str:
    """Keep the text of links to other course pages (they lead nowhere on paper)."""
    return _INTERNAL_LINK.sub(r"\1", text)


def render_markdown(ctx: Ctx, ws: m.Workshop, start: str, day: dt.date | None, handout: bool,
                    packet: bool = False) -> str:
    """The guide (or handout) as Markdown in ``ctx.lang``; English fallbacks where untranslated,
    and then a notice under the title."""
    (head, rest), fell_back = rendering(ctx, lambda c: _parts(c, ws, start, day, handout, packet))
    return unlink_internal(resolve_links("\n\n".join(head + print_notice(ctx, fell_back) + rest), ctx)) + "\n"


def _parts(ctx: Ctx, ws: m.Workshop, start: str, day: dt.date | None, handout: bool, packet: bool
           ) -> tuple[list[str], list[str]]:
    """The title lines, and the rest of the guide."""
    rows = clock_rows(ws, start)
    when = []
    if day is not None:
        when.append(spell_date(day, ctx.language.formatting))
    if rows:
        when.append(f"{format_clock(rows[0][1], ctx.language.formatting)}–{format_clock(rows[-1][2], ctx.language.formatting)}")
    label = ctx.ui("date") if day is not None else ctx.ui("when")
    date_line = f"**{label}:** {', '.join(when)}" if when else ""
    title = ctx.tr(F.Workshop.TITLE, ws.id, ws.title)
    # No note about the site's default start time: here the times are the real ones.
    body = playbook_body(ctx, ws, start, handout, date_line, times_note=False)
    prefix = ctx.ui("handout_for" if handout else "playbook_for")
    parts = [f"# {prefix}: {title}"]
    if packet:
        parts[0] = f"# {ctx.ui('packet_for')}: {title}"
        parts.append(f"*{ctx.ui('handout_for' if handout else 'playbook_for')}*")
    return parts, [body.strip()] + (packet_parts(ctx, ws, handout) if packet else [])


PAGE_BREAK = '<div class="cda-page-break"></div>'


def packet_parts(ctx: Ctx, ws: m.Workshop, participants: bool) -> list[str]:
    """Each handout of the workshop, in its order, on a new page: all of them for the facilitator's
    packet, the participants' ones for theirs."""
    parts = []
    for doc in handouts_of(ctx.cur, ws, participants):
        if isinstance(doc, m.Handout):
            text = handout_text(ctx, doc)
        else:
            text = ctx.md("page", doc.id, doc.body)
        # One level down: the packet has one title, each document is a part of it.
        text = re.sub(r"^(#{1,5}) ", r"#\1 ", text, flags=re.MULTILINE)
        parts.append(f"{PAGE_BREAK}\n\n## {title_of(ctx, doc)}\n\n{text.strip()}")
    return parts


PRINT_CSS = """\
@page { size: A4; margin: 16mm 15mm 18mm; }
html { color-scheme: light; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1b1b1b; background: #fff; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; line-height: 1.2; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid #c8c8c8; }
h3 { font-size: 1.02rem; margin: 1.2rem 0 .4rem; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
p, li { orphans: 3; widows: 3; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .95em;
        break-inside: avoid; page-break-inside: avoid; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #b5b5b5; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #eef0f5; }
details { margin: .5rem 0 .8rem; padding: .3rem .8rem; border-left: 4px solid #3f51b5; background: #f4f5fb;
          break-inside: avoid; page-break-inside: avoid; }
details > summary { font-weight: 600; cursor: pointer; }
.admonition { margin: 1rem 0; padding: .3rem .8rem; border-left: 4px solid #e6a100; background: #fff7e0; }
.admonition-title { font-weight: 600; margin: .3rem 0; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .92em; }
.cda-page-break { break-before: page; page-break-before: always; }
.cda-cards { display: flow-root; margin: 1rem 0; }
.cda-card { float: left; box-sizing: border-box; width: 50%; padding: .3rem .8rem .5rem;
            border: 1px dashed #8a8a8a; break-inside: avoid; overflow: hidden; }
.cda-cards-2 .cda-card { width: 100%; }
.cda-card h3, .cda-card h4 { margin: .2rem 0 .4rem; border: 0; }
@page cda-a3 { size: A3; margin: 16mm 15mm 18mm; }
@media print {
  .cda-cards { break-before: page; margin: 0; }
  .cda-card { font-size: 9.5pt; }
  .cda-cards-2 .cda-card, .cda-cards-4 .cda-card { height: calc(263mm / 2 - 1mm); }
  .cda-cards-6 .cda-card { height: calc(263mm / 3 - 1mm); }
  .cda-cards-8 .cda-card { height: calc(263mm / 4 - 1mm); font-size: 9pt; }
  .cda-handout td:empty { height: 2.6em; }
  .cda-handout table { break-inside: auto; page-break-inside: auto; }
  .cda-paper-a3 { page: cda-a3; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  details > summary { list-style: none; }
  details > summary::-webkit-details-marker { display: none; }
  th { background: #eef0f5 !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

HTML_PAGE = """\
<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cda playbook">
<title>{title}</title>
<style>
{css}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def to_html(markdown_text: str, tag: str) -> str:
    """A standalone page: facilitator notes open (they must show on paper), no external resources."""
    opened = re.sub(r"^(\s*)\?\?\?(?!\+) ", r"\1???+ ", markdown_text, flags=re.MULTILINE)
    body = render(opened, print_config())
    body = body.replace(' open="open"', " open")
    first = markdown_text.split("\n", 1)[0]
    title = re.sub(r"<[^>]+>", "", first.removeprefix("# ")).strip()
    return HTML_PAGE.format(lang=tag, title=html.escape(title, quote=False),
                            css=PRINT_CSS, body=body.strip())


def render_playbook(cur: m.Curriculum, catalogs: dict[str, dict[str, PoFile]], workshop_id: str,
                    lang: str = "en", start: str | None = None, day: dt.date | None = None,
                    fmt: str = "html", handout: bool = False, packet: bool = False) -> str:
    """The whole output file's text; a pure function of the model and the catalogs."""
    ws = find_workshop(cur, workshop_id)
    ctx = Ctx(lang, cur, catalogs.get(lang, {}), path_of("workshop", ws.id, cur), mark=fmt == "html")
    text = render_markdown(ctx, ws, start or DEFAULT_START, day, handout, packet)
    if fmt == "md":
        source = Path(ws.source)
        if source.is_absolute() and Path(cur.root).resolve() in source.resolve().parents:
            source = source.resolve().relative_to(Path(cur.root).resolve())
        return (f"<!-- generated by cda playbook from {source.as_posix()}; do not edit: change the source "
                f"and run cda playbook again -->\n\n{text}")
    return to_html(text, cur.language(lang).tag)


def default_path(workshop_id: str, lang: str, day: dt.date | None, fmt: str, handout: bool,
                 packet: bool = False) -> Path:
    stem = "-".join([workshop_id, lang] + ([day.isoformat()] if day else []) + (["handout"] if handout else [])
                    + (["packet"] if packet else []))
    return Path("playbooks") / f"{stem}.{fmt}"


def write_playbook(root: Path, workshop_id: str, lang: str = "en", start: str | None = None,
                   day: dt.date | None = None, fmt: str = "html", handout: bool = False,
                   output: Path | None = None, strict: bool = False, packet: bool = False) -> Path:
    """Validate, render and write one playbook; return the path written.

    ``output`` may be a file or an existing folder; by default ``playbooks/<id>-<lang>[-<date>][-handout].<fmt>``
    under the current folder.
    """

    cur, _ = load_valid(root, strict)
    text = render_playbook(cur, CatalogStore(Project(root)).valid_catalogs(), workshop_id, lang, start, day, fmt, handout, packet)
    name = default_path(workshop_id, lang, day, fmt, handout, packet)
    path = output if output is not None else name
    if path.is_dir():
        path = path / name.name
    try:
        atomic_write(path, text)
    except OSError as exc:
        raise CdaError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
