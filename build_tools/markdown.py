"""The one Markdown parser: markdown-it-py configured for MkDocs-flavoured Markdown.

Adds a block rule for Material's containers, ``!!! type "Title"``, ``??? type "Title"``,
``???+``, and content tabs ``=== "Title"``, each with a 4-space indented body. Unlike
mdit-py-plugins' admonition rule it never invents a title: a translator only sees titles
an author wrote. Every token keeps its source line map.
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

CONTAINER = re.compile(r'^(?P<marker>!!!|\?\?\?\+?|===\+?)(?:[ ]+(?P<kind>[A-Za-z][\w-]*))?'
                       r'(?:[ ]+"(?P<title>(?:[^"\\]|\\.)*)")?[ ]*$')


def _container(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    line = state.src[pos:state.eMarks[start]]
    if not line[:1] in ("!", "?", "="):
        return False
    match = CONTAINER.match(line)
    if not match:
        return False
    marker = match["marker"]
    if marker.startswith("=") and match["kind"]:
        return False
    if not marker.startswith("=") and not match["kind"]:
        return False
    if silent:
        return True
    indent = state.sCount[start] + 4
    nxt = start + 1
    while nxt < end:
        blank = state.isEmpty(nxt)
        if not blank and state.sCount[nxt] < indent:
            break
        nxt += 1
    # Trailing blank lines belong to what follows.
    last = nxt
    while last > start + 1 and state.isEmpty(last - 1):
        last -= 1
    token = state.push("container_open", "div", 1)
    token.markup = marker
    token.info = match["kind"] or ""
    token.meta = {"title": match["title"], "kind": match["kind"] or "tab"}
    token.map = [start, last]
    old_indent, old_parent, old_max = state.blkIndent, state.parentType, state.lineMax
    state.blkIndent = indent
    state.parentType = "container"  # type: ignore[assignment]
    state.lineMax = last
    state.md.block.tokenize(state, start + 1, last)
    state.blkIndent, state.parentType, state.lineMax = old_indent, old_parent, old_max
    close = state.push("container_close", "div", -1)
    close.markup = marker
    state.line = last
    return True


@cache
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.block.ruler.before("fence", "container", _container,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    return md


def parse(text: str) -> list[Token]:
    return parser().parse(text)
