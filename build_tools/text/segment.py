"""The segmenter: the only code that decides what a translatable message is.

:func:`segment` finds the messages of a Markdown body: headings, paragraphs (also inside
list items, block quotes, admonitions, tabs, footnotes and definitions), table cells,
definition terms, admonition/tab titles, abbreviation expansions and link titles. Each keeps
the exact character spans it came from, so :func:`apply` can write a translation back in
place: everything that is not a message (indentation, list markers, task boxes, heading ids,
fences, admonition markers, table layout, link targets, HTML comments) stays byte-identical.

Blocks are found with markdown-it-py (:mod:`build_tools.text.markdown`); table rows are split
into cells the way the site's renderer splits them (Python-Markdown: a pipe inside a code span
does not end a cell, ``\\|`` is a literal pipe). :mod:`build_tools.text.structure` checks that the
two parsers agree on every body.

Invariant (tested with Hypothesis): ``apply(text, lambda s: s.text) == text``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it.token import Token

from build_tools.text.heading_ids import HEADING_ID
from build_tools.text.markdown import (
    ABBR_DEF,
    CONTAINER,
    cell_pipes,
    parse_blocks,
    parse_blocks_env,
    parse_env,
)

DIRECTIVE = re.compile(r"^\s*<!--\s*i18n(?P<skip>:skip)?\s*(?::\s*(?P<note>.*?))?\s*-->\s*$", re.DOTALL)
TASK_BOX = re.compile(r" *\[[ xX]\] +")  # pymdownx.tasklist's checkbox at the start of an item
LINK_TITLE = (re.compile(r'"(?P<t>(?:[^"\\]|\\.)*)"[ \t]*$'), re.compile(r"'(?P<t>(?:[^'\\]|\\.)*)'[ \t]*$"),
              re.compile(r"\((?P<t>(?:[^()\\]|\\.)*)\)[ \t]*$"))
PLAIN_KINDS = frozenset({"title", "abbr", "link-title"})
"""Kinds shown as plain text (titles, tooltips): an English fallback there carries no markup."""


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of source line ``line`` (0-based)."""

    line: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """One message: its text (the msgid), kind, 0-based first line, and translator note.

    Kinds: ``heading``, ``paragraph``, ``cell``, ``term`` (a definition list's term),
    ``title`` (admonition or tab), ``abbr`` (an abbreviation's expansion), ``link-title``
    (the title of a link reference definition). Only paragraphs may span several lines.
    """

    text: str
    kind: str
    line: int
    spans: tuple[Span, ...]
    note: str = ""
    skipped: bool = False


class SegmentError(ValueError):
    """The parser's view of a block does not match the source text."""


# -- table rows, split as Python-Markdown's tables extension splits them ------------------

_END_BORDER = re.compile(r"(?<!\\)(?:\\\\)*\|$")


def row_cells(line: str, start: int, end: int, border: bool) -> list[tuple[int, int]]:
    """The ``(start, end)`` character ranges of each cell of a table row ``line[start:end]``,
    spaces around each cell excluded (Python-Markdown strips spaces, not tabs)."""
    while start < end and line[start] == " ":
        start += 1
    while end > start and line[end - 1] == " ":
        end -= 1
    if border:
        if line.startswith("|", start):
            start += 1
        match = _END_BORDER.search(line[start:end])
        if match:
            end = start + match.end() - 1
    row = line[start:end]
    bounds = [-1, *cell_pipes(row), len(row)]
    cells = []
    for before, b in itertools.pairwise(bounds):
        a = before + 1
        while a < b and row[a] == " ":
            a += 1
        while b > a and row[b - 1] == " ":
            b -= 1
        cells.append((start + a, start + b))
    return cells


def escape_pipes(text: str) -> str:
    """Make a translated cell safe inside a row: escape every pipe that would end the cell."""
    for pos in reversed(cell_pipes(text)):
        text = text[:pos] + "\\" + text[pos:]
    trailing = len(text) - len(text.rstrip("\\"))
    return text + "\\" if trailing % 2 else text


def _table_segments(tok: Token, lines: list[str]) -> list[Segment]:
    rows: list[tuple[int, int, int]] = tok.meta.get("rows", [])
    if len(rows) < 2:
        return []
    head_line, head_start, head_end = rows[0]
    header = lines[head_line][head_start:head_end].strip(" ")
    border = header.startswith("|") or _END_BORDER.search(header) is not None
    sep_line, sep_start, sep_end = rows[1]
    columns = len(row_cells(lines[sep_line], sep_start, sep_end, border))
    out = []
    for row, start, end in [rows[0], *rows[2:]]:
        for a, b in row_cells(lines[row], start, end, border)[:columns]:
            if a < b:
                out.append(Segment(lines[row][a:b], "cell", row, (Span(row, a, b),)))
    return out


