"""What a translation may not add: markup that could attack readers or change where links go.

:func:`unsafe_translation` is the one guard, used twice: ``cda check`` reports each problem,
and the build drops any translation that has one (falling back to English), so what check
passes the build publishes, and what it rejects never reaches ``site/``, the offline zips or
``cda playbook``, even when checks are skipped.

Text checks on the Markdown (``T201``-``T207``) give precise messages, but no set of patterns
on Markdown can be complete. So the guard also renders both passages with the site's own
Python-Markdown (:mod:`build_tools.text.renderer`) and compares what readers would get: the same
multiset of link and image targets (``T208``), no element, attribute, class or style outside
an allow-list (``T210``), no URL scheme but http(s), mailto, course links and relative paths
(``T207``), and the same block structure (``T209``). nh3 (the Ammonia sanitizer) reads the
rendered HTML as a browser does; if it would remove anything the allow-list walker kept, the
translation is refused too.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from functools import cache, lru_cache
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt

from build_tools.base.fsutil import atomic_write_bytes
from build_tools.text.renderer import render, render_cached, site_config
from build_tools.text.structure import _flatten, describe, renderer_tree

TAG = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9:-]*)")
EVENT_ATTR = re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE)
STYLE = re.compile(r"\bstyle\s*=|<\s*style\b", re.IGNORECASE)
ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
ATTR_LIST = re.compile(r"\{\s*[:#.]|\{\s*[a-zA-Z-]+\s*=")
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)
REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S", re.MULTILINE)
ABBR_DEF = re.compile(r"^\s{0,3}\*\[[^\]]+\]\s?:", re.MULTILINE)
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*)>")
SCHEME_ANYWHERE = re.compile(r"(java|vb)\s*script\s*:|data\s*:\s*[a-z]+/", re.IGNORECASE)

COURSE_SCHEMES = frozenset({"module", "workshop", "glossary", "page", "track", "case", "handout"})
URL_SCHEMES = frozenset({"http", "https", "mailto"}) | COURSE_SCHEMES
"""What a link or image may lead to once rendered; anything else is refused (no relative path has a scheme)."""
BLOCK_CLASSES = frozenset({"admonition", "admonition-title", "highlight", "footnote", "footnote-ref",
                           "footnote-backref", "headerlink", "task-list", "task-list-item", "task-list-control",
                           "task-list-indicator", "tabbed-set", "tabbed-alternate", "tabbed-labels", "tabbed-content",
                           "tabbed-block", "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint",
                           "important", "success", "check", "done", "question", "help", "faq", "warning", "caution",
                           "attention", "failure", "fail", "missing", "danger", "error", "bug", "example", "quote",
                           "cite"})
ALLOWED: dict[str, frozenset[str]] = {
    tag: frozenset(attrs.split()) for tag, attrs in {
        "p": "class", "br": "", "strong": "", "em": "", "b": "", "i": "", "code": "", "pre": "", "kbd": "",
        "a": "href title class", "img": "src alt title", "ul": "class", "ol": "start", "li": "id class",
        "blockquote": "", "hr": "", "h1": "id", "h2": "id", "h3": "id", "h4": "id", "h5": "id", "h6": "id",
        "table": "", "thead": "", "tbody": "", "tr": "", "th": "style", "td": "style", "dl": "", "dt": "",
        "dd": "", "abbr": "title", "sup": "id", "sub": "", "del": "", "ins": "", "mark": "", "span": "class",
        "div": "class data-tabs", "details": "class open", "summary": "", "label": "class for",
        "input": "type disabled checked id name aria-label",
    }.items()
}
"""Every element and attribute the site's Markdown can produce; a translation gets nothing else."""
STYLE_VALUE = re.compile(r"text-align:\s*(left|right|center);?")
INPUT_TYPES = frozenset({"checkbox", "radio"})
URL_ATTRS = frozenset({"href", "src"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


@cache
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True})


def link_targets(text: str) -> list[str]:
    """Every link and image target in a piece of Markdown, in order, as markdown-it-py reads it."""
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


# -- what readers get ----------------------------------------------------------------------

def normalise_url(url: str) -> str:
    """A URL as a browser resolves it: tabs and line breaks removed, controls and spaces trimmed,
    percent-escapes decoded, scheme and host in lower case."""
    url = re.sub(r"[\t\n\r]", "", html.unescape(url)).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
                                                            "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b"
                                                            "\x1c\x1d\x1e\x1f ")
    url = unquote(url)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        scheme, _, rest = url.partition(":")
        url = scheme.lower() + ":" + rest
        if url.startswith(("http:", "https:")):
            try:
                parts = urlsplit(url)
                url = parts._replace(netloc=parts.netloc.lower()).geturl()
            except ValueError:
                pass
    return url


