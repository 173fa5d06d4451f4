"""Rules across files: ids, references, cycles, agendas, Markdown. One function per rule.

Each rule takes the curriculum and yields diagnostics; :func:`validate` runs them all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any, Protocol
from urllib.parse import unquote

from babel import Locale, UnknownLocaleError
from markdown_it.token import Token

from build_tools.base.diagnostics import Diagnostic, Loc, display_path, error, warning
from build_tools.base.ui import ADMONITION_TYPES
from build_tools.source import model as m
from build_tools.source.cases import CASE_RULES, with_footnotes
from build_tools.source.handouts import HANDOUT_RULES
from build_tools.source.schema import did_you_mean, one_line
from build_tools.source.sources import YamlDoc
from build_tools.text.heading_ids import HEADING_ID
from build_tools.text.markdown import parse, parse_env, parser
from build_tools.text.segment import Segment, passages
from build_tools.text.structure import differences, heading_ids

Rule = Callable[[m.Curriculum], Iterable[Diagnostic]]
BREAK_EVERY = 90
PLACEHOLDER = re.compile(r"(?<![/\w])(TBD|TODO|FIXME|XXX|(?i:lorem ipsum|example text))\b")
HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^>]*)?>")
LINK_SCHEMES = ("module", "workshop", "glossary", "page", "track", "case", "handout")


class _Identified(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def source(self) -> str: ...
    def loc(self, *sub: str | int) -> Loc: ...


def _ids(objs: Iterable[_Identified], kind: str) -> Iterator[Diagnostic]:
    seen: dict[str, _Identified] = {}
    for obj in objs:
        oid = obj.id
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
    objs: tuple[m.Track | m.Module | m.Workshop, ...] = (*cur.tracks, *cur.modules, *cur.workshops)
    for obj in objs:
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
            listed = cur.module(ref)
            if listed is None:
                if not _unreadable(cur, ref, "module"):
                    yield _ref(track, track.loc("modules", i), "module", ref, modules)
            elif listed.track != track.id:
                yield error(track.loc("modules", i), "E302",
                            f"module '{ref}' belongs to track '{listed.track}', not '{track.id}'",
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


def rule_languages(cur: m.Curriculum) -> Iterator[Diagnostic]:
    """program.yaml's languages: English first (the curriculum's language), each code once, real locales."""
    prog = cur.program
    if prog is None or "languages" not in prog.doc.data:
        return
    seen: set[str] = set()
    for i, lang in enumerate(prog.languages):
        if i == 0 and lang.code != "en":
            yield error(prog.loc("languages", 0), "E310", f"the first language is '{lang.code}', but the "
                        "curriculum is written in English", "list 'en' first, then the translations")
        if lang.code in seen:
            yield error(prog.loc("languages", i, "code"), "E310", f"language '{lang.code}' is listed twice",
                        "keep one entry per language")
        seen.add(lang.code)
        try:
            Locale.parse(lang.locale)
        except (ValueError, UnknownLocaleError):
            yield error(prog.loc("languages", i, "locale"), "E311", f"'{lang.locale}' is not a locale Babel knows",
                        "use a CLDR locale such as es_419, pt_BR or fr_CA")


def rule_glossary_languages(cur: m.Curriculum) -> Iterator[Diagnostic]:
    """Every glossary term has its translation in each target language, and no other language keys."""
    if cur.program is None:
        return
    known = [x.code for x in cur.program.languages]
    for term in cur.glossary:
        given = dict(term.translations)
        for code in given:
            if code not in known or code == "en":
                hint = did_you_mean(code, known[1:]) or f"program.yaml's languages are: {', '.join(known)}"
                yield error(term.key_loc(code), "E313", f"glossary term '{term.id}' has a translation for "
                            f"'{code}', which is not one of the course's languages", hint)
        for lang in cur.program.languages[1:]:
            if lang.code not in given:
                yield error(term.loc("term"), "E312", f"glossary term '{term.id}' has no {lang.name} ({lang.code}) "
                            "translation", f"add '{lang.code}:' with the term translators must use")


_PER_DOC: dict[int, tuple[YamlDoc, tuple[Diagnostic, ...]]] = {}
"""What :func:`_doc_placeholders` found in a document, by the document's identity: the loader
shares the parsed document of a file whose text did not change (``cda serve`` reloads the course
on every save), and nothing changes a document once loaded."""


def _doc_placeholders(doc: YamlDoc) -> tuple[Diagnostic, ...]:
    if (seen := _PER_DOC.get(id(doc))) is not None and seen[0] is doc:
        return seen[1]
    found = []
    for ypath, loc in doc.locs.items():
        value = _get(doc.data, ypath)
        if isinstance(value, str) and (match := PLACEHOLDER.search(value)):
            found.append(error(loc, "E406", f"placeholder text '{match.group(0)}'", "write the real content"))
        if isinstance(value, str) and (tag := HTML_TAG.search(value)):
            found.append(error(loc, "E405", f"raw HTML is not allowed: {tag.group(0)}", "use Markdown instead"))
    if len(_PER_DOC) >= 8192:
        _PER_DOC.clear()
    _PER_DOC[id(doc)] = (doc, tuple(found))  # the entry keeps the document alive: its id is not reused
    return tuple(found)


def rule_placeholders(cur: m.Curriculum) -> Iterator[Diagnostic]:
    docs = {id(obj.doc): obj.doc for obj in (*cur.tracks, *cur.modules, *cur.workshops, *cur.glossary, *cur.pages)}
    for doc in docs.values():
        yield from _doc_placeholders(doc)
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




# Markdown rules -----------------------------------------------------------------------

ATTR_LIST = re.compile(r"\{\s*[:#.][^}]*\}|\{\s*[A-Za-z_-]+\s*=[^}]*\}")
YAML_MARKDOWN = ("summary", "who_should_choose", "outcomes", "objectives", "instructions", "deliverable", "purpose",
                 "responsibilities", "prework", "materials", "setup", "facilitator_notes", "if_late", "debrief",
                 "after_action_review", "follow_up", "commitments", "description", "definition", "title", "method",
                 "acceptance")
"""YAML fields whose text the generator writes into pages as Markdown."""
PLAIN = re.compile(r"[^\W\d_][^\n\[\]<>`!\\{}]*")  # one line of plain text: no block or inline markup


def markdown_bodies(cur: m.Curriculum) -> Iterator[m.Markdown]:
    for mod in cur.modules:
        if mod.reading:
            yield mod.reading
    for page in cur.pages:
        if page.body:
            yield page.body
    for handout in cur.handouts:
        if handout.body:
            yield handout.body


def anchors_of(body: m.Markdown | None) -> set[str]:
    """The heading ids a link ``#id`` may name on the page of ``body``."""
    return set(heading_ids(body.text).values()) if body and "\r" not in body.text else set()


