"""End-to-end tests of the built site in a real headless Chromium (Debian's ``chromium``).

The session builds ``tests/fixtures/translated`` (a small, fully translated three-language
project with one deliberately partial page) with ``cda build``, serves ``site/`` on
127.0.0.1 with a threaded ``http.server``, and drives Chromium through Playwright's Python
API. ``scripts/install-system-deps.sh`` installs Chromium, gettext and axe-core.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "translated"
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
INSTALL_HINT = "run `bash scripts/install-system-deps.sh` (as root) to install it"

LANGS = ("en", "es", "pt")
PREFIX = {"en": "/", "es": "/es/", "pt": "/pt/"}
HOME = ""
MODULE = "modules/ev-01-evaluation-basics/"
CORE_MODULE = "modules/core-01-leading-with-data/"
PLAYBOOK = "playbooks/ev-01-team-lab/"
HANDOUT = "handouts/core-01-commitment-cards/"
PARTIAL = "for-translators/"
EVALUATION_PAGES = ("tracks/evaluation/", MODULE)
SEARCHES = {
    "es": ("evaluación", "evaluacion", "evaluaciones", "¿evaluación?"),
    "pt": ("avaliação", "avaliacao", "avaliações"),
}
TITLES = {  # the evaluation module's title, as translated in the fixture's catalogs
    "en": "Evaluation basics: does the program work?",
    "es": "Fundamentos de la evaluación: ¿funciona el programa?",
    "pt": "Fundamentos da avaliação: o programa funciona?",
}
NOTICE = {"es": "Traducción en curso", "pt": "Tradução em andamento"}
UNTRANSLATED = "A passage that is not translated yet is shown in English"
MAX_MODULE_BYTES = 80 * 1024

# -- fixtures ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the translated fixture with the real ``cda build``; return its ``site/``."""
    root = tmp_path_factory.mktemp("translated")
    shutil.copytree(FIXTURE / "curriculum", root / "curriculum")
    proc = subprocess.run([sys.executable, "-m", "build_tools", "build", "--root", str(root)],
                          cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, f"cda build failed:\n{proc.stdout}\n{proc.stderr}"
    site = root / "site"
    for lang in LANGS:
        assert (site / PREFIX[lang].lstrip("/") / "index.html").is_file(), f"no home page for {lang}"
    return site


def test_fixture_catalogs_are_current(tmp_path: Path) -> None:
    """The fixture's catalogs hold exactly today's messages (sources and build_tools/base/ui.py), all
    translated but the one deliberately left in English, and pass ``cda check``.

    If this fails, refresh the fixture: ``cda extract --root tests/fixtures/translated``, then
    ``cda update --root tests/fixtures/translated``, translate the new messages, and run
    ``cda check --root tests/fixtures/translated`` until it reports 0 errors.
    """
    from build_tools.check.project import Project, load_valid
    from build_tools.i18n.store import CatalogStore
    from build_tools.i18n.translation import build_templates

    cur, _ = load_valid(FIXTURE)
    pots = build_templates(cur)
    for lang in ("es", "pt"):
        catalogs, diags = CatalogStore(Project(FIXTURE)).catalogs(lang)
        assert not diags, diags
        assert sorted(catalogs) == sorted(pots), f"{lang}: catalogs {sorted(catalogs)} != templates {sorted(pots)}"
        for domain, pot in pots.items():
            entries = catalogs[domain].active()
            assert {e.key for e in entries} == {e.key for e in pot.active()}, f"{lang}/{domain}.po is out of date"
            left = [e.msgid for e in entries if not e.translated]
            if domain == "page-for-translators":  # the partial page: exactly one message left in English
                assert len(left) == 1 and left[0].startswith(UNTRANSLATED), f"{lang}/{domain}.po: {left}"
            else:
                assert not left, f"{lang}/{domain}.po: untranslated or fuzzy: {left}"
    copy = tmp_path / "translated"  # a copy: the check keeps its cache in the project (.cache/cda/)
    shutil.copytree(FIXTURE, copy)
    proc = subprocess.run([sys.executable, "-m", "build_tools", "check", "--strict", "--root", str(copy)],
                          cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, f"cda check:\n{proc.stdout}\n{proc.stderr}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The site served on 127.0.0.1, on a free port, by a threaded http.server."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class Tab:
    """A page with what it logged: console errors, uncaught exceptions, requests."""

    page: Any
    base: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def url(self, lang: str, path: str = "") -> str:
        return self.base + PREFIX[lang] + path

    def open(self, lang: str, path: str = "") -> Any:
        response = self.page.goto(self.url(lang, path), wait_until="load")
        assert response is not None and response.ok, f"{self.url(lang, path)}: HTTP {response and response.status}"
        return response


@pytest.fixture()
def tab(browser: Any, base_url: str) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    t = Tab(page, base_url)
    page.on("console", lambda msg: t.errors.append(f"console.{msg.type}: {msg.text} ({msg.location})")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: t.errors.append(f"uncaught: {exc}"))
    # Context-wide, so that requests from the search worker are recorded too.
    context.on("request", lambda request: t.requests.append(request.url))
    try:
        yield t
    finally:
        context.close()


# -- helpers ----------------------------------------------------------------------------

# Material's result count line once a search is done: "3 documents found", "No matching
# documents" and their translations ("No se encontraron documentos", "Nenhum documento...").
DONE = r"/\d|\bno\b|ning[uú]n|nenhum/i"


def search(tab: Tab, query: str) -> list[str]:
    """Type ``query`` into Material's search box; return the absolute URLs of the results."""
    page = tab.page
    box = page.locator("input.md-search__input")
    box.click()
    # An empty query brings back the placeholder ("Type to start searching"), so that the
    # count below is the one of this query, not of the previous one.
    box.fill("")
    page.wait_for_function(f"() => !{DONE}.test(document.querySelector('.md-search-result__meta').textContent)")
    box.press_sequentially(query, delay=20)
    page.wait_for_function(f"() => {DONE}.test(document.querySelector('.md-search-result__meta').textContent)")
    # The worker answers with the first results, then with the rest: wait until the list stands.
    shown = "() => document.querySelector('.md-search-result').innerText"
    last = None
    for _ in range(50):
        now = page.evaluate(shown)
        if now == last:
            break
        last = now
        page.wait_for_timeout(300)
    hrefs = page.eval_on_selector_all(".md-search-result__list a", "els => els.map(a => a.href)")
    return [urljoin(page.url, h) for h in hrefs]


def heading(page: Any) -> str:
    """The page's H1 without its permalink ("¶")."""
    return page.locator("article h1").first.evaluate(
        "h => [...h.childNodes].filter(n => !(n.classList && n.classList.contains('headerlink')))"
        ".map(n => n.textContent).join('').trim()")


def path_of(url: str) -> str:
    return urlsplit(url).path


def run_axe(tab: Tab) -> list[dict[str, Any]]:
    tab.page.add_script_tag(path=str(AXE))
    result = tab.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}")
            lines.append(f"        {node['html'][:200]}")
    return "\n".join(lines)


# -- (a) search per language ------------------------------------------------------------

@pytest.mark.parametrize("lang", ["es", "pt"])
def test_search_finds_accented_unaccented_and_inflected_words(tab: Tab, lang: str) -> None:
    tab.open(lang, CORE_MODULE)
    wanted = {PREFIX[lang] + p for p in EVALUATION_PAGES}
    for query in SEARCHES[lang]:
        results = search(tab, query)
        paths = [path_of(u) for u in results]
        assert wanted & set(paths), f"{lang}: '{query}' did not find the evaluation track or module: {paths}"
        foreign = [p for p in paths if not p.startswith(PREFIX[lang])]
        assert not foreign, f"{lang}: '{query}' returned pages of another language: {foreign}"


def test_english_search_returns_only_english_pages(tab: Tab) -> None:
    tab.open("en", CORE_MODULE)
    results = [path_of(u) for u in search(tab, "evaluation")]
    assert {"/" + p for p in EVALUATION_PAGES} & set(results), results
    assert not [p for p in results if p.startswith(("/es/", "/pt/"))], results


# -- (b) each reader downloads only their language's index ------------------------------

@pytest.mark.parametrize("lang", ["es", "pt"])
def test_reader_downloads_only_their_language_index(tab: Tab, lang: str) -> None:
    tab.open(lang, MODULE)
    search(tab, SEARCHES[lang][0])
    tab.page.wait_for_load_state("networkidle")
    indexes = sorted({path_of(u) for u in tab.requests if path_of(u).endswith("search_index.json")})
    assert indexes == [f"/{lang}/search/search_index.json"], indexes
    pagefind = {path_of(u) for u in tab.requests if "/pagefind/" in u}
    assert f"/{lang}/pagefind/wasm.{lang}.pagefind" in pagefind, sorted(pagefind)  # Snowball for the language
    assert all(p.startswith(f"/{lang}/pagefind/") for p in pagefind), sorted(pagefind)


def test_search_results_show_titles_excerpts_and_sections_that_open(tab: Tab) -> None:
    """Pagefind's answers in Material's result list: the page's title, an excerpt with the words
    marked, and links to its sections that land on a heading of the page."""
    tab.open("es", CORE_MODULE)
    search(tab, "evaluaciones")
    first = tab.page.locator(".md-search-result__item").first
    assert first.locator("h1").inner_text().strip(), first.inner_html()
    marks = tab.page.locator(".md-search-result__list mark").all_inner_texts()
    assert any(m.lower().startswith("evalua") for m in marks), marks
    sections = [h for h in tab.page.eval_on_selector_all(".md-search-result__list a", "els => els.map(a => a.href)")
                if "#" in h]
    assert sections, "no section links"
    url = urljoin(tab.page.url, sections[0])
    tab.page.goto(url)
    anchor = urlsplit(url).fragment
    assert tab.page.locator(f"[id='{anchor}']").count() == 1, url
    assert not tab.errors, "\n".join(tab.errors)


def test_search_in_a_one_process_build_uses_the_page_s_language(browser: Any, tmp_path: Path) -> None:
    """mkdocs-static-i18n building every language in one process (plain `mkdocs build`, and `cda
    serve`) puts /es/ under the root's assets: the worker still searches the Spanish bundle and
    links to /es/ pages."""
    import os

    root = tmp_path / "translated"
    shutil.copytree(FIXTURE / "curriculum", root / "curriculum")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "build_tools").symlink_to(REPO / "build_tools")
    (root / "docs").mkdir()  # MkDocs checks it exists before the hook fills it
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(REPO))
    env.pop("CDA_GENERATED", None)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    assert not (root / "site/es/assets").exists()  # the layout this test is about
    handler = functools.partial(_QuietHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(service_workers="block")
    try:
        tab = Tab(context.new_page(), f"http://127.0.0.1:{server.server_address[1]}")
        context.on("request", lambda request: tab.requests.append(request.url))
        for lang in ("es", "pt"):
            tab.open(lang, CORE_MODULE)
            paths = [path_of(u) for u in search(tab, SEARCHES[lang][2])]
            assert {PREFIX[lang] + p for p in EVALUATION_PAGES} & set(paths), f"{lang}: {paths}"
            assert all(p.startswith(PREFIX[lang]) for p in paths), f"{lang}: {paths}"
        assert {path_of(u).split("/pagefind/")[0] for u in tab.requests if "/pagefind/" in u} == {"/es", "/pt"}
    finally:
        context.close()
        server.shutdown()
        server.server_close()


# -- (c) the language switcher keeps the reader on the same page -------------------------

def test_switcher_from_spanish_module_lands_on_same_module_in_portuguese(tab: Tab) -> None:
    tab.open("es", MODULE)
    page = tab.page
    page.locator(".md-header__option .md-select button").first.click()
    link = page.locator(".md-select__list a[hreflang='pt']")
    assert link.inner_text().strip() == "Português"
    with page.expect_navigation():
        link.click()
    assert path_of(page.url) == "/pt/" + MODULE
    assert page.locator("html").get_attribute("lang") == "pt"
    assert heading(page) == TITLES["pt"]


@pytest.mark.parametrize("lang", LANGS)
def test_switcher_links_point_to_same_page_in_every_language(tab: Tab, lang: str) -> None:
    tab.open(lang, PLAYBOOK)
    hrefs = tab.page.eval_on_selector_all(".md-select__list a[hreflang]",
                                          "els => els.map(a => [a.hreflang, a.href])")
    assert {code: path_of(href) for code, href in hrefs} == {code: PREFIX[code] + PLAYBOOK for code in LANGS}


# -- (d) no console errors ----------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", [HOME, MODULE, PLAYBOOK, HANDOUT], ids=["home", "module", "playbook", "handout"])
def test_no_console_errors(tab: Tab, lang: str, path: str) -> None:
    tab.open(lang, path)
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.locator("html").get_attribute("lang") == lang
    assert not tab.errors, "\n".join(tab.errors)


@pytest.mark.parametrize("lang", LANGS)
def test_pages_load_nothing_from_other_hosts(tab: Tab, lang: str) -> None:
    for path in (HOME, MODULE, PLAYBOOK):
        tab.open(lang, path)
        tab.page.wait_for_load_state("networkidle")
    local = urlsplit(tab.base).netloc
    external = sorted({u for u in tab.requests if urlsplit(u).scheme in ("http", "https")
                       and urlsplit(u).netloc != local})
    assert not external, external


# -- (e) accessibility: axe-core ---------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", [HOME, MODULE, PLAYBOOK, HANDOUT], ids=["home", "module", "playbook", "handout"])
def test_no_serious_or_critical_axe_violations(tab: Tab, lang: str, path: str) -> None:
    if not AXE.is_file():
        pytest.skip(f"{AXE} is missing: {INSTALL_HINT}")
    tab.open(lang, path)
    violations = run_axe(tab)
    if violations:
        print(f"\naxe-core on {tab.url(lang, path)}:\n{describe(violations)}")
    assert not violations, describe(violations)


# -- (f) honest partial translations, light pages ----------------------------------------

@pytest.mark.parametrize("lang", ["es", "pt"])
def test_partial_page_shows_notice_and_marks_english_passages(tab: Tab, lang: str) -> None:
    tab.open(lang, PARTIAL)
    page = tab.page
    notice = page.locator(".md-typeset .admonition").filter(has_text=NOTICE[lang])
    assert notice.count() == 1, f"no '{NOTICE[lang]}' notice on {tab.url(lang, PARTIAL)}"
    english_link = notice.locator("a").first.get_attribute("href")
    assert path_of(urljoin(page.url, english_link)) == "/" + PARTIAL
    english = page.locator("article [lang='en']").filter(has_text=UNTRANSLATED)
    assert english.count() == 1, "the untranslated passage does not carry lang=\"en\""
    # The translated passages around it are in the page's language.
    assert page.locator("html").get_attribute("lang") == lang
    # A fully translated page has no notice and no English passages.
    tab.open(lang, MODULE)
    assert page.locator(".md-typeset .admonition").filter(has_text=NOTICE[lang]).count() == 0
    assert page.locator("article [lang='en']").count() == 0


def test_partial_page_is_not_listed_as_translated_alternate(tab: Tab) -> None:
    # No page advertises hreflang alternates in its head (Material would fetch a sitemap for
    # each); the switcher links every page to itself in the other languages instead.
    for path in (PARTIAL, MODULE):
        tab.open("en", path)
        alternates = tab.page.eval_on_selector_all("link[rel=alternate][hreflang]", "els => els.map(e => e.hreflang)")
        assert not {"es", "pt"} & set(alternates), alternates


@pytest.mark.parametrize("lang", LANGS)
def test_module_page_html_is_light(tab: Tab, lang: str) -> None:
    response = tab.open(lang, MODULE)
    size = len(response.body())
    assert size < MAX_MODULE_BYTES, f"{tab.url(lang, MODULE)} is {size} bytes (limit {MAX_MODULE_BYTES})"


@pytest.mark.parametrize("lang", LANGS)
def test_module_title_in_head_and_navigation_is_translated(tab: Tab, lang: str) -> None:
    tab.open(lang, MODULE)
    assert tab.page.title().startswith(TITLES[lang])
    assert heading(tab.page) == TITLES[lang]
    active = tab.page.locator(".md-nav__link--active").first.inner_text().strip()
    assert active == TITLES[lang]


# -- (g) printing --------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "es"])
def test_playbook_prints_without_navigation(tab: Tab, lang: str) -> None:
    page = tab.page
    page.emulate_media(media="print")
    tab.open(lang, PLAYBOOK)
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        hidden = page.eval_on_selector_all(
            selector, "els => els.every(e => getComputedStyle(e).display === 'none')")
        assert hidden, f"{selector} is displayed when printing {tab.url(lang, PLAYBOOK)}"
    assert page.locator("article h1").first.is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".md-header").first.is_visible()


