"""``cda pdf``: the course as one printable PDF per language (WeasyPrint, CSS paged media).

Two editions: the *participant* edition (cover, table of contents with page numbers, the
program pages, every track with its modules, the glossary) and the *coach* edition, which adds
the coaches' page, the playbooks with their facilitator notes and the templates. Pages come
from the same generated Markdown as the site (:func:`build_tools.site.build.generate`), rendered with
the site's own Markdown extensions, in the site's navigation order. On paper:

- links between printed pages become links inside the PDF; links to pages that are not printed
  lead to the site when ``site_url`` is set in ``mkdocs.yml``, and are plain text otherwise;
- passages not yet translated keep ``lang="en"`` and are marked in the margin, and the cover
  says how many pages hold such passages;
- running headers give the program and the current chapter, the footer the page number.

``document_html`` is a pure function of the generated pages; ``write_pdf`` is the I/O edge.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown

from build_tools.base.languages import Language
from build_tools.check.project import Project, load_valid
from build_tools.i18n.store import CatalogStore
from build_tools.render.page_context import Ctx
from build_tools.site.build import generate, load_mkdocs_config

EDITIONS = ("participant", "coach")
# Pages of the site that no edition prints: they are about the site or the translation work.
NEVER = {"translation-status.md", "for-translators.md"}
# Printed in the coach edition only.
COACH_ONLY = ("playbooks/", "templates/", "handouts/", "for-coaches.md")
# Not printed: the city case library lives on the site (filterable index, one page per case);
# links to it lead to the site, as links to other pages that are not printed do.
SITE_ONLY = ("cases/",)

_FRONT = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'<a\b([^>]*?)\bhref="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass(frozen=True)
class Labels:
    """The words of the PDF's own frame, in the document's language."""

    title: str
    edition: str
    contents: str
    untranslated: str
    online: str


@dataclass(frozen=True)
class Chapter:
    """One printed page of the site: its path, its title and its place in the contents."""

    path: str
    title: str
    level: int
    section: tuple[str, ...]


# -- which pages, in which order ----------------------------------------------------------

def walk_nav(nav: Any, section: tuple[str, ...] = ()) -> Iterator[tuple[str, str | None, tuple[str, ...]]]:
    """(path, title or None, the section titles above it), in the navigation's order."""
    if isinstance(nav, str):
        yield nav, None, section
    elif isinstance(nav, list):
        for item in nav:
            yield from walk_nav(item, section)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(value, str):
                yield value, title, section
            else:
                yield from walk_nav(value, (*section, title))


def printed(path: str, edition: str) -> bool:
    if path in NEVER or not path.endswith(".md") or path.startswith(SITE_ONLY):
        return False
    return edition == "coach" or not path.startswith(COACH_ONLY)


def chapters(pages: dict[str, str], edition: str) -> list[Chapter]:
    """The pages an edition prints, in navigation order (pages missing from the nav at the end)."""
    nav = json.loads(pages.get(".nav.json", "[]"))
    seen: set[str] = set()
    found = []
    for path, _, section in walk_nav(nav):
        if path in seen or path not in pages or not printed(path, edition):
            continue
        seen.add(path)
        found.append(Chapter(path, page_title(pages[path]), len(section), section))
    for path in sorted(pages):
        if path not in seen and path in pages and printed(path, edition):
            found.append(Chapter(path, page_title(pages[path]), 1, ()))
    return found


def page_title(text: str) -> str:
    """The page's H1 as HTML (it may hold a ``lang="en"`` span)."""
    body = _FRONT.sub("", text, count=1)
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return ""


# -- one page to HTML ---------------------------------------------------------------------

def page_id(path: str) -> str:
    return "p-" + re.sub(r"[^a-z0-9]+", "-", path.removesuffix(".md").lower()).strip("-")


def markdown_renderer(extensions: list[Any]) -> markdown.Markdown:
    """Python-Markdown with the site's extensions (``mkdocs.yml``), without permalinks."""
    names: list[str] = []
    configs: dict[str, dict[str, Any]] = {}
    for item in extensions:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            configs[name] = dict(options)
    configs.setdefault("toc", {})["permalink"] = False
    if "toc" not in names:
        names.append("toc")
    return markdown.Markdown(extensions=names, extension_configs=configs, output_format="html")


