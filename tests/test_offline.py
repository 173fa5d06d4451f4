"""The downloadable course works with no network: each language's zip, unpacked and opened
from ``file://`` in Chromium with every non-``file://`` request aborted, has a working search
in its language, working links between pages and to the glossary, and no console error; no file
of any bundle loads anything from another host.

The session builds ``tests/fixtures/translated`` with the real ``cda build --offline``.
"""

from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "translated"
SHIM = REPO / "build_tools" / "site" / "theme" / "assets" / "javascripts" / "iframe-worker-shim.js"
NPM_SHIM = REPO / "node_modules" / "iframe-worker" / "shim" / "index.js"
LANGS = ("en", "es", "pt")
QUERY = {"en": "evaluation", "es": "evaluación", "pt": "avaliação"}
MODULE_TITLE = {  # the fixture's evaluation module, as its catalogs translate it
    "en": "Evaluation basics: does the program work?",
    "es": "Fundamentos de la evaluación: ¿funciona el programa?",
    "pt": "Fundamentos da avaliação: o programa funciona?",
}
GLOSSARY_TITLE = {"en": "Glossary", "es": "Glosario", "pt": "Glossário"}
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


@pytest.fixture(scope="session")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the fixture with ``cda build --offline`` and unpack each language's zip."""
    root = tmp_path_factory.mktemp("offline")
    shutil.copytree(FIXTURE / "curriculum", root / "curriculum")
    proc = subprocess.run([sys.executable, "-m", "build_tools", "build", "--offline", "--root", str(root)],
                          cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, f"cda build --offline failed:\n{proc.stdout}\n{proc.stderr}"
    out = root / "unpacked"
    found = {}
    for lang in LANGS:
        with zipfile.ZipFile(root / "site" / "downloads" / f"city-data-course-{lang}.zip") as zf:
            zf.extractall(out)
        found[lang] = out / f"city-data-course-{lang}"
        assert (found[lang] / "index.html").is_file()
    return found


# -- the vendored worker shim -----------------------------------------------------------

def test_vendored_shim_is_the_pinned_npm_package() -> None:
    """Our copy of iframe-worker's shim is the npm package's file, at the version package.json pins."""
    pinned = json.loads((REPO / "package.json").read_text("utf-8"))["devDependencies"]["iframe-worker"]
    lock = json.loads((REPO / "package-lock.json").read_text("utf-8"))
    assert lock["packages"]["node_modules/iframe-worker"]["version"] == pinned
    header, body = SHIM.read_text("utf-8").split("\n", 1)
    assert header.startswith(f"/*! iframe-worker {pinned} ") and "MIT License" in header
    if not NPM_SHIM.is_file():
        pytest.skip("node_modules/iframe-worker is missing: run `bash scripts/install-system-deps.sh`")
    assert body == NPM_SHIM.read_text("utf-8")


# -- no outside host --------------------------------------------------------------------

class _Refs(html.parser.HTMLParser):
    """Every URL a page loads by itself: src of any element, href of <link>, inline style url()."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "src" in a:
            self.urls.append(a["src"])
        if tag == "link" and "href" in a:
            self.urls.append(a["href"])
        if "style" in a:
            self.urls += css_urls(a["style"])
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def css_urls(css: str) -> list[str]:
    return [m.group(2) for m in re.finditer(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""", css)]


def js_imports(js: str) -> list[str]:
    return re.findall(r"""(?:\bimport\s*\(?\s*|\bfrom\s+|importScripts\(\s*)["'`]([^"'`]+)["'`]""", js)


def test_no_file_of_any_bundle_loads_from_another_host(bundles: dict[str, Path]) -> None:
    offending = []
    for lang, folder in bundles.items():
        for path in sorted(folder.rglob("*")):
            rel = f"{lang}/{path.relative_to(folder)}"
            if path.suffix == ".html":
                refs = _Refs()
                refs.feed(path.read_text("utf-8"))
                urls = refs.urls + [u for s in refs.scripts for u in js_imports(s)]
            elif path.suffix == ".css":
                urls = css_urls(path.read_text("utf-8"))
            elif path.suffix == ".js":
                urls = js_imports(path.read_text("utf-8"))
            else:
                continue
            offending += [f"{rel}: {u}" for u in urls if EXTERNAL.match(u)]
    assert not offending, "\n".join(offending[:20])