ROLE_CARDS = "handouts/core-01-commitment-cards/"
CARD_TITLES = {  # the fixture's six role cards, as translated in its catalogs
    "en": ["The mayor", "The journalist", "The council member", "The resident", "The data lead", "The observer"],
    "es": ["La alcaldesa o el alcalde", "La periodista", "El concejal", "La vecina", "El responsable de datos",
           "La observadora"],
    "pt": ["A prefeita ou o prefeito", "A jornalista", "O vereador", "A moradora", "O responsável pelos dados",
           "A observadora"],
}


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_role_cards_print_on_one_page_without_cut_off(tab: Tab, lang: str, tmp_path: Path) -> None:
    """Chromium prints the role-card handout to PDF: the six cards share one A4 page (the intro
    has its own), no card's text overflows its box, and each card's whole text is on that page."""
    page = tab.page
    tab.open(lang, ROLE_CARDS)
    page.emulate_media(media="print")
    cards = page.eval_on_selector_all(".cda-card", """els => els.map(e => ({
        title: e.querySelector('h2').textContent.replace(/\\s*¶\\s*$/, '').trim(),
        text: e.innerText, overflow: e.scrollHeight - e.clientHeight}))""")
    assert [c["title"] for c in cards] == CARD_TITLES[lang]
    assert [c["overflow"] for c in cards] == [0] * 6, "a card's text is cut off at the bottom of its box"
    pdf = tmp_path / f"cards-{lang}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+[23]$", info, re.MULTILINE), info  # intro, cards, and the playbooks using them
    assert re.search(r"^Page size:\s+59[45]\.\d* x 841\.\d* pts \(A4\)", info, re.MULTILINE), info
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    on_page = set(_words(pages[1]))
    for card in cards:
        missing = [w for w in _words(card["text"]) if w not in on_page]
        assert missing == [], f"card '{card['title']}' is not whole on the cards' page: {missing[:8]}"
    assert CARD_TITLES[lang][0] not in pages[0], "the cards start on a page of their own"
    page.emulate_media(media="screen")


