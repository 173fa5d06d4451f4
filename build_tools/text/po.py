"""PO files: a small exact reader, and a writer whose output is byte for byte GNU ``msgcat``'s.

Babel's ``read_po`` drops ``#|`` previous msgids and its ``write_po`` wraps differently from
GNU gettext, so Poedit, Weblate and ``msgmerge`` would rewrite every file. This module keeps
both: entries remember their previous msgid, their flags and comments, and the line they
came from (for diagnostics); ``format_po`` writes what ``msgcat --force-po`` would write for
the same catalog, in-process (see "writing" below for the rules and their sources).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from build_tools.base.diagnostics import Diagnostic, Loc, error

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
            self._comment(raw.lstrip(), number)  # a comment keeps its trailing blanks, as in GNU gettext
            return
        if obsolete and not self.started:
            self.obsolete = True
        match = _KEYWORD.match(line)
        if match:
            key = match.group(1)
            if key in ("msgctxt", "msgid") and "msgid" in self.fields and (
                    key == "msgctxt" or "msgstr" in self.fields or any(k.startswith("msgstr[") for k in self.fields)):
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
            self.cur.auto_comments.append(text.removeprefix(" "))  # GNU drops one space
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
#
# The writer produces exactly what GNU ``msgcat --force-po`` (gettext 0.21, the version Debian
# ships) writes for the same catalog, so that no tool rewraps our files. It follows
# gettext-tools/src/write-po.c (``wrap``, ``message_print``, ``message_print_obsolete``,
# ``message_print_comment_*``) and the reader's normalisations that msgcat applies on the way
# (read-catalog-abstract.c: flags, file positions, Solaris-style ``# File: x, line: n``), for a
# UTF-8 catalog at the default page width 79 without ``--indent`` or ``--escape``.
#
# Strings are cut where libunistring 1.0's ``ulc_width_linebreaks_v2`` allows it (UAX #14 pair
# table, with GNU's deviations, e.g. a break is allowed after "." or "/" before a letter), which
# gettext calls on the escaped string, with breaks forbidden inside escape sequences.
# The two tables below are the Unicode 14.0 line-break classes as libunistring 1.0 resolves them
# for UTF-8 text (AI, SA, XX as AL; CB as ID) and its column widths (uc_width), as runs over
# all code points: each run is its start's distance from the previous run's start in hex,
# then one letter for the value. tests/test_po_format.py checks them code point by code point
# against the installed libunistring and the whole writer byte for byte against msgcat.
#
# Not modelled, because this project's catalogs never have them: GNU keeps line breaks out of
# format directives of entries flagged ``c-format``, ``python-format`` etc. (it parses each
# language's directives); a comment line ending in "\" is joined by GNU's reader with the next
# line; NUL and EOT (the context separator) cannot be in a GNU string; charsets other than
# UTF-8; two entries with the same key (msgcat merges them). A previous msgctxt without a
# previous msgid is left out (PO syntax has no place for it).

WIDTH = 79
_INT_MAX = 2**31 - 1

_LINEBREAK_RUNS = (
    "0q9D1p1n2o1q12s1J1O1U1S1R1U1O1M1H1U1S1P1F1P1T1QaP2U3J1U1bM1S1H1U1dM1D1G1U1q6n1q1aB1M1R1S3U5O1U1D"
    "1U2R1S1U2E1U6O1U3M1U208E1U3E1U12E1U20q4fB1qcB7qdUeP1U104q7UffP1D1U4S1U1q2dD1q1U1q2U1q2J1q1U8i1bU"
    "4i4U16R3P2U2qbJ1q1J3U2bq15QaR1Q2U3q1U63J1U1q7U2q6U2q2U1q4U2QaU17q1U1eq1bU5bqbUfQaU21q9U4P1J1U3q1"
    "S2U16q4U1q9U1q3U1q5U2bq3U3cq8U2aq18U1q21U36q3U1q12U1q7Uaq2D2QaU11q3U38q1U1q7U2q2U2q3U9q1Uaq2U2Qa"
    "U2R2U5R1U1S1U2q1U2q3U38q1U1q5U4q2U2q3U3q1U14Qaq2U3q1Ubq3U38q1U1q8U1q3U1q3U14q2U2QaU1S1U8q6U1q3U3"
    "8q1U1q7U2q2U2q3U7q3Uaq2U2QaU12q1U3bq5U3q3U1q4U9q1UeQaU9S1U6q5U37q1U1q7U1q3U1q4U7q2Ubq2U2QaU7E1U9"
    "q3E1U37q1U1q7U1q3U1q4U7q2Ubq2U2QaU10q4U37q2U1q7U1q3U1q4U9q1Uaq2U2QaU9R1U7q3U46q1U4q6U1q1U1q8U6Qa"
    "U2q2U4bS1U10QaD2U74QaU27E4U1E2B1E2D1B1J5B1U1J1U3q2U6QaUaD1q1U1q1U1q1M1G1M1G1q2U31qeD1q5D1q2U5qbU"
    "1q24U1D2U6q1U9E2D1E1U5B2U65QaD2U44QaU66Z60g48h58U15dq3U1D1U9eD1U27fD1U1aM1G1U4eD3U24q4U1cq3D2U1b"
    "q2U1eq2U60D2L1U1D1U1D1S1U4QaU18J2D2E1U1J2U1q3B1q1QaU6bq2U22q1U76qcU4qcU8J2QaU80QaU3dq5U63q1QaU6Q"
    "aU16q1fU31q5U2fq11UbQaD2U1D4Uaq9U9D2U1q3U1eqdU2QaU2cqeU30q14U3D5QaU6QaU24D2U50q3U1q15U4q1U6q1U2q"
    "3Uc6q40U1fdE1U2D7B1D3r1q1k1q2D1B1D2C1U3O2M1O3M1O1U4K3D1n2q5B1R8U1O2U1L2U6P1M1G1L3UcD1U1D4U1D3A1U"
    "5qaUdM1G1UeM1G1U11S7R1SeR1S4R1S2R1S1R1Sfq21U12R1U5R1UcS1UfbS2UdbK1U18M1G1M1G1UeX2UdN1G1Uc5X4U20c"
    "X4U10X2U2X1U1X3l1X2U19X3U2cX1U16X1U3dXcU4X1U1X3U1X2U3X2U2X1U2X3U8X1U6X5U1X2l1X1U2X8U3X2l4U4dO6U1"
    "J2X1U3M1G1M1G1M1G1M1G1M1G1M1G1M1G1U4fM1G1U1fM1G1M1G1M1G1M1G1M1G1U193M1G1M1G1M1G1M1G1M1G1M1G1M1G1"
    "M1G1M1G1M1G1M1G1U3fM1G1M1G1U20M1G1U2f1q3U7J1D3U1J1D1U70D1Ueq1U60q20OeD8U1D1M1D1U2O2U2O2M1G1M1G1M"
    "1G1M1G1D4J1U1D2U1D2U5C2D3U1D2M1D8U1D1U1D2U3J2M1G1M1G1M1G1M1G1D1U22X1aU1X59UcXd6U1aXcU4D1G2X2L1X2"
    "N1G1N1G1N1G1N1G1N1G1X2N1G1N1G1N1G1N1G1L1N1G2Xaq6X5q1X5L2X3U1L1X1L1X1L1X1L1X1L1X19L1X1fL1X1L1X1L1"
    "X6L1X6L2U2q2L4X1L2X1L1X1L1X1L1X1L1X19L1X1fL1X1L1X1L1X6L1X6L2X4L4X1U5X2bU1X5eU1X54UcL10X1fU1X28U8"
    "X1b70U40X5215L1X477U3X37U37D2U10dD1J1D1U10QaU45q4U1qaU20q2U50q2U1D5U10aq1U3q1U4q1U17q5U4q1UbR1U3"
    "bE2J2U8q2U32q12U8D2QaU6q12UaE1U2q1QaU1cq8D2U17qdUcZ1dU3q4U2fqeU6D3U6QaU16QaU2fqeUcq1U8q2U2QaU3D3"
    "U8bq5D2U3q2Uecq8D1q2U2QaU6V1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1b"
    "V1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV"
    "1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1"
    "W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W"
    "1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1"
    "bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1b"
    "V1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV"
    "1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1"
    "W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W"
    "1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1"
    "bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1b"
    "V1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV"
    "1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1"
    "W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W"
    "1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1"
    "bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1b"
    "V1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV"
    "1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1"
    "W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W"
    "1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1"
    "bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1bV1W1b"
    "V1W1bUcg17U4h31U2104X200U1di1q1iaU1idU1i5U1i1U1i2U1i2U1iaU1eeG1M1UbcR1U3q10P1G2P2J2N1G1K1U6q10X5"
    "N1G1N1G1N1G1N1G1N1G1N1G1N1G1N1G1X2N1G1X7G1X1G1U1L2J2X1N1G1N1G1N1G1X8U1X1S1R1X1U93A1U1J1X2S1R1X2N"
    "1G1X2G1X1G1XbL2X3J1X1bN1X1G1X1dN1X1G1X1N1G2N1G2L1X1LaX2dL2X1fU3X6U2X6U2X6U2X3U3R1S1X3S2U12q3X1U1"
    "03D3Ufaq1Ue2q1U95q5U24D1U30D1UcfQaU3adD1Uc7D1Ue1q3U1q2U5q4U28q3U4q1U10D8U8dq2U9D6K1U42D7U1e4q4U8"
    "QaU171q2D1U98qbU31q4U7aq3U35qfD2U1dQaq1U2q2Uaq4U2dqbU3D4q1U2dQaU6q3U24qeU1QaD4U1q2U2cq1U1E1Uaq3U"
    "30qeU4D2U1D1q4U1q2QaU1E1U1D3U4cqcD2U1D2U1q1U6aD1U35qcU5QaU6q4U37q2U1q7U2q2U2q3U9q1Uaq2U2q7U3q5Uc"
    "0q12U4D4U1QaD2U2q1U51q14UcQaUd5q7U2q9E1D2J2U3DfU4q2U52q11D2UdQaU6EdU3eqdU8QaU66QaU2D3UedqfUa5QaU"
    "46q6U1q2U2q4U1q1U1q2D3U9QaU77q7U2q7U1E1U1q1U1cqaU28q7U1q4E1U1D4E1U1q1U9qbU2eq10D3U1E3D2U18cq8U1q"
    "8U1D5UaQaU16E1J1U20q16U1qeU7aq6U3q1U1q2U1q7U1q1U8QaU30q5U1q2U1q5U8QaU149q4Ue6R4U1eD1U470D5Ude3M3"
    "G3U24G1U3M1G1M1G1UefM1G2Ub4B7M1G1U1195M1G1U2490QaU4D2U50QaU26q5D1U3aq7D3UaD1UbQaU33dD2Ub6q1U1q37"
    "U7q4U4dL4B1Ubq2UeX17f8U8X300U200X9U22f7X123U2dL3U11L4U8X18cU9a1q2D1q4U125cq2eU2q17U21eq5U3q16U2q"
    "7U1eq4U94q3U589Q32U200q37U4q32U8q1Ueq1U2D4U10q5U1qfU550q7U1q11U2q7U1q2U1q5U105q7U9QaU164q1U3dq4Q"
    "aU5S1U5d0q7U6dq7U5QaU4M2U34cR1U3R1U34fX2cY4X64YcXfY2XfY1XfY1X25YaUdX3U5dX3U3dX1Y38j1aX3YdX2cY4X9"
    "Y7X2YeX6Y9aX85l1X16U2X17U2X5U1X5l3X2l1X2l3X2em5X42l2X2lbX15l13X3l1X4l3X1l3X7l1X1l1XeU1X1U1X1U1X5"
    "l1X4U1X1U2X4dU7X10UeXdU18X2al2X4l1X15l1X4l2X3dU8X18U6X4bl3X3l5U26O3L3U4X23l1X10l3X9l1Xbl1XbY5X10"
    "Y3XdY3U74YcU55X4Y7XcY4X1YfUcY4U38Y8UaY6U28Y8U1eY2X2Y4eUcl1X2l1X8l8X6l1X9laX2l3X38l1X3dl2X1l2X1l1"
    "X11l3X1ldX22U54YcXeY2X5Y3X5Y3X7Y9X1dY3XbY5X3l3YaXaY6X8Y8l7Y9Uf0QaU6Y3feU2XfffeU2XfffeUa0003q1U1e"
    "q60U80qf0U"
)
_WIDTH_RUNS = (
    "0Z1N1fO5fN21OdZ1O252Z70O113Z7O107Z2dO1Z1O1Z2O1Z2O1Z1O38Z6OaZbO1Z1O2eZ15O10Z1O65Z8O1Z6O2Z2O1Z4O21"
    "Z1O1Z1O1eZ1bO5bZbO3aZ9O9Z1O18Z4O1Z9O1Z3O1Z5O2bZ3O34Z2O6Z8O2aZ39O37Z1O1Z1O4Z8O4Z1O3Z7OaZ2O1dZ1O3a"
    "Z1O4Z4O8Z1O14Z2O1aZ1O2Z2O39Z1O4Z2O4Z2O2Z3O3Z1O1eZ2O3Z1ObZ2O39Z1O4Z5O1Z2O4Z1O14Z2O16Z6O1Z1O3aZ1O2"
    "Z1O1Z4O8Z1O7Z2ObZ2O1eZ1O3dZ1OcZ1O32Z1O3Z1O37Z1O1Z3O5Z3O1Z4O7Z2ObZ2O1dZ1O3aZ1OfZ2O14Z2O1cZ2O39Z2O"
    "4Z4O8Z1O14Z2O1dZ1O48Z1O7Z3O1Z1O5aZ1O2Z7OcZ8O62Z1O2Z9ObZ6O4aZ2O1bZ1O1Z1O1Z1O37ZeO1Z5O1Z2O5ZbO1Z24"
    "O9Z1O66Z4O1Z6O1Z2O2Z2O19Z2O4Z3O10Z4OdZ1O2Z2O6Z1OfZ1O62W60Za0O15dZ3O3b2Z3O1dZ2O1eZ2O1eZ2O40Z2O1Z7"
    "O8Z1O2ZbO9Z1O2dZ5O75Z2O22Z1O76Z3O4Z2O9Z1O6Z3OdbZ2O2Z1O3aZ1O1Z7O1Z1O1Z1O2Z8O6ZaO2Z1O30Z1fO31Z4O30"
    "Z1O1Z5O1Z1O5Z1O28Z9OcZ2O20Z4O2Z2O1Z3O38Z1O1Z2O3Z1O1Z3O3aZ8O2Z2O98Z3O1ZdO1Z7O4Z1O6Z1O3Z2Oc6Z40O20"
    "bZ5O1aZ5O31Z5O1ZaO60Z21O229W2OdW2ObeW4O3W1O2W1O209W2O15W2O32WcO2bW1O13W1OdW1O8W2O11W2O5W2O8W1O5W"
    "1O15W1O7W2O1W1O4W1O2W1O7W1O4W2O1cW1O23W1O1W1O4W3O1W1O3dW3O18W1OeW1O35bW2O33W1O4W1O199Z3O8dZ1O60Z"
    "20O80W1aaZ4W11O1W59Z2W1adO8W1b70O40W56d0O19fZ4O1ZaO20Z2O50Z2O110Z1O3Z1O4Z1O19Z2O5Z1O97Z2O1aZ12Od"
    "Z1O26Z8O19ZbOeW1dO3Z3O30Z1O2Z4O2Z2O27Z1O43Z6O2Z2O2Z2OcZ1O8Z1O2fZ1O33Z1O1Z3O2Z2O5Z2O1Z1O2aZ2O8Z1O"
    "eeZ1O2Z1O4Z1O12W2ba4OcZ17O4Z31O2104W200O1eZ1O2e1Z10W10Z10W40O8fZ1W61O7fW7O12Z3O201Z1Oe2Z1O95Z5O6"
    "86Z3O1Z2O5Z4O28Z3O4Z1Oa5Z2O23dZ4O183Z2O99ZbO31Z4O7bZ1O36ZfO29Z1O2Z2OaZ3O31Z4O2Z2O2Z1O4Z1OaZ1O32Z"
    "3O24Z5O1Z8O3eZ1OcZ2O34Z9OaZ4O2Z1O5fZ3O2Z1O1Z2O6Z1Oa0Z1O3Z8O15Z2O39Z2O3Z1O25Z7O3Z5Oc3Z8O2Z3O1Z1O1"
    "7Z1O54Z6O1Z1O4Z2O1Z2OeeZ4O6Z2O1Z2O1bZ2O55Z8O2Z1O1Z2O6aZ1O1Z1O2Z6O1Z1O65Z3O2Z4O1Z5O103Z9O1Z2O100Z"
    "2O1Z1O4Z1O90Z4O2Z2O4Z1O20Z6O2Z2O28Z6O2Z4O8Z1O9Z6O2Z3O2eZdO1Z2O196Z7O1Z6O54Z16O2Z7O1Z2O1Z2O7aZ6O3"
    "Z1O1Z2O1Z7O1Z1O48Z2O3Z1O1Z1O15bZ2O153bZ9O36b7Z5O3bZ7O418Z1O3fZ4O4dW4Z1ObW2OeW17f8O8W4d6O2aW9O22e"
    "7W4O1W7O1W2O1W123O2dW3O11W4O8W18cO9a1Z2O1Z4O125cZ2eO2Z17O220Z3O9Z10O2Z7O1eZ4O94Z3O7bbZ37O4Z32O8Z"
    "1OeZ1O16Z5O1ZfO550Z7O1Z11O2Z7O1Z2O1Z5O105Z7O177Z1O3dZ4O5e0Z7O6dZ7O6b9W1OcaW1ObeW1O2WaO65W121OcW9"
    "O1W46O1W16OcW2bO4W5OcW11O3W1O3W47O1W1O1WbbO2W3fOdW4O1W18O12W1O1aW2OdW1O56W55O30W46O6W1O3W3O2W3O5"
    "W3ObW2O7W9Oe3WcO4W1O11bW2fO1WaO1Wb9O70W5O3W5O3W7O9W1dO3WbO5W6OaWaO6W8O8W7O509W20000Oa0001Z1O1eZ6"
    "0O80Zf0O"
)
# _PAIRS[before][after] for the 33 classes that use the pair table (UAX #14 table 7.3 as
# libunistring 1.0 has it): D direct break, I break only across spaces, P no break.
_PAIRS = (
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",
    "PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII",
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII",
    "PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",
    "PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",
)

# Line-break classes, numbered as libunistring numbers them (0..32 index the pair table).
_WJ, _GL, _B2, _BA, _BB, _HY, _CL, _CP1, _CP2, _EX, _IN, _NS, _OP1, _OP2, _QU, _IS = range(16)
_NU, _PO, _PR, _SY, _AL, _H2, _H3, _ID1, _ID2, _JL, _JV, _JT, _HL, _RI, _ZWJ, _EB, _EM = range(16, 33)
_BK, _CR, _LF, _CM, _ZW, _SP = range(33, 39)
_HL_BA = 100  # a Hebrew letter followed by a hyphen (LB21a), only as the previous class
_CLASS_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZghijklmnopqrstuvwxyz"
_WIDTH_LETTERS = "NZOW"  # -1 (control character, not counted), 0, 1, 2

_RUN = re.compile(r"([0-9a-f]+)(.)")


def _decode_runs(text: str, letters: str) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    values: list[int] = []
    start = 0
    for match in _RUN.finditer(text):
        start += int(match.group(1), 16)
        starts.append(start)
        values.append(letters.index(match.group(2)))
    return starts, values


class _Tables:
    """The decoded tables, built on first use (importing this module stays cheap)."""

    def __init__(self) -> None:
        lb_starts, lb_values = _decode_runs("".join(_LINEBREAK_RUNS), _CLASS_LETTERS)
        w_starts, w_values = _decode_runs("".join(_WIDTH_RUNS), _WIDTH_LETTERS)
        # One table for both: code point -> 4 * class + (width + 1).
        starts = sorted(set(lb_starts) | set(w_starts))
        values = [4 * lb_values[bisect.bisect_right(lb_starts, cp) - 1] + w_values[bisect.bisect_right(w_starts, cp) - 1]
                  for cp in starts]
        self.chars = _Lookup(starts, values)
        self.class_of = bytes(v >> 2 for v in range(256))
        self.width_of = bytes(max((v & 3) - 1, 0) for v in range(256))  # control characters count 0
        ascii_values = "".join(chr(i) for i in range(128)).translate(self.chars).encode("latin-1")
        self.ascii_classes = ascii_values.translate(self.class_of) + bytes(128)
        self.ascii_widths = ascii_values.translate(self.width_of) + bytes(128)
        self.pairs = [[" DIP".index(c) for c in row] for row in _PAIRS]
        # A letter or digit run (combining marks included) has no break opportunity inside.
        self.word = re.compile(b"[\\x%02x\\x%02x][\\x%02x\\x%02x\\x%02x]*" % (_AL, _NU, _AL, _NU, _CM))
        # Without these classes only the pair table decides (LB18 spaces, table 7.3), which a
        # regular expression does at C speed: a class X, then either a class the pair table
        # lets break directly after X, or spaces and a class it lets break after X and spaces.
        self.special = re.compile(b"[" + re.escape(bytes([_BK, _CR, _LF, _CM, _ZW, _ZWJ, _RI, _HL])) + b"]")
        alternatives = []
        for before in range(33):
            direct = bytes(after for after in range(33) if self.pairs[before][after] == 1)
            spaced = bytes(after for after in range(33) if self.pairs[before][after] in (1, 2))
            ways = [b"(?=[" + re.escape(direct) + b"])"] if direct else []
            if spaced:
                ways.append(re.escape(bytes([_SP])) + b"+(?=[" + re.escape(spaced) + b"])")
            if ways:
                alternatives.append(re.escape(bytes([before])) + b"(?:" + b"|".join(ways) + b")")
        self.simple = re.compile(b"|".join(alternatives))


class _Lookup(dict[int, str]):
    """Code point -> chr(value) for str.translate, filled from the run table on demand."""

    def __init__(self, starts: list[int], values: list[int]) -> None:
        super().__init__()
        self.run_starts, self.run_values = starts, values

    def __missing__(self, cp: int) -> str:
        value = chr(self.run_values[bisect.bisect_right(self.run_starts, cp) - 1])
        self[cp] = value
        return value


@functools.cache
def _tables() -> _Tables:
    return _Tables()


def line_break_class(ch: str) -> int:
    """libunistring's resolved line-break class of one character (for tests)."""
    return ord(ch.translate(_tables().chars)) >> 2


