"""Block structure: what the segmenter reads, what readers get, and where the two differ.

The segmenter reads Markdown with markdown-it-py (CommonMark); the site renders it with
Python-Markdown. They disagree on some inputs: two-space nesting, a reference definition with
angle brackets, lists that merge, a table that does not start its own block. Where they do,
translators get messages that do not match the page. :func:`differences` compares the two
block trees of a body (headings, paragraphs, lists and items, tables, rows and cells,
admonitions, tabs, definitions, footnotes, code blocks) and says, for each place they differ,
what readers see and how to write it instead. :func:`heading_ids` gives each heading the id
the site gives it.
"""

from __future__ import annotations

import difflib
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it.token import Token

from build_tools.base.cache import persisted
from build_tools.text.markdown import parse_env, parser
from build_tools.text.renderer import render_cached
from build_tools.text.segment import _END_BORDER, BODIES, TASK_BOX, passages, row_cells

WORDED = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "td"}
LEAVES = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "th", "td", "pre", "hr", "title", "html"}
DESCRIBE = {
    "p": "a paragraph", "h1": "a level-1 heading", "h2": "a heading", "h3": "a heading", "h4": "a heading",
    "h5": "a heading", "h6": "a heading", "ul": "a bulleted list", "li": "a list item", "blockquote": "a quote",
    "table": "a table", "tr": "a table row", "th": "a table header cell", "td": "a table cell", "pre": "a code block",
    "hr": "a horizontal rule", "dl": "a definition list", "dt": "a defined term", "dd": "a definition",
    "title": "a title", "tab": "a content tab", "footnotes": "the footnotes", "html": "raw HTML",
}


@dataclass
class Node:
    """A block; ``inline`` counts what its text holds (links, images, code, breaks, footnote refs)."""

    kind: str
    line: int | None = None
    text: str = ""
    children: list[Node] = field(default_factory=list)
    inline: Counter[str] = field(default_factory=Counter)

    @property
    def key(self) -> tuple[str, tuple[tuple[str, int], ...], str]:
        """What both parsers must agree on: the kind, the inline counts, the first word readers see."""
        first = re.search(r"\w+", self.text) if self.kind in WORDED else None
        return self.kind, tuple(sorted((k, v) for k, v in self.inline.items() if v)), first.group(0).lower() if first else ""


@dataclass(frozen=True)
class Difference:
    """One place where readers get another structure than the segmenter reads (0-based line)."""

    line: int
    message: str
    hint: str


def describe(kind: str) -> str:
    if kind.startswith("ol:"):
        start = kind[3:]
        return "a numbered list" + ("" if start == "1" else f" starting at {start}")
    if kind.startswith(("admonition:", "details:")):
        what, _, sort = kind.partition(":")
        return f"{'an' if what == 'admonition' else 'a collapsible'} '{sort}' {'admonition' if what == 'admonition' else 'block'}"
    if kind.startswith("fn:"):
        return f"footnote [^{kind[3:]}]"
    return DESCRIBE.get(kind, kind)


# -- the segmenter's view ---------------------------------------------------------------

def _container_kind(tok: Token) -> str:
    kind = str(tok.meta.get("kind") or "")
    if tok.markup.startswith("="):
        return "tab"
    return f"{'admonition' if tok.markup == '!!!' else 'details'}:{kind}"