def render_page(md: markdown.Markdown, path: str, text: str) -> str:
    """A generated page's Markdown as HTML; collapsible blocks are printed open."""
    body = _FRONT.sub("", text, count=1)
    body = re.sub(r"^(\s*)\?\?\?(?!\+) ", r"\1???+ ", body, flags=re.MULTILINE)
    md.reset()
    return md.convert(body).replace(' open="open"', " open")


def relink(body: str, path: str, targets: set[str], site_url: str | None) -> str:
    """Ids unique in the whole document; links to printed pages stay inside the PDF."""
    pid = page_id(path)
    body = _ID.sub(lambda m: f'id="{pid}--{m.group(1)}"', body)

    def one(m: re.Match[str]) -> str:
        before, href, after, inner = m.groups()
        if href.startswith("#"):
            return f'<a{before}href="#{pid}--{href[1:]}"{after}>{inner}</a>'
        if _SCHEME.match(href) or href.startswith("//"):
            return m.group(0)
        rel, _, frag = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), rel)) if rel else path
        if target in targets:
            anchor = page_id(target) + (f"--{frag}" if frag else "")
            return f'<a{before}href="#{anchor}"{after}>{inner}</a>'
        if site_url and target.endswith(".md") and not target.startswith(".."):
            url = site_url.rstrip("/") + "/" + site_path(target) + (f"#{frag}" if frag else "")
            return f'<a{before}href="{html.escape(url)}"{after}>{inner}</a>'
        return f'<span class="unlinked">{inner}</span>'

    return _HREF.sub(one, body)


def site_path(target: str) -> str:
    """A page's address on the site (directory URLs), relative to the language's root."""
    stem = target.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


# -- the whole document -------------------------------------------------------------------

PDF_CSS = """\
@page { size: A4; margin: 20mm 17mm 20mm 17mm;
        @top-left { content: string(program); font-size: 8pt; color: #555; }
        @top-right { content: string(chapter); font-size: 8pt; color: #555; }
        @bottom-center { content: counter(page); font-size: 9pt; color: #333; } }
@page cover { @top-left { content: none; } @top-right { content: none; } @bottom-center { content: none; } }
@page contents { @top-right { content: none; } }
html { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.45; color: #1b1b1b; }
.cover { page: cover; text-align: left; padding-top: 60mm; string-set: program content(); }
.cover h1 { font-size: 26pt; line-height: 1.15; margin: 0 0 8mm; string-set: program content(); }
.cover .edition { font-size: 15pt; color: #3f51b5; margin-bottom: 30mm; }
.cover .note { font-size: 9.5pt; color: #444; border-left: 3pt solid #e6a100; padding-left: 4mm; }
nav.contents { page: contents; break-before: page; }
nav.contents h1 { font-size: 18pt; }
nav.contents ul { list-style: none; padding: 0; margin: 0; }
nav.contents li { margin: 0; }
nav.contents li.section { font-weight: bold; margin-top: 3mm; }
nav.contents li.level-2 { padding-left: 5mm; }
nav.contents li.level-3 { padding-left: 10mm; }
nav.contents li.level-3.section { font-weight: normal; font-style: italic; }
nav.contents a { color: inherit; text-decoration: none; }
nav.contents a::after { content: leader('.') target-counter(attr(href url), page); }
section.chapter { break-before: page; }
section.chapter h1 { font-size: 17pt; line-height: 1.2; string-set: chapter content(); }
h2 { font-size: 12.5pt; margin-top: 6mm; border-bottom: 0.5pt solid #bbb; }
h3 { font-size: 11pt; }
h1, h2, h3, h4 { break-after: avoid; }
p, li { orphans: 2; widows: 2; }
a { color: #283593; text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 8.8pt; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #aaa; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #eef0f5; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.8pt; }
pre { white-space: pre-wrap; background: #f5f5f5; padding: 2mm; font-size: 8.5pt; }
.admonition, details { margin: 3mm 0; padding: 1mm 3mm; border-left: 2.5pt solid #3f51b5; background: #f4f5fb; }
.admonition.warning { border-left-color: #e6a100; background: #fff7e0; }
.admonition-title, details > summary { font-weight: bold; margin: 1mm 0; list-style: none; }
.tabbed-set > input { display: none; }
.tabbed-labels { display: none; }
.tabbed-block { margin: 2mm 0; }
[lang="en"] { background: #eeeeee; }
html:not([lang="en"]) [lang="en"]::before { content: "EN "; font-size: 6.5pt; font-weight: bold; color: #666; }
.unlinked { color: inherit; }
"""