def test_bundles_hold_no_online_only_files(bundles: dict[str, Path]) -> None:
    """No source maps, no sitemap and no 404 page: they need a web server and a site URL."""
    for folder in bundles.values():
        extra = [p.name for p in folder.rglob("*") if p.suffix == ".map" or p.name.startswith("sitemap")
                 or p.name == "404.html"]
        assert not extra, extra


def test_every_link_inside_a_bundle_resolves_to_a_file_in_it(bundles: dict[str, Path]) -> None:
    broken = []
    for lang, folder in bundles.items():
        for page in folder.rglob("*.html"):
            for href in re.findall(r'<a [^>]*href="([^"#]+)[^"]*"', page.read_text("utf-8")):
                if EXTERNAL.match(href) or href.startswith(("mailto:", "javascript:")):
                    continue
                target = (page.parent / unquote(urlsplit(href).path)).resolve()
                if not target.is_file() or folder.resolve() not in target.parents:
                    broken.append(f"{lang}/{page.relative_to(folder)} -> {href}")
    assert not broken, "\n".join(broken[:20])


def test_switcher_names_the_other_bundles_instead_of_linking_outside(bundles: dict[str, Path]) -> None:
    text = (bundles["es"] / "index.html").read_text("utf-8")
    assert "English: city-data-course-en.zip" in text and "Português: city-data-course-pt.zip" in text
    assert 'hreflang="en"' not in text and 'hreflang="pt"' not in text


# -- in a browser, with no network -------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_bundle_from_disk_searches_and_follows_links_with_no_network(browser: Any, bundles: dict[str, Path],
                                                                     lang: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    blocked: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def only_files(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    try:
        page.goto((bundles[lang] / "index.html").as_uri(), wait_until="load")
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially(QUERY[lang], delay=20)
        page.wait_for_function("() => /\\d/.test(document.querySelector('.md-search-result__meta').textContent)")
        results = page.locator(".md-search-result__list a")
        titles = [t.strip() for t in page.locator(".md-search-result__list h1").all_inner_texts()]
        assert MODULE_TITLE[lang] in titles, titles
        results.nth(titles.index(MODULE_TITLE[lang])).click()
        page.wait_for_load_state("load")
        assert page.url.startswith("file://") and "/modules/" in page.url, page.url
        assert MODULE_TITLE[lang] in page.locator("article h1").first.inner_text()
        term = page.locator("article a[href*='glossary.html#']").first
        anchor = term.get_attribute("href").split("#", 1)[1]
        term.click()
        page.wait_for_load_state("load")
        assert page.url.split("#")[0].endswith("/glossary.html"), page.url
        assert GLOSSARY_TITLE[lang] in page.locator("article h1").first.inner_text()
        assert page.locator(f"[id='{anchor}']").count() == 1, anchor
        assert not blocked, blocked
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_case_index_filters_from_disk_with_no_network(browser: Any, bundles: dict[str, Path], lang: str) -> None:
    """The case library's filters (a local script, no request) work in the bundle opened from disk."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                  else route.abort())
    try:
        page.goto((bundles[lang] / "cases" / "index.html").as_uri(), wait_until="load")
        visible = ("els => els.filter(li => li.offsetParent !== null)"
                   ".map(li => li.querySelector('a').getAttribute('href'))")
        items = "article li:has(span.cda-case)"
        assert sorted(page.eval_on_selector_all(items, visible)) == [
            "bogota-care-blocks.html", "monterrey-participatory-budget.html", "recife-pacto-pela-vida.html"]
        page.select_option("select[name=country]", "CO")
        assert page.eval_on_selector_all(items, visible) == ["bogota-care-blocks.html"]
        page.locator(items + " a:visible").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/cases/bogota-care-blocks.html"), page.url
        assert not errors, errors
    finally:
        context.close()
