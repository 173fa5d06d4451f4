"""Search: Pagefind on the site, lunr with word forms in the offline bundles.

On the site, each language gets a Pagefind bundle (``<language root>/pagefind/``, built by
:func:`index_site` with that language's Snowball stemmer) and Material's search UI talks to it
through ``theme/assets/javascripts/pagefind-worker.js``; Material's own index keeps only its
configuration (:func:`empty_index`), so a reader fetches the index chunks of the words typed
and the fragments of the first results, never the whole course.

The offline bundles (file://, where Pagefind cannot fetch) keep Material's lunr search, which
forgives accents and inflections as follows. Material's search appends ``*`` to every query word, and lunr does not stem wildcard terms, so
the index keeps whole words (no stemmer). After each build this module adds to every search
entry a hidden ``terms`` field with the unaccented form and the plural or singular of each word
(``evaluación`` → ``evaluacion``, ``evaluaciones``), so all of them find the page. Readers never
see the field: results show the title and text only.
"""

from __future__ import annotations

import concurrent.futures
import json
import re
import shutil
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from pagefind_bin import get_executable

from build_tools.base.errors import CdaError

WORD = re.compile(r"[^\W\d_]{3,}")
TAG = re.compile(r"<[^>]+>")
JS_PREFIX = "var __index = "


def fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def inflections(word: str, lang: str) -> set[str]:
    """Singular and plural forms of a word, by the regular rules of the language."""
    w = word.lower()
    out = set()
    if lang == "es":
        if w.endswith("ión"):
            out.add(w[:-3] + "iones")
        elif w.endswith("iones"):
            out.add(w[:-5] + "ión")
        elif w.endswith("ces"):
            out.add(w[:-3] + "z")
        elif w.endswith("z"):
            out.add(w[:-1] + "ces")
        elif w.endswith("es"):
            out.update({w[:-2], w[:-1]})
        elif w.endswith("s"):
            out.add(w[:-1])
        elif w[-1] in "aeiouáéíóú":
            out.add(w + "s")
        else:
            out.add(w + "es")
    elif lang == "pt":
        for sing, plur in (("ção", "ções"), ("são", "sões"), ("ão", "ões"), ("al", "ais"), ("el", "éis"),
                           ("ol", "óis"), ("il", "is"), ("m", "ns")):
            if w.endswith(plur):
                out.add(w[: -len(plur)] + sing)
                break
            if w.endswith(sing):
                out.add(w[: -len(sing)] + plur)
                break
        else:
            if w.endswith("es"):
                out.update({w[:-2], w[:-1]})
            elif w.endswith("s"):
                out.add(w[:-1])
            elif w[-1] in "rz":
                out.add(w + "es")
            else:
                out.add(w + "s")
    else:
        if w.endswith("ies"):
            out.add(w[:-3] + "y")
        elif w.endswith("s"):
            out.add(w[:-1])
        elif w.endswith("y"):
            out.add(w[:-1] + "ies")
        else:
            out.add(w + "s")
    return out


def extra_terms(text: str, lang: str) -> str:
    """The forms a reader may type that the text does not contain as written."""
    words = {w.lower() for w in WORD.findall(TAG.sub(" ", text))}
    forms: set[str] = set()
    for w in words:
        forms |= _forms(w, lang)
    return " ".join(sorted(forms - words))


@lru_cache(maxsize=65536)
def _forms(word: str, lang: str) -> frozenset[str]:
    out: set[str] = set()
    for form in {word, *inflections(word, lang)}:
        out.update({form, fold(form)})
    return frozenset(out)


def augment_index(data: dict[str, Any], rules: dict[str, str] | None = None) -> dict[str, Any]:
    """Add the ``terms`` field to a Material search index (in place) and return it.

    ``rules`` maps the index's language to the word-form rules to use (program.yaml's
    ``search``); a language without rules gets the English ones.
    """
    langs = data.get("config", {}).get("lang") or ["en"]
    code = langs[0] if len(langs) == 1 else "en"
    lang = (rules or {}).get(code, code)
    fields = data.setdefault("config", {}).setdefault("fields", {})
    fields["terms"] = {"boost": 1}
    for doc in data.get("docs", []):
        doc["terms"] = extra_terms(f"{doc.get('title', '')} {doc.get('text', '')}", lang)
    return data


