"""The city case library: what cities did, each fact with its source (issue 23).

A case is data, ``curriculum/cases/<id>.yaml`` (schema ``schema/case.schema.json``), and a
story, ``<id>.md``: exactly five sections (:data:`SECTIONS`). The story cites its sources with
footnote markers, ``[^N]`` for the N-th entry of ``sources``; their definitions are never written
by hand: the page generator writes them from ``sources`` (:func:`footnotes`). Validation reads
the story with those definitions in place (:func:`with_footnotes`), as readers get it.

This module holds what the other stages need to know about cases (footnotes, city size,
regions, which modules cite which case) and the validation rules of cases (:data:`CASE_RULES`).
Pages are written by :mod:`build_tools.render.case_pages`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath

from build_tools.base.diagnostics import Diagnostic, Loc, error, warning
from build_tools.source import model as m
from build_tools.source.schema import did_you_mean
from build_tools.text.heading_ids import HEADING_ID
from build_tools.text.markdown import parse_env

SECTIONS = ("The problem", "What the city did", "What changed", "What others can reuse", "Pitfalls")
"""The story's second-level headings, exactly these and in this order."""

MARKER = re.compile(r"\[\^([^\]\s]*)\](?!:)")
"""A footnote marker in a story's source text (``[^2]``), not a definition (``[^2]:``)."""
DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
CASE_LINK = re.compile(r"\]\(case:([a-z0-9-]*)(#[^)\s]*)?\)")
YEAR = re.compile(r"(?<![\d.,])(?:1[89]\d\d|20\d\d)(?:s\b)?(?![.,]?\d)")
"""A four-digit year (1800-2099, a decade such as 2010s): not a figure that needs a source."""
DIGIT = re.compile(r"\d[\d.,]*%?")

SMALL, LARGE = 250_000, 1_000_000
SIZES = ("small", "medium", "large", "unknown")

"""Babel locales for country names and numbers (neutral Latin American Spanish, Brazilian Portuguese)."""

COUNTRY_REGIONS: dict[str, str] = {
    **dict.fromkeys(("US", "CA", "MX", "BM", "GL", "PM"), "north-america"),
    **dict.fromkeys(("GT", "BZ", "SV", "HN", "NI", "CR", "PA"), "central-america"),
    **dict.fromkeys(("CU", "DO", "HT", "JM", "PR", "TT", "BS", "BB", "LC", "VC", "GD", "AG", "DM", "KN", "AW",
                     "CW", "SX", "BQ", "KY", "TC", "VG", "VI", "AI", "MS", "GP", "MQ", "BL", "MF"), "caribbean"),
    **dict.fromkeys(("CO", "VE", "EC", "PE", "BO", "BR", "PY", "UY", "AR", "CL", "GY", "SR", "GF", "FK"),
                    "south-america"),
}
"""The library's region of each country of the Americas (Mexico is North America)."""


# -- what every stage needs --------------------------------------------------------------

def size_of(case: m.Case) -> str:
    """The city's size for the index's filter: small, medium, large, or unknown (no population)."""
    if case.population is None or case.population.value <= 0:
        return "unknown"
    value = case.population.value
    return "small" if value < SMALL else "large" if value > LARGE else "medium"


def markers(text: str) -> Iterator[tuple[int, int, str]]:
    """Every footnote marker of a story: (0-based line, 0-based column, label)."""
    for line0, line in enumerate(text.split("\n")):
        if DEFINITION.match(line):
            continue
        for match in MARKER.finditer(line):
            yield line0, match.start(), match.group(1)


def source_number(label: str, case: m.Case) -> int:
    """The source a marker names (1-based), or 0 when the label is not one of the case's sources."""
    return int(label) if label.isdigit() and 1 <= int(label) <= len(case.sources) else 0


def cited_sources(case: m.Case) -> set[int]:
    """The sources the story cites with a marker."""
    found = {source_number(label, case) for _, _, label in markers(case.body.text)} if case.body else set()
    return found - {0}


def footnote_stubs(numbers: Iterable[int]) -> str:
    """Footnote definitions without text, so that ``[^N]`` reads as a footnote (as on the page)."""
    return "\n".join(f"[^{n}]: ." for n in sorted(set(numbers)))