def segmenter_tree(text: str) -> Node:
    """The block tree markdown-it-py reads (table rows split as the segmenter splits them)."""
    tokens, _ = parse_env(text)
    lines = text.split("\n")
    root = Node("root")
    stack = [root]
    skip = 0
    leaf: Node | None = None
    for tok in tokens:
        line = tok.map[0] if tok.map else None
        if skip:
            if tok.type == "inline" and leaf is not None:
                leaf.inline = _inline_counts(tok)
                content = tok.content
                if stack[-1].kind == "li" and stack[-1].children[0] is leaf and (box := TASK_BOX.match(content)):
                    content = content[box.end():]  # a task's checkbox, not text
                leaf.text = _visible(content)
            skip += tok.nesting
            continue
        parent = stack[-1]
        kind = _token_kind(tok)
        if tok.type == "table_open":
            parent.children.append(_table(tok, lines, line))
            skip, leaf = 1, None
            continue
        if tok.type == "html_block":  # passed through: what it renders to on its own
            parent.children.extend(_strip_lines(renderer_tree(render_cached(tok.content)).children, line))
            continue
        if kind is None:
            if tok.nesting == 1:
                stack.append(parent)  # transparent: keep the depth
            elif tok.nesting == -1 and len(stack) > 1:
                stack.pop()
            continue
        node = Node(kind, line)
        parent.children.append(node)
        if tok.type == "container_open":
            title = tok.meta.get("title")
            if kind == "tab":
                node.children.append(Node("title", line))
            elif title is None or title != "":
                node.children.append(Node("title", line, inline=_inline_of(title or "")))
        if kind in LEAVES:
            skip, leaf = (1, node) if tok.nesting == 1 else (0, None)
            continue
        if tok.nesting == 1:
            stack.append(node)
    return _normalise(root)


INLINE_KINDS = {"link_open": "link", "image": "image", "code_inline": "code", "hardbreak": "line break",
                "footnote_ref": "footnote reference"}


def _inline_counts(tok: Token) -> Counter[str]:
    return Counter(INLINE_KINDS[c.type] for c in tok.children or [] if c.type in INLINE_KINDS)


def _visible(inline: str) -> str:
    """The text readers see in a piece of inline Markdown (markup removed), shortened."""
    rendered = parser().renderInline(inline[:400])
    return html.unescape(re.sub(r"<[^>]*>", "", rendered))[:200]


