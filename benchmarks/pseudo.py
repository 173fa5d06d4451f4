"""The benchmark's stand-in for a translator: no dependencies, so the mdpo driver can use it too.

:func:`pseudo_translate` changes every word (Spanish: reversed; Portuguese: rotated; long
words get an accent so accent folding runs) and keeps every piece of Markdown byte-identical:
code spans, link and image targets, emphasis markers, HTML, entities, ``{placeholders}``.
:func:`is_translated` leaves a fixed share of messages untranslated (by a hash of the
message), so the English fallback path of the site runs too.
"""

from __future__ import annotations

import re
import zlib

UNTRANSLATED = {"es": 10, "pt": 25}      # percent of messages left untranslated
PROTECT = re.compile(r"`+[^`]*`+|\]\([^)\s]*\)|<[^>\n]*>|&#?\w+;|\{[a-z_]+\}|[a-z]+://\S+")
WORD = re.compile(r"[A-Za-z]+")


def _word(word: str, lang: str) -> str:
    low = word.lower()
    out = low[::-1] if lang == "es" else low[1:] + low[:1]
    if len(out) >= 7:
        out = out.replace("a", "á", 1) if lang == "es" else out.replace("o", "õ", 1)
    return out.capitalize() if word[:1].isupper() else out


def pseudo_translate(text: str, lang: str) -> str:
    """Change the words, keep every piece of Markdown and every link target byte-identical."""
    def words(part: str) -> str:
        return WORD.sub(lambda m: _word(m.group(0), lang), part)
    out, pos = [], 0
    for match in PROTECT.finditer(text):
        out.append(words(text[pos:match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(words(text[pos:]))
    return "".join(out)


def is_translated(lang: str, ctx: str | None, msgid: str) -> bool:
    return zlib.crc32(f"{lang}|{ctx or ''}|{msgid}".encode()) % 100 >= UNTRANSLATED[lang]
