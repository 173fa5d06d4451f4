"""PO files: a small exact reader and a writer that wraps lines as GNU ``msgcat`` does.

Babel's ``read_po`` drops ``#|`` previous msgids and its ``write_po`` wraps differently from
GNU gettext, so Poedit, Weblate and ``msgmerge`` would rewrite every file. This module keeps
both: entries remember their previous msgid, their flags and comments, and the line they
came from (for diagnostics).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from build_tools.diagnostics import Diagnostic, Loc, error

WIDTH = 79


@dataclass
class Entry:
    """One PO message."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    auto_comments: list[str] = field(default_factory=list)
    user_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    obsolete: bool = False
    line: int = field(default=0, compare=False)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """Has a usable translation: not fuzzy, and every form filled in."""
        if self.fuzzy:
            return False
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural)
        return bool(self.msgstr)

    @property
    def has_string(self) -> bool:
        return bool(self.msgstr) or any(self.msgstr_plural)

    def set_fuzzy(self, on: bool) -> None:
        if on and "fuzzy" not in self.flags:
            self.flags.insert(0, "fuzzy")
        elif not on and "fuzzy" in self.flags:
            self.flags.remove("fuzzy")


@dataclass
class PoFile:
    """A header (as ordered fields), comments on the header, and entries in file order."""

    header: dict[str, str] = field(default_factory=dict)
    header_comments: list[str] = field(default_factory=list)
    header_fuzzy: bool = False
    entries: list[Entry] = field(default_factory=list)

    def active(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]

    def obsolete(self) -> list[Entry]:
        return [e for e in self.entries if e.obsolete]


# -- reading ------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPE = re.compile(r'\\([ntr"\\abfv])')
_ESCAPE_RUN = re.compile(r'(?:[^"\\]|\\[ntr"\\abfv])*')
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*)$')