def with_footnotes(case: m.Case) -> m.Markdown | None:
    """The story as the page renders it: with a definition for each source the story cites.

    Appended after the last line, so that every location in the story stays where it is. Only
    cited sources: a definition nobody refers to would be reported as unreferenced.
    """
    if case.body is None:
        return None
    written = {match.group(1) for line in case.body.text.split("\n") if (match := DEFINITION.match(line))}
    stubs = footnote_stubs(n for n in cited_sources(case) if str(n) not in written)
    if not stubs:
        return case.body
    text = case.body.text.rstrip("\n") + "\n\n" + stubs + "\n"
    return m.Markdown(case.body.path, text, case.body.first_line)


def case_links(text: str) -> Iterator[tuple[int, int, str]]:
    """Every ``[text](case:<id>)`` link of a Markdown text: (0-based line, 1-based column of the target, id)."""
    for line0, line in enumerate(text.split("\n")):
        for match in CASE_LINK.finditer(line):
            yield line0, match.start() + 3, match.group(1)


def _module_texts(mod: m.Module) -> Iterator[str]:
    if mod.reading:
        yield mod.reading.text
    yield from _strings(mod.doc.data)


def _strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


_LINKED: dict[int, tuple[m.Module, tuple[str, ...]]] = {}
"""The case ids each module links, by module object (``modules_citing`` asks for every case)."""


def _linked_ids(mod: m.Module) -> tuple[str, ...]:
    hit = _LINKED.get(id(mod))
    if hit is not None and hit[0] is mod:
        return hit[1]
    seen: list[str] = []
    for text in _module_texts(mod):
        for _, _, cid in case_links(text):
            if cid not in seen:
                seen.append(cid)
    if len(_LINKED) > 4096:
        _LINKED.clear()
    _LINKED[id(mod)] = (mod, tuple(seen))
    return tuple(seen)


def cases_of_module(cur: m.Curriculum, mod: m.Module) -> list[m.Case]:
    """The published cases a module links (its reading and its YAML texts), in the order it links them."""
    found = (cur.case(cid) for cid in _linked_ids(mod))
    return [c for c in found if c is not None and c.published]


def modules_citing(cur: m.Curriculum, case: m.Case) -> list[m.Module]:
    """The modules that link ``case``, in course order (track, then month)."""
    out = []
    for track in cur.ordered_tracks():
        for mod in cur.track_modules(track):
            if case in cases_of_module(cur, mod) and mod not in out:
                out.append(mod)
    return out


@cache
def _territories(locale: str) -> dict[str, str]:
    from babel import Locale

    names = Locale.parse(locale).territories
    return {code: str(name) for code, name in names.items() if re.fullmatch(r"[A-Z]{2}", code)}


def country_name(code: str, locale: str = "en") -> str:
    """The country's name in the reader's language (Babel's territory names), or the code itself."""
    return _territories(locale).get(code, code)


def known_country(code: str) -> bool:
    return code in _territories("en") and code not in ("ZZ", "XA", "XB", "EU", "EZ", "UN", "QO")


def format_number(value: int, locale: str) -> str:
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=locale))


# -- validation ---------------------------------------------------------------------------