def rule_markdown(cur: m.Curriculum) -> Iterator[Diagnostic]:
    targets = {
        "module": {x.id for x in cur.modules}, "workshop": {x.id for x in cur.workshops},
        "glossary": {x.id for x in cur.glossary}, "page": {x.id for x in cur.pages},
        "track": {x.id for x in cur.tracks}, "case": {x.id for x in cur.cases},
        "handout": {x.id for x in cur.handouts},
    }
    for kind in ("module", "workshop", "track", "handout"):
        targets[kind] |= cur.unreadable  # already reported with the file that could not be read
    anchors = {("module", x.id): anchors_of(x.reading) for x in cur.modules}
    anchors |= {("page", x.id): anchors_of(x.body) for x in cur.pages}
    anchors |= {("case", x.id): anchors_of(x.body) for x in cur.cases}
    anchors |= {("handout", x.id): anchors_of(x.body) for x in cur.handouts}
    context = _digest(targets, anchors)
    root = Path(cur.root)
    for body in markdown_bodies(cur):
        key = (body.path, body.first_line, body.text, context)
        if (found := _BODIES.get(key)) is None:
            if len(_BODIES) >= 4096:
                _BODIES.clear()
            found = _BODIES[key] = tuple(check_markdown(body, targets, anchors))
        yield from found
        if "\r" not in body.text:
            tokens, env = parse_env(body.text)
            yield from _images(body, tokens, env, _at(body), root)
    for obj, _, loc, value in yaml_markdown(cur):
        here = anchors.get(("module", obj.id), set()) if isinstance(obj, m.Module) else set()
        yield from check_yaml_markdown(value, loc, targets, anchors, here)


_BODIES: dict[tuple[str, int, str, str], tuple[Diagnostic, ...]] = {}
"""What :func:`check_markdown` found in a body (its images aside, which are files on disk), by its
text and the ids and anchors its links may name: ``cda serve`` validates the course on every save."""


def _at(body: m.Markdown) -> Callable[[int, int], Loc]:
    return lambda line0, col: Loc(body.path, body.first_line + line0, col)