def _inline_of(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for tok in parser().parseInline(text, {}):
        found += _inline_counts(tok)
    return found


def _token_kind(tok: Token) -> str | None:
    if tok.nesting == -1:
        return None
    simple = {"paragraph_open": "p", "bullet_list_open": "ul", "list_item_open": "li", "blockquote_open": "blockquote",
              "dl_open": "dl", "dt_open": "dt", "dd_open": "dd", "fence": "pre", "code_block": "pre", "hr": "hr",
              "footnote_block_open": "footnotes"}
    if tok.type in simple:
        return simple[tok.type]
    if tok.type == "heading_open":
        return tok.tag
    if tok.type == "ordered_list_open":
        return f"ol:{tok.attrGet('start') or 1}"
    if tok.type == "container_open":
        return _container_kind(tok)
    if tok.type == "footnote_open":
        return f"fn:{tok.meta.get('label')}"
    return None


def _table(tok: Token, lines: list[str], line: int | None) -> Node:
    table = Node("table", line)
    rows: list[tuple[int, int, int]] = tok.meta.get("rows", [])
    if len(rows) < 2:
        return table
    header = lines[rows[0][0]][rows[0][1]:rows[0][2]].strip(" ")
    border = header.startswith("|") or _END_BORDER.search(header) is not None
    columns = len(row_cells(lines[rows[1][0]], rows[1][1], rows[1][2], border))
    for i, (row, start, end) in enumerate([rows[0], *rows[2:]] if len(rows) > 2 else [rows[0], (rows[1][0], 0, 0)]):
        cell = "th" if i == 0 else "td"
        bounds = row_cells(lines[row], start, end, border)[:columns] if end else []
        texts = [lines[row][a:b] for a, b in bounds] + [""] * (columns - len(bounds))
        table.children.append(Node("tr", row, children=[Node(cell, row, _visible(t), inline=_inline_of(t))
                                                         for t in texts]))
    return table


def _strip_lines(nodes: list[Node], line: int | None) -> list[Node]:
    for node in nodes:
        node.line = line
        _strip_lines(node.children, line)
    return nodes


def _normalise(node: Node) -> Node:
    """Footnotes in label order (the two parsers order them differently); nothing else changes."""
    for child in node.children:
        _normalise(child)
    if node.kind == "footnotes":
        node.children.sort(key=lambda n: n.kind)
    if node.line is None and node.children:
        node.line = node.children[0].line
    return node


# -- the readers' view ------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCKS = {"address", "article", "aside", "canvas", "div", "fieldset", "figure", "footer", "form", "header",
          "iframe", "main", "nav", "noscript", "object", "script", "section", "style", "template", "textarea",
          "video", "audio", "select", "svg", "math", "center", "menu", "dialog", "frameset", "body", "head", "html"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack: list[tuple[str, Node | None]] = [("", self.root)]  # (tag, node it opened or None)
        self.ignore = 0  # depth inside a leaf or an ignored subtree
        self.leaf: Node | None = None
        self.loose: dict[int, Node] = {}  # container id → its open synthesized paragraph
        self.pending: dict[int, list[tuple[str, list[tuple[str, str | None]]]]] = {}  # inline tags before text

    def _container(self) -> Node:
        return next(node for _, node in reversed(self.stack) if node is not None)

    def _add(self, node: Node) -> Node:
        parent = self._container()
        self.loose.pop(id(parent), None)
        self.pending.pop(id(parent), None)
        parent.children.append(node)
        return node

    def _inline(self) -> None:
        """Text or inline markup directly in a list item or definition: a paragraph to readers."""
        parent = self._container()
        if (parent.kind in ("li", "dd") or parent.kind.startswith("fn:")) and id(parent) not in self.loose:
            para = Node("p")
            parent.children.append(para)
            self.loose[id(parent)] = para
            for tag, attrs in self.pending.pop(id(parent), []):
                self._count(para, tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.ignore:
            if tag not in VOID:
                self.ignore += 1
            if self.leaf is not None and self.leaf.kind not in ("pre", "html"):
                self._count(self.leaf, tag, attrs)
            return
        classes = (dict(attrs).get("class") or "").split()
        kind = self._kind(tag, classes, dict(attrs))
        if kind is None:  # transparent
            if tag not in VOID:
                self.stack.append((tag, None))
            return
        if kind == "":  # inline: counted on the paragraph its text makes (a task's checkbox makes none)
            parent = self._container()
            para = self.loose.get(id(parent))
            if para is not None:
                self._count(para, tag, attrs)
            elif parent.kind in ("li", "dd") or parent.kind.startswith("fn:"):
                self.pending.setdefault(id(parent), []).append((tag, attrs))
            if tag not in VOID:
                self.stack.append((tag, None))
            return
        if kind == "-":  # ignored with its content
            if tag not in VOID:
                self.ignore = 1
            return
        node = self._add(Node(kind))
        if kind == "tab":
            node.children.append(Node("title"))
        if kind in LEAVES:
            self.leaf = node
            if tag not in VOID:
                self.ignore = 1
            return
        self.stack.append((tag, node))

    @staticmethod
    def _count(node: Node, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "a" and "footnote-ref" in classes:
            node.inline["footnote reference"] += 1
        elif tag == "a" and not {"headerlink", "footnote-backref"} & set(classes):
            node.inline["link"] += 1
        elif tag in ("img", "code", "br"):
            node.inline[{"img": "image", "code": "code", "br": "line break"}[tag]] += 1

    def handle_endtag(self, tag: str) -> None:
        if self.ignore:
            self.ignore -= 1
            if not self.ignore:
                self.leaf = None
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                for _, node in self.stack[i:]:
                    if node is not None:
                        self.loose.pop(id(node), None)
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self.leaf is not None:
            self.leaf.text = (self.leaf.text + data)[:200]
        elif not self.ignore and data.strip():
            self._inline()
            para = self.loose.get(id(self._container()))
            if para is not None:
                para.text = (para.text + data)[:200]

    def _kind(self, tag: str, classes: list[str], attrs: dict[str, str | None]) -> str | None:
        if tag == "p":
            return "title" if "admonition-title" in classes else "p"
        if re.fullmatch(r"h[1-6]", tag) or tag in ("dt", "th", "td", "pre", "blockquote", "dl", "dd", "table", "tr"):
            return tag
        if tag == "hr":
            return "-" if self._container().kind == "footnotes" else "hr"
        if tag == "ul":
            return "ul"
        if tag == "ol":
            return None if self._container().kind == "footnotes" else f"ol:{attrs.get('start') or 1}"
        if tag == "li":
            ident = attrs.get("id") or ""
            return f"fn:{ident[3:]}" if self._container().kind == "footnotes" and ident.startswith("fn:") else "li"
        if tag in ("thead", "tbody"):
            return None
        if tag == "details":
            return f"details:{classes[0] if classes else ''}"
        if tag == "summary":
            return "title"
        if tag == "div":
            if "admonition" in classes:
                rest = [c for c in classes if c != "admonition"]
                return f"admonition:{rest[0] if rest else ''}"
            if "highlight" in classes:
                return "pre"
            if "tabbed-set" in classes or "tabbed-content" in classes:
                return None
            if "tabbed-labels" in classes:
                return "-"
            if "tabbed-block" in classes:
                return "tab"
            if "footnote" in classes:
                return "footnotes"
            return "html"
        if tag == "input" and attrs.get("type") == "radio":  # a content tab's switch
            return "-"
        if tag in BLOCKS:
            return "html"
        return ""


def renderer_tree(rendered: str) -> Node:
    """The block tree readers get from the site's HTML."""
    reader = _Reader()
    reader.feed(rendered)
    reader.close()
    return _normalise(reader.root)


# -- comparing ------------------------------------------------------------------------------

def _flatten(node: Node, depth: int = 0) -> list[tuple[int, str, Node]]:
    out = []
    for child in node.children:
        out.append((depth, child.kind, child))
        out.extend(_flatten(child, depth + 1))
    return out


def _tops(flat: list[tuple[int, str, Node]]) -> list[int]:
    """For each flattened node, the index of the top-level block it belongs to."""
    tops, top = [], -1
    for depth, _, _ in flat:
        top += depth == 0
        tops.append(top)
    return tops


@lru_cache(maxsize=BODIES)
@persisted("structure")
def differences(text: str) -> tuple[Difference, ...]:
    """Every place where the block structure readers get differs from the segmenter's
    (one per top-level block of the source)."""
    mine = _flatten(segmenter_tree(text))
    theirs = _flatten(renderer_tree(render_cached(text)))
    a = [(d, n.key) for d, _, n in mine]
    b = [(d, n.key) for d, _, n in theirs]
    if a == b:
        return ()
    lines = text.split("\n")
    tops = _tops(mine)
    out: list[Difference] = []
    reported: set[int] = set()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        seen = [n for _, _, n in mine[i1:i2]]
        got = [n for _, _, n in theirs[j1:j2]]
        pairs = len(seen) == len(got) and all(x.kind == y.kind for x, y in zip(seen, got, strict=True))
        if pairs:  # the same blocks, read differently inside (links, breaks, code)
            for k, (x, y) in enumerate(zip(seen, got, strict=True)):
                if x.key != y.key and tops[i1 + k] not in reported:
                    reported.add(tops[i1 + k])
                    out.append(_explain(x.line or 0, [x], [y], lines))
            continue
        if seen:
            top = tops[i1]
        elif got and theirs[j1][0] > 0 and i1 > 0:
            top = tops[i1 - 1]  # nested blocks readers see inside the block before
        else:
            top = -1000 - j1
        line = _line_of(seen, got, mine, i1, lines)
        defs = [n for n in got if re.match(r"\s*\[[^\]^]+\]:", n.text)]
        if defs:  # a definition readers see as text: report it where it is
            line = _line_of([], defs, mine, i1, lines)
            top = -1000 - j1
        if top in reported:
            continue
        reported.add(top)
        out.append(_explain(line, seen, got, lines))
    unique = {(d.line, d.message): d for d in out}
    return tuple(sorted(unique.values(), key=lambda d: d.line))


def _line_of(seen: list[Node], got: list[Node], mine: list[tuple[int, str, Node]], at: int,
             lines: list[str]) -> int:
    for node in seen:
        if node.line is not None:
            return node.line
    before = next((n.line for _, _, n in reversed(mine[:at]) if n.line is not None), 0)
    for node in got:  # readers see text the segmenter did not: find it in the source
        words = re.findall(r"\w+", node.text)[:5]
        if words:
            for n in range(before, len(lines)):
                found = re.findall(r"\w+", lines[n])
                if any(found[i:i + len(words)] == words for i in range(len(found))):
                    return n
    return before


def _explain(line: int, seen: list[Node], got: list[Node], lines: list[str]) -> Difference:
    """What readers see instead of what translators get, and how to write it (most specific first)."""
    src = lines[line] if line < len(lines) else ""
    kinds_seen = [n.kind for n in seen]
    kinds_got = [n.kind for n in got]
    lists_seen = [k for k in kinds_seen if k == "ul" or k.startswith("ol:")]
    lists_got = [k for k in kinds_got if k == "ul" or k.startswith("ol:")]
    read = ", ".join(describe(k) for k in kinds_seen[:3]) or "nothing"
    if kinds_seen == kinds_got:
        return _explain_inline(line, seen, got, src)
    if re.match(r"^\s{0,3}\[[^\]]+\]:", src) and not re.match(r"^\s{0,3}\[\^", src):
        return Difference(line, f"readers see this link reference definition as text: '{_clip(src.strip())}'",
                          "write it as Python-Markdown reads it: [label]: https://example.org/path \"Title\" "
                          "(no angle brackets, a space in the URL written %20, the title on the same line)")
    if any(k.startswith("fn:") for k in kinds_got) and not any(k.startswith("fn:") for k in kinds_seen):
        label = next(k[3:] for k in kinds_got if k.startswith("fn:"))
        return Difference(line, f"footnote [^{label}] is never referenced: readers see it at the end of the page, "
                          "but translators do not get it", f"refer to it in the text with [^{label}], or remove it")
    if re.match(r"^\s*#{1,6}[^#\s]", src):
        return Difference(line, f"readers see {_shown(got)} where translators get {read}",
                          "put a space after the # of a heading; to start a line with #, write \\#")
    if re.match(r"^\s*\d+\)\s", src):
        return Difference(line, f"readers see {_shown(got)} where translators get {read}",
                          "write numbered items as 1. 2. 3. (the site does not read 1) as a list)")
    if "blockquote" in kinds_seen and "blockquote" not in kinds_got:
        return Difference(line, "translators get a new quote here, but readers see it joined to the quote above",
                          "put a sentence between the two quotes, or make them one")
    if len(lists_seen) == 1 and len(lists_got) == 1 and lists_seen[0].startswith("ol:") and lists_got == ["ol:1"]:
        return Difference(line, f"readers see this list numbered from 1, not from {lists_seen[0][3:]}",
                          "number the list from 1 (the site ignores the first number)")
    indent = "indent nested content (lists, paragraphs, code in a list item, admonition or tab) by exactly " \
             "4 spaces per level, and leave a blank line before a nested list"
    if re.match(r"^( {1,3}| {5,7}| {9,11})\S", src):
        return Difference(line, f"readers see {_shown(got)} where translators get {read}" if got else
                          f"translators get {read} here, but readers see it inside the block above", indent)
    if lists_seen and not lists_got and not kinds_got:
        return Difference(line, f"translators get {read} here, but readers see its items in the list or paragraph above",
                          "leave a blank line before a list, and put a sentence between two lists "
                          "(a new marker or a new number does not start a new list on the site)")
    if (lists_seen or lists_got) and "li" in kinds_seen + kinds_got:
        return Difference(line, f"readers see {_shown(got)} where translators get {read}", indent)
    if {"table", "tr", "th", "td"} & set(kinds_seen + kinds_got):
        return Difference(line, f"readers see {_shown(got)} where translators get {read}" if got else
                          f"translators get {read} here, but readers see it as text of the block above",
                          "give the table its own block: a blank line before and after it, a header row, "
                          "a | --- | separator row")
    if "dl" in kinds_got and "dl" not in kinds_seen or "dt" in kinds_got + kinds_seen:
        return Difference(line, f"readers see {_shown(got)} where translators get {read}",
                          "write a definition as one term on its own line, then ':   ' and the definition; "
                          "indent its further paragraphs by 4 spaces")
    return Difference(line, f"readers see {_shown(got)} where translators get {read}" if got else
                      f"translators get {read} here, but readers do not see it as such",
                      "leave a blank line between blocks and indent nested blocks by 4 spaces, "
                      "so that the page reads as the source does")


def _explain_inline(line: int, seen: list[Node], got: list[Node], src: str) -> Difference:
    for mine, theirs in zip(seen, got, strict=False):
        for what in sorted(set(mine.inline) | set(theirs.inline)):
            a, b = mine.inline[what], theirs.inline[what]
            if a == b:
                continue
            where = describe(mine.kind)
            if what == "line break" and a > b:
                return Difference(line, f"readers see no line break in {where} here, but a backslash or the "
                                  "line's end", "join the lines (one paragraph per line), or end the line with "
                                  "two spaces: the site does not read a trailing backslash as a line break")
            if a > b:
                return Difference(line, f"readers see {a - b} {what}{'s' if a - b > 1 else ''} of {where} here as "
                                  "plain text", _INLINE_HINT.get(what, _INLINE_HINT["link"]))
            return Difference(line, f"readers see {b - a} {what}{'s' if b - a > 1 else ''} in {where} here that "
                              "the segmenter does not read", _INLINE_HINT.get(what, _INLINE_HINT["link"]))
    mine, theirs = seen[0], got[0]
    return Difference(line, f"readers see {describe(theirs.kind)} that begins '{_clip(' '.join(theirs.text.split()), 40)}', "
                      f"but translators get one that begins '{_clip(' '.join(mine.text.split()), 40)}'",
                      "write the Markdown so that the site reads it as the source does (see AUTHORING.md)")


_INLINE_HINT = {
    "link": "write links as [text](target) with a plain target (no spaces, no angle brackets); a reference "
            "link [text][label] needs a definition [label]: target",
    "image": "write images as ![alt text](path) with a plain path",
    "code": "write inline code with single backticks, `like this`, and no backtick inside",
    "footnote reference": "refer to footnotes as [^label], and define each one as [^label]: text",
}


def _clip(text: str, size: int = 70) -> str:
    return text if len(text) <= size else text[: size - 3] + "..."


def _shown(got: list[Node]) -> str:
    if not got:
        return "nothing of its own"
    first = got[0]
    words = " ".join(html.unescape(first.text).split())
    if first.kind in ("p", "li", "dt", "th", "td") and words:
        return f"{describe(first.kind)} with the text '{_clip(words, 60)}'"
    return ", ".join(describe(n.kind) for n in got[:3])


# -- heading ids ----------------------------------------------------------------------------

_H = re.compile(r"<h([1-6])\b[^>]*\bid=\"([^\"]*)\"")


@lru_cache(maxsize=BODIES)
@persisted("heading-ids")
def heading_ids(text: str) -> dict[int, str]:
    """The id the site gives each heading of a body, by the heading's 0-based line.

    Empty when the parsers disagree on the headings (``cda validate`` reports that).
    """
    ids = [html.unescape(m.group(2)) for m in _H.finditer(render_cached(text))]
    heads = [p for p in passages(text) if p.kind == "heading"]
    if len(ids) != len(heads):
        return {}
    return {p.line: ident for p, ident in zip(heads, ids, strict=True)}
