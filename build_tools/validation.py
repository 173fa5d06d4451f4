"""Rules across files: ids, references, cycles, agendas, Markdown. One function per rule.

Each rule takes the curriculum and yields diagnostics; :func:`validate` runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePosixPath

from markdown_it.token import Token

from build_tools import model as m
from build_tools.diagnostics import Diagnostic, Loc, error, warning
from build_tools.markdown import parse
from build_tools.schema import did_you_mean, one_line

Rule = Callable[[m.Curriculum], Iterable[Diagnostic]]
BREAK_EVERY = 90
PLACEHOLDER = re.compile(r"(?<![/\w])(TBD|TODO|FIXME|XXX|(?i:lorem ipsum|example text))\b")
HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^>]*)?>")
LINK_SCHEMES = ("module", "workshop", "glossary", "page", "track")


def _ids(objs: Iterable[m.Node], kind: str) -> Iterator[Diagnostic]:
    seen: dict[str, m.Node] = {}
    for obj in objs:
        oid = getattr(obj, "id")
        if not oid:
            continue
        if oid in seen:
            first = seen[oid].loc("id") if kind != "page" else Loc(seen[oid].source)
            here = obj.loc("id") if kind != "page" else Loc(obj.source)
            yield error(here, "E300", f"duplicate {kind} id '{oid}' (first defined at {first})",
                        "give each one its own id")
        else:
            seen[oid] = obj


def rule_unique_ids(cur: m.Curriculum) -> Iterator[Diagnostic]:
    yield from _ids(cur.tracks, "track")
    yield from _ids(cur.modules, "module")
    yield from _ids(cur.workshops, "workshop")
    yield from _ids(cur.glossary, "glossary term")
    yield from _ids(cur.pages, "page")


def rule_ids_match_files(cur: m.Curriculum) -> Iterator[Diagnostic]:
    for obj in (*cur.tracks, *cur.modules, *cur.workshops):
        stem = PurePosixPath(obj.source.replace("\\", "/")).stem
        if obj.id and obj.id != stem:
            yield error(obj.loc("id"), "E301", f"id '{obj.id}' does not match the file name '{stem}'",
                        f"rename the file to {obj.id}.yaml or set id: {stem}")
    for mod in cur.modules:
        folder = PurePosixPath(mod.source.replace("\\", "/")).parent.name
        if mod.track and folder != mod.track:
            yield error(mod.loc("track"), "E301", f"module is in folder '{folder}' but names track '{mod.track}'",
                        f"move it to curriculum/modules/{mod.track}/")


def _ref(obj: m.Node, loc: Loc, kind: str, ref: str, known: list[str]) -> Diagnostic:
    hint = did_you_mean(ref, known) or f"define the {kind} first, or fix the id"
    return error(loc, "E302", f"unknown {kind} '{ref}'", hint)


def _unreadable(cur: m.Curriculum, ref: str, kind: str) -> bool:
    """A reference to a file that could not be read was already reported with that file."""
    return ref in cur.unreadable or (kind == "glossary term" and "*glossary*" in cur.unreadable)


def rule_references(cur: m.Curriculum) -> Iterator[Diagnostic]:
    modules = [x.id for x in cur.modules]
    workshops = [x.id for x in cur.workshops]
    terms = [x.id for x in cur.glossary]
    tracks = [x.id for x in cur.tracks]
    pages = [x.id for x in cur.pages]
    roles = [r.id for r in cur.program.roles] if cur.program else list(m.ROLE_IDS)
    for mod in cur.modules:
        if mod.track and mod.track not in tracks:
            yield _ref(mod, mod.loc("track"), "track", mod.track, tracks)
        for field, kind, known in (("prerequisites", "module", modules), ("key_terms", "glossary term", terms),
                                   ("workshops", "workshop", workshops), ("audience", "role", roles)):
            for i, ref in enumerate(getattr(mod, field)):
                if ref not in known and not _unreadable(cur, ref, kind):
                    yield _ref(mod, mod.loc(field, i), kind, ref, known)
        for i, ref in enumerate(mod.workshops):
            ws = cur.workshop(ref)
            if ws and ws.module != mod.id:
                yield error(mod.loc("workshops", i), "E302",
                            f"workshop '{ref}' belongs to module '{ws.module}', not '{mod.id}'",
                            "list each workshop in its own module only")
    for track in cur.tracks:
        for i, ref in enumerate(track.modules):
            mod = cur.module(ref)
            if mod is None:
                if not _unreadable(cur, ref, "module"):
                    yield _ref(track, track.loc("modules", i), "module", ref, modules)
            elif mod.track != track.id:
                yield error(track.loc("modules", i), "E302",
                            f"module '{ref}' belongs to track '{mod.track}', not '{track.id}'",
                            "list each module in its own track")
        for i, ref in enumerate(track.templates):
            if ref not in pages:
                yield _ref(track, track.loc("templates", i), "page", ref, pages)
    for ws in cur.workshops:
        if ws.module and ws.module not in modules:
            if _unreadable(cur, ws.module, "module"):
                continue
            yield _ref(ws, ws.loc("module"), "module", ws.module, modules)
        elif (owner := cur.module(ws.module)) and ws.id not in owner.workshops:
            yield error(ws.loc("module"), "E302", f"module '{ws.module}' does not list workshop '{ws.id}'",
                        f"add '{ws.id}' to the module's workshops")
        for i, ref in enumerate(ws.audience):
            if ref not in roles:
                yield _ref(ws, ws.loc("audience", i), "role", ref, roles)
    for page in cur.pages:
        if page.track and page.track not in tracks:
            yield _ref(page, page.loc("track"), "track", page.track, tracks)


def rule_modules_listed(cur: m.Curriculum) -> Iterator[Diagnostic]:
    listed = {mid for t in cur.tracks for mid in t.modules}
    for mod in cur.modules:
        if mod.id and mod.id not in listed and cur.track(mod.track):
            yield error(mod.loc("id"), "E302", f"module '{mod.id}' is not listed in track '{mod.track}'",
                        f"add it to 'modules' in curriculum/tracks/{mod.track}.yaml")
    for track in cur.tracks:
        if not track.modules:
            yield error(track.loc(), "E307", f"track '{track.id}' has no modules", "add at least one module")


def rule_prerequisite_cycles(cur: m.Curriculum) -> Iterator[Diagnostic]:
    graph = {mod.id: [p for p in mod.prerequisites if cur.module(p)] for mod in cur.modules}
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> Iterator[list[str]]:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                yield stack[stack.index(nxt):] + [nxt]
            elif nxt not in state:
                yield from visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for start in sorted(graph):
        if start in state:
            continue
        for cycle in visit(start, []):
            key = frozenset(cycle)
            if key in reported:
                continue
            reported.add(key)
            mod = cur.module(cycle[0])
            assert mod is not None
            i = mod.prerequisites.index(cycle[1])
            yield error(mod.loc("prerequisites", i), "E303", f"prerequisites form a cycle: {' -> '.join(cycle)}",
                        "remove one of these prerequisites")


def rule_agendas(cur: m.Curriculum) -> Iterator[Diagnostic]:
    for ws in cur.workshops:
        total = sum(b.minutes for b in ws.agenda)
        if ws.agenda and ws.duration and total != ws.duration:
            yield error(ws.loc("duration"), "E304",
                        f"agenda blocks add up to {total} minutes but the duration is {ws.duration}",
                        f"change the duration to {total} or adjust the blocks' minutes")
        since = 0
        for i, block in enumerate(ws.agenda):
            if block.kind == "break":
                since = 0
                continue
            since += block.minutes
            if since > BREAK_EVERY and since - block.minutes <= BREAK_EVERY:
                yield warning(block.loc("minutes"), "W305",
                              f"no break in the {since} minutes up to the end of '{block.title}'",
                              f"add a block with kind: break at least every {BREAK_EVERY} minutes")
            if not (block.instructions or block.facilitator_notes):
                yield error(ws.loc("agenda", i), "E306", f"agenda block '{block.title}' has neither "
                            "instructions nor facilitator_notes", "add what participants do and what the facilitator does")
        if ws.group_min and ws.group_max and ws.group_min > ws.group_max:
            yield error(ws.loc("group_size"), "E207", "group_size min is larger than max", "swap the values")


def rule_glossary_terms(cur: m.Curriculum) -> Iterator[Diagnostic]:
    seen: dict[str, m.Term] = {}
    for term in cur.glossary:
        key = term.term.lower()
        if key in seen and term.id != seen[key].id:
            yield warning(term.loc("term"), "W309", f"term '{term.term}' is defined twice "
                          f"('{seen[key].id}' and '{term.id}')", "merge the two entries")
        seen.setdefault(key, term)


def rule_placeholders(cur: m.Curriculum) -> Iterator[Diagnostic]:
    for obj in (*cur.tracks, *cur.modules, *cur.workshops, *cur.glossary, *cur.pages):
        for ypath, loc in obj.doc.locs.items():
            value = _get(obj.doc.data, ypath)
            if isinstance(value, str) and (match := PLACEHOLDER.search(value)):
                yield error(loc, "E406", f"placeholder text '{match.group(0)}'", "write the real content")
            if isinstance(value, str) and (tag := HTML_TAG.search(value)):
                yield error(loc, "E405", f"raw HTML is not allowed: {tag.group(0)}", "use Markdown instead")
    if cur.program:
        for ypath, loc in cur.program.doc.locs.items():
            value = _get(cur.program.doc.data, ypath)
            if isinstance(value, str) and (match := PLACEHOLDER.search(value)):
                yield error(loc, "E406", f"placeholder text '{match.group(0)}'", "write the real content")


def _get(data: object, path: tuple[str | int, ...]) -> object:
    for p in path:
        try:
            data = data[p]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def rule_required_tracks(cur: m.Curriculum) -> Iterator[Diagnostic]:
    if cur.program is None:
        return
    if not cur.tracks:
        yield error(cur.program.loc(), "E307", "the curriculum has no tracks",
                    "add curriculum/tracks/core.yaml and the capacity tracks")


DEFAULT_RULES: tuple[Rule, ...] = (
    rule_unique_ids, rule_ids_match_files, rule_references, rule_modules_listed,
    rule_prerequisite_cycles, rule_agendas, rule_glossary_terms, rule_placeholders, rule_required_tracks,
)


# Markdown rules -----------------------------------------------------------------------

def markdown_bodies(cur: m.Curriculum) -> Iterator[m.Markdown]:
    for mod in cur.modules:
        if mod.reading:
            yield mod.reading
    for page in cur.pages:
        if page.body:
            yield page.body


def rule_markdown(cur: m.Curriculum) -> Iterator[Diagnostic]:
    targets = {
        "module": {x.id for x in cur.modules}, "workshop": {x.id for x in cur.workshops},
        "glossary": {x.id for x in cur.glossary}, "page": {x.id for x in cur.pages},
        "track": {x.id for x in cur.tracks},
    }
    for kind in ("module", "workshop", "track"):
        targets[kind] |= cur.unreadable  # already reported with the file that could not be read
    for body in markdown_bodies(cur):
        yield from check_markdown(body, targets)


def check_markdown(body: m.Markdown, targets: dict[str, set[str]]) -> Iterator[Diagnostic]:
    """Structure, links, images and placeholders of one Markdown body."""
    text = body.text

    def at(line0: int, col: int = 1) -> Loc:
        return Loc(body.path, body.first_line + line0, col)

    if "\r" in text:
        yield error(at(text[: text.index("\r")].count("\n")), "E407", "file has Windows (CRLF) line endings",
                    "save the file with Unix (LF) line endings")
        return
    yield from _fences(text, at)
    tokens = parse(text)
    level = 1
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map:
            n = int(tok.tag[1])
            if n == 1:
                yield error(at(tok.map[0]), "E404", "headings start at '##' (the page title is the level-1 heading)",
                            "change '#' to '##'")
            elif n > level + 1:
                yield error(at(tok.map[0]), "E403", f"heading level skips from h{level} to h{n}",
                            f"use {'#' * (level + 1)} here")
            level = n
        if tok.type == "html_block" and tok.map and not tok.content.lstrip().startswith("<!--"):
            yield error(at(tok.map[0]), "E405", "raw HTML is not allowed in course Markdown",
                        "use Markdown instead (admonitions, tables, lists)")
        if tok.type == "inline" and tok.map:
            yield from _inline(tok, at, targets, text.split("\n"))
    for line0, line in enumerate(text.split("\n")):
        if match := PLACEHOLDER.search(line):
            yield error(at(line0, match.start() + 1), "E406", f"placeholder text '{match.group(0)}'",
                        "write the real content")


def _fences(text: str, at: Callable[[int, int], Loc]) -> Iterator[Diagnostic]:
    opened: tuple[int, str] | None = None
    for line0, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        fence = re.match(r"(`{3,}|~{3,})", stripped)
        if not fence:
            continue
        if opened is None:
            opened = (line0, fence.group(1))
        elif stripped.startswith(opened[1]) and not stripped[len(opened[1]):].strip():
            opened = None
    if opened is not None:
        yield error(at(opened[0], 1), "E400", "code fence is never closed",
                    f"add a closing {opened[1]} line after the code")


# markdown-it refuses these targets, so the link stays text; report it all the same.
UNPARSED_BAD_LINK = re.compile(r"\]\(\s*<?\s*((?:java|vb)script|file|data(?!:image/(?:gif|png|jpeg|webp);))\s*:",
                               re.I)


def _inline(tok: Token, at: Callable[[int, int], Loc], targets: dict[str, set[str]],
            lines: list[str]) -> Iterator[Diagnostic]:
    assert tok.map is not None
    line0 = tok.map[0]
    cursor: dict[int, int] = {}

    def find(needle: str) -> int | None:
        """1-based column of the next ``needle`` on the current source line."""
        line = lines[line0] if line0 < len(lines) else ""
        found = line.find(needle, cursor.get(line0, 0))
        if found < 0:
            return None
        cursor[line0] = found + len(needle)
        return found + 1

    for child in tok.children or []:
        if child.type == "softbreak" or child.type == "hardbreak":
            line0 += 1
        if child.type == "html_inline" and not child.content.startswith("<!--"):
            yield error(at(line0, find(child.content) or 1), "E405", f"raw HTML is not allowed: {child.content}",
                        "use Markdown instead")
        if child.type == "image":
            if not child.content.strip():
                yield error(at(line0, find("![") or 1), "E402", f"image '{child.attrGet('src')}' has no alt text",
                            "describe the image: ![what it shows](path)")
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            where = find(f"]({href}")
            yield from _link(href, at(line0, where + 2 if where else 1), targets)
        if child.type == "text" and (bad := UNPARSED_BAD_LINK.search(child.content)):
            target = _until_close(child.content[bad.start(1):])
            where = find(bad.group(0))
            yield error(at(line0, where + 2 if where else 1), "E401", f"link with a forbidden URL scheme: {target}",
                        "link to an https:// page")


def _until_close(rest: str) -> str:
    """A link target up to its closing parenthesis (nested pairs allowed) or a space."""
    depth = 0
    for i, ch in enumerate(rest):
        if ch.isspace() or (ch == ")" and depth == 0):
            return rest[:i]
        depth += {"(": 1, ")": -1}.get(ch, 0)
    return rest


def _link(href: str, loc: Loc, targets: dict[str, set[str]]) -> Iterator[Diagnostic]:
    scheme, _, rest = href.partition(":")
    if scheme in LINK_SCHEMES:
        ref = rest.split("#")[0]
        if ref not in targets[scheme]:
            hint = did_you_mean(ref, sorted(targets[scheme])) or f"use the id of an existing {scheme}"
            yield error(loc, "E401", f"link to unknown {scheme} '{ref}'", hint)
    elif scheme.lower() in ("javascript", "vbscript", "data", "file"):
        yield error(loc, "E401", f"link with a forbidden URL scheme: {href}", "link to an https:// page")
    elif not scheme or "/" in scheme or "." in scheme and not rest:
        if not href.startswith("#"):
            yield error(loc, "E401", f"relative link '{href}' is not allowed",
                        "link course pages by id, e.g. (module:core-01-leading-with-data), "
                        "and external pages with https://")
    elif scheme not in ("http", "https", "mailto"):
        yield error(loc, "E401", f"link with an unknown scheme: {href}",
                    f"use https:// or one of {', '.join(s + ':' for s in LINK_SCHEMES)}")


def validate(cur: m.Curriculum, rules: Iterable[Rule] = (*DEFAULT_RULES, rule_markdown)) -> list[Diagnostic]:
    """Run every rule and return all diagnostics."""
    return [_one_line(d) for rule in rules for d in rule(cur)]


def _one_line(d: Diagnostic) -> Diagnostic:
    """Values quoted in a message (ids, references) may hold line breaks; a diagnostic is one line."""
    if "\n" not in d.message + d.hint and "\r" not in d.message + d.hint:
        return d
    return Diagnostic(d.loc, d.code, one_line(d.message, 10_000), one_line(d.hint, 10_000), d.severity)