def scheme_of(url: str) -> str:
    """The scheme a browser would use for ``url`` ('' for a relative URL or a fragment)."""
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", normalise_url(url))
    return match.group(1).lower() if match else ""


class _Walker(HTMLParser):
    """Elements, attributes and link targets of rendered HTML, footnote bodies left out
    (they are the source document's, appended for context)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self.targets: list[str] = []
        self.refused: list[str] = []
        self.schemes: list[str] = []
        self.skip = 0

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = tuple(sorted((k.lower(), v or "") for k, v in attrs))
        self.tags.append((tag, values))
        classes = dict(values).get("class", "").split()
        if self.skip:
            self.skip += tag not in VOID
            return
        if tag == "div" and "footnote" in classes:
            self.skip = 1
        self._allowed(tag, values)
        for name, value in values:
            if name in URL_ATTRS and not (tag == "a" and "headerlink" in classes):
                self.targets.append(normalise_url(value))
                scheme = scheme_of(value)
                if scheme and scheme not in URL_SCHEMES:
                    self.schemes.append(scheme)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1

    def _allowed(self, tag: str, attrs: tuple[tuple[str, str], ...]) -> None:
        if tag not in ALLOWED:
            self.refused.append(f"<{tag}>")
            return
        for name, value in attrs:
            ok = name in ALLOWED[tag]
            if ok and name == "class":
                ok = all(c in BLOCK_CLASSES or c.startswith("language-") for c in value.split())
            elif ok and name == "style":
                ok = STYLE_VALUE.fullmatch(value.strip()) is not None
            elif ok and tag == "input" and name == "type":
                ok = value in INPUT_TYPES
            if not ok:
                self.refused.append(f"<{tag} {name}>")


@lru_cache(maxsize=16384)
def _walk(rendered: str) -> _Walker:
    walker = _Walker()
    walker.feed(rendered)
    walker.close()
    return walker


def _sanitised(rendered: str) -> str:
    """The rendered HTML as nh3 (Ammonia) keeps it under the same allow-list."""
    attributes = {tag: set(attrs) - {"class"} for tag, attrs in ALLOWED.items()}
    classes = {tag: set(BLOCK_CLASSES) for tag, attrs in ALLOWED.items() if "class" in attrs}
    return nh3.clean(rendered, tags=set(ALLOWED), attributes=attributes, url_schemes=set(URL_SCHEMES),
                     link_rel=None, allowed_classes=classes, filter_style_properties={"text-align"},
                     strip_comments=True)


def _browser_view(rendered: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    tags = _walk(rendered).tags
    # Code blocks' language classes are the only classes nh3 cannot list: compare without them.
    return [(t, tuple((k, v) for k, v in a if k != "class" or not v.startswith("language-"))) for t, a in tags]


@lru_cache(maxsize=16384)
def _blocks(rendered: str) -> tuple[str, ...]:
    """The rendered passage's blocks and what they hold, footnotes (the document's) left out."""
    tree = renderer_tree(rendered)
    tree.children = [n for n in tree.children if n.kind != "footnotes"]
    return tuple(f"{'  ' * depth}{kind}" for depth, kind, _ in _flatten(tree))


def rendered_problems(msgid: str, msgstr: str, definitions: str = "") -> list[tuple[str, str]]:
    """What readers would get from ``msgstr`` that they would not get from ``msgid``.

    ``definitions`` are the source document's reference definitions, abbreviations and footnote
    labels, appended to both passages so that ``[text][label]`` and ``[^1]`` render as on the page.
    """
    suffix = f"\n\n{definitions}" if definitions else ""
    source = render_cached(msgid + suffix)
    target = render(msgstr + suffix)
    src, dst = _walk(source), _walk(target)
    problems: list[tuple[str, str]] = []
    if dst.schemes:
        problems.append(("T207", f"renders a link with the URL scheme '{dst.schemes[0]}:'"))
    refused = [r for r in dst.refused if r not in src.refused]
    if refused:
        problems.append(("T210", f"renders markup readers may not get: {', '.join(sorted(set(refused)))}"))
    elif not dst.refused and not dst.schemes and _browser_view(_sanitised(target)) != _browser_view(target):
        problems.append(("T210", "renders markup that a browser would read differently from the source's"))
    if Counter(src.targets) != Counter(dst.targets):
        problems.append(("T208", "changes, adds or removes a link target"))
    if _blocks(source) != _blocks(target):
        problems.append(("T209", ("changes the block structure: readers would see "
                                  f"{_describe(_blocks(target))} where the source has {_describe(_blocks(source))}")))
    return problems


def _describe(blocks: tuple[str, ...]) -> str:
    return ", ".join(describe(b.strip()) for b in blocks if not b.startswith(" "))[:120] or "nothing"


# -- the guard -------------------------------------------------------------------------

def unsafe_translation(msgid: str, msgstr: str, definitions: str = "") -> list[tuple[str, str]]:
    """Problems that make a translation unsafe to publish: (code, message) pairs, one per code.

    A translation found safe is remembered (by a digest of the source, the translation and the
    definitions), in this process and, through :func:`load_verdicts`/:func:`save_verdicts`,
    between runs: rendering every message twice is most of the work before MkDocs.
    """
    key = _digest(msgid, msgstr, definitions)
    _USED.add(key)
    if key in _SAFE:
        return []
    problems = _problems(msgid, msgstr, definitions)
    if not problems:
        _SAFE.add(key)
    return problems


def _problems(msgid: str, msgstr: str, definitions: str) -> list[tuple[str, str]]:
    if plain(msgid) and plain(msgstr):
        # Prose holds no <, &, =, [ or {: of the checks below only a script: URL written out can fire.
        if SCHEME_ANYWHERE.search(msgstr) and not SCHEME_ANYWHERE.search(msgid):
            return [("T207", "uses a javascript:, vbscript:, data: or file: URL")]
        return []  # both render as one paragraph of text: nothing more to compare
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
    elif ABBR_DEF.search(msgstr) and not ABBR_DEF.search(msgid):
        problems.append(("T206", "adds an abbreviation definition (*[ABBR]: expansion)"))
    simple = (simple_targets(msgid), simple_targets(msgstr))
    # markdown-it drops a javascript:, vbscript:, data: or file: link, so in a simple passage
    # (no autolink, no entity, no line break) the pattern on its targets cannot fire.
    targets = [] if simple[1] is not None else link_targets(msgstr) + AUTOLINK.findall(msgstr)
    if any(BAD_SCHEME.match(html.unescape(t)) for t in targets) or (
            SCHEME_ANYWHERE.search(decoded) and not SCHEME_ANYWHERE.search(msgid)):
        problems.append(("T207", "uses a javascript:, vbscript:, data: or file: URL"))
    # Link targets (T208) are compared on what readers get, after normalisation: see below.
    codes = {code for code, _ in problems}
    found = (simple_problems(simple[0], simple[1]) if simple[0] is not None and simple[1] is not None
             else rendered_problems(msgid, msgstr, definitions))
    problems += [(code, text) for code, text in found if code not in codes]
    return sorted(problems)


PLAIN = re.compile(r"[^\W_](?:[^\W_]|[ \u00a0.,;:?¿!¡'’‘\"“”«»()%–—-])*")
"""A line of prose: it starts with a letter or digit and holds nothing else but letters, digits,
spaces and punctuation that the site's Markdown leaves as text (no ``*_`[]<>&#|\\{}~^=+/@``, no
line break, so no markup, link, list, heading, table or definition can start)."""


def plain(text: str) -> bool:
    """Whether ``text`` renders, with any document's definitions after it, as one paragraph of the
    same text and nothing else. Three messages in four are such prose; rendering them twice, with
    Python-Markdown and nh3, would find nothing, so the guard does not (``tests/test_safety.py``
    renders them to check)."""
    return PLAIN.fullmatch(text) is not None and not text[0].isdigit() and not text[-1].isspace()


_PROSE_CHAR = r"(?:[^`*_\[\]<>&\\|{}~^=\s\x00-\x1f\x7f-\x9f]| |\u00a0)"
"""A character the site's Markdown leaves as text in the middle of a line: not one that opens code,
emphasis, a link, HTML, an entity, an escape or a table cell, nor a line break, a tab or a control."""
_SIMPLE_PROSE = re.compile(rf"(?:{_PROSE_CHAR}|\*)+")
_SIMPLE_CODE = re.compile(r"`[^`\\\n<&]+`(?!`)")
_SIMPLE_LINK = re.compile(rf"\[(?:{_PROSE_CHAR}|\*)+\]\((?P<url>(?:[a-z][a-z0-9+.-]*:)?[A-Za-z0-9/._#?=+~-]+)\)")
SIMPLE_STARTS = frozenset("`[¿¡«“\"'(")
"""Besides a letter, a digit or an emphasis, what a simple passage may start with: none of these
begins a block (a list, quote, heading, table, admonition, tab or definition)."""
ORDERED_ITEM = re.compile(r"\d+[.)](?:\s|$)")
SIMPLE_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "abbr", "admonition", "def_list", "footnotes",
                               "md_in_html", "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed",
                               "pymdownx.tasklist", "build_tools.text.task_labels", "build_tools.text.heading_ids"})
"""The Markdown extensions under which :func:`simple_targets` holds (none adds inline syntax beyond
footnote references); with any other, every passage is rendered."""


@cache
def _simple_config() -> bool:
    return set(site_config().extensions) <= SIMPLE_EXTENSIONS


def simple_targets(text: str) -> list[str] | None:
    """The link targets of a *simple* passage, or None if ``text`` is not one.

    A simple passage is one line of text with asterisks, code spans (one backtick each side; no
    backslash, ``<`` or ``&`` inside) and inline links (text without brackets or backticks, a target
    of letters, digits and ``/._#?=+~-`` after an optional lower-case scheme), and no other
    character that is markup in a line (`` _[]<>&\\|{}~^= ``, tabs, line breaks, controls). It
    starts with a letter, a digit (not an ordered list's ``1.``), an opening mark (``¿¡«“"'(``), a
    code span, a link (not an image) or an asterisk before a non-space, holds a letter or digit,
    and does not end in a space.

    The site's Markdown renders it, with any document's definitions after it, as one paragraph
    holding only text, ``<strong>``, ``<em>``, ``<code>``, ``<abbr>`` and ``<a href>`` with exactly
    these targets: code spans and links are taken before emphasis, and emphasis only ever makes
    ``<strong>`` and ``<em>``. So comparing two simple passages needs their targets, not their
    rendering (``tests/test_safety.py`` renders them to check).
    """
    if not _simple_config():
        return None
    if not text or text[-1].isspace() or not any(c.isalnum() for c in text):
        return None
    first = text[0]
    if not (first.isalpha() or first in SIMPLE_STARTS or (first.isdigit() and not ORDERED_ITEM.match(text))
            or (first == "*" and len(text) > 1 and not text[1].isspace())):
        return None
    pos, end, urls = 0, len(text), []
    while pos < end:
        char = text[pos]
        if char == "`":
            match = _SIMPLE_CODE.match(text, pos)
        elif char == "[":
            match = _SIMPLE_LINK.match(text, pos) if not text.endswith("!", 0, pos) else None
            if match:
                urls.append(match["url"])
        else:
            match = _SIMPLE_PROSE.match(text, pos)
        if match is None:
            return None
        pos = match.end()
    return urls


def simple_problems(source: list[str], target: list[str]) -> list[tuple[str, str]]:
    """What :func:`rendered_problems` finds for two simple passages with these link targets."""
    problems: list[tuple[str, str]] = []
    schemes = [s for s in map(scheme_of, target) if s and s not in URL_SCHEMES]
    if schemes:
        problems.append(("T207", f"renders a link with the URL scheme '{schemes[0]}:'"))
    if source != target and Counter(map(normalise_url, source)) != Counter(map(normalise_url, target)):
        problems.append(("T208", "changes, adds or removes a link target"))
    return problems


# -- remembered verdicts -------------------------------------------------------------------

_SAFE: set[bytes] = set()
"""Digests of translations found safe, in this process or by an earlier run (the cache file)."""
_USED: set[bytes] = set()
"""Digests asked about in this process: what the cache file keeps."""
DIGEST = 16


def _digest(msgid: str, msgstr: str, definitions: str) -> bytes:
    return hashlib.blake2b("\0".join((msgid, msgstr, definitions)).encode("utf-8"), digest_size=DIGEST).digest()


@cache
def rules_version() -> str:
    """Changes whenever a verdict could: this guard's code, the renderer and its configuration,
    and the versions of the libraries that render and sanitise."""
    here = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=8)
    for name in ("safety.py", "renderer.py", "structure.py", "markdown.py"):
        h.update((here / name).read_bytes())
    h.update(repr(site_config()).encode("utf-8"))
    for dist in ("Markdown", "pymdown-extensions", "nh3", "markdown-it-py", "mdit-py-plugins"):
        h.update(f"{dist}={metadata.version(dist)};".encode())
    return h.hexdigest()


def verdicts_path(cache: Path) -> Path:
    return cache / f"safe-translations-{rules_version()}.bin"


def load_verdicts(cache: Path) -> None:
    """Remember the safe verdicts of an earlier run (none if the rules changed since)."""
    try:
        data = verdicts_path(cache).read_bytes()
    except OSError:
        return
    if len(data) % DIGEST == 0:
        _SAFE.update(data[i:i + DIGEST] for i in range(0, len(data), DIGEST))


def save_verdicts(cache: Path) -> None:
    """Keep the safe verdicts of the translations this run asked about (atomically; older rules'
    files are removed). Only page generation saves them: it reads every catalog, under the lock."""
    path = verdicts_path(cache)
    try:
        atomic_write_bytes(path, b"".join(sorted(_SAFE & _USED)))
        for old in cache.glob("safe-translations-*.bin"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:  # a read-only checkout: the next run checks again, nothing else changes
        pass