# -- (h) a hostile translation never reaches readers (issue 13) ----------------------------

PLANTED = "alert(document.domain)"
PLANTED_HOST = "planted-evil.example"
READING_MD = "curriculum/modules/evaluation/ev-01-evaluation-basics.md"
WORKSHOP_YAML = "curriculum/workshops/evaluation/ev-01-team-lab.yaml"
MODULE_PO = "curriculum/locales/es/LC_MESSAGES/module-ev-01-evaluation-basics.po"
WORKSHOP_PO = "curriculum/locales/es/LC_MESSAGES/workshop-ev-01-team-lab.po"
MULTI = "Read [the brief](https://example.org/brief)\nbefore the session, and [the guide](https://example.org/guide)."
ADDED = f"""

## Reading the table {{#reading-the-table}}

| Filter | Meaning |
| --- | --- |
| `status | open` | Open cases |
| x \\| y | An escaped pipe |

!!! note

    See [the table](#reading-the-table) again.

{MULTI}
"""


def _po_string(text: str) -> str:
    parts = text.split("\n")
    return "\n".join(['""'] + [f'"{p}\\n"' for p in parts[:-1]] + [f'"{parts[-1]}"'])


def _plant(root: Path) -> None:
    """A copy of the fixture with hostile Spanish translations: split javascript: links in a
    one-line and a multi-line message, a split https target, and the same in a playbook field.
    Each keeps the source's links as markdown-it-py reads them, so a check on the Markdown text
    passes them; only what the site renders shows the planted links."""
    reading = root / READING_MD
    reading.write_text(reading.read_text("utf-8") + ADDED, "utf-8")
    ws = root / WORKSHOP_YAML
    ws.write_text(ws.read_text("utf-8").replace(
        "    instructions: Each team names its three candidate programs.\n",
        "    instructions: |-\n      Each team names its three candidate programs;\n"
        "      read [the brief](https://example.org/brief) first.\n"), "utf-8")
    po = root / MODULE_PO
    text = po.read_text("utf-8")
    single_at = text.index('"Every evaluation compares')  # the one-line message's msgid
    end = text.index("\n\n", single_at)
    entry = text[single_at:end]
    msgstr_at = entry.index("msgstr")
    text = text[:single_at] + entry[:msgstr_at] + (
        'msgstr "Toda evaluación compara lo ocurrido con un [contrafactual](glossary:counterfactual) "\n'
        f'"[x](jav\\n"\n"ascript:{PLANTED}): lo que habría pasado sin el programa."') + text[end:]
    text += (f"\n#: {READING_MD}\nmsgid {_po_string(MULTI)}\nmsgstr "
             + _po_string(f"Lea [el resumen](https://example.org/brief) y [esto](jav\nascript:{PLANTED})\n"
                          "antes de la sesión, y [la guía](https://example.org/guide) o "
                          f"[aquella](https://planted-\nevil.example/guia).") + "\n")
    po.write_text(text, "utf-8")
    wpo = root / WORKSHOP_PO
    wtext = wpo.read_text("utf-8")
    source = "Each team names its three candidate programs;\nread [the brief](https://example.org/brief) first."
    wtext += (f'\n#: {WORKSHOP_YAML}\nmsgctxt "agenda.instructions"\nmsgid {_po_string(source)}\nmsgstr '
              + _po_string(f"Cada equipo nombra sus tres programas candidatos;\nlea [el resumen]"
                           f"(https://example.org/brief) [y esto](jav\nascript:{PLANTED}) primero.") + "\n")
    wpo.write_text(wtext, "utf-8")


