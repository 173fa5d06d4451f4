"""Translation QA (``cda check``): catalogs are gettext-clean, keep the source's Markdown,
add nothing unsafe, and use the glossary's required terms."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from build_tools.base.diagnostics import Diagnostic, Loc, display_path, error, warning
from build_tools.base.languages import Language
from build_tools.i18n.catalogs import plural_forms
from build_tools.source.model import Term
from build_tools.text.po import Entry, PoFile
from build_tools.text.safety import unsafe_translation

CODE = re.compile(r"`+[^`]*`+")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
BROKEN_LINK = re.compile(r"\]\s+\(")
STRONG = re.compile(r"\*\*|__")
EM = re.compile(r"(?<![*\w])\*(?!\*)|(?<!\*)\*(?![*\w])")


def check_header(po: PoFile, lang: Language, path: str) -> list[Diagnostic]:
    out = []
    want = lang.locale
    if not po.header:
        return [error(Loc(path, 1, 1), "P200", "catalog header (the entry with msgid \"\") is missing or empty",
                      "start the catalog with the header of its template, or delete it and run `cda update`")]
    got = po.header.get("Language", "")
    if got != want:
        out.append(error(Loc(path, 1, 1), "P200", f"header Language is '{got}' but this catalog is for '{want}'",
                         f"set \"Language: {want}\\n\" in the header"))
    forms = po.header.get("Plural-Forms", "")
    if forms.replace(" ", "") != plural_forms(want).replace(" ", ""):
        out.append(error(Loc(path, 1, 1), "P201", f"header Plural-Forms is '{forms}'",
                         f"use \"Plural-Forms: {plural_forms(want)}\\n\""))
    if "charset=UTF-8" not in po.header.get("Content-Type", "").replace("utf-8", "UTF-8"):
        out.append(error(Loc(path, 1, 1), "P202", "catalog is not declared as UTF-8",
                         "set \"Content-Type: text/plain; charset=UTF-8\\n\""))
    return out


def nplurals(locale: str) -> int:
    match = re.search(r"nplurals=(\d+)", plural_forms(locale))
    return int(match.group(1)) if match else 2


def check_entry(e: Entry, lang: Language, path: str, terms: tuple[Term, ...], definitions: str = "") -> list[Diagnostic]:
    loc = Loc(path, e.line or 1, 1)
    out: list[Diagnostic] = []
    if e.msgid_plural is not None and e.msgstr_plural and len(e.msgstr_plural) != nplurals(lang.locale):
        out.append(error(loc, "P203", f"translation has {len(e.msgstr_plural)} plural forms; "
                         f"{lang.locale} has {nplurals(lang.locale)}", "give exactly one msgstr[N] per plural form"))
    if not e.translated:
        return out
    if e.msgid_plural is None:
        pairs = [(e.msgid, e.msgstr)]
    else:  # check each plural form against its source form, not the empty msgstr
        pairs = [(e.msgid if i == 0 else e.msgid_plural, form) for i, form in enumerate(e.msgstr_plural)]
    for src, dst in pairs:
        for code, message in unsafe_translation(src, dst, definitions):
            out.append(error(loc, code, message,
                             "keep the source's markup and links exactly; translate only the text"))
        out.extend(_parity(src, dst, loc))
        out.extend(check_terms(src, dst, lang.code, terms, loc))
    return out


MARKED = re.compile(r"[`{\]*_!\n]")
"""What every parity rule below needs in a message: without it in either text, none can fire."""


def _parity(src: str, dst: str, loc: Loc) -> list[Diagnostic]:
    if not MARKED.search(src) and not MARKED.search(dst):
        return []
    out = []
    if Counter(CODE.findall(src)) != Counter(CODE.findall(dst)):
        out.append(error(loc, "T101", "inline code differs from the source",
                         "copy every `code` span unchanged"))
    if BROKEN_LINK.search(dst) and not BROKEN_LINK.search(src):
        out.append(error(loc, "T102", "broken link: a space between ] and (",
                         "write [text](target) with no space"))
    if len(STRONG.findall(src)) != len(STRONG.findall(dst)) or len(EM.findall(src)) != len(EM.findall(dst)):
        out.append(error(loc, "T103", "emphasis markers (* or **) do not match the source",
                         "keep every **bold** and *italic* pair"))
    if Counter(PLACEHOLDER.findall(src)) != Counter(PLACEHOLDER.findall(dst)):
        out.append(error(loc, "T104", "placeholders such as {url} differ from the source",
                         "copy every {placeholder} unchanged"))
    if src.count("![") != dst.count("!["):
        out.append(error(loc, "T105", "images differ from the source", "keep every ![alt](src)"))
    if src.endswith("\n") != dst.endswith("\n") or src.count("\n") == 0 and dst.count("\n") > 0:
        out.append(error(loc, "T106", "line breaks differ from the source",
                         "keep the translation on as many lines as the source"))
    return out


LINK_TARGET = re.compile(r"\]\([^)]*\)|https?://\S+|`[^`]*`")


IDENTIFIER = re.compile(r"\b\w*_\w*\b")  # snake_case names (column names, fields) are code


COMBINING = dict.fromkeys(c for c in range(0x10000) if unicodedata.combining(chr(c)))
"""The combining marks of the Basic Multilingual Plane (accents once decomposed), for
:meth:`str.translate` to remove; text beyond it takes the slow way."""
TOKEN = re.compile(r"[a-z0-9]+|[,;:.!?()]")


def _fold(text: str) -> list[str]:
    return list(_folded(text))


@lru_cache(maxsize=65536)
def _folded(text: str) -> tuple[str, ...]:
    """Cached: a message is folded once for both languages' catalogs."""
    text = IDENTIFIER.sub(" ", LINK_TARGET.sub("]", text))
    text = unicodedata.normalize("NFKD", text.lower())
    if not text.isascii():
        text = text.translate(COMBINING)
        if any(ord(c) > 0xFFFF for c in text):
            text = "".join(c for c in text if not unicodedata.combining(c))
    # punctuation stays a token, so a multi-word term never matches across it ("data, quality")
    return tuple(TOKEN.findall(text.replace("|", " ")))