# -- spans of other blocks ----------------------------------------------------------------

def _suffix_spans(lines: list[str], first: int, content: str) -> tuple[Span, ...]:
    spans = []
    for i, part in enumerate(content.split("\n")):
        src = lines[first + i]
        trimmed = src.rstrip(" \t")
        base = src if src.endswith(part) else trimmed
        if not base.endswith(part):
            raise SegmentError(f"line {first + i + 1}: cannot locate {part!r}")
        spans.append(Span(first + i, len(base) - len(part), len(base)))
    return tuple(spans)


def _heading_span(lines: list[str], first: int, content: str) -> tuple[Span, ...]:
    src = lines[first]
    start = src.find(content, len(src) - len(src.lstrip(" #")))
    if start < 0:
        raise SegmentError(f"line {first + 1}: cannot locate heading {content!r}")
    return (Span(first, start, start + len(content)),)


def _link_titles(env: dict[str, Any], lines: list[str]) -> list[Segment]:
    """Titles of link reference definitions (``[label]: https://... "Title"``), one line each."""
    out = []
    for ref in (env.get("references") or {}).values():
        if not ref.get("title") or not ref.get("map"):
            continue
        row = ref["map"][1] - 1
        src = lines[row]
        for pattern in LINK_TITLE:
            match = pattern.search(src)
            if match and match["t"].strip() and _unescape(match["t"]) == ref["title"]:
                out.append(Segment(match["t"], "link-title", row, (Span(row, match.start("t"), match.end("t")),)))
                break
    return out