def char_width(ch: str) -> int:
    """libunistring's ``uc_width`` of one character in UTF-8 (-1 for control characters)."""
    return (ord(ch.translate(_tables().chars)) & 3) - 1


def _opportunities(classes: bytes) -> tuple[list[int], list[int]]:
    """Where libunistring may break (before index i), and the mandatory breaks (U+2028 etc.).

    ``u8_possible_linebreaks_loop`` of libunistring 1.0, with runs of letters and digits
    handled at once (no break opportunity lies inside one).
    """
    tables = _tables()
    if tables.special.search(classes) is None:
        return [m.end() for m in tables.simple.finditer(classes)], []
    pairs, word = tables.pairs, tables.word
    possible: list[int] = []
    mandatory: list[int] = []
    last = prev = _BK  # class of the last non-space character; of the last character
    space = False  # a space since the last non-space character
    ri = 0  # regional indicators just before this point
    i, n = 0, len(classes)
    while i < n:
        c = classes[i]
        if c == _BK or c == _LF or c == _CR:
            mandatory.append(i)
            prev, last, space, ri = c, _BK, False, 0
            i += 1
            continue
        if c == _SP:
            space = True
        elif c == _ZW:
            last, space = _ZW, False
        elif c == _CM or c == _ZWJ:
            if last == _BK:
                last, space = _AL, False
            elif last == _ZW or space:
                possible.append(i)
                last, space = _AL, False
        else:
            if last == _BK or prev == _ZWJ or prev == _HL_BA:
                pass
            elif last == _ZW:
                possible.append(i)
            elif last == _RI and c == _RI:
                if space or ri % 2 == 0:
                    possible.append(i)
            else:
                rule = pairs[last][c]
                if rule == 1 or (rule == 2 and space):
                    possible.append(i)
            if c == _AL or c == _NU:
                match = word.match(classes, i)
                end = match.end() if match else i + 1
                if end > i + 1:
                    j = end - 1
                    while classes[j] == _CM:
                        j -= 1
                    last, prev, space, ri = classes[j], classes[end - 1], False, 0
                    i = end
                    continue
            last, space = c, False
        prev = _HL_BA if prev == _HL and (c == _HY or c == _BA) else c
        ri = ri + 1 if c == _RI else 0
        i += 1
    return possible, mandatory


