"""The one Markdown parser: markdown-it-py configured for MkDocs-flavoured Markdown.

Adds a block rule for Material's containers, ``!!! type "Title"``, ``??? type "Title"``,
``???+``, and content tabs ``=== "Title"``, each with a 4-space indented body. Unlike
mdit-py-plugins' admonition rule it never invents a title: a translator only sees titles
an author wrote. Also footnotes and definition lists (mdit-py-plugins) and abbreviation
definitions ``*[CDO]: Chief data officer``, the syntax the site's extensions render
(``footnotes``, ``def_list``, ``abbr``). Every token keeps its source line map.
"""

from __future__ import annotations

import copy
import importlib
import itertools
import re
import threading
from functools import cache, lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.table import table as gfm_table
from markdown_it.rules_core import StateCore, text_join
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_tail

CONTAINER = re.compile(r'^(?P<marker>!!!|\?\?\?\+?|===\+?)(?:[ ]+(?P<kind>[A-Za-z][\w-]*))?'
                       r'(?:[ ]+"(?P<title>(?:[^"\\]|\\.)*)")?[ ]*$')


def _container(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    line = state.src[pos:state.eMarks[start]]
    if line[:1] not in ("!", "?", "="):
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
    state.parentType = "container"
    state.lineMax = last
    state.md.block.tokenize(state, start + 1, last)
    state.blkIndent, state.parentType, state.lineMax = old_indent, old_parent, old_max
    close = state.push("container_close", "div", -1)
    close.markup = marker
    state.line = last
    return True


# Python-Markdown's abbr extension: ``*[ABBR]: Expansion`` (here the expansion on the same line).
ABBR_DEF = re.compile(r"^\*\[(?P<abbr>[^\\\]]+?)\] ?:[ ]*(?P<title>\S.*?)[ ]*$")


def _abbr(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    line = state.src[pos:state.eMarks[start]]
    match = ABBR_DEF.match(line) if line.startswith("*[") else None
    if not match:
        return False
    if silent:
        return True
    token = state.push("abbr_def", "", 0)
    token.map = [start, start + 1]
    token.meta = {"abbr": match["abbr"], "title": match["title"]}
    token.content = line
    state.line = start + 1
    return True


_SPLIT = threading.Lock()
table_rule = importlib.import_module("markdown_it.rules_block.table")  # the module, not its function


_CODE_PIPES = re.compile(r"(?:(\\\\)|(\\`+)|(`+)|(\\\|)|(\|))")


def cell_pipes(row: str) -> list[int]:
    """Positions of the pipes that separate cells in ``row``: not escaped, not inside a code span.

    A port of ``markdown.extensions.tables.TableProcessor._split`` (BSD licence).
    """
    pipes: list[int] = []
    tics: list[int] = []
    tic_points: list[tuple[int, int, int]] = []
    for m in _CODE_PIPES.finditer(row):
        if m.group(2):
            tics.append(len(m.group(2)) - 1)
            tic_points.append((m.start(2), m.end(2) - 1, 1))
        elif m.group(3):
            tics.append(len(m.group(3)))
            tic_points.append((m.start(3), m.end(3) - 1, 0))
        elif m.group(5):
            pipes.append(m.start(5))
    regions: list[tuple[int, int]] = []
    pos = 0
    while pos < len(tics):
        size = tics[pos] - tic_points[pos][2]
        if size != 0 and size in tics[pos + 1:]:
            index = tics[pos + 1:].index(size) + 1
            regions.append((tic_points[pos][0], tic_points[pos + index][1]))
            pos += index + 1
        else:
            pos += 1
    return [p for p in pipes if not any(a <= p <= b for a, b in regions)]


def _renderer_split(row: str) -> list[str]:
    """A row's cells as the site's renderer splits them: a pipe in a code span stays in its cell."""
    bounds = [-1, *cell_pipes(row), len(row)]
    return [row[a + 1:b] for a, b in itertools.pairwise(bounds)]


def _table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's table rule, splitting rows as Python-Markdown does (GFM would also split at a
    pipe inside a code span), and recording where each row's text is on its source line.

    ``table_open.meta["rows"]`` is ``[(line, start, end), ...]``: the segmenter splits rows into
    cells itself, the way the site's renderer does.
    """
    first = len(state.tokens)
    with _SPLIT:
        names = vars(table_rule)
        gfm_split, names["escapedSplit"] = names["escapedSplit"], _renderer_split
        try:
            found = gfm_table(state, start, end, silent)
        finally:
            names["escapedSplit"] = gfm_split
    if not found:
        return False
    if not silent:
        rows = []
        for line in range(start, state.line):
            pos = state.bMarks[line] + state.tShift[line]
            line_start = state.src.rfind("\n", 0, pos) + 1
            rows.append((line, pos - line_start, state.eMarks[line] - line_start))
        state.tokens[first].meta = {**(state.tokens[first].meta or {}), "rows": rows}
    return True


def _configured() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.block.ruler.at("table", _table, {"alt": ["paragraph", "reference"]})
    md.block.ruler.before("fence", "container", _container,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.before("reference", "abbr_def", _abbr, {"alt": ["paragraph", "reference"]})
    md.use(footnote_plugin, inline=False).use(deflist_plugin)
    return md


@cache
def parser() -> MarkdownIt:
    return _configured()


@cache
def _block_parser() -> MarkdownIt:
    """The same parser without inline parsing: blocks, their inline tokens' text, the references.
    Footnote definitions stay where they are written (the full parse moves those referenced to the
    end, in the order of their references, which only inline parsing knows)."""
    return _configured().disable(["inline", "footnote_tail", "text_join"])


@lru_cache(maxsize=4096)
def _blocks(text: str) -> tuple[tuple[Token, ...], dict[str, Any]]:
    """Each text's blocks parsed once per process: validation, segmentation, the admonition titles
    and the checks parse the same bodies, and ``cda serve`` regenerates the course on every save.
    The tokens are shared, so nothing may change them (nothing outside the parser's rules does)."""
    env: dict[str, Any] = {}
    return tuple(_block_parser().parse(text, env)), env


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[tuple[Token, ...], dict[str, Any]]:
    """The blocks with their inline tokens parsed (copies: the blocks stay shared), then the core
    rules that follow inline parsing: the same tokens as one full parse."""
    md = parser()
    blocks, block_env = _blocks(text)
    env = copy.deepcopy(block_env)
    tokens = []
    for tok in blocks:
        if tok.type == "inline":
            tok = copy.copy(tok)
            tok.children = []
            md.inline.parse(tok.content, md, env, tok.children)
        tokens.append(tok)
    state = StateCore(text, md, env)
    state.tokens = tokens
    footnote_tail(state)
    text_join(state)
    return tuple(state.tokens), env


def parse_blocks(text: str) -> list[Token]:
    """The blocks of ``text``; its ``inline`` tokens hold their text but no children (for what only
    needs the block structure: segmentation, headings, admonition titles)."""
    return list(_blocks(text)[0])


def parse_blocks_env(text: str) -> tuple[list[Token], dict[str, Any]]:
    """Blocks and the parser's environment (``references``: link reference definitions)."""
    tokens, env = _blocks(text)
    return list(tokens), copy.deepcopy(env)


def parse(text: str) -> list[Token]:
    return list(_parsed(text)[0])


def parse_env(text: str) -> tuple[list[Token], dict[str, Any]]:
    """Tokens and the parser's environment (``references``: link reference definitions); the
    environment is the caller's own copy (inline parsing with it adds footnotes to it)."""
    tokens, env = _parsed(text)
    return list(tokens), copy.deepcopy(env)