def _unescape(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


# -- segmentation -------------------------------------------------------------------------

def segment(text: str) -> list[Segment]:
    """Split a Markdown body into messages, in document order."""
    return [s for s in _segment(text) if not s.skipped]


def passages(text: str) -> list[Segment]:
    """Every passage readers see, messages and ``<!-- i18n:skip -->`` blocks alike (for checks)."""
    return list(_segment(text))


BODIES = 4096
"""How many bodies the per-body caches keep: every module, workshop, page and case of an 800-module
course, so that extraction, each language's pages and the checks parse a body once."""


@lru_cache(maxsize=BODIES)
def _segment(text: str) -> tuple[Segment, ...]:
    """Cached: extraction and each language's application segment the same bodies."""
    lines = text.split("\n")
    tokens, env = parse_blocks_env(text)  # messages are blocks and their text: no inline parsing
    out: list[Segment] = []
    note, note_until, skip_until = "", -1, -1
    pending_note, pending_skip = "", False
    in_table = False
    for idx, tok in enumerate(tokens):
        if tok.type in ("table_open", "table_close"):
            in_table = tok.type == "table_open"
        skipped = skip_until >= 0 and idx <= skip_until
        if tok.type == "html_block":
            match = DIRECTIVE.match(tok.content) if not skipped else None
            if match:
                pending_skip = pending_skip or bool(match["skip"])
                if match["note"]:
                    pending_note = match["note"].strip()
            continue
        if (not skipped and tok.block and tok.nesting in (0, 1) and (pending_note or pending_skip)
                and tok.type != "inline"):
            end = _block_end(tokens, idx)
            if pending_skip:
                skip_until, skipped = end, True
                pending_skip, pending_note = False, ""
            else:
                note, note_until = pending_note, end
                pending_note = ""
        current_note = note if note and idx <= note_until and not skipped else ""
        if tok.type == "table_open":
            found = _table_segments(tok, lines)
        elif in_table:
            continue  # the cells come from the row split above
        else:
            found = _segment_at(tokens, idx, lines)
        for seg in found:
            out.append(Segment(seg.text, seg.kind, seg.line, seg.spans, current_note, skipped))
    out.extend(_link_titles(env, lines))
    return tuple(sorted(out, key=lambda s: (s.line, s.spans[0].start)))


def _block_end(tokens: list[Token], idx: int) -> int:
    """Index of the token that closes the block opened at ``idx``."""
    if tokens[idx].nesting == 0:
        return idx
    depth = 0
    for j in range(idx, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _segment_at(tokens: list[Token], idx: int, lines: list[str]) -> list[Segment]:
    tok = tokens[idx]
    if tok.type == "container_open" and tok.meta.get("title") and tok.map:
        row = tok.map[0]
        src = lines[row]
        indent = len(src) - len(src.lstrip(" "))
        match = CONTAINER.match(src[indent:])
        if not match or not match["title"].strip():
            return []
        start, end = indent + match.start("title"), indent + match.end("title")
        return [Segment(src[start:end], "title", row, (Span(row, start, end),))]
    if tok.type == "abbr_def" and tok.map:
        row = tok.map[0]
        src = lines[row]
        indent = len(src) - len(src.lstrip(" "))
        match = ABBR_DEF.match(src[indent:])
        if not match:
            return []
        start, end = indent + match.start("title"), indent + match.end("title")
        return [Segment(src[start:end], "abbr", row, (Span(row, start, end),))]
    if tok.type != "inline" or not tok.content.strip() or tok.map is None:
        return []
    opener = tokens[idx - 1].type
    first = tok.map[0]
    content = tok.content
    if opener == "heading_open":
        if match := HEADING_ID.search(content):
            content = content[: match.start()]
        return [Segment(content, "heading", first, _heading_span(lines, first, content))] if content.strip() else []
    if opener == "dt_open":
        return [Segment(content, "term", first, _suffix_spans(lines, first, content))]
    if opener == "paragraph_open":
        if idx >= 2 and tokens[idx - 2].type == "list_item_open" and (box := TASK_BOX.match(content)):
            content = content[box.end():]
            if not content.strip():
                return []
        return [Segment(content, "paragraph", first, _suffix_spans(lines, first, content))]
    return []


# -- writing translations back ------------------------------------------------------------

def apply(text: str, translate: Callable[[Segment], str | None]) -> str:
    """Replace every message for which ``translate`` returns text; keep the rest as is.

    A translated cell has its pipes escaped; a table row whose cells would still not read back
    as written (an unpaired backtick pairing with the next cell's, say) keeps its source text:
    a translation never breaks the table around it.
    """
    lines = text.split("\n")
    row: tuple[int, str, dict[int, str]] | None = None  # the row being written: line, source, new cells
    for seg in reversed(segment(text)):
        if row and row[0] != seg.line:
            _check_row(lines, *row)
            row = None
        new = translate(seg)
        if new is None or new == seg.text:
            continue
        if seg.kind == "cell":
            row = row or (seg.line, lines[seg.line], {})
            new = escape_pipes(new.replace("\n", " ").strip(" ")) or seg.text
            row[2][seg.spans[0].start] = new
        _replace(lines, seg, new)
    if row:
        _check_row(lines, *row)
    return "\n".join(lines)


def _check_row(lines: list[str], line: int, source: str, cells: dict[int, str]) -> None:
    """Restore the source of a row whose translated cells do not split back into themselves."""
    expected = [cells.get(a, source[a:b]) for a, b in row_cells(source, 0, len(source), True)]
    got = [lines[line][a:b] for a, b in row_cells(lines[line], 0, len(lines[line]), True)]
    if got != expected:
        lines[line] = source


def _replace(lines: list[str], seg: Segment, new: str) -> None:
    parts = new.split("\n")
    spans = seg.spans
    if len(parts) == len(spans):
        for span, part in zip(reversed(spans), reversed(parts), strict=True):
            src = lines[span.line]
            lines[span.line] = src[:span.start] + part + src[span.end:]
        return
    first, last = spans[0], spans[-1]
    cont = lines[spans[1].line][:spans[1].start] if len(spans) > 1 else " " * first.start
    head = lines[first.line][:first.start]
    tail = lines[last.line][last.end:]
    joined = ("\n" + cont).join(parts)
    lines[first.line:last.line + 1] = (head + joined + tail).split("\n")


@lru_cache(maxsize=BODIES)
def definitions(text: str) -> str:
    """The body's link reference definitions, abbreviations and footnote labels, one per line.

    Rendered after a passage, they make ``[text][label]``, ``CDO`` and ``[^1]`` render as they do
    on the page (the safety guard compares translations rendered this way).
    """
    tokens, env = parse_env(text)
    lines = text.split("\n")
    out = [lines[ref["map"][0]:ref["map"][1]] for ref in (env.get("references") or {}).values() if ref.get("map")]
    found = [line.strip() for group in out for line in group]
    found += [lines[t.map[0]].strip() for t in tokens if t.type == "abbr_def" and t.map]
    labels = sorted({str(t.meta.get("label")) for t in tokens if t.type == "footnote_open"})
    found += [f"[^{label}]: ." for label in labels]
    return "\n".join(found)


# -- what the generator adds around messages ------------------------------------------------

def with_titles(text: str, title: Callable[[str], str]) -> str:
    """Give every untitled admonition (``!!! note``, ``??? warning``) an explicit title.

    The site would show the type's English name ("Note"); ``title(kind)`` gives it in the
    reader's language.
    """
    lines = text.split("\n")
    for tok in parse_blocks(text):
        if tok.type != "container_open" or tok.meta.get("title") is not None or not tok.map:
            continue
        if tok.meta.get("kind") == "tab":
            continue
        row = tok.map[0]
        words = title(str(tok.meta["kind"])).replace('"', "'").replace("\n", " ").strip()
        if words:
            lines[row] = f'{lines[row].rstrip()} "{words}"'
    return "\n".join(lines)
