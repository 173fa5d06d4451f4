"""The catalog writer is GNU msgcat, byte for byte, without running it.

``build_tools.text.po.format_po`` must write exactly what ``msgcat --force-po`` writes for the same
catalog. These tests compare it with the real msgcat on every catalog and template of the
course, on hand-picked hard strings and on generated catalogs, failing on any byte; and they
check its line breaker and its Unicode tables against libunistring, the library msgcat uses.
They skip only when GNU gettext (or libunistring) is not installed; CI installs gettext.

More generated cases: ``PO_FORMAT_EXAMPLES=5000 .venv/bin/pytest tests/test_po_format.py``.
"""

from __future__ import annotations

import concurrent.futures
import ctypes
import ctypes.util
import difflib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from build_tools.base.languages import read_languages
from build_tools.i18n.catalogs import catalog_header, template_header
from build_tools.text import po
from build_tools.text.po import Entry, PoFile, format_po, parse_po

LANGS = {x.code: x for x in read_languages(ROOT)}

MSGCAT = shutil.which("msgcat")
needs_msgcat = pytest.mark.skipif(MSGCAT is None, reason="GNU gettext (msgcat) is not installed")
EXAMPLES = int(os.environ.get("PO_FORMAT_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def msgcat(text: str) -> str:
    """What GNU msgcat writes for this PO text."""
    assert MSGCAT is not None
    proc = subprocess.run([MSGCAT, "--force-po", "-"], input=text.encode("utf-8"), capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return proc.stdout.decode("utf-8")


def assert_msgcat_identical(ours: str, gnu: str, what: str = "catalog") -> None:
    if ours != gnu:
        diff = difflib.unified_diff(gnu.splitlines(True), ours.splitlines(True), "msgcat", "format_po", n=2)
        pytest.fail(f"{what}: format_po differs from msgcat\n" + "".join(list(diff)[:80]))


def catalog(entries: list[Entry], header_comments: list[str] | None = None, header_fuzzy: bool = False) -> PoFile:
    return PoFile(catalog_header(LANGS["pt"]), header_comments or [], header_fuzzy, entries)


# -- the course ---------------------------------------------------------------------------

COURSE_FILES = sorted(p for p in (ROOT / "curriculum/locales").rglob("*") if p.suffix in (".po", ".pot"))


@needs_msgcat
def test_every_course_catalog_and_template_is_written_as_msgcat_writes_it() -> None:
    """Each catalog read and written again is what msgcat writes, for the text and for the file."""
    assert len(COURSE_FILES) > 100

    def check(path: Path) -> list[str]:
        text = path.read_text("utf-8")
        parsed, diags = parse_po(text, str(path))
        assert parsed is not None, diags
        ours = format_po(parsed)
        problems = []
        if ours != msgcat(ours):
            problems.append(f"{path.relative_to(ROOT)}: msgcat rewraps format_po's output")
        if ours != msgcat(text):
            problems.append(f"{path.relative_to(ROOT)}: read + write differs from msgcat on the file")
        return problems

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        problems = [p for found in pool.map(check, COURSE_FILES) for p in found]
    assert not problems, f"{len(problems)} of {2 * len(COURSE_FILES)} comparisons differ:\n" + "\n".join(problems)


# -- hand-picked strings ---------------------------------------------------------------

LONG_WORD = "Desburocratização" * 6
URL = "https://bloombergcities.jhu.edu/program/data-alliance/description?lang=es&utm_source=course#apply"
HAND_PICKED = [
    "",
    "x",
    "A mayor who sets a target with a baseline can tell residents what will change.",
    ("Un alcalde que fija una meta con una línea de base puede decir a los residentes qué cambiará, "
     "y cuándo — sin promesas vagas; ¿verdad? ¡Sí! «Citas» y “comillas” ‘simples’… al 45 %."),
    ("Um prefeito que define uma meta com linha de base consegue dizer aos moradores o que vai mudar: "
     "ação, informação, gestão, São Paulo, Belém, Maceió."),
    f"See [the program description]({URL}) before the first workshop.",
    URL,
    URL + " " + URL,
    f"({URL})",
    "www.example.org/a/very/long/path/segment/that/keeps/going/and/going/without/any/space/at/all/x.html",
    LONG_WORD,
    "word " + LONG_WORD + " word",
    "x" * 77,
    "x" * 78,
    "x" * 200,
    " " * 100,
    "ends with spaces     ",
    "   starts with spaces and is long enough to be wrapped onto a second line by GNU gettext ok",
    "em—dash—joined—words—that—run—on—for—a—long—time—without—spaces—between—them—at—all—really",
    "en–dash ranges 2026–2027, 1–10, pages 12–48 and the like, then hyphen-ated compound-words too",
    ("non\u00a0breaking\u00a0spaces\u00a0between\u00a0every\u00a0word\u00a0of\u00a0this\u00a0long\u00a0"
     "sentence\u00a0so\u00a0that\u00a0nothing\u00a0can\u00a0break"),
    "narrow\u202fno-break\u202fspace, word\u2060joiner, zero\u200bwidth\u200bspace, soft\u00adhyphen",
    "decomposed e\u0301 a\u0300 o\u0302 c\u0327 n\u0303 accents " * 3,
    "quotes \"inside\" and a backslash \\ and \\n literally and a tab\there, " * 2,
    '"' * 40 + "\\" * 40,
    "line one\nline two\nline three",
    "trailing newline\n",
    "\n",
    "\n\n\n",
    "\nstarts with a newline",
    ("a paragraph that is long enough to need wrapping before its newline, which comes right here\n"
     "and a second paragraph that is also long enough to be wrapped by GNU gettext at column 79\n"),
    "tab\tseparated\tvalues\tin\ta\tlong\tline\tthat\tgoes\ton\tand\ton\tand\ton\tuntil\tit\twraps",
    "carriage\rreturn, bell\a, backspace\b, form\ffeed, vertical\vtab in one message",
    "**bold** and *italic* and `code` and {placeholder} and [link](https://example.org) and %s, %(n)d, {0}",
    "| table | row | with | pipes | and \\| escaped | pipes | that | goes | on | and | on | and | on |",
    "1,000.50 $5 100% 3.14159 (2026) [12] {x} <tag> a/b a|b a;b a:b a!b a?b",
    "emoji 😀 👍🏽 🇧🇷🇦🇷 👩‍💻 ✔️ and symbols ™ © ® ° ± × ÷ ← → ✓ in a line that wraps at column seventy-nine",
    "line\u2028separator and paragraph\u2029separator and next\u0085line in a long enough message to wrap here",
    "fullwidth ＡＢＣ and ideographs 日本語 한국어 mixed into a long Latin sentence so that widths matter here",
    "עברית-שלום and a Hebrew letter followed by a hyphen, then more words to make the line long enough",
    "dot.separated.words.that.look.like.a.domain.name.and.continue.for.quite.a.while.without.spaces",
    "e.g., i.e., etc., Dr. Smith, St. Louis — abbreviations with periods scattered through a long line",
    "ALL CAPS HEADLINE THAT IS LONG ENOUGH TO BE WRAPPED BY MSGCAT BECAUSE IT PASSES COLUMN SEVENTY-NINE",
]


def _entries_with(texts: list[str], layout: str) -> list[Entry]:
    entries = []
    for i, text in enumerate(texts):
        ctx = f"hand-picked.{i}"
        if layout == "plain":
            entries.append(Entry(text or "(empty)", text, msgctxt=ctx, auto_comments=["Markdown"],
                                 references=[f"curriculum/modules/core/x-{i}.md"]))
        elif layout == "fuzzy":
            entries.append(Entry(f"source {i}", text or "t", msgctxt=ctx, flags=["fuzzy"], previous_msgid=text))
        elif layout == "context":
            entries.append(Entry("same msgid", text, msgctxt=text + ctx))
        elif layout == "plural":
            entries.append(Entry(text + " one", msgctxt=ctx, msgid_plural=text + " many",
                                 msgstr_plural=[text, text + " (2)", ""]))
        elif layout == "obsolete":
            entries.append(Entry(text or "(empty)", text or "t", msgctxt=ctx, obsolete=True, flags=["fuzzy"],
                                 previous_msgctxt="old." + ctx, previous_msgid=text, user_comments=["kept"]))
        elif layout == "no-wrap":
            entries.append(Entry(text or "(empty)", text, msgctxt=ctx, flags=["no-wrap"]))
        elif layout == "comments":
            line = text.replace("\n", " ").rstrip("\\")
            entries.append(Entry(f"comment {i}", user_comments=[line], auto_comments=[line]))
    return entries


@needs_msgcat
@pytest.mark.parametrize("layout", ["plain", "fuzzy", "context", "plural", "obsolete", "no-wrap", "comments"])
def test_hand_picked_strings(layout: str) -> None:
    text = format_po(catalog(_entries_with(HAND_PICKED, layout)))
    assert_msgcat_identical(text, msgcat(text), f"hand-picked strings as {layout}")


@needs_msgcat
def test_what_msgcat_normalises() -> None:
    """Flags, references, comments, header and obsolete entries are written as msgcat keeps them."""
    long_path = "curriculum/modules/performance-management/pm-03-routines-and-stat-meetings-ñandú.md"
    entries = [
        Entry("unknown flags are dropped, known ones ordered", "x",
              flags=["custom", "no-wrap", "no-python-format", "range: 007..10", "fuzzy", "c-format-check"]),
        Entry("an empty range and a backwards one", "x", flags=["range: 5..1"]),
        Entry("fuzzy without a translation loses the flag", "", flags=["fuzzy"]),
        Entry("plural fuzzy with an empty first form", msgid_plural="p", msgstr_plural=["", "b"], flags=["fuzzy"]),
        Entry("references", "x", references=["./a.py:12", "a.py:12", "./a.py:012", "b.py", "c.md:0", long_path,
                                             long_path + ":3", "ü/ñ.yaml", "x" * 90, "y.py:7"]),
        Entry("comments", "x", user_comments=["", "  indented", "two\nlines", "File: legacy.c, line: 42"],
              auto_comments=["", " one space", "multi\nline"]),
        Entry("gone and untranslated", "", obsolete=True),
        Entry("gone, plural, first form empty", msgid_plural="p", msgstr_plural=["", "x"], obsolete=True),
        Entry("gone with everything", "y", msgctxt="ctx", obsolete=True, flags=["fuzzy", "no-wrap", "range: 1..2"],
              user_comments=["note"], previous_msgctxt="old ctx", previous_msgid="old " + "word " * 30),
        Entry("previous context alone has no PO syntax", "x", flags=["fuzzy"], previous_msgctxt="lonely"),
    ]
    for text in (format_po(catalog(entries, ["Header\ncomment", ""], header_fuzzy=True)), format_po(catalog(entries))):
        assert_msgcat_identical(text, msgcat(text), "normalisation cases")
    template = PoFile(header=template_header(), header_comments=["Translation template."], entries=entries[:3])
    assert_msgcat_identical(format_po(template), msgcat(format_po(template)), "template")


# -- generated catalogs -----------------------------------------------------------------

# Any character GNU's PO syntax can carry (not NUL; no lone surrogates), weighted towards the
# ones that decide line breaks: spaces, punctuation, escapes, accents, dashes, NBSP, emoji.
SPECIAL = list(" \u00a0\u202f\u2060\u200b\u00ad\u200d\u2028\u0085-‐‑–—/.,;:!?()[]{}<>|%$€#@&*+='\"\\\t\n\r\a\b\f\v"
               "«»“”‘’…¿¡\u0301\u0327\u05d0😀🏽🇧🇷日ＡＢ") + ["\U0001F469\u200d\U0001F4BB"]
WORDS = ["data", "city", "mayor", "información", "ação", "São", "Paulo", "e\u0301", "naïve", "Desburocratização",
         "https://example.org/a/b?c=d&e=f#g", "www.example.com", "foo-bar", "e.g.", "(see)", "**bold**", "`code`",
         "{placeholder}", "%s", "100%", "1,000.50", "x" * 85, "—", "–", "\\n", "\u00a0"]
# NUL would end a C string and EOT is GNU's context separator: neither can be in a PO string.
ANY_CHAR = st.characters(exclude_categories=("Cs",), exclude_characters="\x00\x04")
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(SPECIAL), ANY_CHAR,
                          st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúãõç", min_size=1, max_size=12),
                          st.just(" ")), max_size=80).map("".join)
LINE = TEXT.map(lambda t: t.replace("\n", " ").rstrip("\\"))  # GNU joins a line ending in "\" with the next
FLAGS = st.lists(st.sampled_from(["fuzzy", "no-wrap", "wrap", "no-c-format", "no-python-format",
                                  "impossible-c-format", "range: 1..5", "range: 9..3", "range: 0..x", "custom-flag",
                                  "space-ellipsis-check"]), max_size=4)
PATH = st.from_regex(r"(\./)?[a-zA-Z0-9_ñü/-]{1,40}\.(md|yaml|py)(:[0-9]{1,5})?", fullmatch=True)


@st.composite
def entries(draw: st.DrawFn, key: int) -> Entry:
    """One entry; its key is unique (a "#key" suffix), never the header's (None, "")."""
    e = Entry(draw(TEXT), msgctxt=draw(st.one_of(st.none(), TEXT)))
    if e.msgctxt is None:
        e.msgid += f"#{key}"
    else:
        e.msgctxt += f"#{key}"
    if draw(st.integers(0, 6)) == 0:
        e.msgid_plural = draw(TEXT)
        e.msgstr_plural = draw(st.lists(TEXT, min_size=1, max_size=3))
    else:
        e.msgstr = draw(TEXT)
    e.flags = draw(FLAGS)
    e.user_comments = draw(st.lists(LINE, max_size=2))
    e.auto_comments = draw(st.lists(LINE, max_size=2))
    e.references = draw(st.lists(PATH, max_size=6))
    if draw(st.booleans()):
        e.previous_msgid = draw(TEXT)
        e.previous_msgctxt = draw(st.one_of(st.none(), TEXT))
    e.obsolete = draw(st.booleans())
    return e


@st.composite
def catalogs(draw: st.DrawFn) -> PoFile:
    return PoFile(header=draw(st.sampled_from([catalog_header(LANGS["es"]), catalog_header(LANGS["pt"]), template_header()])),
                  header_comments=draw(st.lists(LINE, max_size=2)), header_fuzzy=draw(st.booleans()),
                  entries=[draw(entries(i)) for i in range(draw(st.integers(1, 6)))])


@needs_msgcat
@SETTINGS
@given(catalogs())
@example(catalog([Entry("e\u0301" * 100, "word " * 40, msgctxt="\u2028" * 3)]))
@example(catalog([Entry(",x " + "x" * 90 + " Ação", obsolete=True, msgstr="y" * 79)]))
def test_generated_catalogs(po_file: PoFile) -> None:
    text = format_po(po_file)
    assert_msgcat_identical(text, msgcat(text), "generated catalog")
    if "\r" not in text:  # the reader refuses carriage returns (P106)
        back, diags = parse_po(text, "generated.po")
        assert back is not None, diags
        assert format_po(back) == text, "what format_po writes, parse_po reads back to the same bytes"


# -- the line breaker and its tables against libunistring -----------------------------

def _libunistring() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("unistring") or "libunistring.so.2"
    try:
        lib = ctypes.CDLL(name)
        version = ctypes.c_int.in_dll(lib, "_libunistring_version").value
    except (OSError, ValueError):
        return None
    return lib if version == 0x010000 else None  # the tables are libunistring 1.0's (Unicode 14)


LIB = _libunistring()
needs_libunistring = pytest.mark.skipif(LIB is None, reason="libunistring 1.0 (GNU gettext 0.21's) is not installed")


@needs_libunistring
def test_tables_match_libunistring_for_every_code_point() -> None:
    assert LIB is not None

    class Props(ctypes.Structure):  # lbrkprop_t of libunistring 1.0 (three-level table)
        _fields_ = [("level1", ctypes.c_int * 15), ("level2", ctypes.c_int * (4 << 9)),
                    ("level3", ctypes.c_ubyte * (246 << 7))]

    props = Props.in_dll(LIB, "libunistring_unilbrkprop")
    level1, level2, level3 = list(props.level1), list(props.level2), bytes(props.level3)
    resolve = {40: po._AL, 39: po._ID1, 41: po._AL, 42: po._AL}  # AI, CB, SA, XX as u8_possible_linebreaks does
    uc_width = LIB.uc_width
    uc_width.restype, uc_width.argtypes = ctypes.c_int, [ctypes.c_uint32, ctypes.c_char_p]
    wrong = []
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        prop = 42
        if (cp >> 16) < 15 and (a := level1[cp >> 16]) >= 0 and (b := level2[a + ((cp >> 7) & 511)]) >= 0:
            prop = level3[b + (cp & 127)]
        ch = chr(cp)
        if po.line_break_class(ch) != resolve.get(prop, prop) or po.char_width(ch) != uc_width(cp, b"UTF-8"):
            wrong.append(f"U+{cp:04X}")
    assert not wrong, f"{len(wrong)} code points differ: {wrong[:20]}"
    pair_table = (ctypes.c_ubyte * (33 * 33)).in_dll(LIB, "libunistring_unilbrk_table")
    assert [[" DIP"[pair_table[33 * a + b]] for b in range(33)] for a in range(33)] == [list(r) for r in po._PAIRS]


def _gnu_breaks(text: str, width: int, start: int) -> list[int]:
    """The character indices where ulc_width_linebreaks_v2 breaks, with write-po.c's overrides."""
    assert LIB is not None
    fn = LIB.ulc_width_linebreaks_v2
    fn.restype = ctypes.c_int
    fn.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                   ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    data = text.encode("utf-8")
    offsets, at = [], 0
    for ch in text:
        offsets.append(at)
        at += len(ch.encode("utf-8"))
    overrides = bytearray(len(data))  # UC_BREAK_UNDEFINED
    i = 0
    while i < len(text):
        if text[i] == "\\":
            overrides[offsets[i + 1]] = 1  # UC_BREAK_PROHIBITED inside an escape sequence
            i += 2
        else:
            i += 1
    if text.endswith("\\n"):
        overrides[offsets[-2]] = 1
    out = ctypes.create_string_buffer(len(data))
    fn(data, len(data), width, start, 0, bytes(overrides), b"UTF-8", out)
    return [k for k, offset in enumerate(offsets) if out.raw[offset] == 2]  # UC_BREAK_POSSIBLE


@needs_libunistring
@settings(max_examples=max(EXAMPLES * 10, 500), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from([77, 74, 73, 40, 10, 2]), st.sampled_from([0, 6, 7, 13, 80]))
def test_line_breaks_match_libunistring(value: str, width: int, start: int) -> None:
    for portion in po._PORTIONS.findall(value) or [""]:
        text = po._escape(portion)
        assert po._breaks(text, width, start) == _gnu_breaks(text, width, start), repr(text)
