"""What a translation may not add: markup that could attack readers or change where links go.

Used twice: ``cda check`` reports each problem, and the build drops any translation that
has one (falling back to English), so nothing unsafe reaches ``site/`` even when checks
are skipped.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from functools import cache

from markdown_it import MarkdownIt

TAG = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9:-]*)")
EVENT_ATTR = re.compile(r"\bon[a-z]+\s*=", re.I)
STYLE = re.compile(r"\bstyle\s*=|<\s*style\b", re.I)
ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
ATTR_LIST = re.compile(r"\{\s*[:#.]|\{\s*[a-zA-Z-]+\s*=")
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.I)
REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S", re.M)
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*)>")
SCHEME_ANYWHERE = re.compile(r"(java|vb)\s*script\s*:|data\s*:\s*[a-z]+/", re.I)


@cache
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True})


def link_targets(text: str) -> list[str]:
    """Every link and image target in a piece of Markdown, in order."""
    targets: list[str] = []
    if "[" not in text:
        return targets  # no link or image without a bracket: skip the parser
    for block in _inline_parser().parseInline(text):
        for child in block.children or []:
            if child.type == "link_open":
                targets.append(str(child.attrGet("href") or ""))
            elif child.type == "image":
                targets.append(str(child.attrGet("src") or ""))
    return targets


def unsafe_translation(msgid: str, msgstr: str) -> list[tuple[str, str]]:
    """Problems that make a translation unsafe to publish: (code, message) pairs."""
    problems: list[tuple[str, str]] = []
    decoded = html.unescape(msgstr)
    src_tags = Counter(t.lower() for t in TAG.findall(msgid))
    new_tags = Counter(t.lower() for t in TAG.findall(decoded)) - src_tags
    if new_tags:
        problems.append(("T201", f"adds HTML markup not in the source: <{'>, <'.join(sorted(new_tags))}>"))
    if EVENT_ATTR.search(decoded) and not EVENT_ATTR.search(msgid):
        problems.append(("T202", "adds an event-handler attribute (on...=)"))
    if STYLE.search(decoded) and not STYLE.search(msgid):
        problems.append(("T203", "adds a style attribute or element"))
    if set(ENTITY.findall(msgstr)) - set(ENTITY.findall(msgid)):
        problems.append(("T204", "adds HTML character references (&...;) not in the source"))
    if ATTR_LIST.search(msgstr) and not ATTR_LIST.search(msgid):
        problems.append(("T205", "adds a Markdown attribute list ({: ...})"))
    if REF_DEF.search(msgstr) and not REF_DEF.search(msgid):
        problems.append(("T206", "adds a link reference definition ([label]: url)"))
    targets = link_targets(msgstr) + AUTOLINK.findall(msgstr)
    if any(BAD_SCHEME.match(html.unescape(t)) for t in targets) or (
            SCHEME_ANYWHERE.search(decoded) and not SCHEME_ANYWHERE.search(msgid)):
        problems.append(("T207", "uses a javascript:, vbscript:, data: or file: URL"))
    if Counter(link_targets(msgid) + AUTOLINK.findall(msgid)) != Counter(targets):
        problems.append(("T208", "changes, adds or removes a link target"))
    return problems