class PoSyntaxError(ValueError):
    def __init__(self, line: int, col: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line, self.col, self.hint = line, col, hint


def _unquote(text: str, line: int, col: int) -> str:
    text = text.strip()
    if len(text) < 2 or not text.startswith('"') or not text.endswith('"'):
        raise PoSyntaxError(line, col, "string is not enclosed in double quotes",
                            'write the text as "..." and escape inner quotes as \\"')
    body = text[1:-1]
    if "\\" not in body and '"' not in body:
        return body  # the common case: nothing to unescape
    match = _ESCAPE_RUN.fullmatch(body)
    if match is not None:
        return _ESCAPE.sub(lambda m: _ESCAPES[m.group(1)], body)
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
                bad = body[i:i + 2]
                raise PoSyntaxError(line, col + i + 1, f"invalid escape sequence '{bad}'",
                                    "use \\n, \\t, \\\" or \\\\ only")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
            continue
        if ch == '"':
            raise PoSyntaxError(line, col + i + 1, "unescaped double quote inside a string", 'write \\" instead')
        out.append(ch)
        i += 1
    return "".join(out)


def parse_po(text: str, path: str) -> tuple[PoFile | None, list[Diagnostic]]:
    """Parse PO text; on syntax errors return None and one diagnostic per bad line."""
    if text.startswith("\ufeff"):
        return None, [error(Loc(path), "P105", "file starts with a byte order mark (BOM)",
                            "save the catalog as UTF-8 without BOM")]
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        return None, [error(Loc(path, line, 1), "P106", "catalog has Windows (CRLF) line endings",
                            "save it with Unix (LF) line endings (Poedit: Preferences > Line endings)")]
    parser = _Parser(path)
    for number, raw in enumerate(text.split("\n"), 1):
        try:
            parser.feed(raw, number)
        except PoSyntaxError as exc:
            parser.diags.append(error(Loc(path, exc.line, exc.col), "P100", str(exc), exc.hint))
            parser.reset()
    try:
        parser.flush()
    except PoSyntaxError as exc:
        parser.diags.append(error(Loc(path, exc.line, exc.col), "P100", str(exc), exc.hint))
    if parser.diags:
        return None, parser.diags
    return parser.finish()


class _Parser:
    def __init__(self, path: str) -> None:
        self.path = path
        self.diags: list[Diagnostic] = []
        self.entries: list[Entry] = []
        self.reset()

    def reset(self) -> None:
        self.cur = Entry("")
        self.fields: dict[str, str] = {}
        self.last: str | None = None
        self.started = False
        self.obsolete = False

    def flush(self) -> None:
        if "msgid" not in self.fields:
            if self.started and any(k for k in self.fields):
                raise PoSyntaxError(self.cur.line, 1, "entry has no msgid", "add a msgid line")
            self.reset()
            return
        e = self.cur
        e.msgid = self.fields["msgid"]
        e.msgctxt = self.fields.get("msgctxt")
        e.msgid_plural = self.fields.get("msgid_plural")
        if e.msgid_plural is not None:
            forms = sorted((int(k[7:-1]), v) for k, v in self.fields.items() if k.startswith("msgstr["))
            if [n for n, _ in forms] != list(range(len(forms))) or not forms:
                raise PoSyntaxError(e.line, 1, "plural entry needs msgstr[0], msgstr[1], ... in order",
                                    "add one msgstr[N] per plural form")
            e.msgstr_plural = [v for _, v in forms]
        else:
            if "msgstr" not in self.fields and any(k.startswith("msgstr[") for k in self.fields):
                raise PoSyntaxError(e.line, 1, "entry has msgstr[N] but no msgid_plural",
                                    "use a plain msgstr, or add the msgid_plural line of the template")
            if "msgstr" not in self.fields:
                raise PoSyntaxError(e.line, 1, "entry has no msgstr", 'add msgstr "" after the msgid')
            e.msgstr = self.fields["msgstr"]
        e.obsolete = self.obsolete
        self.entries.append(e)
        self.reset()

    def feed(self, raw: str, number: int) -> None:
        line = raw.strip()
        if not line:
            self.flush()
            return
        obsolete = False
        if line.startswith("#~"):
            obsolete = True
            line = line[2:].strip()
            if line.startswith("|"):
                self._previous(line[1:].strip(), number)
                return
            if not line:
                return
        elif line.startswith("#"):
            if "msgid" in self.fields:
                self.flush()
            self._comment(line, number)
            return
        if obsolete and not self.started:
            self.obsolete = True
        match = _KEYWORD.match(line)
        if match:
            key = match.group(1)
            if key in ("msgctxt", "msgid") and "msgid" in self.fields and key in ("msgctxt", "msgid"):
                if key == "msgctxt" or "msgstr" in self.fields or any(k.startswith("msgstr[") for k in self.fields):
                    self.flush()
                    if obsolete:
                        self.obsolete = True
            if not self.started:
                self.cur.line = number
                self.started = True
            if key in self.fields:
                raise PoSyntaxError(number, 1, f"duplicate '{key}' in one entry", "start a new entry with a blank line")
            self.fields[key] = _unquote(match.group(3), number, len(raw) - len(raw.lstrip()) + len(key) + 2)
            self.last = key
            return
        if line.startswith('"'):
            if self.last is None:
                raise PoSyntaxError(number, 1, "string continuation without a keyword",
                                    "start the entry with msgid")
            self.fields[self.last] += _unquote(line, number, 1)
            return
        word = line.split()[0][:20]
        raise PoSyntaxError(number, 1, f"unknown keyword '{word}'",
                            "PO entries use msgctxt, msgid, msgid_plural and msgstr")

    def _comment(self, line: str, number: int) -> None:
        if not self.started:
            self.cur.line = number
        kind, text = line[:2], line[2:]
        if kind == "#.":
            self.cur.auto_comments.append(text.strip())
        elif kind == "#:":
            self.cur.references.extend(text.split())
        elif kind == "#,":
            self.cur.flags.extend(f.strip() for f in text.split(",") if f.strip())
        elif kind == "#|":
            self._previous(text.strip(), number)
        else:
            self.cur.user_comments.append(line[2:] if line.startswith("# ") else line[1:])

    def _previous(self, text: str, number: int) -> None:
        match = _KEYWORD.match(text)
        if match and match.group(1) in ("msgctxt", "msgid"):
            self.prev_key = match.group(1)
            value = _unquote(match.group(3), number, 1)
            if match.group(1) == "msgctxt":
                self.cur.previous_msgctxt = value
            else:
                self.cur.previous_msgid = value
        elif text.startswith('"'):
            value = _unquote(text, number, 1)
            if getattr(self, "prev_key", "msgid") == "msgctxt":
                self.cur.previous_msgctxt = (self.cur.previous_msgctxt or "") + value
            else:
                self.cur.previous_msgid = (self.cur.previous_msgid or "") + value

    def finish(self) -> tuple[PoFile, list[Diagnostic]]:
        po = PoFile()
        seen: dict[tuple[str | None, str, bool], Entry] = {}
        for e in self.entries:
            if e.msgid == "" and e.msgctxt is None and not e.obsolete:
                po.header = parse_header(e.msgstr)
                po.header_comments = e.user_comments
                po.header_fuzzy = e.fuzzy
                continue
            key = (e.msgctxt, e.msgid, e.obsolete)
            if key in seen:
                self.diags.append(error(Loc(self.path, e.line, 1), "P101",
                                        f"duplicate message (first at line {seen[key].line})",
                                        "delete one of the two entries (msgcat --use-first merges them)"))
                continue
            seen[key] = e
            po.entries.append(e)
        if self.diags:
            return po, self.diags
        return po, []


def parse_header(text: str) -> dict[str, str]:
    header: dict[str, str] = {}
    for line in text.split("\n"):
        if ":" in line:
            name, _, value = line.partition(":")
            header[name.strip()] = value.strip()
    return header


# -- writing ------------------------------------------------------------------------

def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
            .replace("\r", "\\r").replace("\n", "\\n"))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_BREAK_AFTER = re.compile(r"(?<=[ ])(?=[^ ])|(?<=[\w][-])(?=[A-Za-z])|(?<=[—–])")