def _contains(words: list[str], term: list[str], same: Callable[[str, str], bool]) -> bool:
    if not term:
        return False
    n = len(term)
    for i in range(len(words) - n + 1):
        if all(same(words[i + j], term[j]) for j in range(n)):
            return True
    return False


def _without(words: list[str], phrases: tuple[str, ...]) -> list[str]:
    """The words with every occurrence of the phrases blanked out (the term's everyday uses)."""
    out = list(words)
    for phrase in phrases:
        folded = list(_folded_term(phrase))
        n = len(folded)
        for i in range(len(out) - n + 1):
            if n and out[i:i + n] == folded:
                out[i:i + n] = [""] * n
    return out


def _inflected_word(word: str, want: str) -> bool:
    """An inflected form of a Spanish or Portuguese word: same stem, other ending."""
    if len(want) <= 4:
        # short words: plan, planes; meta, metas; ação, ações (folded: acao, acoes)
        plural = {want + "s", want + "es"} | ({want[:-2] + "oes", want[:-2] + "aes"} if want.endswith("ao") else set())
        return word == want or word in plural
    stem = want[: max(4, int(len(want) * 0.75))]
    return word.startswith(stem) and len(word) - len(want) <= 3


def _variants(required: str) -> list[str]:
    """Accepted forms of a required term: ``a; b`` and ``a (b)`` accept either a or b."""
    out: list[str] = []
    for part in re.split(r"[;/]", required):
        base = re.sub(r"\s*\([^)]*\)", "", part).strip()
        out += [base] if base else []
        out += [inner.strip() for inner in re.findall(r"\(([^)]*)\)", part) if inner.strip()]
    return out


@lru_cache(maxsize=16384)
def _folded_term(text: str) -> tuple[str, ...]:
    return tuple(_fold(text))


def _english_forms(word: str) -> set[str]:
    forms = {word, word + "s", word + "es"}
    return forms | ({word[:-1] + "ies"} if word.endswith("y") else set())