def _digest(targets: dict[str, set[str]], anchors: dict[tuple[str, str], set[str]]) -> str:
    text = repr(sorted((k, sorted(v)) for k, v in targets.items())) + repr(sorted((k, sorted(v))
                                                                                 for k, v in anchors.items()))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def yaml_markdown(cur: m.Curriculum) -> Iterator[tuple[m.Node, tuple[str | int, ...], Loc, str]]:
    """Every YAML text the generator writes into a page as Markdown, with its location."""
    docs = {id(obj.doc): obj for obj in (*cur.tracks, *cur.modules, *cur.workshops, *cur.glossary, *cur.handouts,
                                         *([cur.program] if cur.program else []))}
    for obj in docs.values():
        for ypath, loc in obj.doc.locs.items():
            names = [p for p in ypath if isinstance(p, str)]
            if names and names[-1] in YAML_MARKDOWN and isinstance(value := _get(obj.doc.data, ypath), str):
                yield obj, ypath, loc, value


def check_yaml_markdown(text: str, loc: Loc, targets: dict[str, set[str]],
                        anchors: dict[tuple[str, str], set[str]], here: set[str]) -> Iterator[Diagnostic]:
    """A YAML field read as Markdown: the parsers agree on it, and its links lead somewhere
    (``here``: the ids ``#id`` may name on the field's page, a module's reading headings)."""
    if PLAIN.fullmatch(text) or "\r" in text:
        return  # plain text on one line reads the same everywhere
    for diff in differences(text):
        yield error(loc, "E408", diff.message, diff.hint)
    for tok in parse(text):
        for child in tok.children or [] if tok.type == "inline" else []:
            if child.type == "link_open":
                yield from _link(str(child.attrGet("href") or ""), loc, targets, anchors, here)


def check_markdown(body: m.Markdown, targets: dict[str, set[str]],
                   anchors: dict[tuple[str, str], set[str]] | None = None,
                   root: Path | None = None) -> Iterator[Diagnostic]:
    """Structure, links, images and placeholders of one Markdown body."""
    text = body.text
    anchors = anchors or {}

    def at(line0: int, col: int = 1) -> Loc:
        return Loc(body.path, body.first_line + line0, col)

    if "\r" in text:
        yield error(at(text[: text.index("\r")].count("\n")), "E407", "file has Windows (CRLF) line endings",
                    "save the file with Unix (LF) line endings")
        return
    yield from _fences(text, at)
    for diff in differences(text):
        yield error(at(diff.line), "E408", diff.message, diff.hint)
    tokens, env = parse_env(text)
    lines = text.split("\n")
    here = set(heading_ids(text).values())
    cells = [p for p in passages(text) if p.kind == "cell"]
    cursor: dict[int, int] = {}
    level = 1
    in_table = False
    for i, tok in enumerate(tokens):
        if tok.type in ("table_open", "table_close"):
            in_table = tok.type == "table_open"
            if in_table and tok.map:
                for cell in (c for c in cells if tok.map[0] <= c.line < tok.map[1]):
                    for inline in parser().parseInline(cell.text, env):
                        yield from _inline(inline, cell.line, at, targets, lines, cursor, anchors, here)
                        yield from _escaped_pipes(inline, cell, at)
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
        if tok.type == "container_open" and tok.map and tok.meta.get("kind") not in ("tab", *ADMONITION_TYPES):
            kind = str(tok.meta.get("kind"))
            yield error(at(tok.map[0], 5), "E412", f"unknown admonition type '{kind}'",
                        did_you_mean(kind, list(ADMONITION_TYPES)) or f"use one of {', '.join(ADMONITION_TYPES[:12])}")
        if tok.type == "inline" and tok.map and not in_table:
            heading = i > 0 and tokens[i - 1].type == "heading_open"
            yield from _inline(tok, tok.map[0], at, targets, lines, cursor, anchors, here, heading)
    yield from _heading_ids(text, at)
    yield from _images(body, tokens, env, at, root)
    for line0, line in enumerate(lines):
        if match := PLACEHOLDER.search(line):
            yield error(at(line0, match.start() + 1), "E406", f"placeholder text '{match.group(0)}'",
                        "write the real content")


def _escaped_pipes(inline: Token, cell: Segment, at: Callable[[int, int], Loc]) -> Iterator[Diagnostic]:
    """Inside a code span the site keeps a backslash before a pipe (GitHub drops it)."""
    for child in inline.children or []:
        if child.type == "code_inline" and "\\|" in child.content:
            col = cell.spans[0].start + cell.text.find("\\|") + 1
            yield error(at(cell.line, col), "E408", f"readers see the backslash of \\| in the code span "
                        f"`{child.content}`", "inside a code span a pipe does not end the cell: leave out the "
                        "backslash")