CaseRule = Callable[[m.Curriculum], Iterable[Diagnostic]]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def rule_case_data(cur: m.Curriculum) -> Iterator[Diagnostic]:
    """The YAML of each case: id and file name, sources, population, years, country, region."""
    for case in cur.cases:
        stem = PurePosixPath(case.source.replace("\\", "/")).stem
        if case.id and case.id != stem:
            yield error(case.loc("id"), "E301", f"id '{case.id}' does not match the file name '{stem}'",
                        f"rename the files to {case.id}.yaml and {case.id}.md, or set id: {stem}")
        n = len(case.sources)
        if case.published and not case.sources:
            where = case.loc("sources") if "sources" in case.doc.data else case.key_loc("id")
            yield error(where, "E601", f"published case '{case.id}' has no sources",
                        "list at least one source (title, publisher, year, url) under 'sources:', "
                        "or set status: draft until it has one")
        pop = case.population
        if pop is not None and pop.source_index and not 1 <= pop.source_index <= n:
            yield error(pop.loc("source"), "E604", f"population.source is {pop.source_index}, but the case lists "
                        f"{_plural(n, 'source')}", f"use the number (1 to {n}) of the source that gives the population"
                        if n else "add the source that gives the population to 'sources', or leave out 'population'")
        if case.year_end and case.year_start and case.year_end < case.year_start:
            yield error(case.loc("years", "end"), "E207", f"years.end ({case.year_end}) is before years.start "
                        f"({case.year_start})", "swap the years, or leave out 'end' if the work is ongoing")
        if case.country and re.fullmatch(r"[A-Z]{2}", case.country):
            if not known_country(case.country):
                yield error(case.loc("country"), "E607", f"unknown country code '{case.country}'",
                            "use the country's ISO 3166-1 alpha-2 code (MX, CO, BR, AR, ...)")
            elif (region := COUNTRY_REGIONS.get(case.country)) and case.region and case.region != region:
                yield warning(case.loc("region"), "W610", f"region '{case.region}' for {country_name(case.country)}"
                              f" ({case.country}): the library files it under '{region}'", f"set region: {region}")
        if case.published and case.body is not None:
            cited = cited_sources(case) | ({pop.source_index} if pop is not None else set())
            for i, src in enumerate(case.sources, start=1):
                if i not in cited:
                    yield warning(src.loc(), "W611", f"source {i} ('{src.title}') is never cited in the case",
                                  f"cite it in the story with [^{i}] after the sentence it supports, or remove it")


def rule_case_references(cur: m.Curriculum) -> Iterator[Diagnostic]:
    """Tracks and glossary terms a case names exist."""
    tracks = [t.id for t in cur.ordered_tracks()]
    terms = sorted(t.id for t in cur.glossary)
    for case in cur.cases:
        for i, ref in enumerate(case.tracks):
            if ref not in tracks and ref not in cur.unreadable:
                yield error(case.loc("tracks", i), "E302", f"unknown track '{ref}'",
                            did_you_mean(ref, tracks) or f"use one of: {', '.join(tracks)}")
        for i, ref in enumerate(case.terms):
            if ref not in terms and "*glossary*" not in cur.unreadable:
                yield error(case.loc("terms", i), "E302", f"unknown glossary term '{ref}'",
                            did_you_mean(ref, terms) or "use the id of a term in curriculum/glossary/*.yaml")


def rule_case_sections(cur: m.Curriculum) -> Iterator[Diagnostic]:
    """The story has the five sections, in order, nothing before the first and no other heading."""
    for case in cur.cases:
        if case.body is not None and "\r" not in case.body.text:
            yield from _sections(case.body)


def _sections(body: m.Markdown) -> Iterator[Diagnostic]:
    tokens, _ = parse_env(body.text)
    lines = body.text.split("\n")

    def at(line0: int, col: int = 1) -> Loc:
        return Loc(body.path, body.first_line + line0, col)

    order = ", ".join(f"## {s}" for s in SECTIONS)
    found: list[tuple[str, int]] = []
    first_block: int | None = None
    for i, tok in enumerate(tokens):
        if tok.level == 0 and tok.nesting >= 0 and tok.map and first_block is None and tok.type != "html_block":
            first_block = tok.map[0]
        if tok.type != "heading_open" or not tok.map:
            continue
        text = tokens[i + 1].content if i + 1 < len(tokens) else ""
        if (suffix := HEADING_ID.search(text)) is not None:
            text = text[: suffix.start()].rstrip()
        if tok.tag != "h2" or text not in SECTIONS:
            shown = f"{tok.markup} {text}"
            hint = did_you_mean(text, SECTIONS) if tok.tag == "h2" else ""
            yield error(at(tok.map[0]), "E605", f"unexpected heading '{shown}': a case's story has exactly "
                        "five sections", (hint + " " if hint else "") + f"the sections are, in this order: {order}")
            continue
        if any(text == name for name, _ in found):
            yield error(at(tok.map[0]), "E605", f"section '## {text}' appears twice", "merge the two into one")
            continue
        found.append((text, tok.map[0]))
    if found and first_block is not None and first_block < found[0][1]:
        yield error(at(first_block), "E605", f"text before the first section '## {found[0][0]}'",
                    f"start the story with '## {SECTIONS[0]}'; the page writes the title and summary itself")
    names = [name for name, _ in found]
    for k in range(1, len(found)):
        if SECTIONS.index(found[k][0]) < SECTIONS.index(found[k - 1][0]):
            yield error(at(found[k][1]), "E605", f"section '## {found[k][0]}' comes after '## {found[k - 1][0]}'",
                        f"order the sections: {order}")
    for pos, name in enumerate(SECTIONS):
        if name in names:
            continue
        later = [line for other, line in found if SECTIONS.index(other) > pos]
        line0 = min(later) if later else max(len(lines) - 1, 0)
        if not later and lines and not lines[-1].strip() and line0 > 0:
            line0 -= 1
        yield error(at(line0), "E605", f"the story has no section '## {name}'",
                    f"add it; the sections are, in this order: {order}")


