"""The segmenter: the only code that decides what a translatable message is.

:func:`segment` finds the messages of a Markdown body: headings, paragraphs (also inside
list items, block quotes, admonitions and tabs), table cells and admonition/tab titles.
Each keeps the exact character spans it came from, so :func:`apply` can write a
translation back in place: everything that is not a message (indentation, list markers,
fences, admonition markers, table layout, HTML comments) stays byte-identical.

Invariant (tested with Hypothesis): ``apply(text, lambda s: s.text) == text``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it.token import Token

from build_tools.markdown import CONTAINER, parse

DIRECTIVE = re.compile(r"^\s*<!--\s*i18n(?P<skip>:skip)?\s*(?::\s*(?P<note>.*?))?\s*-->\s*$", re.S)


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of source line ``line`` (0-based)."""

    line: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Segment:
    """One message: its text (the msgid), kind, 0-based first line, and translator note."""

    text: str
    kind: str
    line: int
    spans: tuple[Span, ...]
    note: str = ""


class SegmentError(ValueError):
    """The parser's view of a block does not match the source text."""


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


def segment(text: str) -> list[Segment]:
    """Split a Markdown body into messages, in document order."""
    return list(_segment(text))


@lru_cache(maxsize=256)
def _segment(text: str) -> tuple[Segment, ...]:
    """Cached: extraction and each language's application segment the same bodies."""
    lines = text.split("\n")
    tokens = parse(text)
    out: list[Segment] = []
    note, note_until, skip_until = "", -1, -1
    pending_note, pending_skip = "", False
    cells: dict[int, int] = {}
    for idx, tok in enumerate(tokens):
        if skip_until >= 0 and idx <= skip_until:
            continue
        if tok.type == "html_block":
            match = DIRECTIVE.match(tok.content)
            if match:
                pending_skip = pending_skip or bool(match["skip"])
                if match["note"]:
                    pending_note = match["note"].strip()
            continue
        if tok.block and tok.nesting in (0, 1) and (pending_note or pending_skip) and tok.type != "inline":
            end = _block_end(tokens, idx)
            if pending_skip:
                skip_until = end
                pending_skip, pending_note = False, ""
                continue
            note, note_until = pending_note, end
            pending_note = ""
        current_note = note if note and idx <= note_until else ""
        seg = _segment_at(tokens, idx, lines, cells)
        if seg is not None:
            out.append(Segment(seg.text, seg.kind, seg.line, seg.spans, current_note))
    return tuple(out)


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


def _segment_at(tokens: list[Token], idx: int, lines: list[str], cells: dict[int, int]) -> Segment | None:
    tok = tokens[idx]
    if tok.type == "container_open" and tok.meta.get("title") and tok.map:
        row = tok.map[0]
        src = lines[row]
        indent = len(src) - len(src.lstrip(" "))
        match = CONTAINER.match(src[indent:])
        if not match or not match["title"].strip():
            return None
        start, end = indent + match.start("title"), indent + match.end("title")
        return Segment(src[start:end], "title", row, (Span(row, start, end),))
    if tok.type != "inline" or not tok.content.strip() or tok.map is None:
        return None
    opener = tokens[idx - 1].type
    first = tok.map[0]
    if opener == "heading_open":
        return Segment(tok.content, "heading", first, _heading_span(lines, first, tok.content))
    if opener in ("th_open", "td_open"):
        src = lines[first]
        pos = src.find(tok.content, cells.get(first, 0))
        if pos < 0:
            raise SegmentError(f"line {first + 1}: cannot locate table cell {tok.content!r}")
        cells[first] = pos + len(tok.content)
        return Segment(tok.content, "cell", first, (Span(first, pos, pos + len(tok.content)),))
    if opener == "paragraph_open":
        return Segment(tok.content, "paragraph", first, _suffix_spans(lines, first, tok.content))
    return None


def apply(text: str, translate: Callable[[Segment], str | None]) -> str:
    """Replace every message for which ``translate`` returns text; keep the rest as is."""
    lines = text.split("\n")
    for seg in reversed(segment(text)):
        new = translate(seg)
        if new is None or new == seg.text:
            continue
        _replace(lines, seg, new)
    return "\n".join(lines)


def _replace(lines: list[str], seg: Segment, new: str) -> None:
    parts = new.split("\n")
    spans = seg.spans
    if len(parts) == len(spans):
        for span, part in zip(reversed(spans), reversed(parts)):
            src = lines[span.line]
            lines[span.line] = src[:span.start] + part + src[span.end:]
        return
    first, last = spans[0], spans[-1]
    cont = lines[spans[1].line][:spans[1].start] if len(spans) > 1 else " " * first.start
    head = lines[first.line][:first.start]
    tail = lines[last.line][last.end:]
    joined = ("\n" + cont).join(parts)
    lines[first.line:last.line + 1] = (head + joined + tail).split("\n")