def _breaks(text: str, width: int, start: int) -> list[int]:
    """Indices of ``text`` (an escaped string) where GNU gettext starts a new line.

    ``u8_width_linebreaks_internal``: greedy, a piece between two break opportunities goes
    to the next line when it would end past ``width``; escape sequences are not cut.
    """
    n = len(text)
    if start + n <= width and (start + 2 * n <= width or text.isascii()):
        return []  # fits whatever the widths (ASCII: no character is wider than 1)
    tables = _tables()
    widths: bytes | None  # each character's columns, None when all are 1
    if text.isascii():
        raw = text.encode("ascii")
        classes = raw.translate(tables.ascii_classes)
        widths = raw.translate(tables.ascii_widths) if _ASCII_CONTROL.search(text) else None
    else:
        raw = text.translate(tables.chars).encode("latin-1")
        classes = raw.translate(tables.class_of)
        widths = raw.translate(tables.width_of)
        if widths.count(1) == n:
            widths = None
        elif start + sum(widths) <= width:
            return []
    if widths is None and start + n <= width:
        return []
    possible, mandatory = _opportunities(classes)
    if "\\" in text:
        # The second character of an escape sequence, and the "\" of a final "\n".
        inside = {m.start() + 1 for m in _ESCAPED.finditer(text)}
        if text.endswith("\\n"):
            inside.add(n - 2)
        possible = [i for i in possible if i not in inside]
    if mandatory:
        events = sorted([(i, True) for i in mandatory] + [(i, False) for i in possible])
    else:
        events = [(i, False) for i in possible]
    out: list[int] = []
    last_p = -1
    column = start
    piece = 0
    pos = 0
    for i, hard in events:
        piece += i - pos if widths is None else sum(widths[pos:i])
        if last_p >= 0 and column + piece > width:
            out.append(last_p)
            column = 0
        if hard:
            last_p, column, piece, pos = -1, 0, 0, i + 1
        else:
            last_p, column, piece, pos = i, column + piece, 0, i
    piece += n - pos if widths is None else sum(widths[pos:])
    if last_p >= 0 and column + piece > width:
        out.append(last_p)
    return out