def rule_case_story(cur: m.Curriculum) -> Iterator[Diagnostic]:
    """Markers name a source; every figure has one (published cases); only paragraphs and lists."""
    for case in cur.cases:
        if case.body is None or "\r" in case.body.text:
            continue
        yield from _markers(case)
        yield from _blocks(case)
        if case.published:
            yield from _figures(case)
            yield from _summary_figures(case)


def _markers(case: m.Case) -> Iterator[Diagnostic]:
    assert case.body is not None
    n = len(case.sources)
    for line0, col, label in markers(case.body.text):
        if source_number(label, case):
            continue
        where = Loc(case.body.path, case.body.first_line + line0, col + 1)
        if label.isdigit():
            hint = (f"use [^1] to [^{n}], or add the source to 'sources' in {PurePosixPath(case.source).name}" if n
                    else f"add the source to 'sources' in {PurePosixPath(case.source).name}")
            yield error(where, "E603", f"footnote [^{label}] names source {label}, but the case lists "
                        f"{_plural(n, 'source')}", hint)
        else:
            yield error(where, "E603", f"footnote [^{label}] is not the number of a source",
                        "a case's footnotes are numbers: [^1] is the first entry of 'sources', [^2] the second")


UNSUPPORTED = {"table_open": "a table", "fence": "a code block", "code_block": "a code block",
               "blockquote_open": "a quote", "container_open": "an admonition", "dl_open": "a definition list",
               "hr": "a horizontal rule"}


def _blocks(case: m.Case) -> Iterator[Diagnostic]:
    """Plain stories: paragraphs, lists, emphasis and links; the page writes the footnotes."""
    assert case.body is not None
    body = case.body
    lines = body.text.split("\n")
    for line0, line in enumerate(lines):
        if match := DEFINITION.match(line):
            yield error(Loc(body.path, body.first_line + line0, 1), "E608",
                        f"footnote definition [^{match.group(1)}]: in the story", "delete it: the page writes the "
                        "footnotes from 'sources'; cite the N-th source with [^N]")
    tokens, _ = parse_env(body.text)
    for tok in tokens:
        what = UNSUPPORTED.get(tok.type)
        if what and tok.map:
            yield error(Loc(body.path, body.first_line + tok.map[0], 1), "E608", f"{what} in a case's story",
                        "a case's story has only paragraphs and lists (with bold, italic and links); "
                        "write this as a paragraph or a list")
        for child in tok.children or [] if tok.type == "inline" and tok.map else []:
            if child.type == "image":
                assert tok.map is not None
                yield error(Loc(body.path, body.first_line + tok.map[0], 1), "E608", "an image in a case's story",
                            "a case's story has no images; describe what the image showed, with its source")


@dataclass
class _Unit:
    """What the figure rule knows of a paragraph, or of a list item with all its paragraphs."""

    item: bool
    figure: str = ""
    line0: int = 0
    cited: bool = False