@pytest.fixture(scope="session")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The planted copy, built with ``cda build --offline``, and its Spanish playbook printed."""
    root = tmp_path_factory.mktemp("planted")
    shutil.copytree(FIXTURE / "curriculum", root / "curriculum")
    _plant(root)
    for argv in (["build", "--offline"],
                 ["playbook", "ev-01-team-lab", "--lang", "es", "-o", str(root / "playbook-es.html")],
                 ["playbook", "ev-01-team-lab", "--lang", "es", "--format", "md", "-o", str(root / "playbook-es.md")]):
        proc = subprocess.run([sys.executable, "-m", "build_tools", *argv, "--root", str(root)],
                              cwd=REPO, capture_output=True, text=True, timeout=900, check=False)
        assert proc.returncode == 0, f"cda {' '.join(argv)} failed:\n{proc.stdout}\n{proc.stderr}"
    return root


def test_check_rejects_the_planted_translations(planted: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "build_tools", "check", "--lang", "es", "--root", str(planted)],
                          cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1
    found = {(Path(line.split(":")[0]).as_posix().split("/curriculum/")[-1], line.split("error[")[1][:4])
             for line in proc.stdout.splitlines() if "error[" in line}
    for po, code in ((MODULE_PO, "T207"), (MODULE_PO, "T208"), (WORKSHOP_PO, "T207")):
        assert (po.removeprefix("curriculum/"), code) in found, found


def test_planted_targets_are_absent_from_site_zips_and_playbook(planted: Path) -> None:
    import zipfile

    texts: dict[str, str] = {}
    for path in (planted / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".js", ".xml", ".txt"):
            texts[str(path)] = path.read_text("utf-8", errors="replace")
    zips = sorted((planted / "site" / "downloads").glob("*.zip"))
    assert len(zips) == 3
    for archive in zips:
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                if name.endswith((".html", ".json", ".js")):
                    texts[f"{archive.name}:{name}"] = zf.read(name).decode("utf-8", errors="replace")
    for name in ("playbook-es.html", "playbook-es.md"):
        texts[name] = (planted / name).read_text("utf-8")
    for where, text in texts.items():
        flat = text.replace("\\n", "").replace("\n", "")
        assert PLANTED not in flat and "ascript:" not in flat and PLANTED_HOST not in flat, where
    # The passages fell back to English; the rest of the page stays Spanish.
    page = (planted / "site/es" / MODULE / "index.html").read_text("utf-8")
    assert "Reading the table" in page and "Traducción en curso" in page
    assert "Nota" in page  # the untitled note, titled from the interface catalog
    assert re.search(r'<td>(<span lang="en">)?x \| y(</span>)?</td>', page) and "<code>status | open</code>" in page
    assert 'read <a href="https://example.org/brief">' in (planted / "playbook-es.html").read_text("utf-8")


@pytest.fixture()
def planted_tab(browser: Any, planted: Path) -> Iterator[Tab]:
    handler = functools.partial(_QuietHandler, directory=str(planted / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="planted-server", daemon=True)
    thread.start()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(15_000)
    t = Tab(page, f"http://127.0.0.1:{server.server_address[1]}")
    try:
        yield t
    finally:
        context.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.mark.parametrize("path", [MODULE, PLAYBOOK], ids=["module", "playbook"])
def test_clicking_every_link_runs_no_script(planted_tab: Tab, path: str) -> None:
    tab = planted_tab
    page = tab.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.open("es", path)
    schemes = page.eval_on_selector_all("a[href]", "els => els.map(a => a.protocol)")
    assert "javascript:" not in schemes
    count = page.locator("article a[href]").count()
    assert count > 5
    for i in range(count):
        tab.open("es", path)
        link = page.locator("article a[href]").nth(i)
        if not link.is_visible():
            continue
        link.click()
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)
        assert not dialogs, f"link {i} ran script: {dialogs}"
    assert page.evaluate("typeof window.__planted") == "undefined"


# -- (i) the city case library (issue 23) ----------------------------------------------------

CASES = "cases/"
CASE_IDS = ("bogota-care-blocks", "monterrey-participatory-budget", "recife-pacto-pela-vida")
CASE_TITLES = {  # the fixture's cases, as its catalogs translate them (list order: by country name)
    "en": ("Recife: Pacto pela Vida", "Bogotá: Care Blocks", "Monterrey: residents choose"),
    "es": ("Recife: Pacto pela Vida", "Bogotá: Manzanas del Cuidado", "Monterrey: los vecinos eligen"),
    "pt": ("Recife: Pacto pela Vida", "Bogotá: Quarteirões do Cuidado", "Monterrey: os moradores escolhem"),
}
COUNT_TEXT = {"en": "{n} of 3 cases shown", "es": "Se muestran {n} de 3 casos", "pt": "{n} de 3 casos exibidos"}


def shown_cases(page: Any) -> list[str]:
    """The case ids of the index's visible items, in list order."""
    return page.eval_on_selector_all(
        "article li:has(span.cda-case)",
        "els => els.filter(li => li.offsetParent !== null).map(li => li.querySelector('a').getAttribute('href'))"
        ".map(h => h.replace(/\\/$/, '').split('/').pop().replace(/\\.html$/, ''))")