def _heading_ids(text: str, at: Callable[[int, int], Loc]) -> Iterator[Diagnostic]:
    """Explicit heading ids are unique on the page."""
    first: dict[str, int] = {}
    for line0, line in enumerate(text.split("\n")):
        match = HEADING_ID.search(line) if line.lstrip().startswith("#") else None
        if not match:
            continue
        if match["id"] in first:
            yield error(at(line0, match.start("id")), "E410",
                        f"heading id '{match['id']}' is already used at line {first[match['id']] + 1}",
                        "give each heading its own id")
        first.setdefault(match["id"], line0)


def _images(body: m.Markdown, tokens: list[Token], env: dict[str, Any], at: Callable[[int, int], Loc],
            root: Path | None) -> Iterator[Diagnostic]:
    """A relative image must be a file next to the Markdown (inside curriculum/)."""
    if root is None:
        return
    base = (root / body.path).parent if not Path(body.path).is_absolute() else Path(body.path).parent
    if not base.is_dir():
        base = Path(body.path).resolve().parent
    curriculum = (root / "curriculum").resolve()
    for tok in tokens:
        for child in tok.children or [] if tok.type == "inline" and tok.map else []:
            if child.type != "image":
                continue
            src = str(child.attrGet("src") or "")
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^#", src) or not src:
                continue
            path = (base / unquote(src.split("#")[0].split("?")[0])).resolve()
            assert tok.map is not None
            if not path.is_relative_to(curriculum):
                yield error(at(tok.map[0], 1), "E411", f"image '{src}' is outside curriculum/",
                            "keep images next to the Markdown that shows them")
            elif not path.is_file():
                yield error(at(tok.map[0], 1), "E411", f"image '{src}' not found: {display_path(path)}",
                            "add the file, or fix the path (relative to the Markdown file)")


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
                               re.IGNORECASE)


def _inline(tok: Token, line0: int, at: Callable[[int, int], Loc], targets: dict[str, set[str]],
            lines: list[str], cursor: dict[int, int], anchors: dict[tuple[str, str], set[str]],
            here: set[str], heading: bool = False) -> Iterator[Diagnostic]:

    def find(needle: str) -> int | None:
        """1-based column of the next ``needle`` on the current source line."""
        line = lines[line0] if line0 < len(lines) else ""
        found = line.find(needle, cursor.get(line0, 0))
        if found < 0:
            return None
        cursor[line0] = found + len(needle)
        return found + 1

    children = tok.children or []
    for n, child in enumerate(children):
        if child.type == "softbreak" or child.type == "hardbreak":
            line0 += 1
        if child.type == "html_inline" and not child.content.startswith("<!--"):
            yield error(at(line0, find(child.content) or 1), "E405", f"raw HTML is not allowed: {child.content}",
                        "use Markdown instead")
        if child.type == "image" and not child.content.strip():
            yield error(at(line0, find("![") or 1), "E402", f"image '{child.attrGet('src')}' has no alt text",
                        "describe the image: ![what it shows](path)")
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            where = find(f"]({href}")
            yield from _link(href, at(line0, where + 2 if where else 1), targets, anchors, here)
        if child.type == "text" and (bad := UNPARSED_BAD_LINK.search(child.content)):
            target = _until_close(child.content[bad.start(1):])
            where = find(bad.group(0))
            yield error(at(line0, where + 2 if where else 1), "E401", f"link with a forbidden URL scheme: {target}",
                        "link to an https:// page")
        if child.type == "text":
            content = child.content
            if heading and n == len(children) - 1 and (suffix := HEADING_ID.search(content)):
                content = content[: suffix.start()]
            if attrs := ATTR_LIST.search(content):
                yield error(at(line0, find(attrs.group(0)) or 1), "E409",
                            f"attribute lists are not supported: {attrs.group(0)}",
                            "the site shows them as text; only a heading may have an id, at its end: "
                            "## Title {#my-id}")


def _until_close(rest: str) -> str:
    """A link target up to its closing parenthesis (nested pairs allowed) or a space."""
    depth = 0
    for i, ch in enumerate(rest):
        if ch.isspace() or (ch == ")" and depth == 0):
            return rest[:i]
        depth += {"(": 1, ")": -1}.get(ch, 0)
    return rest