def check_terms(src: str, dst: str, lang: str, terms: tuple[Term, ...], loc: Loc) -> list[Diagnostic]:
    words_src = _fold(src)
    # Only the terms whose first word (or its plural) is in the message, in the glossary's order.
    index = _term_index(terms)
    found: dict[int, tuple[Term, tuple[frozenset[str], ...]]] = {}
    for word in set(words_src):
        for pos, term, forms in index.get(word, ()):
            found[pos] = (term, forms)
    if not found:
        return []
    words_dst = _fold(dst)
    out = []
    for pos in sorted(found):
        term, term_forms = found[pos]
        words = _without(words_src, term.ordinary_sense) if term.ordinary_sense else words_src
        if not _contains_forms(words, term_forms):
            continue
        required = term.required(lang)
        if not required:  # no translation given for this language (cda validate reports it)
            continue
        variants = _variants(required)
        if not any(_contains(words_dst, list(_folded_term(v)), _inflected_word) for v in variants):
            out.append(warning(loc, "G300", f"source uses the glossary term '{term.term}'; "
                               f"the translation should use '{required}'",
                               f"use the glossary's term (glossary:{term.id}) or an inflected form of it"))
    return out


_TermForms = tuple[int, Term, tuple[frozenset[str], ...]]
_INDEXES: dict[int, tuple[tuple[Term, ...], dict[str, list[_TermForms]]]] = {}


def _term_index(terms: tuple[Term, ...]) -> dict[str, list[_TermForms]]:
    """The glossary's English terms by each form of their first word: (position, term, the
    forms of each of its words). Built once per glossary (by identity: the model's tuple)."""
    hit = _INDEXES.get(id(terms))
    if hit is not None and hit[0] is terms:
        return hit[1]
    index: dict[str, list[_TermForms]] = {}
    for pos, term in enumerate(terms):
        english = _folded_term(term.term)
        if len(term.term) < 4 or not english:
            continue
        forms = tuple(frozenset(_english_forms(word)) for word in english)
        for form in forms[0]:
            index.setdefault(form, []).append((pos, term, forms))
    if len(_INDEXES) > 8:  # a long `cda serve` loads a new glossary on each edit
        _INDEXES.clear()
    _INDEXES[id(terms)] = (terms, index)
    return index


def _contains_forms(words: list[str], forms: tuple[frozenset[str], ...]) -> bool:
    """Whether ``words`` hold the term: a run of words, each one of the forms of the term's word."""
    n = len(forms)
    first = forms[0]
    return any(words[i] in first and all(words[i + j] in forms[j] for j in range(1, n))
               for i in range(len(words) - n + 1))


def msgfmt_check(path: Path) -> list[Diagnostic]:
    """GNU ``msgfmt --check`` on one catalog, as diagnostics (skipped if not installed)."""
    exe = shutil.which("msgfmt")
    if exe is None:
        return []
    proc = subprocess.run([exe, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False)
    out: list[Diagnostic] = []
    for line in proc.stderr.splitlines():
        match = re.match(r"^(.*?):(\d+):\s*(.*)$", line)
        if match and "msgfmt:" not in match.group(1):
            text = match.group(3)
            if text.startswith("...") and out and out[-1].message.endswith("..."):
                # msgfmt explains one problem on two lines ("X..." then "...Y"): keep it one diagnostic.
                last = out.pop()
                text = f"{last.message[:-3]} ({text[3:]} at line {match.group(2)})"
                out.append(Diagnostic(last.loc, last.code, text, last.hint, last.severity))
                continue
            kind = warning if "warning" in text else error
            out.append(kind(Loc(display_path(path), int(match.group(2)), 1), "P300",
                            f"msgfmt: {text}", "fix the entry so that GNU msgfmt --check passes"))
    if proc.returncode != 0 and not out:
        detail = " ".join(proc.stderr.replace(exe, "msgfmt").replace(str(path), display_path(path)).split())[:200]
        out.append(error(Loc(display_path(path)), "P300", f"msgfmt --check failed: {detail}",
                         "run msgfmt --check on the file"))
    return out


def check_catalog(path: Path, po: PoFile, lang: Language, terms: tuple[Term, ...], definitions: str = "") -> list[Diagnostic]:
    """Every check on one catalog; ``definitions``: its source document's (for the safety guard)."""
    shown = display_path(path)
    out = check_header(po, lang, shown)
    for entry in po.active():
        out.extend(check_entry(entry, lang, shown, terms, definitions))
    return out