def augment_site(site_dir: Path, rules: dict[str, str] | None = None) -> int:
    """Augment every search index under ``site_dir`` (JSON, and the offline plugin's JS)."""
    count = 0
    for path in sorted(site_dir.rglob("search/search_index.json")):
        data = json.loads(path.read_text("utf-8"))
        path.write_text(json.dumps(augment_index(data, rules), ensure_ascii=False, separators=(",", ":")), "utf-8")
        count += 1
    for path in sorted(site_dir.rglob("search/search_index.js")):
        text = path.read_text("utf-8")
        if text.startswith(JS_PREFIX):
            body = text[len(JS_PREFIX):].rstrip().rstrip(";")
            data = augment_index(json.loads(body), rules)
            path.write_text(JS_PREFIX + json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
            count += 1
    return count


# -- Pagefind (the site) ---------------------------------------------------------------

ROOT_SELECTOR = "article.md-content__inner"
"""What Pagefind indexes: the page's article, not the navigation, header or footer."""
EXCLUDE = (".headerlink", ".md-source-file", ".md-content__button")


KEEP = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "pagefind.", "index", "fragment")
"""What a bundle keeps of Pagefind's output: the search library, not its own user interfaces."""


def index_language(folder: Path, lang: str, skip: tuple[str, ...] = ()) -> int:
    """Write ``folder/pagefind/``: the pages under ``folder`` (not those in the ``skip``
    subfolders, the other languages, nor the 404 page) as one Pagefind index in ``lang``,
    stemmed by that language's Snowball stemmer. Returns the page count.

    Runs Pagefind's command line (``pagefind_bin``): its Python service answers before it has
    finished writing, and closing it then can leave a file empty.
    """
    top = sorted(p.name for p in folder.iterdir() if p.name not in (*skip, "pagefind", "404.html")
                 and (p.is_dir() or p.suffix == ".html"))
    pattern = "{" + ",".join(name if name.endswith(".html") else f"{name}/**/*.html" for name in top) + "}"
    out = folder / "pagefind"
    shutil.rmtree(out, ignore_errors=True)
    command = [str(get_executable()), "--site", str(folder), "--glob", pattern, "--force-language", lang,
               "--root-selector", ROOT_SELECTOR, "--output-path", str(out)]
    for selector in EXCLUDE:
        command += ["--exclude-selectors", selector]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"Indexed (\d+) page", proc.stdout)
    entry = out / "pagefind-entry.json"
    if proc.returncode != 0 or not found or not entry.is_file() or not entry.stat().st_size:
        raise CdaError(f"pagefind failed on {folder}:\n{proc.stdout}{proc.stderr}".rstrip())
    for path in out.iterdir():
        if not path.name.startswith(KEEP) and path.name != f"wasm.{lang}.pagefind":
            path.unlink()
    return int(found.group(1))


def empty_index(site_dir: Path) -> None:
    """Material's search index without its documents: the page's UI reads only its configuration,
    the Pagefind worker answers the queries."""
    for path in sorted(site_dir.rglob("search/search_index.json")):
        data = json.loads(path.read_text("utf-8"))
        data["docs"] = []
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")


def index_site(site_dir: Path, root_lang: str, others: list[str]) -> dict[str, int]:
    """A Pagefind bundle for the language at the root and for each other language whose folder
    the build wrote (``site_dir/<code>``), all at once; returns the pages indexed per language."""
    jobs = {root_lang: (site_dir, tuple(others))}
    jobs |= {code: (site_dir / code, ()) for code in others if (site_dir / code / "index.html").is_file()}
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(jobs)) as pool:  # each runs a process
        futures = {code: pool.submit(index_language, folder, code, skip) for code, (folder, skip) in jobs.items()}
        counts = {code: future.result() for code, future in futures.items()}
    empty_index(site_dir)
    return counts