def document_html(pages: dict[str, str], lang: str, edition: str, labels: Labels,
                  extensions: list[Any], site_url: str | None = None, tag: str = "") -> str:
    """The whole edition as one HTML document for a paged-media engine."""
    parts = chapters(pages, edition)
    targets = {c.path for c in parts}
    md = markdown_renderer(extensions)
    bodies = [relink(render_page(md, c.path, pages[c.path]), c.path, targets, site_url) for c in parts]
    untranslated = sum(1 for b in bodies if 'lang="en"' in b) if lang != "en" else 0
    note = f'<p class="note">{html.escape(labels.untranslated)}</p>' if untranslated else ""
    online = f'<p class="note">{html.escape(labels.online)} {html.escape(site_url)}</p>' if site_url else ""
    cover = (f'<section class="cover"><h1>{html.escape(labels.title)}</h1>'
             f'<p class="edition">{html.escape(labels.edition)}</p>{note}{online}</section>')
    contents = _contents(parts, labels)
    chapters_html = "\n".join(f'<section class="chapter" id="{page_id(c.path)}">\n{b}\n</section>'
                              for c, b in zip(parts, bodies, strict=True))
    return (f'<!DOCTYPE html>\n<html lang="{tag or lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(labels.title)}: {html.escape(labels.edition)}</title>\n"
            f"<style>\n{PDF_CSS}</style>\n</head>\n<body>\n{cover}\n{contents}\n{chapters_html}\n</body>\n</html>\n")


def _contents(parts: list[Chapter], labels: Labels) -> str:
    items = []
    shown: tuple[str, ...] = ()
    for c in parts:
        for depth, name in enumerate(c.section):
            if shown[: depth + 1] != c.section[: depth + 1]:
                items.append(f'<li class="section level-{depth + 1}">{html.escape(name)}</li>')
        shown = c.section
        items.append(f'<li class="level-{min(len(c.section) + 1, 3)}"><a href="#{page_id(c.path)}">'
                     f"{_TAGS.sub('', c.title)}</a></li>")
    return f'<nav class="contents"><h1>{html.escape(labels.contents)}</h1>\n<ul>\n' + "\n".join(items) + "\n</ul></nav>"


# -- the edge: write the file ---------------------------------------------------------------

@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    size: int
    chapters: int


def write_pdf(document: str, path: Path, base: Path, progress: Callable[[str], None] = lambda _: None) -> PdfResult:
    """Lay out and write one PDF atomically (a temporary file renamed into place)."""
    import weasyprint

    progress("laying out pages")
    rendered = weasyprint.HTML(string=document, base_url=str(base)).render()
    progress(f"writing {len(rendered.pages)} pages")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        rendered.write_pdf(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return PdfResult(path, len(rendered.pages), path.stat().st_size, document.count('<section class="chapter"'))


def site_name(config: dict[str, Any], language: Language) -> str:
    """The program's name in this language, as the site shows it (program.yaml's ``site_name``)."""
    return language.site_name or str(config.get("site_name", ""))


def default_output(lang: str, edition: str) -> Path:
    return Path("pdf") / f"city-data-course-{lang}{'' if edition == 'participant' else '-' + edition}.pdf"


def build_pdf(root: Path, lang: str, edition: str = "participant", output: Path | None = None,
              strict: bool = False, progress: Callable[[str], None] = lambda _: None) -> PdfResult:
    """Validate, generate the pages in memory and write one edition's PDF; nothing else is written."""

    cur, _ = load_valid(root, strict)
    project = Project(root)
    progress("generating pages")
    generated = generate(cur, project)
    config = load_mkdocs_config(root)
    ctx = Ctx(lang, cur, CatalogStore(Project(root)).valid_catalogs().get(lang, {}))
    labels = Labels(site_name(config, ctx.language), ctx.ui(f"pdf_{edition}"), ctx.ui("contents"),
                    ctx.ui("pdf_untranslated"), ctx.ui("pdf_online"))
    document = document_html(generated.pages[lang], lang, edition, labels,
                             list(config.get("markdown_extensions") or []), config.get("site_url"),
                             ctx.language.tag)
    path = output if output is not None else default_output(lang, edition)
    if path.is_dir() or path.suffix.lower() != ".pdf":
        path = path / default_output(lang, edition).name
    return write_pdf(document, path, root, progress)