def _figures(case: m.Case) -> Iterator[Diagnostic]:
    """Each paragraph or list item that states a figure (a number other than a year) cites a source."""
    story = with_footnotes(case)
    assert story is not None and case.body is not None
    tokens, _ = parse_env(story.text)
    lines = case.body.text.split("\n")
    urls = {s.url for s in case.sources}
    # A unit is a list item (all its paragraphs) or a paragraph outside lists.
    units: dict[int, _Unit] = {}
    stack: list[int] = []
    in_footnotes = 0
    for i, tok in enumerate(tokens):
        if tok.type == "footnote_block_open":
            in_footnotes += 1
        elif tok.type == "footnote_block_close":
            in_footnotes -= 1
        if in_footnotes:
            continue
        if tok.type == "list_item_open":
            stack.append(i)
        elif tok.type == "list_item_close" and stack:
            stack.pop()
        if tok.type != "inline" or i == 0 or tokens[i - 1].type != "paragraph_open" or not tok.map:
            continue
        key = stack[-1] if stack else i
        unit = units.setdefault(key, _Unit(item=bool(stack)))
        for child in tok.children or []:
            if child.type == "footnote_ref" or (child.type == "link_open" and child.attrGet("href") in urls):
                unit.cited = True
            elif child.type in ("text", "code_inline"):
                text = YEAR.sub(" ", MARKER.sub(" ", child.content))
                if not unit.figure and (found := DIGIT.search(text)):
                    unit.line0, unit.figure = tok.map[0], found.group(0).rstrip(".,")
    for unit in units.values():
        if not unit.figure or unit.cited:
            continue
        line0, figure = unit.line0, unit.figure
        col = lines[line0].find(figure) + 1 if line0 < len(lines) and figure in lines[line0] else 1
        what = "list item" if unit.item else "paragraph"
        n = len(case.sources)
        yield error(Loc(case.body.path, case.body.first_line + line0, col), "E602",
                    f"the figure '{figure}' has no source: this {what} has no footnote marker",
                    f"end the sentence with [^N], N the number of its source in 'sources' (1 to {n})" if n
                    else "add its source to 'sources' and end the sentence with [^1]")


def _summary_figures(case: m.Case) -> Iterator[Diagnostic]:
    text = YEAR.sub(" ", case.summary)
    if found := DIGIT.search(text):
        yield error(case.loc("summary"), "E602", f"the summary states the figure '{found.group(0).rstrip('.,')}'",
                    "a summary has no figures (it cannot cite a source): keep them in the story, with their markers")


def rule_case_links_to_drafts(cur: m.Curriculum) -> Iterator[Diagnostic]:
    """A page on the site never links a draft case: drafts are not on the site."""
    drafts = {c.id for c in cur.cases if not c.published}
    if not drafts:
        return
    hint = "publish the case (status: published) once it is ready, or remove the link"
    bodies = [mod.reading for mod in cur.modules] + [page.body for page in cur.pages]
    bodies += [c.body for c in cur.cases if c.published]
    for body in bodies:
        if body is None:
            continue
        for line0, col, cid in case_links(body.text):
            if cid in drafts:
                yield error(Loc(body.path, body.first_line + line0, col), "E606",
                            f"link to draft case '{cid}': drafts are not on the site", hint)
    objs: list[m.Node] = [*cur.tracks, *cur.modules, *cur.workshops, *cur.glossary, *cur.pages]
    objs += [c for c in cur.cases if c.published] + ([cur.program] if cur.program else [])
    docs = {id(obj.doc): obj.doc for obj in objs}
    for doc in docs.values():
        for ypath, loc in sorted(doc.locs.items(), key=lambda item: item[1]):
            value = _value(doc.data, ypath)
            if isinstance(value, str):
                for _, _, cid in case_links(value):
                    if cid in drafts:
                        yield error(loc, "E606", f"link to draft case '{cid}': drafts are not on the site", hint)


def _value(data: object, path: tuple[str | int, ...]) -> object:
    for key in path:
        try:
            data = data[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data


CASE_RULES: tuple[CaseRule, ...] = (rule_case_data, rule_case_references, rule_case_sections, rule_case_story,
                                    rule_case_links_to_drafts)
"""The case rules that need nothing above this module; the course's Markdown rules on each story
are :func:`build_tools.check.validation.rule_case_markdown`."""