@pytest.mark.parametrize("lang", LANGS)
def test_case_index_filters_by_track_and_country(tab: Tab, lang: str) -> None:
    tab.open(lang, CASES)
    page = tab.page
    form = page.locator("form.cda-case-filters")
    assert form.is_visible()
    titles = page.locator("article li:has(span.cda-case) a").all_inner_texts()
    assert [t.split(",")[0][:len(p)] for t, p in zip(titles, CASE_TITLES[lang], strict=True)] == list(CASE_TITLES[lang]), titles
    assert sorted(shown_cases(page)) == sorted(CASE_IDS)
    count = page.locator(".cda-case-count")
    assert count.inner_text().strip() == COUNT_TEXT[lang].format(n=3)
    page.select_option("select[name=track]", "evaluation")
    assert shown_cases(page) == ["recife-pacto-pela-vida", "bogota-care-blocks"]
    assert count.inner_text().strip() == COUNT_TEXT[lang].format(n=2)
    page.select_option("select[name=country]", "MX")  # evaluation and Mexico: nothing
    assert shown_cases(page) == []
    page.select_option("select[name=track]", "")
    assert shown_cases(page) == ["monterrey-participatory-budget"]
    country = page.locator("select[name=country] option[value=MX]").inner_text().strip()
    assert country == "México" if lang != "en" else country == "Mexico"
    page.select_option("select[name=country]", "BR")
    assert shown_cases(page) == ["recife-pacto-pela-vida"]
    page.locator("form.cda-case-filters button[type=reset]").click()
    # the count of a filtered list names the total too ("1 de 3"): wait for the unfiltered wording
    page.wait_for_function("t => document.querySelector('.cda-case-count').textContent.trim() === t",
                           arg=COUNT_TEXT[lang].format(n=3))
    assert sorted(shown_cases(page)) == sorted(CASE_IDS)
    page.select_option("select[name=size]", "large")
    assert shown_cases(page) == ["bogota-care-blocks"]
    assert not tab.errors, "\n".join(tab.errors)