def _break_points(s: str) -> list[int]:
    """Positions where a line may break (after spaces and word hyphens), like UAX #14."""
    return [m.start() for m in _BREAK_AFTER.finditer(s)]


def wrap(keyword: str, value: str, prefix: str = "") -> list[str]:
    """Lines for ``keyword "value"`` as GNU gettext writes them at width 79."""
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    escaped = [_escape(p) for p in portions]
    one_line = f'{prefix}{keyword} "{escaped[0]}"'
    if len(portions) == 1 and _width(one_line) <= WIDTH:
        return [one_line]
    lines = [f'{prefix}{keyword} ""']
    limit = WIDTH - len(prefix) - 2
    for part in escaped:
        lines.extend(f'{prefix}"{chunk}"' for chunk in _fill(part, limit))
    return lines


def _fill(s: str, limit: int) -> list[str]:
    if _width(s) <= limit:
        return [s]
    out: list[str] = []
    start = 0
    points = _break_points(s) + [len(s)]
    while _width(s[start:]) > limit:
        best = None
        for p in points:
            if p <= start:
                continue
            if _width(s[start:p]) <= limit:
                best = p
            else:
                break
        if best is None:
            best = next((p for p in points if p > start), len(s))
        out.append(s[start:best])
        start = best
        if start >= len(s):
            break
    if start < len(s):
        out.append(s[start:])
    return out


def _comment_lines(e: Entry, prefix: str) -> list[str]:
    lines = [f"# {c}" if c else "#" for c in e.user_comments]
    lines += [f"#. {c}" if c else "#." for c in e.auto_comments]
    if e.references:
        lines += _references(e.references)
    if e.flags:
        lines.append("#, " + ", ".join(e.flags))
    if e.previous_msgctxt is not None:
        lines += wrap("msgctxt", e.previous_msgctxt, prefix + "#| ")
    if e.previous_msgid is not None:
        lines += wrap("msgid", e.previous_msgid, prefix + "#| ")
    return lines


def _references(refs: list[str]) -> list[str]:
    lines: list[str] = []
    current = "#:"
    for ref in refs:
        if len(current) + 1 + len(ref) > WIDTH and current != "#:":
            lines.append(current)
            current = "#:"
        current += " " + ref
    lines.append(current)
    return lines


def format_entry(e: Entry) -> list[str]:
    prefix = "#~ " if e.obsolete else ""
    lines = _comment_lines(e, "#~" if e.obsolete else "")
    if e.msgctxt is not None:
        lines += wrap("msgctxt", e.msgctxt, prefix)
    lines += wrap("msgid", e.msgid, prefix)
    if e.msgid_plural is not None:
        lines += wrap("msgid_plural", e.msgid_plural, prefix)
        for i, form in enumerate(e.msgstr_plural):
            lines += wrap(f"msgstr[{i}]", form, prefix)
    else:
        lines += wrap("msgstr", e.msgstr, prefix)
    return lines


def format_po(po: PoFile) -> str:
    """Serialize: header first, active entries in order, then obsolete ones."""
    header = "".join(f"{k}: {v}\n" for k, v in po.header.items())
    head = Entry("", header, user_comments=list(po.header_comments), flags=["fuzzy"] if po.header_fuzzy else [])
    blocks = [format_entry(head)]
    blocks += [format_entry(e) for e in po.active()]
    blocks += [format_entry(e) for e in po.obsolete()]
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"