def _link(href: str, loc: Loc, targets: dict[str, set[str]], anchors: dict[tuple[str, str], set[str]],
          here: set[str]) -> Iterator[Diagnostic]:
    scheme, _, rest = href.partition(":")
    if href.startswith("#"):
        ident = unquote(href[1:])
        if ident not in here:
            hint = did_you_mean(ident, sorted(here)) or (
                f"give the heading this id at its end: ## Title {{#{ident}}}" if ident else "name a heading's id")
            yield error(loc, "E401", f"link to '#{ident}': no heading on this page has the id '{ident}'", hint)
    elif scheme in LINK_SCHEMES:
        ref, _, fragment = rest.partition("#")
        if ref not in targets[scheme]:
            hint = did_you_mean(ref, sorted(targets[scheme])) or f"use the id of an existing {scheme}"
            yield error(loc, "E401", f"link to unknown {scheme} '{ref}'", hint)
        elif fragment and (scheme, ref) in anchors and unquote(fragment) not in anchors[(scheme, ref)]:
            known = sorted(anchors[(scheme, ref)])
            yield error(loc, "E401", f"link to '{href}': no heading of {scheme} '{ref}' has the id '{fragment}'",
                        did_you_mean(fragment, known) or "link to one of its headings' ids, or leave out the #part")
    elif scheme.lower() in ("javascript", "vbscript", "data", "file"):
        yield error(loc, "E401", f"link with a forbidden URL scheme: {href}", "link to an https:// page")
    elif not scheme or "/" in scheme or "." in scheme and not rest:
        yield error(loc, "E401", f"relative link '{href}' is not allowed",
                    "link course pages by id, e.g. (module:core-01-leading-with-data), "
                    "and external pages with https://")
    elif scheme not in ("http", "https", "mailto"):
        yield error(loc, "E401", f"link with an unknown scheme: {href}",
                    f"use https:// or one of {', '.join(s + ':' for s in LINK_SCHEMES)}")


def _one_line(d: Diagnostic) -> Diagnostic:
    """Values quoted in a message (ids, references) may hold line breaks; a diagnostic is one line."""
    if "\n" not in d.message + d.hint and "\r" not in d.message + d.hint:
        return d
    return Diagnostic(d.loc, d.code, one_line(d.message, 10_000), one_line(d.hint, 10_000), d.severity)


# The city case library: the course's Markdown rules on each story --------------------------------

def rule_case_markdown(cur: m.Curriculum) -> Iterator[Diagnostic]:
    """The course's Markdown rules on each story (read with its footnotes) and on title and summary."""
    targets: dict[str, set[str]] = {scheme: set() for scheme in LINK_SCHEMES}
    targets |= {"module": {x.id for x in cur.modules} | set(cur.unreadable),
                "workshop": {x.id for x in cur.workshops} | set(cur.unreadable),
                "glossary": {x.id for x in cur.glossary}, "page": {x.id for x in cur.pages},
                "track": {x.id for x in cur.tracks} | set(cur.unreadable), "case": {x.id for x in cur.cases}}
    anchors = {("module", x.id): anchors_of(x.reading) for x in cur.modules}
    anchors |= {("page", x.id): anchors_of(x.body) for x in cur.pages}
    anchors |= {("case", x.id): anchors_of(x.body) for x in cur.cases}
    for case in cur.cases:
        story = with_footnotes(case)
        if story is not None:
            for diag in check_markdown(story, targets, anchors, Path(cur.root)):
                if case.published or diag.code != "E406":
                    yield diag
        for key in ("title", "summary"):
            value = getattr(case, key)
            if not value:
                continue
            yield from check_yaml_markdown(value, case.loc(key), targets, anchors, set())
            if case.published and (match := PLACEHOLDER.search(value)):
                yield error(case.loc(key), "E406", f"placeholder text '{match.group(0)}'", "write the real content")
            if tag := HTML_TAG.search(value):
                yield error(case.loc(key), "E405", f"raw HTML is not allowed: {tag.group(0)}", "use Markdown instead")


DEFAULT_RULES: tuple[Rule, ...] = (
    rule_unique_ids, rule_ids_match_files, rule_references, rule_modules_listed,
    rule_prerequisite_cycles, rule_agendas, rule_glossary_terms, rule_languages, rule_glossary_languages,
    rule_placeholders, rule_required_tracks,
    *CASE_RULES, rule_case_markdown,  # the city case library: build_tools/source/cases.py
    *HANDOUT_RULES,  # workshop handouts: build_tools/source/handouts.py
)


def validate(cur: m.Curriculum, rules: Iterable[Rule] = (*DEFAULT_RULES, rule_markdown)) -> list[Diagnostic]:
    """Run every rule and return all diagnostics."""
    return [_one_line(d) for rule in rules for d in rule(cur)]