@pytest.mark.parametrize("lang", LANGS)
def test_case_index_without_javascript_is_the_full_list(browser: Any, base_url: str, lang: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + PREFIX[lang] + CASES, wait_until="load")
        assert sorted(shown_cases(page)) == sorted(CASE_IDS)
        assert not page.locator("form.cda-case-filters").is_visible()
        assert "quito" not in page.content().lower()  # the fixture's draft case is not on the site
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_case_page_shows_facts_sources_and_navigation(tab: Tab, lang: str) -> None:
    tab.open(lang, CASES + "bogota-care-blocks/")
    page = tab.page
    assert heading(page).startswith(CASE_TITLES[lang][1])
    facts = page.locator("article table").first.inner_text()
    assert {"en": "Colombia", "es": "Colombia", "pt": "Colômbia"}[lang] in facts and "Bogotá" in facts
    assert {"en": "8,000,000", "es": "8.000.000", "pt": "8.000.000"}[lang] in facts
    notes = page.locator("article .footnote li")
    assert notes.count() == 2 and "Manzanas del Cuidado (Alcaldía de Bogotá)" in notes.first.inner_text()
    assert page.locator("article a.footnote-ref[href='#fn:1']").count() >= 2
    assert page.locator("article .admonition.info").count() == 1  # self-reported results
    assert page.locator("article [lang='en']").count() == 0
    nav = page.locator(".md-nav").first.inner_text()
    assert {"en": "Cases", "es": "Casos", "pt": "Casos"}[lang] in nav
    assert not tab.errors, "\n".join(tab.errors)
    response = page.goto(tab.url(lang, CASES + "quito-draft-case/"))  # drafts have no page
    assert response is not None and response.status == 404


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_a_case_by_city_and_country_without_accents(tab: Tab, lang: str) -> None:
    tab.open(lang, CASES)
    wanted = PREFIX[lang] + CASES + "bogota-care-blocks/"
    for query in ("Bogotá", "bogota"):
        paths = [path_of(u) for u in search(tab, query)]
        assert wanted in paths, f"{lang}: '{query}' did not find the case: {paths}"
    country = {"en": "Peru", "es": "Mexico", "pt": "Colombia"}[lang]  # México and Colômbia without accents
    target = {"en": None, "es": "monterrey-participatory-budget", "pt": "bogota-care-blocks"}[lang]
    if target:
        paths = [path_of(u) for u in search(tab, country)]
        assert PREFIX[lang] + CASES + target + "/" in paths, f"{lang}: '{country}': {paths}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", [CASES, CASES + "bogota-care-blocks/"], ids=["index", "case"])
def test_case_pages_have_no_serious_axe_violations(tab: Tab, lang: str, path: str) -> None:
    if not AXE.is_file():
        pytest.skip(f"{AXE} is missing: {INSTALL_HINT}")
    tab.open(lang, path)
    violations = run_axe(tab)
    assert not violations, describe(violations)