_ESCAPED = re.compile(r"\\.", re.DOTALL)
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ESCAPE_TABLE = str.maketrans({"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
                               "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"'})
_PORTIONS = re.compile(r"[^\n]*\n|[^\n]+")


def _escape(text: str) -> str:
    return text.translate(_ESCAPE_TABLE)


@functools.lru_cache(maxsize=65536)
def wrap(keyword: str, value: str, prefix: str = "", no_wrap: bool = False) -> tuple[str, ...]:
    """Lines for ``keyword "value"`` exactly as GNU gettext writes them (write-po.c ``wrap``).

    ``value`` is cut after each newline; a value with several such portions, or one that must
    be wrapped, starts with an empty ``keyword ""`` line.
    """
    portions = _PORTIONS.findall(value) or [""]
    width = (_INT_MAX if no_wrap else WIDTH) - 1 - (len(prefix) + 1)
    lines: list[str] = []
    first = True
    for k, portion in enumerate(portions):
        text = _escape(portion)
        start = len(keyword) + 1 if first else 0
        cuts = _breaks(text, width, start)
        if first and text and (k + 1 < len(portions) or start > width or cuts):
            lines.append(f'{prefix}{keyword} ""')
            first = False
            cuts = _breaks(text, width, 0)
        head = f"{prefix}{keyword} " if first else prefix
        first = False
        if not cuts:
            lines.append(f'{head}"{text}"')
            continue
        bounds = [0, *cuts, len(text)]
        lines.append(f'{head}"{text[:cuts[0]]}"')
        lines.extend(f'{prefix}"{text[a:b]}"' for a, b in itertools.pairwise(bounds[1:]))
    return tuple(lines)


_FORMATS = ("c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
            "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
            "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
            "php", "gcc-internal", "gfc-internal", "ycp")
_FLAG_TOKEN = re.compile(r"[^\n \t\r\f\v,]+")


@dataclass
class _Flags:
    fuzzy: bool = False
    formats: dict[str, str] = field(default_factory=dict)  # language -> yes / no / possible / impossible
    range: tuple[int, int] | None = None
    no_wrap: bool = False


def _digits_value(text: str) -> int:
    """A decimal prefix as gettext reads it into an int, saturating at INT_MAX."""
    value = 0
    for ch in text:
        if not "0" <= ch <= "9":
            break
        value = min(10 * value + ord(ch) - 48, _INT_MAX) if value <= _INT_MAX // 10 else _INT_MAX
    return value


def _parse_flags(flags: list[str]) -> _Flags:
    """The flags msgcat keeps, as read-catalog-abstract.c ``po_parse_comment_special`` reads them."""
    out = _Flags()
    if not flags:
        return out
    tokens = _FLAG_TOKEN.findall(",".join(flags))
    i = 0
    while i < len(tokens):
        t = tokens[i]
        i += 1
        if t == "fuzzy":
            out.fuzzy = True
        elif t.endswith("-format") and _format_flag(t, out):
            pass
        elif t == "range:":
            if i < len(tokens):
                arg = tokens[i]
                i += 1
                if "0" <= arg[:1] <= "9":
                    digits = len(arg) - len(arg.lstrip("0123456789"))
                    rest = arg[digits:]
                    if rest.startswith("..") and "0" <= rest[2:3] <= "9":
                        low_v, high_v = _digits_value(arg), _digits_value(rest[2:])
                        if low_v <= high_v:
                            out.range = (low_v, high_v)
        elif t == "wrap":
            out.no_wrap = False
        elif t == "no-wrap":
            out.no_wrap = True
    return out


def _format_flag(token: str, out: _Flags) -> bool:
    name = token[:-7]
    value = "yes"
    for lead, kind in (("no-", "no"), ("possible-", "possible"), ("impossible-", "impossible")):
        if name.startswith(lead):
            name, value = name[len(lead):], kind
            break
    if name in _FORMATS:
        out.formats[name] = value
        return True
    return False


def _flag_line(flags: _Flags, fuzzy: bool, with_range: bool) -> list[str]:
    words = ["fuzzy"] if fuzzy else []
    for lang in _FORMATS if flags.formats else ():
        value = flags.formats.get(lang)
        if value in ("yes", "possible"):
            words.append(f"{lang}-format")
        elif value == "no":
            words.append(f"no-{lang}-format")
    if with_range and flags.range is not None:
        words.append(f"range: {flags.range[0]}..{flags.range[1]}")
    if flags.no_wrap:
        words.append("no-wrap")
    return ["#, " + ", ".join(words)] if words else []


_SOLARIS = re.compile(r" [Ff]ile:[ \t]*(.*?)[ \t]*,[ \t]*line[ \t]*(?:number[ \t]*)?:([0-9]+)[ \t\n]*",
                      re.DOTALL)
_NO_LINE = 2**64 - 1  # gettext's (size_t) -1: a position without a line number


def _filepos(text: str) -> list[tuple[str, int]]:
    """File positions in a ``#:`` comment, as read-catalog-abstract.c ``po_parse_comment_filepos``."""
    out: list[tuple[str, int]] = []
    blank = " \t\n"
    i, n = 0, len(text)

    def number(j: int) -> tuple[int, int] | None:
        """A line number at j that ends at a blank or the end: (value, end)."""
        k = j
        while k < n and "0" <= text[k] <= "9":
            k += 1
        if k == j or (k < n and text[k] not in blank):
            return None
        return int(text[j:k]) % 2**64, k

    while i < n:
        while i < n and text[i] in blank:
            i += 1
        if i >= n:
            break
        start = i
        i += 1
        while i < n and text[i] not in blank:
            i += 1
        p = i
        while p < n and text[p] in blank:
            p += 1
        if p < n and text[p] == ":":  # "file : 12"
            p += 1
            while p < n and text[p] in blank:
                p += 1
            found = number(p)
            if found:
                out.append((text[start:i], found[0]))
                i = found[1]
                continue
        if text[i - 1] == ":":  # "file: 12"
            p = i
            while p < n and text[p] in blank:
                p += 1
            found = number(p)
            if found:
                out.append((text[start:i - 1], found[0]))
                i = found[1]
                continue
        token = text[start:i]
        digits = len(token) - len(token.rstrip("0123456789"))
        if digits and len(token) - digits > 1 and token[-digits - 1] == ":":  # "file:12"
            out.append((token[:-digits - 1], int(token[-digits:]) % 2**64))
            continue
        out.append((token, _NO_LINE))
    return out


def _reference_lines(positions: list[tuple[str, int]]) -> list[str]:
    """write-po.c ``message_print_comment_filepos``: ``#:`` lines filled up to 79 bytes."""
    lines: list[str] = []
    current = "#:"
    column = 2
    for name, line in positions:
        suffix = "" if line == _NO_LINE else f":{line - 2**64 if line >= 2**63 else line}"
        size = len(name.encode("utf-8")) + len(suffix) + 1
        if column > 2 and column + size > WIDTH:
            lines.append(current)
            current, column = "#:", 2
        current += f" {name}{suffix}"
        column += size
    lines.append(current)
    return lines


def _comment_lines(e: Entry) -> tuple[list[str], Sequence[str]]:
    """Translator and extracted comment lines, and the references msgcat ends up with."""
    lines: list[str] = []
    positions: list[tuple[str, int]] = []
    for comment in e.user_comments:
        for text in comment.split("\n"):
            solaris = _SOLARIS.fullmatch(" " + text) if text else None
            if solaris:
                positions.append((solaris.group(1), int(solaris.group(2)) % 2**64))
            else:
                lines.append(f"# {text}" if text else "#")
    for comment in e.auto_comments:
        lines.extend(f"#. {text}" if text else "#." for text in comment.split("\n"))
    if not positions:
        return lines, _references(tuple(e.references)) if e.references else []
    return lines, _reference_lines(_unique(positions + _filepos(" ".join(e.references))))


@functools.lru_cache(maxsize=4096)
def _references(refs: tuple[str, ...]) -> tuple[str, ...]:
    """``#:`` lines for references (the same few recur on every entry of a document)."""
    return tuple(_reference_lines(_unique(_filepos(" ".join(refs)))))


def _unique(positions: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Without leading "./" (msgcat drops it when writing) and without repeats (it drops them when reading)."""
    out: dict[tuple[str, int], None] = {}
    for name, line in positions:
        while name.startswith("./"):
            name = name[2:]
        out[(name, line)] = None
    return list(out)


def format_entry(e: Entry) -> list[str]:
    """One entry's lines as msgcat writes them (none for an obsolete entry without translation)."""
    forms = e.msgstr_plural if e.msgid_plural is not None else [e.msgstr]
    translated = bool(forms and forms[0])
    if e.obsolete and not translated:
        return []  # msgcat drops obsolete entries whose msgstr is empty
    flags = _parse_flags(e.flags)
    lines, refs = _comment_lines(e)
    lines += refs
    no_wrap = flags.no_wrap
    if e.obsolete:
        lines += _flag_line(flags, flags.fuzzy, with_range=False)
        previous, prefix = "#~| ", "#~ "
    else:
        lines += _flag_line(flags, flags.fuzzy and translated, with_range=True)
        previous, prefix = "#| ", ""
    if e.previous_msgid is not None:  # PO syntax has no previous msgctxt without a previous msgid
        if e.previous_msgctxt is not None:
            lines += wrap("msgctxt", e.previous_msgctxt, previous, no_wrap)
        lines += wrap("msgid", e.previous_msgid, previous, no_wrap)
    if e.msgctxt is not None:
        lines += wrap("msgctxt", e.msgctxt, prefix, no_wrap)
    lines += wrap("msgid", e.msgid, prefix, no_wrap)
    if e.msgid_plural is not None:
        lines += wrap("msgid_plural", e.msgid_plural, prefix, no_wrap)
        for i, form in enumerate(e.msgstr_plural):
            lines += wrap(f"msgstr[{i}]", form, prefix, no_wrap)
    else:
        lines += wrap("msgstr", e.msgstr, prefix, no_wrap)
    return lines


def format_po(po: PoFile) -> str:
    """Serialize exactly as ``msgcat --force-po`` would: header, active entries, obsolete ones."""
    header = "".join(f"{k}: {v}\n" for k, v in po.header.items())
    head = Entry("", header, user_comments=list(po.header_comments), flags=["fuzzy"] if po.header_fuzzy else [])
    blocks = [format_entry(head)]
    blocks += [format_entry(e) for e in po.active()]
    blocks += [format_entry(e) for e in po.obsolete()]
    return "\n\n".join("\n".join(b) for b in blocks if b) + "\n"
